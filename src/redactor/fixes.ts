/** Applying the fixes that leak checks propose: choosing a consistent set, then applying them to values or to JSON text. */
import type { InspectedFinding } from "../engine/engine.js";
import { isPlainObject } from "../engine/pointer.js";
import type { Evidence, Fix } from "../engine/types.js";
import { locate } from "../positions/json-text.js";

export interface PlannedFix {
  readonly tokens: ReadonlyArray<string | number>;
  readonly fix: Fix;
  readonly ruleId: string;
  readonly evidence: Evidence | undefined;
}

export interface Change {
  /** JSON Pointer into the record. */
  readonly path: string;
  readonly ruleId: string;
  readonly action: "removed" | "set to null" | "replaced" | "payload replaced" | "pseudonymized";
  readonly evidence?: Evidence;
}

const RANK: Record<Fix["kind"], number> = { delete: 0, set: 1, replaceInString: 2 };

const isPrefix = (a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): boolean =>
  a.length <= b.length && a.every((t, i) => String(t) === String(b[i]));

/** One fix per place: an ancestor's fix wins over its descendants'; at one place, delete beats set beats a string edit. */
export function planFixes(inspected: readonly InspectedFinding[]): PlannedFix[] {
  const candidates = inspected
    .filter((i) => i.fix !== undefined)
    .map((i) => ({ tokens: i.tokens, fix: i.fix!, ruleId: i.finding.ruleId, evidence: i.finding.evidence }))
    .sort((a, b) => a.tokens.length - b.tokens.length || RANK[a.fix.kind] - RANK[b.fix.kind]);
  const chosen: PlannedFix[] = [];
  for (const c of candidates) if (!chosen.some((p) => isPrefix(p.tokens, c.tokens))) chosen.push(c);
  return chosen;
}

export function describeChange(p: PlannedFix, path: string): Change {
  if (p.ruleId === "pseudonymize") return { path, ruleId: p.ruleId, action: "pseudonymized" };
  const action = p.fix.kind === "delete" ? "removed" : p.fix.kind === "replaceInString" ? "payload replaced" : p.fix.kind === "set" && p.fix.value === null ? "set to null" : "replaced";
  return p.evidence ? { path, ruleId: p.ruleId, action, evidence: p.evidence } : { path, ruleId: p.ruleId, action };
}

export function editString(s: string, ranges: ReadonlyArray<{ start: number; end: number; text: string }>): string {
  let out = s;
  for (const r of [...ranges].sort((a, b) => b.start - a.start)) out = out.slice(0, r.start) + r.text + out.slice(r.end);
  return out;
}

/** A copy of `root` with the fix applied; only the objects along the path are copied, the input is never mutated. */
export function applyToValue(root: unknown, tokens: ReadonlyArray<string | number>, fix: Fix): unknown {
  if (tokens.length === 0) return fix.kind === "delete" ? null : fix.kind === "set" ? fix.value : typeof root === "string" ? editString(root, fix.ranges) : root;
  const [head, ...rest] = tokens;
  if (Array.isArray(root)) {
    const i = Number(head);
    if (!(i >= 0 && i < root.length)) return root;
    const copy = root.slice();
    copy[i] = rest.length === 0 && fix.kind === "delete" ? null : applyToValue(root[i], rest, fix);
    return copy;
  }
  if (!isPlainObject(root) || !Object.hasOwn(root, String(head))) return root;
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(root)) {
    if (k !== String(head)) Object.defineProperty(copy, k, { value: root[k], enumerable: true, writable: true, configurable: true });
    else if (rest.length === 0 && fix.kind === "delete") continue;
    else Object.defineProperty(copy, k, { value: applyToValue(root[k], rest, fix), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/**
 * Applies one fix to the JSON text of a record that starts at `from`, rewriting only the bytes of
 * the changed member: indentation, key order and every other value stay exactly as they were.
 */
export function applyToJsonText(text: string, from: number, tokens: ReadonlyArray<string | number>, fix: Fix): string {
  const loc = locate(text, tokens, from);
  if (!loc) return text;
  const splice = (start: number, end: number, insert: string) => text.slice(0, start) + insert + text.slice(end);
  switch (fix.kind) {
    case "set":
      return splice(loc.start, loc.end, JSON.stringify(fix.value));
    case "replaceInString": {
      const current = JSON.parse(text.slice(loc.start, loc.end)) as unknown;
      return typeof current === "string" ? splice(loc.start, loc.end, JSON.stringify(editString(current, fix.ranges))) : text;
    }
    case "delete": {
      const m = loc.member;
      if (!m) return splice(loc.start, loc.end, "null"); // an array element keeps its place
      if (m.nextStart >= 0) return splice(m.keyStart, m.nextStart, "");
      if (m.prevEnd >= 0) return splice(m.prevEnd, m.end, "");
      return splice(m.openEnd, m.closeStart, ""); // the only member: {} as CloudTrail writes it
    }
  }
}
