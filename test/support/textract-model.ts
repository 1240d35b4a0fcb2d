/**
 * The Textract API model as the newest AWS SDK for JavaScript ships it (@aws-sdk/client-textract):
 * its operations, their top-level request and response members, where a request carries
 * document bytes (blob members), and whether a response carries analysis results.
 */
import { createRequire } from "node:module";

/** A schema node of the SDK's compiled model: [kind, namespace, name, traits, members, member schemas]. */
type Node = readonly unknown[] | number | (() => unknown);

const STRUCTURE = 3;
const LIST = 1;
const OPERATION = 9;
const BLOB = 21;

export interface ModelOperation {
  readonly name: string;
  readonly requestMembers: readonly string[];
  readonly responseMembers: readonly string[];
  /** Request members that hold document bytes, in the table's path syntax (document.bytes, documentPages[].bytes). */
  readonly requestBlobs: readonly string[];
  /** Structures of the response (by name), to tell analysis results from configuration. */
  readonly responseShapes: ReadonlySet<string>;
}

const resolve = (n: Node): unknown => (typeof n === "function" ? n() : n);
const camel = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function members(n: Node): string[] {
  const s = resolve(n) as unknown[];
  return Array.isArray(s) && s[0] === STRUCTURE ? [...(s[4] as string[])] : [];
}

function blobPaths(n: Node, prefix: string, seen: Set<string>, out: string[]): void {
  const s = resolve(n);
  if (s === BLOB) {
    out.push(prefix);
    return;
  }
  if (!Array.isArray(s)) return;
  if (s[0] === LIST) return blobPaths(s[4] as Node, `${prefix}[]`, seen, out);
  if (s[0] !== STRUCTURE || seen.has(s[2] as string)) return;
  const next = new Set(seen).add(s[2] as string);
  (s[4] as string[]).forEach((m, i) => blobPaths((s[5] as Node[])[i]!, prefix ? `${prefix}.${camel(m)}` : camel(m), next, out));
}

function shapes(n: Node, out: Set<string>): void {
  const s = resolve(n);
  if (!Array.isArray(s)) return;
  if (s[0] === LIST) return shapes(s[4] as Node, out);
  if (s[0] !== STRUCTURE || out.has(s[2] as string)) return;
  out.add(s[2] as string);
  for (const m of s[5] as Node[]) shapes(m, out);
}

export function textractModel(): { version: string; operations: ModelOperation[] } {
  const require = createRequire(import.meta.url);
  const sdk = require("@aws-sdk/client-textract") as Record<string, unknown>;
  const version = (require("@aws-sdk/client-textract/package.json") as { version: string }).version;
  const operations = Object.keys(sdk)
    .filter((k) => k.endsWith("Command") && k !== "$Command")
    .map((k) => k.slice(0, -"Command".length))
    .sort()
    .map((name): ModelOperation => {
      const op = sdk[`${name}$`] as unknown[];
      if (!Array.isArray(op) || op[0] !== OPERATION) throw new Error(`no operation schema for ${name}`);
      const requestBlobs: string[] = [];
      blobPaths(op[4] as Node, "", new Set(), requestBlobs);
      const responseShapes = new Set<string>();
      shapes(op[5] as Node, responseShapes);
      return { name, requestMembers: members(op[4] as Node), responseMembers: members(op[5] as Node), requestBlobs, responseShapes };
    });
  return { version, operations };
}
