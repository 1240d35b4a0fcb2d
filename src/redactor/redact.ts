/**
 * Redaction: records in, compliant records out. What goes follows the fixes the leak rules
 * propose (the same table rows and detectors as the checks), so the two can never disagree.
 */
import { validateRedactOptions } from "../options.js";
import { gzipSync } from "node:zlib";
import { yaml as yamlLib } from "../lazy.js";
import { createEngine, type Engine } from "../engine/engine.js";
import { humanSize } from "../engine/evidence.js";
import { pointer, reportPointer } from "../engine/pointer.js";
import type { Finding, Fix } from "../engine/types.js";
import { selectPaths } from "./paths.js";
import { Pseudonymizer, pseudonymFixes, type PseudonymizeOptions } from "./pseudonymize.js";
import { InputError } from "../errors.js";
import { endOfValue } from "../positions/json-text.js";
import { DEFAULT_LIMITS, formatFromName, gunzipLenient, isGzip, recordWhere, type ParseLimits, type ParsedRecord } from "../readers/parse.js";
import { RecordReader } from "../readers/reader.js";
import { applyToValue, describeChange, planFixes, type Change, type PlannedFix } from "./fixes.js";
import { type PieceAt, pieceStarts, redactJson, redactNdjson } from "./json-text.js";
import { redactYaml } from "./yaml.js";

export type { Change };

export interface RedactOptions {
  engine?: Engine;
  limits?: Partial<ParseLimits>;
  /** Extra paths to censor, pino-style (`a.b`, `*`, `**` for anywhere, `["odd.key"]`). */
  paths?: readonly string[];
  /** What replaces a value at `paths` (default "[redacted]"); a function gets the value's path. */
  censor?: string | ((path: string) => unknown);
  /** Remove the members at `paths` instead of censoring them. */
  remove?: boolean;
  /** Match `paths` ignoring case (CloudTrail's casing is not reliable). */
  ignoreCase?: boolean;
  /** Apply the leak rules' fixes (default true). */
  detectors?: boolean;
  /** Also replace identifying values with consistent pseudonyms keyed by this salt. */
  pseudonymize?: PseudonymizeOptions;
  /** The largest input redacted, decompressed (default MAX_REDACT_BYTES): a larger one is a LIMIT input error, left as it is. */
  maxBytes?: number;
}

/**
 * The largest input redacted (decompressed): redaction rewrites a file whole in memory (its text,
 * the records it rewrites, the output): ~6 times its size at the peak. Checking streams any size.
 */
export const MAX_REDACT_BYTES = 64 * 1024 * 1024;

const tooLarge = new WeakSet<InputError>();

/** The input error of a file too large to redact (`bytes` when known). */
export function tooLargeToRedact(file: string, max: number, bytes?: number): InputError {
  const size = bytes !== undefined ? humanSize(bytes) : `more than ${humanSize(max)} decompressed`;
  const e = new InputError("LIMIT", file, `too large to redact (${size}): redaction rewrites a file whole in memory, at most ${humanSize(max)}; not rewritten (split it; checking reads any size)`);
  tooLarge.add(e);
  return e;
}

/** Whether an input error is redaction's own size limit (a check of the same file does not report it). */
export const isTooLargeToRedact = (e: InputError): boolean => tooLarge.has(e);

const pseudonymizers = new Map<string, Pseudonymizer>();
function pseudonymizerFor(o: RedactOptions): Pseudonymizer | undefined {
  if (!o.pseudonymize) return undefined;
  let p = pseudonymizers.get(o.pseudonymize.salt);
  if (!p) pseudonymizers.set(o.pseudonymize.salt, (p = new Pseudonymizer(o.pseudonymize.salt)));
  return p;
}

/** Where a redacted copy of `relativePath` goes: the same path, pseudonymized when the records are (accounts, organizations). */
export function copyPath(relativePath: string, options: RedactOptions): string {
  return pseudonymizerFor(options)?.path(relativePath) ?? relativePath;
}

const under = (prefix: ReadonlyArray<string | number>, tokens: ReadonlyArray<string | number>): boolean =>
  prefix.length <= tokens.length && prefix.every((t, i) => String(t) === String(tokens[i]));

/** The redaction plan plus pseudonyms for what redaction leaves in place. */
function withPseudonyms(record: unknown, plan: PlannedFix[], options: RedactOptions): PlannedFix[] {
  const p = pseudonymizerFor(options);
  if (!p) return plan;
  const extra = pseudonymFixes(record, p)
    .filter((f) => !plan.some((x) => under(x.tokens, f.tokens)))
    .map((f) => ({ ...f, ruleId: "pseudonymize", evidence: undefined }));
  return [...plan, ...extra];
}

export interface RecordRedaction {
  /** A new record (the input is never mutated); the same object when nothing changed. */
  readonly record: unknown;
  readonly changes: Change[];
  /** Findings redaction cannot fix (identity, envelope, other warnings): they stay. */
  readonly remaining: Finding[];
}

