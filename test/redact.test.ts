import { mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync, copyFileSync, mkdirSync, lstatSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkBytes, checkRecord, redactBytes, redactRecord } from "../src/index.js";
import { parsePointer } from "../src/engine/pointer.js";
import { writeAtomic } from "../src/io/atomic.js";
import { cli } from "./support/cli.js";
import { CORPUS, rel } from "./support/paths.js";
import { analyzeDocument, leaky, PNG_BASE64 } from "./support/records.js";

const LEAK_RULES = new Set(["no-request-bytes", "no-response-fields", "no-document-content", "no-analysis-output"]);
const tmp = () => mkdtempSync(join(tmpdir(), "tp-redact-"));
const leakFindings = (r: { findings: Array<{ ruleId: string }> }) => r.findings.filter((f) => LEAK_RULES.has(f.ruleId));

/** Deletes the given pointers from a deep copy, so that "equal except at these paths" can be compared. */
function without(value: unknown, pointers: string[]): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  for (const p of pointers) {
    const tokens = parsePointer(p);
    let cur = copy as Record<string, unknown>;
    for (const t of tokens.slice(0, -1)) cur = (cur?.[t] ?? {}) as Record<string, unknown>;
    if (cur && typeof cur === "object") delete cur[tokens[tokens.length - 1]!];
  }
  return copy;
}

for (const name of readdirSync(join(CORPUS, "fail"))) {
  test(`corpus/fail/${name}: redaction leaves no leak, changes only the leaking paths, and is idempotent`, () => {
    const file = join(CORPUS, "fail", name);
    const original = readFileSync(file);
    const once = redactBytes(original, file);
    const before = checkBytes(original, file);
    if (leakFindings(before).length === 0) {
      assert.is(once.bytes, undefined, "a file without leaks is left alone");
      return;
    }
    assert.ok(once.bytes, "a leaking file is rewritten");
    const after = checkBytes(once.bytes!, file);
    assert.equal(leakFindings(after), []);
    assert.is(after.summary.records, before.summary.records);
    // Everything that may be logged is kept: the other findings are exactly the same.
    assert.equal(after.findings.filter((f) => !LEAK_RULES.has(f.ruleId)), before.findings.filter((f) => !LEAK_RULES.has(f.ruleId)));
    const twice = redactBytes(once.bytes!, file);
    assert.is(twice.bytes, undefined, "a second run changes no byte");
    assert.not.ok(Buffer.from(name.endsWith(".gz") ? gunzipSync(once.bytes!) : once.bytes!).toString().includes(PNG_BASE64.slice(0, 20)));
  });
}

test("redactRecord: never mutates its input; only the changed paths differ; names what it changed", () => {
  const record = analyzeDocument({
    requestParameters: { document: { bytes: PNG_BASE64 }, featureTypes: ["TABLES"] },
    responseElements: { blocks: [{ blockType: "LINE", text: "Jane Roe" }] },
    additionalEventData: { note: `before ${PNG_BASE64} after` },
  });
  const snapshot = JSON.stringify(record);
  const { record: out, changes } = redactRecord(record);
  assert.is(JSON.stringify(record), snapshot);
  assert.equal(changes.map((c) => [c.path, c.ruleId, c.action]), [
    ["/responseElements", "no-response-fields", "set to null"],
    ["/additionalEventData/note", "no-document-content", "payload replaced"],
    ["/requestParameters/document/bytes", "no-request-bytes", "removed"],
  ]);
  const o = out as Record<string, any>;
  assert.equal(o.requestParameters.document, {});
  assert.is(o.responseElements, null);
  assert.match(o.additionalEventData.note, /^before \[redacted: base64 PNG, 70 B, sha256 [0-9a-f]{8}\] after$/);
  assert.equal(without(out, changes.map((c) => c.path)), without(record, changes.map((c) => c.path)));
  assert.equal(checkRecord(out).filter((f) => LEAK_RULES.has(f.ruleId)), []);
});

