/** The human report: findings grouped by file and record, then input errors, then one summary line. */
import { Chalk, type ChalkInstance } from "chalk";
import type { Finding, Report, Severity } from "../generated/report.js";
import { sanitize } from "./sanitize.js";

export interface TextOptions {
  /** The verdict, when the caller knows it (the CLI's exit code): the summary's mark follows it. */
  passed?: boolean;
  /** Colour level: 0 none, 1 basic, 2 256, 3 truecolor. */
  color?: 0 | 1 | 2 | 3;
  /** Only the summary and input errors. */
  quiet?: boolean;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export function formatText(report: Report, options: TextOptions = {}): string {
  const c = new Chalk({ level: options.color ?? 0 });
  const sev: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const lines: string[] = [];

  if (!options.quiet) {
    let file: string | undefined;
    let record: number | undefined;
    for (const f of report.findings) {
      if (f.file !== file) {
        if (file !== undefined) lines.push("");
        file = f.file;
        record = undefined;
        lines.push(c.underline(sanitize(f.file || "(records)")));
      }
      if (f.record !== record) {
        record = f.record;
        lines.push(`  ${c.bold(`record ${f.record}`)}${recordLabel(f, c)}`);
      }
      lines.push(`    ${sev[f.severity](f.severity.padEnd(7))} ${c.dim(f.ruleId)}  ${sanitize(f.message)}`);
      lines.push(`            ${c.dim(`at ${sanitize(f.path || "/")}`)}`);
    }
    if (report.findings.length > 0) lines.push("");
    const notListed = report.summary.findingsNotListed ?? 0;
    if (notListed > 0) lines.push(c.bold(`... and ${plural(notListed, "more finding")} not listed (the listing stops at ${plural(report.findings.length, "finding")}: --max-findings)`), "");
  }
  if (!options.quiet && (report.notLogs?.length ?? 0) > 0) {
    for (const file of report.notLogs!) lines.push(`${c.underline(sanitize(file))}: ${c.blue("note")}  not a CloudTrail log, skipped (checked for document payloads only)`);
    lines.push("");
  }
  if (report.inputErrors.length > 0) {
    lines.push(c.bold("Input errors:"));
    for (const e of report.inputErrors) {
      const where = [e.line !== undefined ? `line ${e.line}` : "", e.record !== undefined ? `record ${e.record}` : ""].filter(Boolean).join(", ");
      lines.push(`  ${c.red("input")}  ${sanitize(e.file)}${where ? ` (${where})` : ""}: ${sanitize(e.message)}`);
    }
    const errorsNotListed = report.summary.inputErrorsNotListed ?? 0;
    if (errorsNotListed > 0) lines.push(c.bold(`  ... and ${plural(errorsNotListed, "more input error")} not listed (--max-findings)`));
    lines.push("");
  }
  lines.push(summaryLine(report, c, options.passed));
  return lines.join("\n") + "\n";
}

function recordLabel(f: Finding, c: ChalkInstance): string {
  const parts = [f.eventName ? sanitize(f.eventName) : "", f.eventID ? c.dim(sanitize(f.eventID)) : ""].filter(Boolean);
  return parts.length ? `  ${parts.join("  ")}` : "";
}

export function summaryLine(report: Report, c: ChalkInstance = new Chalk({ level: 0 }), passed?: boolean): string {
  const s = report.summary;
  // The mark is the verdict's (--fail-on never passes with findings; a stale baseline fails without any).
  const clean = passed ?? (s.findings.error + s.findings.warning + s.findings.info === 0 && s.inputErrors === 0);
  const mark = clean ? c.green("✔") : c.red("✖");
  return (
    `${mark} ${plural(s.files, "file")}, ${plural(s.records, "record")} checked, ${s.recordsFailed} failed` +
    `${s.recordsUnreadable > 0 ? `, ${s.recordsUnreadable} unreadable` : ""}; ` +
    `${plural(s.findings.error, "error")}, ${plural(s.findings.warning, "warning")}, ${s.findings.info} info; ` +
    `${plural(s.inputErrors, "input error")}` +
    (s.filesNotLogs ? `; ${plural(s.filesNotLogs, "file")} not a CloudTrail log, skipped` : "") +
    (s.suppressed ? `; ${s.suppressed} suppressed by the baseline` : "") +
    (report.baseline?.stale ? `; ${plural(report.baseline.stale, "stale baseline entry")}`.replace("entrys", "entries") : "")
  );
}
