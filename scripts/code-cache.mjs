// Build step (after precompile and bundle), and on its own for another Node: `npm run build:code-cache`.
// Writes V8's code cache for the precompiled validators and the bundled CLI, for the V8 of the Node that runs it
// (a cache is valid only for the V8 that wrote it; its file name says which: see src/code-cache.ts). Each is taken
// after a real run, so that it holds the functions a check compiles: the validators on every corpus record, the
// CLI checking the corpus in every format.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { codeCacheOf, runCommonJs } = await import("../dist/src/code-cache.js");
const { PRECOMPILED_DIR, PRECOMPILED_VALIDATORS } = await import("../dist/src/schemas.js");
const { parseBytes } = await import("../dist/src/readers/reader.js");

const validatorsFile = join(PRECOMPILED_DIR, PRECOMPILED_VALIDATORS);
const { exports: validators, script: validatorsScript } = runCommonJs(validatorsFile);
const samples = [{}];
for (const dir of ["corpus/pass", "corpus/fail"]) {
  for (const f of readdirSync(join(root, dir), { recursive: true }).map(String).filter((f) => /\.(json|ndjson|gz|ya?ml)$/.test(f))) {
    for (const r of parseBytes(readFileSync(join(root, dir, f)), f).records) samples.push(r.value, r.value?.userIdentity ?? {});
  }
}
for (const validate of Object.values(validators)) for (const sample of samples) validate(sample);
writeFileSync(codeCacheOf(validatorsFile), validatorsScript.createCachedData());

const cliFile = join(root, "dist/bundle/run.cjs");
const { exports: cli, script: cliScript } = runCommonJs(cliFile);
const sink = () => Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: false });
for (const format of ["text", "json", "sarif", "junit", "github"]) {
  await cli.run(["check", join(root, "corpus"), "--format", format, "--concurrency", "off"], { stdout: sink(), stderr: sink(), stdin: process.stdin, env: {}, cwd: root });
}
writeFileSync(codeCacheOf(cliFile), cliScript.createCachedData());
console.log(`V8 code cache written for V8 ${process.versions.v8} (Node ${process.version})`);