test("redactRecord: pino-style paths with a censor, removal, ** for anywhere, and case-insensitive names", () => {
  const record = analyzeDocument({ requestParameters: { Document: { S3Object: { Bucket: "b", Name: "secret-name.pdf" } } } });
  const censored = redactRecord(record, { paths: ["requestParameters.**.name"], ignoreCase: true, censor: "[name]" }).record as Record<string, any>;
  assert.is(censored.requestParameters.Document.S3Object.Name, "[name]");
  const removed = redactRecord(record, { paths: ["userIdentity.accessKeyId", "sourceIPAddress"], remove: true }).record as Record<string, any>;
  assert.not.ok("accessKeyId" in removed.userIdentity);
  assert.not.ok("sourceIPAddress" in removed);
  const fn = redactRecord(record, { paths: ['["userAgent"]'], censor: (p) => `<${p}>` }).record as Record<string, any>;
  assert.is(fn.userAgent, "</userAgent>");
});

test("property: generated records with planted leaks are redacted completely, losslessly and idempotently", async () => {
  const gen = (await import(pathToFileURL(rel("scripts/lib/records.mjs")).href)) as {
    textractRecord: (label: string, op: string, type: string) => Record<string, unknown>;
    operations: Record<string, unknown>;
    identities: Record<string, unknown>;
  };
  const ops = Object.keys(gen.operations);
  const types = Object.keys(gen.identities);
  const payloads = [PNG_BASE64, "JVBERi0xLjcKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K", "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkS"];
  fc.assert(
    fc.property(fc.nat(), fc.constantFrom(...ops), fc.constantFrom(...types), fc.subarray(["bytes", "Bytes", "response", "inString", "blocks", "buffer"], { minLength: 1 }), fc.constantFrom(...payloads), (seed, op, type, leaks, payload) => {
      const r = gen.textractRecord(`p${seed}`, op, type) as Record<string, any>;
      if (leaks.includes("bytes")) r.requestParameters = { ...r.requestParameters, document: { bytes: payload } };
      if (leaks.includes("Bytes")) r.requestParameters = { ...r.requestParameters, Document: { Bytes: payload } };
      if (leaks.includes("response")) r.responseElements = { ...(r.responseElements ?? {}), documentMetadata: { pages: 2 } };
      if (leaks.includes("inString")) r.userAgent = `agent data:image/png;base64,${payload} end`;
      if (leaks.includes("blocks")) r.additionalEventData = { Blocks: [{ BlockType: "WORD", Text: "x", Geometry: {} }] };
      if (leaks.includes("buffer")) r.additionalEventData = { ...(r.additionalEventData ?? {}), body: { type: "Buffer", data: [...Buffer.from(PNG_BASE64, "base64")] } };
      const snapshot = JSON.stringify(r);
      const once = redactRecord(r);
      assert.is(JSON.stringify(r), snapshot, "input mutated");
      assert.equal(checkRecord(once.record).filter((f) => LEAK_RULES.has(f.ruleId)), []);
      const paths = once.changes.map((c) => c.path);
      assert.equal(without(once.record, paths), without(r, paths));
      const twice = redactRecord(once.record);
      assert.equal(twice.changes, []);
      assert.is(JSON.stringify(twice.record), JSON.stringify(once.record));
    }),
    { numRuns: 150, seed: 4242 },
  );
});

