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
import type { FilePartial } from "../check.js";
import type { ParseLimits } from "../readers/parse.js";
import type { Unit } from "../readers/reader.js";
import type { LoadedRule } from "../rules/load.js";

export type Concurrency = "auto" | "off" | number;

/** Below this much input, starting workers (each compiles its engine) costs more than it saves. */
const AUTO_MIN_BYTES = 8 * 1024 * 1024;
/**
 * A single file at least this big (uncompressed, estimated) is split across workers by record
 * batches. Smaller ones go whole to one worker: below this, starting and feeding workers costs more
 * than it saves (a 20 MB file took 1.4 s split, 1.0 s whole, on 2 cores).
 */
export const SPLIT_FILE_BYTES = 64 * 1024 * 1024;
const BATCH_BYTES = 1 << 20;

export interface WorkerInit {
  readonly profile: Engine["profile"];
  readonly rules: LoadedRule[];
  readonly severities: Record<string, string>;
  readonly limits: ParseLimits;
  readonly collect: boolean;
}

/** A unit without its bytes: where they are in the batch buffer. */
export type UnitMeta =
  | { readonly type: "piece"; readonly start: number; readonly end: number; readonly piece: Omit<Extract<Unit, { type: "piece" }>["piece"], "text"> }
  | { readonly type: "line"; readonly start: number; readonly end: number; readonly line: number; readonly offset: number; readonly cutOff: boolean };

export type Task = { type: "file"; file: string } | { type: "batch"; file: string; buffer: ArrayBuffer; units: UnitMeta[] };
export type Reply = { id: number; partial: FilePartial; used: number } | { id: number; error: string };

/** Uncompressed size, estimated: compressed trail files expand about eightfold. */
export async function estimatedSize(file: string): Promise<number> {
  return (await stat(file).then((s) => s.size, () => 0)) * (file.endsWith(".gz") ? 8 : 1);
}

export async function workerCount(setting: Concurrency, files: readonly string[], splitFileBytes = SPLIT_FILE_BYTES): Promise<number> {
  if (setting === "off" || files.length === 0) return 1;
  const cores = availableParallelism();
  if (typeof setting === "number") return Math.max(1, setting);
  // One file that will not be split gains nothing from workers, only their start-up.
  if (files.length === 1 && (await estimatedSize(files[0]!)) < splitFileBytes) return 1;
  let bytes = 0;
  for (const f of files) {
    bytes += await stat(f).then((s) => s.size, () => 0);
    if (bytes >= AUTO_MIN_BYTES) return cores;
  }
  return 1;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: { partial: FilePartial; used: number }) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private turn = 0;

  constructor(engine: Engine, limits: ParseLimits, count: number, collect: boolean) {
    const init: WorkerInit = {
      profile: engine.profile,
      rules: engine.rules.map((c) => c.rule),
      severities: Object.fromEntries(engine.rules.map((c) => [c.rule.id, c.severity])),
      limits,
      collect,
    };
    for (let k = 0; k < count; k++) {
      const w = new Worker(new URL("./worker.js", import.meta.url), { workerData: init });
      w.on("message", (m: Reply) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if ("error" in m) p.reject(new Error(m.error));
        else p.resolve({ partial: m.partial, used: m.used });
      });
      w.on("error", (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  run(task: Task): Promise<{ partial: FilePartial; used: number }> {
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, task }, task.type === "batch" ? [task.buffer] : []);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Packs cut-out units into one transferable buffer with their metadata. */
export function packBatch(file: string, units: readonly Unit[]): Task {
  const parts = units.map((u) => (u.type === "piece" ? u.piece.text : u.raw));
  const total = parts.reduce((n, b) => n + b.length, 0);
  const buffer = new ArrayBuffer(total);
  const view = new Uint8Array(buffer);
  let at = 0;
  const metas: UnitMeta[] = units.map((u, i) => {
    const bytes = parts[i]!;
    view.set(bytes, at);
    const start = at;
    at += bytes.length;
    if (u.type === "piece") {
      const { text: _text, ...piece } = u.piece;
      return { type: "piece", start, end: at, piece };
    }
    return { type: "line", start, end: at, line: u.line, offset: u.offset, cutOff: u.cutOff };
  });
  return { type: "batch", file, buffer, units: metas };
}

export function unpackBatch(task: Extract<Task, { type: "batch" }>): Unit[] {
  const all = Buffer.from(task.buffer);
  return task.units.map((m) => {
    const bytes = all.subarray(m.start, m.end);
    return m.type === "piece" ? { type: "piece", piece: { ...m.piece, text: bytes } as Extract<Unit, { type: "piece" }>["piece"] } : { type: "line", raw: bytes, line: m.line, offset: m.offset, cutOff: m.cutOff };
  });
}

export const BATCH_LIMIT_BYTES = BATCH_BYTES;
