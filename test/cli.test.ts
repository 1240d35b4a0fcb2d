import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { SCHEMA_IDS, schemaRegistry } from "../src/schemas.js";
import { CLI, ROOT } from "./support/paths.js";
import { cli } from "./support/cli.js";
import { analyzeDocument, leaky } from "./support/records.js";

const tmp = () => mkdtempSync(join(tmpdir(), "tp-cli-"));

test("the README's first command works as written: npx trailproof in this checkout", () => {
  const run = (dir: string) => spawnSync("npx", ["--no-install", "trailproof", "check", dir, "--quiet"], { cwd: ROOT, encoding: "utf8" });
  const pass = run("corpus/pass");
  assert.is(pass.status, 0, pass.stderr);
  assert.is(run("corpus/fail").status, 1);
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  assert.ok(readme.includes("npx trailproof check corpus/pass") && readme.includes("npm ci && npm test"));
  // A landing page for users: the rest is in docs/, each page linked from it and present.
  assert.ok(Buffer.byteLength(readme) <= 10 * 1024, `README.md is ${Buffer.byteLength(readme)} bytes`);
  for (const [, page] of readme.matchAll(/\]\((docs\/[^)#]+)\)/g)) assert.ok(existsSync(join(ROOT, page!)), `README links ${page}`);
});

test("the installed CLI is the bundle package.json names, and its workers start from beside it (same report as without)", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  assert.is(join(ROOT, pkg.bin.trailproof), CLI);
  const off = cli(["check", "corpus", "--concurrency", "off", "--format", "json"]);
  const workers = cli(["check", "corpus", "--concurrency", "2", "--format", "json"]);
  assert.is(workers.code, 1, workers.stderr);
  assert.is(workers.stdout, off.stdout);
  assert.is(cli(["--version"]).stdout.trim(), pkg.version);
});

test("the bundled CLI code runs with the code cache the build took for it (this Node accepts it)", async () => {
  const { runCommonJs } = await import("../src/code-cache.js");
  const { exports, script } = runCommonJs(join(ROOT, "dist/bundle/run.cjs"));
  assert.is(script.cachedDataRejected, false);
  assert.is(typeof exports["run"], "function");
});

test("a code cache is read only by the V8 that wrote it: its name carries the V8 version, and another's is never offered", async () => {
  const { codeCacheOf, runCommonJs } = await import("../src/code-cache.js");
  const dir = mkdtempSync(join(tmpdir(), "tp-cache-"));
  const file = join(dir, "m.cjs");
  writeFileSync(file, "module.exports = { answer: 42 };");
  assert.ok(codeCacheOf(file).includes(process.versions.v8));
  // A cache from another V8 (here: garbage under another version's name) is not even read.
  writeFileSync(codeCacheOf(file, "0.0.0-other"), "not a code cache");
  const fresh = runCommonJs(file);
  assert.is(fresh.exports["answer"], 42);
  assert.is(fresh.script.cachedDataRejected, undefined, "no cache was offered");
  writeFileSync(codeCacheOf(file), fresh.script.createCachedData());
  assert.is(runCommonJs(file).script.cachedDataRejected, false, "this V8's own cache is accepted");
});

test("the bundled CLI runs from a path with spaces and non-ASCII characters (regression: its loader used URL pathnames)", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "tp cli ")), "dossier é");
  for (const part of ["dist/bundle", "dist/precompiled", "schemas", "rules", "package.json"]) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const env = { ...process.env };
  delete env["FORCE_COLOR"]; // as cli() runs it: no colour either way
  delete env["NO_COLOR"];
  const r = spawnSync(process.execPath, [join(dir, "dist/bundle/main.js"), "check", join(ROOT, "corpus"), "--concurrency", "2", "--quiet"], { encoding: "utf8", env });
  assert.is(r.status, 1, r.stderr);
  assert.is(r.stdout, cli(["check", join(ROOT, "corpus"), "--quiet"]).stdout);
});

test("exit 0 on corpus/pass, 1 on corpus/fail", () => {
  const pass = cli(["check", "corpus/pass"]);
  assert.is(pass.code, 0, pass.stderr);
  assert.match(pass.stdout, /0 errors, 0 warnings, 0 info; 0 input errors/);
  const fail = cli(["check", "corpus/fail"]);
  assert.is(fail.code, 1);
  assert.match(fail.stdout, /no-request-bytes/);
});

