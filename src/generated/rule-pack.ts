/* Generated from schemas/rule-pack.schema.json by scripts/gen-types.mjs. Do not edit: change the schema and run `npm run gen:types`. */

/**
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "Severity".
 */
export type Severity = "error" | "warning" | "info";
/**
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "StringOrList".
 */
export type StringOrList = string | [string, ...string[]];
/**
 * A built-in check function with its options, or a JSON Schema the record (or the value at 'at') must match.
 *
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "Check".
 */
export type Check = SchemaCheck | FunctionCheck;
/**
 * RFC 6901 JSON Pointer into the record.
 *
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "JsonPointer".
 */
export type JsonPointer = string;
/**
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "FunctionCheck".
 */
export type FunctionCheck = {
  function:
    | "envelope"
    | "fieldVersions"
    | "userIdentity"
    | "identityConsistency"
    | "notLoggedRequest"
    | "notLoggedResponse"
    | "documentContent"
    | "analysisOutput"
    | "knownOperation"
    | "pattern"
    | "absent";
  options?: FunctionOptions;
};
/**
 * The string at 'at' must match 'match' and must not match 'notMatch'. Patterns are checked for catastrophic backtracking when the pack loads.
 *
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "PatternOptions".
 */
export type PatternOptions = PatternOptions1 & {
  at: JsonPointer;
  match?: string;
  notMatch?: string;
  flags?: string;
  /**
   * Longest value the pattern runs on (default 65536); a longer value is reported as a finding, never skipped.
   */
  maxLength?: number;
};
export type PatternOptions1 = {
  [k: string]: unknown | undefined;
};

/**
 * A declarative pack of trailproof rules (YAML or JSON). Every rule carries its own test records.
 */
export interface RulePack {
  /**
   * The pack's name.
   */
  pack: string;
  description?: string;
  /**
   * @minItems 1
   */
  rules: [Rule, ...Rule[]];
}
/**
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "Rule".
 */
export interface Rule {
  id: string;
  severity: Severity;
  /**
   * One sentence: what the rule catches.
   */
  description: string;
  /**
   * Why it matters; shown as help in reports.
   */
  rationale?: string;
  /**
   * The AWS statement the rule rests on: the page and what it says (or, for a rule AWS does not state, that it is an inference and why).
   */
  basis?: string;
  /**
   * True when a finding means sensitive content was logged (redaction can fix it).
   */
  leak?: boolean;
  scope?: Scope;
  check: Check | [Check, ...Check[]];
  /**
   * The finding's message; {{detail}} is replaced by what the check found (never the offending value).
   */
  message: string;
  tests: RuleTests;
}
/**
 * Which records the rule applies to. An absent key matches every record.
 *
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "Scope".
 */
export interface Scope {
  eventSource?: StringOrList;
  eventName?: StringOrList;
}
/**
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "SchemaCheck".
 */
export interface SchemaCheck {
  /**
   * An inline JSON Schema, or the $id (optionally with a #fragment) of a bundled schema.
   */
  schema: string | {};
  at?: JsonPointer;
}
/**
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "FunctionOptions".
 */
export interface FunctionOptions {}
/**
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "RuleTests".
 */
export interface RuleTests {
  /**
   * @minItems 1
   */
  valid: [RuleTestCase, ...RuleTestCase[]];
  /**
   * @minItems 1
   */
  invalid: [RuleTestCase, ...RuleTestCase[]];
  /**
   * Records out of the rule's scope: it must not run on them.
   */
  skipped?: RuleTestCase[];
}
/**
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "RuleTestCase".
 */
export interface RuleTestCase {
  name: string;
  /**
   * A full CloudTrail record.
   */
  record: {};
  profile?: "documented" | "strict";
  /**
   * For an invalid case: the JSON Pointers the rule must report (all of them, in order).
   */
  findings?: JsonPointer[];
}
/**
 * The member at 'at' must be absent (or null). Names are matched case-insensitively when 'ignoreCase' is true.
 *
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "AbsentOptions".
 */
export interface AbsentOptions {
  at: JsonPointer;
  ignoreCase?: boolean;
}
/**
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "DocumentContentOptions".
 */
export interface DocumentContentOptions {
  /**
   * Shortest base64 run that is decoded and checked (default 32).
   */
  minBase64Chars?: number;
}
/**
 * Members whose presence anywhere in the record (any casing) means analysis output was logged.
 *
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "AnalysisOutputOptions".
 */
export interface AnalysisOutputOptions {
  /**
   * @minItems 1
   */
  members: [OutputMember, ...OutputMember[]];
  /**
   * Also look for these members inside JSON text held in string values (default true).
   */
  inStrings?: boolean;
}
/**
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "OutputMember".
 */
export interface OutputMember {
  /**
   * Member name, matched ignoring case.
   */
  name: string;
  /**
   * What to call it in messages (default: the name).
   */
  label?: string;
  /**
   * Only when the value is an array with an object element that has one of these members.
   *
   * @minItems 1
   */
  itemHasAny?: [string, ...string[]];
  /**
   * Only when the value is an object that has one of these members.
   *
   * @minItems 1
   */
  hasAny?: [string, ...string[]];
}
/**
 * The facts the consistency check applies, per userIdentity type (CloudTrail userIdentity reference and IAM unique-id prefixes).
 *
 * This interface was referenced by `RulePack`'s JSON-Schema
 * via the `definition` "IdentityConsistencyOptions".
 */
export interface IdentityConsistencyOptions {
  /**
   * Identity or session-issuer type to the prefix its principalId starts with.
   */
  principalIdPrefix: {
    [k: string]: string | undefined;
  };
  /**
   * Types that always sign with temporary credentials (and need a session issuer).
   */
  temporaryCredentials: string[];
  /**
   * Type to the session issuer types it may have.
   */
  sessionIssuerTypes: {
    [k: string]: string[] | undefined;
  };
  /**
   * Types that appear only on some events, to those events as eventSource:eventName (eventSource:* for every event of a service).
   */
  federationEvents: {
    /**
     * @minItems 1
     */
    [k: string]: [string, ...string[]] | undefined;
  };
  /**
   * Prefixes of access key ids (anything else in accessKeyId is another kind of id).
   */
  accessKeyPrefixes: string[];
  temporaryKeyPrefix: string;
  /**
   * Placeholders CloudTrail writes instead of a value.
   */
  withheld: string[];
}
