/**
 * The pre-commit hooks as users run them: the real pre-commit (Debian's package) installs this
 * repository at a commit (npm install, npm pack, npm install -g of the tarball) into a throwaway
 * repository and runs both hooks there.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./support/paths.js";
import { PNG_BASE64, analyzeDocument, leaky } from "./support/records.js";

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const git = (cwd: string, ...args: string[]): string => {
  const r = spawnSync("git", ["-c", "user.name=trailproof-test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};

// Installing the package is the slow part (its dev dependencies build it): once, under the machine's Node.
const primary = !process.execPath.includes(`${sep}.cache${sep}node${sep}`);
const version = spawnSync("pre-commit", ["--version"], { encoding: "utf8" });
const skip = !primary ? "runs under the machine's Node only" : version.status !== 0 ? "pre-commit is not installed (apt-get install -y pre-commit)" : undefined;

/** The working tree as a repository of one commit: what a user pins in `rev:`. */
function snapshot(): { repo: string; rev: string } {
  const repo = tmp("tp-hook-source-");
  const files = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0").filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(repo, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(repo, f));
  }
  git(repo, "init", "-q");
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "snapshot");
  return { repo, rev: git(repo, "rev-parse", "HEAD").trim() };
}

test("pre-commit installs both hooks from the repository at a commit and runs them: ordinary files pass, a leak fails, trailproof-fix redacts it", () => {
  if (skip) return console.log(`  (pre-commit: skipped: ${skip})`);
  const { repo: source, rev } = snapshot();
  const user = tmp("tp-hook-user-");
  git(user, "init", "-q");
  const config = (id: string) => `repos:\n  - repo: ${source}\n    rev: ${rev}\n    hooks:\n      - id: ${id}\n`;
  writeFileSync(join(user, ".pre-commit-config.yaml"), config("trailproof"));
  writeFileSync(join(user, "package.json"), JSON.stringify({ name: "app", version: "1.0.0" }, null, 2) + "\n");
  mkdirSync(join(user, ".github", "workflows"), { recursive: true });
  writeFileSync(join(user, ".github", "workflows", "ci.yml"), "name: ci\non: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n");
  mkdirSync(join(user, "fixtures"));
  writeFileSync(join(user, "fixtures", "call.json"), JSON.stringify({ Records: [analyzeDocument()] }, null, 2) + "\n");
  git(user, "add", "-A");
  const env = { ...process.env, PRE_COMMIT_HOME: tmp("tp-hook-home-"), NO_COLOR: "1" };
  const run = (): SpawnSyncReturns<string> => spawnSync("pre-commit", ["run", "--all-files", "--color", "never"], { cwd: user, env, encoding: "utf8", timeout: 20 * 60_000 });
  const clean = run();
  assert.is(clean.status, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /trailproof.*Passed/);

  writeFileSync(join(user, "fixtures", "leak.json"), JSON.stringify({ Records: [leaky()] }, null, 2) + "\n");
  git(user, "add", "-A");
  const leak = run();
  assert.is(leak.status, 1, leak.stdout + leak.stderr);
  assert.match(leak.stdout, /no-request-bytes/);

  writeFileSync(join(user, ".pre-commit-config.yaml"), config("trailproof-fix"));
  git(user, "add", "-A");
  const fixing = run(); // pre-commit fails a hook that changes files
  assert.is(fixing.status, 1, fixing.stdout + fixing.stderr);
  assert.not.ok(readFileSync(join(user, "fixtures", "leak.json"), "utf8").includes(PNG_BASE64.slice(0, 40)), "the document is gone");
  git(user, "add", "-A");
  const fixed = run();
  assert.is(fixed.status, 0, fixed.stdout + fixed.stderr);
});

test.run();
