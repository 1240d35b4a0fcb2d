// Build step (after tsc and precompile): the CLI in dist/bundle/. Loading ~40 modules one by one cost the
// pre-commit case 20-40 ms, and compiling them ~30 ms more. So the CLI's code is one CommonJS file (run.cjs), run
// by a small loader with V8's code cache (scripts/code-cache.mjs; Node 20 gives ES modules no code cache),
// and its worker is one ES module. The entry (main.js) stays small: `--version` loads nothing else.
// Assets (schemas/, rules/, dist/precompiled/) are still found from the bundle's location, and the dependencies
// loaded with createRequire (yaml) stay outside it. The library (dist/src) is not bundled.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = new URL("..", import.meta.url);
const at = (path) => fileURLToPath(new URL(path, root));
const shared = { bundle: true, platform: "node", target: "node20", logLevel: "warning", legalComments: "none" };
rmSync(at("dist/bundle"), { recursive: true, force: true });
mkdirSync(at("dist/bundle"));
await Promise.all([
  // In CommonJS, import.meta.url is the bundle's own URL (what each module's was, bundled as an ES module).
  build({ ...shared, format: "cjs", entryPoints: [at("dist/src/cli/run.js")], outfile: at("dist/bundle/run.cjs"), define: { "import.meta.url": "__bundleUrl" }, banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' } }),
  // The worker must sit beside the CLI: the pool starts it as new URL("./worker.js", import.meta.url).
  build({ ...shared, format: "esm", entryPoints: [at("dist/src/parallel/worker.js")], outfile: at("dist/bundle/worker.js") }),
]);
copyFileSync(at("dist/src/code-cache.js"), at("dist/bundle/code-cache.js"));
writeFileSync(at("dist/bundle/run.js"), 'import { fileURLToPath } from "node:url";\nimport { runCommonJs } from "./code-cache.js";\nexport const { run } = runCommonJs(fileURLToPath(new URL("./run.cjs", import.meta.url))).exports;\n');
// (Without its source-map comment: the map stays beside the unbundled file.)
writeFileSync(at("dist/bundle/main.js"), readFileSync(at("dist/src/cli/main.js"), "utf8").replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n"));
chmodSync(at("dist/bundle/main.js"), 0o755);

console.log("bundled the CLI and its worker into dist/bundle/");
