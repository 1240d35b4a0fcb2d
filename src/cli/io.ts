/** What the CLI writes and answers: its streams, exit codes, colour, reports to files, progress. */
import { writeAtomic } from "../io/atomic.js";
import type { Severity } from "../engine/types.js";
import { ConfigError } from "../errors.js";
import type { Report } from "../generated/report.js";

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const EXIT = { ok: 0, findings: 1, usage: 2, input: 3 } as const;

export type FailOn = Severity | "never";

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

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

export async function writeReport(path: string, text: string | Iterable<string>): Promise<void> {
  try {
    await writeAtomic(path, text);
  } catch (e) {
    throw new ConfigError(`cannot write the report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path);
  }
}

/** Writes chunks to a stream, waiting whenever it asks to (a slow pipe does not make them pile up). */
export async function writeChunks(out: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
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

/** A progress line on stderr for long runs, only when stderr is a terminal; silent otherwise. */
export function progressLine(io: CliIo): { update: (p: { files: number; records: number }) => void; done: () => void } {
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

export function exitCodeFor(report: Report, failOn: FailOn): number {
  if (report.summary.inputErrors > 0) return EXIT.input;
  if (failOn === "never") return EXIT.ok;
  const threshold = SEVERITY_RANK[failOn];
  // From the counts, which stay exact when the listing is capped (--max-findings).
  return (Object.keys(SEVERITY_RANK) as Severity[]).some((s) => SEVERITY_RANK[s] >= threshold && report.summary.findings[s] > 0) ? EXIT.findings : EXIT.ok;
}
