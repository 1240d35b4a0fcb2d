import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { escapeData, escapeProperty } from "../src/reporters/github.js";
import { cli } from "./support/cli.js";
import { ROOT } from "./support/paths.js";
import { analyzeDocument, leaky, PNG_BASE64 } from "./support/records.js";

const require = createRequire(import.meta.url);
const tmp = () => mkdtempSync(join(tmpdir(), "tp-fmt-"));
const MULTITOOL = join(ROOT, "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");

/** Records whose values try to break every format: XML metacharacters, CDATA ends, control characters, commas, colons, percent. */
function hostileDir(): string {
  const dir = tmp();
  writeFileSync(join(dir, "a,b:c%.json"), JSON.stringify({ Records: [leaky(), analyzeDocument({ eventName: "Analyze<Doc>]]>&\u0001", responseElements: { "x\u001b[31m": 1 } }), analyzeDocument()] }, null, 2));
  writeFileSync(join(dir, "broken.json"), "{ nope");
  return dir;
}

test("JSON: the report is written in chunks (never one string) that add up to JSON.stringify's text, on stdout and to a file", async () => {
  const { checkPaths } = await import("../src/check.js");
  const { formatJsonChunks } = await import("../src/reporters/json.js");
  const report = await checkPaths([join(ROOT, "corpus")], { concurrency: "off" });
  assert.ok(report.findings.length > 1);
  const chunks = [...formatJsonChunks(report)];
  assert.ok(chunks.length > 5);
  assert.is(chunks.join(""), JSON.stringify(report, null, 2) + "\n");
  const dir = mkdtempSync(join(tmpdir(), "tp-json-"));
  const out = cli(["check", join(ROOT, "corpus"), "--format", "json"]);
  const file = cli(["check", join(ROOT, "corpus"), "--format", `json=${join(dir, "r.json")}`]);
  assert.is(out.code, 1);
  assert.is(file.code, 1);
  assert.is(readFileSync(join(dir, "r.json"), "utf8"), out.stdout);
  assert.equal(JSON.parse(out.stdout).findings.length, report.findings.length);
});

test("--max-findings: the listing stops at N, counts and the exit code stay exact, every format says how many are not listed", async () => {
  const { checkPaths } = await import("../src/check.js");
  const fail = join(ROOT, "corpus", "fail");
  const all = await checkPaths([fail], { concurrency: "off" });
  assert.ok(all.findings.length > 5);
  const dir = tmp();
  const r = cli(["check", fail, "--max-findings", "3", "--format", `json=${join(dir, "r.json")}`, "--format", `sarif=${join(dir, "r.sarif")}`, "--format", "text"]);
  assert.is(r.code, 1);
  const json = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
  assert.equal(json.findings, all.findings.slice(0, 3));
  assert.equal(json.summary, { ...all.summary, findingsNotListed: all.findings.length - 3 });
  assert.match(r.stdout, new RegExp(`and ${all.findings.length - 3} more findings not listed`));
  const sarif = JSON.parse(readFileSync(join(dir, "r.sarif"), "utf8"));
  assert.is(sarif.runs[0].results.length, 3);
  assert.ok(sarif.runs[0].invocations[0].toolExecutionNotifications.some((n: { descriptor: { id: string } }) => n.descriptor.id === "findings-not-listed"));
  const Ajv2020 = require("ajv/dist/2020").default;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  for (const f of ["uri", "uri-reference", "date-time", "email"]) ajv.addFormat(f, true);
  const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, "node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json"), "utf8")));
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
  // JUnit: past the cap records are counted, never dropped, and a failed record never passes.
  const junit = cli(["check", fail, "--max-findings", "1", "--format", "junit"]);
  assert.equal(junitTally(junit.stdout), { failed: all.summary.recordsFailed, passed: all.summary.records - all.summary.recordsFailed });
  // The configuration can set it (the flag wins); 0 lists everything; a bad value is a usage error.
  writeFileSync(join(dir, ".trailproof.yaml"), "maxFindings: 2\n");
  assert.is(JSON.parse(cli(["check", fail, "--format", "json"], { cwd: dir }).stdout).findings.length, 2);
  assert.is(JSON.parse(cli(["check", fail, "--format", "json", "--max-findings", "4"], { cwd: dir }).stdout).findings.length, 4);
  assert.equal(JSON.parse(cli(["check", fail, "--max-findings", "0", "--format", "json"]).stdout).findings.length, all.findings.length);
  assert.is(cli(["check", fail, "--max-findings", "lots"]).code, 2);
});

