/**
 * A document however it was written down: the bytes a text layer decodes to (base64, hex,
 * percent-encoding, Python and C escapes), and what those bytes are through compression (gzip,
 * zlib) and text (JSON text, base64 again), to a bounded depth and size. The signature may follow
 * a few bytes of junk (a UTF-8 BOM, a line break before %PDF, which PDF readers accept).
 */
import { constants, gunzipSync, inflateSync } from "node:zlib";
import type { Evidence } from "../generated/report.js";
import { shortHash } from "../engine/evidence.js";

export interface Signature {
  readonly label: string;
  readonly magic: readonly number[];
  /** How far into the bytes the signature may start (junk before it). */
  readonly within: number;
}

/** How far a signature other than PDF's may start: after a BOM, line breaks, spaces or NULs. */
const JUNK = 16;
/** Formats Textract reads, plus the containers a document commonly travels in. */
export const SIGNATURES: readonly Signature[] = [
  // PDF readers accept %PDF- anywhere in the first 1024 bytes.
  { label: "PDF", magic: [0x25, 0x50, 0x44, 0x46, 0x2d], within: 1024 },
  { label: "PNG", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], within: JUNK },
  { label: "JPEG", magic: [0xff, 0xd8, 0xff], within: JUNK },
  { label: "TIFF", magic: [0x49, 0x49, 0x2a, 0x00], within: JUNK },
  { label: "TIFF", magic: [0x4d, 0x4d, 0x00, 0x2a], within: JUNK },
  { label: "GIF", magic: [0x47, 0x49, 0x46, 0x38], within: JUNK },
  { label: "RIFF/WebP", magic: [0x52, 0x49, 0x46, 0x46], within: JUNK },
  { label: "ZIP/Office", magic: [0x50, 0x4b, 0x03, 0x04], within: JUNK },
];

/** Where a signature starts in `bytes` (within its allowance), and which. */
export function findSignature(bytes: Uint8Array): { label: string; offset: number } | undefined {
  for (const s of SIGNATURES) {
    const last = Math.min(s.within, bytes.length - s.magic.length);
    outer: for (let at = 0; at <= last; at++) {
      // Before a signature other than PDF's only junk: whitespace, a BOM, NULs (not text that happens to hold its bytes).
      if (s.within === JUNK && at > 0 && !isJunk(bytes[at - 1]!)) break;
      for (let i = 0; i < s.magic.length; i++) if (bytes[at + i] !== s.magic[i]) continue outer;
      return { label: s.label, offset: at };
    }
  }
  return undefined;
}
const isJunk = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x00 || b === 0xef || b === 0xbb || b === 0xbf;

/** How deep layers are opened (base64 -> gzip -> JSON text -> base64 -> document is four). */
export const MAX_DEPTH = 5;
/** How much a compressed layer may inflate to before it is sniffed from its head only. */
const MAX_INFLATED = 64 << 20;
/** How much of a compressed layer is inflated to sniff it. */
const SNIFF_COMPRESSED = 64 << 10;

export interface Layered {
  /** Outermost first: ["base64", "gzip"]. */
  readonly chain: readonly string[];
  readonly label: string;
  /** The document's size and hash (as far as it could be inflated), or the outermost layer's when it would not. */
  readonly bytes: number;
  readonly sha256: string;
}

/** "base64 PNG"; "gzip in base64, PDF"; "JSON text in base64, PNG": the chain, never the content. */
export function layeredKind(chain: readonly string[], label: string): string {
  if (chain.length === 0) return label;
  if (chain.length === 1) return `${chain[0]} ${label}`;
  return `${[...chain].reverse().join(" in ")}, ${label}`;
}

export const layeredEvidence = (l: Layered): Evidence => ({ kind: layeredKind(l.chain, l.label), bytes: l.bytes, sha256: l.sha256 });

type TextFinder = (s: string, depth: number) => Layered | undefined;

/**
 * What `bytes` hold, if a document: its signature (after junk), or a compressed or text layer
 * that holds one. `chain` is how the bytes were reached; `text` looks inside decoded text.
 */
