/** A worker thread: compiles the engine it is given once, then checks the files it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import { checkFile } from "../check.js";
import { createEngine, type SeveritySetting } from "../engine/engine.js";
import type { WorkerInit } from "./pool.js";

const init = workerData as WorkerInit;
const engine = createEngine({ profile: init.profile, rules: { rules: init.rules }, severities: init.severities as Record<string, SeveritySetting> });
let queue = Promise.resolve();

parentPort!.on("message", (m: { id: number; file: string }) => {
  // One file at a time, in the order received.
  queue = queue.then(async () => {
    try {
      parentPort!.postMessage({ id: m.id, partial: await checkFile(m.file, engine, init.limits, undefined, init.collect) });
    } catch (e) {
      parentPort!.postMessage({ id: m.id, error: (e as Error).message });
    }
  });
});
