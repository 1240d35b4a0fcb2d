/** Lint is part of the suite: ESLint with typescript-eslint's recommended rules (eslint.config.mjs) reports nothing. */
import { spawnSync } from "node:child_process";
import { join, sep } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./support/paths.js";

// (once, under the machine's Node: lint does not depend on the Node that runs it)
const primary = !process.execPath.includes(`${sep}.cache${sep}node${sep}`);

test("lint: eslint . reports no problem in src, test and scripts", () => {
  if (!primary) return console.log("  (lint: runs under the machine's Node only)");
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "eslint", "bin", "eslint.js"), "."], { cwd: ROOT, encoding: "utf8", timeout: 10 * 60_000 });
  assert.is(r.status, 0, r.stdout + r.stderr);
});

test.run();
