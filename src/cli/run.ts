/** The CLI as a function of argv and streams, so tests can run it in-process and end to end. */
import { appendFile, copyFile, mkdir, stat } from "node:fs/promises";
import { statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { Chalk } from "chalk";
import { VERSION } from "../assets.js";
import { checkPaths, checkPathsDetailed, toReportError } from "../check.js";
import { globToRegExp, loadConfig, resolveFrom } from "../config.js";
import { createEngine, type SeveritySetting } from "../engine/engine.js";
import { writeAtomic } from "../io/atomic.js";
import type { Concurrency } from "../parallel/pool.js";
import type { Finding, ProfileName, Severity } from "../engine/types.js";
import { ConfigError, InputError, TrailproofError, UsageError } from "../errors.js";
import type { Report } from "../generated/report.js";
import { loadRules } from "../rules/load.js";
import { runRuleTests } from "../rules/tester.js";
import { FORMATS, formatter, type FormatName } from "../reporters/registry.js";
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
  trailproof redact <paths|-> [--output FILE_OR_DIR]   write compliant copies
  trailproof baseline [paths...] [--output FILE]        accept today's findings (default .trailproof-baseline.json)
  trailproof rules [--format text|json]   list the rules
  trailproof test-rules [dir...]          run the test records embedded in rule packs
  trailproof --help | --version

Options for check:
  --format F[=FILE]           text | json | sarif | junit | github (default text); repeatable,
                              e.g. --format text --format sarif=report.sarif
  --output FILE               write the (single) report without =FILE to FILE instead of stdout
  --fail-on LEVEL             error | warning | info | never (default error)
  --profile NAME              strict | documented (default strict)
  --rules DIR                 add a rule pack (file or directory); repeatable
  -q, --quiet                 text: only input errors and the summary line
  --max-findings N            list at most N findings and N input errors (default 10000; 0: all),
                              and JUnit at most N records (one case per file counts the rest);
                              counts and the exit code stay exact, and memory stays bounded
  --yaml-max-aliases N        YAML alias expansions allowed per document (default 100)
  --max-record-mb N           the largest record read, in MiB of JSON (default 16, at most 256; a
                              YAML file is one record): a larger one is an input error, skipped unread
  --config FILE               configuration (default: .trailproof.yaml found from here upwards)
  --baseline FILE             report only findings not in FILE; stale entries fail the run
  --prune                     with a baseline: drop its stale entries (rewrites the file)
  --concurrency auto|off|N    worker threads across files (default auto: one per core for large inputs)
  --strict-inputs             a file that is not a CloudTrail log (no record, no Records/Events/
                              logEvents wrapper, nothing with eventVersion, eventSource or
                              eventName) is an input error, not a note
  --fix                       redact leaks in place first (atomic; untouched files keep their mtime)
  --pseudonymize              with --fix or redact: also replace account ids, keys, principal ids,
                              names, source IPs, bucket and object names with consistent pseudonyms
  --salt SECRET               the key of those pseudonyms (or TRAILPROOF_SALT in the environment)

Redaction removes what the leak rules find (request bytes, response fields, document payloads,
analysis output); identity and envelope findings cannot be fixed by redaction and are reported.

(With a baseline, findings are matched file by file as they are checked; the cap applies to new and suppressed findings alike.)

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error,
3 some input could not be read or parsed (input errors outrank findings).
`;

const OPTIONS = {
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

async function writeReport(path: string, text: string | Iterable<string>): Promise<void> {
  try {
    await writeAtomic(path, text);
  } catch (e) {
    throw new ConfigError(`cannot write the report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path);
  }
}

const DEFAULT_MAX_FINDINGS = 10_000;

