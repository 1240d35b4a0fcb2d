/**
 * A labelled leak corpus, generated: documents of every format Textract reads, written down in
 * many encodings, put in many places of records of every Textract operation; and clean twins that
 * hold long innocent base64 and hex (KMS ciphertext, DER certificates, JWTs, STS session tokens,
 * SSM values, pagination tokens, ETags, checksums) where a leak would be.
 */
import { createHash } from "node:crypto";
import { deflateSync, gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { loadTable } from "../../src/schemas.js";
import { rel } from "./paths.js";

/** Deterministic bytes: the same label, the same bytes. */
export function bytesOf(label: string, n: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  for (let i = 0; total < n; i++) {
    const block = createHash("sha256").update(`${label}/${i}`).digest();
    out.push(block);
    total += block.length;
  }
  return Buffer.concat(out).subarray(0, n);
}

/** Small documents with real signatures and a body of noise (a scan compresses badly). */
export const DOCUMENTS: Record<string, Buffer> = {
  PDF: Buffer.concat([Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", "latin1"), bytesOf("pdf", 700)]),
  PNG: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from("IHDR"), bytesOf("png", 600)]),
  JPEG: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from("JFIF\0"), bytesOf("jpeg", 650)]),
  "TIFF little-endian": Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0, 0, 0]), bytesOf("tiffle", 500)]),
  "TIFF big-endian": Buffer.concat([Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 0x08]), bytesOf("tiffbe", 500)]),
};

const b64 = (b: Buffer): string => b.toString("base64");
const b64url = (b: Buffer): string => b.toString("base64url");
const wrap = (s: string, width: number, eol: string): string => (s.match(new RegExp(`.{1,${width}}`, "g")) ?? []).join(eol);
const pyRepr = (b: Buffer): string => {
  let out = "b'";
  for (const byte of b) {
    if (byte === 0x5c) out += "\\\\";
    else if (byte === 0x27) out += "\\'";
    else if (byte === 0x0a) out += "\\n";
    else if (byte === 0x0d) out += "\\r";
    else if (byte === 0x09) out += "\\t";
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return `${out}'`;
};
const percent = (b: Buffer): string => [...b].map((x) => (x >= 0x30 && x <= 0x39) || (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a) ? String.fromCharCode(x) : `%${x.toString(16).toUpperCase().padStart(2, "0")}`).join("");
const chunks = (s: string, n: number): string[] => s.match(new RegExp(`.{1,${n}}`, "g")) ?? [];

/** How a document is written down: a value to put in a record (a string, or an array of pieces). */
export interface Encoding {
  readonly name: string;
  readonly encode: (doc: Buffer) => unknown;
  /** Also a member name (a string that can be a key). */
  readonly asKey?: boolean;
  /** The record's JSON text is then rewritten (PHP's json_encode escapes "/"). */
  readonly text?: (json: string) => string;
}

export const ENCODINGS: readonly Encoding[] = [
  { name: "base64", encode: b64, asKey: true },
  { name: "base64url", encode: b64url },
  { name: "base64 in MIME lines (76, CRLF)", encode: (d) => wrap(b64(d), 76, "\r\n") },
  { name: "base64 in PEM lines (64, LF)", encode: (d) => wrap(b64(d), 64, "\n") },
  { name: "hex", encode: (d) => d.toString("hex"), asKey: true },
  { name: "HEX", encode: (d) => d.toString("hex").toUpperCase() },
  { name: "gzip in base64", encode: (d) => b64(gzipSync(d)) },
  { name: "zlib in base64", encode: (d) => b64(deflateSync(d)) },
  { name: "gzip in hex", encode: (d) => gzipSync(d).toString("hex") },
  { name: "BOM before, base64", encode: (d) => b64(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), d])) },
  { name: "CRLF before, base64", encode: (d) => b64(Buffer.concat([Buffer.from("\r\n"), d])) },
  { name: "LF before, hex", encode: (d) => Buffer.concat([Buffer.from("\n"), d]).toString("hex") },
  { name: "base64 of a JSON request body (isBase64Encoded)", encode: (d) => b64(Buffer.from(JSON.stringify({ Document: { Bytes: b64(d) }, FeatureTypes: ["FORMS"] }))) },
  { name: "Python bytes repr", encode: pyRepr },
  { name: "PHP json_encode (escaped slashes)", encode: b64, text: (json) => json.replace(/"([A-Za-z0-9+/=]{200,})"/g, (_a, v: string) => `"${v.replace(/\//g, "\\/")}"`) },
  { name: "base64 in 4-character pieces", encode: (d) => chunks(b64(d), 4) },
  { name: "base64 in 16-character pieces", encode: (d) => chunks(b64(d), 16) },
  { name: "base64 in 76-character pieces", encode: (d) => chunks(b64(d), 76) },
  { name: "percent-encoded bytes", encode: percent },
  { name: "percent-encoded base64 (a query string)", encode: (d) => `document=${encodeURIComponent(b64(d))}&type=scan` },
  { name: "JSON text in a string", encode: (d) => JSON.stringify({ Document: { Bytes: b64(d) } }) },
  { name: "JSON text in JSON text (a logged Lambda proxy body)", encode: (d) => JSON.stringify({ statusCode: 200, body: JSON.stringify({ Document: { Bytes: b64(d) } }) }) },
  { name: "gzip of JSON text, in base64", encode: (d) => b64(gzipSync(Buffer.from(JSON.stringify({ Bytes: b64(d) })))) },
  { name: "gzip in base64, in JSON text in a string", encode: (d) => JSON.stringify({ body: b64(gzipSync(d)), isBase64Encoded: true }) },
  { name: "gzip in base64, in JSON text in JSON text", encode: (d) => JSON.stringify({ statusCode: 200, body: JSON.stringify({ payload: b64(gzipSync(d)) }) }) },
  { name: "Uint8Array JSON in JSON text", encode: (d) => JSON.stringify({ Document: { Bytes: Object.fromEntries([...d.subarray(0, 64)].map((v, i) => [String(i), v])) } }) },
  { name: "percent-encoded bytes in a form body", encode: (d) => `type=scan&document=${percent(d)}&pages=1` },
];

