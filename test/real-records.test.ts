import { readdirSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkPaths } from "../src/check.js";
import { rel } from "./support/paths.js";

// Records AWS itself wrote (test/real-records/PROVENANCE.md): the gate must never fail one.
test("records AWS wrote raise no error, and every one is read", async () => {
  const sources = readdirSync(rel("test/real-records"), { withFileTypes: true }).filter((d) => d.isDirectory());
  assert.ok(sources.length > 0);
  const report = await checkPaths([rel("test/real-records")]);
  assert.is(report.inputErrors.length, 0, JSON.stringify(report.inputErrors));
  assert.ok(report.summary.records >= 3);
  const errors = report.findings.filter((f) => f.severity === "error");
  assert.equal(errors.map((f) => `${f.file}: ${f.ruleId} ${f.message}`), []);
});

test.run();
