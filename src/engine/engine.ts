/**
 * The engine: rules compiled once into per-(eventSource, eventName) dispatch lists; checking a
 * record runs only the rules in its scope and builds messages and paths only for findings.
 */
import type { ValidateFunction } from "ajv";
import { ConfigError } from "../errors.js";
import { validateEngineOptions } from "../options.js";
import type { Check, SchemaCheck } from "../generated/rule-pack.js";
import { loadRules, type LoadedRule, type RuleSet } from "../rules/load.js";
import { duplicateKeys } from "../positions/json-text.js";
import { loadTable, schemaRegistry, type SchemaRegistry } from "../schemas.js";
import { emitAjvErrors } from "./ajv-findings.js";
import { shortHash } from "./evidence.js";
import { FUNCTIONS } from "./functions/index.js";
import { canonicalSource, operationLookup, repeatedRouting } from "./routing.js";
import { getOwn, isPlainObject, parsePointer, reportPointer, resolvePointer } from "./pointer.js";
import type { CompileEnv, CompiledCheck, Emit, Evidence, Finding, Fix, JsonObject, Prefilter, ProfileName, Severity } from "./types.js";

export type SeveritySetting = Severity | "off";

export interface EngineOptions {
  /** Which rows of the not-logged table are enforced (default: the table's defaultProfile, "strict"). */
  profile?: ProfileName;
  /** Rules to run (default: the built-in packs). */
  rules?: RuleSet;
  /** Per-rule severity overrides; "off" disables a rule. */
  severities?: Readonly<Record<string, SeveritySetting>>;
}

export interface CompiledRule {
  readonly rule: LoadedRule;
  readonly severity: Severity;
  readonly run: CompiledCheck;
  readonly sources: ReadonlySet<string> | undefined;
  readonly names: ReadonlySet<string> | undefined;
  /** True when the rule checks the envelope itself: it also reports records that are not objects. */
  readonly envelope: boolean;
  /** When set, a record whose text matches none of these cannot produce a finding (see CheckFunction.prefilter). */
  readonly prefilter: readonly Prefilter[] | undefined;
  /** Every check reads any JSON value (CheckFunction.anyValue): the rule also runs on files that are not logs. */
  readonly anyValue: boolean;
}

export interface InspectedFinding {
  readonly finding: Finding;
  /** Path tokens of the finding (the same place as finding.path). */
  readonly tokens: ReadonlyArray<string | number>;
  readonly fix: Fix | undefined;
  /** A key given twice in the record's text (valid-record): the parsed record does not show all the text holds. */
  readonly repeatedKey?: true;
}

export interface RecordLocation {
  readonly file: string;
  readonly index: number;
  /** The record's JSON text (or a text that contains it), when the reader has it: lets prefilters skip checks. */
  readonly raw?: string;
  /** The record's path in `raw` (none: `raw` is the record's own text). */
  readonly rawAt?: ReadonlyArray<string | number>;
}

export interface Engine {
  readonly profile: ProfileName;
  readonly rules: readonly CompiledRule[];
  /** The rules whose scope covers this record. */
  rulesFor(record: unknown): readonly CompiledRule[];
  /** Findings for one record, in rule order then discovery order. Never throws for any JSON value. */
  check(record: unknown, where?: RecordLocation): Finding[];
  /** The same findings, each with the fix its check proposes (leak rules only). */
  inspect(record: unknown, where?: RecordLocation): InspectedFinding[];
  /**
   * Findings for a value of a file that is not a CloudTrail log: only the rules whose checks read any
   * value (the document detector), whatever their scope. Never throws for any JSON value.
   */
  inspectNotLog(value: unknown, where?: RecordLocation): InspectedFinding[];
}

interface Dispatch {
  readonly rules: readonly CompiledRule[];
  /** One of these matches whenever any of the rules' prefilters matches (undefined: none has one). */
  readonly anyFilter: readonly Prefilter[] | undefined;
}

/**
 * Patterns that match where any of `patterns` does: each scanned on its own, once. (Joined into one
 * alternation they scan slower than one after another: V8's quick checks and skips work on the
 * first characters of few alternatives. The document hints: 6.5 us a record joined, 1.9 us apart.)
 */
function joinPatterns(patterns: readonly Prefilter[]): readonly Prefilter[] {
  return [...new Map(patterns.map((p) => [p.source, p])).values()];
}
const anyMatches = (patterns: readonly Prefilter[], text: string, record: JsonObject): boolean => {
  for (let i = 0; i < patterns.length; i++) if (patterns[i]!.test(text, record)) return true;
  return false;
};

