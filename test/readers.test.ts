import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stringify as stringifyYaml } from "yaml";
import { BatchWriter, unpackBatch, type Task } from "../src/parallel/pool.js";
import type { InputError } from "../src/errors.js";
import type { ParsedRecord, ParseLimits } from "../src/readers/parse.js";
import { parseBytes, RecordReader } from "../src/readers/reader.js";
import { HeldBytes, JsonRecordSplitter, pieceObjects, type Piece, type PieceSink } from "../src/readers/splitter.js";
import { readAhead, streamInto, type ByteSink } from "../src/readers/stream.js";
import { MAX_YAML_DEPTH, yamlTooDeep } from "../src/readers/yaml-depth.js";
import { analyzeDocument } from "./support/records.js";

const bytes = (s: string): Buffer => Buffer.from(s);
const rec = analyzeDocument();
const one = JSON.stringify(rec);
const values = (s: string | Buffer, name = "x.json") => {
  const r = parseBytes(typeof s === "string" ? bytes(s) : s, name);
  return { records: r.records.map((x) => x.value), indexes: r.records.map((x) => x.index), errors: r.errors };
};

test("a single record", () => {
  const r = values(one);
  assert.equal(r.records, [rec]);
  assert.is(r.errors.length, 0);
});

test("S3 delivery {Records:[...]}, gzipped, recognised by content not extension", () => {
  const r = values(gzipSync(JSON.stringify({ Records: [rec, rec] })), "trail-without-extension");
  assert.equal(r.records, [rec, rec]);
  assert.equal(r.indexes, [0, 1]);
});

test("S3 delivery files are split at once (no sniffing the whole first line): concatenated documents, BOM, and a binary file with the same start", () => {
  const two = `{"Records":[${one},${one}]}\n{"Records":[${one}]}\n`;
  for (const name of ["a.json", "a.log"]) assert.equal(values(two, name).records, [rec, rec, rec], name);
  const cut = values(`{"Records":[${one}]}\n{"Records":[{"eventVersion":\n`);
  assert.equal(cut.records, [rec]);
  assert.equal(cut.errors.map((e) => e.code), ["PARSE"]);
  assert.equal(values(`\ufeff  {"Records": [${one}]}`).records, [rec]);
  // A .yaml file with that start is YAML all the same (a comment after it is not JSON).
  assert.equal(values(`{"Records":[${one}]} # a comment\n`, "a.yaml"), { records: [rec], indexes: [0], errors: [] });
  const binary = values(`{"Records":[${"\u0000".repeat(10)}]}`);
  assert.equal(binary.records, []);
  assert.match(binary.errors[0]!.message, /binary data/);
});

test("a JSON array of records", () => {
  assert.equal(values(JSON.stringify([rec, rec, rec])).records.length, 3);
});

test("NDJSON, blank lines ignored; record index counts non-blank lines", () => {
  const r = values(`${one}\n\n${one}\r\n${one}\n`, "x.log");
  assert.equal(r.indexes, [0, 1, 2]);
});

test("NDJSON: a broken line is an input error with its line number; the others are still read", () => {
  const r = values(`${one}\n{"eventVersion": \n${one}\n`, "x.ndjson");
  assert.is(r.records.length, 2);
  assert.is(r.errors.length, 1);
  assert.is(r.errors[0]!.line, 2);
  assert.is(r.errors[0]!.record, 1);
  assert.equal(r.indexes, [0, 2]);
});

test("EventBridge events: the record under detail", () => {
  const ev = { version: "0", id: "x", "detail-type": "AWS API Call via CloudTrail", source: "aws.textract", detail: rec };
  assert.equal(values(JSON.stringify(ev)).records, [rec]);
  assert.equal(values(JSON.stringify([ev, ev])).records, [rec, rec]);
});

test("lookup-events output: CloudTrailEvent strings parsed, index is the position in Events", () => {
  const out = { Events: [{ EventId: "a", CloudTrailEvent: one }, { EventId: "b", CloudTrailEvent: "{broken" }, { EventId: "c", CloudTrailEvent: one }] };
  const r = values(JSON.stringify(out));
  assert.equal(r.indexes, [0, 2]);
  assert.is(r.errors.length, 1);
  assert.is(r.errors[0]!.record, 1);
});

test("CloudWatch Logs events: a subscription's messages as Firehose writes them (one object after another, a control message among them) and filter-log-events output", () => {
  const event = (message: string, i: number) => ({ id: `3700000000000000000000000${i}`, timestamp: 1772618400000 + i, message });
  const data = (messages: string[]) => ({ messageType: "DATA_MESSAGE", owner: "111122223333", logGroup: "aws-cloudtrail-logs-111122223333", logStream: "111122223333_CloudTrail_us-east-1", subscriptionFilters: ["f"], logEvents: messages.map(event) });
  const control = { messageType: "CONTROL_MESSAGE", owner: "CloudwatchLogs", logGroup: "", logStream: "", subscriptionFilters: [], logEvents: [event("CWL CONTROL MESSAGE: Checking health of destination Firehose.", 0)] };
  const firehose = [control, data([one, one]), data(["{broken", one])].map((m) => JSON.stringify(m)).join("");
  for (const input of [firehose, gzipSync(firehose)]) {
    const r = parseBytes(typeof input === "string" ? bytes(input) : input, "firehose-object");
    assert.equal(r.records.map((x) => [x.value, x.site.at, x.site.embedded]), [
      [rec, ["logEvents", 0, "message"], true],
      [rec, ["logEvents", 1, "message"], true],
      [rec, ["logEvents", 1, "message"], true],
    ]);
    assert.equal(r.errors.map((e) => [e.code, e.record, e.message.replace(/:.*/, "")]), [["PARSE", 2, "message is not valid JSON"]]);
  }
  const cli = { events: [{ logStreamName: "111122223333_CloudTrail_us-east-1", timestamp: 1, message: one, ingestionTime: 2, eventId: "e" }], searchedLogStreams: [] };
  assert.equal(values(JSON.stringify(cli, null, 2)).records, [rec]);
  // A control message alone holds no records and is no error; a record with such keys is a record.
  assert.equal(values(JSON.stringify(control)), { records: [], indexes: [], errors: [] });
  assert.is(values(JSON.stringify({ ...rec, messageType: "DATA_MESSAGE", logEvents: [] })).records.length, 1);
});

