import type { ValidateFunction } from "ajv";
import { SCHEMA_IDS } from "../../schemas.js";
import { emitAjvErrors } from "../ajv-findings.js";
import { isPlainObject } from "../pointer.js";
import type { CheckFunction } from "../types.js";

/**
 * userIdentity must be present and match the schema of its type (schemas/user-identity.schema.json,
 * one definition per type, listed in x-types). Insights events carry no identity.
 */
export const userIdentity: CheckFunction = {
  name: "userIdentity",
  compile(_options, env) {
    const doc = env.schemas.documents.get(SCHEMA_IDS.userIdentity)!;
    const types = doc["x-types"] as string[];
    const byType = new Map<string, ValidateFunction>(types.map((t) => [t, env.schemas.validator(`${SCHEMA_IDS.userIdentity}#/definitions/${t}`)]));
    const typelessEvent = env.schemas.validator(`${SCHEMA_IDS.userIdentity}#/definitions/TypelessServiceIdentity`);
    const typelessCall = env.schemas.validator(`${SCHEMA_IDS.userIdentity}#/definitions/TypelessServiceCall`);
    const typeList = types.map((t) => JSON.stringify(t)).join(", ");
    // Event types whose records carry no identity, or an identity without a type (schema annotations).
    const noIdentity = new Set(doc["x-noIdentityEventTypes"] as string[]);
    const typeless = new Set(doc["x-typelessEventTypes"] as string[]);

    return (record, emit) => {
      if (noIdentity.has(record["eventType"] as string)) return;
      if (!Object.hasOwn(record, "userIdentity")) return emit(["userIdentity"], "userIdentity is missing");
      const identity = record["userIdentity"];
      if (!isPlainObject(identity)) return emit(["userIdentity"], "userIdentity must be an object");
      const type = identity["type"];
      if (type === undefined) {
        // Some AwsServiceEvent records name only the account and the service; some AWS-internal
        // API calls (KMS SynchronizeMultiRegionKey) the account and the invoking service.
        if (typeless.has(record["eventType"] as string)) {
          if (!typelessEvent(identity)) emitAjvErrors(typelessEvent.errors, ["userIdentity"], "userIdentity", emit, " (identity without a type)");
        } else if (!Object.hasOwn(identity, "invokedBy")) {
          emit(["userIdentity", "type"], "userIdentity.type is missing");
        } else if (!typelessCall(identity)) emitAjvErrors(typelessCall.errors, ["userIdentity"], "userIdentity", emit, " (identity without a type)");
        return;
      }
      const validate = typeof type === "string" ? byType.get(type) : undefined;
      if (!validate) return emit(["userIdentity", "type"], `userIdentity.type must be one of ${typeList}`);
      if (!validate(identity)) emitAjvErrors(validate.errors, ["userIdentity"], "userIdentity", emit, ` (type ${type})`);
    };
  },
};
