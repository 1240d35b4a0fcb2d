import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkBytes } from "../src/check.js";
import { redactBytes } from "../src/redactor/redact.js";
import { cleanTwins, leakCorpus } from "./support/leaks.js";

const LEAK_RULES = new Set(["no-request-bytes", "no-response-fields", "no-document-content", "no-analysis-output"]);
const leakFindings = (bytes: Uint8Array, name: string) => checkBytes(bytes, name).findings.filter((f) => LEAK_RULES.has(f.ruleId));

const leaks = await leakCorpus();
const clean = await cleanTwins();

test(`recall: every one of ${leaks.length} planted documents (every format x every encoding, in turn in every place and operation) is found`, () => {
  const missed = leaks.filter((l) => leakFindings(Buffer.from(l.text), "leak.json").length === 0).map((l) => l.name);
  assert.equal(missed, [], `${missed.length} of ${leaks.length} missed`);
});

test(`precision: none of ${clean.length} clean twins (long innocent base64 and hex) is a finding`, () => {
  const flagged = clean
    .map((c) => ({ name: c.name, findings: leakFindings(Buffer.from(c.text), "clean.json") }))
    .filter((c) => c.findings.length > 0)
    .map((c) => `${c.name}: ${c.findings.map((f) => f.message).join("; ")}`);
  assert.equal(flagged, []);
});

test("findings name the encoding chain, never the content", () => {
  const by = (part: string) => leaks.find((l) => l.name.includes(part) && l.name.startsWith("PDF"))!;
  const message = (part: string) => leakFindings(Buffer.from(by(part).text), "leak.json").map((f) => f.message).join("\n");
  assert.match(message("gzip in base64"), /gzip in base64, PDF/);
  assert.match(message("Python bytes repr"), /Python bytes repr PDF/);
  assert.match(message("hex, at"), /hex PDF/);
  for (const l of leaks.slice(0, 40)) {
    const report = JSON.stringify(checkBytes(Buffer.from(l.text), "leak.json"));
    assert.not.ok(report.includes(l.document!.subarray(40, 70).toString("base64")), l.name);
  }
});

test("redaction removes every document whole: the fixed record holds no document, by the same detector and by its bytes", () => {
  const left: string[] = [];
  for (const l of leaks) {
    const out = redactBytes(Buffer.from(l.text), "leak.json");
    if (!out.bytes) {
      left.push(`${l.name}: not redacted (${out.errors.map((e) => e.message).join("; ")})`);
      continue;
    }
    const findings = leakFindings(out.bytes, "leak.json");
    const text = out.bytes.toString();
    const body = l.document!.subarray(200, 240);
    const traces = [body.toString("base64").slice(4, 40), body.toString("hex"), body.toString("hex").toUpperCase()].filter((t) => text.includes(t));
    if (findings.length > 0 || traces.length > 0) left.push(`${l.name}: ${findings.map((f) => f.message).join("; ")} ${traces.length ? "(bytes left)" : ""}`);
  }
  assert.equal(left, []);
});

test.run();