test("YAML fixtures, with comments, multiple documents and any shape", () => {
  const yaml = `# fixture\nRecords:\n  - eventVersion: "1.09"\n    eventName: AnalyzeDocument\n---\n- eventVersion: "1.08"\n`;
  const r = values(yaml, "fixture.yaml");
  assert.is(r.records.length, 2);
  assert.is((r.records[0] as Record<string, unknown>)["eventName"], "AnalyzeDocument");
});

test("YAML keeps timestamps and account ids as strings (core schema)", () => {
  const r = values(`eventTime: 2026-03-04T10:11:12Z\nrecipientAccountId: "011122223333"\n`, "x.yml");
  assert.is((r.records[0] as Record<string, unknown>)["eventTime"], "2026-03-04T10:11:12Z");
});

test("malformed JSON: input error with line and column, never the input text", () => {
  const r = values(`{\n  "eventVersion": "1.09",\n  "secret": "iVBORw0KGgo" x\n}`);
  assert.is(r.records.length, 0);
  assert.is(r.errors[0]!.code, "PARSE");
  assert.is(r.errors[0]!.line, 3);
  assert.not.ok(r.errors[0]!.message.includes("iVBOR"));
});

test("truncated gzip: an input error with the offset; complete NDJSON lines before it are still read", () => {
  // Distinct records, so that the cut lands in the middle of real compressed data.
  const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify(analyzeDocument({ eventID: `${String(i).padStart(8, "0")}-2d4f-4a6b-9c8d-${Math.random().toString(16).slice(2, 14).padEnd(12, "0")}`, requestID: Math.random().toString(36) })));
  const gz = gzipSync(lines.join("\n") + "\n");
  const r = values(gz.subarray(0, Math.floor(gz.length * 0.6)), "cut.ndjson.gz");
  assert.ok(r.errors.some((e) => e.code === "GZIP" && typeof e.offset === "number"));
  assert.ok(r.records.length >= 1, "records before the damage are kept");
});

test("binary data and empty input are input errors, not silent passes", () => {
  assert.is(values(Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02])).errors[0]!.message.includes("binary"), true);
  assert.is(values("").errors[0]!.code, "EMPTY");
  assert.is(values("   \n").errors[0]!.code, "EMPTY");
  assert.is(values('{"Records":[]}').errors[0]!.code, "EMPTY");
});

test("a UTF-8 BOM is accepted", () => {
  assert.equal(values("\ufeff" + one).records, [rec]);
});

test("YAML alias bombs are refused as a limit, not expanded", () => {
  const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join("\n");
  const r = values(bomb, "bomb.yaml");
  assert.is(r.records.length, 0);
  assert.is(r.errors[0]!.code, "LIMIT");
});

test("hostile YAML nesting is a LIMIT input error, not a crash", () => {
  const r = values("[".repeat(100_000) + "]".repeat(100_000), "deep.yaml");
  assert.is(r.records.length, 0);
  assert.is(r.errors[0]!.code, "LIMIT");
  assert.match(r.errors[0]!.message, /nesting too deep/);
});

test("YAML nested past MAX_YAML_DEPTH is refused before the yaml package builds it", () => {
  // Regression: 2 MB of "[" took 9.6 s and 1.2 GB (8 MB: a crash out of memory); 300 levels parsed.
  const flow = (n: number) => "a: " + "[".repeat(n) + "]".repeat(n) + "\n";
  const block = (n: number) => "- ".repeat(n) + "x\n";
  for (const deep of [flow(300), block(300), "[".repeat(2_000_000), "- ".repeat(1_000_000)]) {
    const r = values(deep, "deep.yaml");
    assert.is(r.records.length, 0);
    assert.is(r.errors[0]!.code, "LIMIT");
    assert.match(r.errors[0]!.message, new RegExp(`nesting too deep to parse safely \\(over ${MAX_YAML_DEPTH} levels\\)`));
  }
  assert.ok(yamlTooDeep(flow(MAX_YAML_DEPTH)));
  assert.not.ok(yamlTooDeep(flow(MAX_YAML_DEPTH - 3)));
  assert.is(values(flow(MAX_YAML_DEPTH - 3), "edge.yaml").records.length, 1);
});

test("YAML that only looks deep is not refused: brackets in scalars, deep block scalars, long keys", () => {
  const scalars = `eventName: "${"[".repeat(5000)}"\nuserAgent: '${"{".repeat(5000)}'\nplain: a${"[".repeat(5000)}\n`;
  const blockScalar = `text: |\n${Array.from({ length: 600 }, (_, i) => " ".repeat(2 + i) + "line").join("\n")}\nb: 1\n`;
  const indented = Array.from({ length: 60 }, (_, i) => "  ".repeat(i) + `k${i}:`).join("\n") + " leaf\n";
  for (const text of [scalars, blockScalar, indented, `${"k".repeat(1000)}: v\n`]) {
    assert.not.ok(yamlTooDeep(text));
    const r = values(text, "ok.yaml");
    assert.equal(r.errors, []);
    assert.is(r.records.length, 1);
  }
});

