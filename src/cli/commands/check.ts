/** trailproof check: read, check, report, and the exit code that decides the build. */
import { appendFile } from "node:fs/promises";
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { checkPathsDetailed, toReportError } from "../../check.js";
import { writeAtomic } from "../../io/atomic.js";
import { InputError, UsageError } from "../../errors.js";
import type { Report } from "../../generated/report.js";
import { formatter } from "../../reporters/registry.js";
import { type CliIo, EXIT, colorLevel, exitCodeFor, progressLine, writeChunks, writeReport } from "../io.js";
import { type Values, parseFormats, pathsOrConfigured, setup } from "../options.js";

/**
 * Fail closed: zero records checked is never a pass, and a file named on the command line that the
 * configuration excludes is said to be so (an include: typo once passed a tree of leaks with exit 0).
 */
export function nothingChecked(paths: readonly string[], report: Report, filter: ((file: string) => boolean) | undefined, cwd: string): InputError[] {
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

export async function commandCheck(named: string[], values: Values, io: CliIo): Promise<number> {
  const outputs = parseFormats(values);
  const { engine, limits, pseudonymize, failOn, filter, baseline, concurrency, maxFindings, configured } = setup(values, io);
  const paths = pathsOrConfigured(named, configured, "check needs at least one path (a file, a directory, or - for stdin), or include: in .trailproof.yaml");
  if (pseudonymize && !values.fix) throw new UsageError("--pseudonymize rewrites records: use it with --fix, or with redact");
  if (values.prune && !baseline) throw new UsageError("--prune needs a baseline (--baseline FILE or baseline: in the configuration)");
  let fixErrors: InputError[] = [];
  if (values.fix) {
    if (paths.includes("-")) throw new UsageError("--fix rewrites files in place; it cannot fix stdin (use: trailproof redact -)");
    const { fixInPlace } = await import("../../redactor/files.js"); // loaded only when fixing (start-up time)
    const fixed = await fixInPlace(paths, { engine, limits, ...(pseudonymize ? { pseudonymize } : {}) });
    fixErrors = fixed.errors;
    io.stderr.write(`trailproof: --fix redacted ${fixed.valuesRedacted} value${fixed.valuesRedacted === 1 ? "" : "s"} in ${fixed.filesChanged} file${fixed.filesChanged === 1 ? "" : "s"}\n`);
  }
  const progress = progressLine(io);
  const collectRecords = outputs.some((o) => o.format === "junit");
  // The baseline is read once: matched while checking, and pruned from the same entries.
  const accepted = baseline
    ? await import("../../baseline.js").then(({ BaselineMatcher, readBaseline }) => {
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
      const { githubSummary } = await import("../../reporters/github.js");
      await appendFile(io.env["GITHUB_STEP_SUMMARY"], githubSummary(report) + "\n").catch(() => io.stderr.write("trailproof: cannot write $GITHUB_STEP_SUMMARY\n"));
    }
    if (toTerminal) await writeChunks(io.stdout, typeof output === "string" ? [output] : output);
    else await writeReport(o.file!, output);
  }
  return code;
}
