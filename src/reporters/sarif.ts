/** SARIF 2.1.0 for code scanning: rules with help and default levels, results with regions, logical locations and stable fingerprints. */
import { createHash } from "node:crypto";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding, Report, Severity } from "../generated/report.js";
import type { LoadedRule } from "../rules/load.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

export interface SarifContext {
  /** Paths in the report are made relative to this directory (the repository root, usually the working directory). */
  readonly cwd: string;
  readonly rules: readonly LoadedRule[];
}

/** A file's URI relative to the source root, with forward slashes and percent-encoding. */
export function artifactUri(file: string, cwd: string): string {
  if (file === "-" || file === "") return "stdin";
  const rel = relative(cwd, resolve(cwd, file));
  // Outside the source root a relative reference cannot be resolved against it: use an absolute file URI.
  if (rel.startsWith("..") || isAbsolute(rel)) return pathToFileURL(resolve(cwd, file)).href;
  return rel.split(sep).map(encodeURIComponent).join("/");
}

/** The artifact location: relative to %SRCROOT% inside the source root, absolute outside it. */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const uri = artifactUri(file, cwd);
  return uri.startsWith("file:") ? { uri } : { uri, uriBaseId: "%SRCROOT%" };
}

/** Stable across runs and unrelated edits: rule, file, record key (eventID, else index), path, evidence hash. */
export function fingerprint(f: Finding, uri: string): string {
  const key = f.eventID ?? `#${f.record}`;
  return createHash("sha256").update([f.ruleId, uri, key, f.path, f.evidence?.sha256 ?? ""].join("\u0000")).digest("hex").slice(0, 32);
}

const pascal = (id: string): string => id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

export function formatSarif(report: Report, ctx: SarifContext): string {
  const rules = [...ctx.rules];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const suppressed = new Set(report.suppressed ?? []);
  const results = [...report.findings, ...(report.suppressed ?? [])].map((f) => {
    const uri = artifactUri(f.file, ctx.cwd);
    const region: Record<string, number> = { startLine: f.line ?? 1 };
    if (f.column !== undefined) region["startColumn"] = f.column;
    if (f.endLine !== undefined) region["endLine"] = f.endLine;
    if (f.endColumn !== undefined) region["endColumn"] = f.endColumn;
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: { artifactLocation: artifactLocation(f.file, ctx.cwd), region },
          logicalLocations: [{ name: `record ${f.record}${f.path}`, fullyQualifiedName: `${uri}#record[${f.record}]${f.path}`, kind: "element" }],
        },
      ],
      partialFingerprints: { "trailproof/v1": fingerprint(f, uri) },
    };
    const i = index.get(f.ruleId);
    if (i !== undefined) result["ruleIndex"] = i;
    if (suppressed.has(f)) result["suppressions"] = [{ kind: "external", justification: "listed in the trailproof baseline" }];
    return result;
  });
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "trailproof",
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: "https://www.npmjs.com/package/trailproof",
            rules: rules.map((r) => ({
              id: r.id,
              name: pascal(r.id),
              shortDescription: { text: r.description },
              fullDescription: { text: r.rationale ?? r.description },
              help: { text: `${r.description}\n\n${r.rationale ?? ""}`.trim(), markdown: `**${r.id}** (${r.severity})\n\n${r.description}\n\n${r.rationale ?? ""}`.trim() },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: r.leak ? ["security", "privacy", "leak"] : ["correctness"], pack: r.pack },
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(ctx.cwd.endsWith(sep) ? ctx.cwd : ctx.cwd + sep).href } },
        invocations: [
          {
            executionSuccessful: report.summary.inputErrors === 0,
            toolExecutionNotifications: [
              ...report.inputErrors.map((e) => ({
                level: "error",
                message: { text: `${e.message}` },
                locations: [{ physicalLocation: { artifactLocation: artifactLocation(e.file, ctx.cwd), ...(e.line ? { region: { startLine: e.line } } : {}) } }],
                descriptor: { id: `input-${(e.code ?? "error").toLowerCase()}` },
              })),
              ...(report.summary.findingsNotListed
                ? [{ level: "note", message: { text: `${report.summary.findingsNotListed} more findings are counted but not listed (--max-findings)` }, descriptor: { id: "findings-not-listed" } }]
                : []),
              ...(report.summary.inputErrorsNotListed
                ? [{ level: "error", message: { text: `${report.summary.inputErrorsNotListed} more input errors are counted but not listed (--max-findings)` }, descriptor: { id: "input-errors-not-listed" } }]
                : []),
            ],
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
