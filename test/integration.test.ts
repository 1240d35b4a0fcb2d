// Configuration, baselines, custom rule packs and the published package, end to end through the CLI.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cli } from "./support/cli.js";
import { CLI, CORPUS, ROOT } from "./support/paths.js";
import { PNG_BASE64, analyzeDocument, leaky } from "./support/records.js";

const tmp = () => mkdtempSync(join(tmpdir(), "tp-int-"));

test("configuration: found upwards, validated (bad config is exit 2), flags override it, globs filter files", () => {
  const dir = tmp();
  mkdirSync(join(dir, "fixtures", "vendor"), { recursive: true });
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "fixtures", "op.json"), JSON.stringify(analyzeDocument({ eventName: "AnalyzeMedicalChart" })));
  writeFileSync(join(dir, "fixtures", "vendor", "leak.json"), JSON.stringify(leaky()));
  writeFileSync(join(dir, ".trailproof.yaml"), "rules:\n  known-operation: error\nexclude: ['**/vendor/**']\n");
  const r = cli(["check", join(dir, "fixtures"), "--format", "json"], { cwd: join(dir, "sub") });
  assert.is(r.code, 1);
  const report = JSON.parse(r.stdout);
  assert.equal(report.findings.map((f: { ruleId: string; severity: string }) => `${f.ruleId}:${f.severity}`), ["known-operation:error"]);
  assert.is(cli(["check", join(dir, "fixtures"), "--fail-on", "never"], { cwd: dir }).code, 0, "a flag overrides the file");
  writeFileSync(join(dir, ".trailproof.yaml"), "failOn: sometimes\n");
  const bad = cli(["check", join(dir, "fixtures")], { cwd: dir });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /invalid configuration: \/failOn: must be one of/);
  writeFileSync(join(dir, "other.yaml"), "rules:\n  no-such-rule: off\n");
  assert.match(cli(["check", join(dir, "fixtures"), "--config", join(dir, "other.yaml")], { cwd: dir }).stderr, /unknown rule id/);
});

test("baselines: only new findings are reported; a changed value is new; stale entries fail until pruned; never the value", () => {
  const dir = tmp();
  cpSync(join(CORPUS, "fail", "no-request-bytes.json"), join(dir, "a.json"));
  writeFileSync(join(dir, "b.json"), JSON.stringify(analyzeDocument()));
  assert.is(cli(["baseline", "."], { cwd: dir }).code, 0);
  const baselineText = readFileSync(join(dir, ".trailproof-baseline.json"), "utf8");
  assert.not.ok(baselineText.includes("iVBORw0KGgo"));
  const clean = cli(["check", ".", "--baseline", ".trailproof-baseline.json", "--format", "json"], { cwd: dir });
  assert.is(clean.code, 0);
  assert.is(JSON.parse(clean.stdout).summary.suppressed, 2);
  const sarif = cli(["check", ".", "--baseline", ".trailproof-baseline.json", "--format", "sarif"], { cwd: dir });
  assert.ok(JSON.parse(sarif.stdout).runs[0].results.every((r: { suppressions?: unknown[] }) => r.suppressions?.length === 1));
  // The same path with another value is a new finding.
  const changed = JSON.parse(readFileSync(join(dir, "a.json"), "utf8"));
  changed.requestParameters.document.bytes = "JVBERi0xLjcKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K";
  writeFileSync(join(dir, "a.json"), JSON.stringify(changed, null, 2));
  const again = cli(["check", ".", "--baseline", ".trailproof-baseline.json", "--format", "json"], { cwd: dir });
  assert.is(again.code, 1);
  assert.is(JSON.parse(again.stdout).findings.length, 2);
  assert.is(JSON.parse(again.stdout).baseline.stale, 2);
  // Fixed: the old entries are stale and fail the run until pruned.
  writeFileSync(join(dir, "a.json"), JSON.stringify(analyzeDocument()));
  const stale = cli(["check", ".", "--baseline", ".trailproof-baseline.json"], { cwd: dir });
  assert.is(stale.code, 1);
  assert.match(stale.stderr, /--prune/);
  assert.is(cli(["check", ".", "--baseline", ".trailproof-baseline.json", "--prune"], { cwd: dir }).code, 0);
  assert.is(cli(["check", ".", "--baseline", ".trailproof-baseline.json"], { cwd: dir }).code, 0);
  assert.is(JSON.parse(readFileSync(join(dir, ".trailproof-baseline.json"), "utf8")).entries.length, 0);
});