test("an array in an array is a record that is not an object, not one more container", () => {
  // Regression: each level of nested arrays was unwrapped as a container of records, copying its
  // path (20,000 nested brackets: 10 s; the record inside [[{...}]] was checked as a record).
  const r = values(JSON.stringify([[{ eventVersion: "1.08" }], { eventVersion: "1.09" }]));
  assert.equal(r.errors, []);
  assert.equal(r.records, [[{ eventVersion: "1.08" }], { eventVersion: "1.09" }]);
  const deep = values("[".repeat(50_000) + "]".repeat(50_000));
  assert.is(deep.records.length, 1);
  assert.ok(Array.isArray(deep.records[0]));
});

test("a CloudTrail digest file holds no records and is no failure (regression: read as a record, it failed ten envelope checks)", () => {
  const digest = { awsAccountId: "111122223333", digestStartTime: "2026-03-04T10:00:00Z", digestEndTime: "2026-03-04T11:00:00Z", digestS3Bucket: "b", digestS3Object: "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/04/d.json.gz", previousDigestSignature: null, logFiles: [] };
  for (const input of [JSON.stringify(digest), gzipSync(JSON.stringify(digest))]) {
    const r = values(input, "d.json.gz");
    assert.equal(r.records, []);
    assert.equal(r.errors, []);
  }
  // Only that shape: with an eventVersion it is a record, and an empty file is still an input error.
  assert.is(values(JSON.stringify({ ...digest, eventVersion: "1.08" })).records.length, 1);
  assert.is(values("{}").records.length, 1);
  assert.is(values("").errors[0]!.code, "EMPTY");
});

test("under AWSLogs/[o-org/]<account>/ only CloudTrail's folders are walked: AWS Config and other services deliver .json.gz there too (regression: a Control Tower log archive failed on Config history)", async () => {
  const { expandPaths } = await import("../src/readers/sources.js");
  const root = mkdtempSync(join(tmpdir(), "tp-awslogs-"));
  const files = [
    "AWSLogs/o-abcdef1234/111122223333/CloudTrail/us-east-1/2026/03/04/t.json.gz",
    "AWSLogs/o-abcdef1234/111122223333/CloudTrail-Insight/us-east-1/2026/03/04/i.json.gz",
    "AWSLogs/o-abcdef1234/111122223333/CloudTrail-Digest/us-east-1/2026/03/04/d.json.gz",
    "AWSLogs/o-abcdef1234/111122223333/Config/us-east-1/2026/3/4/ConfigHistory/c.json.gz",
    "AWSLogs/444455556666/GuardDuty/us-east-1/2026/03/04/g.jsonl.gz",
    "AWSLogs/444455556666/CloudTrail/us-east-1/2026/03/04/u.json.gz",
    "fixtures/Config/f.json",
    "AWSLogs/not-an-account/Config/n.json",
  ];
  for (const f of files) {
    execFileSync("mkdir", ["-p", join(root, f, "..")]);
    writeFileSync(join(root, f), "{}");
  }
  const walked = async (p: string) => {
    const out: string[] = [];
    for await (const e of expandPaths([p])) if ("file" in e) out.push(e.file.slice(root.length + 1));
    return out.sort();
  };
  assert.equal(await walked(root), files.filter((f) => !/\/(Config|GuardDuty)\/[0-9a-z-]+\/2026/.test(f)).sort());
  // Named explicitly, a service's folder is read like any other.
  assert.equal(await walked(join(root, "AWSLogs/o-abcdef1234/111122223333/Config/")), [files[3]]);
  assert.equal(await walked(join(root, "AWSLogs/444455556666") + "/"), [files[5]]);
});

test("YAML custom tags are data, never executed", () => {
  const r = values(`eventName: !!js/function "function(){ throw new Error('ran') }"\n`, "x.yaml");
  assert.is(typeof (r.records[0] as Record<string, unknown>)["eventName"], "string");
});

test("__proto__ keys are own data in JSON and YAML, and pollute nothing", () => {
  const j = values('{"__proto__": {"polluted": true}, "eventName": "AnalyzeDocument"}').records[0] as Record<string, unknown>;
  assert.ok(Object.hasOwn(j, "__proto__"));
  const y = values('__proto__:\n  polluted: true\neventName: X\n', "x.yaml").records[0] as Record<string, unknown>;
  assert.ok(Object.hasOwn(y, "__proto__"));
  assert.is(({} as Record<string, unknown>)["polluted"], undefined);
});

test("bytes held across chunks are kept in one reused buffer: each piece reads back exactly, a smaller one after a bigger, none past the limit", () => {
  const held = new HeldBytes(300_000);
  const big = Buffer.alloc(200_000, 0x61);
  big[199_999] = 0x7a;
  held.keep(big.subarray(0, 70_000));
  held.keep(big.subarray(70_000)); // grows past its first 64 KiB, keeping what it had
  assert.equal(Buffer.concat(held.parts), big);
  held.drop();
  assert.equal(held.parts, []);
  held.keep(Buffer.from("small"));
  held.keep(Buffer.from(" piece"));
  assert.equal(Buffer.concat(held.parts).toString(), "small piece");
  held.keep(big);
  held.keep(big); // past the limit: counted, no longer held
  assert.equal([held.over, held.bytes, held.parts.length], [true, 400_011, 0]);
});