const asSet = (v: string | string[] | undefined): ReadonlySet<string> | undefined => (v === undefined ? undefined : new Set(Array.isArray(v) ? v : [v]));

function compileSchemaCheck(check: SchemaCheck, schemas: SchemaRegistry, ruleId: string): CompiledCheck {
  let validate: ValidateFunction;
  try {
    validate = typeof check.schema === "string" ? schemas.validator(check.schema) : schemas.ajv.compile(check.schema);
  } catch (e) {
    throw new ConfigError(`rule ${ruleId}: cannot compile its schema: ${(e as Error).message}`);
  }
  const tokens = parsePointer(check.at ?? "");
  const label = tokens.length > 0 ? tokens.join(".") : "record";
  return (record, emit) => {
    let value: unknown = record;
    for (const t of tokens) value = getOwn(value, t);
    if (value === undefined) return;
    if (!validate(value)) emitAjvErrors(validate.errors, tokens, label, emit);
  };
}

function compileCheck(check: Check, env: CompileEnv, ruleId: string): CompiledCheck {
  if ("schema" in check) return compileSchemaCheck(check, env.schemas, ruleId);
  const fn = FUNCTIONS.get(check.function);
  if (!fn) throw new ConfigError(`rule ${ruleId}: unknown check function ${JSON.stringify(check.function)}`);
  try {
    return fn.compile(check.options ?? {}, env);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`rule ${ruleId}: ${e.message}`);
    throw e;
  }
}

