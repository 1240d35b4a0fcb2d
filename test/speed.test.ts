// Speed is measured by `npm run bench`, not by timed tests. These check that the fast paths give
// the same answers as the plain ones, and that the benchmark itself runs (a small smoke run).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkPaths } from "../src/check.js";
import { CORPUS, ROOT } from "./support/paths.js";

test("worker threads give the same report, in the same order, as a single-threaded run", async () => {
  const paths = [join(CORPUS, "fail"), join(CORPUS, "pass"), "/nonexistent.json"];
  const single = await checkPaths(paths, { concurrency: "off" });
  const workers = await checkPaths(paths, { concurrency: 2 });
  assert.equal(workers, single);
  assert.ok(single.findings.length > 0);
});

test("npm run bench works (a small smoke run) and prints every figure the issue asks for", () => {
  const out = execFileSync(process.execPath, [join(ROOT, "scripts/bench.mjs"), "--small", "--records", "3000", "--huge-mb", "2", "--ndjson-mb", "1"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  for (const line of ["parse limit", "single-threaded", "--concurrency auto", "huge {Records} file", "gzipped", "huge NDJSON", "20 MB single file", "pre-commit"]) assert.ok(out.includes(line), `bench output lacks "${line}"`);
  assert.match(out, /peak RSS \d+ MB/);
});

test.run();