/** Where in a record a document is put (paths under the record, created as needed). */
export const PLACES: ReadonlyArray<readonly string[]> = [
  ["requestParameters", "document", "bytes"],
  ["additionalEventData", "body"],
  ["responseElements", "payload"],
  ["errorMessage"],
  ["requestBody"],
  ["additionalEventData", "attachments", "0", "content"],
];

function setAt(record: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at: Record<string, unknown> = record;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (next === null || typeof next !== "object") at[key] = /^\d+$/.test(path[path.indexOf(key) + 1] ?? "") ? [] : {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
}

export interface LabelledRecord {
  readonly name: string;
  /** The record as JSON text (some encodings are written in the text itself). */
  readonly text: string;
  /** The document it holds (undefined: a clean twin). */
  readonly document?: Buffer;
}

interface RecordsModule {
  operations: Record<string, unknown>;
  textractRecord: (label: string, op: string, type?: string, minute?: number) => Record<string, unknown>;
}
export async function recordsModule(): Promise<RecordsModule> {
  return (await import(pathToFileURL(rel("scripts/lib/records.mjs")).href)) as RecordsModule;
}

/** Every (document x encoding) once, each in a place and an operation chosen in turn, and each encoding as a key. */
export async function leakCorpus(): Promise<LabelledRecord[]> {
  const { operations, textractRecord } = await recordsModule();
  const ops = Object.keys(operations);
  const out: LabelledRecord[] = [];
  let n = 0;
  for (const [format, doc] of Object.entries(DOCUMENTS)) {
    for (const enc of ENCODINGS) {
      const op = ops[n % ops.length]!;
      const place = PLACES[n % PLACES.length]!;
      const record = textractRecord(`leak-${n}`, op, "AssumedRole", n % 600);
      setAt(record, place, enc.encode(doc));
      const json = JSON.stringify(record);
      out.push({ name: `${format}, ${enc.name}, at /${place.join("/")} of ${op}`, text: enc.text ? enc.text(json) : json, document: doc });
      if (enc.asKey) {
        const keyed = textractRecord(`leak-key-${n}`, op, "IAMUser", n % 600);
        setAt(keyed, ["additionalEventData", "cache"], { [enc.encode(doc) as string]: true });
        out.push({ name: `${format}, ${enc.name} as a member name, of ${op}`, text: JSON.stringify(keyed), document: doc });
      }
      n++;
    }
  }
  return out;
}

/** Long innocent base64 and hex where a leak would be: none is a finding. */
export async function cleanTwins(): Promise<LabelledRecord[]> {
  const { operations, textractRecord } = await recordsModule();
  const ops = Object.keys(operations);
  const kmsBlob = b64(Buffer.concat([Buffer.from([0x01, 0x02, 0x02, 0x00, 0x78]), bytesOf("kms", 180)]));
  const der = b64(Buffer.concat([Buffer.from([0x30, 0x82, 0x03, 0x5a, 0x30, 0x82, 0x02, 0x42, 0xa0, 0x03]), bytesOf("cert", 850)]));
  const jwt = [b64url(Buffer.from('{"alg":"RS256","kid":"k1","typ":"JWT"}')), b64url(Buffer.from('{"sub":"1234","iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc","exp":1770000000}')), b64url(bytesOf("sig", 256))].join(".");
  const sessionToken = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" + b64(bytesOf("sts", 600));
  const values: Array<[string, unknown]> = [
    ["a KMS ciphertext blob", kmsBlob],
    ["a DER certificate", der],
    ["a PEM certificate", `-----BEGIN CERTIFICATE-----\n${wrap(der, 64, "\n")}\n-----END CERTIFICATE-----\n`],
    ["a JWT", jwt],
    ["an STS session token", sessionToken],
    ["an SSM SecureString value", b64(bytesOf("ssm", 300))],
    ["a nextToken", b64(bytesOf("next", 420))],
    ["an S3 ETag", bytesOf("etag", 16).toString("hex")],
    ["a SHA-256 checksum", b64(bytesOf("sum", 32))],
    ["a Textract job id (64 hex)", bytesOf("job", 32).toString("hex")],
    ["gzip of plain text, in base64", b64(gzipSync(Buffer.from("claims batch 2026-03-04: 412 documents queued, 0 failed\n".repeat(20))))],
    ["base64 of JSON without a document", b64(Buffer.from(JSON.stringify({ jobId: "abc", status: "SUCCEEDED", pages: 12 })))],
    ["a long hex digest list", Array.from({ length: 8 }, (_, i) => bytesOf(`d${i}`, 32).toString("hex")).join("")],
    ["feature types", ["TABLES", "FORMS", "QUERIES", "SIGNATURES", "LAYOUT", "TABLES", "FORMS", "QUERIES"]],
    ["a percent-encoded URL", "https://example.org/claims?id=42&name=Jane%20Roe&note=%E2%9C%93%20ok&next=%2Fhome"],
  ];
  const out: LabelledRecord[] = [];
  values.forEach(([name, value], i) => {
    for (const [j, place] of PLACES.entries()) {
      if (place[0] === "requestParameters") continue; // document.bytes is not logged whatever it holds
      const op = ops[(i * PLACES.length + j) % ops.length]!;
      if (place[0] === "responseElements" && loadTable().operations[op]?.response === "all") continue; // nor these responses
      const record = textractRecord(`clean-${i}-${j}`, op, "AssumedRole", (i + j) % 600);
      setAt(record, place, value);
      out.push({ name: `${name}, at /${place.join("/")} of ${op}`, text: JSON.stringify(record) });
    }
  });
  return out;
}
