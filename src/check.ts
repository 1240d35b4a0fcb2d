/** The library's entry points: check one record, a stream of records, bytes, or files and directories. */
import { VERSION } from "./assets.js";
import { createEngine, type Engine, type EngineOptions } from "./engine/engine.js";
import type { Finding, Severity } from "./engine/types.js";
import { InputError } from "./errors.js";
import type { InputError as ReportInputError, Report } from "./generated/report.js";
import { DEFAULT_LIMITS, type ParsedRecord, type ParseLimits, type ParseResult } from "./readers/parse.js";
import { parseBytes, RecordReader } from "./readers/reader.js";
import { streamInto } from "./readers/stream.js";
import { expandPaths } from "./readers/sources.js";

export interface CheckOptions extends EngineOptions {
  /** A compiled engine to reuse (its own options win over the ones above). */
  engine?: Engine;
  limits?: Partial<ParseLimits>;
  /** Where '-' reads from (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

export interface RecordResult {
  readonly index: number;
  readonly eventID: string | null;
  readonly eventName: string | null;
  readonly findings: Finding[];
}

const engines = new WeakMap<object, Engine>();
const defaultKey = {};

function engineFor(options: CheckOptions): Engine {
  if (options.engine) return options.engine;
  const key = options.profile || options.rules || options.severities ? options : defaultKey;
  let e = engines.get(key);
  if (!e) {
    e = createEngine(options);
    engines.set(key, e);
  }
  return e;
}

/** Findings for one record (file "" and index 0 unless given). */
export function checkRecord(record: unknown, options: CheckOptions & { file?: string; index?: number } = {}): Finding[] {
  return engineFor(options).check(record, { file: options.file ?? "", index: options.index ?? 0 });
}

/** Checks records one by one as they arrive, yielding each record's findings in order. */
export async function* checkRecords(records: Iterable<unknown> | AsyncIterable<unknown>, options: CheckOptions & { file?: string } = {}): AsyncGenerator<RecordResult> {
  const engine = engineFor(options);
  let index = 0;
  for await (const record of records as AsyncIterable<unknown>) {
    const findings = engine.check(record, { file: options.file ?? "", index });
    const r = record as Record<string, unknown> | null;
    const id = r && typeof r === "object" ? r["eventID"] : undefined;
    const name = r && typeof r === "object" ? r["eventName"] : undefined;
    yield { index, eventID: typeof id === "string" ? id : null, eventName: typeof name === "string" ? name : null, findings };
    index++;
  }
}

export function toReportError(e: InputError): ReportInputError {
  const out: ReportInputError = { file: e.file, message: e.message, code: e.code };
  if (e.record !== undefined) out.record = e.record;
  if (e.line !== undefined) out.line = e.line;
  if (e.offset !== undefined) out.offset = e.offset;
  return out;
}

/** Accumulates one run's findings, input errors and counts into a Report. */
class ReportBuilder {
  readonly findings: Finding[] = [];
  readonly inputErrors: ReportInputError[] = [];
  readonly counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  files = 0;
  records = 0;
  recordsFailed = 0;
  recordsUnreadable = 0;

  constructor(private readonly engine: Engine) {}

  inputError(e: InputError): void {
    this.inputErrors.push(toReportError(e));
    if (e.record !== undefined) this.recordsUnreadable++;
  }

  parsed(file: string, parsed: ParseResult): void {
    for (const err of parsed.errors) this.inputError(err);
    for (const rec of parsed.records) this.record(file, rec);
  }

  record(file: string, rec: ParsedRecord): void {
    {
      let found: Finding[];
      try {
        found = this.engine.check(rec.value, rec.raw !== undefined ? { file, index: rec.index, raw: rec.raw } : { file, index: rec.index });
      } catch (e) {
        // A bug of ours, not the input's: reported with where it happened, and the run fails closed.
        this.inputError(new InputError("INTERNAL", file, `internal error while checking this record (please report it): ${(e as Error).message}`, { record: rec.index }));
        return;
      }
      this.records++;
      if (found.length > 0) this.recordsFailed++;
      for (const f of found) {
        this.counts[f.severity]++;
        this.findings.push(f);
      }
    }
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
        inputErrors: this.inputErrors.length,
      },
      findings: this.findings,
      inputErrors: this.inputErrors,
    };
  }
}

/** Checks the bytes of one input (any shape, gzipped or not) named `file` in the report. */
export function checkBytes(bytes: Uint8Array, file: string, options: CheckOptions = {}): Report {
  const builder = new ReportBuilder(engineFor(options));
  builder.files = 1;
  builder.parsed(file, parseBytes(bytes, file, { ...DEFAULT_LIMITS, ...options.limits }));
  return builder.report();
}

/** Reads and checks files, directories and '-' (stdin). Input problems become report entries, never exceptions. */
export async function checkPaths(paths: readonly string[], options: CheckOptions = {}): Promise<Report> {
  const builder = new ReportBuilder(engineFor(options));
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  for await (const entry of expandPaths(paths)) {
    if ("error" in entry) {
      builder.inputError(entry.error);
      continue;
    }
    builder.files++;
    const file = entry.file;
    // Records are checked as they are cut out of the stream: memory stays bounded by one record.
    const reader = new RecordReader(file, { record: (r) => builder.record(file, r), error: (e) => builder.inputError(e) }, limits);
    const failure = await streamInto(file, reader, options.stdin);
    if (failure) builder.inputError(failure);
  }
  return builder.report();
}
