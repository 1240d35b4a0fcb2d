/** Libraries only some runs need, loaded on first use so that start-up (the pre-commit case) stays short. */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let yamlModule: typeof import("yaml") | undefined;

/** The yaml package: needed for YAML inputs, user rule packs and YAML redaction only. */
export function yaml(): typeof import("yaml") {
  return (yamlModule ??= require("yaml") as typeof import("yaml"));
}
