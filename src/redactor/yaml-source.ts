/**
 * YAML redaction by source ranges: each fix replaces or removes the bytes of the node it concerns,
 * so every untouched line stays byte for byte what it was (a comment's spacing, quoting styles,
 * blank lines). Re-rendering the document instead re-spaced comments and re-quoted values.
 * Shapes it does not edit this way (aliases, merge keys, flow maps, a record in a JSON string)
 * return undefined: the caller then edits the parsed document.
 */
import type { Document, Node as YamlNode, Pair, YAMLMap } from "yaml";
import { yaml as yamlLib } from "../lazy.js";
import type { ParsedRecord } from "../readers/parse.js";
import { applyToValue, type PlannedFix } from "./fixes.js";

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** `text` with every planned fix applied to its source, or undefined when a fix is not a plain edit of a node. */
export function editYamlSource(text: string, docs: readonly Document.Parsed[], plans: ReadonlyMap<ParsedRecord, PlannedFix[]>): string | undefined {
  const Y = yamlLib();
  const splices: Splice[] = [];
  // Deletions by the map they empty: a block map left with no member becomes "{}", not nothing (null).
  const deleted = new Map<YAMLMap, Pair[]>();
  for (const [rec, plan] of plans) {
    const doc = docs[rec.site.doc];
    if (!doc || rec.site.embedded) return undefined;
    for (const p of plan) {
      const path = [...rec.site.at, ...p.tokens];
      if (p.fix.kind === "delete") {
        const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
        if (!Y.isMap(parent) || parent.flow) return undefined;
        const pair = parent.items.find((i) => Y.isScalar(i.key) && String(i.key.value) === String(path[path.length - 1]));
        if (!pair || !Y.isScalar(pair.key) || !pair.key.range || (pair.value !== null && !isEditable(Y, pair.value))) return undefined;
        deleted.set(parent, [...(deleted.get(parent) ?? []), pair]);
        continue;
      }
      const node = doc.getIn(path, true) as YamlNode | undefined;
      if (!node || !isEditable(Y, node)) return undefined;
      const value = p.fix.kind === "set" ? p.fix.value : applyToValue(doc.getIn(path), [], p.fix);
      if (typeof value !== "string") return undefined;
      const [start, end] = node.range!;
      // (a block collection's range ends with its line break: the scalar that replaces it keeps one)
      splices.push({ start, end, text: JSON.stringify(value) + (text[end - 1] === "\n" ? "\n" : "") });
    }
  }
  for (const [map, pairs] of deleted) {
    if (pairs.length === map.items.length) {
      const [first, end] = map.range!;
      // "document: {}" on the key's line, when nothing (a comment) stands between them.
      let k = first - 1;
      while (k >= 0 && /[ \t\r\n]/.test(text[k]!)) k--;
      const start = text[k] === ":" ? k + 1 : first;
      splices.push({ start, end, text: (start === first ? "" : " ") + "{}" + (text[end - 1] === "\n" ? "\n" : "") });
      continue;
    }
    for (const pair of pairs) {
      const key = pair.key as YamlNode;
      const value = pair.value as YamlNode | null;
      let start = key.range![0];
      // From the start of the key's line when only indentation precedes it; to the end of the value's last line.
      const lineStart = text.lastIndexOf("\n", start - 1) + 1;
      if (/^[ \t]*$/.test(text.slice(lineStart, start))) start = lineStart;
      let end = value ? value.range![2] : key.range![2];
      if (text[end - 1] !== "\n" && text[end] === "\n") end++;
      splices.push({ start, end, text: "" });
    }
  }
  splices.sort((a, b) => b.start - a.start);
  for (let i = 1; i < splices.length; i++) if (splices[i]!.end > splices[i - 1]!.start) return undefined; // overlapping fixes
  let out = text;
  for (const s of splices) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

/** A node this module can replace by its range: not an alias, with a range (nodes made by the parser have one). */
function isEditable(Y: ReturnType<typeof yamlLib>, node: unknown): boolean {
  return !Y.isAlias(node) && Y.isNode(node) && Array.isArray(node.range) && !hasAlias(Y, node);
}

/** Whether an alias lies anywhere inside `node` (its source is then not the value the record holds). */
function hasAlias(Y: ReturnType<typeof yamlLib>, node: unknown): boolean {
  let found = false;
  Y.visit(node as YamlNode, { Alias: () => ((found = true), Y.visit.BREAK) });
  return found;
}
