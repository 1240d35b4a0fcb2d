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

/**
 * The record envelope: the record schema, plus what depends on eventVersion (read from the
 * schema's x-since / x-requiredSince annotations): fields required from the version that
 * introduced them, and fields that appear before their version existed.
 */
export const envelope: CheckFunction = {
  name: "envelope",
  compile(_options, env) {
    const validate = env.schemas.validator(SCHEMA_IDS.record);
    const doc = env.schemas.documents.get(SCHEMA_IDS.record)!;
    const since = new Map<string, { version: Version; text: string }>();
    for (const [field, schema] of Object.entries(doc["properties"] as Record<string, Record<string, unknown>>)) {
      const v = parseVersion(schema["x-since"]);
      if (v) since.set(field, { version: v, text: String(schema["x-since"]) });
    }
    const requiredSince = Object.entries(doc["x-requiredSince"] as Record<string, string[]>).map(([text, fields]) => ({ since: parseVersion(text)!, text, fields }));
    const insightRequired = doc["x-insightRequired"] as string[];
    const insightType = doc["x-insightEventType"] as string;

    // What depends on the version, worked out once per eventVersion string: the fields required
    // (with the version that requires them) and the fields too new for it.
    interface Plan {
      readonly version: Version | undefined;
      readonly required: ReadonlyArray<{ readonly field: string; readonly text: string }>;
      readonly tooNew: readonly string[];
    }
    const plans = new Map<string, Plan>();
    const planFor = (raw: unknown): Plan => {
      let plan = typeof raw === "string" ? plans.get(raw) : undefined;
      if (plan) return plan;
      const version = parseVersion(raw);
      plan = {
        version,
        // Without a readable eventVersion only the fields every version has are required.
        required: requiredSince.filter((r) => (version ? atLeast(version, r.since) : r.since.minor === 0)).flatMap((r) => r.fields.map((field) => ({ field, text: r.text }))),
        tooNew: version ? [...since].filter(([, s]) => !atLeast(version, s.version)).map(([field]) => field) : [],
      };
      if (typeof raw === "string" && plans.size < 1000) plans.set(raw, plan);
      return plan;
    };

    return (record, emit) => {
      if (!validate(record)) emitAjvErrors(validate.errors, [], "record", emit);
      const plan = planFor(record["eventVersion"]);
      if (record["eventType"] === insightType) {
        for (const field of insightRequired) if (!Object.hasOwn(record, field)) emit([field], `${field} is missing (required in Insights events)`);
      } else {
        for (const r of plan.required) if (!Object.hasOwn(record, r.field)) emit([r.field], `${r.field} is missing (required since eventVersion ${r.text})`);
      }
      if (!plan.tooNew.some((field) => Object.hasOwn(record, field))) return;
      // Reported in the record's own member order.
      for (const field of Object.keys(record)) {
        const s = since.get(field);
        if (s && !atLeast(plan.version!, s.version)) {
          emit([field], `${field} was introduced in eventVersion ${s.text}, but the record's eventVersion is older`);
        }
      }
    };
  },
};