test("a sink that takes views gets a piece that spans chunks as one view of the held bytes, the same bytes as a joined copy", () => {
  const text = JSON.stringify({ Records: [analyzeDocument({}), { eventName: "x".repeat(150_000) }, analyzeDocument({ eventName: "DetectDocumentText" })] });
  const cut = (viewsOnly: boolean) => {
    const seen: Array<{ head: number; text: string }> = [];
    const splitter = new JsonRecordSplitter();
    const sink = { ...pieceObjects(() => undefined, undefined, viewsOnly), piece: (...a: Parameters<PieceSink["piece"]>) => void seen.push({ head: a[1].length, text: Buffer.concat([...a[1], a[2].subarray(a[3], a[4])]).toString() }) };
    const buf = Buffer.from(text);
    for (let i = 0; i < buf.length; i += 40_000) splitter.pushTo(buf.subarray(i, i + 40_000), sink);
    return seen;
  };
  const joined = cut(false);
  const views = cut(true);
  assert.equal(views.map((p) => p.text), joined.map((p) => p.text));
  assert.equal(JSON.parse(`[${views.map((p) => p.text).join(",")}]`), JSON.parse(text).Records);
  assert.ok(joined.some((p) => p.head > 0), "a piece spans chunks");
  assert.ok(views.every((p) => p.head === 0));
});

/**
 * Everything a record carries (value, index, line, position, text) and the input errors, read in chunks of
 * `size`: decoded by the reader itself, or cut into batches (as for worker threads) and decoded from them.
 */
function readInChunks(name: string, text: string, size: number, batched: boolean, limits?: ParseLimits, lent = false) {
  const records: ParsedRecord[] = [];
  const errors: InputError[] = [];
  const sink = { record: (r: ParsedRecord) => records.push(r), error: (e: InputError) => errors.push(e) };
  const tasks: Task[] = [];
  // Small buffers and batches: records outgrow a buffer, and a file makes many batches.
  const writer = new BatchWriter((min) => new ArrayBuffer(Math.max(64, min)), () => tasks.push(writer.take(name)!), 100);
  const reader = new RecordReader(name, sink, limits, batched ? writer : undefined);
  const buf = Buffer.from(text);
  // Lent: each chunk in the same buffer, overwritten with brackets once pushed (as the file reader reuses its buffers).
  const loan = Buffer.alloc(size);
  for (let i = 0; i < buf.length; i += size) {
    const chunk = buf.subarray(i, i + size);
    if (!lent) {
      reader.push(chunk);
      continue;
    }
    chunk.copy(loan);
    reader.push(loan.subarray(0, chunk.length));
    loan.fill("[");
  }
  reader.end();
  const last = writer.take(name);
  if (last) tasks.push(last);
  const decoder = new RecordReader(name, sink, limits);
  for (const task of tasks) for (const unit of unpackBatch(task as Extract<Task, { type: "batch" }>)) decoder.decode(unit);
  return { records, errors };
}

test("the streaming reader gives the same records whatever the chunk boundaries", () => {
  const rec2 = analyzeDocument({ eventID: "11111111-2222-4333-8444-555555555555", userAgent: 'quote " brace } bracket ] \\ backslash \u00e9' });
  const inputs: Array<[string, string]> = [
    ["records.json", JSON.stringify({ Records: [rec, rec2, rec] }, null, 2)],
    ["records-min.json", JSON.stringify({ Records: [rec2, rec] })],
    ["array.json", JSON.stringify([rec, [rec2], { "detail-type": "AWS API Call via CloudTrail", detail: rec }])],
    ["lookup.json", JSON.stringify({ Events: [{ CloudTrailEvent: JSON.stringify(rec2) }, { CloudTrailEvent: JSON.stringify(rec) }] })],
    ["single.json", JSON.stringify(rec2, null, 3)],
    ["lines.log", [rec, rec2, rec].map((r) => JSON.stringify(r)).join("\n")],
    ["later-records.json", JSON.stringify({ meta: { n: 2 }, Records: [rec, rec2] })],
    // Scalars as elements: one that ends exactly at a chunk's end is finished by the next chunk's delimiter.
    ["scalars.json", `[1,22,"a",true,null,-3.5e2,\n 4 ,${JSON.stringify(rec)},false]`],
  ];
  for (const [name, text] of inputs) {
    const whole = readInChunks(name, text, text.length, false);
    assert.is(whole.errors.length, 0, name);
    assert.equal(whole.records.map((r) => r.value), values(text, name).records, name);
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      for (const batched of [false, true]) {
        const result = readInChunks(name, text, size, batched);
        assert.equal(result.records, whole.records, `${name} in chunks of ${size}${batched ? ", batched" : ""}`);
        assert.is(result.errors.length, 0, `${name} in chunks of ${size}`);
      }
    }
  }
});

test("cut into batches, a big record or NDJSON line that spans chunks is a batch of its own in the buffer it was gathered in (no copy); the next is gathered in a spare", () => {
  const records = [analyzeDocument({}), analyzeDocument({ userAgent: "u".repeat(300_000) }), analyzeDocument({ userAgent: "v".repeat(200_000) }), analyzeDocument({ eventName: "DetectDocumentText" })];
  const texts: Array<[string, string]> = [
    ["x.json", JSON.stringify({ Records: records })],
    ["x.ndjson", records.map((r) => JSON.stringify(r)).join("\n")], // the last line without a newline
  ];
  for (const [name, text] of texts) {
    const given: ArrayBuffer[] = [];
    const tasks: Task[] = [];
    const writer = new BatchWriter((min) => given[given.push(new ArrayBuffer(min)) - 1]!, () => tasks.push(writer.take(name)!), 100_000);
    const reader = new RecordReader(name, { record: () => assert.unreachable("decoded here"), error: (e) => assert.unreachable(e.message) }, undefined, writer);
    const buf = Buffer.from(text);
    for (let i = 0; i < buf.length; i += 64 << 10) reader.push(buf.subarray(i, i + (64 << 10)));
    reader.end();
    const last = writer.take(name);
    if (last) tasks.push(last);
    const batches = tasks as Array<Extract<Task, { type: "batch" }>>;
    const bytesOf = (u: ReturnType<typeof unpackBatch>[number]) => (u.type === "piece" ? u.piece.text : u.type === "line" ? u.raw : Buffer.alloc(0));
    // The small records before and after go in batches of their own; each big one is alone in a gathered buffer.
    assert.equal(batches.flatMap((t) => unpackBatch(t).map((u) => JSON.parse(bytesOf(u).toString()))), records, name);
    const big = batches.filter((t) => unpackBatch(t).some((u) => bytesOf(u).length > 100_000));
    assert.is(big.length, 2, name);
    for (const t of big) {
      assert.is(unpackBatch(t).length, 1, name);
      assert.ok(given.includes(t.buffer), `${name}: the splitter's buffer, from the writer's spares`);
    }
    assert.is.not(big[0]!.buffer, big[1]!.buffer);
    // No buffer was asked for to copy a big record into (a request of its exact size).
    const sizes = big.map((t) => bytesOf(unpackBatch(t)[0]!).length);
    assert.ok(!given.some((b) => sizes.includes(b.byteLength)), `${name}: no copy`);
  }
});