let defaultEngine: Engine | undefined;
const engineOf = (o: RedactOptions): Engine => o.engine ?? (defaultEngine ??= createEngine());

/** Redacts one parsed record. Running it again on its output changes nothing. */
export function redactRecord(record: unknown, options: RedactOptions = {}): RecordRedaction {
  validateRedactOptions(options);
  const engine = engineOf(options);
  const inspected = engine.inspect(record);
  let plan = options.detectors === false ? [] : planFixes(inspected);
  if (options.paths?.length) {
    for (const tokens of selectPaths(record, options.paths, options.ignoreCase === true)) {
      if (plan.some((p) => p.tokens.length <= tokens.length && p.tokens.every((t, i) => String(t) === String(tokens[i])))) continue;
      const path = pointer(tokens);
      const censor = options.censor ?? "[redacted]";
      const fix: Fix = options.remove ? { kind: "delete" } : { kind: "set", value: typeof censor === "function" ? censor(path) : censor };
      plan.push({ tokens, fix, ruleId: "redact-path", evidence: undefined });
    }
  }
  plan = withPseudonyms(record, plan, options);
  let out = record;
  for (const p of plan) out = applyToValue(out, p.tokens, p.fix);
  // Nothing changed: what the first look found is what remains (no second check).
  const remaining = plan.length ? engine.check(out) : inspected.map((i) => i.finding);
  return { record: out, changes: plan.map((p) => describeChange(p, reportPointer(p.tokens))), remaining: remaining.filter((f) => !f.fixable) };
}

export interface FileRedaction {
  /** The redacted bytes, or undefined when nothing needed to change (the file is left alone). */
  readonly bytes: Uint8Array | undefined;
  readonly changes: Array<Change & { record: number }>;
  readonly remaining: Finding[];
  /** Input errors: a file that cannot be parsed is not rewritten. */
  readonly errors: InputError[];
}

