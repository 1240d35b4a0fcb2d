import { canonicalSource, operationLookup } from "../routing.js";
import type { CheckFunction } from "../types.js";

/**
 * The eventName must be a row of the not-logged table (any profile), and the names CloudTrail
 * writes: a writer's endpoint host for eventSource, or the SDK's command name or another casing
 * for eventName, is checked as Textract all the same and said not to be CloudTrail's.
 */
export const knownOperation: CheckFunction = {
  name: "knownOperation",
  compile(_options, env) {
    const known = new Set(Object.keys(env.table.operations));
    const operationOf = operationLookup(known);
    return (record, emit) => {
      const source = record["eventSource"];
      if (typeof source === "string" && source !== env.table.eventSource && canonicalSource(source) === env.table.eventSource) {
        emit(["eventSource"], `CloudTrail writes eventSource ${env.table.eventSource}; this record names an endpoint or another spelling of it`);
      }
      const name = record["eventName"];
      if (typeof name !== "string") return; // the envelope rule reports a missing eventName
      if (known.has(name)) return;
      const op = operationOf(name);
      if (op !== undefined) emit(["eventName"], `CloudTrail writes this operation's eventName as ${op} (this is the SDK's command name or another casing); it is checked as ${op}`);
      else emit(["eventName"], `the not-logged table has no row for this ${env.table.eventSource} operation, so nothing about its request or response can be proven`);
    };
  },
};
