/** The library's entry points: check one record, a stream of records, bytes, or files and directories. */
import { validateCheckOptions } from "./options.js";
import { createEngine, type Engine, type EngineOptions } from "./engine/engine.js";
import type { Finding } from "./engine/types.js";
import { InputError, WorkerLostError } from "./errors.js";
import type { Report } from "./generated/report.js";
import { DEFAULT_LIMITS, type ParseLimits } from "./readers/parse.js";
import { parseBytes, RecordReader } from "./readers/reader.js";
import { readingAhead, streamInto, type ReadAhead } from "./readers/stream.js";
import { expandPaths, STDIN, type SourceEntry } from "./readers/sources.js";
import { BatchWriter, estimatedSize, SPLIT_FILE_BYTES, planWorkers, unitPlaces, unpackBatch, WorkerPool, type BatchTask, type Concurrency, type Task } from "./parallel/pool.js";
import type { Unit } from "./readers/reader.js";
import type { BaselineMatcher } from "./baseline.js";
import type { RecordSeen, RecordsNotListed } from "./reporters/junit.js";
import { KEEP_ALL, labels, ReportBuilder, taskKeep, toReportError, type FilePartial, type Keep } from "./report/builder.js";

export { ReportBuilder, taskKeep, toReportError, type FilePartial, type Keep };

export interface CheckOptions extends EngineOptions {
  /** A compiled engine to reuse (its own options win over the ones above). */
  engine?: Engine;
  limits?: Partial<ParseLimits>;
  /** Where '-' reads from (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Worker threads across files: "auto" (default: one per core when the input is large enough), "off", or a number. */
  concurrency?: Concurrency;
  /** With workers: files at least this big (uncompressed, estimated) are split across them by record batches (default 64 MiB). */
  splitFileBytes?: number;
  /** Which files to read (include/exclude globs of the configuration); '-' is always read. */
  filter?: ((file: string) => boolean) | undefined;
  /**
   * List at most this many findings (0, the default: all). Counts, failed records and the exit
   * code stay exact; summary.findingsNotListed says how many were left out. Memory then stays
   * bounded whatever the number of findings.
   */
  maxFindings?: number;
  /**
   * Report only findings this baseline does not accept: they are matched as files finish (so the
   * listing cap bounds memory here too), and listed in report.suppressed; `matcher.stale()` then
   * gives the entries that matched nothing.
   */
  baseline?: BaselineMatcher;
  /** Called after each file with its record count (for progress lines). */
  onProgress?: (p: { files: number; records: number }) => void;
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
  validateCheckOptions(options);
  return engineFor(options).check(record, { file: options.file ?? "", index: options.index ?? 0 });
}

/** Checks records one by one as they arrive, yielding each record's findings in order. */
export async function* checkRecords(records: Iterable<unknown> | AsyncIterable<unknown>, options: CheckOptions & { file?: string } = {}): AsyncGenerator<RecordResult> {
  validateCheckOptions(options);
  const engine = engineFor(options);
  let index = 0;
  for await (const record of records as AsyncIterable<unknown>) {
    const findings = engine.check(record, { file: options.file ?? "", index });
    yield { index, ...labels(record), findings };
    index++;
  }
}

/** Checks the bytes of one input (any shape, gzipped or not) named `file` in the report. */
export function checkBytes(bytes: Uint8Array, file: string, options: CheckOptions = {}): Report {
  validateCheckOptions(options);
  const builder = new ReportBuilder(engineFor(options));
  builder.files = 1;
  builder.parsed(file, parseBytes(bytes, file, { ...DEFAULT_LIMITS, ...options.limits }));
  return builder.report();
}

type Pending =
  | { readonly kind: "error"; readonly error: InputError }
  | { readonly kind: "file"; readonly result: Promise<{ partial: FilePartial; used: number }> }
  /** `merged`: the file's batches, merged into `batches` in order as they come back (settles after the last). */
  | { readonly kind: "split"; readonly merged: Promise<void>; readonly batches: ReportBuilder; readonly used: () => number; readonly errors: InputError[]; readonly local: FilePartial };

/**
 * Many files go whole to the workers; a big file is cut here and its records go to the workers in
 * batches. Everything is merged in input order, so the report equals a single-threaded run's.
 */