test("exit 2 on usage and configuration errors, with no stack trace", () => {
  for (const args of [["check"], ["check", "x", "--format", "xml"], ["check", "x", "--bogus"], ["frobnicate"], ["check", "x", "--rules", "/nonexistent"], ["check", "x", "--fail-on", "fatal"]]) {
    const r = cli(args);
    assert.is(r.code, 2, args.join(" "));
    assert.not.match(r.stderr, /\n\s+at /, "stack trace");
    assert.match(r.stderr, /^trailproof: /);
  }
});

test("exit 3 when an input cannot be read or parsed; other files are still checked; input errors outrank findings", () => {
  const dir = tmp();
  writeFileSync(join(dir, "a.json"), JSON.stringify(leaky()));
  writeFileSync(join(dir, "b.json"), "{ not json");
  const r = cli(["check", dir, "--format", "json"]);
  assert.is(r.code, 3);
  const report = JSON.parse(r.stdout);
  assert.is(report.summary.records, 1);
  assert.is(report.summary.inputErrors, 1);
  assert.ok(report.findings.length > 0);
});

test("--format json is valid against the report schema; --output writes the file", () => {
  const dir = tmp();
  const out = join(dir, "report.json");
  const r = cli(["check", "corpus/fail", "--format", "json", "--output", out]);
  assert.is(r.code, 1);
  assert.is(r.stdout, "");
  const validate = schemaRegistry().validator(SCHEMA_IDS.report);
  assert.ok(validate(JSON.parse(readFileSync(out, "utf8"))), JSON.stringify(validate.errors));
});

test("--fail-on: warning catches known-operation, never always exits 0", () => {
  const dir = tmp();
  writeFileSync(join(dir, "op.json"), JSON.stringify(analyzeDocument({ eventName: "AnalyzeMedicalChart" })));
  assert.is(cli(["check", dir]).code, 0);
  assert.is(cli(["check", dir, "--fail-on", "warning"]).code, 1);
  assert.is(cli(["check", "corpus/fail", "--fail-on", "never"]).code, 0);
});

test("--profile documented relaxes the inferred rows", () => {
  const dir = tmp();
  writeFileSync(join(dir, "x.json"), JSON.stringify(analyzeDocument({ eventName: "GetExpenseAnalysis", requestParameters: { jobId: "abc" }, responseElements: { jobStatus: "SUCCEEDED" } })));
  assert.is(cli(["check", dir]).code, 1);
  assert.is(cli(["check", dir, "--profile", "documented"]).code, 0);
});

test("stdin with -", () => {
  const r = cli(["check", "-", "--format", "json"], { input: JSON.stringify({ Records: [analyzeDocument(), leaky()] }) });
  assert.is(r.code, 1);
  const report = JSON.parse(r.stdout);
  assert.is(report.summary.records, 2);
  assert.ok(report.findings.every((f: { file: string; record: number }) => f.file === "-" && f.record === 1));
});

test("--rules adds a user's pack", () => {
  const dir = tmp();
  writeFileSync(
    join(dir, "pack.yaml"),
    `pack: acme\nrules:\n  - id: acme-sdk-only\n    severity: error\n    description: Textract calls must come from our SDK build\n    scope: { eventSource: textract.amazonaws.com }\n    check: { function: pattern, options: { at: /userAgent, match: "^aws-sdk-js/" } }\n    message: "Unexpected client: {{detail}}"\n    tests:\n      valid: [{ name: sdk, record: { eventSource: textract.amazonaws.com, userAgent: aws-sdk-js/3 } }]\n      invalid: [{ name: curl, record: { eventSource: textract.amazonaws.com, userAgent: curl/8 }, findings: [/userAgent] }]\n`,
  );
  const input = JSON.stringify(analyzeDocument({ userAgent: "curl/8.0" }));
  const r = cli(["check", "-", "--rules", dir, "--format", "json"], { input });
  assert.is(r.code, 1);
  assert.equal(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId), ["acme-sdk-only"]);
  assert.match(cli(["rules", "--rules", dir]).stdout, /acme-sdk-only/);
  assert.is(cli(["test-rules", dir]).code, 0);
});