test("--max-findings caps the input errors listed too: a file of broken lines holds and prints N of them, counts all, exits 3 (regression: a million broken lines held 3 GB)", async () => {
  const { checkPaths } = await import("../src/check.js");
  const dir = tmp();
  const file = join(dir, "broken.ndjson");
  writeFileSync(file, Array.from({ length: 40 }, (_, i) => (i % 2 ? JSON.stringify(leaky()) : "{broken")).join("\n"));
  const all = await checkPaths([file], { concurrency: "off" });
  assert.is(all.inputErrors.length, 20);
  for (const options of [{ concurrency: "off" as const }, { concurrency: 2, splitFileBytes: 1 }]) {
    const capped = await checkPaths([file], { ...options, maxFindings: 3 });
    assert.equal(capped.inputErrors, all.inputErrors.slice(0, 3), JSON.stringify(options));
    assert.equal(capped.summary, { ...all.summary, findingsNotListed: all.findings.length - 3, inputErrorsNotListed: 17 }, JSON.stringify(options));
  }
  const r = cli(["check", file, "--max-findings", "3", "--format", "text", "--format", `sarif=${join(dir, "r.sarif")}`]);
  assert.is(r.code, 3);
  assert.match(r.stdout, /\.\.\. and 17 more input errors not listed/);
  assert.match(r.stdout, /20 input errors/);
  const sarif = JSON.parse(readFileSync(join(dir, "r.sarif"), "utf8"));
  assert.is(sarif.runs[0].invocations[0].executionSuccessful, false);
  assert.ok(sarif.runs[0].invocations[0].toolExecutionNotifications.some((n: { descriptor: { id: string } }) => n.descriptor.id === "input-errors-not-listed"));
});

test("SARIF: valid against the official SARIF 2.1.0 schema, with rules, regions, logical locations and fingerprints", () => {
  const dir = hostileDir();
  const out = join(dir, "r.sarif");
  const r = cli(["check", dir, join(ROOT, "corpus", "fail"), "--format", `sarif=${out}`], { cwd: dir });
  assert.is(r.code, 3);
  const sarif = JSON.parse(readFileSync(out, "utf8"));
  const Ajv2020 = require("ajv/dist/2020").default;
  const addFormats = (ajv: { addFormat: (n: string, v: boolean | RegExp) => void }) => ["uri", "uri-reference", "date-time", "email"].forEach((f) => ajv.addFormat(f, true));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, "node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json"), "utf8")));
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
  const run = sarif.runs[0];
  assert.ok(run.tool.driver.rules.length >= 8);
  const result = run.results.find((x: { ruleId: string }) => x.ruleId === "no-request-bytes");
  assert.is(run.tool.driver.rules[result.ruleIndex].id, "no-request-bytes");
  assert.is(result.locations[0].physicalLocation.artifactLocation.uri, "a%2Cb%3Ac%25.json");
  assert.ok(result.locations[0].physicalLocation.region.startLine > 1);
  assert.match(result.locations[0].logicalLocations[0].name, /^record 0\/requestParameters\/document\/bytes$/);
  assert.match(result.partialFingerprints["trailproof/v1"], /^[0-9a-f]{32}$/);
  assert.is(run.invocations[0].executionSuccessful, false);
  assert.not.ok(JSON.stringify(sarif).includes(PNG_BASE64.slice(0, 16)));
  // Fingerprints are stable across runs.
  cli(["check", dir, join(ROOT, "corpus", "fail"), "--format", `sarif=${out}2`], { cwd: dir });
  assert.equal(JSON.parse(readFileSync(`${out}2`, "utf8")).runs[0].results.map((x: any) => x.partialFingerprints), run.results.map((x: any) => x.partialFingerprints));
  if (existsSync(MULTITOOL)) {
    const v = spawnSync(MULTITOOL, ["validate", "--rule-kind", "Gh;Sarif", "--output", join(dir, "v.sarif"), out], { encoding: "utf8" });
    // The schema check above always runs; the Multitool's GitHub rules run where its binary can start.
    if (v.error || !existsSync(join(dir, "v.sarif"))) return;
    const log = JSON.parse(readFileSync(join(dir, "v.sarif"), "utf8"));
    const errors = log.runs[0].results.filter((x: { level?: string }) => x.level === "error");
    assert.equal(errors.map((x: any) => x.message?.text ?? x.ruleId), [], v.stdout);
  }
});

