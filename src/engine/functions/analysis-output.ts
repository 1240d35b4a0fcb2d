import type { AnalysisOutputOptions, OutputMember } from "../../generated/rule-pack.js";
import { describeEvidence, evidenceOfValue, redactionMarker } from "../evidence.js";
import type { CheckFunction } from "../types.js";
import { alternation } from "../alternation.js";
import { anyValue, pathOf, walk } from "../walk.js";

interface Matcher {
  readonly label: string;
  readonly itemHasAny: ReadonlySet<string> | undefined;
  readonly hasAny: ReadonlySet<string> | undefined;
}

const lowerSet = (names: string[] | undefined): ReadonlySet<string> | undefined =>
  names ? new Set(names.map((n) => n.toLowerCase())) : undefined;

function hasAnyKey(obj: unknown, keys: ReadonlySet<string>): boolean {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return false;
  for (const k of Object.keys(obj)) if (keys.has(k.toLowerCase())) return true;
  return false;
}

function matches(m: Matcher, value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) {
    if (value.length === 0 || m.hasAny) return false;
    return m.itemHasAny ? value.some((el) => hasAnyKey(el, m.itemHasAny!)) : true;
  }
  if (m.itemHasAny) return false;
  if (m.hasAny) return hasAnyKey(value, m.hasAny);
  return Object.keys(value).length > 0;
}

/** How deep JSON text inside JSON text is opened (a gateway's logged Lambda proxy body is two levels). */
const MAX_TEXT_DEPTH = 4;
/** How far after a guarded member's name (in text that does not parse) one of its guard keys must appear. */
const GUARD_WINDOW = 512;

/** The value of a string that is JSON text (an object or array), or undefined. */
function parseJsonText(v: string): unknown {
  const first = v.trimStart()[0];
  if (first !== "{" && first !== "[") return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}

/** JSON whitespace, also as it reads inside a JSON string (escaped). */
const GAP = String.raw`(?:\s|\\[nrtbf])*`;

/**
 * A character of a member name as a pattern that matches it in every casing toLowerCase() would
 * accept: a letter as a class of the characters that lower-case to it (the Kelvin sign is a "k").
 */
function anyCasing(c: string): string {
  const lower = c.toLowerCase();
  if (lower === c.toUpperCase()) return /[\w]/.test(c) ? c : `\\${c}`;
  return `[${[...new Set([lower, c.toUpperCase(), ...foldsTo(lower)])].join("")}]`;
}
/**
 * The characters outside ASCII whose toLowerCase() is an ASCII letter: only the Kelvin sign.
 * (Found by scanning the BMP, which costs ~15 ms: a test repeats the scan and compares.)
 */
export const FOLDS_TO_ASCII: Readonly<Record<string, readonly string[]>> = { k: ["\u212a"] };
const foldsTo = (lower: string): readonly string[] => FOLDS_TO_ASCII[lower] ?? [];

/** Textract analysis output (Blocks, geometry, expense, identity and lending results) anywhere in the record, any casing. */
export const analysisOutput: CheckFunction<AnalysisOutputOptions> = {
  name: "analysisOutput",
  /** A member name as a key followed by an object or array, in the record's text or inside one of its strings (quotes escaped). */
  prefilter(options) {
    const members = options.members as OutputMember[];
    // Names JSON may write with escapes ("\\/") cannot be searched as text: always check those.
    if (members.some((m) => !/^[A-Za-z0-9_ -]+$/.test(m.name))) return undefined;
    return new RegExp(String.raw`"${alternation(members.map((m) => m.name), anyCasing)}\\*"${GAP}:${GAP}[\[{]`);
  },
  compile(options) {
    const byName = new Map<string, Matcher>();
    for (const member of options.members as OutputMember[]) {
      byName.set(member.name.toLowerCase(), {
        label: member.label ?? member.name,
        itemHasAny: lowerSet(member.itemHasAny),
        hasAny: lowerSet(member.hasAny),
      });
    }
    const inStrings = options.inStrings !== false;
    // JSON text that names one of the members, followed by an object or array.
    const names = [...byName.keys()].map((n) => n.replace(/[^a-z0-9]/g, ""));
    const inText = new RegExp(`"(${names.join("|")})\\\\*"(?:\\s|\\\\[nrt])*:(?:\\s|\\\\[nrt])*[\\[{]`, "gi");

    const lengths = new Set([...byName.keys()].map((n) => n.length));
    const memberAt = (v: unknown, key: string | number | undefined): Matcher | undefined => {
      if (typeof key !== "string" || !lengths.has(key.length)) return undefined;
      const m = byName.get(key.toLowerCase());
      return m !== undefined && matches(m, v) ? m : undefined;
    };
    /**
     * The member a string's JSON text holds, if any. Text that parses is judged as the record is
     * (the same guards: a blueprint's schema may name "summary" or "geometry" as properties), down
     * to JSON text inside it; text that does not parse (cut short) is matched by name, and a
     * guarded member only with one of its guard keys close after it.
     */
    const inString = (v: string, depth: number): Matcher | undefined => {
      if (v.length <= 16 || !v.includes('"')) return undefined;
      inText.lastIndex = 0;
      if (!inText.test(v)) return undefined;
      const parsed = parseJsonText(v);
      if (parsed !== undefined) {
        let found: Matcher | undefined;
        anyValue(parsed, (child, key) => {
          found = memberAt(child, key) ?? (typeof child === "string" && depth < MAX_TEXT_DEPTH ? inString(child, depth + 1) : undefined);
          return found !== undefined;
        });
        return found;
      }
      inText.lastIndex = 0;
      for (let m = inText.exec(v); m !== null; m = inText.exec(v)) {
        const matcher = byName.get(m[1]!.toLowerCase());
        if (!matcher) continue;
        const guard = matcher.itemHasAny ?? matcher.hasAny;
        if (!guard) return matcher;
        const after = v.slice(m.index + m[0].length, m.index + m[0].length + GUARD_WINDOW).toLowerCase();
        for (const g of guard) if (after.includes(`"${g}`) || after.includes(`${g}\\"`)) return matcher;
      }
      return undefined;
    };
    // Clean path: keys are compared only when their length could match.
    const suspicious = (v: unknown, key: string | number | undefined): boolean => {
      if (typeof v === "string") return inStrings && inString(v, 0) !== undefined;
      return memberAt(v, key) !== undefined;
    };

    return (record, emit) => {
      if (!anyValue(record, suspicious)) return;
      walk(record, (node) => {
        const v = node.value;
        if (typeof v === "string") {
          const m = inStrings ? inString(v, 0) : undefined;
          if (m) {
            const evidence = evidenceOfValue(`JSON text with ${m.label}`, v);
            emit(pathOf(node), `${m.label} inside a string (${describeEvidence(evidence)})`, evidence, { kind: "set", value: redactionMarker(evidence) });
          }
          return false;
        }
        {
          const m = memberAt(v, node.key);
          if (m) {
            const evidence = evidenceOfValue(m.label, v);
            emit(pathOf(node), `${m.label} (${describeEvidence(evidence)})`, evidence, { kind: "set", value: redactionMarker(evidence) });
            return false;
          }
        }
        return true;
      });
    };
  },
};
