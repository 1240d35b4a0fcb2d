import { SCHEMA_IDS } from "../../schemas.js";
import { emitAjvErrors } from "../ajv-findings.js";
import type { CheckFunction } from "../types.js";

interface Version {
  readonly major: number;
  readonly minor: number;
}

/** "1.05" -> {1, 5}; the minor compares numerically ("1.10" > "1.09"). */
const versions = new Map<string, Version | undefined>();
export function parseVersion(v: unknown): Version | undefined {
  if (typeof v !== "string") return undefined;
  if (versions.has(v)) return versions.get(v);
  const m = /^([0-9]+)\.([0-9]{1,3})$/.exec(v);
  const parsed = m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
  if (versions.size < 1000) versions.set(v, parsed);
  return parsed;
}

const atLeast = (v: Version, since: Version): boolean => v.major > since.major || (v.major === since.major && v.minor >= since.minor);

/** The fields of the record schema with the eventVersion that introduced them (x-since). */
function fieldsSince(doc: Record<string, unknown>): Map<string, { version: Version; text: string }> {
  const since = new Map<string, { version: Version; text: string }>();
  for (const [field, schema] of Object.entries(doc["properties"] as Record<string, Record<string, unknown>>)) {
    const v = parseVersion(schema["x-since"]);
    if (v) since.set(field, { version: v, text: String(schema["x-since"]) });
  }
  return since;
}

/**
 * The record envelope: the record schema, plus the fields required from the eventVersion that
 * introduced them (read from the schema's x-since / x-requiredSince annotations).
 */
export const envelope: CheckFunction = {
  name: "envelope",
  compile(_options, env) {
    const validate = env.schemas.validator(SCHEMA_IDS.record);
    const doc = env.schemas.documents.get(SCHEMA_IDS.record)!;
    const requiredSince = Object.entries(doc["x-requiredSince"] as Record<string, string[]>).map(([text, fields]) => ({ since: parseVersion(text)!, text, fields }));
    const insightRequired = doc["x-insightRequired"] as string[];
    const insightType = doc["x-insightEventType"] as string;

    // The fields required, with the version that requires them, worked out once per eventVersion string.
    type Required = ReadonlyArray<{ readonly field: string; readonly text: string }>;
    const plans = new Map<string, Required>();
    const requiredFor = (raw: unknown): Required => {
      let plan = typeof raw === "string" ? plans.get(raw) : undefined;
      if (plan) return plan;
      const version = parseVersion(raw);
      // Without a readable eventVersion only the fields every version has are required.
      plan = requiredSince.filter((r) => (version ? atLeast(version, r.since) : r.since.minor === 0)).flatMap((r) => r.fields.map((field) => ({ field, text: r.text })));
      if (typeof raw === "string" && plans.size < 1000) plans.set(raw, plan);
      return plan;
    };

    return (record, emit) => {
      if (!validate(record)) emitAjvErrors(validate.errors, [], "record", emit);
      if (record["eventType"] === insightType) {
        for (const field of insightRequired) if (!Object.hasOwn(record, field)) emit([field], `${field} is missing (required in Insights events)`);
      } else {
        for (const r of requiredFor(record["eventVersion"])) if (!Object.hasOwn(record, r.field)) emit([r.field], `${r.field} is missing (required since eventVersion ${r.text})`);
      }
    };
  },
};

/**
 * Fields that appear in a record older than the eventVersion that introduced them. AWS states
 * when each field arrived, not that a service never writes one early: a warning, not an error.
 */
export const fieldVersions: CheckFunction = {
  name: "fieldVersions",
  compile(_options, env) {
    const since = fieldsSince(env.schemas.documents.get(SCHEMA_IDS.record)!);
    const tooNewFor = new Map<string, readonly string[]>();
    const plan = (raw: unknown): { version: Version; tooNew: readonly string[] } | undefined => {
      const version = parseVersion(raw);
      if (!version) return undefined;
      let tooNew = typeof raw === "string" ? tooNewFor.get(raw) : undefined;
      if (!tooNew) {
        tooNew = [...since].filter(([, s]) => !atLeast(version, s.version)).map(([field]) => field);
        if (typeof raw === "string" && tooNewFor.size < 1000) tooNewFor.set(raw, tooNew);
      }
      return { version, tooNew };
    };
    return (record, emit) => {
      const p = plan(record["eventVersion"]);
      if (!p || !p.tooNew.some((field) => Object.hasOwn(record, field))) return;
      // Reported in the record's own member order.
      for (const field of Object.keys(record)) {
        const s = since.get(field);
        if (s && !atLeast(p.version, s.version)) emit([field], `${field} was introduced in eventVersion ${s.text}, but the record's eventVersion is older`);
      }
    };
  },
};
