/* Generated from schemas/rule-pack.schema.json by scripts/gen-types.mjs. Do not edit: change the schema and run `npm run gen:types`. */

export type Severity = "error" | "warning" | "info";
export type StringOrList = string | [string, ...string[]];
/**
 * A built-in check function with its options, or a JSON Schema the record (or the value at 'at') must match.
 */
export type Check = SchemaCheck | FunctionCheck;
/**
 * RFC 6901 JSON Pointer into the record.
 */
export type JsonPointer = string;
export type FunctionCheck = {
  function:
    | "envelope"
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
 */
export interface Scope {
  eventSource?: StringOrList;
  eventName?: StringOrList;
}
export interface SchemaCheck {
  /**
   * An inline JSON Schema, or the $id (optionally with a #fragment) of a bundled schema.
   */
  schema: string | {};
  at?: JsonPointer;
}
export interface FunctionOptions {}
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