test("formats are kept: JSON indentation and key order, YAML comments and quoting, NDJSON lines, gzip", () => {
  const json = JSON.stringify({ Records: [leaky(), analyzeDocument()] }, null, 4);
  const outJson = Buffer.from(redactBytes(Buffer.from(json), "t.json").bytes!).toString();
  assert.is(outJson, json.replace(/"document": \{\n\s+"bytes": "[^"]+"\n\s+\}/, '"document": {}'));

  const yaml = `# top comment\nRecords:\n  - eventVersion: "1.09" # why\n    eventSource: textract.amazonaws.com\n    eventName: AnalyzeDocument\n    requestParameters:\n      document:\n        bytes: '${PNG_BASE64}'\n      featureTypes: ['TABLES']\n`;
  const outYaml = Buffer.from(redactBytes(Buffer.from(yaml), "t.yaml").bytes!).toString();
  assert.match(outYaml, /^# top comment\n/);
  assert.match(outYaml, /eventVersion: "1\.09" # why/);
  assert.match(outYaml, /document: \{\}/);
  assert.match(outYaml, /featureTypes: \['TABLES'\]/);

  const nd = [JSON.stringify(analyzeDocument()), JSON.stringify(leaky()), JSON.stringify(analyzeDocument())].join("\r\n") + "\r\n";
  const outNd = Buffer.from(redactBytes(Buffer.from(nd), "t.ndjson").bytes!).toString();
  assert.is(outNd.split("\r\n").length, nd.split("\r\n").length);
  assert.is(outNd.split("\r\n")[0], nd.split("\r\n")[0]);

  const gz = gzipSync(JSON.stringify({ Records: [leaky()] }));
  const outGz = redactBytes(gz, "t.json.gz").bytes!;
  assert.is(outGz[0], 0x1f);
  assert.equal(JSON.parse(gunzipSync(outGz).toString()).Records[0].requestParameters.document, {});
});

test("JSON documents one after another: each is redacted where it is, exactly as it would be alone (regression: edits landed in the first document)", () => {
  const accented = (r: Record<string, unknown>) => ({ ...r, userAgent: "Überprüfung/1.0 (naïve) 日本語 \u{1F600}" });
  const lookup = (r: Record<string, unknown>) => ({ Events: [{ EventId: "e1", Username: "ingest", CloudTrailEvent: JSON.stringify(r) }] });
  const eventBridge = (r: Record<string, unknown>) => ({ "detail-type": "AWS API Call via CloudTrail", source: "aws.textract", account: "111122223333", detail: r });
  const cases: unknown[][] = [
    [analyzeDocument(), leaky()],
    [leaky(), leaky(), leaky()],
    [{ Records: [analyzeDocument()] }, { Records: [leaky(), accented(leaky())] }],
    [[analyzeDocument()], [accented(leaky()), leaky()]],
    [accented(analyzeDocument()), lookup(leaky()), eventBridge(accented(leaky()))],
    [lookup(leaky()), lookup(accented(leaky()))],
  ];
  for (const options of [{}, { pseudonymize: { salt: "s" } }]) {
    for (const docs of cases) {
      for (const [indent, sep] of [[2, "\n"], [0, " "], [4, "\r\n\r\n"]] as const) {
        const texts = docs.map((d) => JSON.stringify(d, null, indent));
        // "one line per document" would make it NDJSON: keep the multi-document JSON reading.
        const text = "\n" + texts.join(sep);
        const alone = texts.map((t) => {
          const r = redactBytes(Buffer.from("\n" + t), "one.json", options);
          return (r.bytes ? Buffer.from(r.bytes).toString() : "\n" + t).slice(1);
        });
        const r = redactBytes(Buffer.from(text), "several.json", options);
        assert.ok(r.bytes, text.slice(0, 60));
        assert.is(Buffer.from(r.bytes!).toString(), "\n" + alone.join(sep), `indent ${indent}`);
        assert.equal(r.remaining.filter((f) => f.fixable), []);
      }
    }
  }
});

test("wrappers keep their shape: EventBridge stays an event, a lookup-events CloudTrailEvent stays a string", () => {
  const eb = JSON.stringify({ "detail-type": "AWS API Call via CloudTrail", source: "aws.textract", detail: leaky() });
  const outEb = JSON.parse(Buffer.from(redactBytes(Buffer.from(eb), "e.json").bytes!).toString());
  assert.is(outEb.source, "aws.textract");
  assert.equal(outEb.detail.requestParameters.document, {});
  const lookup = JSON.stringify({ Events: [{ EventId: "x", CloudTrailEvent: JSON.stringify(leaky()) }] }, null, 2);
  const outLookup = JSON.parse(Buffer.from(redactBytes(Buffer.from(lookup), "l.json").bytes!).toString());
  assert.is(typeof outLookup.Events[0].CloudTrailEvent, "string");
  assert.equal(JSON.parse(outLookup.Events[0].CloudTrailEvent).requestParameters.document, {});
});

test("check --fix rewrites only leaking files (clean files keep their mtime), reports what stays, and is idempotent", () => {
  const dir = tmp();
  writeFileSync(join(dir, "leak.json"), JSON.stringify(leaky(), null, 2));
  writeFileSync(join(dir, "clean.json"), JSON.stringify(analyzeDocument(), null, 2));
  writeFileSync(join(dir, "identity.json"), JSON.stringify({ ...leaky(), userIdentity: { type: "AWSService" } }, null, 2));
  const old = new Date("2020-01-01T00:00:00Z");
  utimesSync(join(dir, "clean.json"), old, old);
  const r = cli(["check", dir, "--fix", "--format", "json"]);
  assert.is(r.code, 1, "the identity finding stays");
  assert.match(r.stderr, /--fix redacted 2 values in 2 files/);
  const report = JSON.parse(r.stdout);
  assert.equal([...new Set(report.findings.map((f: { ruleId: string }) => f.ruleId))], ["valid-user-identity"]);
  assert.is(statSync(join(dir, "clean.json")).mtime.toISOString(), old.toISOString());
  const snapshot = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString());
  const again = cli(["check", dir, "--fix"]);
  assert.match(again.stderr, /--fix redacted 0 values in 0 files/);
  assert.equal(readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString()), snapshot);
  assert.is(cli(["check", "-", "--fix"], { input: "{}" }).code, 2);
});

test("check --fix through a symbolic link redacts the file it points to and keeps the link (regression: the link became a redacted copy, the target kept its leak)", () => {
  const dir = tmp();
  mkdirSync(join(dir, "real"));
  writeFileSync(join(dir, "real", "leak.json"), JSON.stringify(leaky(), null, 2));
  symlinkSync(join("real", "leak.json"), join(dir, "link.json"));
  const r = cli(["check", join(dir, "link.json"), "--fix"]);
  assert.is(r.code, 0);
  assert.match(r.stderr, /--fix redacted 1 value in 1 file/);
  assert.ok(lstatSync(join(dir, "link.json")).isSymbolicLink());
  assert.equal(leakFindings(checkBytes(readFileSync(join(dir, "real", "leak.json")), "leak.json")), []);
  assert.equal(readdirSync(join(dir, "real")), ["leak.json"], "no temporary file left");
});

test("a record that gives a key twice where its text holds a leak is neither redacted nor copied (regression: redact wrote a 'compliant' copy with the document in it, exit 0)", () => {
  const dir = tmp();
  const clean = JSON.stringify(analyzeDocument());
  const hidden = clean.replace('"requestParameters":', `"requestParameters":${JSON.stringify((leaky() as { requestParameters: unknown }).requestParameters)},"requestParameters":`);
  assert.ok(hidden.includes(PNG_BASE64));
  writeFileSync(join(dir, "hidden.json"), hidden);
  const copy = cli(["redact", join(dir, "hidden.json"), "--output", join(dir, "copy.json")]);
  assert.is(copy.code, 3);
  assert.match(copy.stderr, /record 0\): a key is given twice in one object where the text may hold a leak: not redacted/);
  assert.equal(readdirSync(dir), ["hidden.json"]);
  const fix = cli(["check", join(dir, "hidden.json"), "--fix", "--format", "json"]);
  assert.is(fix.code, 1);
  assert.equal(JSON.parse(fix.stdout).findings.map((f: { ruleId: string; path: string }) => [f.ruleId, f.path]), [["valid-record", "/requestParameters"]]);
  assert.is(readFileSync(join(dir, "hidden.json"), "utf8"), hidden);
});

test("a document in base64 wrapped in lines (MIME, PEM, Python's encodebytes) is found and redacted whole (regression: only its first line was)", () => {
  const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), Buffer.alloc(700, 7)]);
  const base64 = pdf.toString("base64");
  for (const [width, eol] of [[76, "\n"], [76, "\r\n"], [64, "\n"], [76, "\r"]] as const) {
    const wrapped = base64.match(new RegExp(`.{1,${width}}`, "g"))!.join(eol);
    const record = analyzeDocument({ additionalEventData: { attachment: `${wrapped}${eol}`, note: `see:${eol}${wrapped}${eol}-- sent by the gateway` } });
    const found = checkRecord(record).filter((f) => f.ruleId === "no-document-content");
    assert.equal(found.map((f) => [f.path, f.evidence?.bytes]), [["/additionalEventData/attachment", pdf.length], ["/additionalEventData/note", pdf.length]], JSON.stringify(eol));
    const out = redactRecord(record).record as { additionalEventData: { attachment: string; note: string } };
    assert.match(out.additionalEventData.attachment, new RegExp(`^\\[redacted: base64 PDF, ${pdf.length} B, sha256 [0-9a-f]{8}\\]${eol}$`));
    assert.is(out.additionalEventData.note.replace(/\[redacted: [^\]]*\]/, "[X]"), `see:${eol}[X]${eol}-- sent by the gateway`);
    assert.equal(checkRecord(out).filter((f) => LEAK_RULES.has(f.ruleId)), []);
  }
});

