// Build step (after tsc): makes the unbundled CLI executable, and writes Ajv standalone validators for the bundled
// schemas (one file with Ajv's runtime; its V8 code cache is scripts/code-cache.mjs's), and the built-in rule packs parsed and validated
// once, into dist/precompiled/. Both carry a hash of their sources and are ignored at run time when the sources
// changed, so they can never go stale silently.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
const require = createRequire(import.meta.url);
const standaloneCode = require("ajv/dist/standalone").default;
const { build } = await import("esbuild");
const { createAjv, bundledSchemas, PRECOMPILED_DIR, PRECOMPILED_VALIDATORS, SCHEMA_IDS } = await import("../dist/src/schemas.js");
const { builtinRulesSnapshot } = await import("../dist/src/rules/load.js");

const { documents, hash } = bundledSchemas();
const ajv = createAjv({ source: true });
for (const doc of documents.values()) ajv.addSchema(doc);
const identity = documents.get(SCHEMA_IDS.userIdentity);
const refs = [
  SCHEMA_IDS.table, SCHEMA_IDS.record, SCHEMA_IDS.rulePack, SCHEMA_IDS.report, "https://trailproof.dev/schemas/config.schema.json",
  ...[...identity["x-types"], "TypelessServiceIdentity", "TypelessServiceCall"].map((t) => `${SCHEMA_IDS.userIdentity}#/definitions/${t}`),
];
const names = Object.fromEntries(refs.map((ref, i) => [`v${i}`, ref]));
rmSync(PRECOMPILED_DIR, { recursive: true, force: true }); // no stale file (or code cache) survives
mkdirSync(PRECOMPILED_DIR, { recursive: true });
// Ajv's runtime helpers (equal, ucs2length) go into the same file: nothing to resolve at start-up.
const root = fileURLToPath(new URL("..", import.meta.url));
const bundled = await build({ stdin: { contents: standaloneCode(ajv, names), resolveDir: root, sourcefile: PRECOMPILED_VALIDATORS, loader: "js" }, bundle: true, format: "cjs", platform: "node", target: "node20", minifyWhitespace: true, write: false, logLevel: "warning" });
const validatorsFile = join(PRECOMPILED_DIR, PRECOMPILED_VALIDATORS);
writeFileSync(validatorsFile, bundled.outputFiles[0].text);
writeFileSync(join(PRECOMPILED_DIR, "validators.json"), JSON.stringify({ hash, refs: Object.fromEntries(refs.map((ref, i) => [ref, `v${i}`])) }, null, 2));
writeFileSync(join(PRECOMPILED_DIR, "rules.json"), JSON.stringify(builtinRulesSnapshot()));
// tsc does not keep the executable bit: the unbundled CLI stays runnable directly too.
chmodSync(new URL("../dist/src/cli/main.js", import.meta.url), 0o755);
console.log(`precompiled ${refs.length} validators and the built-in rule packs`);
