/**
 * Worker threads. Each worker builds the same engine once. Work is either a whole file (many
 * files), or a batch of records cut out of one big file by the main thread (the main thread only
 * decompresses and cuts; workers parse and check). Results are merged in input order, so the
 * report is the same as a single-threaded run's.
 */
import { availableParallelism } from "node:os";
import { stat } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import type { Engine } from "../engine/engine.js";
import { WorkerLostError } from "../errors.js";
import type { FilePartial, Keep } from "../check.js";
import type { ParseLimits } from "../readers/parse.js";
import type { Unit, UnitSink } from "../readers/reader.js";
import { STREAM_KEY, type PieceKind } from "../readers/splitter.js";
import type { LoadedRule } from "../rules/load.js";
import { STDIN, type SourceEntry } from "../readers/sources.js";

export type Concurrency = "auto" | "off" | number;

/** Below this much input, starting workers (each compiles its engine) costs more than it saves. */
const AUTO_MIN_BYTES = 8 * 1024 * 1024;
/**
 * A single file at least this big (uncompressed, estimated) is split across workers by record
 * batches. Smaller ones go whole to one worker: below this, starting and feeding workers costs as
 * much as it saves (a 20 MB file in one process: 0.58-0.67 s whole, 0.76-0.84 s split across two
 * workers; a worker takes ~0.1 s to its first reply).
 */
export const SPLIT_FILE_BYTES = 64 * 1024 * 1024;
/**
 * Bytes of records per batch. Small batches keep each worker's garbage small; with compact
 * metadata (below) 256 KiB, 512 KiB and 1 MiB ran equally fast on the 300 MB gzipped file
 * (~165-175 MB peak RSS); before, objects per record made 1 MiB batches peak at ~290 MB.
 */
const BATCH_BYTES = 256 * 1024;
/**
 * Each worker's young generation (V8 makes two thirds of it the new space: 16 MB). V8's default let
 * a busy worker's new space grow to 32 MB; this saves ~30 MB of peak RSS on a split file with two
 * workers, at no measurable cost in speed. (8 MB was slower; 16 MB measured the same as 24.)
 */
const WORKER_YOUNG_MB = 24;
/**
 * Each worker's old generation cap, in MB. Not to bound a worker (a record needs a small part of it)
 * but because V8 then grows a heap by smaller steps: with no cap (here ~4 GB), a worker checking
 * back-to-back 8 MB records let garbage reach ~110 MB before collecting it; with a cap of 1 GB or
 * less, ~45 MB (the process: 329-375 MB peak RSS before, 285 MB after; 2 GB behaved as no cap).
 * 32 times the record size limit when that is more. A worker that runs out all the same is not
 * replaced: its whole files are checked on the main thread, and the records of a split file's batch
 * in its hands are reported as not checked (WorkerLostError, see checkWithPool).
 */
export function workerHeapMB(limits: ParseLimits): number {
  // For tests of a worker running out of memory (as TRAILPROOF_NO_PRECOMPILED, not a setting).
  const forced = Number(process.env["TRAILPROOF_WORKER_HEAP_MB"]);
  if (forced > 0) return forced;
  return Math.max(1024, Math.ceil((32 * limits.maxRecordBytes) / 2 ** 20));
}
/** Tasks queued per worker before the main thread waits: enough that a worker never waits for the next. */
const TASKS_PER_WORKER = 3;
/** Batch buffers come back from the workers and are reused (fresh memory is slow to fault in). */
const SPARE_BUFFERS = 16;
/** A batch is cut just after it reaches BATCH_BYTES, so it holds up to one record more. */
const BUFFER_BYTES = 2 * BATCH_BYTES;

export interface WorkerInit {
  readonly profile: Engine["profile"];
  readonly rules: LoadedRule[];
  readonly severities: Record<string, string>;
  readonly limits: ParseLimits;
  readonly keep: Keep;
}