test("many records in one text (a CloudWatch Logs message, a line of records) are redacted in one pass, each as on its own, wrappers too (regression: one pass per record, 171 s for 5,000)", () => {
  const records = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? analyzeDocument({ eventID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` }) : { ...leaky(), eventID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` }));
  const message = { messageType: "DATA_MESSAGE", owner: "111122223333", logGroup: "aws-cloudtrail-logs-111122223333", logStream: "111122223333_CloudTrail_us-east-1", subscriptionFilters: ["f"], logEvents: records.map((r, i) => ({ id: String(i), timestamp: i, message: JSON.stringify(r) })) };
  const cliOutput = { events: records.map((r, i) => ({ logStreamName: "111122223333_CloudTrail_us-east-1", timestamp: i, message: JSON.stringify(r), eventId: String(i) })) };
  const expected = records.map((r) => redactRecord(r).record);
  for (const [name, text, events] of [["firehose.json", JSON.stringify(message), "logEvents"], ["events.json", JSON.stringify(cliOutput, null, 2), "events"], ["line.ndjson", JSON.stringify(records) + "\n", ""]] as const) {
    const out = redactBytes(Buffer.from(text), name);
    const value = JSON.parse(out.bytes!.toString()) as Record<string, Array<{ message: string }>> | unknown[];
    const got = events ? (value as Record<string, Array<{ message: string }>>)[events]!.map((e) => JSON.parse(e.message)) : value;
    assert.equal(got, expected, name);
    const pseudonymized = redactBytes(Buffer.from(text), name, { pseudonymize: { salt: "s" } }).bytes!.toString();
    assert.not.match(pseudonymized, /111122223333/, name);
    assert.equal(leakFindings(checkBytes(Buffer.from(pseudonymized), name)), [], name);
  }
});

