import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkBytes } from "../src/check.js";
import { analyzeDocument, PNG_BASE64 } from "./support/records.js";

const LEAK_RULES = new Set(["no-request-bytes", "no-response-fields", "no-document-content", "no-analysis-output"]);
const check = (text: string) => checkBytes(Buffer.from(text), "record.json").findings;
const leaks = (text: string) => check(text).filter((f) => LEAK_RULES.has(f.ruleId));
/** A record's JSON text with `key` given twice: `first` before the record's own members, the record's value last. */
const twice = (record: Record<string, unknown>, key: string, first: unknown): string => `{${JSON.stringify(key)}:${JSON.stringify(first)},${JSON.stringify(record).slice(1)}`;

test("a repeated eventSource that names Textract once is checked as Textract, and is a valid-record error", () => {
  const text = twice({ ...analyzeDocument({ requestParameters: { document: { bytes: PNG_BASE64 } } }), eventSource: "s3.amazonaws.com" }, "eventSource", "textract.amazonaws.com");
  assert.equal(JSON.parse(text).eventSource, "s3.amazonaws.com", "JSON.parse keeps the last");
  const findings = check(text);
  assert.ok(findings.some((f) => f.ruleId === "no-request-bytes"), JSON.stringify(findings.map((f) => f.ruleId)));
  assert.ok(findings.some((f) => f.ruleId === "valid-record" && f.path === "/eventSource" && /twice/.test(f.message)));
});

test("a repeated eventName is a valid-record error even where nothing else matches, and the Textract name decides the row", () => {
  const clean = twice({ ...analyzeDocument(), eventName: "ListAdapters" }, "eventName", "AnalyzeDocument");
  const f = check(clean);
  assert.ok(f.some((x) => x.ruleId === "valid-record" && x.path === "/eventName"), JSON.stringify(f));
  // The bytes under the name that hides them: AnalyzeDocument's row applies.
  const hidden = twice({ ...analyzeDocument({ requestParameters: { document: { bytes: "c2NhbiBub3QgYSBkb2N1bWVudA==" } } }), eventName: "ListAdapters" }, "eventName", "AnalyzeDocument");
  assert.ok(check(hidden).some((x) => x.ruleId === "no-request-bytes"));
});

test("a repeated requestParameters whose first value holds hex or a Python repr fails the gate", () => {
  const png = Buffer.from(PNG_BASE64, "base64");
  for (const first of [{ document: { bytes: png.toString("hex") } }, { document: { bytes: "b'" + [...png].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("") + "'" } }]) {
    const text = twice(analyzeDocument(), "requestParameters", first);
    const f = check(text);
    assert.ok(f.some((x) => x.ruleId === "valid-record" && x.path === "/requestParameters"), JSON.stringify(f.map((x) => [x.ruleId, x.path])));
  }
});

test("names that are not CloudTrail's (the SDK's command name, another casing, an endpoint host, a FIPS endpoint) are checked as Textract and said to be not CloudTrail's", () => {
  const cases: Array<Record<string, unknown>> = [
    { eventName: "AnalyzeDocumentCommand" },
    { eventName: "analyzeDocument" },
    { eventSource: "textract.us-east-1.amazonaws.com" },
    { eventSource: "textract-fips.us-east-1.amazonaws.com" },
    { eventSource: "Textract.amazonaws.com", eventName: "ANALYZEDOCUMENT" },
  ];
  for (const c of cases) {
    const text = JSON.stringify({ ...analyzeDocument({ requestParameters: { document: { bytes: PNG_BASE64 } } }), ...c });
    const f = check(text);
    assert.ok(f.some((x) => x.ruleId === "no-request-bytes") && f.some((x) => x.ruleId === "no-document-content"), `${JSON.stringify(c)}: ${JSON.stringify(f.map((x) => x.ruleId))}`);
    assert.ok(f.some((x) => x.ruleId === "known-operation" && /CloudTrail writes/.test(x.message)), JSON.stringify(c));
  }
  // Another service's endpoint host is that service, not Textract.
  assert.equal(leaks(JSON.stringify({ ...analyzeDocument({ requestParameters: { document: { bytes: "not bytes" } } }), eventSource: "s3.us-east-1.amazonaws.com" })), []);
});

test.run();
