import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ConfigError, checkPaths, checkRecord, checkRecords, createEngine, loadRules, redactRecord } from "../src/index.js";
import { createHash } from "node:crypto";
import { FOLDS_TO_ASCII } from "../src/engine/functions/analysis-output.js";
import { shortHash } from "../src/engine/evidence.js";
import { describeBytesValue, findDocumentsInString } from "../src/detectors/document.js";
import { analyzeDocument, leaky, PNG_BASE64 } from "./support/records.js";

test("checkRecord: a compliant record has no finding; a leaking one names where, what kind and how big", () => {
  assert.equal(checkRecord(analyzeDocument()), []);
  const findings = checkRecord(leaky());
  const bytes = findings.find((f) => f.ruleId === "no-request-bytes")!;
  assert.is(bytes.path, "/requestParameters/document/bytes");
  assert.is(bytes.evidence!.kind, "base64 PNG");
  assert.is(bytes.evidence!.bytes, 70);
  assert.match(bytes.message, /sha256 [0-9a-f]{8}/);
  assert.not.ok(JSON.stringify(findings).includes(PNG_BASE64.slice(0, 12)));
});

test("checkRecord never mutates its input", () => {
  const r = leaky();
  const before = JSON.stringify(r);
  checkRecord(r);
  assert.is(JSON.stringify(r), before);
});

test("checkRecords takes an async iterable and yields in order", async () => {
  async function* gen() {
    yield analyzeDocument();
    yield leaky();
    yield 42;
  }
  const out = [];
  for await (const r of checkRecords(gen())) out.push(r);
  assert.equal(out.map((r) => r.index), [0, 1, 2]);
  assert.is(out[0]!.findings.length, 0);
  assert.ok(out[1]!.findings.some((f) => f.ruleId === "no-request-bytes"));
  assert.equal(out[2]!.findings.map((f) => f.ruleId), ["valid-record"]);
});

test("profiles: documented enforces only the six documented rows", () => {
  const record = analyzeDocument({ eventName: "AnalyzeExpense", responseElements: { documentMetadata: { pages: 1 } } });
  assert.ok(checkRecord(record, { profile: "strict" }).some((f) => f.ruleId === "no-response-fields"));
  assert.not.ok(checkRecord(record, { profile: "documented" }).some((f) => f.ruleId === "no-response-fields"));
});

test("severity overrides and turning a rule off", () => {
  const engine = createEngine({ severities: { "no-request-bytes": "warning", "no-document-content": "off" } });
  const ids = engine.check(leaky()).map((f) => `${f.ruleId}:${f.severity}`);
  assert.equal(ids, ["no-request-bytes:warning"]);
  assert.throws(() => createEngine({ severities: { "no-such-rule": "off" } }), (e: unknown) => e instanceof ConfigError);
});

test("other services get only the envelope and identity rules", () => {
  const s3 = analyzeDocument({ eventSource: "s3.amazonaws.com", eventName: "PutObject", requestParameters: { document: { bytes: PNG_BASE64 } }, responseElements: { blocks: [{ blockType: "LINE" }] } });
  assert.equal(checkRecord(s3), []);
});

test("loadRules: a user's pack is validated; a bad one is a typed ConfigError", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-rules-"));
  writeFileSync(join(dir, "bad.yaml"), "pack: mine\nrules:\n  - id: Bad Id\n");
  assert.throws(() => loadRules([dir]), (e: unknown) => e instanceof ConfigError && /not a valid rule pack/.test((e as Error).message));
});

test("loadRules: user patterns that backtrack catastrophically are refused", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-rules-"));
  writeFileSync(
    join(dir, "redos.yaml"),
    `pack: mine\nrules:\n  - id: agent-check\n    severity: warning\n    description: user agents look like an SDK\n    check: { function: pattern, options: { at: /userAgent, match: "^(a+)+$" } }\n    message: "{{detail}}"\n    tests:\n      valid: [{ name: a, record: {} }]\n      invalid: [{ name: b, record: {} }]\n`,
  );
  assert.throws(() => createEngine({ rules: loadRules([dir]) }), (e: unknown) => e instanceof ConfigError && /refused/.test((e as Error).message));
});