test("chunks are lent: the reader keeps copies, never views, of what it holds past a push (JSON, sniffed heads, NDJSON, YAML)", () => {
  const rec2 = analyzeDocument({ eventID: "11111111-2222-4333-8444-555555555555", userAgent: "a \"quoted\" agent" });
  const inputs: Array<[string, string]> = [
    ["records.json", JSON.stringify({ Records: [rec, rec2] }, null, 2)],
    // Neither an S3 delivery nor a second line yet: the reader holds the head while it decides.
    ["single.json", JSON.stringify(rec2, null, 3)],
    ["array.json", JSON.stringify([rec, rec2])],
    ["lines.log", [rec, rec2, rec].map((r) => JSON.stringify(r)).join("\n")],
    ["records.yaml", stringifyYaml({ Records: [rec, rec2] })],
  ];
  // A YAML record's positions come with a function (a closure per read): compared by what it answers.
  const comparable = (records: ParsedRecord[]) => records.map((r) => ({ ...r, pos: r.pos && { ...r.pos, locate: r.pos.locate?.(r.site.at) } }));
  for (const [name, text] of inputs) {
    const whole = readInChunks(name, text, text.length, false);
    assert.is(whole.errors.length, 0, name);
    assert.is(whole.records.length, name === "lines.log" ? 3 : name === "single.json" ? 1 : 2, name);
    for (const size of [1, 7, 64, 1000]) {
      for (const batched of [false, true]) {
        const result = readInChunks(name, text, size, batched, undefined, true);
        assert.equal(comparable(result.records), comparable(whole.records), `${name} in lent chunks of ${size}${batched ? ", batched" : ""}`);
        assert.is(result.errors.length, 0, `${name} in lent chunks of ${size}`);
      }
    }
  }
});

test("a record over the size limit is a LIMIT input error in its place, skipped without its bytes held; the records around it are read", () => {
  const big = analyzeDocument({ additionalEventData: { note: "x".repeat(5000) } });
  const limits = { maxYamlAliases: 100, maxRecordBytes: 2000 };
  const inputs: Array<[string, string]> = [
    ["records.json", JSON.stringify({ Records: [rec, big, rec] })],
    ["pretty.json", JSON.stringify({ Records: [rec, big, rec] }, null, 2)],
    ["array.json", JSON.stringify([rec, big, rec])],
    ["lookup.json", JSON.stringify({ Events: [{ CloudTrailEvent: JSON.stringify(rec) }, { CloudTrailEvent: JSON.stringify(big) }, { CloudTrailEvent: JSON.stringify(rec) }] }, null, 1)],
    ["lines.ndjson", [rec, big, rec].map((r) => JSON.stringify(r)).join("\n")],
    ["last-line.ndjson", [rec, rec, big].map((r) => JSON.stringify(r)).join("\n")],
    ["docs.json", [rec, big, rec].map((r) => JSON.stringify(r, null, 1)).join("\n")],
  ];
  for (const [name, text] of inputs) {
    const bigAt = name === "last-line.ndjson" ? 2 : 1;
    // Where the big record is, as read without the limit.
    const unlimited = parseBytes(Buffer.from(text), name).records[bigAt]!;
    const line = unlimited.line ?? unlimited.pos!.line;
    for (const size of [7, 64, 1000, text.length]) {
      for (const batched of [false, true]) {
        const { records, errors } = readInChunks(name, text, size, batched, limits);
        const what = `${name} in chunks of ${size}${batched ? ", batched" : ""}`;
        assert.equal(records.map((r) => r.value), [rec, rec], what);
        assert.equal(records.map((r) => r.index), [0, 1, 2].filter((i) => i !== bigAt), what);
        assert.equal(errors.map((e) => [e.code, e.record, e.line]), [["LIMIT", bigAt, line]], what);
        assert.match(errors[0]!.message, /a record of [0-9.]+ KB, over the record size limit of 2\.0 KB; not read/, what);
      }
    }
  }
  // A YAML file is read whole: over the limit it is refused as a whole.
  const yaml = values("eventVersion: '1.09'\nnote: " + "y".repeat(3000) + "\n", "big.yaml");
  assert.equal(parseBytes(Buffer.from("note: " + "y".repeat(3000)), "big.yaml", limits).errors.map((e) => e.code), ["LIMIT"]);
  assert.equal(yaml.errors, []);
  // What is around the records' array over the limit cannot be checked: a PARSE error there (fail closed), the records before it read.
  const before = parseBytes(Buffer.from(`{"meta":"${"m".repeat(3000)}","Records":[${one}]}`), "x.json", limits);
  assert.equal([before.records.length, before.errors.map((e) => e.code)], [0, ["PARSE"]]);
  assert.match(before.errors[0]!.message, /over the record size limit \(2\.0 KB\) before it/);
  const after = parseBytes(Buffer.from(`{"Records":[${one}],"meta":"${"m".repeat(3000)}"}`), "x.json", limits);
  assert.equal([after.records.length, after.errors.map((e) => e.code)], [1, ["PARSE"]]);
  // Cut off inside a value over the limit.
  const cut = parseBytes(Buffer.from(`{"Records":[${one},{"note":"${"z".repeat(3000)}`), "x.json", limits);
  assert.equal([cut.records.length, cut.errors.map((e) => e.code)], [1, ["LIMIT"]]);
  // The splitter holds nothing of a piece once it is over the limit, however long it runs.
  const splitter = new JsonRecordSplitter(2000);
  const skipped: number[] = [];
  splitter.push(Buffer.from(`[{"a":"`), () => assert.unreachable("a piece"), (o) => skipped.push(o.bytes));
  for (let i = 0; i < 100; i++) {
    splitter.push(Buffer.alloc(1000, 0x61), () => assert.unreachable("a piece"), (o) => skipped.push(o.bytes));
    if (i >= 2) assert.is(splitter.pending().length, 0);
  }
  splitter.push(Buffer.from(`"}]`), () => assert.unreachable("a piece"), (o) => skipped.push(o.bytes));
  assert.equal(skipped, [6 + 100_000 + 2]);
});