/**
 * Units travel without objects: per unit, META_SLOTS numbers in one transferred Float64Array
 * (structured-cloning an object per record cost the main thread and each worker ~0.3 ms a batch).
 * Slots: kind, start, end (in the batch buffer), offset, line, column, doc or cutOff, array index.
 */
const META_SLOTS = 8;
const KINDS = ["record", "lookup", "value", "line", "oversized"] as const;
const NO_HEAD: readonly Buffer[] = [];

/** `maxFindings` of a batch: how many findings it lists, when fewer than the run's (0: none, counts only). */
export type Task = { type: "file"; file: string; maxFindings?: number } | BatchTask;
export type BatchTask = { type: "batch"; file: string; buffer: ArrayBuffer; meta: Float64Array; maxFindings?: number };
/** `buffer`: a batch's buffer handed back for reuse once its records are checked. */
export type Reply = { id: number; partial: FilePartial; used: number; buffer?: ArrayBuffer } | { id: number; error: string };

/** Uncompressed size, estimated: compressed trail files expand about eightfold. */
export async function estimatedSize(file: string): Promise<number> {
  return (await stat(file).then((s) => s.size, () => 0)) * (file.endsWith(".gz") ? 8 : 1);
}

/**
 * How many workers (1: none) a run takes, decided on its first entries: they are read ahead until
 * their files pass AUTO_MIN_BYTES or run out, and handed back in `ahead` to be checked first. A
 * directory of a million files is never listed whole (the list held ~360 bytes a file: 200,000
 * files peaked at ~300 MB before a file was checked).
 */
export async function planWorkers(setting: Concurrency, entries: AsyncIterator<SourceEntry>, splitFileBytes = SPLIT_FILE_BYTES): Promise<{ workers: number; ahead: SourceEntry[] }> {
  const ahead: SourceEntry[] = [];
  if (setting === "off") return { workers: 1, ahead };
  const cores = availableParallelism();
  let files = 0;
  let bytes = 0;
  let first = "";
  // Read ahead until the count is decided: a file for a number; for auto, two files and enough bytes.
  while (typeof setting === "number" ? files === 0 : files < 2 || bytes < AUTO_MIN_BYTES) {
    const next = await entries.next();
    if (next.done) break;
    ahead.push(next.value);
    if (!("file" in next.value) || next.value.file === STDIN) continue;
    if (files++ === 0) first = next.value.file;
    if (setting === "auto") bytes += await stat(next.value.file).then((s) => s.size, () => 0);
  }
  if (files === 0) return { workers: 1, ahead };
  if (typeof setting === "number") return { workers: Math.max(1, setting), ahead };
  // One file that will not be split gains nothing from workers, only their start-up.
  if (files === 1 && (await estimatedSize(first)) < splitFileBytes) return { workers: 1, ahead };
  return { workers: bytes >= AUTO_MIN_BYTES ? cores : 1, ahead };
}

/**
 * Whether `workers` workers holding `tasks` tasks with `bytes` bytes of batches have enough queued:
 * TASKS_PER_WORKER tasks each, or, with at least one each, as many bytes as that many usual
 * batches could hold. Records of several MB are each a batch of their own: three 8 MB batches
 * queued per worker kept ~50 MB of buffers in flight. ~300 MB of records of 4 / 8 / 16 MB, two
 * workers, peak RSS: 200-203 / 258-279 / 396-418 -> 158-159 / 211-231 / 310-320 MB, as fast.
 */
export function queueFull(workers: number, tasks: number, bytes: number): boolean {
  return tasks >= workers * TASKS_PER_WORKER || (tasks >= workers && bytes >= workers * TASKS_PER_WORKER * BUFFER_BYTES);
}

/**
 * Batch buffers back from the workers, for the next batches (fresh memory is slow to fault in
 * here): up to SPARE_BUFFERS of the usual size, and the biggest of the others (a big record's
 * batch): records of several MB back to back then reuse it instead of leaving one buffer of their
 * size behind each (~300 MB of 16 MB records, two workers: 2.8-2.9 -> 2.6-2.7 s, 284-296 -> 267-271 MB).
 */