test("the documented custom rule pack example (docs/writing-rules.md) passes its own tests", () => {
  const readme = readFileSync(new URL("../../docs/writing-rules.md", import.meta.url), "utf8");
  const example = /```yaml\n(pack: acme[\s\S]*?)```/.exec(readme);
  assert.ok(example, "docs/writing-rules.md has the acme example");
  const dir = tmp();
  writeFileSync(join(dir, "acme.yaml"), example![1]!);
  const r = cli(["test-rules", dir]);
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /2 passed, 0 failed/);
});

test("rules, test-rules, --help and --version", () => {
  const rules = cli(["rules"]);
  assert.is(rules.code, 0);
  for (const id of ["no-request-bytes", "known-operation", "valid-record"]) assert.match(rules.stdout, id);
  const t = cli(["test-rules"]);
  assert.is(t.code, 0);
  assert.match(t.stdout, /\d+ passed, 0 failed/);
  assert.match(cli(["--help"]).stdout, /Exit codes/);
  assert.match(cli(["--version"]).stdout, /^\d+\.\d+\.\d+\n$/);
});

test("colour only when asked: NO_COLOR wins, FORCE_COLOR forces, pipes are plain", () => {
  const plain = cli(["check", "corpus/fail"]);
  assert.not.match(plain.stdout, /\u001b\[/);
  assert.match(cli(["check", "corpus/fail"], { env: { FORCE_COLOR: "1" } }).stdout, /\u001b\[/);
  assert.not.match(cli(["check", "corpus/fail"], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } }).stdout, /\u001b\[/);
});

test("control characters and ANSI escapes from records never reach the terminal raw", () => {
  const r = cli(["check", "-"], { input: JSON.stringify(analyzeDocument({ eventName: "Analyze\u001b[2J\u001b]0;pwned\u0007Document", eventID: "\u001b[31mred" })) });
  assert.not.match(r.stdout, /\u001b/);
  assert.match(r.stdout, /\[unusual eventName: \d+ characters, sha256 [0-9a-f]{8}\]/);
});

test("precompiled validators and rules (the build's) give the same report as compiling at run time", () => {
  const fast = cli(["check", "corpus/fail", "--format", "json"]);
  const slow = cli(["check", "corpus/fail", "--format", "json"], { env: { TRAILPROOF_NO_PRECOMPILED: "1" } });
  assert.is(fast.stdout, slow.stdout);
  const meta = JSON.parse(readFileSync(new URL("../../dist/precompiled/validators.json", import.meta.url), "utf8"));
  assert.ok(Object.keys(meta.refs).length >= 17, "the build precompiled the validators");
});

test("a reader that leaves early (| head) ends the output quietly and keeps the verdict's exit code (regression: an unhandled EPIPE, a stack trace)", () => {
  const dir = tmp();
  // Enough findings that every report outgrows a pipe's buffer before head has read its part.
  writeFileSync(join(dir, "many.ndjson"), Array.from({ length: 3000 }, () => JSON.stringify(leaky())).join("\n") + "\n");
  for (const format of ["text", "json", "sarif", "junit"]) {
    const r = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${CLI}" check "${join(dir, "many.ndjson")}" --format ${format} | head -c 100 > /dev/null`], { encoding: "utf8" });
    assert.is(r.status, 1, `${format}: ${r.stderr}`);
    assert.is(r.stderr, "", format);
  }
});

test("--quiet prints only input errors and the summary", () => {
  const r = cli(["check", "corpus/fail", "--quiet"]);
  assert.is(r.stdout.trim().split("\n").length, 1);
});

test("zero records checked is an input error that says why, and a file named but excluded by the configuration is named (regression: an include: typo passed a tree of leaks with exit 0)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-none-"));
  mkdirSync(join(dir, "logs"));
  writeFileSync(join(dir, "logs", "leak.json"), JSON.stringify(leaky()));
  writeFileSync(join(dir, ".trailproof.yaml"), "include: [\"fixturez/**\"]\n");
  const typo = cli(["check", "logs"], { cwd: dir });
  assert.is(typo.code, 3, typo.stdout);
  assert.match(typo.stdout, /no records checked: the configuration's include\/exclude excluded every file/);
  const named = cli(["check", join("logs", "leak.json")], { cwd: dir });
  assert.is(named.code, 3);
  assert.match(named.stdout, /leak\.json: named on the command line, but the configuration's include\/exclude excludes it/);
  const empty = mkdtempSync(join(tmpdir(), "tp-empty-"));
  assert.is(cli(["check", empty]).code, 3, "an empty directory: no log files");
});

