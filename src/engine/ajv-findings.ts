/** Turns Ajv errors into findings: one per offending location, worded without repeating the value. */
import type { ErrorObject } from "ajv";
import { parsePointer } from "./pointer.js";
import type { Emit } from "./types.js";

const PRIORITY = ["required", "type", "not", "false schema", "const", "enum", "pattern", "format", "minLength", "maxLength", "anyOf", "oneOf"];

function definitionName(schemaPath: string): string | undefined {
  const m = /#\/definitions\/([^/]+)\/(?:pattern|type|enum|const|minLength|maxLength)$/.exec(schemaPath);
  return m?.[1];
}

function describe(e: ErrorObject, field: string, sameSpot: number): string {
  switch (e.keyword) {
    case "required":
      return `${field} is missing`;
    case "type":
      return `${field} must be ${String(e.params["type"]).replace(",", " or ")}`;
    case "not":
    case "false schema":
      return `${field} must not be present`;
    case "const":
      return `${field} must be ${JSON.stringify(e.params["allowedValue"])}`;
    case "enum":
      return `${field} must be one of ${(e.params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern": {
      if (sameSpot > 1) return `${field} matches none of the accepted formats`;
      const def = definitionName(e.schemaPath);
      return `${field} does not have the ${def ? def + " " : "expected "}format`;
    }
    case "maxLength":
    case "minLength":
      return `${field} ${e.message ?? "has the wrong length"}`;
    default:
      return `${field} ${e.message ?? "is invalid"}`;
  }
}

/**
 * Emits one finding per location. `prefix` is where the validated value sits in the record;
 * `label` names it in messages (e.g. "userIdentity").
 */
export function emitAjvErrors(errors: ErrorObject[] | null | undefined, prefix: Array<string | number>, label: string, emit: Emit, suffix = ""): void {
  if (!errors) return;
  const bySpot = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const spot = e.keyword === "required" ? `${e.instancePath}/${String(e.params["missingProperty"]).replace(/~/g, "~0").replace(/\//g, "~1")}` : e.instancePath;
    const list = bySpot.get(spot);
    if (list) list.push(e);
    else bySpot.set(spot, [e]);
  }
  for (const [spot, list] of bySpot) {
    list.sort((a, b) => rank(a) - rank(b));
    const tokens = parsePointer(spot);
    const field = [label, ...tokens].filter((t) => t !== "").join(".");
    const patterns = list.filter((e) => e.keyword === "pattern").length;
    emit([...prefix, ...tokens], describe(list[0]!, field, patterns) + suffix);
  }
}

function rank(e: ErrorObject): number {
  const i = PRIORITY.indexOf(e.keyword);
  return i < 0 ? PRIORITY.length : i;
}
