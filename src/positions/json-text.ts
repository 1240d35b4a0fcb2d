/**
 * Finds values in JSON source text by path, without building them: for exact positions of
 * findings and for redaction that rewrites only the bytes it must. Iterative, so hostile nesting
 * cannot overflow the stack. The text is assumed to be valid JSON (it was parsed already).
 */

export interface ValueSpan {
  /** Offsets of the value's first character and one past its last (UTF-16 code units). */
  readonly start: number;
  readonly end: number;
}

export interface MemberSpan extends ValueSpan {
  /** The member's key string starts here (objects only). */
  readonly keyStart: number;
  /** End of the previous member's value, or -1 when this member is the first. */
  readonly prevEnd: number;
  /** Start of the next member's key, or -1 when this member is the last. */
  readonly nextStart: number;
  /** Offsets just inside the enclosing braces. */
  readonly openEnd: number;
  readonly closeStart: number;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Index one past the closing quote of the string starting at `i`: the first quote preceded by an
 * even run of backslashes. Found with indexOf (memchr), not a loop over characters: a finding in a
 * record holding an 8 MB base64 string took ~100 ms a pass the other way.
 */
function endOfString(text: string, i: number): number {
  for (let q = text.indexOf('"', i + 1); q !== -1; q = text.indexOf('"', q + 1)) {
    let k = q - 1;
    while (text.charCodeAt(k) === 0x5c) k--;
    if ((q - k) % 2 === 1) return q + 1;
  }
  throw new SyntaxError("unterminated string");
}

/** Index one past the end of the value starting at `i` (objects and arrays skipped without recursion). */
export function endOfValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return endOfString(text, i);
  if (c === "{" || c === "[") {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') j = endOfString(text, j) - 1;
      else if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new SyntaxError("unterminated container");
  }
  let j = i;
  while (j < text.length && !WS.has(text.charCodeAt(j)) && text[j] !== "," && text[j] !== "}" && text[j] !== "]") j++;
  return j;
}

/** The span of the value at `path` under the value starting at `from`, with its member context if the parent is an object. */
export function locate(text: string, path: ReadonlyArray<string | number>, from = 0): (ValueSpan & { member?: MemberSpan }) | undefined {
  let start = skipWs(text, from);
  let member: MemberSpan | undefined;
  for (const token of path) {
    const open = text[start];
    if (open === "{") {
      const openEnd = start + 1;
      let i = skipWs(text, openEnd);
      let prevEnd = -1;
      let hit: MemberSpan | undefined;
      while (i < text.length && text[i] !== "}") {
        const keyStart = i;
        const keyEnd = endOfString(text, i);
        const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
        const valueStart = skipWs(text, skipWs(text, keyEnd) + 1); // past the colon
        const valueEnd = endOfValue(text, valueStart);
        let next = skipWs(text, valueEnd);
        if (text[next] === ",") next = skipWs(text, next + 1);
        // Duplicate keys: JSON.parse keeps the last one, and so do we.
        if (key === String(token)) hit = { keyStart, start: valueStart, end: valueEnd, prevEnd, nextStart: text[next] === "}" ? -1 : next, openEnd, closeStart: -1 };
        prevEnd = valueEnd;
        i = next;
      }
      if (!hit) return undefined;
      member = { ...hit, closeStart: i };
      start = hit.start;
    } else if (open === "[") {
      if (typeof token !== "number" && !/^(0|[1-9][0-9]*)$/.test(String(token))) return undefined;
      const want = Number(token);
      let i = skipWs(text, start + 1);
      let n = 0;
      let hit = -1;
      while (i < text.length && text[i] !== "]") {
        if (n === want) {
          hit = i;
          break;
        }
        i = skipWs(text, endOfValue(text, i));
        if (text[i] === ",") i = skipWs(text, i + 1);
        n++;
      }
      if (hit < 0) return undefined;
      start = hit;
      member = undefined;
    } else {
      return undefined;
    }
  }
  const end = endOfValue(text, start);
  return member ? { start, end, member } : { start, end };
}

