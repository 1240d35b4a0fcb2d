/**
 * One run's report as it is built: findings, input errors and counts per file (a FilePartial, also from
 * a worker), merged in input order, under the listing cap, with a baseline applied while merging.
 */
import { VERSION } from "../assets.js";
import type { BaselineMatcher } from "../baseline.js";
import type { Engine } from "../engine/engine.js";
import type { Finding, Severity } from "../engine/types.js";
import { InputError } from "../errors.js";
import type { InputError as ReportInputError, Report } from "../generated/report.js";
import type { Task } from "../parallel/pool.js";
import { addPositions } from "../positions/finding-positions.js";
import { recordWhere, type ParsedRecord, type ParseResult } from "../readers/parse.js";
import type { RecordSeen } from "../reporters/junit.js";

/** A record's eventID and eventName, when they are strings. */
export function labels(record: unknown): { eventID: string | null; eventName: string | null } {
  const r = record !== null && typeof record === "object" ? (record as Record<string, unknown>) : {};
  return { eventID: typeof r["eventID"] === "string" ? r["eventID"] : null, eventName: typeof r["eventName"] === "string" ? r["eventName"] : null };
}

export function toReportError(e: InputError): ReportInputError {
  const out: ReportInputError = { file: e.file, message: e.message, code: e.code };
  if (e.record !== undefined) out.record = e.record;
  if (e.line !== undefined) out.line = e.line;
  if (e.offset !== undefined) out.offset = e.offset;
  return out;
}

/** One file's share of a report: what a worker sends back, merged in file order. */
export interface FilePartial {
  /** The file (every finding, error and record seen here is of it). */
  readonly file: string;
  readonly findings: Finding[];
  readonly inputErrors: ReportInputError[];
  readonly counts: Record<Severity, number>;
  readonly records: number;
  readonly recordsFailed: number;
  readonly recordsUnreadable: number;
  /** Findings counted but not listed (past Keep.maxFindings). */
  readonly notListed: number;
  /** Input errors counted but not listed (past the same cap). */
  readonly inputErrorsNotListed: number;
  /** Records seen (only when asked for: JUnit lists clean records too), up to the listing cap. */
  readonly seen?: RecordSeen[];
  /** Records past the cap, counted instead of kept: clean ones, and failed ones none of whose findings is listed here. */
  readonly seenNotListed?: { passed: number; failed: number };
  /** Files found not to be CloudTrail logs (checked for document payloads only). */
  readonly notLogs?: readonly string[];
}

/**
 * What a ReportBuilder keeps: the records seen (for JUnit), and how many findings it lists
 * (undefined: all). The cap also bounds the records seen: past it they are counted per file.
 */
export interface Keep {
  readonly collect: boolean;
  readonly maxFindings: number | undefined;
  /** How many input errors it lists (default: maxFindings). */
  readonly maxInputErrors?: number;
}
export const KEEP_ALL: Keep = { collect: false, maxFindings: undefined };

/** What a task for the workers keeps: past a full listing it sends no findings; its input errors have a room of their own. */
export function taskKeep(keep: Keep, task: Task): Keep {
  return task.maxFindings !== undefined ? { ...keep, maxFindings: task.maxFindings, maxInputErrors: keep.maxFindings ?? Infinity } : keep;
}

/** Accumulates one run's findings, input errors and counts into a Report (or one file's into a FilePartial). */
export class ReportBuilder {
  readonly findings: Finding[] = [];
  readonly inputErrors: ReportInputError[] = [];
  readonly counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  files = 0;
  records = 0;
  recordsFailed = 0;
  recordsUnreadable = 0;
  notListed = 0;
  inputErrorsNotListed = 0;
  readonly seen: RecordSeen[] | undefined;
  /** Per file, the records past the cap that JUnit reports as one passing and one failing case. */
  readonly seenNotListed = new Map<string, { passed: number; failed: number }>();
  /** With a baseline: the findings it accepts (listed up to the cap) and how many. */
  readonly suppressed: Finding[] = [];
  suppressedCount = 0;
  /** Files whose values hold no CloudTrail-shaped data, in the order met. */
  readonly notLogs: string[] = [];
  private readonly notLogSet = new Set<string>();
  private readonly room: number;
  private readonly errorRoom: number;

