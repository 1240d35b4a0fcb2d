// Seeded, bounded fuzzing: mutate valid records and files and check the promises that must hold for any input.
// CI runs a small fixed-seed budget; `npm run fuzz` runs longer (FUZZ_RUNS, FUZZ_SEED).
import { deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { stringify as toYaml } from "yaml";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkBytes } from "../src/check.js";
import { redactBytes } from "../src/redactor/redact.js";
import { exitCodeFor } from "../src/cli/run.js";
import { alternation, escapeRegExp } from "../src/engine/alternation.js";
import { createEngine } from "../src/engine/engine.js";
import { reportPointer } from "../src/engine/pointer.js";
import { duplicateKeys } from "../src/positions/json-text.js";
import { loadRules } from "../src/rules/load.js";
import { SCHEMA_IDS, schemaRegistry } from "../src/schemas.js";
import { PNG_BASE64, analyzeDocument, leaky } from "./support/records.js";
import { DOCUMENTS } from "./support/leaks.js";
import { documentsIn, mayHoldDocument, stringMayHoldDocument } from "../src/detectors/document.js";

const RUNS = Number(process.env["FUZZ_RUNS"] ?? 300);
const SEED = Number(process.env["FUZZ_SEED"] ?? 20261125);
const validateReport = schemaRegistry().validator(SCHEMA_IDS.report);
type Json = unknown;

