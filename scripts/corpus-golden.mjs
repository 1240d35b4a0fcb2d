// Rewrites corpus/expected/*.json from the current engine (after `npm run build:ts`). Review the diff before committing it.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
const { checkPaths } = await import("../dist/src/check.js");
const { normalise } = await import("../dist/test/support/golden.js");
const root = fileURLToPath(new URL("..", import.meta.url));
mkdirSync(`${root}corpus/expected`, { recursive: true });
for (const set of ["pass", "fail"]) {
  const report = normalise(await checkPaths([`${root}corpus/${set}`]));
  writeFileSync(`${root}corpus/expected/${set}.json`, JSON.stringify(report, null, 2) + "\n");
  console.log(`corpus/expected/${set}.json: ${report.findings.length} findings, ${report.inputErrors.length} input errors`);
}