test("baselines and partial runs: an entry is stale only if its file was checked and the finding is gone; --prune drops only those (regression: a pre-commit run over staged files called every other file's entries stale, and --prune deleted them)", () => {
  const dir = tmp();
  cpSync(join(CORPUS, "fail", "no-request-bytes.json"), join(dir, "a.json"));
  cpSync(join(CORPUS, "fail", "no-request-bytes.json"), join(dir, "c.json"));
  assert.is(cli(["baseline", "a.json", "c.json"], { cwd: dir }).code, 0);
  const entries = () => [...new Set((JSON.parse(readFileSync(join(dir, ".trailproof-baseline.json"), "utf8")) as { entries: Array<{ file: string }> }).entries.map((e) => e.file))].sort();
  assert.equal(entries(), ["a.json", "c.json"]);
  const check = (...args: string[]) => cli(["check", ...args, "--baseline", ".trailproof-baseline.json", "--format", "json"], { cwd: dir });
  // Only a.json (a staged file): c.json's entry says nothing about this run.
  const part = check("a.json");
  assert.is(part.code, 0, part.stderr);
  assert.is(JSON.parse(part.stdout).baseline.stale, 0);
  assert.is(check("a.json", "--prune").code, 0);
  assert.equal(entries(), ["a.json", "c.json"]);
  // c.json fixed and checked: its entry alone is stale, and --prune drops it alone.
  writeFileSync(join(dir, "c.json"), JSON.stringify(analyzeDocument()));
  assert.is(check("a.json").code, 0, "c.json was not checked");
  const staleRun = check("c.json");
  assert.is(staleRun.code, 1);
  assert.is(JSON.parse(staleRun.stdout).baseline.stale, 2, "c.json's two entries");
  assert.is(check("c.json", "--prune").code, 0);
  assert.equal(entries(), ["a.json"]);
});

test("the documented staged-files recipe (docs/redaction.md) survives a staged deletion, a path with a space and nothing staged (regression: $(git diff --cached --name-only) blocked such commits)", () => {
  const readme = readFileSync(join(ROOT, "docs", "redaction.md"), "utf8");
  const recipe = /^(git diff --cached .*\| xargs -0 -r npx trailproof check --fix)$/m.exec(readme)?.[1];
  assert.ok(recipe, "the recipe is in docs/redaction.md");
  const repo = tmp();
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
  git("init", "-q");
  mkdirSync(join(repo, "node_modules", ".bin"), { recursive: true });
  // npx finds the CLI the way an installed package provides it.
  symlinkSync(CLI, join(repo, "node_modules", ".bin", "trailproof"));
  writeFileSync(join(repo, "old.json"), JSON.stringify(analyzeDocument()));
  git("add", "-A");
  git("commit", "-qm", "one");
  const run = () => spawnSync("sh", ["-c", recipe!], { cwd: repo, encoding: "utf8" });
  assert.is(run().status, 0, "nothing staged");
  git("rm", "-q", "old.json");
  writeFileSync(join(repo, "with space.json"), JSON.stringify(leaky()));
  git("add", "-A");
  const staged = run();
  assert.is(staged.status, 0, staged.stdout + staged.stderr);
  assert.match(staged.stdout, /1 file, 1 record checked/);
  assert.not.ok(readFileSync(join(repo, "with space.json"), "utf8").includes(PNG_BASE64.slice(0, 40)), "fixed");
});

test("--prune without a baseline is a usage error before anything runs: --fix leaves the file as it was", () => {
  const dir = tmp();
  const text = JSON.stringify(leaky());
  writeFileSync(join(dir, "a.json"), text);
  const r = cli(["check", ".", "--fix", "--prune"], { cwd: dir });
  assert.is(r.code, 2);
  assert.match(r.stderr, /--prune needs a baseline/);
  assert.is(readFileSync(join(dir, "a.json"), "utf8"), text);
});