/** Paths to every value in a JSON tree (bounded), for structural mutations. */
function paths(v: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (out.length > 400 || v === null || typeof v !== "object") return out;
  for (const [k, c] of Object.entries(v as Record<string, Json>)) paths(c, [...prefix, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

function setAt(root: Json, path: Array<string | number>, fn: (old: Json) => Json | typeof DELETE): Json {
  if (path.length === 0) {
    const r = fn(root);
    return r === DELETE ? null : r;
  }
  const copy: Json = structuredClone(root);
  let cur = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  const r = fn(cur[last]);
  if (r === DELETE) {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete cur[last];
  } else cur[last] = r;
  return copy;
}
const DELETE = Symbol("delete");

const structural = fc.oneof(
  fc.record({ kind: fc.constant("type"), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant("delete") }),
  fc.record({ kind: fc.constant("huge"), size: fc.integer({ min: 10_000, max: 300_000 }) }),
  // Deeper nesting than this is built as raw text in hostile.test.ts: JSON.stringify itself recurses.
  fc.record({ kind: fc.constant("deep"), depth: fc.integer({ min: 50, max: 400 }) }),
  fc.record({ kind: fc.constant("proto") }),
  fc.record({ kind: fc.constant("secret") }),
);

function applyStructural(record: Json, m: { kind: string; value?: Json; size?: number; depth?: number }, pick: number): Json {
  const all = paths(record);
  const path = all[pick % all.length]!;
  switch (m.kind) {
    case "type":
      return setAt(record, path, () => m.value);
    case "delete":
      return setAt(record, path, () => DELETE);
    case "huge":
      return setAt(record, path, () => "A".repeat(m.size!));
    case "deep":
      return setAt(record, path, (old) => {
        let v: Json = old ?? 1;
        for (let i = 0; i < m.depth!; i++) v = i % 2 ? [v] : { n: v };
        return v;
      });
    case "proto":
      return setAt(record, path, () => JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'));
    default:
      return setAt(record, path, () => `x ${PNG_BASE64} y`);
  }
}

const shapes = ["json", "records", "ndjson", "yaml", "gz", "eventbridge", "lookup", "documents"] as const;
function serialise(records: Json[], shape: (typeof shapes)[number]): Buffer {
  switch (shape) {
    case "json":
      return Buffer.from(JSON.stringify(records[0]));
    case "records":
      return Buffer.from(JSON.stringify({ Records: records }));
    case "ndjson":
      return Buffer.from(records.map((r) => JSON.stringify(r)).join("\n"));
    case "yaml":
      try {
        return Buffer.from(toYaml({ Records: records }, { aliasDuplicateObjects: false }));
      } catch {
        return Buffer.from(JSON.stringify({ Records: records }));
      }
    case "gz":
      return gzipSync(JSON.stringify({ Records: records }));
    case "eventbridge":
      return Buffer.from(JSON.stringify(records.map((detail) => ({ "detail-type": "AWS API Call via CloudTrail", detail }))));
    case "lookup":
      return Buffer.from(JSON.stringify({ Events: records.map((r) => ({ CloudTrailEvent: JSON.stringify(r) })) }));
    case "documents": {
      // Pretty-printed documents one after another (as `jq` writes them), each a different wrapper.
      const wrap = (r: Json, i: number): Json => (i % 3 === 0 ? { Records: [r] } : i % 3 === 1 ? { Events: [{ CloudTrailEvent: JSON.stringify(r) }] } : { "detail-type": "AWS API Call via CloudTrail", detail: r });
      return Buffer.from([...records, records[0]!].map((r, i) => JSON.stringify(wrap(r, i), null, 1)).join("\n"));
    }
  }
}

const byteLevel = fc.oneof(
  fc.record({ kind: fc.constant("none") }),
  fc.record({ kind: fc.constant("truncate"), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant("flip"), flips: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }) }),
);

function applyBytes(buf: Buffer, m: { kind: string; at?: number; flips?: Array<[number, number]> }): Buffer {
  if (m.kind === "truncate") return buf.subarray(0, Math.floor(buf.length * m.at!));
  if (m.kind === "flip") {
    const out = Buffer.from(buf);
    for (const [pos, byte] of m.flips!) if (out.length) out[Math.min(out.length - 1, Math.floor(pos * out.length))] = byte;
    return out;
  }
  return buf;
}

test(`fuzz: ${RUNS} mutated inputs (seed ${SEED}): no exception, valid report, exit 0-3, every record accounted for, no leak echoed; --fix complete and idempotent`, () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...shapes),
      fc.array(fc.tuple(structural, fc.nat()), { maxLength: 4 }),
      byteLevel,
      fc.boolean(),
      (shape, mutations, bytes, withLeak) => {
        let records: Json[] = [analyzeDocument(), withLeak ? leaky() : analyzeDocument({ eventName: "GetDocumentAnalysis" })];
        for (const [m, pick] of mutations) records = records.map((r, i) => (i === pick % records.length ? applyStructural(r, m, pick) : r));
        const input = applyBytes(serialise(records, shape), bytes);
        const name = `fuzz.${shape === "gz" ? "json.gz" : shape === "yaml" ? "yaml" : shape === "ndjson" ? "ndjson" : "json"}`;
        let report;
        try {
          report = checkBytes(input, name);
        } catch (e) {
          if (process.env["FUZZ_DEBUG"]) console.error((e as Error).stack);
          throw e;
        }
        assert.ok(validateReport(JSON.parse(JSON.stringify(report))), JSON.stringify(validateReport.errors));
        const code = exitCodeFor(report, "error");
        assert.ok(code >= 0 && code <= 3);
        const s = report.summary;
        assert.is(s.recordsFound, s.records + s.recordsUnreadable);
        // (or it is not a CloudTrail log, said so: a bare value with no record's shape, searched for documents only)
        assert.ok(s.records + s.inputErrors + (s.filesNotLogs ?? 0) > 0, "an input always yields records, an input error, or a not-a-log note");
        if (s.filesNotLogs) assert.equal(report.notLogs, [report.notLogs![0]!]);
        assert.not.ok(JSON.stringify(report).includes(PNG_BASE64.slice(0, 24)), "report echoes a secret");
        assert.is(({} as Record<string, unknown>)["polluted"], undefined);
        // --fix on the same input: never throws; a rewritten file has no fixable finding left, and fixing it again
        // changes nothing; what it reports never repeats the secret.
        const fixed = redactBytes(input, name);
        assert.not.ok(JSON.stringify({ ...fixed, bytes: undefined }).includes(PNG_BASE64.slice(0, 24)), "redaction report echoes a secret");
        if (fixed.bytes) {
          assert.equal(fixed.remaining.filter((f) => f.fixable), [], "fixable findings left after --fix");
          const again = redactBytes(fixed.bytes, name);
          assert.is(again.bytes, undefined, "a second --fix changed the file again");
          assert.equal(again.changes, []);
        }
      },
    ),
    { numRuns: RUNS, seed: SEED, endOnFailure: true, includeErrorInReport: true },
  );
});

// The clean path skips the leak rules when their prefilters reject a record's JSON text. Random
// payloads and near-misses, written the many ways JSON allows, must be found exactly as a check
// without the text (which walks the parsed record) finds them.
const engine = createEngine();
const memberNames = loadRules()
  .rules.filter((r) => r.id === "no-analysis-output")
  .flatMap((r) => ((r.check as unknown as { options: { members: Array<{ name: string }> } }).options.members ?? []).map((m) => m.name));
