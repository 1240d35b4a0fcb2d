/**
 * How deeply a YAML text nests, bounded from above before the yaml package builds it. The package
 * builds nested nodes recursively and keeps a node per level: a few MB of "[[[[" ran for minutes
 * and then out of memory (8 MB: 52 s, 4 GB, a crash), and ~700 levels already ran out of stack.
 * Its lexer is a flat generator of tokens, so the count here costs one pass and no memory.
 */
import { yaml } from "../lazy.js";

/** Deeper YAML is refused: CloudTrail records nest about a dozen levels, and the yaml package runs out of stack at ~700. */
export const MAX_YAML_DEPTH = 256;

const SPACES = /^ +$/;

/**
 * True when `text` may nest deeper than `limit`. An upper bound: flow collections ("[", "{") are
 * counted exactly; a block collection starts further right than the one holding it, or at the same
 * column once (a sequence as a mapping's value), so a line indented by n columns is inside at most
 * 2(n + 1) of them, plus one for each block indicator ("-", "?", ":") before the token on its line.
 */
export function yamlTooDeep(text: string, limit = MAX_YAML_DEPTH): boolean {
  let flow = 0;
  let indent = 0;
  let indicators = 0;
  let lineStart = true;
  for (const token of new (yaml().Lexer)().lex(text)) {
    const c = token.charCodeAt(0);
    if (c === 0x5b || c === 0x7b) {
      // "[" or "{" (a quoted or plain scalar that starts with one is a longer token)
      if (token.length === 1 && flow++ + 2 * (indent + 1) + indicators >= limit) return true;
    } else if ((c === 0x5d || c === 0x7d) && token.length === 1) {
      if (flow > 0) flow--;
    } else if (flow > 0) {
      // inside a flow collection, lines and block indicators do not nest
    } else if (c === 0x0a || (c === 0x0d && token.charCodeAt(1) === 0x0a)) {
      indent = 0;
      indicators = 0;
      lineStart = true;
      continue;
    } else if (c < 0x20) {
      continue; // the lexer's own markers (a document, a scalar) and tabs: no column of their own
    } else if (lineStart && c === 0x20 && SPACES.test(token)) {
      indent = token.length;
    } else if (token.charCodeAt(token.length - 1) === 0x0a) {
      // a block scalar's lines are one token, ending with its last line break
      indent = 0;
      indicators = 0;
      lineStart = true;
      continue;
    } else if (token.length === 1 && (c === 0x2d || c === 0x3f || c === 0x3a)) {
      // "-", "?" or ":"
      if (2 * (indent + 1) + ++indicators >= limit) return true;
    }
    lineStart = false;
  }
  return false;
}

/** Throws, in words, when `text` may nest deeper than MAX_YAML_DEPTH (for configuration and rule packs). */
export function refuseDeepYaml(text: string): void {
  if (yamlTooDeep(text)) throw new Error(`nesting too deep to parse safely (over ${MAX_YAML_DEPTH} levels)`);
}