test("JUnit: well-formed XML, a testsuite per file, a uniquely named testcase per record, passing cases for clean records", () => {
  const dir = hostileDir();
  const r = cli(["check", dir, join(ROOT, "corpus", "fail"), "--format", "junit"], { cwd: dir });
  assert.is(r.code, 3);
  assert.is(XMLValidator.validate(r.stdout), true);
  assert.ok(r.stdout.includes("no-request-bytes.json"), "corpus findings are in the report");
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(r.stdout);
  const suites = doc.testsuites.testsuite;
  const main = suites.find((s: any) => s["@_name"].endsWith("a,b:c%.json"));
  const names = main.testcase.map((c: any) => c["@_name"]);
  assert.is(new Set(names).size, names.length);
  assert.is(main.testcase.length, 3);
  assert.is(main.testcase.filter((c: any) => c.failure).length, 2);
  assert.ok(suites.some((s: any) => s["@_errors"] === "1"), "the broken file is an error");
  assert.not.match(r.stdout, /[\u0000-\u0008\u000b\u001b]/);
  assert.not.ok(r.stdout.includes(PNG_BASE64.slice(0, 16)));
});

/** Failed and passed records a JUnit report accounts for: one per case, N for a "N more ... records" case. */
function junitTally(xmlText: string): { failed: number; passed: number } {
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(xmlText);
  const tally = { failed: 0, passed: 0 };
  for (const suite of doc.testsuites.testsuite ?? []) {
    for (const c of suite.testcase ?? []) {
      if (c.error) continue;
      const more = /^(\d+) more (?:clean|failed) records? \(not listed/.exec(c["@_name"]);
      tally[c.failure !== undefined ? "failed" : "passed"] += more ? Number(more[1]) : 1;
    }
  }
  return tally;
}

test("JUnit under the listing cap: records seen are kept up to it and counted past it, the same with workers and split files", async () => {
  const { checkPathsDetailed } = await import("../src/check.js");
  const { formatJunit } = await import("../src/reporters/junit.js");
  // (the logs: a file split across workers is read as a log whatever it holds, see RecordReader.held)
  const corpus = [join(ROOT, "corpus", "pass"), join(ROOT, "corpus", "fail")];
  const full = await checkPathsDetailed(corpus, { concurrency: "off", collectRecords: true });
  const expected = { failed: full.report.summary.recordsFailed, passed: full.report.summary.records - full.report.summary.recordsFailed };
  assert.equal(junitTally(formatJunit(full.report, full.records, full.recordsNotListed)), expected);
  for (const options of [{ concurrency: "off" as const }, { concurrency: 2 }, { concurrency: 2, splitFileBytes: 1 }]) {
    for (const cap of [1, 4]) {
      const r = await checkPathsDetailed(corpus, { ...options, collectRecords: true, maxFindings: cap });
      assert.ok(r.records.length <= cap, `${r.records.length} records kept with a cap of ${cap}`);
      assert.equal(r.report.summary, { ...full.report.summary, findingsNotListed: full.report.findings.length - cap });
      assert.equal(junitTally(formatJunit(r.report, r.records, r.recordsNotListed)), expected, JSON.stringify({ options, cap }));
    }
  }
});

test("JUnit and JSON under the listing cap are the single-threaded ones exactly, with workers and split files, once the findings listed are full and records seen are not (regression: later files sent counts only and JUnit aggregated records it should list)", async () => {
  const { checkPathsDetailed } = await import("../src/check.js");
  const { formatJunit } = await import("../src/reporters/junit.js");
  const dir = tmp();
  // Each failing record has five findings: the listing of 30 findings is full after 6 files, the 30 records seen after 30.
  const failing = analyzeDocument({ eventTime: undefined, awsRegion: undefined, eventID: undefined, eventType: undefined, sourceIPAddress: undefined });
  for (let f = 0; f < 60; f++) writeFileSync(join(dir, `f${String(f).padStart(2, "0")}.json`), JSON.stringify({ Records: [failing] }));
  const junitOf = async (options: Record<string, unknown>) => {
    const r = await checkPathsDetailed([dir], { ...options, collectRecords: true, maxFindings: 30 });
    return { junit: formatJunit(r.report, r.records, r.recordsNotListed), report: r.report };
  };
  const single = await junitOf({ concurrency: "off" });
  assert.is(single.report.findings.length, 30);
  assert.is(single.report.summary.findingsNotListed, 270);
  for (const options of [{ concurrency: 2 }, { concurrency: 2, splitFileBytes: 1 }]) {
    const other = await junitOf(options);
    assert.is(other.junit, single.junit, JSON.stringify(options));
    assert.equal(other.report, single.report, JSON.stringify(options));
  }
});

test("GitHub annotations: toolkit escaping, most severe first, 10 per kind with a count of the rest, step summary", () => {
  assert.is(escapeData("50% a\r\nb"), "50%25 a%0D%0Ab");
  assert.is(escapeProperty("a,b:c%"), "a%2Cb%3Ac%25");
  const dir = tmp();
  const records = [...Array.from({ length: 12 }, () => leaky()), ...Array.from({ length: 3 }, () => analyzeDocument({ eventName: "AnalyzeMedicalChart" }))];
  writeFileSync(join(dir, "x,y.json"), JSON.stringify(records));
  const summary = join(dir, "summary.md");
  const r = cli(["check", dir, "--format", "github"], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
  const lines = r.stdout.trim().split("\n");
  const errors = lines.filter((l) => l.startsWith("::error "));
  const warnings = lines.filter((l) => l.startsWith("::warning "));
  assert.is(errors.length, 10);
  assert.is(warnings.length, 3);
  assert.ok(lines.indexOf(warnings[0]!) > lines.indexOf(errors[9]!), "errors first");
  assert.match(r.stdout, /trailproof: 14 more error findings not shown as annotations/);
  assert.match(errors[0]!, /^::error file=x%2Cy\.json,line=\d+,col=\d+/);
  assert.match(readFileSync(summary, "utf8"), /\| `no-request-bytes` \| error \| 12 \|/);
});

test("several formats in one run: text on the console, SARIF and JUnit to files", () => {
  const dir = tmp();
  writeFileSync(join(dir, "a.json"), JSON.stringify(leaky()));
  const r = cli(["check", dir, "--format", "text", "--format", `sarif=${join(dir, "r.sarif")}`, "--format", `junit=${join(dir, "r.xml")}`], { cwd: dir });
  assert.is(r.code, 1);
  assert.match(r.stdout, /no-request-bytes/);
  assert.ok(existsSync(join(dir, "r.sarif")) && existsSync(join(dir, "r.xml")));
  assert.is(cli(["check", dir, "--format", "text", "--format", "json"]).code, 2, "two formats cannot share stdout");
  assert.is(cli(["check", dir, "--format", "xml"]).code, 2);
});

test("formats are looked up by name: each is a pure function of the report (the same report, the same output)", async () => {
  const { FORMATS, formatter } = await import("../src/reporters/registry.js");
  const { checkBytes } = await import("../src/check.js");
  const report = checkBytes(Buffer.from(JSON.stringify(leaky())), "leak.json");
  const context = { cwd: ROOT, rules: [], records: [], recordsNotListed: new Map(), color: 0 as const, quiet: false, passed: false };
  const text = (out: string | Iterable<string>) => (typeof out === "string" ? out : [...out].join(""));
  for (const name of FORMATS) {
    const format = await formatter(name);
    const once = text(format(report, context));
    assert.ok(once.length > 0, name);
    assert.is(text(format(structuredClone(report), context)), once, name);
  }
});

test.run();
