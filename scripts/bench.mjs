// npm run bench [-- --records N --runs N --huge-mb N --ndjson-mb N --big-record-mb N --big-records N --small --instructions]
// Generates a deterministic realistic corpus (scripts/lib/trail.mjs) under .bench/, then prints, in
// one run: the parse limit, trailproof single-threaded and with workers, their ratios, peak RSS,
// what two cores give here, the huge-file cases, records of several MB back to back, the 20 MB
// file and the pre-commit case. Each figure is the median of --runs.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createGzip, gunzipSync, gzipSync } from "node:zlib";
import { bigPayloadRecordText, recordPool, recordText } from "./lib/trail.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const small = process.argv.includes("--small");
const P = {
  records: arg("records", small ? 5000 : 500_000),
  runs: arg("runs", small ? 1 : 3),
  hugeMB: arg("huge-mb", small ? 8 : 1500),
  ndjsonMB: arg("ndjson-mb", small ? 4 : 1000),
  bigRecordMB: arg("big-record-mb", small ? 1 : 8),
  bigRecords: arg("big-records", small ? 3 : 36),
};
const dir = join(root, ".bench", `v2-r${P.records}-h${P.hugeMB}-n${P.ndjsonMB}`);
const cli = join(root, "dist/bundle/main.js");
const child = join(root, "scripts/bench-child.mjs");
const pool = recordPool();

async function writeStream(path, gz, produce) {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const sink = gz ? createGzip({ level: 6 }) : out;
  if (gz) sink.pipe(out);
  for (const chunk of produce()) if (!sink.write(chunk)) await new Promise((r) => sink.once("drain", r));
  sink.end();
  await new Promise((r) => out.on("close", r));
}

function* recordsFile(from, count, asNdjson) {
  if (!asNdjson) yield '{"Records":[';
  let batch = "";
  for (let i = 0; i < count; i++) {
    batch += (asNdjson ? "" : i ? "," : "") + recordText(pool, from + i) + (asNdjson ? "\n" : "");
    if (batch.length > 1 << 16) {
      yield batch;
      batch = "";
    }
  }
  yield batch + (asNdjson ? "" : "]}");
}

function recordsForMB(mb) {
  return Math.floor((mb * 1024 * 1024) / (pool.reduce((a, b) => a + b.length, 0) / pool.length + 1));
}

async function generate() {
  if (existsSync(join(dir, "done"))) return;
  rmSync(dir, { recursive: true, force: true });
  console.error(`generating ${dir} ...`);
  // S3 delivery layout: 100-1000 records per .json.gz.
  let n = 0;
  for (let f = 0; n < P.records; f++) {
    const count = Math.min(P.records - n, 100 + ((f * 379) % 901));
    const name = `trail/AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/${String(1 + (f % 28)).padStart(2, "0")}/111122223333_CloudTrail_us-east-1_20260304T${String(f % 2400).padStart(4, "0")}Z_${String(f).padStart(16, "0")}.json.gz`;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), gzipSync([...recordsFile(n, count, false)].join(""), { level: 6 }));
    n += count;
  }
  await writeStream(join(dir, "twenty.json"), false, () => recordsFile(0, recordsForMB(20), false));
  for (let i = 0; i < 5; i++) writeFileSync(join(dir, "fixtures", `f${i}.json`), (mkdirSync(join(dir, "fixtures"), { recursive: true }), JSON.stringify({ Records: [0, 1, 2].map((k) => JSON.parse(recordText(pool, i * 3 + k))) }, null, 2)));
  if (P.hugeMB > 0) {
    await writeStream(join(dir, "huge/records.json"), false, () => recordsFile(0, recordsForMB(P.hugeMB), false));
    await writeStream(join(dir, "huge-gz/records.json.gz"), true, () => recordsFile(0, recordsForMB(P.hugeMB), false));
  }
  if (P.ndjsonMB > 0) await writeStream(join(dir, "ndjson/records.ndjson"), false, () => recordsFile(0, recordsForMB(P.ndjsonMB), true));
  writeFileSync(join(dir, "done"), "");
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** A child's result: the JSON of its last line of output. */
const resultOf = (stdout) => JSON.parse(stdout.trim().split("\n").pop());
const childOptions = { encoding: "utf8", maxBuffer: 1 << 26 };
const runChild = (args) => resultOf(execFileSync(process.execPath, [child, ...args], childOptions));
const runChildAsync = async (args) => resultOf((await promisify(execFile)(process.execPath, [child, ...args], childOptions)).stdout);
/**
 * What two cores give this kind of work here: the same run once, then twice at once (in rounds).
 * The second vCPU of a shared VM need not be a whole core: two CPU-bound processes at once have
 * measured 1.6x one here, not 2x. Their work over the slower one's time (each run's own clock).
 */
