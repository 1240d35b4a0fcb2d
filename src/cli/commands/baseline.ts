/** trailproof baseline: accept today's findings. */
import { join } from "node:path";
import { checkPaths } from "../../check.js";
import { sanitize } from "../../reporters/sanitize.js";
import { formatText } from "../../reporters/text.js";
import { type CliIo, EXIT, writeReport } from "../io.js";
import { type Values, pathsOrConfigured, setup } from "../options.js";

export async function commandBaseline(named: string[], values: Values, io: CliIo): Promise<number> {
  const { engine, limits, filter, concurrency, baseline, configured } = setup(values, io);
  const paths = pathsOrConfigured(named, configured, "baseline needs at least one path, or include: in .trailproof.yaml");
  const { buildBaseline, DEFAULT_BASELINE } = await import("../../baseline.js");
  const file = values.output ?? baseline ?? join(io.cwd, DEFAULT_BASELINE);
  const report = await checkPaths(paths, { engine, stdin: io.stdin, limits, concurrency, filter });
  await writeReport(file, JSON.stringify(buildBaseline(report.findings, file), null, 2) + "\n");
  io.stdout.write(`trailproof: wrote ${report.findings.length} finding${report.findings.length === 1 ? "" : "s"} to ${sanitize(file)}\n`);
  if (report.summary.inputErrors > 0) io.stdout.write(formatText({ ...report, findings: [] }, { quiet: true }));
  return report.summary.inputErrors > 0 ? EXIT.input : EXIT.ok;
}