  /**
   * `matcher`: a baseline applied while merging partials (whose builders list every finding), so
   * that a baseline run never holds more findings than one file's and its listing is capped too.
   */
  constructor(
    private readonly engine: Engine,
    keep: Keep = KEEP_ALL,
    private readonly matcher?: BaselineMatcher,
  ) {
    this.seen = keep.collect ? [] : undefined;
    this.room = keep.maxFindings ?? Infinity;
    this.errorRoom = keep.maxInputErrors ?? this.room;
  }

  /** Lists a finding while there is room, else only counts it as not listed. Returns whether it was listed. */
  private list(f: Finding): boolean {
    if (this.findings.length < this.room) {
      this.findings.push(f);
      return true;
    }
    this.notListed++;
    return false;
  }

  private notListedIn(file: string): { passed: number; failed: number } {
    let n = this.seenNotListed.get(file);
    if (!n) this.seenNotListed.set(file, (n = { passed: 0, failed: 0 }));
    return n;
  }

  /** Keeps a record seen while there is room; past it, counts it (unless a listed finding names it: JUnit shows it from that). */
  private see(r: RecordSeen, named: boolean): void {
    if (this.seen!.length < this.room) this.seen!.push(r);
    else if (!named) this.notListedIn(r.file)[r.failed ? "failed" : "passed"]++;
  }

  inputError(e: InputError): void {
    this.fileError(toReportError(e));
  }

  /** Lists an input error while there is room (the cap of findings), else only counts it. */
  private listError(e: ReportInputError): void {
    if (this.inputErrors.length < this.errorRoom) this.inputErrors.push(e);
    else this.inputErrorsNotListed++;
  }

  parsed(file: string, parsed: ParseResult): void {
    for (const err of parsed.errors) this.inputError(err);
    for (const rec of parsed.records) this.record(file, rec);
  }

  record(file: string, rec: ParsedRecord): void {
    if (rec.notLog) return this.notLogValue(file, rec);
    let found: Finding[];
    try {
      found = this.engine.check(rec.value, recordWhere(file, rec));
    } catch (e) {
      // A bug of ours, not the input's: reported with where it happened, and the run fails closed.
      this.inputError(new InputError("INTERNAL", file, `internal error while checking this record (please report it): ${(e as Error).message}`, { record: rec.index }));
      return;
    }
    this.records++;
    // Positions are worked out only for findings that will be listed.
    const listed = found.length === 0 || this.findings.length + found.length <= this.room ? found : found.slice(0, Math.max(0, this.room - this.findings.length));
    if (this.seen) {
      // Literals, not spreads: see RecordReader.unwrapInto.
      const { eventID, eventName } = labels(rec.value);
      const seen: RecordSeen = found.length > 0 ? { file, index: rec.index, eventID, eventName, failed: true } : { file, index: rec.index, eventID, eventName };
      this.see(seen, listed.length > 0);
    }
    if (found.length === 0) return;
    this.recordsFailed++;
    for (const f of found) this.counts[f.severity]++;
    this.notListed += found.length - listed.length;
    if (listed.length === 0) return;
    addPositions(listed, rec);
    for (const f of listed) this.findings.push(f);
  }

  /** A value of a file that is not a CloudTrail log: not a record; only what the document detector finds in it. */
  private notLogValue(file: string, rec: ParsedRecord): void {
    this.addNotLog(file);
    let found: Finding[];
    try {
      found = this.engine.inspectNotLog(rec.value, recordWhere(file, rec)).map((i) => i.finding);
    } catch (e) {
      this.inputError(new InputError("INTERNAL", file, `internal error while checking this value (please report it): ${(e as Error).message}`, { record: rec.index }));
      return;
    }
    if (found.length === 0) return;
    for (const f of found) this.counts[f.severity]++;
    const listed = found.slice(0, Math.max(0, this.room - this.findings.length));
    this.notListed += found.length - listed.length;
    if (listed.length === 0) return;
    addPositions(listed, rec);
    for (const f of listed) this.findings.push(f);
  }

  private addNotLog(file: string): void {
    if (this.notLogSet.has(file)) return;
    this.notLogSet.add(file);
    this.notLogs.push(file);
  }

  /** What this builder gathered of `file` (a builder of one file's records). */
  partial(file: string): FilePartial {
    const notListed = this.seenNotListed.get(file);
    return {
      file,
      findings: this.findings,
      inputErrors: this.inputErrors,
      counts: this.counts,
      records: this.records,
      recordsFailed: this.recordsFailed,
      recordsUnreadable: this.recordsUnreadable,
      notListed: this.notListed,
      inputErrorsNotListed: this.inputErrorsNotListed,
      ...(this.seen ? { seen: this.seen } : {}),
      ...(notListed ? { seenNotListed: notListed } : {}),
      ...(this.notLogs.length > 0 ? { notLogs: this.notLogs } : {}),
    };
  }

