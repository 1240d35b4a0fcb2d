import type { Report } from "../generated/report.js";

/** Findings per chunk of the streamed report. */
const CHUNK_FINDINGS = 512;

/**
 * The JSON report (schemas/report.schema.json) as chunks of text, byte for byte what
 * `JSON.stringify(report, null, 2)` gives, but never as one string: a run with hundreds of
 * thousands of findings is written out piece by piece. JSON escaping keeps it well-formed
 * whatever the input held.
 */
export function* formatJsonChunks(report: Report): Generator<string> {
  const members = Object.entries(report).filter(([, v]) => v !== undefined);
  yield "{";
  for (let m = 0; m < members.length; m++) {
    const [key, value] = members[m]!;
    yield `${m ? "," : ""}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      // Array members one by one, indented as JSON.stringify indents them.
      let chunk = "[";
      for (let i = 0; i < value.length; i++) {
        chunk += `${i ? "," : ""}\n    ${(JSON.stringify(value[i], null, 2) ?? "null").replace(/\n/g, "\n    ")}`;
        if ((i + 1) % CHUNK_FINDINGS === 0) {
          yield chunk;
          chunk = "";
        }
      }
      yield `${chunk}\n  ]`;
    } else yield JSON.stringify(value, null, 2).replace(/\n/g, "\n  ");
  }
  yield members.length ? "\n}\n" : "}\n";
}

/** The JSON report as one string (see formatJsonChunks). */
export function formatJson(report: Report): string {
  return [...formatJsonChunks(report)].join("");
}
