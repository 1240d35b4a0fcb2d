import { evidenceOfValue, describeEvidence } from "../evidence.js";
import { rowOfRecord } from "../table.js";
import type { CheckFunction } from "../types.js";

/** responseElements must not carry what the table says is not logged ("all": anything but null). */
export const notLoggedResponse: CheckFunction = {
  name: "notLoggedResponse",
  compile(_options, env) {
    const rowOf = rowOfRecord(env.table, env.profile);
    return (record, emit) => {
      const row = rowOf(record);
      if (!row || row.response === "none") return;
      const name = row.operation;
      const response = record["responseElements"];
      if (response === undefined || response === null) return;
      if (row.response === "all") {
        const members = typeof response === "object" && !Array.isArray(response) ? Object.keys(response) : [];
        const what = members.length > 0 ? `members ${members.slice(0, 5).join(", ")}${members.length > 5 ? ", ..." : ""}` : Array.isArray(response) ? "an array" : typeof response === "object" ? "an empty object" : `a ${typeof response} value`;
        const evidence = evidenceOfValue("responseElements", response);
        emit(["responseElements"], `no ${name} response field is logged, but responseElements holds ${what} (${describeEvidence(evidence)})`, evidence, { kind: "set", value: null });
        return;
      }
      if (typeof response !== "object" || Array.isArray(response)) return;
      for (const key of Object.keys(response)) {
        if (!row.response.has(key.toLowerCase())) continue;
        const evidence = evidenceOfValue(`response member ${key}`, (response as Record<string, unknown>)[key]);
        emit(["responseElements", key], `${name} response member ${key} is not logged by CloudTrail (${describeEvidence(evidence)})`, evidence, { kind: "delete" });
      }
    };
  },
};
