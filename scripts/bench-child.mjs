// One measurement in a fresh process (so peak RSS is its own): prints a JSON line.
//   node scripts/bench-child.mjs parse-limit DIR|FILE
//   node scripts/bench-child.mjs check DIR|FILE off|auto|N
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
const [mode, target, concurrency] = process.argv.slice(2);
const started = performance.now();
let records = 0;
let findings = 0;

if (mode === "parse-limit") {
  // The floor: gunzip + cut each record out of the stream + JSON.parse each record, one core. The
  // bytes come through trailproof's own streamInto (the same reading and decompression as a check).
  const { JsonRecordSplitter } = await import("../dist/src/readers/splitter.js");
  // Like a check, the next file is read ahead while this one is cut and parsed.
  const { readingAhead } = await import("../dist/src/readers/stream.js");
  const files = statSync(target).isDirectory() ? readdirSync(target, { recursive: true }).map(String).filter((f) => /\.(json|ndjson)(\.gz)?$/.test(f)).sort().map((f) => join(target, f)) : [target];
  const onPiece = (p) => {
    const v = JSON.parse(p.text.toString("utf8"));
    if (v) records += v.Records ? v.Records.length : 1;
  };
  for await (const [, source] of readingAhead(files, (f) => f)) {
    const splitter = new JsonRecordSplitter();
    await source.into({ push: (chunk) => splitter.push(chunk, onPiece), end: () => splitter.end(onPiece) });
  }
} else {
  const { checkPaths } = await import("../dist/src/check.js");
  // As the CLI runs by default: the listing capped at 10,000 findings (--max-findings; counts stay exact).
  const report = await checkPaths([target], { concurrency: concurrency === "auto" || concurrency === "off" ? concurrency : Number(concurrency), maxFindings: 10_000 });
  records = report.summary.records;
  findings = report.summary.findings.error + report.summary.findings.warning + report.summary.findings.info;
}
const ms = performance.now() - started;
console.log(JSON.stringify({ mode, records, findings, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
