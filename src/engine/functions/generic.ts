import type { AbsentOptions, PatternOptions } from "../../generated/rule-pack.js";
import { ConfigError } from "../../errors.js";
import { getOwn, isPlainObject, keysIgnoringCase, parsePointer } from "../pointer.js";
import { unsafePatternReason } from "../safe-regex.js";
import type { CheckFunction } from "../types.js";

/** Longest string a user pattern is run against by default; longer values are reported, not skipped. */
export const MAX_PATTERN_INPUT = 64 * 1024;

function compilePattern(source: string | undefined, flags: string): RegExp | undefined {
  if (source === undefined) return undefined;
  const reason = unsafePatternReason(source);
  if (reason) throw new ConfigError(`pattern ${JSON.stringify(source)} refused: ${reason}`);
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new ConfigError(`pattern ${JSON.stringify(source)} is not a valid regular expression: ${(e as Error).message}`);
  }
}

/** The string at `at` must match `match` and must not match `notMatch`. Absent values pass. */
export const pattern: CheckFunction<PatternOptions> = {
  name: "pattern",
  compile(options) {
    const tokens = parsePointer(options.at);
    const flags = options.flags ?? "";
    const match = compilePattern(options.match, flags);
    const notMatch = compilePattern(options.notMatch, flags);
    const maxLength = options.maxLength ?? MAX_PATTERN_INPUT;
    return (record, emit) => {
      let value: unknown = record;
      for (const t of tokens) value = getOwn(value, t);
      if (value === undefined || value === null) return;
      if (typeof value !== "string") return emit(tokens, `${options.at} is a ${Array.isArray(value) ? "array" : typeof value}, not a string`);
      if (value.length > maxLength) return emit(tokens, `${options.at} is ${value.length} characters long, over the ${maxLength}-character limit for patterns`);
      if (match && !match.test(value)) emit(tokens, `${options.at} does not match ${match}`);
      if (notMatch && notMatch.test(value)) emit(tokens, `${options.at} matches ${notMatch}`);
    };
  },
};

/** The member at `at` must be absent or null. */
export const absent: CheckFunction<AbsentOptions> = {
  name: "absent",
  compile(options) {
    const tokens = parsePointer(options.at);
    if (tokens.length === 0) throw new ConfigError("absent: 'at' must name a member, not the whole record");
    const ignoreCase = options.ignoreCase === true;
    return (record, emit) => {
      // Walk every matching branch so that {Document:{Bytes}} and {document:{bytes}} are both seen.
      let frontier: Array<{ value: unknown; path: string[] }> = [{ value: record, path: [] }];
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i]!;
        const next: typeof frontier = [];
        for (const { value, path } of frontier) {
          if (ignoreCase && isPlainObject(value)) {
            for (const k of keysIgnoringCase(value, t.toLowerCase())) next.push({ value: value[k], path: [...path, k] });
          } else {
            const v = getOwn(value, t);
            if (v !== undefined) next.push({ value: v, path: [...path, t] });
          }
        }
        frontier = next;
      }
      for (const { value, path } of frontier) if (value !== null) emit(path, `${path.join(".")} must not be present`);
    };
  },
};
