import { createHash, type Hash } from "node:crypto";
import type { Evidence } from "../generated/report.js";

/** A string longer than this is hashed a slice at a time (its UTF-8 is not made whole at once). */
const HASH_SLICE = 1 << 20;

/** A short, non-reversible fingerprint: first 8 hex digits of SHA-256 (of a string's UTF-8). */
export function shortHash(data: string | Uint8Array): string {
  const hash = createHash("sha256");
  if (typeof data === "string" && data.length > HASH_SLICE) {
    // Never between the halves of a surrogate pair: the slices' UTF-8 then joins up to the whole's.
    for (let i = 0; i < data.length; ) {
      let end = Math.min(i + HASH_SLICE, data.length);
      const last = data.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff && end < data.length) end++;
      hash.update(data.slice(i, end));
      i = end;
    }
  } else hash.update(data);
  return shortDigest(hash);
}

/** The first 8 hex digits of a finished SHA-256. */
export function shortDigest(hash: Hash): string {
  return hash.digest("hex").slice(0, 8);
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "base64 PNG, 3.2 KB, sha256 1a2b3c4d": what a report may say about a secret. */
export function describeEvidence(e: Evidence): string {
  return `${e.kind}, ${humanSize(e.bytes)}, sha256 ${e.sha256}`;
}

/** Evidence for an arbitrary JSON value (analysis output, a whole member): its serialized size and hash. */
export function evidenceOfValue(kind: string, value: unknown): Evidence {
  let text: string;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return { kind, bytes: Buffer.byteLength(text), sha256: shortHash(text) };
}

/** The marker that replaces a redacted payload: what was there, never the value. */
export function redactionMarker(e: Evidence): string {
  return `[redacted: ${describeEvidence(e)}]`;
}