test("checkPaths: unreadable paths are input errors in the report, never exceptions", async () => {
  const report = await checkPaths(["/nonexistent/trail.json.gz"]);
  assert.is(report.summary.inputErrors, 1);
  assert.is(report.inputErrors[0]!.code, "READ");
});

test("checking a record with __proto__ keys leaves Object.prototype untouched", () => {
  const r = JSON.parse(`{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "eventSource": "textract.amazonaws.com", "eventName": "AnalyzeDocument", "requestParameters": {"__proto__": {"bytes": "x"}}}`);
  checkRecord(r);
  assert.is(({} as Record<string, unknown>)["polluted"], undefined);
  assert.is((Object.prototype as Record<string, unknown>)["polluted"], undefined);
});

test("deeply nested values do not overflow the stack", () => {
  let deep: unknown = "leaf";
  for (let i = 0; i < 200_000; i++) deep = [deep];
  const findings = checkRecord(analyzeDocument({ additionalEventData: { deep } }));
  assert.ok(Array.isArray(findings));
});

test("prefilters never miss: checking with the record's JSON text finds exactly what checking without it finds", () => {
  const engine = createEngine();
  const jpeg = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4n";
  const cases = [
    leaky(),
    analyzeDocument({ additionalEventData: { a: `x ${jpeg} y` } }),
    analyzeDocument({ additionalEventData: { a: jpeg.replace(/\//g, "_").replace(/\+/g, "-") } }),
    analyzeDocument({ additionalEventData: { b: [255, 216, 255, 224, 0, 16] } }),
    analyzeDocument({ additionalEventData: { b: { "0": 37, "1": 80, "2": 68, "3": 70, "4": 45 } } }),
    analyzeDocument({ additionalEventData: { c: "%PDF-1.7 raw" } }),
    analyzeDocument({ additionalEventData: { c: "\u0089PNG\r\n\u001a\n raw" } }),
    analyzeDocument({ responseElements: { BLOCKS: [{ BlockType: "LINE" }] } }),
    analyzeDocument({ errorMessage: JSON.stringify({ ExpenseDocuments: [{ x: 1 }] }) }),
    // Pretty-printed JSON inside a string: its newlines are escaped in the record's text.
    analyzeDocument({ errorMessage: JSON.stringify({ Blocks: [{ BlockType: "LINE" }] }, null, 2).replace("\"Blocks\": [", "\"Blocks\":\n\t[") }),
    // The Kelvin sign lower-cases to "k": a key the check matches although it is not ASCII.
    analyzeDocument({ responseElements: { "BLOC\u212aS": [{ BlockType: "LINE" }] } }),
    analyzeDocument({ additionalEventData: { b: [1.37e2, 80, 78, 71, 13, 10] } }),
    analyzeDocument({ additionalEventData: { b: { type: "Buffer", data: [37, 80, 68, 70, 45, 49] } } }),
    analyzeDocument(),
  ];
  for (const record of cases) {
    const exponents = JSON.stringify(record).replace(/\[137,/g, "[1.37e2,");
    for (const raw of [JSON.stringify(record), JSON.stringify(record, null, 2), JSON.stringify(record).replace(/\//g, "\\/"), exponents]) {
      assert.equal(engine.check(record, { file: "", index: 0, raw }), engine.check(record), raw.slice(0, 80));
    }
  }
});

test("a hostile variety of eventNames (past the dispatch cache) makes no record compile a regular expression", () => {
  const engine = createEngine();
  const records = Array.from({ length: 10_050 }, (_, i) => analyzeDocument({ eventName: `Op${i}` }));
  const raws = records.map((r) => JSON.stringify(r));
  for (let i = 0; i < 10_010; i++) engine.check(records[i], { file: "", index: i, raw: raws[i] });
  const original = globalThis.RegExp;
  let compiled = 0;
  globalThis.RegExp = class extends original {
    constructor(...args: ConstructorParameters<typeof RegExp>) {
      super(...args);
      compiled++;
    }
  } as RegExpConstructor;
  try {
    for (let i = 10_010; i < records.length; i++) engine.check(records[i], { file: "", index: i, raw: raws[i] });
  } finally {
    globalThis.RegExp = original;
  }
  assert.is(compiled, 0);
});

test("the only non-ASCII characters that lower-case to an ASCII letter are the ones the analysis prefilter spells out", () => {
  const found: Record<string, string[]> = {};
  for (let cp = 0x80; cp <= 0xffff; cp++) {
    const lower = String.fromCharCode(cp).toLowerCase();
    if (lower.length === 1 && lower < "\u0080") (found[lower] ??= []).push(String.fromCharCode(cp));
  }
  assert.equal(found, FOLDS_TO_ASCII);
});

test("big payloads are hashed and decoded a slice at a time, to the same size and hash as whole", () => {
  const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex").slice(0, 8);
  // Astral characters (surrogate pairs) astride every 1 MiB boundary, and a lone surrogate.
  const text = "x" + "\u{1F600}".repeat(1_300_000) + "\ud800" + "a\u00e9".repeat(400_000);
  assert.is(shortHash(text), sha(text));
  assert.is(shortHash("short \u{1F600}"), sha("short \u{1F600}"));
  // 3 MiB and more of a PNG in base64, in both alphabets, padded or not; then smaller ones, decoded
  // where the big ones were (one reused buffer: nothing of theirs may remain), and one decoded whole.
  for (const filler of [3_200_001, 400_000, 150_000]) {
    const png = Buffer.concat([Buffer.from(PNG_BASE64, "base64"), Buffer.alloc(filler, filler % 251)]);
    for (const b64 of [png.toString("base64"), png.toString("base64url"), png.toString("base64").replace(/=+$/, "")]) {
      const [found] = findDocumentsInString(`x ${b64} y`, 32);
      assert.equal(found?.evidence, { kind: "base64 PNG", bytes: png.length, sha256: sha(png) });
      assert.equal(describeBytesValue(b64), { kind: "base64 PNG", bytes: png.length, sha256: sha(png) });
    }
  }
  // Raw binary as a latin-1 string, from its signature to the string's end.
  const raw = "%PDF-1.7 " + "\u00e9\u00ff".repeat(700_000);
  const [r] = findDocumentsInString(`head: ${raw}`, 32);
  assert.equal(r?.evidence, { kind: "raw PDF", bytes: raw.length, sha256: sha(Buffer.from(raw, "latin1")) });
});

test("a finding under a very long key names it by length and hash, not by the key (a key can carry anything); --fix still finds it", () => {
  const key = "k".repeat(1_000_000);
  const record = analyzeDocument({ additionalEventData: { [key]: `x ${PNG_BASE64} y` } });
  const [f] = checkRecord(record);
  assert.is(f?.ruleId, "no-document-content");
  assert.is(f?.path, `/additionalEventData/[key of 1000000 characters, sha256 ${createHash("sha256").update(key).digest("hex").slice(0, 8)}]`);
  assert.ok(JSON.stringify(f).length < 1000);
  const short = checkRecord(analyzeDocument({ additionalEventData: { ["k".repeat(256)]: `x ${PNG_BASE64} y` } }));
  assert.is(short[0]?.path, `/additionalEventData/${"k".repeat(256)}`);
  const redacted = redactRecord(record);
  assert.equal(checkRecord(redacted.record), []);
  assert.ok(JSON.stringify(redacted.changes).length < 1000);
});

test("checking clean and failing records with the built-in rules loads no Ajv (start-up: precompiled validators; regression: a module-level require of Ajv cost every start ~40 ms)", async () => {
  const { execFileSync } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const script = `
    import { createRequire } from "node:module";
    const { checkPaths } = await import(${JSON.stringify(new URL("../src/check.js", import.meta.url).href)});
    const report = await checkPaths([${JSON.stringify(fileURLToPath(new URL("../../corpus", import.meta.url)))}], { concurrency: "off" });
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes("/node_modules/ajv/"));
    console.log(JSON.stringify({ findings: report.findings.length, loaded }));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as { findings: number; loaded: string[] };
  assert.ok(out.findings > 0);
  assert.equal(out.loaded, []);
});

test.run();
