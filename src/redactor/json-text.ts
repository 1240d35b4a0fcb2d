/** Redaction of JSON and NDJSON text: each record edited where its piece of text lies, every other byte kept. */
import { endOfValue, locateInOrder } from "../positions/json-text.js";
import { type ParsedRecord } from "../readers/parse.js";
import { exportStampLength } from "../readers/reader.js";
import { applyToJsonText, type PlannedFix } from "./fixes.js";

/** Where a record's piece of JSON text starts in the decoded text, and the record's path from there. */
export interface PieceAt {
  readonly start: number;
  readonly path: ReadonlyArray<string | number>;
}

/**
 * Where each record's piece starts in `text` (UTF-16 offsets), from the reader's line and byte
 * column, in one pass over the text. Undefined when a record has no position (then nothing is edited).
 */
export function pieceStarts(text: string, records: readonly ParsedRecord[]): Map<ParsedRecord, PieceAt> | undefined {
  if (records.some((r) => r.pos === undefined || r.pos.outer > r.site.at.length)) return undefined;
  const sorted = [...records].sort((a, b) => a.pos!.line - b.pos!.line || a.pos!.column - b.pos!.column);
  const out = new Map<ParsedRecord, PieceAt>();
  let line = 1;
  let i = 0; // the character at (line, byte column `bytes` + 1)
  let bytes = 0;
  for (const rec of sorted) {
    const { line: toLine, column, outer } = rec.pos!;
    while (line < toLine) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) return undefined;
      i = nl + 1;
      bytes = 0;
      line++;
    }
    while (bytes < column - 1 && i < text.length) {
      const c = text.charCodeAt(i);
      const pair = c >= 0xd800 && c <= 0xdbff;
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
      i += pair ? 2 : 1;
    }
    if (bytes !== column - 1) return undefined;
    out.set(rec, { start: i, path: rec.site.at.slice(outer) });
  }
  return out;
}

/** Applies the plan to a record's JSON text `text` (embedded: a JSON string holding the record's JSON text, kept a string). */
export function redactRecordText(text: string, embedded: boolean, plan: PlannedFix[]): string {
  let out = embedded ? (JSON.parse(text) as string) : text;
  for (const p of plan) out = applyToJsonText(out, 0, p.tokens, p.fix);
  return embedded ? JSON.stringify(out) : out;
}

/** One record's (or wrapper's) edits: where it is in a JSON text, and its plan. */
export interface TextEdit {
  readonly path: ReadonlyArray<string | number>;
  readonly embedded: boolean;
  readonly plan: PlannedFix[];
}

/**
 * Applies every edit to the JSON value `text`: those at the same depth (which cannot hold one
 * another) in one pass, found by locateInOrder and put together once, the deepest first (a
 * wrapper's edits after its records'). Editing the whole text once per record made a 6 MB
 * CloudWatch Logs message of 5,000 leaking records take 171 s.
 */
export function editJsonText(text: string, edits: readonly TextEdit[]): string {
  const depths = [...new Set(edits.map((e) => e.path.length))].sort((a, b) => b - a);
  for (const depth of depths) {
    const level = edits.filter((e) => e.path.length === depth);
    const spans = locateInOrder(text, level.map((e) => e.path));
    const found = level.map((edit, k) => ({ edit, span: spans[k] })).filter((f) => f.span !== undefined).sort((a, b) => a.span!.start - b.span!.start);
    const parts: string[] = [];
    let done = 0;
    for (const { edit, span } of found) {
      if (span!.start < done) continue; // (the same place twice: the first edit only)
      parts.push(text.slice(done, span!.start), redactRecordText(text.slice(span!.start, span!.end), edit.embedded, edit.plan));
      done = span!.end;
    }
    parts.push(text.slice(done));
    text = parts.join("");
  }
  return text;
}

/**
 * JSON text, one document or several one after another: each piece with records to redact is cut
 * out, its records edited in it (editJsonText), and the file put back together once. (Editing the whole text for each record made a 60 MB file
 * with ~1,100 leaking records take 140 s and 2.5 GB.)
 */
export function redactJson(text: string, plans: Map<ParsedRecord, PlannedFix[]>, pieces: Map<ParsedRecord, PieceAt>): string {
  const byPiece = new Map<number, Array<[ParsedRecord, PlannedFix[]]>>();
  for (const entry of plans) {
    const start = pieces.get(entry[0])!.start;
    const list = byPiece.get(start);
    if (list) list.push(entry);
    else byPiece.set(start, [entry]);
  }
  const parts: string[] = [];
  let done = 0;
  for (const start of [...byPiece.keys()].sort((a, b) => a - b)) {
    const end = endOfValue(text, start);
    const piece = editJsonText(text.slice(start, end), byPiece.get(start)!.map(([rec, plan]) => ({ path: pieces.get(rec)!.path, embedded: rec.site.embedded, plan })));
    parts.push(text.slice(done, start), piece);
    done = end;
  }
  parts.push(text.slice(done));
  return parts.join("");
}

/** NDJSON: each line is a document, edited on its own. */
export function redactNdjson(text: string, plans: Map<ParsedRecord, PlannedFix[]>): string {
  const byDoc = new Map<number, Array<[ParsedRecord, PlannedFix[]]>>();
  for (const entry of plans) {
    const list = byDoc.get(entry[0].site.doc) ?? [];
    list.push(entry);
    byDoc.set(entry[0].site.doc, list);
  }
  const lines = text.split("\n");
  for (const [doc, entries] of byDoc) {
    let line = lines[doc]!;
    const cr = line.endsWith("\r");
    if (cr) line = line.slice(0, -1);
    // (a CloudWatch Logs export line keeps its timestamp: the record is the JSON after it)
    const stamp = line.slice(0, exportStampLength(line));
    line = stamp + editJsonText(line.slice(stamp.length), entries.map(([rec, plan]) => ({ path: rec.site.at, embedded: rec.site.embedded, plan })));
    lines[doc] = cr ? line + "\r" : line;
  }
  return lines.join("\n");
}

export function isJsonText(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}
