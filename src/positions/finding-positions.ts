/** Exact positions for findings, computed only for records that have findings (clean records cost nothing). */
import { parsePointer } from "../engine/pointer.js";
import type { Finding } from "../engine/types.js";
import type { ParsedRecord } from "../readers/parse.js";
import { locate } from "./json-text.js";

/** Line and column of `offset` in `text`, given that text[0] sits at base.line / base.column. */
function at(text: string, offset: number, base: { line: number; column: number }): { line: number; column: number } {
  let line = base.line;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const chars = text.slice(lineStart, offset);
  const bytes = Buffer.byteLength(chars);
  return { line, column: line === base.line ? base.column + bytes : bytes + 1 };
}

/** Adds line/column ranges to the findings of one record, from the record's source text. */
export function addPositions(findings: Finding[], rec: ParsedRecord): void {
  // A record among others in its text is found in its own text (see ParsedRecord.own).
  const pos = rec.own ? { ...rec.own, at: [], locate: undefined } : rec.pos;
  if (!pos) return;
  const raw = rec.own ? rec.own.text : (rec.pos?.text ?? rec.raw);
  const find = pos.locate ?? ((path: ReadonlyArray<string | number>) => (raw === undefined ? undefined : locate(raw, [...(pos.at ?? []), ...path])));
  for (const f of findings) {
    let span: { start: number; end: number } | undefined;
    if (raw !== undefined && pos.at !== null) {
      // A missing member has no position: point at the closest enclosing value that exists.
      const tokens = parsePointer(f.path);
      for (let n = tokens.length; n >= 0 && !span; n--) span = find(tokens.slice(0, n));
    }
    if (!span || raw === undefined) {
      f.line = pos.line;
      f.column = pos.column;
      continue;
    }
    const start = at(raw, span.start, pos);
    const end = at(raw, span.end, pos);
    f.line = start.line;
    f.column = start.column;
    f.endLine = end.line;
    f.endColumn = end.column;
  }
}