test("a closing bracket that closes nothing, or the wrong bracket, around the records is a PARSE error with its place (fail closed); records before it are read", () => {
  const cases: Array<[string, number, number]> = [
    // text, records read before the break, its column
    [`}{"Records":[${one}]}`, 0, 1],
    [`{"Records":[${one}]]}`, 1, 14 + one.length],
    [`{"Records":[${one}}]}`, 1, 13 + one.length],
    [`{"Records":[${one}]}}`, 1, 15 + one.length],
    [`[${one}]]`, 1, 3 + one.length],
    [`[${one}}`, 1, 2 + one.length],
    [`${one}}`, 1, 1 + one.length],
    ["]", 0, 1],
  ];
  for (const [text, records, column] of cases) {
    const r = values(text);
    assert.is(r.records.length, records, text.slice(0, 40));
    assert.is(r.errors.length, 1, text.slice(0, 40));
    assert.is(r.errors[0]!.code, "PARSE");
    assert.match(r.errors[0]!.message, `line 1, column ${column}:`);
  }
  // Well-formed neighbours are untouched: concatenated documents, nested brackets inside records.
  assert.equal(values(`${one}\n${one}`).errors, []);
  assert.equal(values(`[${one}]\n[${one}]`).errors, []);
  assert.equal(values(JSON.stringify({ Records: [{ a: [[{}], { b: [] }] }] })).errors, []);
});

test("commas, colons and members around the records follow JSON's grammar: anything else is a PARSE error (fail closed)", () => {
  const cases: Array<[string, number]> = [
    // text, records read before the error
    [`[${one} ${one}]`, 1],
    [`{"Records":[${one},,${one}]}`, 1],
    [`{"Records":[${one} ${one}]}`, 1],
    [`{"Records":[,${one}]}`, 0],
    [`[${one},]`, 1],
    [`{"Records":[${one}],}`, 1],
    [`{"Records" [${one}]}`, 0],
    [`{,"Records":[${one}]}`, 0],
    [`{"meta":{"a":1}"Records":[${one}]}`, 0],
    [`{"Records":[${one}] "x": 1}`, 1],
    // A second Records array would hide its records: JSON.parse keeps the last, the splitter read the first.
    [`{"Records":[${one}],"Records":[${one}]}`, 1],
    [`${one},${one}`, 1],
    [`"Records":[${one}]`, 1],
  ];
  for (const [text, records] of cases) {
    const r = values(text);
    assert.is(r.records.length, records, text.slice(0, 60));
    assert.equal(r.errors.map((e) => e.code), ["PARSE"], text.slice(0, 60));
  }
  // Well-formed: members before and after the array, nested brackets in them, lookup-events, arrays of values.
  assert.equal(values(`{"meta":{"a":[1,{"b":2}]},"Records":[${one},${one}],"x":{"y":[]}}`).errors, []);
  assert.equal(values(`{"meta":{"a":[1,{"b":2}]},"Records":[${one},${one}],"x":{"y":[]}}`).records.length, 2);
  assert.equal(values(JSON.stringify({ Events: [{ CloudTrailEvent: one }], NextToken: "x" })).errors, []);
  assert.equal(values(`[1, "a", ${one}]`).records.length, 3);
  assert.equal(values(` { "Records" : [ ${one} , ${one} ] } `).errors, []);
});

test("a truncated S3 delivery keeps the records before the cut", () => {
  const text = JSON.stringify({ Records: [rec, rec, rec] });
  const r = values(text.slice(0, Math.floor(text.length * 0.8)));
  assert.is(r.records.length, 2);
  assert.is(r.errors.length, 1);
  assert.is(r.errors[0]!.code, "PARSE");
});

