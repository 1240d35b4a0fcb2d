import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse as parseYaml } from "yaml";
import { checkPaths } from "../src/check.js";
import { parsePointer, resolvePointer } from "../src/engine/pointer.js";
import { parseBytes } from "../src/readers/reader.js";
import type { Finding } from "../src/generated/report.js";
import { CORPUS } from "./support/paths.js";
import { analyzeDocument, leaky } from "./support/records.js";

/** The text between (line, column) and (endLine, endColumn), columns in bytes, 1-based. */
function slice(source: Buffer, f: Finding): string {
  const lines = source.toString("utf8").split("\n").map((l) => Buffer.from(l));
  const parts: Buffer[] = [];
  for (let l = f.line!; l <= f.endLine!; l++) {
    const line = lines[l - 1]!;
    const from = l === f.line ? f.column! - 1 : 0;
    const to = l === f.endLine ? f.endColumn! - 1 : line.length;
    parts.push(line.subarray(from, to));
  }
  return Buffer.concat(parts.flatMap((p, i) => (i ? [Buffer.from("\n"), p] : [p]))).toString("utf8");
}

async function assertExact(dir: string): Promise<number> {
  const report = await checkPaths([dir], { concurrency: "off" });
  let checked = 0;
  for (const f of report.findings) {
    const raw = readFileSync(f.file);
    const source = f.file.endsWith(".gz") ? gunzipSync(raw) : raw;
    const record = parseBytes(raw, f.file).records.find((r) => r.index === f.record)!.value;
    const expected = resolvePointer(record, parsePointer(f.path));
    if (expected === undefined || f.endLine === undefined) continue; // a missing member points at its parent
    const text = slice(source, f);
    const actual = f.file.endsWith(".yaml") || f.file.endsWith(".yml") ? parseYaml(text) : JSON.parse(text);
    assert.equal(actual, expected, `${f.file} ${f.path} at ${f.line}:${f.column}`);
    checked++;
  }
  return checked;
}

test("every finding in corpus/fail carries a 1-based range, and the range sliced out of the source is the offending value", async () => {
  const report = await checkPaths([join(CORPUS, "fail")]);
  for (const f of report.findings) assert.ok(f.line && f.column, `${f.file} ${f.path} has no position`);
  assert.ok((await assertExact(join(CORPUS, "fail"))) >= 10);
});

test("exact ranges in minified, pretty, NDJSON, gzipped and YAML sources", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-pos-"));
  writeFileSync(join(dir, "min.json"), JSON.stringify({ Records: [analyzeDocument(), leaky(), leaky()] }));
  writeFileSync(join(dir, "pretty.json"), JSON.stringify([analyzeDocument(), leaky()], null, 2));
  writeFileSync(join(dir, "lines.ndjson"), [analyzeDocument(), leaky(), leaky()].map((r) => JSON.stringify(r)).join("\n"));
  writeFileSync(join(dir, "z.json.gz"), gzipSync(JSON.stringify({ Records: [leaky()] }, null, 1)));
  writeFileSync(join(dir, "f.yaml"), `# fixture\nRecords:\n  - ${JSON.stringify(leaky())}\n`);
  assert.ok((await assertExact(dir)) >= 10);
});

test("records that share one text (a line of records, an element holding Records, EventBridge events in one line) are each checked in their own text; ranges stay exact", async () => {
  // Regression: the engine's text scan and positions read the whole shared text once per record
  // (a line of 10,000 records: 18 s).
  const dir = mkdtempSync(join(tmpdir(), "tp-pos-"));
  const wide = { ...analyzeDocument(), userAgent: "caf\u00e9 \u65e5\u672c \u{1F600}" };
  const records = [analyzeDocument(), leaky(), wide, { ...leaky(), eventID: "e2" }, wide];
  const events = records.map((detail) => ({ "detail-type": "AWS API Call via CloudTrail", detail }));
  const lines = [JSON.stringify(records), "  " + JSON.stringify({ Records: records }), JSON.stringify(events)];
  writeFileSync(join(dir, "shared.ndjson"), lines.join("\n") + "\n");
  writeFileSync(join(dir, "elements.json"), JSON.stringify([{ Records: records }, { Records: [wide, leaky()] }], null, 2));
  assert.ok((await assertExact(dir)) >= 18);
  const parsed = parseBytes(Buffer.from(lines.join("\n")), "shared.ndjson").records;
  assert.is(parsed.length, 15);
  for (const r of parsed) assert.equal(JSON.parse(r.own!.text), r.value, `record ${r.index}`);
  // Alone in its text, a record has none (its text is raw).
  assert.is(parseBytes(Buffer.from(JSON.stringify({ Records: records })), "one.json").records[0]!.own, undefined);
});

