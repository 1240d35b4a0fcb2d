/* Generated from schemas/report.schema.json by scripts/gen-types.mjs. Do not edit: change the schema and run `npm run gen:types`. */

/**
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "Severity".
 */
export type Severity = "error" | "warning" | "info";

/**
 * The JSON report of a trailproof check run. It never contains an offending value: only where, what kind and how big.
 */
export interface Report {
  tool: {
    name: "trailproof";
    version: string;
  };
  profile?: "documented" | "strict";
  summary: Summary;
  findings: Finding[];
  inputErrors: InputError[];
  /**
   * Files read that hold no CloudTrail-shaped data (no record, no Records/Events/logEvents wrapper, no value with an eventVersion, eventSource or eventName): not CloudTrail logs, skipped, and checked for document payloads only (findings in them are listed as usual). Absent when there are none.
   */
  notLogs?: string[];
  /**
   * Findings that the baseline suppresses.
   */
  suppressed?: Finding[];
  baseline?: {
    file: string;
    /**
     * Baseline entries that matched nothing: they fail the run until pruned.
     */
    stale: number;
  };
}
/**
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "Summary".
 */
export interface Summary {
  /**
   * Files (and stdin) read.
   */
  files: number;
  /**
   * Records found and checked.
   */
  records: number;
  /**
   * Records with at least one finding.
   */
  recordsFailed: number;
  /**
   * Records found in the inputs: records (checked) + recordsUnreadable.
   */
  recordsFound: number;
  /**
   * Records found but not readable (a broken NDJSON line, an unparseable CloudTrailEvent string); each is also an input error.
   */
  recordsUnreadable: number;
  findings: {
    error: number;
    warning: number;
    info: number;
  };
  inputErrors: number;
  /**
   * Files read that are not CloudTrail logs (see notLogs), counted in files. Absent when there are none.
   */
  filesNotLogs?: number;
  /**
   * Findings suppressed by the baseline (not counted in findings).
   */
  suppressed?: number;
  /**
   * Findings counted in findings but not listed in this report: past the listing cap (--max-findings), so that memory does not grow with the number of findings. Absent when every finding is listed.
   */
  findingsNotListed?: number;
  /**
   * Input errors counted in inputErrors but not listed in this report: past the same listing cap (a file of a million broken lines has a million). Absent when every input error is listed.
   */
  inputErrorsNotListed?: number;
}
/**
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "Finding".
 */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /**
   * The path as found; '-' for stdin; '' for records checked through the library without a file.
   */
  file: string;
  /**
   * 0-based index of the record within its file.
   */
  record: number;
  eventID?: string | null;
  eventName?: string | null;
  /**
   * RFC 6901 JSON Pointer into the record.
   */
  path: string;
  evidence?: Evidence;
  /**
   * Redaction removes this finding.
   */
  fixable?: boolean;
  /**
   * 1-based line of the offending value's first character in the file (JSON and NDJSON sources).
   */
  line?: number;
  /**
   * 1-based column of that character (in bytes of the line).
   */
  column?: number;
  endLine?: number;
  /**
   * 1-based column just past the value's last character.
   */
  endColumn?: number;
  /**
   * First 8 hex digits of the SHA-256 of the offending value's JSON text (absent when the member is missing). Keys baselines; never the value.
   */
  valueHash?: string;
}
/**
 * What was found, without the value: its kind, its size and a short hash.
 *
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "Evidence".
 */
export interface Evidence {
  /**
   * e.g. 'base64 PNG', 'Buffer JSON', 'analysis output (Blocks)'
   */
  kind: string;
  /**
   * Size of the (decoded) value in bytes.
   */
  bytes: number;
  /**
   * First 8 hex digits of the SHA-256 of the value.
   */
  sha256: string;
}
/**
 * This interface was referenced by `Report`'s JSON-Schema
 * via the `definition` "InputError".
 */
export interface InputError {
  file: string;
  message: string;
  /**
   * A stable code: READ, GZIP, PARSE, ENCODING, EMPTY, LIMIT, INTERNAL, NOT_A_LOG (with --strict-inputs: a file that holds no CloudTrail-shaped data).
   */
  code?: string;
  /**
   * Index of the record (or NDJSON line) the error concerns, when known.
   */
  record?: number;
  line?: number;
  /**
   * Byte offset in the (decompressed) input, when known.
   */
  offset?: number;
}
