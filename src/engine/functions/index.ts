import type { CheckFunction } from "../types.js";
import { analysisOutput } from "./analysis-output.js";
import { documentContent } from "./document-content.js";
import { envelope, fieldVersions } from "./envelope.js";
import { absent, pattern } from "./generic.js";
import { identityConsistency } from "./identity-consistency.js";
import { knownOperation } from "./known-operation.js";
import { notLoggedRequest } from "./not-logged-request.js";
import { notLoggedResponse } from "./not-logged-response.js";
import { userIdentity } from "./user-identity.js";

/** The built-in check functions a rule's `check.function` may name (the rule-pack schema lists the same names). */
// (each function has its own options type; options are validated against the rule-pack schema before compile)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const FUNCTIONS: ReadonlyMap<string, CheckFunction<any>> = new Map(
  [envelope, fieldVersions, userIdentity, identityConsistency, notLoggedRequest, notLoggedResponse, documentContent, analysisOutput, knownOperation, pattern, absent].map((f) => [f.name, f]),
);
