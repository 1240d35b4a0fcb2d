/**
 * The JSON Schemas of schemas/, compiled once into one Ajv instance. Everything that validates
 * (the envelope and identity rules, rule packs, the not-logged table, reports) goes through here.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type AjvModule from "ajv";
import type { ErrorObject, KeywordDefinition, ValidateFunction } from "ajv";
import { PACKAGE_ROOT, SCHEMAS_DIR } from "./assets.js";
import { runCommonJs } from "./code-cache.js";
import { ConfigError } from "./errors.js";
import type { NotLoggedTable } from "./generated/not-logged-table.js";

type AjvConstructor = typeof AjvModule.default;
export type Ajv = InstanceType<AjvConstructor>;
const require = createRequire(import.meta.url);

export const SCHEMA_IDS = {
  table: "https://trailproof.dev/schemas/not-logged-table.schema.json",
  record: "https://trailproof.dev/schemas/record.schema.json",
  userIdentity: "https://trailproof.dev/schemas/user-identity.schema.json",
  rulePack: "https://trailproof.dev/schemas/rule-pack.schema.json",
  report: "https://trailproof.dev/schemas/report.schema.json",
} as const;

/** Annotation keywords our schemas carry for code and for type generation; Ajv ignores them. */
const ANNOTATIONS = ["x-source", "x-since", "x-requiredSince", "x-insightRequired", "x-insightEventType", "x-types", "x-typelessEventTypes", "x-noIdentityEventTypes", "tsType"];

/** Where the build puts validators precompiled with Ajv's standalone code (scripts/precompile.mjs). */
export const PRECOMPILED_DIR = join(PACKAGE_ROOT, "dist", "precompiled");

/** One Ajv configuration for runtime compilation and for the precompiled validators alike. */
export function createAjv(options: { source?: boolean } = {}): Ajv {
  const AjvCtor = (require("ajv") as { default: AjvConstructor }).default;
  const ajv = new AjvCtor({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true, unicodeRegExp: true, code: { source: options.source === true } });
  ajv.addVocabulary(ANNOTATIONS);
  // Replaced, and pattern added back after them: a string's errors stay in Ajv's order.
  for (const keyword of ["maxLength", "minLength", "pattern"]) ajv.removeKeyword(keyword);
  ajv.addKeyword(lengthKeywords());
  ajv.addKeyword((require("ajv/dist/vocabularies/validation/pattern.js") as typeof import("ajv/dist/vocabularies/validation/pattern.js")).default);
  return ajv;
}

/**
 * maxLength and minLength as Ajv writes them (characters are code points, the same errors), but
 * counting code points only when the string's length in UTF-16 units leaves the answer open: a
 * string has at least length/2 and at most length code points. Ajv counts them for every string
 * (a loop over userAgent, sourceIPAddress, ... in every record): the envelope's validator went
 * from 0.92 to ~0.72 us a record. (Made when an Ajv is: the clean path loads no Ajv at all.)
 */
function lengthKeywords(): KeywordDefinition {
  const { _, str } = require("ajv") as typeof AjvModule;
  const { useFunc } = require("ajv/dist/compile/util.js") as typeof import("ajv/dist/compile/util.js");
  const ucs2length = (require("ajv/dist/runtime/ucs2length.js") as typeof import("ajv/dist/runtime/ucs2length.js")).default;
  return {
    keyword: ["maxLength", "minLength"],
    type: "string",
    schemaType: "number",
    $data: true,
    error: {
      message: ({ keyword, schemaCode }) => str`must NOT have ${keyword === "maxLength" ? "more" : "fewer"} than ${schemaCode} characters`,
      params: ({ schemaCode }) => _`{limit: ${schemaCode}}`,
    },
    code(cxt) {
      const { keyword, data, schemaCode } = cxt;
      // As Ajv's own keyword refers to it (in standalone code, a require of Ajv's runtime).
      const count = useFunc(cxt.gen, ucs2length);
      cxt.fail$data(keyword === "maxLength" ? _`${data}.length > ${schemaCode} && ${count}(${data}) > ${schemaCode}` : _`${data}.length < 2 * ${schemaCode} && ${count}(${data}) < ${schemaCode}`);
    },
  };
}