async function twoAtOnce(args, runs = P.runs) {
  const per = [];
  for (let i = 0; i < runs; i++) {
    const one = runChild(args);
    const pair = await Promise.all([runChildAsync(args), runChildAsync(args)]);
    per.push((2 * one.ms) / Math.max(...pair.map((r) => r.ms)));
  }
  const range = per.length > 1 ? ` (rounds ${Math.min(...per).toFixed(2)}-${Math.max(...per).toFixed(2)})` : "";
  return `${median(per).toFixed(2)}x${range}`;
}
const summarize = (results) => {
  const ms = median(results.map((r) => r.ms));
  return { records: results[0].records, findings: results[0].findings, ms, rate: results[0].records / (ms / 1000), rss: Math.max(...results.map((r) => r.maxRssMB)), runs: results };
};
/**
 * Several measurements taken in rounds (one of each per round), so that a ratio compares runs a
 * few seconds apart: this shared VM's speed drifts by 15-40% from one minute to the next, and
 * measuring each side in a block of its own made the drift part of the ratio.
 */
function measureInRounds(argsList, runs = P.runs) {
  const results = argsList.map(() => []);
  for (let i = 0; i < runs; i++) argsList.forEach((args, k) => results[k].push(runChild(args)));
  return results.map(summarize);
}
/** a's rate over b's, per round (same records): the median and the range. */
function ratio(a, b) {
  const per = a.runs.map((r, i) => b.runs[i].ms / r.ms);
  const range = per.length > 1 ? ` (rounds ${Math.min(...per).toFixed(2)}-${Math.max(...per).toFixed(2)})` : "";
  return `${median(per).toFixed(2)}x${range}`;
}
function wall(args, runs, node = process.execPath) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(node, [cli, ...args], { stdio: "ignore" });
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}
const fmt = (x) => Math.round(x).toLocaleString("en-US");

await generate();
const trail = join(dir, "trail");
console.log(`trailproof bench: ${fmt(P.records)} records in ${readdirSync(trail, { recursive: true }).filter((f) => String(f).endsWith(".gz")).length} .json.gz files; median of ${P.runs}`);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
const [limit, single, multi] = measureInRounds([["parse-limit", trail], ["check", trail, "off"], ["check", trail, "auto"]]);
console.log(`parse limit (gunzip + cut + JSON.parse, 1 core): ${fmt(limit.rate)} records/s`);
console.log(`trailproof single-threaded:                      ${fmt(single.rate)} records/s = ${ratio(single, limit)} the parse limit (target >= 0.80); peak RSS ${fmt(single.rss)} MB; ${fmt(single.findings)} findings`);
console.log(`trailproof --concurrency auto:                   ${fmt(multi.rate)} records/s = ${ratio(multi, single)} single-threaded (target >= 1.5); peak RSS ${fmt(multi.rss)} MB`);
console.log(`two cores here: the parse limit twice at once:  ${await twoAtOnce(["parse-limit", trail])} the work of one run in the same time (the machine's ceiling for --concurrency auto)`);
for (const [label, sub] of [["huge {Records} file", "huge"], ["huge {Records} file, gzipped", "huge-gz"], ["huge NDJSON file", "ndjson"]]) {
  if (!existsSync(join(dir, sub))) continue;
  const file = join(dir, sub, readdirSync(join(dir, sub))[0]);
  // The default (auto) splits a huge file across workers by record batches: its memory target is 200 MB.
  const [r, w] = measureInRounds([["check", file, "off"], ["check", file, "auto"]], 1);
  console.log(`${label} (${fmt(statSync(file).size / 2 ** 20)} MB on disk): ${fmt(r.records)} records, ${(r.ms / 1000).toFixed(1)} s, ${fmt(r.rate)} records/s, peak RSS ${fmt(r.rss)} MB (target <= 150)`);
  console.log(`  the same with --concurrency auto (split by record batches): ${(w.ms / 1000).toFixed(1)} s, ${ratio(w, r)}, peak RSS ${fmt(w.rss)} MB (target <= 200)`);
}
if (P.bigRecords > 0) {
  // Generated on first use, beside the corpus (its name carries its sizes).
  const file = join(dir, "big", `records-${P.bigRecordMB}mb-x${P.bigRecords}.json`);
  if (!existsSync(file)) {
    await writeStream(file, false, function* () {
      for (let i = 0; i < P.bigRecords; i++) yield (i ? "," : '{"Records":[') + bigPayloadRecordText(i, P.bigRecordMB);
      yield "]}";
    });
  }
  const [r, w] = measureInRounds([["check", file, "off"], ["check", file, "auto"]], 1);
  console.log(`records of ${P.bigRecordMB} MB back to back (${fmt(P.bigRecords)} in ${fmt(statSync(file).size / 2 ** 20)} MB, each a base64 PNG): ${(r.ms / 1000).toFixed(1)} s, peak RSS ${fmt(r.rss)} MB (target <= 150); with --concurrency auto ${(w.ms / 1000).toFixed(1)} s, peak RSS ${fmt(w.rss)} MB (target <= 200)`);
}
console.log(`20 MB single file (CLI wall, incl. start-up): ${wall(["check", join(dir, "twenty.json"), "--quiet"], Math.max(3, P.runs)).toFixed(2)} s (target <= 0.55)`);
const fixtures = ["check", ...[0, 1, 2, 3, 4].map((i) => join(dir, "fixtures", `f${i}.json`)), "--quiet"];
console.log(`pre-commit: start-up ${wall(["--version"], 5).toFixed(2)} s (target <= 0.2); 5 small fixtures ${wall(fixtures, 5).toFixed(2)} s (target <= 0.3)`);
// The same on the other supported Node.js versions, where `npm test` installed them (.cache/node/<version>/),
// each with its own V8 code cache.
for (const version of JSON.parse(readFileSync(join(root, "test", "node-versions.json"), "utf8")).versions) {
  const node = join(root, ".cache", "node", version, "node_modules", `node-${process.platform}-${process.arch}`, "bin", "node");
  if (!existsSync(node)) {
    console.log(`pre-commit on Node.js ${version}: not installed (npm test installs it)`);
    continue;
  }
  spawnSync(node, [join(root, "scripts", "code-cache.mjs")], { stdio: "ignore" });
  console.log(`pre-commit on Node.js ${version}: start-up ${wall(["--version"], 5, node).toFixed(2)} s; 5 small fixtures ${wall(fixtures, 5, node).toFixed(2)} s`);
}

