/** The CLI as a function of argv and streams, so tests can run it in-process and end to end. */
import { rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, basename } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { Chalk } from "chalk";
import { VERSION } from "../assets.js";
import { checkPaths } from "../check.js";
import { createEngine } from "../engine/engine.js";
import type { ProfileName, Severity } from "../engine/types.js";
import { ConfigError, TrailproofError, UsageError } from "../errors.js";
import type { Report } from "../generated/report.js";
import { loadRules } from "../rules/load.js";
import { runRuleTests } from "../rules/tester.js";
import { formatJson } from "../reporters/json.js";
import { sanitize } from "../reporters/sanitize.js";
import { formatText } from "../reporters/text.js";

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const EXIT = { ok: 0, findings: 1, usage: 2, input: 3 } as const;

const HELP = `trailproof ${VERSION}: prove CloudTrail logs of Amazon Textract calls keep Textract's privacy promise

Usage:
  trailproof check [paths...] [options]   check files, directories (recursive) or - (stdin)
  trailproof rules [--format text|json]   list the rules
  trailproof test-rules [dir...]          run the test records embedded in rule packs
  trailproof --help | --version

Options for check:
  --format text|json          report format (default text)
  --output FILE               write the report to FILE instead of stdout
  --fail-on LEVEL             error | warning | info | never (default error)
  --profile NAME              strict | documented (default strict)
  --rules DIR                 add a rule pack (file or directory); repeatable
  --quiet                     text: only input errors and the summary line
  --yaml-max-aliases N        YAML alias expansions allowed per document (default 100)

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error,
3 some input could not be read or parsed (input errors outrank findings).
`;

const OPTIONS = {
  format: { type: "string" },
  output: { type: "string" },
  "fail-on": { type: "string" },
  profile: { type: "string" },
  rules: { type: "string", multiple: true },
  quiet: { type: "boolean" },
  "yaml-max-aliases": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const satisfies ParseArgsConfig["options"];

type FailOn = Severity | "never";
const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, not ${JSON.stringify(sanitize(value))}`);
}

/** Colour follows the terminal, NO_COLOR and FORCE_COLOR. */
export function colorLevel(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return 0;
  const force = env["FORCE_COLOR"];
  if (force !== undefined) {
    if (force === "0" || force === "false") return 0;
    const n = Number(force);
    return n === 2 || n === 3 ? n : 1;
  }
  return stream.isTTY ? 1 : 0;
}

/** Writes beside the target, then renames: a reader never sees half a report. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new ConfigError(`cannot write the report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path);
  }
}

export function exitCodeFor(report: Report, failOn: FailOn): number {
  if (report.summary.inputErrors > 0) return EXIT.input;
  if (failOn === "never") return EXIT.ok;
  const threshold = SEVERITY_RANK[failOn];
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? EXIT.findings : EXIT.ok;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`trailproof: ${e.message}\nRun 'trailproof --help' for usage.\n`);
      return EXIT.usage;
    }
    if (e instanceof TrailproofError) {
      io.stderr.write(`trailproof: ${sanitize(e.message)}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === "help") {
    io.stdout.write(HELP);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  switch (command) {
    case "check":
      return commandCheck(rest, values, io);
    case "rules":
      return commandRules(values, io);
    case "test-rules":
      return commandTestRules(rest, values, io);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(sanitize(command))}`);
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

async function commandCheck(paths: string[], values: Values, io: CliIo): Promise<number> {
  if (paths.length === 0) throw new UsageError("check needs at least one path (a file, a directory, or - for stdin)");
  const format = oneOf("format", values.format, ["text", "json"] as const, "text");
  const failOn = oneOf("fail-on", values["fail-on"], ["error", "warning", "info", "never"] as const, "error");
  const profile = oneOf<ProfileName>("profile", values.profile, ["strict", "documented"], "strict");
  const rules = loadRules(values.rules ?? []);
  const engine = createEngine({ profile, rules });
  const aliases = values["yaml-max-aliases"];
  if (aliases !== undefined && !/^[0-9]{1,9}$/.test(aliases)) throw new UsageError("--yaml-max-aliases takes a whole number");
  const limits = aliases !== undefined ? { maxYamlAliases: Number(aliases) } : {};
  const report = await checkPaths(paths, { engine, stdin: io.stdin, limits });
  const toFile = values.output !== undefined;
  const text =
    format === "json"
      ? formatJson(report)
      : formatText(report, { color: toFile ? 0 : colorLevel(io.stdout, io.env), quiet: values.quiet === true });
  if (toFile) await writeAtomic(values.output!, text);
  else io.stdout.write(text);
  return exitCodeFor(report, failOn);
}

function commandRules(values: Values, io: CliIo): number {
  const format = oneOf("format", values.format, ["text", "json"] as const, "text");
  const { rules } = loadRules(values.rules ?? []);
  if (format === "json") {
    io.stdout.write(JSON.stringify(rules.map((r) => ({ id: r.id, severity: r.severity, description: r.description, pack: r.pack, leak: r.leak === true })), null, 2) + "\n");
    return EXIT.ok;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  for (const r of rules) io.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${sanitize(r.description)}\n`);
  return EXIT.ok;
}

function commandTestRules(dirs: string[], values: Values, io: CliIo): number {
  const rules = loadRules([...dirs, ...(values.rules ?? [])], { builtin: dirs.length === 0 });
  const results = runRuleTests(rules);
  const c = new Chalk({ level: colorLevel(io.stdout, io.env) });
  for (const r of results) {
    const mark = r.ok ? c.green("ok  ") : c.red("FAIL");
    io.stdout.write(`${mark} ${r.ruleId} ${r.kind}: ${sanitize(r.name)}\n`);
    if (!r.ok && r.problem) io.stdout.write(`       ${sanitize(r.problem)}\n`);
  }
  const failed = results.filter((r) => !r.ok).length;
  io.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  return failed > 0 ? EXIT.findings : EXIT.ok;
}
