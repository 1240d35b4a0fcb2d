// Generates src/generated/*.ts from schemas/*.schema.json with json-schema-to-typescript.
// `--check` writes nothing and exits 1 when a generated file is stale (used by the test suite).
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const TARGETS = [
  { schema: "not-logged-table.schema.json", out: "not-logged-table.ts", imports: "" },
  { schema: "user-identity.schema.json", out: "user-identity.ts", imports: "" },
  { schema: "record.schema.json", out: "record.ts", imports: 'import type { UserIdentity } from "./user-identity.js";\n' },
  { schema: "rule-pack.schema.json", out: "rule-pack.ts", imports: "" },
  { schema: "report.schema.json", out: "report.ts", imports: "" },
  { schema: "config.schema.json", out: "config.ts", imports: "" },
];

export async function generate() {
  const files = {};
  for (const t of TARGETS) {
    const schema = JSON.parse(await readFile(`${root}schemas/${t.schema}`, "utf8"));
    const banner = `/* Generated from schemas/${t.schema} by scripts/gen-types.mjs. Do not edit: change the schema and run \`npm run gen:types\`. */\n${t.imports}`;
    files[t.out] = await compile(schema, schema.title, {
      bannerComment: banner,
      additionalProperties: false,
      strictIndexSignatures: true,
      unknownAny: true,
      unreachableDefinitions: true,
      format: true,
      cwd: `${root}schemas`,
      $refOptions: { resolve: { external: false } },
    });
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  const files = await generate();
  let stale = 0;
  await mkdir(`${root}src/generated`, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const path = `${root}src/generated/${name}`;
    const current = await readFile(path, "utf8").catch(() => "");
    if (current === text) continue;
    stale++;
    if (check) console.error(`stale: src/generated/${name}`);
    else await writeFile(path, text);
  }
  if (check && stale) process.exit(1);
  if (!check) console.log(`generated ${Object.keys(files).length} files (${stale} changed)`);
}