/** A whole-number option from its flag or else the configuration, within [min, max]; `expects` says what it takes. */
function wholeNumber(name: string, flag: string | undefined, config: number | undefined, expects: string, min = 0, max = 999_999_999): number | undefined {
  const v = flag ?? (config !== undefined ? String(config) : undefined);
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} takes ${expects}`);
  return Number(v);
}

/** Writes chunks to a stream, waiting whenever it asks to (a slow pipe does not make them pile up). */
async function writeChunks(out: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  const gone = () => (out as { destroyed?: boolean }).destroyed === true;
  for (const chunk of chunks) {
    if (gone()) return; // its reader left (a closed pipe): no drain will come
    if (!out.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          out.off("drain", done);
          out.off("close", done);
          resolve();
        };
        out.on("drain", done);
        out.on("close", done);
      });
    }
  }
}

/**
 * Fail closed: zero records checked is never a pass, and a file named on the command line that the
 * configuration excludes is said to be so (an include: typo once passed a tree of leaks with exit 0).
 */
function nothingChecked(paths: readonly string[], report: Report, filter: ((file: string) => boolean) | undefined, cwd: string): InputError[] {
  const out: InputError[] = [];
  if (filter) {
    for (const p of paths) {
      if (p === "-" || filter(p)) continue;
      let isFile = false;
      try {
        isFile = statSync(resolve(cwd, p)).isFile();
      } catch {
        continue; // a path that does not exist is the reader's input error
      }
      if (isFile) out.push(new InputError("EMPTY", p, "named on the command line, but the configuration's include/exclude excludes it: not checked"));
    }
  }
  const s = report.summary;
  if (s.records === 0 && s.recordsUnreadable === 0 && s.inputErrors === 0 && out.length === 0) {
    const notLogs = s.filesNotLogs ?? 0;
    const why =
      notLogs > 0
        ? `none of the ${notLogs === 1 ? "file" : `${notLogs} files`} read is a CloudTrail log (${notLogs === 1 ? "it was" : "each was"} checked for document payloads only)`
        : filter
          ? "the configuration's include/exclude excluded every file"
          : "no log files were found";
    out.push(new InputError("EMPTY", paths.join(", "), `no records checked: ${why}`));
  }
  return out;
}

export function exitCodeFor(report: Report, failOn: FailOn): number {
  if (report.summary.inputErrors > 0) return EXIT.input;
  if (failOn === "never") return EXIT.ok;
  const threshold = SEVERITY_RANK[failOn];
  // From the counts, which stay exact when the listing is capped (--max-findings).
  return (Object.keys(SEVERITY_RANK) as Severity[]).some((s) => SEVERITY_RANK[s] >= threshold && report.summary.findings[s] > 0) ? EXIT.findings : EXIT.ok;
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
    case "redact":
      return commandRedact(rest, values, io);
    case "baseline":
      return commandBaseline(rest, values, io);
    case "test-rules":
      return commandTestRules(rest, values, io);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(sanitize(command))}`);
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

async function commandCheck(named: string[], values: Values, io: CliIo): Promise<number> {
  const outputs = parseFormats(values);
  const { engine, limits, pseudonymize, failOn, filter, baseline, concurrency, maxFindings, configured } = setup(values, io);
  const paths = pathsOrConfigured(named, configured, "check needs at least one path (a file, a directory, or - for stdin), or include: in .trailproof.yaml");
  if (pseudonymize && !values.fix) throw new UsageError("--pseudonymize rewrites records: use it with --fix, or with redact");
  if (values.prune && !baseline) throw new UsageError("--prune needs a baseline (--baseline FILE or baseline: in the configuration)");
  let fixErrors: InputError[] = [];
  if (values.fix) {
    if (paths.includes("-")) throw new UsageError("--fix rewrites files in place; it cannot fix stdin (use: trailproof redact -)");
    const { fixInPlace } = await import("../redactor/files.js"); // loaded only when fixing (start-up time)
    const fixed = await fixInPlace(paths, { engine, limits, ...(pseudonymize ? { pseudonymize } : {}) });
    fixErrors = fixed.errors;
    io.stderr.write(`trailproof: --fix redacted ${fixed.valuesRedacted} value${fixed.valuesRedacted === 1 ? "" : "s"} in ${fixed.filesChanged} file${fixed.filesChanged === 1 ? "" : "s"}\n`);
  }
  const progress = progressLine(io);
  const collectRecords = outputs.some((o) => o.format === "junit");
  // The baseline is read once: matched while checking, and pruned from the same entries.
  const accepted = baseline
    ? await import("../baseline.js").then(({ BaselineMatcher, readBaseline }) => {
        const data = readBaseline(baseline);
        return { data, matcher: new BaselineMatcher(data, baseline) };
      })
    : undefined;
  const matcher = accepted?.matcher;
  const { report, records, recordsNotListed } = await checkPathsDetailed(paths, { engine, stdin: io.stdin, limits, concurrency, onProgress: progress.update, collectRecords, filter, maxFindings, ...(matcher ? { baseline: matcher } : {}) });
  progress.done();
  let stale = 0;
  if (matcher && accepted) {
    const staleEntries = matcher.stale();
    stale = staleEntries.length;
    if (stale > 0 && values.prune) {
      const gone = new Set(staleEntries.map((e) => JSON.stringify(e)));
      await writeAtomic(matcher.file, JSON.stringify({ ...accepted.data, entries: accepted.data.entries.filter((e) => !gone.has(JSON.stringify(e))) }, null, 2) + "\n");
      io.stderr.write(`trailproof: pruned ${stale} stale baseline entr${stale === 1 ? "y" : "ies"} from ${matcher.file}\n`);
      report.baseline = { file: matcher.file, stale: 0 };
      stale = 0;
    } else if (stale > 0) {
      io.stderr.write(`trailproof: ${stale} baseline entr${stale === 1 ? "y matches" : "ies match"} no finding any more: run with --prune to drop ${stale === 1 ? "it" : "them"}\n`);
    }
  }
  for (const e of fixErrors) {
    report.inputErrors.push(toReportError(e));
    report.summary.inputErrors++;
  }
  if (values["strict-inputs"] === true) {
    for (const file of report.notLogs ?? []) {
      report.inputErrors.push(toReportError(new InputError("NOT_A_LOG", file, "not a CloudTrail log: no record, no Records/Events/logEvents wrapper, nothing with eventVersion, eventSource or eventName (--strict-inputs)")));
      report.summary.inputErrors++;
    }
  }
  for (const e of nothingChecked(paths, report, filter, io.cwd)) {
    report.inputErrors.push(toReportError(e));
    report.summary.inputErrors++;
  }
  const verdict = exitCodeFor(report, failOn);
  const code = verdict === EXIT.ok && stale > 0 ? EXIT.findings : verdict;
  const context = { cwd: io.cwd, rules: engine.rules.map((c) => ({ ...c.rule, severity: c.severity })), records, recordsNotListed, quiet: values.quiet === true, passed: code === EXIT.ok };
  for (const o of outputs) {
    const toTerminal = o.file === undefined;
    const output = (await formatter(o.format))(report, { ...context, color: toTerminal ? colorLevel(io.stdout, io.env) : 0 });
    if (o.format === "github" && io.env["GITHUB_STEP_SUMMARY"]) {
      const { githubSummary } = await import("../reporters/github.js");
      await appendFile(io.env["GITHUB_STEP_SUMMARY"], githubSummary(report) + "\n").catch(() => io.stderr.write("trailproof: cannot write $GITHUB_STEP_SUMMARY\n"));
    }
    if (toTerminal) await writeChunks(io.stdout, typeof output === "string" ? [output] : output);
    else await writeReport(o.file!, output);
  }
  return code;
}

