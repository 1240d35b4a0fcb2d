/**
 * The JSON Schemas of schemas/, compiled once into one Ajv instance. Everything that validates
 * (the envelope and identity rules, rule packs, the not-logged table, reports) goes through here.
 */
import { readdirSync } from "node:fs";
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import { SCHEMAS_DIR, readJsonAsset } from "./assets.js";
import { ConfigError } from "./errors.js";
import type { NotLoggedTable } from "./generated/not-logged-table.js";

const Ajv = AjvModule.default;
export type Ajv = InstanceType<typeof Ajv>;

export const SCHEMA_IDS = {
  table: "https://trailproof.dev/schemas/not-logged-table.schema.json",
  record: "https://trailproof.dev/schemas/record.schema.json",
  userIdentity: "https://trailproof.dev/schemas/user-identity.schema.json",
  rulePack: "https://trailproof.dev/schemas/rule-pack.schema.json",
  report: "https://trailproof.dev/schemas/report.schema.json",
} as const;

/** Annotation keywords our schemas carry for code and for type generation; Ajv ignores them. */
const ANNOTATIONS = ["x-since", "x-requiredSince", "x-insightRequired", "x-types", "tsType"];

export interface SchemaRegistry {
  readonly ajv: Ajv;
  /** The raw schema documents by $id. */
  readonly documents: ReadonlyMap<string, Record<string, unknown>>;
  validator(ref: string): ValidateFunction;
}

let shared: SchemaRegistry | undefined;

/** The registry of bundled schemas, compiled lazily and once per process. */
export function schemaRegistry(): SchemaRegistry {
  if (shared) return shared;
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true, unicodeRegExp: true });
  ajv.addVocabulary(ANNOTATIONS);
  const documents = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith(".schema.json")).sort()) {
    const doc = readJsonAsset<Record<string, unknown>>("schemas", file);
    const id = doc["$id"];
    if (typeof id !== "string") throw new ConfigError("schema has no $id", `schemas/${file}`);
    documents.set(id, doc);
    ajv.addSchema(doc);
  }
  const cache = new Map<string, ValidateFunction>();
  shared = {
    ajv,
    documents,
    validator(ref: string): ValidateFunction {
      let v = cache.get(ref);
      if (!v) {
        v = ajv.getSchema(ref);
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
  const table = readJsonAsset<NotLoggedTable>("schemas", "not-logged-table.json");
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
