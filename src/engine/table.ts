/** The not-logged table, resolved for one profile into lookups the checks and the redactor share. */
import type { NotLoggedTable, OperationRow, ProfileName } from "../generated/not-logged-table.js";
import { operationLookup } from "./routing.js";

export interface MemberSegment {
  /** Lower-cased member name; members match ignoring case. */
  readonly name: string;
  /** `name[]`: every element of the array. */
  readonly each: boolean;
}

export interface ResolvedRow {
  readonly operation: string;
  readonly row: OperationRow;
  /** Request members not logged, as parsed paths under requestParameters. */
  readonly request: ReadonlyArray<readonly MemberSegment[]>;
  /** "all", "none", or the lower-cased top-level members not logged. */
  readonly response: "all" | "none" | ReadonlySet<string>;
}

export function parseMemberPath(path: string): MemberSegment[] {
  return path.split(".").map((part) => {
    const each = part.endsWith("[]");
    return { name: (each ? part.slice(0, -2) : part).toLowerCase(), each };
  });
}

/** Rows enforced by `profile`, by eventName. Operations outside the profile resolve to nothing hidden. */
export function resolveTable(table: NotLoggedTable, profile: ProfileName): Map<string, ResolvedRow> {
  const out = new Map<string, ResolvedRow>();
  for (const [operation, row] of Object.entries(table.operations)) {
    if (!row) continue;
    const enforced = row.profiles.includes(profile);
    out.set(operation, {
      operation,
      row,
      request: enforced ? row.request.map(parseMemberPath) : [],
      response: !enforced ? "none" : typeof row.response === "string" ? row.response : new Set(row.response.map((m) => m.toLowerCase())),
    });
  }
  return out;
}

/**
 * Every place under `root` that a member path reaches, matching names ignoring case.
 * `visit` gets the containing object, the actual key, and the path tokens from `root`.
 */
export function forEachMember(
  root: unknown,
  segments: readonly MemberSegment[],
  visit: (holder: Record<string, unknown>, key: string, tokens: Array<string | number>) => void,
): void {
  const step = (value: unknown, i: number, tokens: Array<string | number>): void => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return;
    const seg = segments[i]!;
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (key.length !== seg.name.length || key.toLowerCase() !== seg.name) continue;
      const child = obj[key];
      const here = [...tokens, key];
      if (i === segments.length - 1) {
        visit(obj, key, here);
      } else if (seg.each && Array.isArray(child)) {
        child.forEach((el, j) => step(el, i + 1, [...here, j]));
      } else {
        step(child, i + 1, here);
      }
    }
  };
  if (segments.length > 0) step(root, 0, []);
}

/**
 * For the checks: the resolved row of a record's eventName under the active profile, if any; also
 * for a name written as the SDK's command (AnalyzeDocumentCommand) or in another casing.
 */
export function rowOfRecord(table: NotLoggedTable, profile: ProfileName): (record: Record<string, unknown>) => ResolvedRow | undefined {
  const rows = resolveTable(table, profile);
  const operationOf = operationLookup(rows.keys());
  return (record) => {
    const name = record["eventName"];
    if (typeof name !== "string") return undefined;
    const row = rows.get(name);
    if (row) return row;
    const op = operationOf(name);
    return op === undefined ? undefined : rows.get(op);
  };
}