async function checkWithPool(
  entries: AsyncIterable<SourceEntry>,
  pool: WorkerPool,
  engine: Engine,
  limits: ParseLimits,
  builder: ReportBuilder,
  options: CheckOptions,
  keep: Keep,
): Promise<void> {
  // Results are merged in input order as soon as they are back (one promise chain), while later
  // files are still being dispatched: the builder applies the listing cap as it goes (finished files'
  // partials are not held until the end) and progress is reported during the run.
  let merged = Promise.resolve();
  let files = 0;
  const push = (p: Pending): void => {
    merged = merged.then(() => mergeOne(p));
    merged.catch(() => undefined); // awaited (and failing) after the dispatch loop
  };
  const mergeOne = async (p: Pending): Promise<void> => {
    if (p.kind === "error") return builder.inputError(p.error);
    if (p.kind === "file") {
      const { partial } = await p.result;
      builder.merge(partial);
      options.onProgress?.({ files: ++files, records: partial.records });
      return;
    }
    builder.merge(p.local);
    await p.merged;
    let base = p.local.records + p.local.recordsUnreadable;
    builder.mergeRecords(p.batches.partial(p.local.file), base);
    base += p.used();
    // The cutting reader's own errors (truncation, empty input) come after every record it cut.
    for (const e of p.errors) builder.inputError(e.record !== undefined ? new InputError(e.code, e.file, e.message, { record: base++, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.offset !== undefined ? { offset: e.offset } : {}) }) : e);
    options.onProgress?.({ files: ++files, records: 0 });
  };
  // A builder's listing is full when it lists no more findings, nor (for JUnit) records seen.
  const listingFull = (b: ReportBuilder): boolean => keep.maxFindings !== undefined && b.findings.length >= keep.maxFindings && (!b.seen || b.seen.length >= keep.maxFindings);
  const inFlight: Array<Promise<unknown>> = [];
  // Keep a bounded number of tasks queued: memory stays bounded whatever the input size.
  // (With no worker left, tasks are checked here as they come: nothing to wait for.)
  const room = (): Promise<void> | undefined => (pool.size > 0 && pool.busy ? Promise.race(inFlight).then(() => undefined) : undefined);
  const track = <T>(p: Promise<T>): Promise<T> => {
    const settle = () => void inFlight.splice(inFlight.indexOf(tracked), 1);
    const tracked: Promise<unknown> = p.then(settle, settle); // never rejects: the result is awaited (and fails) in merge order
    inFlight.push(tracked);
    return p;
  };
  for await (const entry of entries) {
    if ("error" in entry) {
      push({ kind: "error", error: entry.error });
      continue;
    }
    if (entry.file === STDIN) {
      const partial = await checkFile(STDIN, engine, limits, options.stdin, keep);
      push({ kind: "file", result: Promise.resolve({ partial, used: 0 }) });
      continue;
    }
    const size = await estimatedSize(entry.file);
    if (size < (options.splitFileBytes ?? SPLIT_FILE_BYTES)) {
      const wait = room();
      if (wait) await wait;
      // Once the listing is full (it only grows), later files send counts only, no findings.
      const task: Task = { type: "file", file: entry.file, ...(listingFull(builder) ? { maxFindings: 0 } : {}) };
      // A file no worker checks is checked here: the report is the same as a single-threaded run's.
      const checkHere = async () => ({ partial: await checkFile(task.file, engine, limits, undefined, taskKeep(keep, task)), used: 0 });
      if (pool.size === 0) {
        // No worker left: one file at a time (not all at once: nothing would bound them then).
        const here = await checkHere();
        push({ kind: "file", result: Promise.resolve(here) });
        continue;
      }
      // Its worker stopped with it in hand.
      const result = pool.run(task).catch((e: unknown) => (e instanceof WorkerLostError ? checkHere() : Promise.reject(e)));
      push({ kind: "file", result: track(result) });
      continue;
    }
    const file = entry.file;
    const local = new ReportBuilder(engine, keep);
    const errors: InputError[] = [];
    // Batch results are merged as soon as they are back (in order), not held until the file ends:
    // with a listing cap, memory then stays bounded however many findings the file has.
    const batches = new ReportBuilder(engine, keep);
    let batchesMerged = Promise.resolve();
    let base = 0;
    let encoding = false;
    const flush = () => {
      // Once this file's listing is full, later batches send counts only, no findings.
      const task = writer.take(file, listingFull(batches) ? 0 : undefined);
      if (!task) return;
      const result = track(pool.run(task).catch((e: unknown) => uncheckedBatch(e, task, engine, limits, keep)));
      batchesMerged = batchesMerged.then(async () => {
        const { partial, used } = await result;
        // Each batch reports bad UTF-8 once; the file reports it once.
        const inputErrors = partial.inputErrors.filter((e) => e.code !== "ENCODING" || (!encoding && (encoding = true)));
        batches.mergeRecords({ ...partial, inputErrors }, base);
        base += used;
        options.onProgress?.({ files, records: partial.records });
      });
      batchesMerged.catch(() => undefined); // awaited (and failing) in merge order
    };
    const writer = new BatchWriter((min) => pool.spares.take(min), flush);
    const reader = new RecordReader(file, { record: (r) => local.record(file, r), error: (e) => errors.push(e) }, limits, writer);
    const failure = await streamInto(file, reader, options.stdin, room);
    flush();
    if (failure) errors.push(failure);
    push({ kind: "split", merged: batchesMerged, batches, used: () => base, errors, local: local.partial(file) });
  }
  await merged;
}

