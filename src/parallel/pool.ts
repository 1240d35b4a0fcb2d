/** Worker threads across files. Each worker builds the same engine once and checks whole files. */
import { availableParallelism } from "node:os";
import { stat } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import type { Engine } from "../engine/engine.js";
import type { FilePartial } from "../check.js";
import type { ParseLimits } from "../readers/parse.js";
import type { LoadedRule } from "../rules/load.js";

export type Concurrency = "auto" | "off" | number;

/** Below this much input, starting workers (each compiles its engine) costs more than it saves. */
const AUTO_MIN_BYTES = 8 * 1024 * 1024;

export interface WorkerInit {
  readonly profile: Engine["profile"];
  readonly rules: LoadedRule[];
  readonly severities: Record<string, string>;
  readonly limits: ParseLimits;
  readonly collect: boolean;
}

export async function workerCount(setting: Concurrency, files: readonly string[]): Promise<number> {
  if (setting === "off" || files.length < 2) return 1;
  const cores = availableParallelism();
  if (typeof setting === "number") return Math.max(1, Math.min(setting, files.length));
  let bytes = 0;
  for (const f of files) {
    bytes += await stat(f).then((s) => s.size, () => 0);
    if (bytes >= AUTO_MIN_BYTES) return Math.min(cores, files.length);
  }
  return 1;
}

/** Checks `files` on `count` workers; the result array is in the order of `files`. */
export async function checkInWorkers(files: readonly string[], engine: Engine, limits: ParseLimits, count: number, onProgress?: (p: { files: number; records: number }) => void, collect = false): Promise<FilePartial[]> {
  const init: WorkerInit = {
    profile: engine.profile,
    rules: engine.rules.map((c) => c.rule),
    severities: Object.fromEntries(engine.rules.map((c) => [c.rule.id, c.severity])),
    limits,
    collect,
  };
  const results: FilePartial[] = new Array(files.length);
  let nextFile = 0;
  let finished = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (nextFile < files.length) {
          const id = nextFile++;
          w.postMessage({ id, file: files[id] });
        }
      };
      for (let k = 0; k < count; k++) {
        const w = new Worker(new URL("./worker.js", import.meta.url), { workerData: init });
        workers.push(w);
        w.on("message", (m: { id: number; partial?: FilePartial; error?: string }) => {
          if (m.error !== undefined) return reject(new Error(`worker failed on ${files[m.id]}: ${m.error}`));
          results[m.id] = m.partial!;
          finished++;
          onProgress?.({ files: finished, records: m.partial!.records });
          if (finished === files.length) resolve();
          else feed(w);
        });
        w.on("error", reject);
        // Two files in flight per worker keep it busy while the main thread merges.
        feed(w);
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