test("--fix on YAML whose leaking value is anchored and aliased, or reached through an alias (regression: 'internal error: Unresolved alias', exit 2, nothing fixed)", () => {
  const dir = tmp();
  const head = `# fixture\neventVersion: "1.09"\nuserIdentity: &who\n  type: IAMUser\n  principalId: AIDAJ45Q7YFFAREXAMPLE\n  arn: arn:aws:iam::111122223333:user/intake\n  accountId: "111122223333"\n  accessKeyId: AKIAIOSFODNN7EXAMPLE\n  userName: intake\n`;
  const tail = `eventTime: "2026-03-04T10:11:12Z"\neventSource: textract.amazonaws.com\neventName: AnalyzeDocument\nawsRegion: us-east-1\nsourceIPAddress: 198.51.100.7\nuserAgent: aws-sdk-js/3.600.0\nresponseElements: null\nrequestID: 6f1c2e0a-1b2c-4d3e-8f4a-5b6c7d8e9f01\neventID: 0b7a3c9e-2d4f-4a6b-9c8d-1e2f3a4b5c6d\nreadOnly: true\neventType: AwsApiCall\nmanagementEvent: true\nrecipientAccountId: "111122223333"\neventCategory: Management\nextra: { who: *who }\n`;
  const fixtures = {
    "anchored.yaml": `${head}requestParameters:\n  document:\n    bytes: &png ${PNG_BASE64}\n  featureTypes: [TABLES]\nadditionalEventData:\n  copy: *png\n${tail}`,
    "through.yaml": `${head}additionalEventData: &req\n  document:\n    bytes: ${PNG_BASE64}\n  featureTypes: [TABLES]\nrequestParameters: *req\n${tail}`,
  };
  for (const [name, text] of Object.entries(fixtures)) {
    writeFileSync(join(dir, name), text);
    const before = checkBytes(Buffer.from(text), name).findings.length;
    const r = cli(["check", join(dir, name), "--fix"]);
    assert.is(r.code, 0, `${name}: ${r.stderr}`);
    const fixed = readFileSync(join(dir, name), "utf8");
    assert.not.match(fixed, /iVBORw0KGgo/, name);
    assert.ok(before > 0 && fixed.includes("&who") && fixed.includes("*who") && fixed.startsWith("# fixture\n"), name);
    assert.equal(checkBytes(Buffer.from(fixed), name).findings, [], name);
  }
});

