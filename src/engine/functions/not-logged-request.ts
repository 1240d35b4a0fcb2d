import { describeBytesValue } from "../../detectors/document.js";
import { describeEvidence } from "../evidence.js";
import { forEachMember, resolveTable } from "../table.js";
import type { CheckFunction } from "../types.js";

/** Request members the table says are not logged (raw document bytes) must not be present. */
export const notLoggedRequest: CheckFunction = {
  name: "notLoggedRequest",
  compile(_options, env) {
    const rows = resolveTable(env.table, env.profile);
    return (record, emit) => {
      const name = record["eventName"];
      if (typeof name !== "string") return;
      const row = rows.get(name);
      if (!row || row.request.length === 0) return;
      const params = record["requestParameters"];
      for (const segments of row.request) {
        forEachMember(params, segments, (holder, key, tokens) => {
          const value = holder[key];
          if (value === undefined || value === null) return;
          const evidence = describeBytesValue(value);
          emit(["requestParameters", ...tokens], `${name} request member ${tokens.join(".")} is logged (${describeEvidence(evidence)})`, evidence);
        });
      }
    };
  },
};
