import { readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine } from "../src/engine/engine.js";
import { loadRules } from "../src/rules/load.js";
import { runRuleTests } from "../src/rules/tester.js";
import { rel } from "./support/paths.js";

const ruleSet = loadRules();
const CONTRACT_IDS = ["no-request-bytes", "no-response-fields", "no-document-content", "no-analysis-output", "valid-user-identity", "consistent-user-identity", "valid-record", "known-operation", "event-version-fields"];

// Every embedded case of every built-in rule is its own test.
for (const result of runRuleTests(ruleSet)) {
  test(`rule ${result.ruleId} ${result.kind}: ${result.name}`, () => {
    assert.ok(result.ok, result.problem);
  });
}

test("the public rule ids are exactly the contract's, with their default severities", () => {
  const ids = ruleSet.rules.map((r) => r.id).sort();
  assert.equal(ids, [...CONTRACT_IDS].sort());
  const severity = Object.fromEntries(ruleSet.rules.map((r) => [r.id, r.severity]));
  for (const id of CONTRACT_IDS) assert.is(severity[id], id === "known-operation" || id === "event-version-fields" ? "warning" : "error", id);
});

test("meta: every rule has docs, a message with {{detail}}, valid, invalid and out-of-scope cases where scoped", () => {
  for (const r of ruleSet.rules) {
    assert.ok(r.description.length >= 20, `${r.id}: description`);
    assert.ok(r.rationale && r.rationale.length >= 40, `${r.id}: rationale`);
    assert.ok(r.message.includes("{{detail}}"), `${r.id}: message`);
    assert.ok(r.basis && r.basis.length >= 40, `${r.id}: the AWS statement it rests on (basis)`);
    assert.ok(r.tests.valid.length >= 1 && r.tests.invalid.length >= 1, `${r.id}: cases`);
    for (const c of r.tests.invalid) assert.ok(c.findings && c.findings.length > 0, `${r.id}: invalid case "${c.name}" names its findings`);
    if (r.scope) assert.ok((r.tests.skipped ?? []).length >= 1, `${r.id}: a scoped rule shows a record out of its scope`);
  }
});

test("meta: each built-in rule lives in a file named like its id", () => {
  for (const r of ruleSet.rules) assert.is(basename(r.source).replace(/\.ya?ml$/, ""), r.id);
});

test("meta: leak rules are the fixable ones", () => {
  const leaks = ruleSet.rules.filter((r) => r.leak).map((r) => r.id).sort();
  assert.equal(leaks, ["no-analysis-output", "no-document-content", "no-request-bytes", "no-response-fields"]);
});

test("meta: docs/rules has the generated page of every rule, and no other (npm run docs writes them)", async () => {
  const { rulePages } = (await import(pathToFileURL(rel("scripts/rule-docs.mjs")).href)) as { rulePages: (rules: unknown, engine: typeof createEngine) => Map<string, string> };
  const pages = rulePages(ruleSet.rules, createEngine);
  assert.equal(readdirSync(rel("docs", "rules")).sort(), [...pages.keys()].sort(), "a page is missing or left over: run npm run docs");
  for (const [name, text] of pages) assert.ok(readFileSync(rel("docs", "rules", name), "utf8") === text, `docs/rules/${name} is stale: run npm run docs`);
});

test("meta: the README's rule table is the generated one", async () => {
  const { ruleTable } = (await import(pathToFileURL(rel("scripts/readme-rules.mjs")).href)) as { ruleTable: (rules: unknown) => string };
  const readme = readFileSync(rel("README.md"), "utf8");
  assert.ok(readme.includes(ruleTable(ruleSet.rules)), "README rule table is stale: run npm run docs");
});

test("messages say what was found: an empty document member is no document, hex is hex, an empty responseElements is an empty object", async () => {
  const { checkRecord } = await import("../src/index.js");
  const { analyzeDocument } = await import("./support/records.js");
  const ids = (r: Record<string, unknown>) => checkRecord(r).map((f) => `${f.ruleId}: ${f.message}`);
  assert.equal(ids(analyzeDocument({ requestParameters: { document: { bytes: "" } } })), []);
  assert.match(ids(analyzeDocument({ requestParameters: { document: { bytes: "deadbeefcafe" } } })).join("\n"), /no-request-bytes: .*\(hex data, 6 B/);
  assert.match(ids(analyzeDocument({ responseElements: {} })).join("\n"), /responseElements holds an empty object/);
});

test.run();
