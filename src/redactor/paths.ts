/**
 * Path-based redaction in the spirit of pino's `redact` ({ paths, censor, remove }), extended with
 * `**` for "anywhere in the record" and optional case-insensitive names. Paths are dot-separated:
 * `requestParameters.document.bytes`, `responseElements.*`, `**.bytes`, `a["odd.key"][0]`.
 */
import { walk, pathOf } from "../engine/walk.js";

export type Segment = { readonly kind: "name"; readonly name: string } | { readonly kind: "any" } | { readonly kind: "deep" };

export function parseRedactPath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /\s*(?:\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|\[\*\]|(\*\*)|(\*)|([^.[\]]+))\s*\.?/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while (consumed < path.length && (m = re.exec(path)) !== null) {
    consumed = re.lastIndex;
    if (m[1] !== undefined) out.push({ kind: "name", name: JSON.parse(`"${m[1]}"`) as string });
    else if (m[2] !== undefined) out.push({ kind: "name", name: m[2] });
    else if (m[3]) out.push({ kind: "deep" });
    else if (m[4] || m[0].includes("[*]")) out.push({ kind: "any" });
    else out.push({ kind: "name", name: m[5]!.trim() });
  }
  if (consumed !== path.length || out.length === 0) throw new SyntaxError(`not a redaction path: ${JSON.stringify(path)}`);
  return out;
}

/** Matches a concrete path against segments (`**` matches zero or more members). */
function matches(segments: readonly Segment[], tokens: ReadonlyArray<string | number>, ignoreCase: boolean): boolean {
  // Iterative NFA over positions, so long paths and many `**` stay linear.
  let states = new Set<number>([0]);
  const close = (set: Set<number>) => {
    for (const s of [...set]) for (let i = s; i < segments.length && segments[i]!.kind === "deep"; i++) set.add(i + 1);
    return set;
  };
  states = close(states);
  for (const t of tokens) {
    const next = new Set<number>();
    const token = ignoreCase ? String(t).toLowerCase() : String(t);
    for (const s of states) {
      const seg = segments[s];
      if (!seg) continue;
      if (seg.kind === "deep") next.add(s);
      else if (seg.kind === "any" || (ignoreCase ? seg.name.toLowerCase() : seg.name) === token) next.add(s + 1);
    }
    states = close(next);
    if (states.size === 0) return false;
  }
  return states.has(segments.length);
}

/** Every concrete path in `record` that one of `paths` selects (outermost first; nothing below a selected path). */
export function selectPaths(record: unknown, paths: readonly string[], ignoreCase = false): Array<Array<string | number>> {
  const compiled = paths.map(parseRedactPath);
  const found: Array<Array<string | number>> = [];
  walk(record, (node) => {
    if (node.key === undefined) return true;
    const tokens = pathOf(node);
    if (compiled.some((segs) => matches(segs, tokens, ignoreCase))) {
      found.push(tokens);
      return false;
    }
    return true;
  });
  return found;
}