test("gzip streaming hands over every decompressed byte in order, also while the consumer holds back, and up to the damage when truncated", async () => {
  const text = Buffer.from(Array.from({ length: 120_000 }, (_, i) => `{"n":${i},"pad":"${"x".repeat(i % 97)}"}`).join("\n"));
  const gz = gzipSync(text);
  const dir = mkdtempSync(join(tmpdir(), "tp-stream-"));
  writeFileSync(join(dir, "whole.gz"), gz);
  writeFileSync(join(dir, "cut.gz"), gz.subarray(0, Math.floor(gz.length * 0.7)));
  for (const name of ["whole.gz", "cut.gz"]) {
    const got: Buffer[] = [];
    let ended = 0;
    let calls = 0;
    // A consumer that is busy every third chunk (as when worker threads are all busy).
    const backpressure = () => (++calls % 3 === 0 ? new Promise<void>((resolve) => setTimeout(resolve, 2)) : undefined);
    const sink: ByteSink = { push: (c) => void got.push(Buffer.from(c)), end: () => void ended++ };
    const error = await streamInto(join(dir, name), sink, undefined, backpressure);
    const all = Buffer.concat(got);
    assert.is(ended, 1, name);
    if (name === "whole.gz") {
      assert.is(error, undefined);
      assert.ok(all.equals(text));
    } else {
      assert.is(error?.code, "GZIP");
      assert.ok(all.length > text.length / 2 && text.subarray(0, all.length).equals(all), "a prefix of the original, most of it");
      assert.is(error?.offset, all.length);
    }
  }
});

test("gzip input: a lent chunk's buffer is read into again only once zlib is done with it (regression guard: zlib reads on its own thread)", async () => {
  const text = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `{"n":${i},"pad":"${"q".repeat(i % 83)}"}`).join("\n"));
  const gz = gzipSync(text, { level: 1 });
  for (const size of [4 << 10, 64 << 10]) {
    // One buffer for every chunk, overwritten the moment the next chunk is asked for.
    const loan = Buffer.alloc(size);
    let at = 0;
    const chunks: AsyncIterator<Buffer> = {
      next: async () => {
        loan.fill(0xff);
        if (at >= gz.length) return { done: true, value: undefined };
        const n = gz.copy(loan, 0, at, at + size);
        at += n;
        return { done: false, value: loan.subarray(0, n) };
      },
    };
    const got: Buffer[] = [];
    const error = await streamInto("lent.gz", { push: (c) => void got.push(Buffer.from(c)), end: () => undefined }, undefined, undefined, { chunks, first: chunks.next(), inflateChunk: 1 << 16 });
    assert.is(error, undefined, `chunks of ${size}`);
    assert.ok(Buffer.concat(got).equals(text), `chunks of ${size}`);
  }
});

test("a file read in reused buffers arrives whole at the read size's edges (256 KiB: just under, exactly, just over, twice)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-edges-"));
  for (const size of [(1 << 18) - 1, 1 << 18, (1 << 18) + 1, 1 << 19, (1 << 19) + 7]) {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 9)) & 0xff;
    const file = join(dir, `f${size}`);
    writeFileSync(file, bytes);
    const got: Buffer[] = [];
    let ends = 0;
    const error = await streamInto(file, { push: (c) => void got.push(Buffer.from(c)), end: () => void ends++ });
    assert.is(error, undefined, String(size));
    assert.is(ends, 1, String(size));
    assert.ok(Buffer.concat(got).equals(bytes), String(size));
    assert.ok(got.every((c) => c.length > 0), `${size}: no empty chunk`);
  }
});

test("reading that stops early (a corrupt gzip stream) lets go of the file's descriptor at once", async () => {
  if (!existsSync("/proc/self/fd")) return; // Linux lists a process's descriptors there
  const dir = mkdtempSync(join(tmpdir(), "tp-fd-"));
  const file = join(dir, "corrupt.gz");
  // A gzip header, then an invalid deflate block: zlib fails on the first of the file's 32 chunks.
  writeFileSync(file, Buffer.concat([gzipSync("{}").subarray(0, 10), Buffer.alloc(8 << 20, 0xff)]));
  // The descriptors open on this file (not others: whatever else the process does meanwhile).
  const open = () => readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false; // closed since listed
    }
  }).length;
  for (let k = 0; k < 5; k++) {
    const error = await streamInto(file, { push: () => undefined, end: () => undefined });
    assert.match(error?.message ?? "", /corrupt gzip stream/);
  }
  assert.is(open(), 0);
});

test("read ahead: a file read before its reader is ready delivers the same bytes, end and error as when streamed directly", async () => {
  const text = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `{"n":${i},"pad":"${"y".repeat(i % 89)}"}`).join("\n"));
  const gz = gzipSync(text);
  const dir = mkdtempSync(join(tmpdir(), "tp-ahead-"));
  const files: Record<string, Buffer> = { "plain.json": text, "whole.gz": gz, "cut.gz": gz.subarray(0, Math.floor(gz.length * 0.6)), "empty.json": Buffer.alloc(0) };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const collect = () => {
    const got: Buffer[] = [];
    const ends: boolean[] = [];
    const sink: ByteSink = { push: (c) => void got.push(Buffer.from(c)), end: (damaged = false) => void ends.push(damaged) };
    return { sink, got, ends };
  };
  for (const name of [...Object.keys(files), "missing.json"]) {
    const direct = collect();
    const directError = await streamInto(join(dir, name), direct.sink);
    // Attached at once, and after the reading has run ahead as far as it may (the holder full).
    for (const delay of [0, 50]) {
      const ahead = readAhead(join(dir, name));
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      const late = collect();
      const error = await ahead.into(late.sink);
      assert.ok(Buffer.concat(late.got).equals(Buffer.concat(direct.got)), `${name} +${delay} ms`);
      assert.equal(late.ends, direct.ends, name);
      assert.equal(error?.code, directError?.code, name);
      assert.equal(error?.message, directError?.message, name);
    }
  }
});