  merge(p: FilePartial): void {
    this.files++;
    this.matcher?.checked(p.file);
    this.mergeRecords(p, 0);
  }

  /** Adds a partial whose record indexes start at 0 (a worker's batch) at `base`. */
  mergeRecords(p: FilePartial, base: number): void {
    if (base !== 0) {
      for (const f of p.findings) f.record += base;
      for (const e of p.inputErrors) if (e.record !== undefined) e.record += base;
      if (p.seen) for (const r of p.seen) (r as { index: number }).index += base;
    }
    // Records with a finding listed here (JUnit shows them from their findings), and, with a
    // baseline, records with a finding it does not accept (the ones that fail).
    const named = new Set<number>();
    const failing = new Set<number>();
    for (const f of p.findings) {
      if (this.matcher?.suppresses(f)) {
        this.suppressedCount++;
        if (this.suppressed.length < this.room) this.suppressed.push(f);
        continue;
      }
      if (this.matcher) {
        this.counts[f.severity]++;
        failing.add(f.record);
      }
      if (this.list(f)) named.add(f.record);
    }
    this.notListed += p.notListed;
    for (const e of p.inputErrors) this.listError(e);
    this.inputErrorsNotListed += p.inputErrorsNotListed;
    if (this.matcher) this.recordsFailed += failing.size;
    else {
      this.counts.error += p.counts.error;
      this.counts.warning += p.counts.warning;
      this.counts.info += p.counts.info;
      this.recordsFailed += p.recordsFailed;
    }
    this.records += p.records;
    this.recordsUnreadable += p.recordsUnreadable;
    if (p.notLogs) for (const f of p.notLogs) this.addNotLog(f);
    this.mergeSeen(p, named, failing);
  }

  /**
   * JUnit's records: those the partial kept, and its counts of those past the cap. `named`: records
   * with a finding listed here; `failing`: with a baseline, records with a finding it does not accept.
   */
  private mergeSeen(p: FilePartial, named: ReadonlySet<number>, failing: ReadonlySet<number>): void {
    if (!this.seen || !p.seen) return;
    const kept = new Set<number>();
    for (const r of p.seen) {
      kept.add(r.index);
      // With a baseline a record fails only by findings it does not accept.
      const seen = this.matcher && r.failed !== failing.has(r.index) ? { ...r, failed: failing.has(r.index) } : r;
      this.see(seen, named.has(r.index));
    }
    const counted = this.notListedIn(p.file);
    if (p.seenNotListed) {
      counted.passed += p.seenNotListed.passed;
      counted.failed += p.seenNotListed.failed;
    }
    // Records the partial showed only through findings that are not listed here any more.
    const orphans = new Set<number>();
    for (const f of p.findings) if (!kept.has(f.record) && !named.has(f.record) && (!this.matcher || failing.has(f.record))) orphans.add(f.record);
    counted.failed += orphans.size;
    if (counted.passed === 0 && counted.failed === 0) this.seenNotListed.delete(p.file);
  }

  /** An input error that concerns a whole file (no record), or one at record index `record`. */
  fileError(e: ReportInputError): void {
    this.listError(e);
    if (e.record !== undefined) this.recordsUnreadable++;
  }

  report(): Report {
    return {
      tool: { name: "trailproof", version: VERSION },
      profile: this.engine.profile,
      summary: {
        files: this.files,
        records: this.records,
        recordsFailed: this.recordsFailed,
        recordsFound: this.records + this.recordsUnreadable,
        recordsUnreadable: this.recordsUnreadable,
        findings: this.counts,
        inputErrors: this.inputErrors.length + this.inputErrorsNotListed,
        ...(this.matcher ? { suppressed: this.suppressedCount } : {}),
        ...(this.notListed > 0 ? { findingsNotListed: this.notListed } : {}),
        ...(this.inputErrorsNotListed > 0 ? { inputErrorsNotListed: this.inputErrorsNotListed } : {}),
        ...(this.notLogs.length > 0 ? { filesNotLogs: this.notLogs.length } : {}),
      },
      findings: this.findings,
      inputErrors: this.inputErrors,
      ...(this.notLogs.length > 0 ? { notLogs: this.notLogs } : {}),
      ...(this.matcher ? { suppressed: this.suppressed, baseline: { file: this.matcher.file, stale: this.matcher.stale().length } } : {}),
    };
  }
}