/** Redacts the bytes of one input, keeping its format: JSON indentation and key order, YAML comments, NDJSON lines, gzip. */
export function redactBytes(bytes: Uint8Array, file: string, options: RedactOptions = {}): FileRedaction {
  validateRedactOptions(options);
  const gz = isGzip(bytes);
  // Decompressed once, up to the limit.
  const max = options.maxBytes ?? MAX_REDACT_BYTES;
  const inflated = gz ? gunzipLenient(bytes, file, max) : undefined;
  if (inflated?.error?.code === "LIMIT" || (!gz && bytes.length > max)) {
    return { bytes: undefined, changes: [], remaining: [], errors: [tooLargeToRedact(file, max, gz ? undefined : bytes.length)] };
  }
  const engine = engineOf(options);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const remaining: Finding[] = [];
  const changes: Array<Change & { record: number }> = [];
  const plans = new Map<ParsedRecord, PlannedFix[]>();
  const before: Finding[] = [];
  const errors: InputError[] = inflated?.error ? [inflated.error] : [];
  // Records are planned as they are read and kept only when something in them (or in a wrapper
  // around them, when pseudonymizing) is to be rewritten: a big file's clean records are not held.
  const wrapped = (rec: ParsedRecord): boolean => rec.site.embedded || rec.site.at[rec.site.at.length - 1] === "detail";
  const kept: ParsedRecord[] = [];
  let ndjson = false;
  const reader = new RecordReader(
    file,
    {
      record: (rec) => {
        // (a value of a file that is not a log: only what the document detector finds is redacted)
        const inspected = rec.notLog ? engine.inspectNotLog(rec.value, recordWhere(file, rec)) : engine.inspect(rec.value, recordWhere(file, rec));
        for (const i of inspected) before.push(i.finding);
        // Which of a repeated key's values other readers see is unknown: what redaction leaves could still leak.
        if (inspected.some((i) => i.repeatedKey)) errors.push(new InputError("PARSE", file, "a key is given twice in one object where the text may hold a leak: not redacted (remove the repeat by hand)", { record: rec.index, ...(rec.line !== undefined ? { line: rec.line } : {}) }));
        const plan = withPseudonyms(rec.value, planFixes(inspected), options);
        if (plan.length) plans.set(rec, plan);
        for (const p of plan) changes.push({ ...describeChange(p, reportPointer(p.tokens)), record: rec.index });
        if (rec.line !== undefined) ndjson = true;
        if (plan.length || (options.pseudonymize && wrapped(rec))) kept.push(rec);
      },
      error: (e) => errors.push(e),
    },
    limits,
  );
  reader.push(inflated ? inflated.data : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  reader.end(inflated?.error !== undefined);
  if (errors.length > 0 || plans.size === 0) {
    // The file is left alone: its findings are the ones just found (leaks included when it cannot be parsed whole).
    remaining.push(...before.filter((f) => !f.fixable || errors.length > 0));
    return { bytes: undefined, changes: errors.length > 0 ? [] : changes, remaining, errors };
  }
  const text = decode(inflated ? inflated.data : bytes);
  const format = formatFromName(file);
  const yaml = !ndjson && (format === "yaml" || (format === undefined && !/^\s*[[{]/.test(text)));
  // JSON text is edited from where each record's piece starts (several documents may follow one another).
  const pieces = yaml || ndjson ? undefined : pieceStarts(text, kept);
  if (!yaml && !ndjson && !pieces) return { bytes: undefined, changes: [], remaining: before, errors: [] };
  const p = pseudonymizerFor(options);
  if (p) addWrapperPseudonyms(text, yaml, kept, plans, p, pieces);
  const out = yaml ? redactYaml(text, plans) : ndjson ? redactNdjson(text, plans) : redactJson(text, plans, pieces!);
  // (a byte order mark the file starts with is kept: outside what a fix removes, nothing changes)
  const bom = (inflated ? inflated.data : bytes).subarray(0, 3);
  const outBytes = Buffer.from((bom[0] === 0xef && bom[1] === 0xbb && bom[2] === 0xbf ? "\ufeff" : "") + out, "utf8");
  // What is left after redaction, checked on the output itself, a record at a time.
  const after: InputError[] = [];
  const recheck = new RecordReader(
    file,
    { record: (r) => remaining.push(...(r.notLog ? engine.inspectNotLog(r.value, { file, index: r.index }).map((i) => i.finding) : engine.check(r.value, { file, index: r.index }))), error: (e) => after.push(e) },
    limits,
  );
  recheck.push(outBytes);
  recheck.end();
  return { bytes: gz ? gzipSync(outBytes) : outBytes, changes, remaining, errors: after };
}

/**
 * EventBridge envelopes and lookup-events entries repeat the record's account, keys and names
 * (account, AccessKeyId, Username, Resources): pseudonymize them too, or the wrapper gives the
 * real values away. They are planned as extra "records" rooted at the wrapper.
 */
function addWrapperPseudonyms(
  text: string,
  yaml: boolean,
  records: readonly ParsedRecord[],
  plans: Map<ParsedRecord, PlannedFix[]>,
  p: Pseudonymizer,
  pieces: Map<ParsedRecord, PieceAt> | undefined,
): void {
  const seen = new Set<string>();
  // A piece holding several wrappers (a lookup-events page inside an array) is parsed once.
  const pieceValues = new Map<number, unknown>();
  const pieceValue = (start: number): unknown => {
    if (!pieceValues.has(start)) pieceValues.set(start, JSON.parse(text.slice(start, endOfValue(text, start))));
    return pieceValues.get(start);
  };
  let docs: unknown[] | undefined;
  const docValue = (i: number): unknown => {
    docs ??= yaml
      ? yamlLib().parseAllDocuments(text, { schema: "core", merge: true }).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown)
      : text.split("\n").map((l) => (l.trim() ? (JSON.parse(l) as unknown) : null));
    return docs[i];
  };
  for (const rec of records) {
    const at = rec.site.at;
    if (!(rec.site.embedded || at[at.length - 1] === "detail")) continue;
    // The object holding the record; for a CloudWatch Logs event also the message around the events
    // (a subscription's owner, logGroup and logStream name the account). `up`: levels above the record.
    const levels = [1];
    if (rec.site.embedded && at[at.length - 1] === "message" && (at[at.length - 3] === "logEvents" || at[at.length - 3] === "events")) levels.push(3);
    const piece = pieces?.get(rec);
    for (const up of levels) {
      // The wrapper is found in the record's own piece of JSON text, or in its YAML document or NDJSON line.
      if (piece && piece.path.length < up) continue; // the wrapper is not in the record's piece
      const wrapperAt = at.slice(0, -up);
      const member = at[at.length - up]; // the wrapper's member that leads to the record: left to the record's own plan
      const path = piece ? piece.path.slice(0, -up) : wrapperAt;
      const key = `${piece ? piece.start : rec.site.doc}\u0000${JSON.stringify(path)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let wrapper = piece ? pieceValue(piece.start) : docValue(rec.site.doc);
      for (const t of path) wrapper = (wrapper as Record<string, unknown> | undefined)?.[t];
      const fixes = pseudonymFixes(wrapper, p).filter((f) => String(f.tokens[0]) !== String(member));
      if (fixes.length === 0) continue;
      const site = { at: wrapperAt, embedded: false, doc: rec.site.doc };
      const entry: ParsedRecord = { index: -1 - plans.size, value: wrapper, site };
      if (piece) pieces!.set(entry, { start: piece.start, path });
      plans.set(entry, fixes.map((f) => ({ ...f, ruleId: "pseudonymize", evidence: undefined })));
    }
  }
}

function decode(data: Uint8Array): string {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
