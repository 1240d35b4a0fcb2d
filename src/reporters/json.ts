import type { Report } from "../generated/report.js";

/** The JSON report (schemas/report.schema.json). JSON escaping keeps it well-formed whatever the input held. */
export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2) + "\n";
}