async function commandBaseline(named: string[], values: Values, io: CliIo): Promise<number> {
  const { engine, limits, filter, concurrency, baseline, configured } = setup(values, io);
  const paths = pathsOrConfigured(named, configured, "baseline needs at least one path, or include: in .trailproof.yaml");
  const { buildBaseline, DEFAULT_BASELINE } = await import("../baseline.js");
  const file = values.output ?? baseline ?? join(io.cwd, DEFAULT_BASELINE);
  const report = await checkPaths(paths, { engine, stdin: io.stdin, limits, concurrency, filter });
  await writeReport(file, JSON.stringify(buildBaseline(report.findings, file), null, 2) + "\n");
  io.stdout.write(`trailproof: wrote ${report.findings.length} finding${report.findings.length === 1 ? "" : "s"} to ${sanitize(file)}\n`);
  if (report.summary.inputErrors > 0) io.stdout.write(formatText({ ...report, findings: [] }, { quiet: true }));
  return report.summary.inputErrors > 0 ? EXIT.input : EXIT.ok;
}


/** --format F or F=FILE, repeatable; --output FILE sends the one format without a file there. At most one goes to stdout. */
function parseFormats(values: Values): Array<{ format: FormatName; file: string | undefined }> {
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

/** A progress line on stderr for long runs, only when stderr is a terminal; silent otherwise. */
function progressLine(io: CliIo): { update: (p: { files: number; records: number }) => void; done: () => void } {
  const started = Date.now();
  let records = 0;
  let last = 0;
  let shown = false;
  if (!io.stderr.isTTY) return { update: () => undefined, done: () => undefined };
  return {
    update(p) {
      records += p.records;
      const now = Date.now();
      if (now - started < 1000 || now - last < 200) return;
      last = now;
      shown = true;
      const rate = Math.round(records / ((now - started) / 1000));
      io.stderr.write(`\r\u001b[2Ktrailproof: ${p.files} files, ${records} records, ${rate} records/s`);
    },
    done() {
      if (shown) io.stderr.write("\r\u001b[2K");
    },
  };
}

/** Configuration file, then flags on top: everything a command needs to run. */
function setup(values: Values, io: CliIo) {
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

function pathsOrConfigured(named: readonly string[], configured: readonly string[] | undefined, usage: string): string[] {
  if (named.length > 0) return [...named];
  if (configured) return [...configured];
  throw new UsageError(usage);
}

function pseudonymOption(values: Values): { pseudonymize?: { salt: string } } {
  if (!values.pseudonymize) {
    if (values.salt !== undefined) throw new UsageError("--salt goes with --pseudonymize");
    return {};
  }
  const salt = values.salt ?? process.env["TRAILPROOF_SALT"];
  if (!salt) throw new UsageError("--pseudonymize needs a salt: --salt SECRET or TRAILPROOF_SALT (keep it secret: it keys the pseudonyms)");
  return { pseudonymize: { salt } };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

/** A CloudTrail digest file's place in the delivery layout. */
const DIGEST_PATH = /(?:^|[\\/])CloudTrail-Digest[\\/]/;

async function commandRedact(paths: string[], values: Values, io: CliIo): Promise<number> {
  if (paths.length === 0) throw new UsageError("redact needs at least one path (a file, a directory, or - for stdin)");
  const { engine, limits, pseudonymize, failOn, profile } = setup(values, io);
  const out = values.output;
  const single = paths.length === 1 && (paths[0] === "-" || !(await isDirectory(paths[0]!)));
  let mode: "stdout" | "file" | "dir";
  if (out === undefined) {
    if (!single) throw new UsageError("redact writes copies: give --output DIR for several inputs or a directory (check --fix rewrites in place)");
    mode = "stdout";
  } else mode = single && !out.endsWith("/") && !(await isDirectory(out)) ? "file" : "dir";

  const remaining: Finding[] = [];
  const errors: InputError[] = [];
  let files = 0;
  let changed = 0;
  let redactedValues = 0;
  const { redactInputs } = await import("../redactor/files.js");
  const { copyPath } = await import("../redactor/redact.js");
  const options = pseudonymize ? { pseudonymize } : {};
  // Pseudonymized copies leave out what would name the real identities: files the walk does not read (other
  // services' deliveries, never pseudonymized) and digest files (each names its account, bucket and logs).
  let leftOut = 0;
  // Into a directory, the copy is the whole input tree: what the walk passes over is copied as it is.
  for await (const r of redactInputs(paths, { engine, limits, stdin: io.stdin, passedOver: mode === "dir", ...options })) {
    if (pseudonymize && mode === "dir" && (r.passedOver || DIGEST_PATH.test(r.file))) {
      leftOut++;
      continue;
    }
    if (r.passedOver) {
      const target = join(out!, relative(r.root, r.file));
      try {
        await mkdir(dirname(target), { recursive: true });
        await copyFile(r.file, target);
      } catch (e) {
        errors.push(new InputError("READ", r.file, `cannot copy to ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
      }
      continue;
    }
    errors.push(...r.errors);
    remaining.push(...r.remaining);
    if (r.errors.length > 0) continue; // never copy what could not be read: it may hold a leak we could not see
    files++;
    if (r.bytes) {
      changed++;
      redactedValues += r.changes.length;
    }
    const data = r.bytes ?? r.original;
    if (mode === "stdout") io.stdout.write(data);
    else {
      const target = mode === "file" ? out! : join(out!, copyPath((await isDirectory(r.root)) ? relative(r.root, r.file) : basename(r.file === "-" ? "stdin.json" : r.file), options));
      try {
        await mkdir(dirname(target), { recursive: true });
        await writeAtomic(target, data);
      } catch (e) {
        throw new ConfigError(`cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, target);
      }
    }
  }
  const report: Report = {
    tool: { name: "trailproof", version: VERSION },
    profile,
    summary: {
      files,
      records: 0,
      recordsFailed: new Set(remaining.map((f) => `${f.file}\u0000${f.record}`)).size,
      recordsFound: 0,
      recordsUnreadable: 0,
      findings: { error: 0, warning: 0, info: 0 },
      inputErrors: errors.length,
    },
    findings: remaining,
    inputErrors: errors.map(toReportError),
  };
  for (const f of remaining) report.summary.findings[f.severity]++;
  if (leftOut > 0) io.stderr.write(`trailproof: --pseudonymize: ${leftOut} file${leftOut === 1 ? "" : "s"} left out of the copy (digest files and files that are not CloudTrail logs would name the real identities)\n`);
  io.stderr.write(`trailproof: redacted ${redactedValues} value${redactedValues === 1 ? "" : "s"} in ${changed} of ${files} file${files === 1 ? "" : "s"}` + (remaining.length ? `; ${remaining.length} finding${remaining.length === 1 ? "" : "s"} redaction cannot fix:\n` : "\n"));
  if (remaining.length || errors.length) io.stderr.write(formatText(report, { color: colorLevel(io.stderr, io.env) }).split("\n").filter((l) => !l.startsWith("✔") && !l.startsWith("✖")).join("\n"));
  return exitCodeFor(report, failOn);
}

function commandRules(values: Values, io: CliIo): number {
  const format = oneOf("format", values.format?.[0], ["text", "json"] as const, "text");
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