export function createEngine(options: EngineOptions = {}): Engine {
  validateEngineOptions(options);
  const schemas = schemaRegistry();
  const table = loadTable();
  const profile = options.profile ?? table.defaultProfile;
  const env: CompileEnv = { table, profile, schemas };
  const ruleSet = options.rules ?? loadRules();
  const severities = options.severities ?? {};
  const known = new Set(ruleSet.rules.map((r) => r.id));
  for (const id of Object.keys(severities)) if (!known.has(id)) throw new ConfigError(`unknown rule id ${JSON.stringify(id)} in severity settings`);

  const compiled: CompiledRule[] = [];
  for (const rule of ruleSet.rules) {
    const setting = severities[rule.id] ?? rule.severity;
    if (setting === "off") continue;
    const checks = (Array.isArray(rule.check) ? rule.check : [rule.check]) as Check[];
    const runs = checks.map((c) => compileCheck(c, env, rule.id));
    // A rule may skip a record only if every one of its checks can.
    const filters = checks.map((c) => ("function" in c ? FUNCTIONS.get(c.function)?.prefilter?.(c.options ?? {}) : undefined));
    const lists = filters.map((f) => (f === undefined ? undefined : f instanceof RegExp ? [f] : f));
    const prefilter = lists.every((f) => f !== undefined && f.length > 0 && f.every((r) => !(r instanceof RegExp) || r.flags === "")) ? joinPatterns((lists as Prefilter[][]).flat()) : undefined;
    compiled.push({
      rule,
      severity: setting,
      run: runs.length === 1 ? runs[0]! : (record, emit) => runs.forEach((r) => r(record, emit)),
      sources: asSet(rule.scope?.eventSource),
      names: asSet(rule.scope?.eventName),
      envelope: checks.some((c) => "function" in c && c.function === "envelope"),
      prefilter,
      anyValue: checks.every((c) => "function" in c && FUNCTIONS.get(c.function)?.anyValue === true),
    });
  }

  // Joined prefilters by the set of rules they join (few sets, however many names a hostile input
  // invents: past the dispatch cache, no record compiles a regular expression).
  const joined = new Map<string, readonly Prefilter[] | undefined>();
  const joinedFilter = (rules: readonly CompiledRule[]): readonly Prefilter[] | undefined => {
    const filtered = rules.filter((c) => c.prefilter !== undefined);
    const key = filtered.map((c) => compiled.indexOf(c)).join(",");
    if (!joined.has(key)) joined.set(key, filtered.length > 1 ? joinPatterns(filtered.flatMap((c) => c.prefilter!)) : filtered[0]?.prefilter);
    return joined.get(key);
  };
  // Dispatch: the rules for each (eventSource, eventName) pair, computed on first sight, with one
  // pattern joining their prefilters (one scan of the text decides whether any of them can find
  // anything). Two levels of maps (no key strings built per record); a hostile variety of names
  // stops being cached.
  const dispatch = new Map<string, Map<string, Dispatch>>();
  let cached = 0;
  const rulesFor = (source: unknown, name: unknown): Dispatch => {
    const src = typeof source === "string" ? source : "";
    const nm = typeof name === "string" ? name : "";
    let byName = dispatch.get(src);
    let entry = byName?.get(nm);
    if (!entry) {
      // Scoped by CloudTrail's names: an endpoint host (textract.us-east-1.amazonaws.com, a FIPS one) or
      // another casing is the service's eventSource; the SDK's command name or another casing the operation.
      const scopeSource = typeof source === "string" ? (canonicalSource(source) ?? source) : undefined;
      const scopeName = typeof name === "string" ? (operationOf(name) ?? name) : undefined;
      const rules = compiled.filter((c) => (!c.sources || (scopeSource !== undefined && (c.sources.has(scopeSource) || c.sources.has(source as string)))) && (!c.names || (scopeName !== undefined && (c.names.has(scopeName) || c.names.has(name as string)))));
      entry = { rules, anyFilter: joinedFilter(rules) };
      if (cached++ < 10_000) {
        if (!byName) dispatch.set(src, (byName = new Map()));
        byName.set(nm, entry);
      }
    }
    return entry;
  };
  const envelopeRules = compiled.filter((c) => c.envelope);
  const operationOf = operationLookup(Object.keys(table.operations));

  /** The record as its rules should see it when its text gives a routing key twice: the values that name the most. */
  const routeAs = (obj: JsonObject, routing: { sources?: readonly string[]; names?: readonly string[] }): JsonObject | undefined => {
    const sources = routing.sources ?? [];
    const names = routing.names ?? [];
    const scoped = new Set(compiled.flatMap((c) => [...(c.sources ?? [])]));
    const source = sources.find((v) => scoped.has(canonicalSource(v) ?? v));
    const name = names.find((v) => operationOf(v) !== undefined);
    if (source === undefined && name === undefined) return undefined;
    return { ...obj, ...(source !== undefined ? { eventSource: source } : {}), ...(name !== undefined ? { eventName: name } : {}) };
  };

  const inspect = (record: unknown, where: RecordLocation = { file: "", index: 0 }): InspectedFinding[] => {
    const out: InspectedFinding[] = [];
    if (!isPlainObject(record)) {
      const what = Array.isArray(record) ? "an array" : record === null ? "null" : `a ${typeof record}`;
      for (const c of envelopeRules) {
        out.push({ finding: finding(c, where, undefined, [], `a record must be a JSON object, but this is ${what}`).finding, tokens: [], fix: undefined });
      }
      return out;
    }
    let obj = record as JsonObject; // (its routing keys as the rules should read them: see routeAs)
    // A routing key given twice in the record's own text: checked as every service it names (Textract's
    // rules apply if any value names Textract), and reported as a repeated key whatever else matches.
    const routing = where.raw !== undefined && (where.rawAt === undefined || where.rawAt.length === 0) ? repeatedRouting(where.raw) : undefined;
    const routed = routing ? routeAs(obj, routing) : undefined;
    if (routed) obj = routed;
    const { rules, anyFilter } = rulesFor(obj["eventSource"], obj["eventName"]);
    // With the record's text at hand (and no \u escapes that could hide a match), rules whose
    // prefilters all fail are skipped after one scan; when something matches, each rule's own.
    const raw = where.raw !== undefined && anyFilter !== undefined && !where.raw.includes("\\u") ? where.raw : undefined;
    const skipFiltered = raw !== undefined && !anyMatches(anyFilter!, raw, obj);
    const findings = new Findings(out, where, obj);
    // A record whose text may hold what a leak rule looks for (or hides it in \u escapes) is also
    // read for repeated keys: the parsed value keeps only the last, and the text the first too.
    const repeated = where.raw !== undefined && ((anyFilter !== undefined && !skipFiltered) || routing) ? repeatedKeys(where.raw, where.rawAt ?? []) : NONE;
    for (let i = 0; i < rules.length; i++) {
      const c = rules[i]!;
      if (raw !== undefined && c.prefilter !== undefined && (skipFiltered || !anyMatches(c.prefilter, raw, obj))) continue;
      findings.run(c, obj);
      if (c.envelope) for (const tokens of repeated) out.push({ finding: finding(c, where, obj, tokens, REPEATED_KEY).finding, tokens, fix: undefined, repeatedKey: true });
    }
    return out;
  };

  const anyValueRules = compiled.filter((c) => c.anyValue);
  const inspectNotLog = (value: unknown, where: RecordLocation = { file: "", index: 0 }): InspectedFinding[] => {
    const out: InspectedFinding[] = [];
    const findings = new Findings(out, where, isPlainObject(value) ? (value as JsonObject) : undefined);
    for (const c of anyValueRules) findings.run(c, value as JsonObject);
    return out;
  };

  return {
    profile,
    rules: compiled,
    inspectNotLog,
    rulesFor(record: unknown): readonly CompiledRule[] {
      if (!isPlainObject(record)) return envelopeRules;
      return rulesFor(record["eventSource"], record["eventName"]).rules;
    },
    inspect,
    check(record: unknown, where: RecordLocation = { file: "", index: 0 }): Finding[] {
      return inspect(record, where).map((i) => i.finding);
    },
  };
}

