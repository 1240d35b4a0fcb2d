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

    return (record, emit) => {
      if (!validate(record)) emitAjvErrors(validate.errors, [], "record", emit);
      const version = parseVersion(record["eventVersion"]);
      const insight = record["eventType"] === insightType;
      if (insight) {
        for (const field of insightRequired) if (!Object.hasOwn(record, field)) emit([field], `${field} is missing (required in Insights events)`);
      } else {
        // Without a readable eventVersion only the fields every version has are required.
        for (const r of requiredSince) {
          if (version ? !atLeast(version, r.since) : r.since.minor !== 0) continue;
          for (const field of r.fields) {
            if (!Object.hasOwn(record, field)) emit([field], `${field} is missing (required since eventVersion ${r.text})`);
          }
        }
      }
      if (!version) return;
      for (const field of Object.keys(record)) {
        const s = since.get(field);
        if (s && !atLeast(version, s.version)) {
          emit([field], `${field} was introduced in eventVersion ${s.text}, but the record's eventVersion is older`);
        }
      }
    };
  },
};
