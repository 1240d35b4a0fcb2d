/** A worker thread: compiles the engine it is given once, then checks whole files or batches of records. */
import { parentPort, workerData } from "node:worker_threads";
import { checkFile, checkUnits, taskKeep } from "../check.js";
import { createEngine, type SeveritySetting } from "../engine/engine.js";
import { readAhead } from "../readers/stream.js";
import { unpackBatch, type Task, type WorkerInit } from "./pool.js";

const init = workerData as WorkerInit;
const engine = createEngine({ profile: init.profile, rules: { rules: init.rules }, severities: init.severities as Record<string, SeveritySetting> });
let queue = Promise.resolve();

parentPort!.on("message", (m: { id: number; task: Task }) => {
  // A file's reading begins as it arrives (opened, its first chunk read), while the tasks before it
  // are checked: for small files, opening and reading (each a turn on libuv's pool) were much of a
  // worker's time. 200,000 one-record files: 72 -> 59 s; the bench trail 5.3-5.8 -> 4.8-5.0 s, peak
  // RSS 134-140 -> 140-146 MB. (About three tasks wait per worker: so many files at most.)
  const source = m.task.type === "file" ? readAhead(m.task.file) : undefined;
  // One task at a time, in the order received.
  queue = queue.then(async () => {
    try {
      const keep = taskKeep(init.keep, m.task);
      if (m.task.type === "file") {
        parentPort!.postMessage({ id: m.id, partial: await checkFile(m.task.file, engine, init.limits, undefined, keep, source), used: 0 });
        return;
      }
      const { partial, used } = checkUnits(m.task.file, unpackBatch(m.task), engine, init.limits, keep);
      // Every record is decoded into its own strings by now: the bytes go back for reuse.
      const buffer = m.task.buffer;
      parentPort!.postMessage({ id: m.id, partial, used, buffer }, [buffer]);
    } catch (e) {
      parentPort!.postMessage({ id: m.id, error: (e as Error).message });
    }
  });
});