/**
 * What one record's rules emit, as findings: one emitter per record, which reads the rule being run
 * from `current` (no closure per rule), and keeps the value hash of the last finding (rules often
 * report the same value: an 8 MB base64 string is found by two; hashing it is the dearest part).
 */
class Findings {
  private current: CompiledRule | undefined;
  private hashed: ValueHash | undefined;
  readonly emit: Emit;

  constructor(out: InspectedFinding[], where: RecordLocation, record: JsonObject | undefined) {
    this.emit = (path, detail, evidence, fix) => {
      const c = this.current!;
      const f = finding(c, where, record, path, detail, evidence, this.hashed);
      this.hashed = f.hashed;
      out.push({ finding: f.finding, tokens: path, fix: c.rule.leak === true ? fix : undefined });
    };
  }

  run(c: CompiledRule, value: JsonObject): void {
    this.current = c;
    c.run(value, this.emit);
  }
}

const NONE: ReadonlyArray<ReadonlyArray<string | number>> = [];
const REPEATED_KEY = "the same key appears twice in this object: JSON readers disagree on which value counts, and the text holds both (the other checks read the last)";

/**
 * The repeated keys of `text` that bear on the record at `at` in it, as paths in the record: those
 * inside it, and a repeated member that holds it (reported at its root). Those of other records are theirs.
 */
function repeatedKeys(text: string, at: ReadonlyArray<string | number>): Array<ReadonlyArray<string | number>> {
  const out: Array<ReadonlyArray<string | number>> = [];
  for (const path of duplicateKeys(text)) {
    const n = Math.min(path.length, at.length);
    let k = 0;
    while (k < n && String(path[k]) === String(at[k])) k++;
    if (k < n) continue;
    out.push(path.length > at.length ? path.slice(at.length) : []);
  }
  return out;
}

const PLAUSIBLE_EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PLAUSIBLE_EVENT_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;

/**
 * eventID and eventName identify a record in reports, so they are echoed, but only when they look
 * like one: anything else (a payload planted there, control characters) is described, not repeated.
 */
/** A short hash of a value's JSON text (a string's own text): keys baselines without keeping the value. */
function valueHash(value: unknown): string {
  try {
    return shortHash(typeof value === "string" ? value : JSON.stringify(value) ?? "");
  } catch {
    return shortHash(String(value)); // nesting too deep for JSON.stringify
  }
}

function safeLabel(value: unknown, plausible: RegExp, name: string): string | null {
  if (typeof value !== "string") return null;
  if (plausible.test(value)) return value;
  return `[unusual ${name}: ${value.length} characters, sha256 ${shortHash(value)}]`;
}

interface ValueHash {
  readonly value: unknown;
  readonly hash: string;
}

function finding(c: CompiledRule, where: RecordLocation, record: JsonObject | undefined, tokens: ReadonlyArray<string | number>, detail: string, evidence?: Evidence, last?: ValueHash): { finding: Finding; hashed: ValueHash | undefined } {
  const eventID = record?.["eventID"];
  const eventName = record?.["eventName"];
  const f: Finding = {
    ruleId: c.rule.id,
    severity: c.severity,
    message: c.rule.message.includes("{{detail}}") ? c.rule.message.replace("{{detail}}", detail) : `${c.rule.message}: ${detail}`,
    file: where.file,
    record: where.index,
    eventID: safeLabel(eventID, PLAUSIBLE_EVENT_ID, "eventID"),
    eventName: safeLabel(eventName, PLAUSIBLE_EVENT_NAME, "eventName"),
    path: reportPointer(tokens),
  };
  if (evidence) f.evidence = evidence;
  let hashed = last;
  if (record) {
    const value = resolvePointer(record, tokens);
    if (value !== undefined) {
      // === compares strings by content: equal text, equal hash.
      if (hashed?.value !== value) hashed = { value, hash: valueHash(value) };
      f.valueHash = hashed.hash;
    }
  }
  if (c.rule.leak) f.fixable = true;
  return { finding: f, hashed };
}