test("locateInOrder gives the spans locate gives, path by path, in one pass", async () => {
  const { locate, locateInOrder } = await import("../src/positions/json-text.js");
  const { unwrap } = await import("../src/readers/unwrap.js");
  const rec = (i: number) => ({ eventID: `e${i}`, n: [i, { k: "x".repeat(i) }], "q\"": "\\" });
  const values: unknown[] = [
    [rec(0), rec(1), rec(2)],
    { Records: [rec(0), rec(1)] },
    [{ Records: [rec(0), rec(1)] }, rec(2), { "detail-type": "AWS API Call via CloudTrail", detail: rec(3) }, { Records: [] }, { Records: [rec(4), rec(5), rec(6)] }],
    [{ Events: [{ CloudTrailEvent: JSON.stringify(rec(0)) }] }, rec(1), rec(2)],
  ];
  for (const value of values) {
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), JSON.stringify(value, null, "\t")]) {
      const paths = [...unwrap(value)].map((u) => u.site.at);
      assert.equal(locateInOrder(text, paths), paths.map((p) => { const s = locate(text, p); return s && { start: s.start, end: s.end }; }), text.slice(0, 60));
    }
  }
  // Paths that skip elements, go back, or lead nowhere.
  const text = JSON.stringify([[1, 2, 3], { a: [4, 5] }, 6]);
  assert.equal(locateInOrder(text, [[0, 2], [1, "a", 1], [0, 0], [1, "b"], [2], [3]]).map((s) => s && text.slice(s.start, s.end)), ["3", "5", "1", undefined, "6", undefined]);
});

test("duplicateKeys: a key repeated in one object, however written; the same key in different objects is no repeat", async () => {
  const { duplicateKeys } = await import("../src/positions/json-text.js");
  const cases: Array<[string, Array<Array<string | number>>]> = [
    ['{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}', []],
    ['{"a":1,"a":2}', [["a"]]],
    ['{"x":[[],{},{"k":{},"k":[]}],"y":{"\\"q":1,"\\u0022q":2}}', [["x", 2, "k"], ["y", '"q']]],
    [' [ { "a" : { } , "b" : [ ] , "a" : "}" } , { "a\\\\" : 1 , "a\\\\" : 2 } ] ', [[0, "a"], [1, "a\\"]]],
    ['{"e":{"x":1,"y":2,"x":3,"x":4}}', [["e", "x"], ["e", "x"]]],
    ["[]", []],
    ['"{\\"a\\":1,\\"a\\":2}"', []],
  ];
  for (const [text, expected] of cases) assert.equal(duplicateKeys(text), expected, text);
  assert.is(duplicateKeys(`{${Array.from({ length: 20 }, () => '"k":1').join(",")}}`, 3).length, 3);
});

test("clean records get no positions computed (and findings of other files are unaffected)", async () => {
  const report = await checkPaths([join(CORPUS, "pass")]);
  assert.is(report.findings.length, 0);
  assert.ok(readdirSync(join(CORPUS, "pass")).length > 0);
});


test("locate finds each value's exact span however its strings escape quotes and backslashes (quote-to-quote search)", async () => {
  const { locate } = await import("../src/positions/json-text.js");
  // Keys and values ending in runs of backslashes, escaped quotes, both; long ones too (indexOf jumps over them).
  const pieces = ["", "\\", "\\\\", "\\\\\\", '"', '\\"', '\\\\"', "a", "x".repeat(70_000), "\u00e9\u{1F600}"];
  let n = 0;
  for (const a of pieces) {
    for (const b of pieces) {
      const record = { [`k${a}`]: `${b}${a}`, [a + b]: [`${a}"`, { [b]: b + a }], last: `${a}${b}\\` };
      for (const text of [JSON.stringify(record), JSON.stringify(record, null, 2)]) {
        for (const path of [[`k${a}`], [a + b, 0], [a + b, 1, b], ["last"]]) {
          const span = locate(text, path);
          assert.ok(span, JSON.stringify(path));
          assert.equal(JSON.parse(text.slice(span.start, span.end)), resolvePointer(record, path), JSON.stringify(path));
          n++;
        }
      }
    }
  }
  assert.is(n, pieces.length * pieces.length * 8);
});

test.run();
