/**
 * The library's options checked before anything runs: a misspelt profile silently turned two leak
 * rules off, and a concurrency of "lots" was taken. Every option of the public entry points is
 * validated here, and a wrong one throws an OptionsError naming it.
 */
import { OptionsError } from "./errors.js";

const PROFILES = ["strict", "documented"];
const SEVERITIES = ["error", "warning", "info", "off"];

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const words = (list: readonly string[]): string => list.map((w) => JSON.stringify(w)).join(", ");

function oneOf(name: string, value: unknown, list: readonly string[]): void {
  if (value !== undefined && !(typeof value === "string" && list.includes(value))) throw new OptionsError(name, `must be one of ${words(list)}, not ${describe(value)}`);
}
function count(name: string, value: unknown, min: number): void {
  if (value !== undefined && !(typeof value === "number" && Number.isInteger(value) && value >= min)) throw new OptionsError(name, `must be a whole number of at least ${min}, not ${describe(value)}`);
}
function fn(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") throw new OptionsError(name, `must be a function, not ${describe(value)}`);
}
function describe(v: unknown): string {
  if (typeof v === "string") return v.length > 40 ? `a ${v.length}-character string` : JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? "an array" : `a ${typeof v}`;
}

/** The engine's options: profile and severities (rules are a loaded RuleSet, checked where they load). */
export function validateEngineOptions(options: unknown): void {
  if (options === undefined) return;
  if (!isRecord(options)) throw new OptionsError("options", `must be an object, not ${describe(options)}`);
  oneOf("profile", options["profile"], PROFILES);
  const severities = options["severities"];
  if (severities !== undefined) {
    if (!isRecord(severities)) throw new OptionsError("severities", `must be an object of rule id to severity, not ${describe(severities)}`);
    for (const [id, s] of Object.entries(severities)) oneOf(`severities.${id}`, s, SEVERITIES);
  }
  const rules = options["rules"];
  if (rules !== undefined && !(isRecord(rules) && Array.isArray(rules["rules"]))) throw new OptionsError("rules", "must be a rule set from loadRules()");
}

/** Everything checkPaths, checkBytes, checkRecord and the redactor take. */
export function validateCheckOptions(options: unknown): void {
  if (options === undefined) return;
  validateEngineOptions(options);
  const o = options as Record<string, unknown>;
  const concurrency = o["concurrency"];
  if (concurrency !== undefined && concurrency !== "auto" && concurrency !== "off" && !(typeof concurrency === "number" && Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new OptionsError("concurrency", `must be "auto", "off" or a whole number of at least 1, not ${describe(concurrency)}`);
  }
  count("splitFileBytes", o["splitFileBytes"], 1);
  count("maxFindings", o["maxFindings"], 0);
  fn("filter", o["filter"]);
  fn("onProgress", o["onProgress"]);
  const limits = o["limits"];
  if (limits !== undefined) {
    if (!isRecord(limits)) throw new OptionsError("limits", `must be an object, not ${describe(limits)}`);
    for (const [k, v] of Object.entries(limits)) {
      if (v !== undefined && !(typeof v === "number" && v > 0 && (Number.isInteger(v) || v === Infinity))) throw new OptionsError(`limits.${k}`, `must be a positive whole number, not ${describe(v)}`);
    }
  }
  const stdin = o["stdin"];
  if (stdin !== undefined && !(isRecord(stdin) && typeof (stdin as { on?: unknown }).on === "function")) throw new OptionsError("stdin", "must be a readable stream");
  const engine = o["engine"];
  if (engine !== undefined && !(isRecord(engine) && typeof (engine as { inspect?: unknown }).inspect === "function")) throw new OptionsError("engine", "must be an engine from createEngine()");
}

/** The redactor's options. */
export function validateRedactOptions(options: unknown): void {
  if (options === undefined) return;
  if (!isRecord(options)) throw new OptionsError("options", `must be an object, not ${describe(options)}`);
  validateCheckOptions({ engine: options["engine"], limits: options["limits"] });
  const paths = options["paths"];
  if (paths !== undefined && !(Array.isArray(paths) && paths.every((p) => typeof p === "string"))) throw new OptionsError("paths", "must be a list of strings");
  const censor = options["censor"];
  if (censor !== undefined && typeof censor !== "string" && typeof censor !== "function") throw new OptionsError("censor", `must be a string or a function, not ${describe(censor)}`);
  for (const flag of ["remove", "ignoreCase", "detectors"]) {
    const v = options[flag];
    if (v !== undefined && typeof v !== "boolean") throw new OptionsError(flag, `must be true or false, not ${describe(v)}`);
  }
  const pseudonymize = options["pseudonymize"];
  if (pseudonymize !== undefined && !(isRecord(pseudonymize) && typeof pseudonymize["salt"] === "string" && pseudonymize["salt"] !== "")) throw new OptionsError("pseudonymize", "must be { salt: a non-empty string }");
  count("maxBytes", options["maxBytes"], 1);
}
