import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkPaths } from "../src/check.js";
import { SCHEMA_IDS, schemaRegistry } from "../src/schemas.js";
import { normalise } from "./support/golden.js";
import { CORPUS } from "./support/paths.js";

for (const set of ["pass", "fail"]) {
  test(`golden report for corpus/${set}`, async () => {
    const report = await checkPaths([join(CORPUS, set)]);
    const expected = JSON.parse(readFileSync(join(CORPUS, "expected", `${set}.json`), "utf8"));
    assert.equal(normalise(report), expected);
  });
}

test("corpus/pass: a passing record for every Textract operation and every identity type, no finding", async () => {
  const report = await checkPaths([join(CORPUS, "pass")]);
  assert.is(report.findings.length, 0);
  assert.is(report.inputErrors.length, 0);
  assert.ok(report.summary.records >= 50);
});

test("corpus/fail: every rule fires at least once, and every file fails", async () => {
  const report = await checkPaths([join(CORPUS, "fail")]);
  const rules = new Set(report.findings.map((f) => f.ruleId));
  for (const id of ["no-request-bytes", "no-response-fields", "no-document-content", "no-analysis-output", "valid-user-identity", "consistent-user-identity", "valid-record", "known-operation", "event-version-fields"]) {
    assert.ok(rules.has(id), `${id} has no failing corpus record`);
  }
  const files = new Set(report.findings.map((f) => f.file));
  for (const name of readdirSync(join(CORPUS, "fail"))) assert.ok(files.has(join(CORPUS, "fail", name)), `${name} raised nothing`);
});

test("JSON reports validate against schemas/report.schema.json", async () => {
  const validate = schemaRegistry().validator(SCHEMA_IDS.report);
  for (const set of ["pass", "fail"]) {
    const report = await checkPaths([join(CORPUS, set)]);
    assert.ok(validate(report), JSON.stringify(validate.errors));
  }
});

test("no report repeats a leaked value", async () => {
  const report = JSON.stringify(await checkPaths([join(CORPUS, "fail")]));
  for (const secret of ["iVBORw0KGgo", "JVBERi0", "hypertension", "Diagnosis", "137,80,78,71"]) assert.not.ok(report.includes(secret), `report contains ${secret}`);
});

test.run();
