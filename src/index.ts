/** trailproof's library API. It never prints and never exits; errors are typed (see ./errors.js). */
export { checkBytes, checkPaths, checkRecord, checkRecords, type CheckOptions, type RecordResult } from "./check.js";
export { createEngine, type Engine, type EngineOptions, type CompiledRule, type SeveritySetting } from "./engine/engine.js";
export { loadRules, type LoadedRule, type RuleSet } from "./rules/load.js";
export { runRuleTests, type RuleCaseResult } from "./rules/tester.js";
export { type ParsedRecord, type ParseLimits } from "./readers/parse.js";
export { parseBytes, RecordReader } from "./readers/reader.js";
export { ConfigError, InputError, TrailproofError, UsageError } from "./errors.js";
export { VERSION } from "./assets.js";
export type { Report, Finding, Evidence, InputError as ReportInputError, Summary, Severity } from "./generated/report.js";
export type { CloudTrailRecord } from "./generated/record.js";
export type { UserIdentity } from "./generated/user-identity.js";
export type { NotLoggedTable, OperationRow, ProfileName } from "./generated/not-logged-table.js";
export type { RulePack, Rule } from "./generated/rule-pack.js";
export { redactRecord, redactBytes, type RedactOptions, type RecordRedaction, type FileRedaction, type Change } from "./redactor/redact.js";
export { redactInputs, fixInPlace, type RedactedFile, type FixSummary } from "./redactor/files.js";
export { locate, lineColumn } from "./positions/json-text.js";
