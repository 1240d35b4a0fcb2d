/**
 * A conservative guard against catastrophic backtracking in user-supplied patterns:
 * refuse a quantified group that itself contains a quantifier or an alternation
 * (star height above one, e.g. (a+)+, (a|aa)*, (\w+\s?)*), and back-references.
 */
export function unsafePatternReason(source: string): string | undefined {
  if (/\\[1-9]|\\k</.test(source)) return "back-references are not allowed";
  // Track, for every open group, whether it contains a quantifier or an alternation.
  const groups: Array<{ risky: boolean }> = [];
  let lastGroupRisky = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      i++;
      lastGroupRisky = false;
      continue;
    }
    if (c === "[") {
      // Skip a character class.
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
      lastGroupRisky = false;
      continue;
    }
    if (c === "(") {
      groups.push({ risky: false });
      continue;
    }
    if (c === ")") {
      const g = groups.pop();
      lastGroupRisky = g?.risky ?? false;
      if (g && lastGroupRisky && groups.length > 0) groups[groups.length - 1]!.risky = true;
      continue;
    }
    const quantifier = c === "*" || c === "+" || c === "?" || c === "{";
    if (quantifier) {
      if (lastGroupRisky && c !== "?") return "a repeated group contains a repetition or an alternation (nested quantifiers backtrack catastrophically)";
      if (c !== "?" && groups.length > 0) groups[groups.length - 1]!.risky = true;
      if (c === "{") while (i < source.length && source[i] !== "}") i++;
      lastGroupRisky = false;
      continue;
    }
    if (c === "|" && groups.length > 0) groups[groups.length - 1]!.risky = true;
    lastGroupRisky = false;
  }
  return undefined;
}