/**
 * The spans of the values at `paths`, given in document order, in one pass over `text`: what the
 * paths share with the one before is not walked again, and an array is walked on from the element
 * the path before stopped at (a `locate` per path walked a text of n records n times).
 */
export function locateInOrder(text: string, paths: ReadonlyArray<ReadonlyArray<string | number>>): Array<ValueSpan | undefined> {
  const out: Array<ValueSpan | undefined> = [];
  let prev: ReadonlyArray<string | number> = [];
  // starts[k]: where the value at prev.slice(0, k) starts
  let starts = [skipWs(text, 0)];
  for (const path of paths) {
    let shared = 0;
    while (shared < path.length && shared < prev.length && path[shared] === prev[shared]) shared++;
    const next = starts.slice(0, shared + 1);
    for (let k = shared; k < path.length && next.length === k + 1; k++) {
      const token = path[k]!;
      const before = k === shared && k < prev.length ? prev[k] : undefined;
      // Later in the same array as the path before: on from its element.
      const start = typeof token === "number" && typeof before === "number" && token > before ? skipElements(text, starts[k + 1]!, token - before) : locate(text, [token], next[k])?.start;
      if (start !== undefined) next.push(start);
    }
    if (next.length !== path.length + 1) {
      out.push(undefined);
      prev = [];
      starts = [starts[0]!];
      continue;
    }
    const start = next[path.length]!;
    out.push({ start, end: endOfValue(text, start) });
    prev = path;
    starts = next;
  }
  return out;
}

/** Where the array element `n` elements after the one starting at `i` starts (undefined past the array's end). */
function skipElements(text: string, i: number, n: number): number | undefined {
  for (let k = 0; k < n; k++) {
    i = skipWs(text, endOfValue(text, i));
    if (text[i] !== ",") return undefined;
    i = skipWs(text, i + 1);
  }
  return i;
}

/**
 * Paths of the members whose key appears a second time in the same object (at most `max`), in one
 * pass over `text`. JSON.parse keeps the last value of a repeated key; another reader may keep the
 * first, so a record's text can hold what its parsed value does not show.
 */
export function duplicateKeys(text: string, max = 8): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const path: Array<string | number> = [];
  // One entry per open container: the keys seen so far (objects) or undefined (arrays).
  const open: Array<Set<string> | undefined> = [];
  // A key at `i`: recorded, checked against the others, and skipped up to its value.
  const key = (i: number): number => {
    const end = endOfString(text, i);
    const inner = text.slice(i + 1, end - 1);
    const k = inner.includes("\\") ? (JSON.parse(text.slice(i, end)) as string) : inner;
    const seen = open[open.length - 1]!;
    if (seen.has(k) && out.length < max) out.push([...path, k]);
    seen.add(k);
    path.push(k);
    return skipWs(text, skipWs(text, end) + 1); // past the colon
  };
  let i = skipWs(text, 0);
  let atValue = true;
  while (i < text.length) {
    const c = text[i];
    if (atValue) {
      if (c === "{" || c === "[") {
        i = skipWs(text, i + 1);
        if (text[i] === (c === "{" ? "}" : "]")) {
          i = skipWs(text, i + 1); // empty: a finished value
          atValue = false;
        } else if (c === "[") {
          open.push(undefined);
          path.push(0);
        } else {
          open.push(new Set());
          i = key(i);
        }
      } else {
        i = skipWs(text, endOfValue(text, i));
        atValue = false;
      }
    } else if (open.length === 0) {
      break;
    } else if (c === ",") {
      i = skipWs(text, i + 1);
      atValue = true;
      if (open[open.length - 1] === undefined) path[path.length - 1] = (path[path.length - 1] as number) + 1;
      else {
        path.pop();
        i = key(i);
      }
    } else {
      // "}" or "]": the container is a finished value
      open.pop();
      path.pop();
      i = skipWs(text, i + 1);
    }
  }
  return out;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
