/**
 * Baselines: accept today's findings, report only new ones. An entry is keyed by content, not
 * position: rule id, file, record key (eventID, else index), JSON path and a hash of the
 * offending value. It never holds the value. A changed value at a baselined path is a new finding;
 * entries of a file checked in this run that match nothing are stale and fail the run until pruned
 * (a run over part of the tree, as a pre-commit hook's, says nothing of the other files' entries).
 */
import { readFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { ConfigError } from "./errors.js";
import type { Finding, Report } from "./generated/report.js";

export const DEFAULT_BASELINE = ".trailproof-baseline.json";

export interface BaselineEntry {
  readonly ruleId: string;
  readonly file: string;
  readonly record: string;
  readonly path: string;
  readonly valueHash: string | null;
}

export interface BaselineFile {
  readonly version: 1;
  readonly tool: "trailproof";
  readonly entries: BaselineEntry[];
}

function relFile(file: string, baselineFile: string): string {
  if (file === "-" || file === "") return file;
  return relative(dirname(resolve(baselineFile)), resolve(file)).split(sep).join("/");
}

export function entryOf(f: Finding, baselineFile: string): BaselineEntry {
  return { ruleId: f.ruleId, file: relFile(f.file, baselineFile), record: f.eventID ?? `#${f.record}`, path: f.path, valueHash: f.valueHash ?? null };
}

const keyOf = (e: BaselineEntry): string => JSON.stringify([e.ruleId, e.file, e.record, e.path, e.valueHash]);

export function buildBaseline(findings: readonly Finding[], baselineFile: string): BaselineFile {
  const entries = findings.map((f) => entryOf(f, baselineFile));
  const unique = [...new Map(entries.map((e) => [keyOf(e), e])).values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  return { version: 1, tool: "trailproof", entries: unique };
}

export function readBaseline(file: string): BaselineFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(code === "ENOENT" ? "no baseline yet: create it with `trailproof baseline <paths>`" : `cannot read the baseline: ${code ?? (e as Error).message}`, file);
  }
  const ok =
    typeof data === "object" && data !== null && (data as BaselineFile).version === 1 && Array.isArray((data as BaselineFile).entries) &&
    (data as BaselineFile).entries.every((e) => e && typeof e.ruleId === "string" && typeof e.file === "string" && typeof e.record === "string" && typeof e.path === "string");
  if (!ok) throw new ConfigError("not a trailproof baseline (version 1 with entries of ruleId, file, record, path, valueHash)", file);
  return data as BaselineFile;
}

/**
 * Matches findings against a baseline as they come (a run need not hold every finding to apply
 * it) and remembers which entries matched: the others are stale.
 */
export class BaselineMatcher {
  private readonly keys: ReadonlySet<string>;
  private readonly remaining: Map<string, BaselineEntry>;
  /** The files checked in this run, as entries name them (undefined: every file, the whole tree was). */
  private checkedFiles: Set<string> | undefined = new Set<string>();

  constructor(
    baseline: BaselineFile,
    readonly file: string,
  ) {
    this.remaining = new Map(baseline.entries.map((e) => [keyOf(e), e]));
    this.keys = new Set(this.remaining.keys());
  }

  /** True when the baseline accepts this finding (its entry is then no longer stale). */
  suppresses(f: Finding): boolean {
    const k = keyOf(entryOf(f, this.file));
    if (!this.keys.has(k)) return false;
    this.remaining.delete(k);
    return true;
  }

  /** A file was read and checked in this run: its entries that match nothing are stale. */
  checked(file: string): void {
    this.checkedFiles?.add(relFile(file, this.file));
  }

  /** Every file is taken as checked (a report of the whole tree). */
  checkedAll(): void {
    this.checkedFiles = undefined;
  }

  /** The entries of files checked so far that matched no finding. */
  stale(): BaselineEntry[] {
    const files = this.checkedFiles;
    return [...this.remaining.values()].filter((e) => files === undefined || files.has(e.file));
  }
}

/** Moves baselined findings of a finished report to report.suppressed, recounts, and records the stale entries (of `checkedFiles`; without them, of every file). Returns them. */
export function applyBaseline(report: Report, baseline: BaselineFile, baselineFile: string, checkedFiles?: Iterable<string>): BaselineEntry[] {
  const matcher = new BaselineMatcher(baseline, baselineFile);
  if (checkedFiles) for (const file of checkedFiles) matcher.checked(file);
  else matcher.checkedAll();
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of report.findings) (matcher.suppresses(f) ? suppressed : kept).push(f);
  report.findings = kept;
  report.suppressed = suppressed;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of kept) counts[f.severity]++;
  report.summary.findings = counts;
  report.summary.suppressed = suppressed.length;
  report.summary.recordsFailed = new Set(kept.map((f) => `${f.file}\u0000${f.record}`)).size;
  const stale = matcher.stale();
  report.baseline = { file: baselineFile, stale: stale.length };
  return stale;
}
