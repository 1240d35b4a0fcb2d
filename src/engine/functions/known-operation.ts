import type { CheckFunction } from "../types.js";

/** The eventName must be a row of the not-logged table (any profile). */
export const knownOperation: CheckFunction = {
  name: "knownOperation",
  compile(_options, env) {
    const known = new Set(Object.keys(env.table.operations));
    return (record, emit) => {
      const name = record["eventName"];
      if (typeof name !== "string") return; // the envelope rule reports a missing eventName
      if (!known.has(name)) emit(["eventName"], `the not-logged table has no row for this ${env.table.eventSource} operation, so nothing about its request or response can be proven`);
    };
  },
};