const SIGNATURE_BYTES = [[37, 80, 68, 70, 45, 49], [137, 80, 78, 71, 13, 10, 26, 10], [255, 216, 255, 224], [73, 73, 42, 0], [77, 77, 0, 42], [71, 73, 70, 56], [82, 73, 70, 70], [80, 75, 3, 4]];
const JPEG_BASE64 = Buffer.from([255, 216, 255, 224, ...Array.from({ length: 40 }, (_, i) => (i * 37) % 256)]).toString("base64");
const PDF_BASE64 = Buffer.from("%PDF-1.7\n%\u00e2\u00e3 1 0 obj << /Type /Catalog >> endobj trailer").toString("base64");
const PDF_BYTES = Buffer.from(Buffer.from(PDF_BASE64, "base64"));
const GZIP_BASE64 = gzipSync(PDF_BYTES).toString("base64");
const PDF_HEX = PDF_BYTES.toString("hex");
const PDF_PERCENT = [...PDF_BYTES].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
const gap = fc.constantFrom("", " ", "\n  ", "\t", "\r\n", "  ");
/** A name in any casing, sometimes with the Kelvin sign for k (lower-cases to "k"). */
const anyCasing = fc.tuple(fc.constantFrom(...memberNames, "results", "data", "type", "bytes"), fc.array(fc.nat(2), { minLength: 40, maxLength: 40 })).map(([name, how]) =>
  [...name].map((c, i) => (how[i] === 1 ? c.toUpperCase() : how[i] === 2 && /k/i.test(c) ? "\u212a" : c.toLowerCase())).join(""),
);
/** An octet as JSON may write it: 137, 137.0, 13.7e1, 1370E-1. */
const octetText = (n: number) => fc.constantFrom(String(n), `${n}.0`, `${n / 10}e1`, `${n * 10}E-1`);
const octets = fc.oneof(
  fc.tuple(fc.constantFrom(...SIGNATURE_BYTES), fc.array(fc.nat(255), { maxLength: 4 })).map(([a, b]) => [...a, ...b]),
  fc.array(fc.nat(255), { minLength: 1, maxLength: 8 }),
);
const joinWith = (items: string[], sep: string[]) => items.map((t, i) => (i ? `,${sep[i % sep.length]}` : "") + t).join("");
const byteArrayText = fc.tuple(octets, gap, gap).chain(([bytes, a, b]) => fc.tuple(...bytes.map(octetText)).map((items) => `[${a}${joinWith(items, [b, ""])}${a}]`));
/** A Uint8Array as JSON.stringify writes it ({"0":37,...}), its keys in any order. */
const indexKeyedText = fc.tuple(octets, gap).chain(([bytes, g]) =>
  fc.shuffledSubarray(bytes.map((v, i) => `"${i}":${g}${v}`), { minLength: bytes.length, maxLength: bytes.length }).map((entries) => `{${g}${entries.join(",")}}`),
);
/** Values that make a member analysis output (Blocks' items, Summary's members, ...) or almost. */
const analysisValue = fc.constantFrom('[{"BlockType":"LINE"}]', '[{"Geometry":{}}]', '{"Width":0.5}', '{"DocumentGroups":[]}', '[{"PageClassification":{}}]', '[{"LendingDocument":{}}]', "[]", "{}", '["x"]');
const stringPiece = fc.oneof(
  fc.constantFrom(PNG_BASE64, JPEG_BASE64, PDF_BASE64, JPEG_BASE64.replace(/\//g, "_").replace(/\+/g, "-"), "%PDF-1.7 raw", "\u0089PNG raw", "\u00ff\u00d8\u00ff\u00e0 raw", "data:image/png;base64,"),
  fc.constantFrom(PNG_BASE64, JPEG_BASE64, PDF_BASE64).chain((b) => fc.nat(b.length).map((n) => b.slice(0, n))),
  // Layered payloads: gzip in base64, hex, and JSON text that holds one (recognised where a string starts).
  fc.constantFrom(GZIP_BASE64, PDF_HEX, JSON.stringify({ body: GZIP_BASE64 }), JSON.stringify({ b: JSON.stringify({ c: GZIP_BASE64 }) }), JSON.stringify({ d: { 0: 37, 1: 80, 2: 68, 3: 70, 4: 45 } }), `a=1&doc=${PDF_PERCENT}`),
  fc.string({ maxLength: 12 }),
  fc.tuple(anyCasing, gap, gap, analysisValue).map(([k, a, b, v]) => `{"${k}"${a}:${b}${v}}`),
);
const stringText = fc.array(stringPiece, { maxLength: 4 }).map((pieces) => JSON.stringify(pieces.join(" ")));
const fragment: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    stringText,
    byteArrayText,
    indexKeyedText,
    byteArrayText.map((a) => `{"type":"Buffer","data":${a}}`),
    fc.constantFrom("7", "null", "true", '"plain"'),
    fc.tuple(fc.array(fc.tuple(anyCasing, fc.oneof(analysisValue, tie("value"))), { maxLength: 3 }), gap).map(([entries, g]) => `{${g}${entries.map(([k, v]) => `"${k}":${g}${v}`).join(",")}}`),
    fc.tuple(fc.array(tie("value"), { maxLength: 3 }), gap).map(([items, g]) => `[${g}${items.join(",")}]`),
  ),
})).value;

