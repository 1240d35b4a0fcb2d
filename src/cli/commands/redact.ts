/** trailproof redact: compliant copies of the inputs (a file, stdout, or a whole tree). */
import { copyFile, mkdir } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { VERSION } from "../../assets.js";
import { toReportError } from "../../check.js";
import { writeAtomic } from "../../io/atomic.js";
import type { Finding } from "../../engine/types.js";
import { ConfigError, InputError, UsageError } from "../../errors.js";
import type { Report } from "../../generated/report.js";
import { formatText } from "../../reporters/text.js";
import { isDigestPath } from "../../readers/sources.js";
import { type CliIo, colorLevel, exitCodeFor } from "../io.js";
import { type Values, isDirectory, setup } from "../options.js";

export async function commandRedact(paths: string[], values: Values, io: CliIo): Promise<number> {
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
  const { redactInputs } = await import("../../redactor/files.js");
  const { copyPath } = await import("../../redactor/redact.js");
  const options = pseudonymize ? { pseudonymize } : {};
  // Pseudonymized copies leave out what would name the real identities: files the walk does not read (other
  // services' deliveries, never pseudonymized) and digest files (each names its account, bucket and logs).
  let leftOut = 0;
  // Into a directory, the copy is the whole input tree: what the walk passes over is copied as it is.
  for await (const r of redactInputs(paths, { engine, limits, stdin: io.stdin, passedOver: mode === "dir", ...options })) {
    if (pseudonymize && mode === "dir" && (r.passedOver || isDigestPath(r.file))) {
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