export function sniffBytes(bytes: Uint8Array, chain: readonly string[], depth: number, text: TextFinder): Layered | undefined {
  if (bytes.length < 4) return undefined;
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  // Compression first: its stream may hold a signature's bytes as literals (a PDF's %PDF- is allowed 1024 bytes in).
  if (depth < MAX_DEPTH && b0 === 0x1f && b1 === 0x8b) return inflated(bytes, "gzip", gunzipSync, chain, depth, text);
  // zlib: CM 8, a window of at most 32 KiB, and a header check that divides by 31.
  if (depth < MAX_DEPTH && (b0 & 0x0f) === 8 && b0 >> 4 <= 7 && ((b0 << 8) | b1) % 31 === 0) {
    const found = inflated(bytes, "zlib", inflateSync, chain, depth, text);
    if (found) return found;
  }
  const sig = findSignature(bytes);
  if (sig) return { chain, label: sig.label, bytes: bytes.length - sig.offset, sha256: shortHash(bytes.subarray(sig.offset)) };
  // Text: decoded text may hold a document in turn (base64 of base64, JSON text of a request body).
  if (depth < MAX_DEPTH && looksLikeText(bytes)) {
    const inner = text(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"), depth + 1);
    return inner && { ...inner, chain: [...chain, ...inner.chain] };
  }
  return undefined;
}

function inflated(
  bytes: Uint8Array,
  layer: string,
  inflate: (b: Uint8Array, o: object) => Buffer,
  chain: readonly string[],
  depth: number,
  text: TextFinder,
): Layered | undefined {
  const next = [...chain, layer];
  let head: Buffer;
  try {
    // The head first: a bomb is never inflated whole to learn that it is not a document.
    head = inflate(bytes.subarray(0, SNIFF_COMPRESSED), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_INFLATED });
  } catch {
    return undefined;
  }
  let whole: Buffer | undefined;
  if (bytes.length <= SNIFF_COMPRESSED) whole = head;
  else {
    try {
      whole = inflate(bytes, { maxOutputLength: MAX_INFLATED });
    } catch {
      whole = undefined; // over the bound, or cut short: judged by its head, measured by its compressed bytes
    }
  }
  const found = sniffBytes(whole ?? head, next, depth + 1, text);
  if (!found) return undefined;
  return whole ? found : { ...found, bytes: bytes.length, sha256: shortHash(bytes) };
}

/** Mostly printable UTF-8 or ASCII: worth reading as text. */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09 || b >= 0x80) printable++;
  }
  return printable >= n * 0.95;
}

const HEX = /^[0-9A-Fa-f]*$/;
export function hexBytes(s: string): Buffer | undefined {
  return s.length % 2 === 0 && HEX.test(s) ? Buffer.from(s, "hex") : undefined;
}

/** Percent-encoding decoded to bytes (other characters as their UTF-8). */
export function percentBytes(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length + 0 && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) out.push(c);
    else out.push(...Buffer.from(s[i]!, "utf8"));
  }
  return Buffer.from(out);
}

/**
 * Python and C escapes decoded to bytes: a `str(bytes)` repr (b'\x89PNG\r\n...') or an escaped
 * string. Characters beyond a byte end it (it is then not a byte string).
 */
export function escapedBytes(s: string): Buffer | undefined {
  let body = s;
  const repr = /^b(['"])([\s\S]*)\1$/.exec(s.trim());
  if (repr) body = repr[2]!;
  const out: number[] = [];
  const simple: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, "0": 0x00, a: 0x07, b: 0x08, f: 0x0c, v: 0x0b, "\\": 0x5c, "'": 0x27, '"': 0x22 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\" && i + 1 < body.length) {
      const n = body[i + 1]!;
      if (n === "x" && /^[0-9A-Fa-f]{2}$/.test(body.slice(i + 2, i + 4))) {
        out.push(parseInt(body.slice(i + 2, i + 4), 16));
        i += 3;
        continue;
      }
      if (n in simple) {
        out.push(simple[n]!);
        i += 1;
        continue;
      }
    }
    const code = c.charCodeAt(0);
    if (code > 0xff) return undefined;
    out.push(code);
  }
  return Buffer.from(out);
}