// Optional: the single-thread ratio in instructions (valgrind's callgrind counts the same whatever else
// the machine is doing). 20 trail files, each side minus its own start-up (a one-record run).
if (process.argv.includes("--instructions")) {
  const sub = join(dir, "instructions");
  if (!existsSync(join(sub, "one"))) {
    const files = readdirSync(trail, { recursive: true }).map(String).filter((f) => f.endsWith(".gz")).sort().slice(0, 20);
    mkdirSync(join(sub, "twenty"), { recursive: true });
    files.forEach((f, i) => copyFileSync(join(trail, f), join(sub, "twenty", `${i}.json.gz`)));
    const first = JSON.parse(gunzipSync(readFileSync(join(sub, "twenty", "0.json.gz"))).toString());
    mkdirSync(join(sub, "one"), { recursive: true });
    writeFileSync(join(sub, "one", "0.json.gz"), gzipSync(JSON.stringify({ Records: first.Records.slice(0, 1) })));
  }
  const count = async (mode, target) => {
    const args = ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, "--single-threaded", child, mode, target, ...(mode === "check" ? ["off"] : [])];
    const { stdout, stderr } = await promisify(execFile)("valgrind", args, { maxBuffer: 1 << 26 });
    return { records: JSON.parse(stdout.trim().split("\n").pop()).records, instructions: Number(/I\s+refs:\s+([\d,]+)/.exec(stderr)[1].replace(/,/g, "")) };
  };
  try {
    const [limitAll, limitOne] = await Promise.all([count("parse-limit", join(sub, "twenty")), count("parse-limit", join(sub, "one"))]);
    const [checkAll, checkOne] = await Promise.all([count("check", join(sub, "twenty")), count("check", join(sub, "one"))]);
    const per = (all, one) => (all.instructions - one.instructions) / (all.records - one.records);
    const [l, c] = [per(limitAll, limitOne), per(checkAll, checkOne)];
    console.log(`instructions per record (${fmt(limitAll.records)} records, start-up subtracted): parse limit ${fmt(l / 1000)} k, trailproof ${fmt(c / 1000)} k = ${(l / c).toFixed(2)}x (target >= 0.80)`);
  } catch (e) {
    console.log(`instructions: not measured (${e.code === "ENOENT" ? "valgrind is not installed" : e.message.split("\n")[0]})`);
  }
}