test("the summary's mark follows the exit code (--fail-on never passes with findings), and -q is --quiet", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-mark-"));
  writeFileSync(join(dir, "leak.json"), JSON.stringify(leaky()));
  const never = cli(["check", dir, "--fail-on", "never", "-q"]);
  assert.is(never.code, 0);
  assert.match(never.stdout, /^✔ 1 file, 1 record checked, 1 failed/m);
  assert.not.match(never.stdout, /no-request-bytes/, "-q lists no findings");
  const failing = cli(["check", dir, "--quiet"]);
  assert.is(failing.code, 1);
  assert.match(failing.stdout, /^✖ /m);
});

test("files that are not CloudTrail logs (package.json, tsconfig.json, a workflow, a compose file) are a note, not seven errors each; --strict-inputs makes them input errors; a document pasted into one is still found and fixed", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-repo-"));
  mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
  mkdirSync(join(dir, "fixtures"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", scripts: { test: "node t.js" } }, null, 2));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true } }, null, 2));
  writeFileSync(join(dir, ".github", "workflows", "ci.yml"), "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n");
  writeFileSync(join(dir, "docker-compose.yml"), "services:\n  web:\n    image: nginx\n");
  writeFileSync(join(dir, "fixtures", "call.json"), JSON.stringify({ Records: [analyzeDocument()] }));
  const files = ["package.json", "tsconfig.json", ".github/workflows/ci.yml", "docker-compose.yml", "fixtures/call.json"];
  const plain = cli(["check", ...files, "--format", "json"], { cwd: dir });
  assert.is(plain.code, 0, plain.stdout);
  const report = JSON.parse(plain.stdout) as { summary: { files: number; records: number; filesNotLogs: number; findings: { error: number } }; notLogs: string[] };
  assert.equal(report.notLogs, files.slice(0, 4));
  assert.equal([report.summary.files, report.summary.records, report.summary.filesNotLogs, report.summary.findings.error], [5, 1, 4, 0]);
  const text = cli(["check", ...files], { cwd: dir });
  assert.match(text.stdout, /package\.json: note {2}not a CloudTrail log, skipped/);
  assert.match(text.stdout, /^✔ 5 files, 1 record checked, 0 failed; .*; 4 files not a CloudTrail log, skipped$/m);
  const strict = cli(["check", ...files, "--strict-inputs", "--format", "json"], { cwd: dir });
  assert.is(strict.code, 3);
  assert.equal((JSON.parse(strict.stdout) as { inputErrors: Array<{ code: string; file: string }> }).inputErrors.map((e) => [e.code, e.file]), files.slice(0, 4).map((f) => ["NOT_A_LOG", f]));
  // Only files that are not logs: nothing was checked as a record (fail closed), and the reason says so.
  const none = cli(["check", "package.json", "docker-compose.yml"], { cwd: dir });
  assert.is(none.code, 3);
  assert.match(none.stdout, /no records checked: none of the 2 files read is a CloudTrail log/);
  // A document pasted into a file that is not a log is a finding, and --fix removes it, byte for byte elsewhere.
  const pdf = Buffer.from("%PDF-1.7\n%\u00e2\u00e3 1 0 obj << /Type /Catalog >> endobj trailer").toString("base64");
  const pasted = `{\n  "name": "app",\n  "logo": "${pdf}"\n}\n`;
  writeFileSync(join(dir, "package.json"), pasted);
  const leak = cli(["check", "package.json", "fixtures/call.json", "--format", "json"], { cwd: dir });
  assert.is(leak.code, 1);
  const found = (JSON.parse(leak.stdout) as { findings: Array<{ ruleId: string; file: string; path: string }> }).findings;
  assert.equal(found.map((f) => [f.ruleId, f.file, f.path]), [["no-document-content", "package.json", "/logo"]]);
  assert.is(cli(["check", "--fix", "package.json", "fixtures/call.json"], { cwd: dir }).code, 0);
  const fixed = readFileSync(join(dir, "package.json"), "utf8");
  assert.match(fixed, /"logo": "\[redacted: base64 PDF, \d+ B, sha256 [0-9a-f]{8}\]"/);
  assert.is(fixed.replace(/\[redacted: [^\]]+\]/, pdf), pasted);
});

