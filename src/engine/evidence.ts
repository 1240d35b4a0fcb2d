import { createHash } from "node:crypto";
import type { Evidence } from "../generated/report.js";

/** A short, non-reversible fingerprint: first 8 hex digits of SHA-256. */
export function shortHash(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 8);
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
