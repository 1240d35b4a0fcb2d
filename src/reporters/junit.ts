/** JUnit XML: one testsuite per file, one testcase per record (unique names), passing cases for clean records. */
import type { Finding, Report } from "../generated/report.js";
import { sanitize } from "./sanitize.js";

export interface RecordSeen {
  readonly file: string;
  readonly index: number;
  readonly eventID: string | null;
  readonly eventName: string | null;
  /** The record had findings (they may be past the listing cap, --max-findings). */
  readonly failed?: boolean;
}

/** Per file, records past the listing cap: JUnit shows them as one passing and one failing case. */
export type RecordsNotListed = ReadonlyMap<string, { readonly passed: number; readonly failed: number }>;

/** XML 1.0 text: control characters escaped visibly first (they are not allowed raw), then markup. */
export function xml(text: string): string {
  return sanitize(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** A failing case whose findings are past the listing cap (--max-findings). */
const notListedCase = (file: string, name: string): string =>
  `    <testcase classname="${xml(file)}" name="${xml(name)}">\n      <failure type="not-listed" message="findings not listed (--max-findings)"/>\n    </testcase>`;

export function formatJunit(report: Report, records: readonly RecordSeen[], notListed: RecordsNotListed = new Map()): string {
  const byFile = new Map<string, { records: RecordSeen[]; findings: Map<number, Finding[]> }>();
  const suite = (file: string) => {
    let s = byFile.get(file);
    if (!s) byFile.set(file, (s = { records: [], findings: new Map() }));
    return s;
  };
  for (const r of records) suite(r.file).records.push(r);
  for (const file of notListed.keys()) suite(file);
  for (const f of report.findings) {
    const s = suite(f.file);
    const list = s.findings.get(f.record) ?? [];
    list.push(f);
    s.findings.set(f.record, list);
  }
  const errorsByFile = new Map<string, typeof report.inputErrors>();
  for (const e of report.inputErrors) {
    errorsByFile.set(e.file, [...(errorsByFile.get(e.file) ?? []), e]);
    suite(e.file);
  }
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  let tests = 0;
  let failures = 0;
  const suites: string[] = [];
  for (const [file, s] of byFile) {
    const cases: string[] = [];
    let suiteFailures = 0;
    const errors = errorsByFile.get(file) ?? [];
    const seen = new Set(s.records.map((r) => r.index));
    const rows = [...s.records];
    for (const index of s.findings.keys()) if (!seen.has(index)) rows.push({ file, index, eventID: null, eventName: null });
    rows.sort((a, b) => a.index - b.index);
    for (const r of rows) {
      const name = `record ${r.index}${r.eventName ? ` ${r.eventName}` : ""}${r.eventID ? ` ${r.eventID}` : ""}`;
      const found = s.findings.get(r.index) ?? [];
      if (found.length === 0 && r.failed) {
        // Its findings are past the listing cap: still a failure, never a passing case.
        suiteFailures++;
        cases.push(notListedCase(file, name));
        continue;
      }
      if (found.length === 0) {
        cases.push(`    <testcase classname="${xml(file)}" name="${xml(name)}"/>`);
        continue;
      }
      suiteFailures++;
      const body = found.map((f) => `${f.severity} ${f.ruleId} at ${f.path || "/"}${f.line ? ` (line ${f.line}, column ${f.column})` : ""}: ${f.message}`).join("\n");
      const text = body.split("\n").map(xml).join("\n"); // keep the line breaks, escape everything else
      cases.push(`    <testcase classname="${xml(file)}" name="${xml(name)}">\n      <failure type="${xml(found[0]!.ruleId)}" message="${xml(found.map((f) => f.ruleId).join(", "))}">${text}</failure>\n    </testcase>`);
    }
    // Records past the listing cap (--max-findings): one case each for the clean and the failed ones.
    const { passed = 0, failed = 0 } = notListed.get(file) ?? {};
    if (passed > 0) cases.push(`    <testcase classname="${xml(file)}" name="${passed} more clean record${passed === 1 ? "" : "s"} (not listed: --max-findings)"/>`);
    if (failed > 0) {
      suiteFailures++;
      cases.push(notListedCase(file, `${failed} more failed record${failed === 1 ? "" : "s"} (not listed: --max-findings)`));
    }
    const aggregates = (passed > 0 ? 1 : 0) + (failed > 0 ? 1 : 0);
    errors.forEach((e, i) => {
      cases.push(`    <testcase classname="${xml(file)}" name="${xml(`input error ${i + 1}`)}">\n      <error type="${xml(e.code ?? "input")}" message="${xml(e.message)}"/>\n    </testcase>`);
    });
    tests += rows.length + aggregates + errors.length;
    failures += suiteFailures;
    suites.push(`  <testsuite name="${xml(file || "(records)")}" tests="${rows.length + aggregates + errors.length}" failures="${suiteFailures}" errors="${errors.length}">\n${cases.join("\n")}\n  </testsuite>`);
  }
  out.push(`<testsuites name="trailproof" tests="${tests}" failures="${failures}" errors="${report.inputErrors.length}">`);
  out.push(...suites, "</testsuites>");
  return out.join("\n") + "\n";
}