export interface SchemaRegistry {
  /** The Ajv instance with every bundled schema (created on first use: the clean path never needs it). */
  readonly ajv: Ajv;
  /** The raw schema documents by $id. */
  readonly documents: ReadonlyMap<string, Record<string, unknown>>;
  validator(ref: string): ValidateFunction;
}

/** The bundled schema files and a hash of their text (the precompiled validators must match it). */
export function bundledSchemas(): { documents: Map<string, Record<string, unknown>>; hash: string } {
  const documents = new Map<string, Record<string, unknown>>();
  const hash = createHash("sha256");
  for (const file of readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith(".schema.json")).sort()) {
    const text = readFileSync(join(SCHEMAS_DIR, file), "utf8");
    hash.update(file).update("\0").update(text);
    const doc = JSON.parse(text) as Record<string, unknown>;
    if (typeof doc["$id"] !== "string") throw new ConfigError("schema has no $id", `schemas/${file}`);
    documents.set(doc["$id"], doc);
  }
  return { documents, hash: hash.digest("hex") };
}

interface Precompiled {
  readonly hash: string;
  readonly refs: Record<string, string>;
}

/** The precompiled validators module (one file, Ajv's runtime included), run with V8's code cache (see code-cache.ts). */
export const PRECOMPILED_VALIDATORS = "validators.cjs";

/** Validators compiled at build time, if they match the schemas on disk (start-up: ~10 ms instead of ~150 ms). */
function loadPrecompiled(hash: string): Map<string, ValidateFunction> {
  const out = new Map<string, ValidateFunction>();
  const index = join(PRECOMPILED_DIR, "validators.json");
  if (!existsSync(index)) return out;
  const meta = JSON.parse(readFileSync(index, "utf8")) as Precompiled;
  if (meta.hash !== hash) return out;
  // With the code cache written at build time V8 skips parsing and compiling them (~15 ms of every start and worker).
  const mod = runCommonJs(join(PRECOMPILED_DIR, PRECOMPILED_VALIDATORS)).exports as Record<string, ValidateFunction>;
  for (const [ref, name] of Object.entries(meta.refs)) if (typeof mod[name] === "function") out.set(ref, mod[name]);
  return out;
}

let shared: SchemaRegistry | undefined;

/** The registry of bundled schemas: precompiled validators when they are current, Ajv otherwise. */
export function schemaRegistry(): SchemaRegistry {
  if (shared) return shared;
  const { documents, hash } = bundledSchemas();
  const precompiled = process.env["TRAILPROOF_NO_PRECOMPILED"] ? new Map<string, ValidateFunction>() : loadPrecompiled(hash);
  let ajv: Ajv | undefined;
  const getAjv = (): Ajv => {
    if (!ajv) {
      ajv = createAjv();
      for (const doc of documents.values()) ajv.addSchema(doc);
    }
    return ajv;
  };
  const cache = new Map<string, ValidateFunction>(precompiled);
  shared = {
    get ajv() {
      return getAjv();
    },
    documents,
    validator(ref: string): ValidateFunction {
      let v = cache.get(ref);
      if (!v) {
        v = getAjv().getSchema(ref);
        if (!v) throw new ConfigError(`unknown schema reference ${JSON.stringify(ref)}`);
        cache.set(ref, v);
      }
      return v;
    },
  };
  return shared;
}

/** The not-logged table, validated against its schema. */
export function loadTable(): NotLoggedTable {
  const table = JSON.parse(readFileSync(join(SCHEMAS_DIR, "not-logged-table.json"), "utf8")) as NotLoggedTable;
  const validate = schemaRegistry().validator(SCHEMA_IDS.table);
  if (!validate(table)) throw new ConfigError(formatAjvErrors(validate.errors), "schemas/not-logged-table.json");
  return table;
}

/** Ajv errors as one readable line each, for configuration and rule-pack errors. */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined, max = 8): string {
  if (!errors || errors.length === 0) return "invalid";
  const lines = errors.slice(0, max).map((e) => {
    const where = e.instancePath || "(root)";
    if (e.keyword === "additionalProperties") return `${where}: unknown property ${JSON.stringify(e.params["additionalProperty"])}`;
    if (e.keyword === "enum") return `${where}: must be one of ${(e.params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    return `${where}: ${e.message ?? e.keyword}`;
  });
  if (errors.length > max) lines.push(`... and ${errors.length - max} more`);
  return lines.join("; ");
}