test(`fuzz: ${RUNS} records with random payloads (seed ${SEED}): checking with the record's JSON text finds exactly what checking without it finds, and a repeated key only where the text repeats one`, () => {
  fc.assert(
    fc.property(
      fragment,
      fc.constantFrom("requestParameters", "responseElements", "additionalEventData", "errorMessage"),
      fc.constantFrom("AnalyzeDocument", "GetDocumentAnalysis", "StartLendingAnalysis", "DetectDocumentText"),
      fc.constantFrom(0, 2),
      fc.boolean(),
      (text, where, eventName, indent, escapeSlashes) => {
        let raw = JSON.stringify(analyzeDocument({ eventName, [where]: "@@FRAGMENT@@" }), null, indent).replace('"@@FRAGMENT@@"', () => text);
        if (escapeSlashes) raw = raw.replace(/\//g, "\\/");
        const record = JSON.parse(raw) as unknown;
        const withText = engine.check(record, { file: "", index: 0, raw });
        // Only the text shows a key given twice (JSON.parse keeps the last).
        const repeated = withText.filter((f) => f.ruleId === "valid-record" && f.message.includes("appears twice"));
        assert.equal(withText.filter((f) => !repeated.includes(f)), engine.check(record), raw);
        const places = duplicateKeys(raw).map((p) => reportPointer(p));
        for (const f of repeated) assert.ok(places.includes(f.path), `${f.path} in ${raw}`);
      },
    ),
    { numRuns: RUNS, seed: SEED, endOnFailure: true, includeErrorInReport: true },
  );
});

/** A document's bytes written down one of many ways, some of which the detector reads and some it does not. */
const writtenDocument = fc.tuple(fc.constantFrom(...Object.values(DOCUMENTS)), fc.nat(12), fc.constantFrom(...Array.from({ length: 17 }, (_, i) => i))).map(([doc, junkLength, how]) => {
  const junk = Buffer.from([0xef, 0xbb, 0xbf, 0x0d, 0x0a, 0x09, 0x20, 0x00, 0x41, 0x42, 0x43, 0x44].slice(0, junkLength));
  const d = how >= 12 ? Buffer.concat([junk, doc]) : doc;
  const forms = [
    () => d.toString("base64"), () => d.toString("base64url"), () => d.toString("hex"), () => d.toString("hex").toUpperCase(),
    () => gzipSync(d).toString("base64"), () => deflateSync(d).toString("base64"), () => gzipSync(d).toString("hex"), () => d.toString("latin1"),
    () => [...d.subarray(0, 64)].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join(""), () => [...d.subarray(0, 64)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""),
    () => JSON.stringify({ body: gzipSync(d).toString("base64") }), () => JSON.stringify([...d.subarray(0, 16)]),
  ];
  return forms[how % forms.length]!();
});
const around = fc.string({ maxLength: 6, unit: fc.constantFrom(" ", "=", ",", ":", "{", "[", '"', "\\", "%", "a", "Z", "0", "/", "\n") });

test(`fuzz: ${RUNS} strings (seed ${SEED}): whatever the document detector's passes find, its gate and the record-text hints let through`, () => {
  fc.assert(
    fc.property(around, writtenDocument, around, (before, payload, after) => {
      const s = before + payload + after;
      if (documentsIn(s, 32, 0).length === 0) return;
      assert.ok(stringMayHoldDocument(s), `gate turned away ${JSON.stringify(s.slice(0, 80))}`);
      assert.ok(mayHoldDocument(JSON.stringify({ requestParameters: { note: s, list: ["x", s] } })), `record-text hints turned away ${JSON.stringify(s.slice(0, 80))}`);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true, includeErrorInReport: true },
  );
});

test(`fuzz: ${RUNS} word lists (seed ${SEED}): a factored alternation matches exactly where the plain one does, in any casing too`, () => {
  // Words from a small alphabet share prefixes (and are prefixes of each other) often; texts are made of them.
  const word = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom("a", "b", "A", "/", "\\", "K", "\u212a", "\u{1f600}") });
  const casing = (c: string): string => (c.toLowerCase() === c.toUpperCase() ? escapeRegExp(c) : `[${[...new Set([c.toLowerCase(), c.toUpperCase()])].join("")}]`);
  fc.assert(
    fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.array(fc.oneof(word, fc.string({ maxLength: 3 })), { maxLength: 6 }), (words, parts) => {
      const text = parts.join("");
      const plain = (char: (c: string) => string) => new RegExp(words.map((w) => [...w].map(char).join("")).join("|"));
      for (const char of [escapeRegExp, casing]) {
        assert.is(new RegExp(alternation(words, char)).test(text), plain(char).test(text), `${JSON.stringify(words)} in ${JSON.stringify(text)}`);
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true, includeErrorInReport: true },
  );
});

test.run();
