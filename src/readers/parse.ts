/** Bytes to records: gzip detection, text decoding, JSON / NDJSON / YAML recognised by content. */
import { constants, gunzipSync } from "node:zlib";
import { yaml } from "../lazy.js";
import { InputError } from "../errors.js";
import { humanSize } from "../engine/evidence.js";
import { unwrap, type RecordSite } from "./unwrap.js";
import { MAX_YAML_DEPTH, yamlTooDeep } from "./yaml-depth.js";
import { yamlPlace } from "./yaml-path.js";

export interface ParsedRecord {
  /** 0-based index of the record within its file. */
  readonly index: number;
  readonly value: unknown;
  /** A value of a file that is not a CloudTrail log (see isCloudTrailShaped): checked for document payloads only. */
  readonly notLog?: boolean;
  /** 1-based line of an NDJSON record. */
  readonly line?: number;
  /** Where the record sits: its document (YAML document or NDJSON line, 0-based) and path in it. */
  readonly site: RecordSite & { readonly doc: number };
  /** JSON text that contains the record, when the reader had it (lets the engine skip checks cheaply). */
  readonly raw?: string;
  /**
   * The record's own JSON text and where it starts in the file (1-based line, byte column), when
   * `raw` holds other records too (an array of them, or a Records array, in one NDJSON line or array
   * element). The engine and positions read it instead of `raw`, which they would otherwise scan
   * once for each of its records (a line of 10,000 records: 18 s).
   */
  readonly own?: { readonly text: string; readonly line: number; readonly column: number };
  /**
   * Where `raw` starts in the file (1-based line and column) and the record's path inside `raw`
   * (null when the record is JSON text inside a string: positions then point at that string).
   */
  readonly pos?: {
    readonly line: number;
    readonly column: number;
    readonly at: ReadonlyArray<string | number> | null;
    /**
     * How many leading tokens of `site.at` lead to the text that starts at line/column (a piece cut
     * out of a stream: 2 for ["Records", i], 1 in a top-level array, 0 for a whole document);
     * `site.at.slice(outer)` is the record's path from there (redaction finds each record from its own
     * piece, so JSON documents one after another are edited where each record is).
     */
    readonly outer: number;
    /** For sources that are not JSON text (YAML): the source and how to find a path's span in it. */
    readonly text?: string;
    readonly locate?: (path: ReadonlyArray<string | number>) => { start: number; end: number } | undefined;
  };
}

/**
 * Where the engine finds a record: its file and index, and the text it was read from with its
 * path in that text (the record's own text when it shares one with others).
 */
export function recordWhere(file: string, rec: ParsedRecord): { file: string; index: number; raw: string | undefined; rawAt: ReadonlyArray<string | number> | undefined } {
  // One object shape for every record.
  return rec.own ? { file, index: rec.index, raw: rec.own.text, rawAt: undefined } : { file, index: rec.index, raw: rec.raw, rawAt: rec.pos?.at ?? undefined };
}

export interface ParseLimits {
  /** YAML aliases resolved per document before it is refused as an alias bomb. */
  readonly maxYamlAliases: number;
  /**
   * The largest record read, in bytes of its JSON text (an NDJSON line, an element of Records, a
   * whole YAML file): a larger one is an input error (LIMIT), skipped without holding its bytes.
   */
  readonly maxRecordBytes: number;
}

/**
 * 16 MiB: CloudTrail's own events are at most 256 KB (1 MB in Lake), and Textract takes documents
 * of up to 10 MB in Bytes (13.4 MB of base64). Checking a record holds ~5 times its size.
 */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
export const DEFAULT_LIMITS: ParseLimits = { maxYamlAliases: 100, maxRecordBytes: DEFAULT_MAX_RECORD_BYTES };

