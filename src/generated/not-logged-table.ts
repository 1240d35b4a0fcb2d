/* Generated from schemas/not-logged-table.schema.json by scripts/gen-types.mjs. Do not edit: change the schema and run `npm run gen:types`. */

/**
 * This interface was referenced by `NotLoggedTable`'s JSON-Schema
 * via the `definition` "ProfileName".
 */
export type ProfileName = "documented" | "strict";
/**
 * A request member in CloudTrail casing: dot-separated names, '[]' after a name means every element of that array. Matched case-insensitively.
 *
 * This interface was referenced by `NotLoggedTable`'s JSON-Schema
 * via the `definition` "RequestMemberPath".
 */
export type RequestMemberPath = string;
/**
 * 'all': responseElements must be null or absent; 'none': anything may be logged; a list: these top-level members must not appear.
 *
 * This interface was referenced by `NotLoggedTable`'s JSON-Schema
 * via the `definition` "ResponseNotLogged".
 */
export type ResponseNotLogged = ("all" | "none") | [string, ...string[]];

/**
 * Per-operation table of Textract request members and response fields that CloudTrail does not log. One row per operation; a row is enforced in the profiles it lists.
 */
export interface NotLoggedTable {
  $schema?: string;
  eventSource: "textract.amazonaws.com";
  /**
   * Where the documented rows come from.
   */
  source?: string;
  /**
   * Profile name to a one-line description.
   */
  profiles: {
    [k: string]: string | undefined;
  };
  defaultProfile: ProfileName;
  /**
   * eventName to its row.
   */
  operations: {
    [k: string]: OperationRow | undefined;
  };
}
/**
 * This interface was referenced by `NotLoggedTable`'s JSON-Schema
 * via the `definition` "OperationRow".
 */
export interface OperationRow {
  family: "text" | "analysis" | "expense" | "identity" | "lending" | "adapter" | "tagging" | "insights";
  /**
   * Profiles that enforce this row. Outside them the operation is known but nothing is hidden.
   */
  profiles: ProfileName[];
  /**
   * Request members that are not logged (they carry raw document bytes).
   */
  request: RequestMemberPath[];
  response: ResponseNotLogged;
  /**
   * Why the row says what it says: the AWS page's row, or what the Textract API model's request and response hold.
   */
  source: string;
  /**
   * The request's top-level members in the Textract API model (a test compares them with the SDK's model).
   */
  requestMembers: string[];
  /**
   * The response's top-level members in the Textract API model.
   */
  responseMembers: string[];
}
