/**
 * A path in a YAML document as its parsed value sees it, through merge keys (`<<: *base`, YAML 1.1
 * as loaders resolve them): a member a map does not hold itself is looked for in the maps it merges,
 * in order. A fix then edits the place the value really is: the map's own member, or the anchored
 * map it comes from.
 */
import type { Document, Node as YamlNode } from "yaml";
import { yaml } from "../lazy.js";

export interface YamlPlace {
  /** The collection that holds the value, and the key or index it holds it under. */
  readonly container: YamlNode;
  readonly key: unknown;
  readonly node: unknown;
  /** True when the value came through a merge key (it lives in an anchored map). */
  readonly merged: boolean;
}

const keyText = (k: unknown): string | undefined => {
  const Y = yaml();
  const v = Y.isScalar(k) ? k.value : k;
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
};
const isMergeKey = (k: unknown): boolean => {
  const Y = yaml();
  const v = Y.isScalar(k) ? k.value : k;
  return v === "<<" || (typeof v === "symbol" && v.description === "<<");
};

/** Where `path` (from `root`, a node of `doc`) leads, following aliases and merge keys; undefined where it leads nowhere. */
export function yamlPlace(doc: Document, root: unknown, path: ReadonlyArray<string | number>, merged = false, depth = 0): YamlPlace | undefined {
  const Y = yaml();
  if (depth > 64 || path.length === 0) return undefined;
  const node = Y.isAlias(root) ? root.resolve(doc) : root;
  const [seg, ...rest] = path;
  if (Y.isMap(node)) {
    const own = node.items.find((p) => !isMergeKey(p.key) && keyText(p.key) === String(seg));
    if (own) return rest.length === 0 ? { container: node, key: own.key, node: own.value, merged } : yamlPlace(doc, own.value, rest, merged, depth + 1);
    for (const pair of node.items) {
      if (!isMergeKey(pair.key)) continue;
      const sources = Y.isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const found = yamlPlace(doc, source, path, true, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }
  if (Y.isSeq(node)) {
    const i = Number(seg);
    if (!Number.isInteger(i) || i < 0 || i >= node.items.length) return undefined;
    return rest.length === 0 ? { container: node, key: i, node: node.items[i], merged } : yamlPlace(doc, node.items[i], rest, merged, depth + 1);
  }
  return undefined;
}