export interface ParseResult {
  readonly records: ParsedRecord[];
  readonly errors: InputError[];
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/**
 * Decompresses; a truncated or corrupt stream still yields what came before the damage. Past
 * `maxBytes` of output it stops with a LIMIT error and no data.
 */
export function gunzipLenient(bytes: Uint8Array, file: string, maxBytes?: number): { data: Buffer; error?: InputError } {
  const cap = maxBytes !== undefined ? { maxOutputLength: maxBytes } : {};
  try {
    return { data: gunzipSync(bytes, cap) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      return { data: Buffer.alloc(0), error: new InputError("LIMIT", file, `decompresses to more than ${humanSize(maxBytes!)}, over the limit`) };
    }
    let partial = Buffer.alloc(0);
    try {
      partial = gunzipSync(bytes, { ...cap, finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      // Nothing recoverable.
    }
    const reason = (e as NodeJS.ErrnoException).code === "Z_BUF_ERROR" ? "truncated gzip stream" : `corrupt gzip stream (${(e as Error).message})`;
    return {
      data: partial,
      error: new InputError("GZIP", file, `${reason}: ${partial.length} bytes decompressed before the damage; records after that offset are lost`, { offset: partial.length }),
    };
  }
}

/** A NUL byte in the first 8 KiB: binary, not a text log. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}


/** Offset of the first byte that breaks UTF-8 (found by bisection on the strict decoder). */
export function firstInvalidUtf8(data: Uint8Array): number {
  let lo = 0;
  let hi = data.length;
  while (hi - lo > 4) {
    const mid = (lo + hi) >>> 1;
    try {
      // A prefix may end inside a valid multi-byte sequence: allow a partial tail with stream mode.
      new TextDecoder("utf-8", { fatal: true }).decode(data.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

export type TextFormat = "json" | "ndjson" | "yaml";

/** The format named by a file's extension (after .gz), if any. */
export function formatFromName(name: string): TextFormat | undefined {
  const base = name.toLowerCase().replace(/\.gz$/, "");
  if (base.endsWith(".yaml") || base.endsWith(".yml")) return "yaml";
  if (base.endsWith(".jsonl") || base.endsWith(".ndjson")) return "ndjson";
  if (base.endsWith(".json")) return "json";
  return undefined;
}

export function jsonErrorPosition(e: unknown): number | undefined {
  const m = /at position (\d+)/.exec((e as Error).message);
  return m ? Number(m[1]) : undefined;
}

/** The error message without V8's excerpt of the input (which could echo a secret). */
export function jsonErrorReason(e: unknown): string {
  let msg = (e as Error).message.replace(/\s*\(line \d+ column \d+\)/, "");
  const excerpt = msg.indexOf(', "');
  if (excerpt >= 0 && msg.includes("is not valid JSON")) msg = msg.slice(0, excerpt) + " (not valid JSON)";
  return msg.replace(/Unexpected token '[^']*'/, "Unexpected token").replace(/Unexpected token .(?= in JSON)/, "Unexpected token");
}

export function parseYamlText(text: string, file: string, limits: ParseLimits): ParseResult {
  const errors: InputError[] = [];
  const values: unknown[] = [];
  const docIndexes: number[] = [];
  const tooDeep = `YAML refused: nesting too deep to parse safely (over ${MAX_YAML_DEPTH} levels)`;
  if (yamlTooDeep(text)) return { records: [], errors: [new InputError("LIMIT", file, tooDeep)] };
  let docs;
  try {
    // Core schema: no timestamps or other implicit types beyond JSON's; unknown tags stay plain data.
    // Merge keys (<<: *base) resolved as YAML 1.1 loaders do: a fixture built on a base record is that record.
    docs = yaml().parseAllDocuments(text, { schema: "core", merge: true, uniqueKeys: true, prettyErrors: false, customTags: [] });
  } catch (e) {
    return { records: [], errors: [yamlFailure(file, e, limits)] };
  }
  const list = Array.isArray(docs) ? docs : [docs];
  for (const [docIndex, doc] of list.entries()) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!;
      if (/call stack/i.test(err.message)) {
        errors.push(new InputError("LIMIT", file, tooDeep));
        continue;
      }
      const line = err.linePos?.[0]?.line;
      errors.push(new InputError("PARSE", file, `malformed YAML${line ? ` at line ${line}` : ""}: ${err.message.split("\n")[0]}`, line ? { line } : {}));
      continue;
    }
    try {
      const value = doc.toJS({ maxAliasCount: limits.maxYamlAliases });
      if (value !== null && value !== undefined) {
        values.push(value);
        docIndexes.push(docIndex);
      }
    } catch (e) {
      errors.push(yamlFailure(file, e, limits));
    }
  }
  const records: ParsedRecord[] = [];
  values.forEach((value, i) => {
    for (const u of unwrap(value)) {
      const index = records.length + errors.length;
      if ("skipped" in u) continue;
      if ("problem" in u) errors.push(new InputError("PARSE", file, u.problem, { record: index }));
      else {
        const doc = list[docIndexes[i]!]!;
        const recordAt = u.site.at;
        const locate = (path: ReadonlyArray<string | number>) => {
          const full = [...recordAt, ...path];
          const node = (full.length === 0 ? doc.contents : yamlPlace(doc, doc.contents, full)?.node) as { range?: [number, number, number] } | undefined;
          return node && typeof node === "object" && node.range ? { start: node.range[0], end: node.range[1] } : undefined;
        };
        records.push({ index, value: u.record, site: { ...u.site, doc: docIndexes[i]! }, pos: { line: 1, column: 1, at: u.site.embedded ? null : [], outer: 0, text, locate } });
      }
    }
  });
  return { records, errors };
}

/** What went wrong in the YAML library, in words: alias bombs and hostile nesting are limits, not crashes. */
function yamlFailure(file: string, e: unknown, limits: ParseLimits): InputError {
  if (e instanceof RangeError) return new InputError("LIMIT", file, "YAML refused: nesting too deep to parse safely");
  const msg = (e as Error).message;
  if (/alias/i.test(msg)) return new InputError("LIMIT", file, `YAML refused: too many alias expansions (limit ${limits.maxYamlAliases}; an alias bomb?)`);
  return new InputError("PARSE", file, `malformed YAML: ${msg.split("\n")[0]}`);
}