export class SpareBuffers {
  private readonly usual: ArrayBuffer[] = [];
  private big: ArrayBuffer | undefined;

  /** A buffer of at least `min` bytes (the usual size when that is enough): a spare one when there is one. */
  take(min = BUFFER_BYTES): ArrayBuffer {
    if (min <= BUFFER_BYTES) return this.usual.pop() ?? new ArrayBuffer(BUFFER_BYTES);
    const big = this.big;
    if (big && big.byteLength >= min) {
      this.big = undefined;
      return big;
    }
    return new ArrayBuffer(min);
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === BUFFER_BYTES) {
      if (this.usual.length < SPARE_BUFFERS) this.usual.push(buffer);
    } else if (buffer.byteLength > BUFFER_BYTES && (!this.big || buffer.byteLength > this.big.byteLength)) this.big = buffer;
  }
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  /** Workers that have not stopped (a worker that stops is not replaced). */
  private readonly alive: boolean[] = [];
  private readonly pending = new Map<number, { resolve: (r: { partial: FilePartial; used: number }) => void; reject: (e: Error) => void; worker: number; bytes: number }>();
  /** Bytes of the batches in the workers' hands (whole-file tasks carry none). */
  private bytesInFlight = 0;
  /** Tasks sent to each worker and not answered yet. */
  private readonly load: number[] = [];
  private nextId = 0;
  private turn = 0;
  private closing = false;
  /** Batch buffers back from the workers. */
  readonly spares = new SpareBuffers();

  constructor(engine: Engine, limits: ParseLimits, count: number, keep: Keep) {
    const heapMB = workerHeapMB(limits);
    const init: WorkerInit = {
      profile: engine.profile,
      rules: engine.rules.map((c) => c.rule),
      severities: Object.fromEntries(engine.rules.map((c) => [c.rule.id, c.severity])),
      limits,
      keep,
    };
    for (let k = 0; k < count; k++) {
      const w = new Worker(new URL("./worker.js", import.meta.url), { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB, maxOldGenerationSizeMb: heapMB } });
      w.on("message", (m: Reply) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.settled(m.id, p);
        if ("buffer" in m && m.buffer) this.spares.give(m.buffer);
        if ("error" in m) p.reject(new Error(m.error));
        else p.resolve({ partial: m.partial, used: m.used });
      });
      // 'error' (out of memory, an uncaught exception) comes before 'exit'; either way the worker is gone.
      let why: string | undefined;
      w.on("error", (e: Error & { code?: string }) => void (why ??= e.code === "ERR_WORKER_OUT_OF_MEMORY" ? "out of memory" : e.message));
      w.on("exit", (code) => this.lost(k, why ?? `exit code ${code}`));
      this.workers.push(w);
      this.alive.push(true);
      this.load.push(0);
    }
  }

  /** Workers still running. */
  get size(): number {
    return this.alive.filter(Boolean).length;
  }

  /** True when the main thread should wait for a task to come back before it sends more (see queueFull). */
  get busy(): boolean {
    return queueFull(this.size, this.pending.size, this.bytesInFlight);
  }

  run(task: Task): Promise<{ partial: FilePartial; used: number }> {
    // The least busy worker still running (ties in turn): a slow task does not hold up the tasks behind it.
    let k = -1;
    for (let j = 0, start = this.turn++; j < this.workers.length; j++) {
      const c = (start + j) % this.workers.length;
      if (this.alive[c] && (k < 0 || this.load[c]! < this.load[k]!)) k = c;
    }
    if (k < 0) return Promise.reject(new WorkerLostError("no worker thread left"));
    const id = this.nextId++;
    this.load[k]!++;
    // Counted before the buffer is transferred (it reads as empty here after).
    const bytes = task.type === "batch" ? task.buffer.byteLength : 0;
    this.bytesInFlight += bytes;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: k, bytes });
      // The metadata is copied, not moved: a batch lost with its worker is still described by it.
      this.workers[k]!.postMessage({ id, task }, task.type === "batch" ? [task.buffer] : []);
    });
  }

  /** Worker k stopped: the tasks it had are rejected (their callers check them elsewhere), no more are sent to it. */
  private lost(k: number, why: string): void {
    this.alive[k] = false;
    if (this.closing) return;
    for (const [id, p] of this.pending) {
      if (p.worker !== k) continue;
      this.settled(id, p);
      p.reject(new WorkerLostError(`a worker thread stopped (${why})`));
    }
  }

  /** Task `id` is back (or lost with its worker): no longer counted in flight. */
  private settled(id: number, p: { worker: number; bytes: number }): void {
    this.pending.delete(id);
    this.load[p.worker]!--;
    this.bytesInFlight -= p.bytes;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Writes units as a cutting reader hands them out straight into a batch: their bytes into one
 * transferable buffer, their metadata into numbers. No object per record is made on the main
 * thread (with a Piece, a Unit and a Buffer view per record, its heap reached ~42 MB on a 300 MB
 * gzipped file; ~25 MB without them).
 */
export class BatchWriter implements UnitSink {
  /** The batch's buffer, taken when its first unit comes. */
  private view = new Uint8Array(0);
  private meta = new Float64Array(64 * META_SLOTS);
  private units = 0;
  private at = 0;

  /** `fresh(min)` gives a buffer of at least `min` bytes; `full` is called after a unit that brings the batch to `batchBytes` or more. */
  constructor(
    private readonly fresh: (min: number) => ArrayBuffer,
    private readonly full: () => void,
    private readonly batchBytes = BATCH_BYTES,
  ) {}

  piece(kind: PieceKind, head: readonly Buffer[], chunk: Buffer, start: number, end: number, offset: number, line: number, column: number, index: number, doc: number): void {
    let size = end - start;
    for (const h of head) size += h.length;
    const m = this.begin(size);
    for (const h of head) {
      this.view.set(h, this.at);
      this.at += h.length;
    }
    if (end > start) this.view.set(chunk.subarray(start, end), this.at);
    this.at += end - start;
    this.end(m, KINDS.indexOf(kind), offset, line, column, kind === "value" ? doc : 0, index);
  }

  /**
   * A piece gathered across chunks in the splitter's buffer: a big one (a batch's worth or more) becomes a
   * batch of its own in that very buffer, which the batch keeps (no copy; the splitter takes a spare for
   * the next). A smaller one is copied, as by `piece`.
   */
  pieceHeld(kind: PieceKind, bytes: Buffer, offset: number, line: number, column: number, index: number, doc: number): boolean {
    if (!this.adopt(bytes, bytes.length)) {
      this.piece(kind, NO_HEAD, bytes, 0, bytes.length, offset, line, column, index, doc);
      return false;
    }
    this.end(0, KINDS.indexOf(kind), offset, line, column, kind === "value" ? doc : 0, index);
    return true;
  }

  /** A line gathered across chunks in the reader's buffer, buf[0, end): as pieceHeld. */
  lineHeld(buf: Buffer, end: number, line: number, offset: number, cutOff: boolean): boolean {
    if (!this.adopt(buf, end)) {
      this.line(buf, 0, end, line, offset, cutOff);
      return false;
    }
    this.end(0, KINDS.indexOf("line"), offset, line, 0, cutOff ? 1 : 0, 0);
    return true;
  }

  /**
   * Makes buf's whole buffer, holding one unit of `size` bytes at its start, the batch (what was pending goes
   * out first), when the unit is a batch's worth or more. The unit's metadata slot (0) is left to `end`.
   */
  private adopt(buf: Buffer, size: number): boolean {
    if (size < this.batchBytes || buf.byteOffset !== 0) return false;
    if (this.units > 0) this.full();
    if (this.units > 0) return false; // (a `full` that did not take the batch: the unit joins it as a copy)
    this.view = new Uint8Array(buf.buffer as ArrayBuffer);
    this.units = 1;
    this.at = size;
    this.meta[1] = 0;
    return true;
  }

  /** A buffer for the splitter to gather pieces in (see pieceHeld). */
  spare(min: number): ArrayBuffer {
    return this.fresh(min);
  }

  line(buf: Buffer, start: number, end: number, line: number, offset: number, cutOff: boolean): void {
    const m = this.begin(end - start);
    this.view.set(buf.subarray(start, end), this.at);
    this.at += end - start;
    this.end(m, KINDS.indexOf("line"), offset, line, 0, cutOff ? 1 : 0, 0);
  }

  /** A record over the size limit: no bytes, its size where a line's cutOff goes. */
  oversized(_kind: PieceKind, bytes: number, offset: number, line: number): void {
    const m = this.begin(0);
    this.end(m, KINDS.indexOf("oversized"), offset, line, 0, bytes, 0);
  }

  /** The batch written so far as a task (undefined when empty); the writer starts a new one. */
  take(file: string, maxFindings?: number): BatchTask | undefined {
    if (this.units === 0) return undefined;
    const task: BatchTask = { type: "batch", file, buffer: this.view.buffer as ArrayBuffer, meta: this.meta.slice(0, this.units * META_SLOTS), ...(maxFindings !== undefined ? { maxFindings } : {}) };
    this.view = new Uint8Array(0);
    this.units = 0;
    this.at = 0;
    return task;
  }

  /** The rest of a unit's metadata slot (its bytes are written up to `at`); a full batch goes out. */
  private end(m: number, kind: number, offset: number, line: number, column: number, extra: number, index: number): void {
    const meta = this.meta;
    meta[m] = kind;
    meta[m + 2] = this.at;
    meta[m + 3] = offset;
    meta[m + 4] = line;
    meta[m + 5] = column;
    meta[m + 6] = extra;
    meta[m + 7] = index;
    if (this.at >= this.batchBytes) this.full();
  }

  /** Room for one more unit of `size` bytes; returns its metadata slot (start written). */
  private begin(size: number): number {
    if (this.units === 0) this.view = new Uint8Array(this.fresh(size));
    if (this.at + size > this.view.length) {
      // A record bigger than the buffer's room: this batch gets a bigger buffer (a spare one if big enough).
      const bigger = new Uint8Array(this.fresh(Math.max(2 * this.view.length, this.at + size)));
      bigger.set(this.view.subarray(0, this.at));
      this.view = bigger;
    }
    const m = this.units++ * META_SLOTS;
    if (m + META_SLOTS > this.meta.length) {
      const more = new Float64Array(2 * this.meta.length);
      more.set(this.meta);
      this.meta = more;
    }
    this.meta[m + 1] = this.at;
    return m;
  }
}

/** Where each unit of a batch starts in its file (what is known of a batch lost with its worker). */
export function unitPlaces(task: BatchTask): Array<{ line: number; offset: number }> {
  const places: Array<{ line: number; offset: number }> = [];
  for (let m = 0; m < task.meta.length; m += META_SLOTS) places.push({ offset: task.meta[m + 3]!, line: task.meta[m + 4]! });
  return places;
}

export function unpackBatch(task: BatchTask): Unit[] {
  const all = Buffer.from(task.buffer);
  const meta = task.meta;
  const units: Unit[] = [];
  for (let m = 0; m < meta.length; m += META_SLOTS) {
    const kind = KINDS[meta[m]!]!;
    const text = all.subarray(meta[m + 1]!, meta[m + 2]!);
    const [offset, line, column, extra, index] = [meta[m + 3]!, meta[m + 4]!, meta[m + 5]!, meta[m + 6]!, meta[m + 7]!];
    if (kind === "line") units.push({ type: "line", raw: text, line, offset, cutOff: extra === 1 });
    else if (kind === "oversized") units.push({ type: "oversized", bytes: extra, line, offset });
    else if (kind === "value") units.push({ type: "piece", piece: { kind, text, at: index < 0 ? [] : [index], offset, line, column, doc: extra } });
    else units.push({ type: "piece", piece: { kind, text, at: [STREAM_KEY[kind], index], offset, line, column } });
  }
  return units;
}

