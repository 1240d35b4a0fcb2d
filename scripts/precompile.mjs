// Build step (after tsc): makes the unbundled CLI executable, and writes Ajv standalone validators for the bundled schemas, and the built-in rule
// packs parsed and validated once, into dist/precompiled/. Both carry a hash of their sources and
// are ignored at run time when the sources changed, so they can never go stale silently.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
const require = createRequire(import.meta.url);
const standaloneCode = require("ajv/dist/standalone").default;
const { createAjv, bundledSchemas, PRECOMPILED_DIR, SCHEMA_IDS } = await import("../dist/src/schemas.js");
const { builtinRulesSnapshot } = await import("../dist/src/rules/load.js");

const { documents, hash } = bundledSchemas();
const ajv = createAjv({ source: true });
for (const doc of documents.values()) ajv.addSchema(doc);
const identity = documents.get(SCHEMA_IDS.userIdentity);
const refs = [
  SCHEMA_IDS.table, SCHEMA_IDS.record, SCHEMA_IDS.rulePack, SCHEMA_IDS.report, "https://trailproof.dev/schemas/config.schema.json",
  ...[...identity["x-types"], "TypelessServiceIdentity"].map((t) => `${SCHEMA_IDS.userIdentity}#/definitions/${t}`),
];
const names = Object.fromEntries(refs.map((ref, i) => [`v${i}`, ref]));
mkdirSync(PRECOMPILED_DIR, { recursive: true });
writeFileSync(join(PRECOMPILED_DIR, "validators.cjs"), standaloneCode(ajv, names));
writeFileSync(join(PRECOMPILED_DIR, "validators.json"), JSON.stringify({ hash, refs: Object.fromEntries(refs.map((ref, i) => [ref, `v${i}`])) }, null, 2));
writeFileSync(join(PRECOMPILED_DIR, "rules.json"), JSON.stringify(builtinRulesSnapshot()));
// tsc does not keep the executable bit: the unbundled CLI stays runnable directly too.
chmodSync(new URL("../dist/src/cli/main.js", import.meta.url), 0o755);
console.log(`precompiled ${refs.length} validators and the built-in rule packs`);
