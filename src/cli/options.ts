/** The command line and the configuration file, read into what a command runs with. */
import { stat } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { globToRegExp, loadConfig, resolveFrom } from "../config.js";
import { createEngine, type SeveritySetting } from "../engine/engine.js";
import type { Concurrency } from "../parallel/pool.js";
import type { ProfileName } from "../engine/types.js";
import { UsageError } from "../errors.js";
import { loadRules } from "../rules/load.js";
import { FORMATS, type FormatName } from "../reporters/registry.js";
import { sanitize } from "../reporters/sanitize.js";
import { type CliIo } from "./io.js";

export const OPTIONS = {
  format: { type: "string", multiple: true },
  output: { type: "string" },
  "fail-on": { type: "string" },
  profile: { type: "string" },
  rules: { type: "string", multiple: true },
  quiet: { type: "boolean", short: "q" },
  "max-findings": { type: "string" },
  "yaml-max-aliases": { type: "string" },
  "max-record-mb": { type: "string" },
  fix: { type: "boolean" },
  concurrency: { type: "string" },
  config: { type: "string" },
  baseline: { type: "string" },
  prune: { type: "boolean" },
  "strict-inputs": { type: "boolean" },
  pseudonymize: { type: "boolean" },
  salt: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const satisfies ParseArgsConfig["options"];

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, not ${JSON.stringify(sanitize(value))}`);
}

export const DEFAULT_MAX_FINDINGS = 10_000;

/** A whole-number option from its flag or else the configuration, within [min, max]; `expects` says what it takes. */
export function wholeNumber(name: string, flag: string | undefined, config: number | undefined, expects: string, min = 0, max = 999_999_999): number | undefined {
  const v = flag ?? (config !== undefined ? String(config) : undefined);
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} takes ${expects}`);
  return Number(v);
}

/** --format F or F=FILE, repeatable; --output FILE sends the one format without a file there. At most one goes to stdout. */
export function parseFormats(values: Values): Array<{ format: FormatName; file: string | undefined }> {
  const given = values.format?.length ? values.format : ["text"];
  const outputs = given.map((spec) => {
    const eq = spec.indexOf("=");
    const name = eq < 0 ? spec : spec.slice(0, eq);
    const file = eq < 0 ? undefined : spec.slice(eq + 1);
    if (file === "") throw new UsageError(`--format ${name}= needs a file name`);
    return { format: oneOf("format", name, FORMATS, "text"), file };
  });
  const toStdout = outputs.filter((o) => o.file === undefined);
  if (values.output !== undefined) {
    if (toStdout.length !== 1) throw new UsageError("--output names the file of the one --format given without =FILE");
    toStdout[0]!.file = values.output;
  } else if (toStdout.length > 1) throw new UsageError("only one --format can go to stdout; give the others a file (--format sarif=report.sarif)");
  return outputs;
}

/** Configuration file, then flags on top: everything a command needs to run. */
export function setup(values: Values, io: CliIo) {
  const { config, dir } = loadConfig(io.cwd, values.config);
  const profile = oneOf<ProfileName>("profile", values.profile ?? config.profile, ["strict", "documented"], "strict");
  const failOn = oneOf("fail-on", values["fail-on"] ?? config.failOn, ["error", "warning", "info", "never"] as const, "error");
  const packs = [...(config.rulePacks ?? []).map((p) => resolveFrom(dir, p)), ...(values.rules ?? [])];
  const rules = loadRules(packs);
  const severities = (config.rules ?? {}) as Record<string, SeveritySetting>;
  const engine = createEngine({ profile, rules, severities });
  const aliases = wholeNumber("yaml-max-aliases", values["yaml-max-aliases"], config.yamlMaxAliases, "a whole number");
  const recordMB = wholeNumber("max-record-mb", values["max-record-mb"], config.maxRecordMB, "a whole number of MiB from 1 to 256", 1, 256);
  const limits = { ...(aliases !== undefined ? { maxYamlAliases: aliases } : {}), ...(recordMB !== undefined ? { maxRecordBytes: recordMB * 1024 * 1024 } : {}) };
  const concurrencyFlag = values.concurrency ?? (config.concurrency !== undefined ? String(config.concurrency) : "auto");
  if (!/^(auto|off|[1-9][0-9]{0,2})$/.test(concurrencyFlag)) throw new UsageError("--concurrency takes auto, off or a number of threads");
  const concurrency: Concurrency = concurrencyFlag === "auto" || concurrencyFlag === "off" ? concurrencyFlag : Number(concurrencyFlag);
  // include/exclude globs match paths relative to the configuration's directory.
  const include = (config.include ?? []).map(globToRegExp);
  const exclude = (config.exclude ?? []).map(globToRegExp);
  const filter =
    include.length || exclude.length
      ? (file: string) => {
          const rel = relative(dir, resolve(io.cwd, file)).split(sep).join("/");
          return (include.length === 0 || include.some((g) => g.test(rel))) && !exclude.some((g) => g.test(rel));
        }
      : undefined;
  const baseline = values.baseline !== undefined ? resolve(io.cwd, values.baseline) : config.baseline !== undefined ? resolveFrom(dir, config.baseline) : undefined;
  const maxFindings = wholeNumber("max-findings", values["max-findings"], config.maxFindings, "a whole number (0: list every finding)") ?? DEFAULT_MAX_FINDINGS;
  // With include: globs, no paths means what they include, walked from the configuration's folder.
  const configured = include.length > 0 ? [relative(io.cwd, dir) || "."] : undefined;
  return { engine, limits, failOn, profile, filter, baseline, concurrency, maxFindings, configured, ...pseudonymOption(values) };
}

export function pathsOrConfigured(named: readonly string[], configured: readonly string[] | undefined, usage: string): string[] {
  if (named.length > 0) return [...named];
  if (configured) return [...configured];
  throw new UsageError(usage);
}

export function pseudonymOption(values: Values): { pseudonymize?: { salt: string } } {
  if (!values.pseudonymize) {
    if (values.salt !== undefined) throw new UsageError("--salt goes with --pseudonymize");
    return {};
  }
  const salt = values.salt ?? process.env["TRAILPROOF_SALT"];
  if (!salt) throw new UsageError("--pseudonymize needs a salt: --salt SECRET or TRAILPROOF_SALT (keep it secret: it keys the pseudonyms)");
  return { pseudonymize: { salt } };
}

export async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
