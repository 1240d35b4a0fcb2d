/* Generated from schemas/config.schema.json by scripts/gen-types.mjs. Do not edit: change the schema and run `npm run gen:types`. */

/**
 * A .trailproof.yaml file, found from the working directory upwards or given with --config. Command-line flags override it. Paths are relative to the file.
 */
export interface TrailproofConfig {
  profile?: "strict" | "documented";
  failOn?: "error" | "warning" | "info" | "never";
  /**
   * Per rule: off, info, warning or error.
   */
  rules?: {
    [k: string]: "off" | "info" | "warning" | "error" | undefined;
  };
  /**
   * Extra rule packs (files or directories).
   */
  rulePacks?: string[];
  /**
   * Globs: only files that match one are checked (directory walks).
   */
  include?: string[];
  /**
   * Globs: files that match one are skipped (directory walks).
   */
  exclude?: string[];
  /**
   * A baseline file: only findings not in it are reported.
   */
  baseline?: string;
  concurrency?: ("auto" | "off") | number;
  yamlMaxAliases?: number;
  /**
   * The largest record read, in MiB of JSON text (a YAML file counts as one record); a larger one is an input error (LIMIT), skipped unread. Default 16; at most 256 (a JavaScript string holds at most ~512 MiB, and checking a record holds several copies of it). --max-record-mb wins.
   */
  maxRecordMB?: number;
  /**
   * List at most this many findings in a report (0: all); counts and the exit code stay exact. --max-findings wins.
   */
  maxFindings?: number;
}