test("a file that looks like a log and is broken stays an error: a bare value beside a record, a record missing its members", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-broken-"));
  writeFileSync(join(dir, "mixed.ndjson"), `{"note":"not a record"}\n${JSON.stringify(analyzeDocument())}\n`);
  writeFileSync(join(dir, "partial.json"), JSON.stringify({ eventVersion: "1.08", eventSource: "textract.amazonaws.com" }));
  const r = cli(["check", dir, "--format", "json"]);
  assert.is(r.code, 1);
  const report = JSON.parse(r.stdout) as { notLogs?: string[]; summary: { records: number; recordsFailed: number } };
  assert.is(report.notLogs, undefined);
  assert.equal([report.summary.records, report.summary.recordsFailed], [3, 2]);
});

test("check and baseline with no paths check what the configuration's include: names, from the configuration's folder (regression: \"check needs at least one path\")", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-include-"));
  mkdirSync(join(dir, "fixtures"));
  mkdirSync(join(dir, "src", "deep"), { recursive: true });
  writeFileSync(join(dir, "fixtures", "leak.json"), JSON.stringify(leaky()));
  writeFileSync(join(dir, "fixtures", "clean.json"), JSON.stringify(analyzeDocument()));
  writeFileSync(join(dir, "src", "other.json"), JSON.stringify(leaky()));
  writeFileSync(join(dir, ".trailproof.yaml"), 'include: ["fixtures/**"]\n');
  const r = cli(["check", "--format", "json"], { cwd: join(dir, "src", "deep") });
  assert.is(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { summary: { files: number; records: number }; findings: Array<{ file: string }> };
  assert.equal([report.summary.files, report.summary.records], [2, 2]);
  assert.equal([...new Set(report.findings.map((f) => f.file))], [join("..", "..", "fixtures", "leak.json")]);
  assert.is(cli(["baseline"], { cwd: dir }).code, 0);
  assert.is(cli(["check", "--baseline", ".trailproof-baseline.json"], { cwd: dir }).code, 0, "the baseline written without paths covers what check without paths finds");
  writeFileSync(join(dir, ".trailproof.yaml"), "failOn: error\n");
  const none = cli(["check"], { cwd: dir });
  assert.is(none.code, 2);
  assert.match(none.stderr, /check needs at least one path .*or include: in \.trailproof\.yaml/);
});

test("a CloudWatch Logs export (create-export-task: a timestamp, a space and the record on each line) is read, pointed into and fixed with its timestamps kept (regression: \"malformed YAML\")", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-export-"));
  const stamp = (s: string) => `2026-03-04T09:30:${s}Z `;
  const text = `${stamp("00.000")}${JSON.stringify(analyzeDocument())}\n${stamp("01.250")}${JSON.stringify(leaky())}\n`;
  writeFileSync(join(dir, "000000"), text);
  const r = cli(["check", join(dir, "000000"), "--format", "json"]);
  assert.is(r.code, 1, r.stdout);
  const report = JSON.parse(r.stdout) as { summary: { records: number }; findings: Array<{ ruleId: string; line: number; column: number }> };
  assert.is(report.summary.records, 2);
  const second = text.split("\n")[1]!;
  const bytesAt = second.indexOf('"bytes":') + '"bytes":'.length + 1;
  assert.equal(report.findings.find((f) => f.ruleId === "no-request-bytes")!, { ...report.findings.find((f) => f.ruleId === "no-request-bytes")!, line: 2, column: bytesAt });
  assert.is(cli(["check", "--fix", join(dir, "000000")]).code, 0);
  const fixed = readFileSync(join(dir, "000000"), "utf8").split("\n");
  assert.is(fixed[0], text.split("\n")[0]);
  assert.ok(fixed[1]!.startsWith(stamp("01.250") + "{"));
  assert.not.ok(fixed[1]!.includes('"bytes"'));
});

