/**
 * Report formats by name: each a pure function from a report (and what the format needs besides) to
 * its output, loaded only when asked for (start-up time: a text report loads no SARIF code). The CLI
 * looks a format up here and writes what it returns; a new format is a module and a line below.
 */
import type { Report } from "../generated/report.js";
import type { LoadedRule } from "../rules/load.js";
import type { RecordSeen, RecordsNotListed } from "./junit.js";

export interface FormatContext {
  /** Paths are made relative to this directory (SARIF, GitHub annotations). */
  readonly cwd: string;
  /** The rules as run, with their severities (SARIF's rule descriptors). */
  readonly rules: readonly LoadedRule[];
  /** Records seen, for JUnit (which lists clean records too), and per file those past the listing cap. */
  readonly records: readonly RecordSeen[];
  readonly recordsNotListed: RecordsNotListed;
  /** Text: a chalk colour level (0: none), only the summary and input errors, and whether the run passed (the mark). */
  readonly color: 0 | 1 | 2 | 3;
  readonly quiet: boolean;
  readonly passed: boolean;
}

/** Output as one string, or as chunks (a report of hundreds of thousands of findings is never one string). */
export type Formatter = (report: Report, context: FormatContext) => string | Iterable<string>;

export const FORMATS = ["text", "json", "sarif", "junit", "github"] as const;
export type FormatName = (typeof FORMATS)[number];

const LOADERS: Record<FormatName, () => Promise<Formatter>> = {
  text: async () => {
    const { formatText } = await import("./text.js");
    return (report, c) => formatText(report, { color: c.color, quiet: c.quiet, passed: c.passed });
  },
  json: async () => (await import("./json.js")).formatJsonChunks,
  sarif: async () => {
    const { formatSarif } = await import("./sarif.js");
    return (report, c) => formatSarif(report, { cwd: c.cwd, rules: c.rules });
  },
  junit: async () => {
    const { formatJunit } = await import("./junit.js");
    return (report, c) => formatJunit(report, c.records, c.recordsNotListed);
  },
  github: async () => {
    const { formatGithub } = await import("./github.js");
    return (report, c) => formatGithub(report, c.cwd);
  },
};

/** The formatter named `name`. */
export function formatter(name: FormatName): Promise<Formatter> {
  return LOADERS[name]();
}