test("read ahead holds little: a highly compressible file is not inflated before its reader comes (regression: it was inflated whole into memory)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tp-ahead-"));
  const file = join(dir, "spaces.json.gz");
  const size = 64 << 20;
  writeFileSync(file, gzipSync(Buffer.alloc(size, 0x20))); // ~64 KB on disk
  // In a process of its own, so that no other test's garbage moves the measure.
  const stream = new URL("../src/readers/stream.js", import.meta.url).href;
  const script = `
    const { readAhead } = await import(${JSON.stringify(stream)});
    globalThis.gc();
    const before = process.memoryUsage().arrayBuffers;
    const ahead = readAhead(${JSON.stringify(file)});
    await new Promise((resolve) => setTimeout(resolve, 500));
    const held = process.memoryUsage().arrayBuffers - before;
    let got = 0;
    const error = await ahead.into({ push: (c) => void (got += c.length), end: () => undefined });
    console.log(JSON.stringify({ held, got, error: error?.message ?? null }));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" }));
  assert.ok(out.held < 8 << 20, `${out.held} bytes held before the reader came`);
  assert.equal(out, { held: out.held, got: size, error: null });
});

test("cutting agrees with JSON.parse: random records nested deep, strings full of quotes, brackets and backslashes, any chunking, any layout", () => {
  const tricky = fc.string({ unit: fc.constantFrom("\\", '"', "{", "}", "[", "]", ",", ":", "\n", "a", "\u00e9", "\u{1F600}") });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.jsonValue({ maxDepth: 5 }), tricky), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 70 }), fc.constantFrom(0, 1, 2), (parts, size, indent) => {
      const records = parts.map(([v, t]) => ({ [t]: t, deep: { deeper: [v, { t, v }] } }));
      const bytes = Buffer.from(JSON.stringify({ Records: records }, null, indent));
      const pieces: Piece[] = [];
      const splitter = new JsonRecordSplitter();
      for (let i = 0; i < bytes.length; i += size) splitter.push(bytes.subarray(i, i + size), (p) => pieces.push(p));
      splitter.end((p) => pieces.push(p));
      assert.is(splitter.broken, undefined);
      assert.is(splitter.incomplete, false);
      assert.equal(pieces.map((p) => JSON.parse(p.text.toString("utf8"))), JSON.parse(bytes.toString("utf8")).Records);
      for (const p of pieces) {
        // Where each piece starts: its bytes are there, on the line and column counted from the text.
        assert.ok(bytes.subarray(p.offset, p.offset + p.text.length).equals(p.text));
        const before = bytes.subarray(0, p.offset);
        let lines = 1;
        for (const b of before) if (b === 0x0a) lines++;
        assert.is(p.line, lines);
        assert.is(p.column, p.offset - before.lastIndexOf(0x0a));
      }
    }),
    { numRuns: 300, seed: 20261130 },
  );
});

test("a size limit cuts the same pieces: those over it are reported with their exact size and place, the others as before, any chunking, any layout", () => {
  const tricky = fc.string({ unit: fc.constantFrom("\\", '"', "{", "}", "[", "]", ",", ":", "\n", "a", "\u00e9", "\u{1F600}") });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.jsonValue({ maxDepth: 4 }), tricky), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 70 }), fc.constantFrom(0, 2), fc.integer({ min: 20, max: 400 }), (parts, size, indent, limit) => {
      const records = parts.map(([v, t]) => ({ [t]: t, deep: { deeper: [v, { t, v }] } }));
      const bytes = Buffer.from(JSON.stringify({ Records: records }, null, indent));
      const all: Piece[] = [];
      const whole = new JsonRecordSplitter();
      whole.push(bytes, (p) => all.push(p));
      const seen: Array<{ bytes: number; offset: number; line: number; column: number } | Piece> = [];
      const splitter = new JsonRecordSplitter(limit);
      for (let i = 0; i < bytes.length; i += size) splitter.push(bytes.subarray(i, i + size), (p) => seen.push(p), (o) => seen.push(o));
      assert.is(splitter.broken, undefined);
      assert.equal(
        seen.map((p) => ("text" in p ? ["piece", p.text.toString("utf8"), p.offset, p.line, p.column] : ["oversized", p.bytes, p.offset, p.line, p.column])),
        all.map((p) => (p.text.length > limit ? ["oversized", p.text.length, p.offset, p.line, p.column] : ["piece", p.text.toString("utf8"), p.offset, p.line, p.column])),
      );
    }),
    { numRuns: 300, seed: 20261130 },
  );
});

test("records inside test-fixture wrappers are found (detection-rule repositories' Tests/Log, name/event, input), checked at their place and redacted there", async () => {
  const { checkBytes, redactBytes } = await import("../src/index.js");
  const { leaky } = await import("./support/records.js");
  const shapes: Array<[string, unknown, string]> = [
    ["Tests/Log", { RuleID: "textract.leak", Tests: [{ Name: "leaks", ExpectedResult: true, Log: leaky() }, { Name: "clean", ExpectedResult: false, Log: leaky() }] }, "/Tests/0/Log"],
    ["name/event", [{ name: "a leak", event: leaky() }], "/0/event"],
    ["input", { input: leaky(), expected: { alert: true } }, "/input"],
  ];
  for (const [name, value, at] of shapes) {
    const text = JSON.stringify(value, null, 2);
    const report = checkBytes(Buffer.from(text), `${name}.json`);
    assert.equal(report.inputErrors, [], name);
    assert.ok(report.findings.some((f) => f.ruleId === "no-request-bytes"), name);
    assert.not.ok(report.findings.some((f) => f.ruleId === "valid-record"), `${name}: the wrapper is not a malformed record`);
    const out = redactBytes(Buffer.from(text), `${name}.json`);
    const fixed = JSON.parse(out.bytes!.toString());
    const record = at.split("/").slice(1).reduce((o: unknown, k) => (o as Record<string, unknown>)[k], fixed) as Record<string, unknown>;
    assert.equal((record["requestParameters"] as Record<string, unknown>)["document"], {}, name);
  }
});

test.run();
