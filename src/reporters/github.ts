/** GitHub Actions workflow commands (annotations) and a step summary table. */
import { relative } from "node:path";
import type { Finding, Report, Severity } from "../generated/report.js";
import { sanitize } from "./sanitize.js";

/** GitHub shows at most this many annotations of each kind per step. */
export const ANNOTATIONS_SHOWN = 10;
const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Escaping of the Actions toolkit: message data (%, CR, LF) and, in properties, also ':' and ','. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatGithub(report: Report, cwd: string): string {
  const lines: string[] = [];
  const sorted = [...report.findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const shown: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const hidden: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of sorted) {
    if (shown[f.severity] >= ANNOTATIONS_SHOWN) {
      hidden[f.severity]++;
      continue;
    }
    shown[f.severity]++;
    lines.push(annotation(f, cwd));
  }
  for (const e of report.inputErrors) {
    lines.push(`::error file=${escapeProperty(rel(e.file, cwd))}${e.line ? `,line=${e.line}` : ""},title=${escapeProperty("trailproof: input error")}::${escapeData(sanitize(e.message))}`);
  }
  for (const sev of ["error", "warning", "info"] as const) {
    if (hidden[sev] > 0) lines.push(`trailproof: ${hidden[sev]} more ${sev} finding${hidden[sev] === 1 ? "" : "s"} not shown as annotations (GitHub shows ${ANNOTATIONS_SHOWN} per kind); see the full report`);
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}

function rel(file: string, cwd: string): string {
  if (file === "-" || file === "") return "stdin";
  const r = relative(cwd, file);
  return r.startsWith("..") ? file : r;
}

function annotation(f: Finding, cwd: string): string {
  const props = [`file=${escapeProperty(sanitize(rel(f.file, cwd)))}`];
  if (f.line) props.push(`line=${f.line}`);
  if (f.column) props.push(`col=${f.column}`);
  if (f.endLine) props.push(`endLine=${f.endLine}`);
  if (f.endColumn && f.endLine === f.line) props.push(`endColumn=${f.endColumn}`);
  props.push(`title=${escapeProperty(`trailproof ${f.ruleId}`)}`);
  const message = `${sanitize(f.message)} (record ${f.record}${f.eventName ? ` ${sanitize(f.eventName)}` : ""}, ${sanitize(f.path || "/")})`;
  return `::${COMMAND[f.severity]} ${props.join(",")}::${escapeData(message)}`;
}

/** Markdown for $GITHUB_STEP_SUMMARY: totals and findings per rule. */
export function githubSummary(report: Report): string {
  const s = report.summary;
  const byRule = new Map<string, { severity: Severity; count: number }>();
  for (const f of report.findings) byRule.set(f.ruleId, { severity: f.severity, count: (byRule.get(f.ruleId)?.count ?? 0) + 1 });
  const rows = [...byRule].sort((a, b) => RANK[a[1].severity] - RANK[b[1].severity] || b[1].count - a[1].count).map(([id, v]) => `| \`${id}\` | ${v.severity} | ${v.count} |`);
  return [
    "### trailproof",
    "",
    `${s.files} files, ${s.records} records checked, ${s.recordsFailed} failed; ${s.findings.error} errors, ${s.findings.warning} warnings, ${s.findings.info} info; ${s.inputErrors} input errors`,
    "",
    ...(s.findingsNotListed ? [`The table counts the ${report.findings.length} findings listed; ${s.findingsNotListed} more are not listed (--max-findings).`, ""] : []),
    ...(s.inputErrorsNotListed ? [`${s.inputErrorsNotListed} input errors are counted but not annotated (--max-findings).`, ""] : []),
    ...(rows.length ? ["| rule | severity | findings |", "|---|---|---|", ...rows, ""] : ["No findings.", ""]),
  ].join("\n");
}
