/** RFC 6901 JSON Pointers. Built only when a finding is reported, never on the clean path. */
import { shortHash } from "./evidence.js";

export function escapeToken(token: string | number): string {
  const s = String(token);
  return s.includes("~") || s.includes("/") ? s.replace(/~/g, "~0").replace(/\//g, "~1") : s;
}

export function pointer(tokens: ReadonlyArray<string | number>): string {
  let out = "";
  for (const t of tokens) out += "/" + escapeToken(t);
  return out;
}

/** Keys longer than this are described in reports, not repeated: a key can carry anything, of any size. */
export const REPORTED_KEY_MAX = 256;

/** A JSON Pointer for reports: a key over REPORTED_KEY_MAX characters becomes "[key of N characters, sha256 h]". */
export function reportPointer(tokens: ReadonlyArray<string | number>): string {
  let out = "";
  for (const t of tokens) out += "/" + (typeof t === "string" && t.length > REPORTED_KEY_MAX ? `[key of ${t.length} characters, sha256 ${shortHash(t)}]` : escapeToken(t));
  return out;
}

export function parsePointer(ptr: string): string[] {
  if (ptr === "") return [];
  if (!ptr.startsWith("/")) throw new SyntaxError(`JSON Pointer must start with '/': ${JSON.stringify(ptr)}`);
  return ptr
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Own-property lookup only: a pointer never reaches into a prototype. */
export function getOwn(value: unknown, key: string): unknown {
  if (value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    if (!/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
    return value[Number(key)];
  }
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

export function resolvePointer(root: unknown, tokens: ReadonlyArray<string | number>): unknown {
  let cur = root;
  for (const t of tokens) {
    cur = getOwn(cur, String(t));
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Own keys of an object whose name equals `name` ignoring ASCII case (CloudTrail casing is not reliable). */
export function keysIgnoringCase(obj: Record<string, unknown>, lowerName: string): string[] {
  const found: string[] = [];
  for (const k of Object.keys(obj)) if (k.length === lowerName.length && k.toLowerCase() === lowerName) found.push(k);
  return found;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
