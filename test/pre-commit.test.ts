/**
 * The pre-commit hooks as users run them: the real pre-commit (Debian's package) installs this
 * repository at a commit (npm install, npm pack, npm install -g of the tarball) into a throwaway
 * repository and runs both hooks there.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
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

test("husky 9 + lint-staged 16 run the documented recipe (docs/ci-and-pre-commit.md): a staged leaking fixture is committed redacted, an unfixable finding blocks the commit", () => {
  if (!primary) return console.log("  (husky + lint-staged: skipped: runs under the machine's Node only)");
  const readme = readFileSync(join(ROOT, "docs", "ci-and-pre-commit.md"), "utf8");
  const config = JSON.parse(`{${/^("lint-staged": \{.*\})$/m.exec(readme)![1]!}}`) as Record<string, unknown>;
  const repo = tmp("tp-husky-");
  git(repo, "init", "-q");
  // The tools as an install provides them: the packages in node_modules, their bins in node_modules/.bin.
  mkdirSync(join(repo, "node_modules", ".bin"), { recursive: true });
  for (const [name, bin] of [["husky", "bin.js"], ["lint-staged", "bin/lint-staged.js"]] as const) {
    symlinkSync(join(ROOT, "node_modules", name), join(repo, "node_modules", name));
    symlinkSync(join(ROOT, "node_modules", name, bin), join(repo, "node_modules", ".bin", name));
  }
  symlinkSync(join(ROOT, "dist", "bundle", "main.js"), join(repo, "node_modules", ".bin", "trailproof"));
  writeFileSync(join(repo, ".gitignore"), "node_modules\n");
  writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, ...config }, null, 2) + "\n");
  const husky = spawnSync(join(repo, "node_modules", ".bin", "husky"), ["init"], { cwd: repo, encoding: "utf8" });
  assert.is(husky.status, 0, husky.stderr);
  writeFileSync(join(repo, ".husky", "pre-commit"), "npx lint-staged\n");
  mkdirSync(join(repo, "fixtures"));
  writeFileSync(join(repo, "fixtures", "leak.json"), JSON.stringify({ Records: [leaky()] }, null, 2) + "\n");
  writeFileSync(join(repo, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true } }));
  git(repo, "add", "-A");
  const commit = () => spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", "commit", "-qm", "change"], { cwd: repo, encoding: "utf8", env: { ...process.env, PATH: `${join(repo, "node_modules", ".bin")}:${process.env["PATH"]}` } });
  const first = commit();
  assert.is(first.status, 0, first.stdout + first.stderr);
  const committed = git(repo, "show", "HEAD:fixtures/leak.json");
  assert.not.ok(committed.includes(PNG_BASE64.slice(0, 40)), "committed redacted");
  assert.ok(committed.includes('"document"'), "the rest of the record is committed as it was");
  // A malformed envelope cannot be redacted away: the commit is refused and HEAD stays.
  const head = git(repo, "rev-parse", "HEAD");
  writeFileSync(join(repo, "fixtures", "bad.json"), JSON.stringify({ Records: [analyzeDocument({ eventTime: "yesterday at noon" })] }));
  git(repo, "add", "-A");
  const second = commit();
  assert.ok(second.status !== 0, second.stdout + second.stderr);
  assert.is(git(repo, "rev-parse", "HEAD"), head);
});

test("installing from the repository at a commit, as the README says (a git URL), gives a working trailproof in an empty project", () => {
  if (!primary) return console.log("  (git URL install: skipped: runs under the machine's Node only)");
  const { repo: source, rev } = snapshot();
  const app = tmp("tp-git-install-");
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
  const install = spawnSync("npm", ["install", "--save-dev", "--no-audit", "--no-fund", "--loglevel=error", `git+file://${source}#${rev}`], { cwd: app, encoding: "utf8", timeout: 20 * 60_000 });
  assert.is(install.status, 0, install.stdout + install.stderr);
  writeFileSync(join(app, "leak.json"), JSON.stringify(leaky()));
  const run = spawnSync("npx", ["--no-install", "trailproof", "check", "leak.json", "--quiet"], { cwd: app, encoding: "utf8" });
  assert.is(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /1 record checked, 1 failed/);
});

test.run();
