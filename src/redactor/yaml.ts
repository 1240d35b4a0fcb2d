/** Redaction of YAML: by source ranges where it can (yaml-source.ts), else through the parsed documents (aliases, merge keys). */
import type { Document, Node as YamlNode } from "yaml";
import { yaml as yamlLib } from "../lazy.js";
import { yamlPlace, type YamlPlace } from "../readers/yaml-path.js";
import { editYamlSource } from "./yaml-source.js";
import type { Fix } from "../engine/types.js";
import { type ParsedRecord } from "../readers/parse.js";
import { applyToJsonText, applyToValue, type PlannedFix } from "./fixes.js";
import { editJsonText, isJsonText } from "./json-text.js";

/**
 * Aliases that an edit at `paths` would break become copies of what they point to: an alias on the
 * way to an edited value (the edit goes into the copy), and an alias whose anchored value is edited
 * or removed (it keeps the value it had: an alias of a leaking value is found and edited itself).
 * --fix on a fixture whose document bytes were anchored and aliased stopped at "Unresolved alias".
 */
export function expandAliases(doc: Document.Parsed, paths: ReadonlyArray<ReadonlyArray<string | number>>): void {
  const Y = yamlLib();
  const copy = (target: YamlNode): YamlNode => {
    const c = target.clone() as YamlNode;
    Y.visit(c, { Node: (_k, n) => void ((n as { anchor?: string }).anchor = undefined) });
    return c;
  };
  for (const path of paths) {
    for (let k = 1; k < path.length; k++) {
      const node = doc.getIn(path.slice(0, k), true);
      const target = Y.isAlias(node) ? node.resolve(doc) : undefined;
      if (target) doc.setIn(path.slice(0, k), copy(target));
    }
  }
  const edited = paths.map((p) => doc.getIn(p, true)).filter((n): n is YamlNode => Y.isNode(n));
  const within = (target: YamlNode): boolean =>
    edited.some((n) => {
      let found = n === target;
      if (!found) Y.visit(n, { Node: (_k, x) => (x === target ? ((found = true), Y.visit.BREAK) : undefined) });
      return found;
    });
  Y.visit(doc, {
    Alias: (_k, alias) => {
      const target = alias.resolve(doc);
      return target && within(target) ? copy(target) : undefined;
    },
  });
}

/** YAML through the yaml Document API: comments, key order and quoting survive. */
export function redactYaml(text: string, plans: Map<ParsedRecord, PlannedFix[]>): string {
  const docs = yamlLib().parseAllDocuments(text, { schema: "core", merge: true, uniqueKeys: true, keepSourceTokens: false }) as Document.Parsed[];
  // A YAML file whose documents are JSON text (JSON is YAML) is edited as JSON, keeping its layout byte for byte.
  const jsonDocs = [...new Set([...plans.keys()].map((r) => r.site.doc))].map((i) => ({ i, range: docs[i]?.contents?.range }));
  if (jsonDocs.every(({ range }) => range && isJsonText(text.slice(range[0], range[1])))) {
    let out = text;
    for (const { i, range } of jsonDocs.sort((a, b) => b.i - a.i)) {
      const entries = [...plans].filter(([r]) => r.site.doc === i);
      const slice = editJsonText(text.slice(range![0], range![1]), entries.map(([rec, plan]) => ({ path: rec.site.at, embedded: rec.site.embedded, plan })));
      out = out.slice(0, range![0]) + slice + out.slice(range![1]);
    }
    return out;
  }
  // Merge keys resolve values from elsewhere: those records are edited through the parsed document.
  const merged = [...plans].some(([rec, plan]) => plan.some((p) => docs[rec.site.doc]?.getIn([...rec.site.at, ...p.tokens], true) === undefined));
  const bySource = merged ? undefined : editYamlSource(text, docs, plans);
  if (bySource !== undefined) return bySource;
  for (const [i, doc] of docs.entries()) {
    const paths = [...plans].filter(([r]) => r.site.doc === i).flatMap(([r, plan]) => (r.site.embedded ? [r.site.at] : plan.map((p) => [...r.site.at, ...p.tokens])));
    if (paths.length) expandAliases(doc, paths);
  }
  for (const [rec, plan] of plans) {
    const doc = docs[rec.site.doc];
    if (!doc) continue;
    const at = rec.site.at;
    if (rec.site.embedded) {
      const inner = doc.getIn(at) as string;
      let redacted = inner;
      for (const p of plan) redacted = applyToJsonText(redacted, 0, p.tokens, p.fix);
      doc.setIn(at, redacted);
      continue;
    }
    for (const p of plan) {
      const path = [...at, ...p.tokens];
      // A value that comes through a merge key (<<: *base) is edited where it is: in the anchored map.
      if (doc.getIn(path, true) === undefined) {
        // (or nowhere: another record's fix already removed it from the anchor they share)
        const place = yamlPlace(doc, doc.contents, path);
        if (place?.merged) applyAtPlace(place, p.fix);
        continue;
      }
      if (p.fix.kind === "delete") doc.deleteIn(path);
      else if (p.fix.kind === "set") doc.setIn(path, p.fix.value);
      else {
        const current = doc.getIn(path);
        if (typeof current === "string") doc.setIn(path, applyToValue(current, [], p.fix));
      }
    }
  }
  return docs.map((d) => d.toString({ lineWidth: 0, flowCollectionPadding: false })).join("");
}

/** A fix applied at a place found through a merge key. */
export function applyAtPlace(place: YamlPlace, fix: Fix): void {
  const Y = yamlLib();
  const c = place.container;
  if (!Y.isMap(c) && !Y.isSeq(c)) return;
  const key = Y.isScalar(place.key) ? place.key.value : place.key;
  if (fix.kind === "delete") {
    if (Y.isSeq(c)) c.set(key as number, null);
    else c.delete(key);
    return;
  }
  if (fix.kind === "set") {
    c.set(key, fix.value);
    return;
  }
  const node = place.node;
  const current = Y.isScalar(node) ? node.value : node;
  if (typeof current === "string") c.set(key, applyToValue(current, [], fix));
}
