/**
 * Detectors for document payloads: file signatures in base64 text, raw binary strings and
 * serialized byte arrays. Shared by the check rules and the redactor so the two never disagree.
 */
import type { Evidence } from "../generated/report.js";
import { createHash } from "node:crypto";
import { alternation, escapeRegExp } from "../engine/alternation.js";
import { shortDigest, shortHash } from "../engine/evidence.js";

interface Signature {
  readonly label: string;
  readonly magic: readonly number[];
}

/** Formats Textract reads, plus the containers a document commonly travels in. */
const SIGNATURES: readonly Signature[] = [
  { label: "PDF", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { label: "PNG", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { label: "JPEG", magic: [0xff, 0xd8, 0xff] },
  { label: "TIFF", magic: [0x49, 0x49, 0x2a, 0x00] },
  { label: "TIFF", magic: [0x4d, 0x4d, 0x00, 0x2a] },
  { label: "GIF", magic: [0x47, 0x49, 0x46, 0x38] },
  { label: "RIFF/WebP", magic: [0x52, 0x49, 0x46, 0x46] },
  { label: "ZIP/Office", magic: [0x50, 0x4b, 0x03, 0x04] },
];

const B64_CHARS = "A-Za-z0-9+/\\-_";

/** The base64 characters fully determined by a signature's bytes, in both alphabets. */
function base64Prefixes(magic: readonly number[]): string[] {
  const full = Buffer.from(magic).toString("base64");
  const determined = full.slice(0, Math.floor((magic.length * 8) / 6));
  const url = determined.replace(/\+/g, "-").replace(/\//g, "_");
  return url === determined ? [determined] : [determined, url];
}

const PREFIXES = [...new Set(SIGNATURES.flatMap((s) => base64Prefixes(s.magic)))];
/**
 * A base64 run that starts (at a boundary) with a document signature, and goes on across line
 * breaks: MIME and PEM encoders (Python's base64.encodebytes, Java's MIME encoder, openssl) wrap it
 * in lines of 76 or 64 characters. See wrappedLength for where such a run stops.
 */
const BASE64_DOC = new RegExp(
  `(?<![${B64_CHARS}])(?:${PREFIXES.map(escapeRegExp).join("|")})[${B64_CHARS}]*(?:(?:\r\n|\n|\r)[${B64_CHARS}]+)*={0,2}`,
  "g",
);
const LINE_BREAKS = /\r\n|\n|\r/g;

/**
 * The length of the part of a base64 run spanning line breaks that is the wrapped payload: lines
 * as long as the first, then one line no longer, ending the run (a word on the next line is text).
 */
function wrappedLength(run: string): number {
  const lines = run.split(/(?<=\r\n|\n|\r(?!\n))/);
  const width = lines[0]!.replace(/[\r\n]+$/, "").length;
  let length = 0;
  for (const line of lines) {
    const body = line.replace(/[\r\n]+$/, "");
    if (body.length > width) break;
    length += line.length;
    if (body.length < width) break;
  }
  // (ends with the last line's characters, not its line break)
  return run.slice(0, length).replace(/[\r\n]+$/, "").length;
}
/** Raw binary written as a (latin-1) string: a signature at the start or after a non-word character. */
const RAW_LABELS = new Set(["PDF", "PNG", "JPEG", "TIFF"]);
const RAW_MAGICS = SIGNATURES.filter((s) => RAW_LABELS.has(s.label)).map((s) => String.fromCharCode(...s.magic));
const RAW_DOC = new RegExp(`(?<![A-Za-z0-9])(?:${RAW_MAGICS.map(escapeRegExp).join("|")})`, "g");
const FIRST_BYTES = new Set(SIGNATURES.map((s) => s.magic[0]!));

/**
 * Whether the JSON text of a record could hold a document payload (unless written with \\u
 * escapes, which the engine checks in full): a base64 prefix ("/" possibly escaped as "\\/"), a
 * raw signature, or a serialized byte array: one that starts with a signature byte ("[137," ...,
 * also written with an exponent), or a Uint8Array's {"0": ...}. One regular expression: V8 scans
 * for its literal alternatives far faster than one substring search per hint (factored: see alternation.ts).
 */
const TEXT_HINTS = [...new Set([...PREFIXES, ...PREFIXES.filter((p) => p.includes("/")).map((p) => p.replace(/\//g, "\\/")), ...RAW_MAGICS.filter((m) => /^[\u0020-\u00ff]+$/.test(m) && !/[\u007f-\u009f]/.test(m.slice(1)))])];
const FIRST_BYTES_TEXT = [...new Set(SIGNATURES.map((s) => String(s.magic[0])))];
export const DOCUMENT_HINT = new RegExp(
  [
    alternation(TEXT_HINTS),
    // Raw signatures that start with a control or high byte (PNG's \x89): their first character is enough.
    "\u0089",
    '"0"',
    `\\[\\s*(?:${FIRST_BYTES_TEXT.join("|")})(?![0-9])`,
    "\\[\\s*-?[0-9][0-9.]*[eE]",
  ].join("|"),
);

export function mayHoldDocument(text: string): boolean {
  return DOCUMENT_HINT.test(text);
}

/** One character class that every match above starts with: most strings are rejected by it alone. */
const QUICK = new RegExp(`[${[...new Set([...PREFIXES, ...RAW_MAGICS].map((p) => p[0]!))].map(escapeRegExp).join("")}]`);

export function matchSignature(bytes: ArrayLike<number>): string | undefined {
  outer: for (const s of SIGNATURES) {
    if (bytes.length < s.magic.length) continue;
    for (let i = 0; i < s.magic.length; i++) if (bytes[i] !== s.magic[i]) continue outer;
    return s.label;
  }
  return undefined;
}

/** Base64 text (either alphabet, only its characters and final "=") decoded: size, hash and first bytes. */
interface Decoded {
  readonly bytes: number;
  readonly sha256: string;
  readonly head: Buffer;
}

/** s from `start` as the bytes of a raw binary string (latin-1, a byte per character), a slice at a time. */
function latin1Bytes(s: string, start: number): Decoded {
  const hash = createHash("sha256");
  const buf = scratchBuffer();
  for (let i = start; i < s.length; i += DECODE_SLICE) hash.update(buf.subarray(0, buf.write(s.slice(i, i + DECODE_SLICE), "latin1")));
  return { bytes: s.length - start, sha256: shortDigest(hash), head: Buffer.from(s.slice(start, start + 16), "latin1") };
}

/** How much base64 is decoded at a time (a multiple of 4): a 13 MB payload is not held decoded whole. */
const DECODE_SLICE = 1 << 20;

/**
 * Where big payloads are decoded, a slice at a time: one buffer, reused. A buffer per slice was
 * garbage outside V8's heap, which V8 collects late: ~6 MB for each rule that decodes an 8 MB payload.
 */
let scratch: Buffer | undefined;
const scratchBuffer = (): Buffer => (scratch ??= Buffer.allocUnsafe(DECODE_SLICE));

function decodeBase64(text: string): Decoded {
  const hash = createHash("sha256");
  let bytes = 0;
  let head: Buffer | undefined;
  const buf = scratchBuffer();
  for (let i = 0; i === 0 || i < text.length; i += DECODE_SLICE) {
    // Node's base64 decoder reads the URL-safe alphabet too.
    const n = buf.write(text.slice(i, i + DECODE_SLICE), "base64");
    head ??= Buffer.from(buf.subarray(0, Math.min(16, n)));
    hash.update(buf.subarray(0, n));
    bytes += n;
  }
  return { bytes, sha256: shortDigest(hash), head: head! };
}

export interface PayloadMatch {
  /** Offsets within the string (UTF-16 code units). */
  readonly start: number;
  readonly end: number;
  readonly evidence: Evidence;
}

/** Document payloads inside a string: base64 of a known format, or raw binary. */
export function findDocumentsInString(s: string, minBase64Chars: number): PayloadMatch[] {
  if (s.length < 4 || !QUICK.test(s)) return [];
  const found: PayloadMatch[] = [];
  BASE64_DOC.lastIndex = 0;
  for (let m = BASE64_DOC.exec(s); m !== null; m = BASE64_DOC.exec(s)) {
    const wrapped = m[0].includes("\n") || m[0].includes("\r");
    const text = wrapped ? m[0].slice(0, wrappedLength(m[0])) : m[0];
    if (wrapped) BASE64_DOC.lastIndex = m.index + text.length;
    if (text.length < minBase64Chars) continue;
    // (line breaks out, so that the decoder's slices stay aligned to whole groups of four)
    const decoded = decodeBase64(wrapped ? text.replace(LINE_BREAKS, "") : text);
    const label = matchSignature(decoded.head);
    if (!label) continue;
    found.push({
      start: m.index,
      end: m.index + text.length,
      evidence: { kind: `base64 ${label}`, bytes: decoded.bytes, sha256: decoded.sha256 },
    });
  }
  RAW_DOC.lastIndex = 0;
  for (let m = RAW_DOC.exec(s); m !== null; m = RAW_DOC.exec(s)) {
    if (found.some((f) => m!.index >= f.start && m!.index < f.end)) continue;
    const raw = latin1Bytes(s, m.index);
    const label = matchSignature(raw.head) ?? "binary";
    found.push({ start: m.index, end: s.length, evidence: { kind: `raw ${label}`, bytes: raw.bytes, sha256: raw.sha256 } });
    break; // the raw payload runs to the end of the string
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The bytes of a serialized byte array, if `value` is one: a JSON array of octets, Node's
 * Buffer JSON ({"type":"Buffer","data":[...]}), or a Uint8Array serialized as {"0":..,"1":..}.
 */
export function byteArrayOf(value: unknown): { form: string; bytes: Uint8Array } | undefined {
  if (Array.isArray(value)) {
    return isOctets(value) ? { form: "byte array", bytes: Uint8Array.from(value as number[]) } : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  const obj = value as Record<string, unknown>;
  if (obj["type"] === "Buffer" && Array.isArray(obj["data"])) {
    const data = obj["data"] as unknown[];
    return isOctets(data) ? { form: "Buffer JSON", bytes: Uint8Array.from(data as number[]) } : undefined;
  }
  const keys = Object.keys(obj);
  if (keys.length < 4 || keys[0] !== "0") return undefined;
  const out = new Uint8Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const v = obj[String(i)];
    if (keys[i] !== String(i) || typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 255) return undefined;
    out[i] = v;
  }
  return { form: "Uint8Array JSON", bytes: out };
}

function isOctets(a: unknown[]): boolean {
  if (a.length < 4) return false;
  for (const v of a) if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 255) return false;
  return true;
}

/** A serialized byte array that holds a document, or undefined. Cheap on ordinary arrays. */
export function documentInByteArray(value: unknown): Evidence | undefined {
  if (Array.isArray(value)) {
    if (value.length < 4 || !FIRST_BYTES.has(value[0] as number)) return undefined;
  } else if (value === null || typeof value !== "object") return undefined;
  const arr = byteArrayOf(value);
  if (!arr) return undefined;
  const label = matchSignature(arr.bytes);
  if (!label) return undefined;
  return { kind: `${arr.form} ${label}`, bytes: arr.bytes.length, sha256: shortHash(arr.bytes) };
}

/** Evidence for any value found where raw document bytes should never be: kind, size, hash. */
export function describeBytesValue(value: unknown): Evidence {
  const arr = byteArrayOf(value);
  if (arr) {
    const label = matchSignature(arr.bytes);
    return { kind: label ? `${arr.form} ${label}` : arr.form, bytes: arr.bytes.length, sha256: shortHash(arr.bytes) };
  }
  if (typeof value === "string") {
    if (/^[A-Za-z0-9+/\-_]*={0,2}$/.test(value) && value.length % 4 !== 1) {
      const decoded = decodeBase64(value);
      const label = matchSignature(decoded.head);
      return { kind: label ? `base64 ${label}` : "base64 data", bytes: decoded.bytes, sha256: decoded.sha256 };
    }
    return { kind: "string", bytes: Buffer.byteLength(value), sha256: shortHash(value) };
  }
  const text = JSON.stringify(value) ?? String(value);
  return { kind: Array.isArray(value) ? "array" : value === null ? "null" : typeof value, bytes: Buffer.byteLength(text), sha256: shortHash(text) };
}
