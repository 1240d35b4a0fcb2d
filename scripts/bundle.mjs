// Build step (after tsc and precompile): the CLI and its worker as one ES module each, in dist/bundle/.
// Loading ~40 modules one by one cost the pre-commit case ~40 ms of its ~0.25-0.3 s (resolution,
// reading, linking); one file per thread starts faster. The library (dist/src) stays unbundled.
// Assets (schemas/, rules/, dist/precompiled/) are still found from the bundle's location, and the
// dependencies loaded with createRequire (ajv's runtime, yaml) stay outside it.
import { chmodSync, copyFileSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("..", import.meta.url);
const shared = { bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning", legalComments: "none" };
await Promise.all([
  // The worker must sit beside the CLI: the pool starts it as new URL("./worker.js", import.meta.url).
  build({ ...shared, entryPoints: [new URL("dist/src/cli/run.js", root).pathname], outfile: new URL("dist/bundle/run.js", root).pathname }),
  build({ ...shared, entryPoints: [new URL("dist/src/parallel/worker.js", root).pathname], outfile: new URL("dist/bundle/worker.js", root).pathname }),
]);
// The entry stays the small unbundled main.js (it imports ./run.js): `--version` then parses nothing else.
copyFileSync(new URL("dist/src/cli/main.js", root), new URL("dist/bundle/main.js", root));
chmodSync(new URL("dist/bundle/main.js", root), 0o755);
console.log("bundled the CLI and its worker into dist/bundle/");