test("baselines under the listing cap: matched file by file, counts exact, a record whose findings are all accepted passes in JUnit", async () => {
  const dir = tmp();
  cpSync(join(CORPUS, "fail"), join(dir, "logs"), { recursive: true });
  assert.is(cli(["baseline", "logs"], { cwd: dir }).code, 0);
  // A new leak in one more file: the only failing record left (two findings).
  writeFileSync(join(dir, "logs", "new.json"), JSON.stringify(leaky()));
  const { BaselineMatcher, readBaseline } = await import("../src/baseline.js");
  const { checkPathsDetailed } = await import("../src/check.js");
  const file = join(dir, ".trailproof-baseline.json");
  const entries = readBaseline(file).entries.length;
  for (const options of [{ concurrency: "off" as const }, { concurrency: 2 }, { concurrency: 2, splitFileBytes: 1 }]) {
    const matcher = new BaselineMatcher(readBaseline(file), file);
    const { report, records } = await checkPathsDetailed([join(dir, "logs")], { ...options, baseline: matcher, maxFindings: 2, collectRecords: true });
    assert.equal(report.findings.map((f) => [f.file.endsWith("new.json"), f.ruleId]).sort(), [[true, "no-document-content"], [true, "no-request-bytes"]], JSON.stringify(options));
    assert.equal(report.summary.findings, { error: 2, warning: 0, info: 0 });
    assert.is(report.summary.recordsFailed, 1);
    assert.ok(report.summary.suppressed! > entries - 1, "every baselined finding is suppressed");
    assert.is(report.suppressed!.length, 2, "the suppressed listing is capped too");
    assert.is(report.baseline!.stale, 0);
    assert.equal(matcher.stale(), []);
    assert.is(records.filter((r) => r.failed).length <= 1, true, "records whose findings the baseline accepts do not fail");
  }
  const junit = cli(["check", "logs", "--baseline", ".trailproof-baseline.json", "--format", "junit"], { cwd: dir });
  assert.is(junit.code, 1);
  assert.equal([...junit.stdout.matchAll(/<testsuites [^>]*failures="(\d+)"/g)].map((m) => Number(m[1])), [1]);
  assert.not.match(junit.stdout, /not-listed/);
});

test("custom rule packs: test-rules reports like a test runner and fails a rule without both kinds of cases", () => {
  const dir = tmp();
  writeFileSync(join(dir, "good.yaml"), `pack: acme\nrules:\n  - id: acme-region\n    severity: warning\n    description: Textract calls stay in our two regions\n    scope: { eventSource: textract.amazonaws.com }\n    check: { function: pattern, options: { at: /awsRegion, match: "^(us-east-1|eu-west-1)$" } }\n    message: "{{detail}}"\n    tests:\n      valid: [{ name: home, record: { eventSource: textract.amazonaws.com, awsRegion: us-east-1 } }]\n      invalid: [{ name: away, record: { eventSource: textract.amazonaws.com, awsRegion: ap-south-1 }, findings: [/awsRegion] }]\n      skipped: [{ name: other service, record: { eventSource: s3.amazonaws.com, awsRegion: ap-south-1 } }]\n`);
  const ok = cli(["test-rules", dir]);
  assert.is(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /3 passed, 0 failed/);
  writeFileSync(join(dir, "bad.yaml"), `pack: acme2\nrules:\n  - id: acme-none\n    severity: warning\n    description: a rule without cases at all\n    check: { function: absent, options: { at: /x } }\n    message: "{{detail}}"\n    tests: { valid: [], invalid: [] }\n`);
  const bad = cli(["test-rules", dir]);
  assert.is(bad.code, 2, "a pack whose rule lacks cases does not load");
  assert.match(bad.stderr, /not a valid rule pack/);
});

test("the published package works: npm pack, install the tarball into an empty directory, npx trailproof check", () => {
  const dir = tmp();
  const tgz = execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", dir, "--silent"], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
  const app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
  // --prefer-offline, not --offline: `npm ci` caches tarballs but not the registry documents an install
  // of the tarball resolves its dependencies with, so a fresh machine's cache cannot serve it alone.
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", join(dir, tgz)], { cwd: app, stdio: "ignore" });
  writeFileSync(join(app, "leak.json"), JSON.stringify(leaky()));
  writeFileSync(join(app, "clean.json"), JSON.stringify(analyzeDocument()));
  const run = (file: string) => {
    try {
      execFileSync("npx", ["--no-install", "trailproof", "check", file, "--quiet"], { cwd: app, stdio: "pipe" });
      return 0;
    } catch (e) {
      return (e as { status: number }).status;
    }
  };
  assert.is(run("clean.json"), 0);
  assert.is(run("leak.json"), 1);
  // The build's precompiled validators ship too (without them every start compiles the schemas: ~150 ms).
  const installed = join(app, "node_modules", "trailproof");
  for (const f of ["dist/precompiled/validators.json", "dist/precompiled/validators.cjs", "dist/precompiled/rules.json", "dist/bundle/run.cjs"]) assert.ok(existsSync(join(installed, f)), f);
});

test.run();
