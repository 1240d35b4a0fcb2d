/**
 * Detectors for document payloads: file signatures in base64 text, raw binary strings and
 * serialized byte arrays. Shared by the check rules and the redactor so the two never disagree.
 */
import type { Evidence } from "../generated/report.js";
import { createHash } from "node:crypto";
import { alternation, escapeRegExp } from "../engine/alternation.js";
import { shortDigest, shortHash } from "../engine/evidence.js";
import { escapedBytes, findSignature, layeredEvidence, MAX_DEPTH, percentBytes, SIGNATURES, sniffBytes, type Layered } from "./layers.js";

const B64_CHARS = "A-Za-z0-9+/\\-_";

/** The base64 characters fully determined by some bytes, in both alphabets. */
function base64Prefixes(bytes: readonly number[]): string[] {
  const full = Buffer.from(bytes).toString("base64");
  const determined = full.slice(0, Math.floor((bytes.length * 8) / 6));
  const url = determined.replace(/\+/g, "-").replace(/\//g, "_");
  return url === determined ? [determined] : [determined, url];
}

/**
 * Base64 prefixes of every signature, and of a signature after junk (a line break, a BOM: a PDF's
 * may start 1024 bytes in): the characters its bytes determine at base64's other two alignments.
 */
const SHIFTED = [
  ...new Set(SIGNATURES.flatMap((s) => [...base64Prefixes([0, ...s.magic]).map((p) => p.slice(2)), ...base64Prefixes([0, 0, ...s.magic]).map((p) => p.slice(3))]).filter((p) => p.length >= 3)),
];
const PREFIXES = [...new Set(SIGNATURES.flatMap((s) => base64Prefixes(s.magic)))];
/** Where a base64 payload starts: a signature, or a BOM and then one (aligned: the hint sees the signature's own prefix). */
const RUN_PREFIXES = [...PREFIXES, ...new Set(SIGNATURES.flatMap((s) => base64Prefixes([0xef, 0xbb, 0xbf, ...s.magic])))];
/**
 * A base64 run that starts a string, in which a signature may start after junk (see VALUE_STARTS):
 * read whole when a shifted prefix is near its start.
 */
const BASE64_AT_START = /^[A-Za-z0-9+/\-_]+={0,2}/;
const SHIFTED_NEAR_START = new RegExp(SHIFTED.map(escapeRegExp).join("|"));
/**
 * Base64 that starts as a layer that may hold a document: gzip (1f 8b 08), zlib (78 01 / 5e / 9c / da)
 * and JSON text ({" [{ ["  and a line break after { or [).
 */
const LAYER_PREFIXES = ["H4sI", "eAE", "eF", "eJ", "eN", "eyJ", "eyAi", "ewo", "ew0K", "W3s", "WyJ", "Wwo"];
/**
 * A base64 run that starts (at a boundary) with a document signature, and goes on across line
 * breaks: MIME and PEM encoders (Python's base64.encodebytes, Java's MIME encoder, openssl) wrap it
 * in lines of 76 or 64 characters. See wrappedLength for where such a run stops.
 */
const BASE64_DOC = new RegExp(
  `(?<![${B64_CHARS}])(?:${RUN_PREFIXES.map(escapeRegExp).join("|")})[${B64_CHARS}]*(?:(?:\r\n|\n|\r)[${B64_CHARS}]+)*={0,2}`,
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

/** Raw signatures JSON writes as they are (PNG's starts with \x89, looked for on its own). */
const RAW_HINTS = RAW_MAGICS.filter((m) => /^[\u0020-\u00ff]+$/.test(m) && !/[\u007f-\u009f]/.test(m.slice(1)));
const FIRST_BYTES_TEXT = [...new Set(SIGNATURES.map((s) => String(s.magic[0])))];
/** Junk writers put before a signature (a BOM is three bytes: its base64 leaves the signature's own prefix). */
const HINT_JUNK: readonly (readonly number[])[] = [[0x0d, 0x0a], [0x0a]];
const upperLower = (words: readonly string[]): string[] => [...new Set(words.flatMap((w) => [w.toLowerCase(), w.toUpperCase()]))];
/**
 * What a string value that is a layered payload starts with: base64 of gzip, zlib, JSON text; base64 and
 * hex of junk and then a signature; hex of a signature or of gzip. (Escapes and percent-encoding hold a
 * backslash or a "%", looked for on their own.)
 */
const VALUE_STARTS = [
  ...LAYER_PREFIXES,
  ...SIGNATURES.flatMap((s) => HINT_JUNK.flatMap((j) => base64Prefixes([...j, ...s.magic]))).filter((p) => p.length >= 4),
  ...upperLower([...SIGNATURES.map((s) => s.magic), [0x1f, 0x8b, 0x08], ...SIGNATURES.flatMap((s) => [[0xef, 0xbb, 0xbf], ...HINT_JUNK].map((j) => [...j, ...s.magic]))].map((b) => Buffer.from(b).toString("hex"))),
];
const VALUE_START_SOURCE = alternation([...new Set(VALUE_STARTS)]);
/** The same starts for one parsed string value (its quote is gone), and JSON text (a string that starts with "{" or "["). */
const VALUE_START = new RegExp(`^(?:${VALUE_START_SOURCE}|\\s*[{[])`);

/**
 * What a record's JSON text must hold (one of these patterns) to hold a document payload: a sound
 * gate, so that a record none matches is not walked (a property test feeds the detector what the
 * gate turns away). Escapes of every kind (Python and C escapes, "\/", JSON text inside a string,
 * \u escapes) hold a backslash, percent-encoding a "%": V8 finds one character far faster than any
 * pattern (0.4k instructions a record against 6-15k), so these two send a record to the full walk.
 * The rest are a few literal alternatives each: V8 scans an alternation of a hundred literals slower
 * than its parts one after another (3.8 us a record against 0.5 + 0.6 + 0.6, measured), and an
 * alternative that starts with a common character or a class costs a try at nearly every
 * character, so layered payloads are looked for where a string value starts (after its quote).
 */
export const DOCUMENT_HINTS: readonly RegExp[] = [
  /\\/,
  /%/,
  // Raw signatures that start with a control or high byte (PNG's \x89): their first character is enough.
  /\u0089/,
  // Base64 of a signature anywhere, raw signatures.
  new RegExp(alternation([...new Set([...PREFIXES, ...RAW_HINTS])])),
  // A string (a value, an array element, a key) that starts as a layered payload; an object whose first
  // key is a whole number (a Uint8Array's {"0": 137, ...}, in any key order: JSON.parse puts integer keys
  // first); a serialized byte array that starts with a signature byte ("[137," ..., or written with an
  // exponent); base64 cut into eight or more short strings.
  // (One scan from the places a string starts, after "{", "[", ":" or ",": a scan from every quote costs a
  // third more, and a scan per alternative twice as much.)
  new RegExp(
    String.raw`[:{,[]\s*"${VALUE_START_SOURCE}|\{\s*"[0-9]+"\s*:|\[\s*(?:"[A-Za-z0-9+/_=-]{1,128}"(?:\s*,\s*"[A-Za-z0-9+/_=-]{1,128}"){7}|(?:${FIRST_BYTES_TEXT.join("|")})(?![0-9])|-?[0-9][0-9.]*[eE])`,
  ),
];

export function mayHoldDocument(text: string): boolean {
  for (const hint of DOCUMENT_HINTS) if (hint.test(text)) return true;
  return false;
}

/** The same for one parsed string value (its quotes are gone: a layered payload or JSON text is seen at its start). */
export function stringMayHoldDocument(s: string): boolean {
  // (A raw TIFF's NUL is "\u0000" in JSON text, which the backslash hint sees; here it is itself.)
  return s.length >= 4 && (mayHoldDocument(s) || VALUE_START.test(s) || s.includes("\0"));
}

/** The label of the document `bytes` start with (after junk), if any. */
export function matchSignature(bytes: Uint8Array): string | undefined {
  return findSignature(bytes)?.label;
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
  return { bytes: s.length - start, sha256: shortDigest(hash), head: Buffer.from(s.slice(start, start + 1040), "latin1") };
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
    // (a PDF's signature may start up to 1024 bytes in)
    head ??= Buffer.from(buf.subarray(0, Math.min(1040, n)));
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
  /** How the payload was written down, outermost layer first. */
  readonly layered: Layered;
}
const match = (start: number, end: number, layered: Layered): PayloadMatch => ({ start, end, layered, evidence: layeredEvidence(layered) });

/** A run of base64 that starts a string as a layer (gzip, zlib, JSON text). */
const LAYER_BASE64 = new RegExp(`^(?:${LAYER_PREFIXES.map(escapeRegExp).join("|")})[${B64_CHARS}]{20,}={0,2}`);
/** A run of hex that starts a string, 16 bytes or more. */
const HEX_RUN = /^(?:[0-9A-Fa-f]{2}){16,}(?![0-9A-Fa-f])/;
const PERCENT = /%[0-9A-Fa-f]{2}/g;
/** The values of a form body or query string: after "=", to the next "&" or ";". */
const QUERY_VALUE = /(?:^|[?&;])[^=&;]*=([^&;]*)/g;

/**
 * Document payloads inside a string, each with its place in the string and what it is: base64 of
 * a known format (also wrapped in lines, also after junk), raw binary, and the layered forms:
 * base64 of gzip, zlib or JSON text; hex; percent-encoding; Python and C escapes; JSON text that
 * holds one (to `MAX_DEPTH` layers). A layered payload's place is the whole encoded run.
 */
export function findDocumentsInString(s: string, minBase64Chars: number, depth = 0): PayloadMatch[] {
  return stringMayHoldDocument(s) ? documentsIn(s, minBase64Chars, depth) : [];
}

/**
 * The passes of findDocumentsInString without its gate. Exported for the test that proves the gate
 * sound: whatever these find, the gate (and the record-text hints) let through. Each pass looks only
 * where the gate looks: base64 of a signature and raw signatures anywhere, layered payloads (base64 of
 * gzip, zlib or JSON text; hex; base64 after junk) where the string starts.
 */
export function documentsIn(s: string, minBase64Chars: number, depth: number): PayloadMatch[] {
  // (Each scan below runs on a copy of its pattern: a layer's text is searched by a call inside the
  // loop, which would otherwise move the outer loop's place in the shared pattern and never end.)
  const found: PayloadMatch[] = [];
  const covered = (i: number): boolean => found.some((f) => i >= f.start && i < f.end);
  const text: (t: string, d: number) => Layered | undefined = (t, d) => firstLayered(t, minBase64Chars, d);
  // A string written with escapes or percent-encoding is one payload: read whole first, or a base64
  // run cut at its first %2F would be found (and redacted) in part.
  if (depth < MAX_DEPTH && (s.includes("\\x") || (s.match(PERCENT)?.length ?? 0) >= 3)) {
    const whole = escapedOrPercent(s, minBase64Chars, depth);
    if (whole) return [match(0, s.length, whole)];
  }
  const base64doc = new RegExp(BASE64_DOC);
  for (let m = base64doc.exec(s); m !== null; m = base64doc.exec(s)) {
    const wrapped = m[0].includes("\n") || m[0].includes("\r");
    const run = wrapped ? m[0].slice(0, wrappedLength(m[0])) : m[0];
    if (wrapped) base64doc.lastIndex = m.index + run.length;
    if (run.length < minBase64Chars) continue;
    // (line breaks out, so that the decoder's slices stay aligned to whole groups of four)
    const decoded = decodeBase64(wrapped ? run.replace(LINE_BREAKS, "") : run);
    const sig = findSignature(decoded.head);
    if (!sig) continue;
    found.push(match(m.index, m.index + run.length, { chain: ["base64"], label: sig.label, bytes: decoded.bytes, sha256: decoded.sha256 }));
  }
  if (LAYERED_START.test(s) && !covered(0)) {
    const layered = layeredAtStart(s, minBase64Chars, depth, text);
    if (layered) found.push(layered);
  }
  const rawdoc = new RegExp(RAW_DOC);
  for (let m = rawdoc.exec(s); m !== null; m = rawdoc.exec(s)) {
    if (covered(m.index)) continue;
    // (a Python repr's b'%PDF- is text about bytes: the escapes below read it whole)
    if (s.includes("\\x") && /^\s*b['"]/.test(s)) break;
    const raw = latin1Bytes(s, m.index);
    const label = findSignature(raw.head)?.label ?? "binary";
    found.push(match(m.index, s.length, { chain: ["raw"], label, bytes: raw.bytes, sha256: raw.sha256 }));
    break; // the raw payload runs to the end of the string
  }
  if (found.length === 0 && depth < MAX_DEPTH) {
    // Layers that take the whole string: escapes, percent-encoding, JSON text.
    const whole = wholeStringLayer(s, minBase64Chars, depth);
    if (whole) found.push(match(0, s.length, whole));
  }
  return found.sort((a, b) => a.start - b.start);
}

/** A string that starts as a layered payload (not JSON text, which is read whole below). */
const LAYERED_START = new RegExp(`^(?:${VALUE_START_SOURCE})`);

/** The payload a string starts with: base64 after junk, base64 of a layer, hex. */
function layeredAtStart(s: string, minBase64Chars: number, depth: number, text: (t: string, d: number) => Layered | undefined): PayloadMatch | undefined {
  const run = BASE64_AT_START.exec(s)?.[0];
  if (run !== undefined && run.length >= minBase64Chars && SHIFTED_NEAR_START.test(run.slice(0, 1400))) {
    const decoded = decodeBase64(run);
    const sig = findSignature(decoded.head);
    if (sig) return match(0, run.length, { chain: ["base64"], label: sig.label, bytes: decoded.bytes, sha256: decoded.sha256 });
  }
  if (depth >= MAX_DEPTH) return undefined;
  const layer = LAYER_BASE64.exec(s)?.[0];
  const fromLayer = layer !== undefined ? sniffBytes(Buffer.from(layer, "base64"), ["base64"], depth, text) : undefined;
  if (fromLayer) return match(0, layer!.length, fromLayer);
  const hex = HEX_RUN.exec(s)?.[0];
  const fromHex = hex !== undefined ? sniffBytes(Buffer.from(hex, "hex"), ["hex"], depth, text) : undefined;
  return fromHex && match(0, hex!.length, fromHex);
}

/** The first document in text a layer decoded to: JSON text read as such, other text searched. */
function firstLayered(s: string, minBase64Chars: number, depth: number): Layered | undefined {
  const json = jsonTextLayer(s, minBase64Chars, depth);
  return json ?? findDocumentsInString(s, minBase64Chars, depth)[0]?.layered;
}

function jsonTextLayer(s: string, minBase64Chars: number, depth: number): Layered | undefined {
  const first = s.trimStart()[0];
  if (first !== "{" && first !== "[") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch {
    return undefined;
  }
  const inner = documentInValue(parsed, minBase64Chars, depth + 1);
  return inner && { ...inner, chain: ["JSON text", ...inner.chain] };
}

function wholeStringLayer(s: string, minBase64Chars: number, depth: number): Layered | undefined {
  return escapedOrPercent(s, minBase64Chars, depth) ?? jsonTextLayer(s, minBase64Chars, depth);
}

function escapedOrPercent(s: string, minBase64Chars: number, depth: number): Layered | undefined {
  const text = (t: string, d: number): Layered | undefined => firstLayered(t, minBase64Chars, d);
  if (s.includes("\\x")) {
    const bytes = escapedBytes(s);
    const layer = /^\s*b['"]/.test(s) ? "Python bytes repr" : "escaped string";
    const found = bytes && sniffBytes(bytes, [layer], depth, text);
    if (found) return found;
  }
  if ((s.match(PERCENT)?.length ?? 0) >= 3) {
    const found = sniffBytes(percentBytes(s), ["percent-encoding"], depth, text);
    if (found) return found;
    // A form body or query string (document=%89PNG...&type=scan): each value on its own, as a server reads it.
    for (const m of s.matchAll(QUERY_VALUE)) {
      if ((m[1]!.match(PERCENT)?.length ?? 0) < 3) continue;
      const value = sniffBytes(percentBytes(m[1]!.replace(/\+/g, " ")), ["query string", "percent-encoding"], depth, text);
      if (value) return value;
    }
  }
  return undefined;
}

/** The first document in a parsed value (its strings, keys and byte arrays), to the depth left. */
export function documentInValue(value: unknown, minBase64Chars: number, depth: number): Layered | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      const m = findDocumentsInString(v, minBase64Chars, depth)[0];
      if (m) return m.layered;
    } else if (v !== null && typeof v === "object") {
      const arr = byteArrayLayered(v) ?? documentInChunks(v, minBase64Chars, depth);
      if (arr) return arr;
      if (Array.isArray(v)) stack.push(...v);
      else for (const [k, child] of Object.entries(v)) stack.push(k, child);
    }
  }
  return undefined;
}

/**
 * Base64 (or hex) cut into an array of strings, any length each: the pieces joined are the
 * document. Only arrays of two or more strings that are all of those characters are joined.
 */
export function documentInChunks(value: unknown, minBase64Chars: number, depth: number): Layered | undefined {
  if (!Array.isArray(value) || value.length < 2) return undefined;
  let joined = "";
  for (const piece of value) {
    if (typeof piece !== "string" || !/^[A-Za-z0-9+/_=-]*$/.test(piece)) return undefined;
    joined += piece;
  }
  if (joined.length < minBase64Chars) return undefined;
  const m = findDocumentsInString(joined, minBase64Chars, depth)[0];
  return m && { ...m.layered, chain: [`${value.length} pieces`, ...m.layered.chain] };
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

function byteArrayLayered(value: unknown): Layered | undefined {
  const e = documentInByteArray(value);
  if (!e) return undefined;
  const cut = e.kind.lastIndexOf(" ");
  return { chain: [e.kind.slice(0, cut)], label: e.kind.slice(cut + 1), bytes: e.bytes, sha256: e.sha256 };
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
    // Hex first: hex digits are base64 characters too, and hex was described as "base64 data".
    if (value.length >= 2 && value.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(value)) {
      const bytes = Buffer.from(value, "hex");
      const label = matchSignature(bytes);
      return { kind: label ? `hex ${label}` : "hex data", bytes: bytes.length, sha256: shortHash(bytes) };
    }
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
