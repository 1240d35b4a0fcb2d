/**
 * Iterative depth-first walk over a parsed record: no recursion, so hostile nesting depth
 * cannot overflow the stack. Paths are rebuilt from the parent chain only when asked for.
 */
export interface WalkNode {
  readonly value: unknown;
  readonly key: string | number | undefined;
  readonly parent: WalkNode | undefined;
}

export function pathOf(node: WalkNode): Array<string | number> {
  const out: Array<string | number> = [];
  for (let n: WalkNode | undefined = node; n && n.key !== undefined; n = n.parent) out.push(n.key);
  return out.reverse();
}

/**
 * Visits every value under `root` (the root included, with `prefix` as its path).
 * `visit` returns false to skip a container's children.
 */
export function walk(
  root: unknown,
  visit: (node: WalkNode) => boolean | void,
  prefix: ReadonlyArray<string | number> = [],
): void {
  let base: WalkNode | undefined;
  for (const key of prefix) base = { value: undefined, key, parent: base };
  const stack: WalkNode[] = [{ value: root, key: base?.key, parent: base?.parent }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    const v = node.value;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: node });
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        stack.push({ value: (v as Record<string, unknown>)[k], key: k, parent: node });
      }
    }
  }
}

/**
 * The clean-path walk: no paths, no allocation beyond one stack. `visit` gets each value and the
 * key it sits under, and returns true to stop at once (something was found: the caller then
 * walks again with `walk` to report with paths, which only records with findings pay for).
 */
export function anyValue(root: unknown, visit: (value: unknown, key: string | number | undefined) => boolean): boolean {
  const values: unknown[] = [root];
  const keys: Array<string | number | undefined> = [undefined];
  while (values.length > 0) {
    const v = values.pop();
    const k = keys.pop();
    if (visit(v, k)) return true;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        values.push(v[i]);
        keys.push(i);
      }
    } else {
      for (const key of Object.keys(v)) {
        values.push((v as Record<string, unknown>)[key]);
        keys.push(key);
      }
    }
  }
  return false;
}
