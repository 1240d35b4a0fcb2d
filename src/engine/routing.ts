/**
 * Which service and operation a record is about, as the rules are scoped: CloudTrail's own names,
 * also when a writer used another form of them (the endpoint host, a FIPS endpoint, the SDK's
 * command name, another casing), and also when the record's text gives a routing key twice (JSON
 * readers keep the last value, another reader the first: a record that names Textract anywhere in
 * its routing keys is checked as Textract).
 */

/** `<service>[-fips][.<region>].amazonaws.com[.cn]`, any casing: the service's CloudTrail eventSource. */
const ENDPOINT = /^([a-z0-9-]+?)(?:-fips)?(?:\.[a-z]{2}(?:-[a-z]+)+-[0-9]+)?\.amazonaws\.com(?:\.cn)?$/i;

/** The eventSource CloudTrail writes for an endpoint host or another casing of it; undefined when it is not one. */
export function canonicalSource(source: string): string | undefined {
  const m = ENDPOINT.exec(source);
  return m ? `${m[1]!.toLowerCase()}.amazonaws.com` : undefined;
}

/** Operation names by their lower-cased form, without an SDK "Command" suffix. */
export function operationLookup(operations: Iterable<string>): (name: string) => string | undefined {
  const byLower = new Map<string, string>();
  for (const op of operations) byLower.set(op.toLowerCase(), op);
  return (name) => byLower.get(name.toLowerCase().replace(/command$/, ""));
}

const KEY_AT = (key: string): RegExp => new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.){0,256})"`, "g");
const SOURCE_VALUES = KEY_AT("eventSource");
const NAME_VALUES = KEY_AT("eventName");

/** Both routing keys as member names: one scan counts them (their common start lets V8 skip ahead). */
const ROUTING_KEYS = /"event(?:Source|Name)"/g;

/** Every value the text gives `"eventSource"` or `"eventName"` (as written: JSON escapes undone where they parse). */
function valuesOf(text: string, pattern: RegExp): string[] {
  const out: string[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    try {
      out.push(JSON.parse(`"${m[1]!}"`) as string);
    } catch {
      out.push(m[1]!);
    }
  }
  return out;
}

export interface Routing {
  /** The values the text gives the routing keys, when one is given twice (else undefined: the parsed record's are all). */
  readonly sources?: readonly string[];
  readonly names?: readonly string[];
}

/** The routing keys' values in a record's own text, when the text gives one of them twice. */
export function repeatedRouting(text: string): Routing | undefined {
  let sourceKeys = 0;
  let nameKeys = 0;
  ROUTING_KEYS.lastIndex = 0;
  for (let m = ROUTING_KEYS.exec(text); m !== null; m = ROUTING_KEYS.exec(text)) {
    if (m[0].length === 13) sourceKeys++;
    else nameKeys++;
  }
  const sources = sourceKeys > 1;
  const names = nameKeys > 1;
  if (!sources && !names) return undefined;
  return { ...(sources ? { sources: valuesOf(text, SOURCE_VALUES) } : {}), ...(names ? { names: valuesOf(text, NAME_VALUES) } : {}) };
}