/**
 * A batch that no worker checked: here, if its bytes are still here (no worker was left to take
 * it); if they went with a worker that stopped, each of its records is an input error (fail closed).
 */
function uncheckedBatch(e: unknown, task: BatchTask, engine: Engine, limits: ParseLimits, keep: Keep): { partial: FilePartial; used: number } {
  if (!(e instanceof WorkerLostError)) throw e;
  if (task.buffer.byteLength > 0) return checkUnits(task.file, unpackBatch(task), engine, limits, taskKeep(keep, task));
  const builder = new ReportBuilder(engine, taskKeep(keep, task));
  const places = unitPlaces(task);
  places.forEach((where, record) => builder.inputError(new InputError("INTERNAL", task.file, `record not checked: ${e.message} with it and the rest of its batch (${places.length} records) in hand; --concurrency off checks without workers`, { record, ...where })));
  return { partial: builder.partial(task.file), used: places.length };
}

/** Parses and checks units cut out of `file` by another reader (a batch of a split file). */
export function checkUnits(file: string, units: Iterable<Unit>, engine: Engine, limits: ParseLimits, keep: Keep): { partial: FilePartial; used: number } {
  const builder = new ReportBuilder(engine, keep);
  const reader = new RecordReader(file, { record: (r) => builder.record(file, r), error: (e) => builder.inputError(e) }, limits);
  for (const unit of units) reader.decode(unit);
  return { partial: builder.partial(file), used: reader.indexesUsed };
}

/**
 * Reads and checks one file (or '-') with `engine`, streaming: memory stays bounded by one record.
 * `source`: the same file, its reading already begun by readAhead.
 */
export async function checkFile(file: string, engine: Engine, limits: ParseLimits, stdin?: NodeJS.ReadableStream, keep: Keep = KEEP_ALL, source?: ReadAhead): Promise<FilePartial> {
  const builder = new ReportBuilder(engine, keep);
  const reader = new RecordReader(file, { record: (r) => builder.record(file, r), error: (e) => builder.inputError(e) }, limits);
  const failure = await (source ? source.into(reader) : streamInto(file, reader, stdin));
  if (failure) builder.inputError(failure);
  return builder.partial(file);
}

/** Reads and checks files, directories and '-' (stdin). Input problems become report entries, never exceptions. */
export async function checkPaths(paths: readonly string[], options: CheckOptions = {}): Promise<Report> {
  validateCheckOptions(options);
  return (await checkPathsDetailed(paths, options)).report;
}

/** The entries `filter` lets through (input errors and '-' always). */
async function* selected(entries: AsyncIterable<SourceEntry>, filter: CheckOptions["filter"]): AsyncGenerator<SourceEntry> {
  for await (const entry of entries) if (!filter || "error" in entry || entry.file === STDIN || filter(entry.file)) yield entry;
}

/** `first`, then the rest of `rest`. */
async function* concat<T>(first: readonly T[], rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield* first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/**
 * checkPaths, plus the records seen when `collectRecords` is set (for JUnit): listed up to the
 * listing cap, and past it counted per file in `recordsNotListed`.
 */
export async function checkPathsDetailed(
  paths: readonly string[],
  options: CheckOptions & { collectRecords?: boolean } = {},
): Promise<{ report: Report; records: RecordSeen[]; recordsNotListed: RecordsNotListed }> {
  validateCheckOptions(options);
  const engine = engineFor(options);
  const collect = options.collectRecords === true;
  const cap = options.maxFindings ? options.maxFindings : undefined;
  // With a baseline, each file lists every finding: they are matched, and capped, as files merge.
  const keep: Keep = { collect, maxFindings: options.baseline ? undefined : cap };
  const builder = new ReportBuilder(engine, { collect, maxFindings: cap }, options.baseline);
  const result = () => ({ report: builder.report(), records: builder.seen ?? [], recordsNotListed: builder.seenNotListed });
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // Entries stream from the directory walk (a million files are never listed whole); the first
  // ones, read ahead to decide on workers, come back in `ahead`.
  const walk = selected(expandPaths(paths), options.filter)[Symbol.asyncIterator]();
  const { workers, ahead } = await planWorkers(options.concurrency ?? "auto", walk, options.splitFileBytes);
  const entries = concat(ahead, walk);
  if (workers > 1) {
    const pool = new WorkerPool(engine, limits, workers, keep);
    try {
      await checkWithPool(entries, pool, engine, limits, builder, options, keep);
    } finally {
      await pool.close();
    }
    return result();
  }
  let done = 0;
  // The next file is opened and its first chunk read while this one is checked; stdin is read in its turn.
  for await (const [entry, source] of readingAhead(entries, (e) => ("file" in e && e.file !== STDIN ? e.file : undefined))) {
    if ("error" in entry) builder.inputError(entry.error);
    else {
      const partial = await checkFile(entry.file, engine, limits, options.stdin, keep, source);
      builder.merge(partial);
      options.onProgress?.({ files: ++done, records: partial.records });
    }
  }
  return result();
}
