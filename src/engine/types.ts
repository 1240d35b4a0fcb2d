import type { Evidence, Finding, Severity } from "../generated/report.js";
import type { NotLoggedTable, ProfileName } from "../generated/not-logged-table.js";
import type { SchemaRegistry } from "../schemas.js";

export type { Evidence, Finding, Severity, ProfileName };
export type JsonObject = Record<string, unknown>;
export type PathTokens = ReadonlyArray<string | number>;

/**
 * How a leak is removed, proposed by the check that found it (so redaction and checking never
 * disagree): delete the member, set the value, or replace ranges of a string value.
 */
export type Fix =
  | { readonly kind: "delete" }
  | { readonly kind: "set"; readonly value: unknown }
  | { readonly kind: "replaceInString"; readonly ranges: ReadonlyArray<{ readonly start: number; readonly end: number; readonly text: string }> };

/** How a check reports a problem: where, what (never the value itself), optional evidence and fix. */
export type Emit = (path: PathTokens, detail: string, evidence?: Evidence, fix?: Fix) => void;

/** A compiled check: pure, synchronous, called once per record in the rule's scope. */
export type CompiledCheck = (record: JsonObject, emit: Emit) => void;

/** What a check function may use when it compiles: the table of the active profile and the schemas. */
export interface CompileEnv {
  readonly table: NotLoggedTable;
  readonly profile: ProfileName;
  readonly schemas: SchemaRegistry;
}

/**
 * A prefilter: a pattern for the record's JSON text, or a test of the parsed record for what no
 * short pattern can say cheaply (a string value that starts as a layered payload). `source` names it.
 */
export type Prefilter = RegExp | { readonly source: string; readonly test: (raw: string, record: JsonObject) => boolean };

export interface CheckFunction<Options = Record<string, never>> {
  readonly name: string;
  /** Validates its options (already schema-checked) and builds the per-record check. */
  compile(options: Options, env: CompileEnv): CompiledCheck;
  /**
   * Patterns the record's JSON text must match (any of them) for the check to find anything. When
   * the engine is given the text (the readers pass it), a record without a match skips the check:
   * the clean path then costs a few scans of the text instead of a walk over the parsed record.
   * Patterns of few literal alternatives are scanned fastest; the engine joins small ones and keeps
   * large ones apart (V8 scans one large alternation slower than its parts one after another). No
   * flags: spell case-insensitivity with character classes. They must never miss: text with \u
   * escapes is always checked in full.
   */
  prefilter?(options: Options): RegExp | readonly Prefilter[] | undefined;
  /**
   * The check reads any JSON value, not only records: it also runs on the values of files that are
   * not CloudTrail logs (a document pasted into a package.json is still a document).
   */
  readonly anyValue?: boolean;
}
