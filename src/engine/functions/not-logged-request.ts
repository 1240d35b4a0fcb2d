import { describeBytesValue } from "../../detectors/document.js";
import { describeEvidence } from "../evidence.js";
import { forEachMember, rowOfRecord } from "../table.js";
import type { CheckFunction } from "../types.js";

/** Request members the table says are not logged (raw document bytes) must not be present. */
export const notLoggedRequest: CheckFunction = {
  name: "notLoggedRequest",
  compile(_options, env) {
    const rowOf = rowOfRecord(env.table, env.profile);
    return (record, emit) => {
      const row = rowOf(record);
      if (!row || row.request.length === 0) return;
      const name = row.operation;
      const params = record["requestParameters"];
      for (const segments of row.request) {
        forEachMember(params, segments, (holder, key, tokens) => {
          const value = holder[key];
          // An empty value holds no document (CloudTrail itself leaves "document": {}).
          if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) return;
          const evidence = describeBytesValue(value);
          emit(["requestParameters", ...tokens], `${name} request member ${tokens.join(".")} is logged (${describeEvidence(evidence)})`, evidence, { kind: "delete" });
        });
      }
    };
  },
};
