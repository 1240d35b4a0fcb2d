import type { Report } from "../../src/generated/report.js";
import { ROOT } from "./paths.js";

/** Golden reports compare without the tool version and with paths relative to the repository. */
export function normalise(report: Report): Report {
  const relPath = (f: string) => (f.startsWith(ROOT) ? f.slice(ROOT.length) : f);
  return {
    ...report,
    tool: { name: report.tool.name, version: "(any)" },
    findings: report.findings.map((f) => ({ ...f, file: relPath(f.file) })),
    inputErrors: report.inputErrors.map((e) => ({ ...e, file: relPath(e.file) })),
  };
}