test("redact: copies to a directory (mirroring the tree), to a file, or to stdout; unreadable inputs are never copied", () => {
  const src = tmp();
  mkdirSync(join(src, "nested"));
  copyFileSync(join(CORPUS, "fail", "no-request-bytes.json"), join(src, "nested", "a.json"));
  writeFileSync(join(src, "broken.json"), "{ nope");
  const out = join(tmp(), "out");
  const r = cli(["redact", src, "--output", out]);
  assert.is(r.code, 3);
  assert.equal(readdirSync(out, { recursive: true }).map(String).sort(), ["nested", join("nested", "a.json")]);
  assert.equal(leakFindings(checkBytes(readFileSync(join(out, "nested", "a.json")), "a.json")), []);
  const stdout = cli(["redact", "-"], { input: JSON.stringify(leaky()) });
  assert.is(stdout.code, 0);
  assert.equal(JSON.parse(stdout.stdout).requestParameters.document, {});
  const file = join(tmp(), "one.json");
  assert.is(cli(["redact", join(CORPUS, "fail", "no-request-bytes.json"), "--output", file]).code, 0);
  assert.ok(statSync(file).size > 0);
  assert.is(cli(["redact", src]).code, 2, "a directory needs --output");
});

test("pseudonymize: consistent per salt, valid formats, and every corpus/pass record still passes every rule", () => {
  const dir = tmp();
  const a = cli(["redact", join(CORPUS, "pass"), "--output", join(dir, "a"), "--pseudonymize", "--salt", "s1"]);
  assert.is(a.code, 0, a.stderr);
  cli(["redact", join(CORPUS, "pass"), "--output", join(dir, "b"), "--pseudonymize"], { env: { TRAILPROOF_SALT: "s1" } });
  cli(["redact", join(CORPUS, "pass"), "--output", join(dir, "c"), "--pseudonymize", "--salt", "s2"]);
  const read = (d: string) => readFileSync(join(dir, d, "single-record.json"), "utf8");
  assert.is(read("a"), read("b"), "same salt, same pseudonyms");
  assert.is.not(read("a"), read("c"), "another salt, other pseudonyms");
  const check = cli(["check", join(dir, "a"), "--format", "json"]);
  assert.is(check.code, 0, check.stdout.slice(0, 2000));
  const all = readdirSync(join(dir, "a"), { recursive: true }).map(String).filter((f) => f.endsWith(".json") || f.endsWith(".ndjson") || f.endsWith(".yaml")).map((f) => readFileSync(join(dir, "a", f), "utf8")).join("\n");
  assert.not.match(all, /111122223333|intake-documents|scan-uploader|claims-worker|198\.51\.100\./);
  const record = JSON.parse(read("a"));
  assert.match(record.recipientAccountId, /^\d{12}$/);
  assert.is(record.userIdentity.accountId, record.recipientAccountId);
  assert.match(record.userIdentity.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.is(record.userIdentity.arn, `arn:aws:iam::${record.userIdentity.accountId}:user/intake/${record.userIdentity.userName}`);
  assert.is(cli(["redact", "-", "--pseudonymize"], { input: "{}", env: { TRAILPROOF_SALT: "" } }).code, 2, "no salt, no pseudonyms");
});

test("pseudonymize replaces a name wherever it stands: a SAML user's e-mail in principalId, assumedRoleId and subject; a bucket in an S3 Host header", () => {
  const email = "jane.roe@example.org";
  const record = {
    ...analyzeDocument(),
    eventSource: "sts.amazonaws.com",
    eventName: "AssumeRoleWithSAML",
    userIdentity: { type: "SAMLUser", principalId: `SAMLProviderQualifier:${email}`, userName: email, identityProvider: "SAMLProviderQualifier" },
    requestParameters: { roleArn: "arn:aws:iam::111122223333:role/claims", principalArn: "arn:aws:iam::111122223333:saml-provider/corp", Host: "intake-bucket-0042.s3.us-east-1.amazonaws.com", bucketName: "intake-bucket-0042" },
    responseElements: { subject: email, assumedRoleUser: { assumedRoleId: `AROAEXAMPLEID123456789:${email}`, arn: `arn:aws:sts::111122223333:assumed-role/claims/${email}` } },
  };
  const out = redactBytes(Buffer.from(JSON.stringify(record)), "saml.json", { pseudonymize: { salt: "s" } });
  const text = out.bytes!.toString();
  assert.not.ok(text.includes(email), text);
  assert.not.ok(text.includes("intake-bucket-0042"), text);
  assert.not.ok(text.includes("111122223333"), text);
  const o = JSON.parse(text);
  assert.is(o.eventSource, "sts.amazonaws.com");
  assert.is(o.responseElements.subject, o.userIdentity.userName, "the same pseudonym everywhere");
});

test("YAML merge keys are resolved as YAML 1.1 loaders do: a fixture built on <<: *base is checked as that record, and --fix edits the place the document is (its own key, or the anchor)", () => {
  const base = analyzeDocument();
  const lines = (o: Record<string, unknown>, indent: string) => Object.entries(o).map(([k, v]) => `${indent}${k}: ${JSON.stringify(v)}`).join("\n");
  const text = [
    "- &base",
    lines({ ...base, requestParameters: { document: { bytes: PNG_BASE64 } } }, "  ").replace(/^ {2}/, "  "),
    "- <<: *base",
    "  eventName: DetectDocumentText",
    "- <<: *base",
    `  eventID: ${JSON.stringify("1b7a3c9e-2d4f-4a6b-9c8d-1e2f3a4b5c6d")}`,
    `  requestParameters: {document: {}, featureTypes: [TABLES]}`,
    "",
  ].join("\n");
  const before = checkBytes(Buffer.from(text), "fixtures.yaml");
  const leakRecords = new Set(leakFindings(before).map((f) => (f as unknown as { record: number }).record));
  assert.equal([...leakRecords].sort(), [0, 1], "the anchored record and the one that merges it leak; the one that overrides requestParameters does not");
  const out = redactBytes(Buffer.from(text), "fixtures.yaml");
  assert.ok(out.bytes, JSON.stringify(out.errors));
  const after = out.bytes!.toString();
  assert.equal(leakFindings(checkBytes(out.bytes!, "fixtures.yaml")), []);
  assert.ok(after.includes("<<: *base"), "the merge stays a merge");
  assert.not.ok(after.includes(PNG_BASE64.slice(0, 24)));
  // A merged record's own key is edited in place.
  const own = ["- &base", lines(base, "  "), "- <<: *base", `  requestParameters: {document: {bytes: ${PNG_BASE64}}}`, ""].join("\n");
  const fixed = redactBytes(Buffer.from(own), "own.yaml").bytes!.toString();
  assert.equal(leakFindings(checkBytes(Buffer.from(fixed), "own.yaml")), []);
  assert.ok(fixed.includes("<<: *base"));
});

test("pseudonymize keeps identity verdicts: records that failed identity rules fail the same ones", () => {
  const file = join(CORPUS, "fail", "consistent-user-identity.json");
  const before = checkBytes(readFileSync(file), file).findings.map((f) => [f.ruleId, f.path]);
  const out = redactBytes(readFileSync(file), file, { pseudonymize: { salt: "x" } });
  const after = checkBytes(out.bytes!, file).findings.map((f) => [f.ruleId, f.path]);
  assert.equal(after, before);
});

test("a failed write leaves the original intact and removes its temporary file", async () => {
  const dir = tmp();
  const target = join(dir, "fixture.json");
  writeFileSync(target, "original");
  await writeAtomic(target, 42 as unknown as string).then(
    () => assert.unreachable("should fail"),
    () => undefined,
  );
  assert.is(readFileSync(target, "utf8"), "original");
  assert.equal(readdirSync(dir), ["fixture.json"]);
});

test("a file too large to redact (decompressed) is a LIMIT input error and stays as it is; --fix says so and the check still reports its leaks", () => {
  const text = JSON.stringify({ Records: Array.from({ length: 40 }, () => leaky()) });
  for (const bytes of [Buffer.from(text), gzipSync(text)]) {
    const r = redactBytes(bytes, "big.json", { maxBytes: 10_000 });
    assert.is(r.bytes, undefined);
    assert.equal(r.errors.map((e) => e.code), ["LIMIT"]);
    assert.match(r.errors[0]!.message, /too large to redact \((more than 9\.8 KB decompressed|[0-9.]+ KB)\): redaction rewrites a file whole in memory, at most 9\.8 KB/);
    // Under the limit the same bytes are redacted.
    assert.ok(redactBytes(bytes, "big.json").bytes);
  }
  // A gzip bomb: 100 KB that inflate to 100 MiB, over the default limit (64 MiB), never inflated whole.
  const dir = tmp();
  const bomb = join(dir, "bomb.json.gz");
  writeFileSync(bomb, gzipSync(Buffer.concat([Buffer.from(`{"Records":[${JSON.stringify(leaky())},{"n":"`), Buffer.alloc(100 << 20, 0x61), Buffer.from('"}]}')])));
  const before = readFileSync(bomb);
  const fix = cli(["check", bomb, "--fix", "--format", "json"]);
  assert.is(fix.code, 3, fix.stderr);
  const report = JSON.parse(fix.stdout) as { summary: { records: number }; inputErrors: Array<{ code: string; message: string }>; findings: Array<{ ruleId: string }> };
  assert.ok(report.inputErrors.some((e) => e.code === "LIMIT" && /too large to redact \(more than 64\.0 MB decompressed\)/.test(e.message)));
  assert.ok(report.findings.some((f) => f.ruleId === "no-request-bytes"));
  assert.equal(readFileSync(bomb), before);
  const copy = cli(["redact", bomb, "--output", join(dir, "out.json.gz")]);
  assert.is(copy.code, 3);
  assert.equal(readdirSync(dir), ["bomb.json.gz"]);
});

test("--fix is byte-lossless outside what it removes: a UTF-8 BOM stays, and untouched YAML lines keep their spacing, quoting and comments (regression: the BOM was stripped and '\"1.11\"   # keep' became '\"1.11\" # keep')", () => {
  const record = JSON.stringify({ Records: [leaky()] }, null, 2);
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(record)]);
  const json = redactBytes(withBom, "bom.json").bytes!;
  assert.equal([...json.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.is(redactBytes(json, "bom.json").bytes, undefined, "idempotent: nothing left to fix");
  const yaml = [
    "# fixture, kept as written",
    'eventVersion: "1.11"   # keep',
    "eventSource: textract.amazonaws.com",
    "eventName: AnalyzeDocument",
    "requestParameters:",
    "  document:",
    `    bytes: '${PNG_BASE64}'   # the scan`,
    "  featureTypes: [ TABLES ]    # two spaces",
    "  queriesConfig:  {queries: []}",
    "",
    "",
    "awsRegion:   'us-east-1'",
    "",
  ].join("\n");
  const out = Buffer.from(redactBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(yaml)]), "fixture.yaml").bytes!);
  assert.equal([...out.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = out.subarray(3).toString().split("\n");
  const expected = yaml.split("\n");
  expected.splice(5, 2, "  document: {}");
  assert.equal(lines, expected);
});

test.run();