test("redact DIR --output OUT copies the whole tree: files the walk passes over (another service's delivery, a README) unchanged, logs redacted (regression: they were left out of the copy)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-tree-"));
  const account = join(dir, "AWSLogs", "111122223333");
  const trail = join(account, "CloudTrail", "us-east-1", "2026", "03", "04");
  const config = join(account, "Config", "us-east-1", "2026", "3", "4", "ConfigHistory");
  mkdirSync(trail, { recursive: true });
  mkdirSync(config, { recursive: true });
  mkdirSync(join(dir, "node_modules"));
  writeFileSync(join(trail, "log.json"), JSON.stringify({ Records: [leaky()] }));
  const configText = JSON.stringify({ fileVersion: "1.0", configurationItems: [{ resourceType: "AWS::S3::Bucket" }] });
  writeFileSync(join(config, "history.json"), configText);
  writeFileSync(join(dir, "README.txt"), "what this archive is\n");
  writeFileSync(join(dir, "node_modules", "dep.json"), "{}");
  const out = join(mkdtempSync(join(tmpdir(), "tp-tree-out-")), "copy");
  const r = cli(["redact", dir, "--output", out]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(readFileSync(join(out, "AWSLogs", "111122223333", "Config", "us-east-1", "2026", "3", "4", "ConfigHistory", "history.json"), "utf8"), configText);
  assert.is(readFileSync(join(out, "README.txt"), "utf8"), "what this archive is\n");
  assert.not.ok(readFileSync(join(out, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "03", "04", "log.json"), "utf8").includes('"bytes"'));
  assert.not.ok(existsSync(join(out, "node_modules")), "dependencies are no part of a log tree");
});

test("redact --pseudonymize into a directory pseudonymizes the delivery path too (organization, account, file name) and leaves out digest files and other services' files (regression: the real ids stayed in the paths and digests)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-pseudo-tree-"));
  const account = join(dir, "AWSLogs", "o-abc123def4", "111122223333");
  const trail = join(account, "CloudTrail", "us-east-1", "2026", "03", "04");
  const digest = join(account, "CloudTrail-Digest", "us-east-1", "2026", "03", "04");
  mkdirSync(trail, { recursive: true });
  mkdirSync(digest, { recursive: true });
  mkdirSync(join(account, "Config"), { recursive: true });
  writeFileSync(join(trail, "111122223333_CloudTrail_us-east-1_20260304T1010Z_a1b2c3.json"), JSON.stringify({ Records: [leaky()] }));
  writeFileSync(join(digest, "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20260304T1100Z.json"), JSON.stringify({ awsAccountId: "111122223333", digestS3Bucket: "b", digestS3Object: "o", digestStartTime: "x", digestEndTime: "y", logFiles: [] }));
  writeFileSync(join(account, "Config", "snapshot.json"), JSON.stringify({ accountId: "111122223333" }));
  const out = join(mkdtempSync(join(tmpdir(), "tp-pseudo-out-")), "copy");
  const r = cli(["redact", dir, "--output", out, "--pseudonymize", "--salt", "s3cret"]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /2 files left out of the copy/);
  const files = (function list(d: string): string[] {
    return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(d, e.name)) : [join(d, e.name)]));
  })(out);
  assert.is(files.length, 1, files.join("\n"));
  assert.not.ok(/111122223333|o-abc123def4/.test(files[0]!), files[0]);
  assert.match(files[0]!, /AWSLogs\/o-[a-z0-9]{10}\/[0-9]{12}\/CloudTrail\/us-east-1\/2026\/03\/04\/[0-9]{12}_CloudTrail_us-east-1_20260304T1010Z_a1b2c3\.json$/);
  assert.not.ok(readFileSync(files[0]!, "utf8").includes("111122223333"));
  // The file name's account is the record's, pseudonymized the same way.
  const pseudoAccount = /AWSLogs\/o-[a-z0-9]{10}\/([0-9]{12})\//.exec(files[0]!)![1]!;
  assert.ok(files[0]!.includes(`${pseudoAccount}_CloudTrail`));
});

test.run();
