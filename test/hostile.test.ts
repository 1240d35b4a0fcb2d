// Hostile and broken input: never crash, never pass silently, never leak (one named case per requirement).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkBytes, checkPaths, checkRecord, createEngine } from "../src/index.js";
import type { Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { pathToFileURL } from "node:url";
import { cli } from "./support/cli.js";
import { ROOT } from "./support/paths.js";
import { PNG_BASE64, analyzeDocument, leaky } from "./support/records.js";

const tmp = () => mkdtempSync(join(tmpdir(), "tp-hostile-"));
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

test("accounting: records checked + unreadable records = records found", () => {
  const lines = [JSON.stringify(analyzeDocument()), "{broken", JSON.stringify(leaky()), "[1,", JSON.stringify(analyzeDocument())];
  const r = checkBytes(Buffer.from(lines.join("\n")), "mixed.ndjson");
  assert.is(r.summary.records, 3);
  assert.is(r.summary.recordsUnreadable, 2);
  assert.is(r.summary.recordsFound, 5);
  assert.is(r.summary.inputErrors, 2);
});

test("a truncated S3 delivery .json.gz is an input error (exit 3), never a pass", () => {
  const dir = tmp();
  const records = Array.from({ length: 50 }, (_, i) => analyzeDocument({ requestID: `r-${i}-${Math.random()}` }));
  const gz = gzipSync(JSON.stringify({ Records: records }));
  writeFileSync(join(dir, "cut.json.gz"), gz.subarray(0, gz.length >> 1));
  const r = cli(["check", dir, "--format", "json"]);
  assert.is(r.code, 3);
  const report = JSON.parse(r.stdout);
  assert.ok(report.inputErrors.some((e: { code: string; offset?: number }) => e.code === "GZIP" && typeof e.offset === "number"));
});

test("never a stack trace: every hostile file gives a report and an exit code in 0-3", () => {
  const dir = tmp();
  const files: Record<string, string | Buffer> = {
    "binary.json": Buffer.from([0xff, 0x00, 0x13, 0x37]),
    "deep.json": `{"eventSource":"textract.amazonaws.com","eventName":"GetDocumentAnalysis","responseElements":${"[".repeat(300_000)}1${"]".repeat(300_000)}}`,
    "deep.yaml": "[".repeat(50_000) + "]".repeat(50_000),
    // (regression: 8 MB of this ran 52 s, grew to 4 GB and crashed out of memory with a native stack)
    "deeper.yaml": "a: " + "[".repeat(8_000_000),
    "number.json": "42",
    "nulls.json": "[null, null]",
    "strings.ndjson": '"a"\n"b"\n',
    "garbage.yaml": "key: [unclosed\n  - : :\n",
    "gz-garbage.json.gz": Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8]),
    "huge-number.json": JSON.stringify(analyzeDocument()).replace('"readOnly":true', `"readOnly":1${"0".repeat(400)}`),
  };
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  for (const name of Object.keys(files)) {
    const r = cli(["check", join(dir, name)]);
    assert.ok(r.code !== null && r.code >= 0 && r.code <= 3, `${name}: exit ${r.code}`);
    assert.not.match(r.stderr, /\n\s+at /, `${name}: stack trace`);
    assert.match(r.stdout, /records? checked/, `${name}: no summary`);
  }
});

test("a configuration or rule pack nested too deep is a usage error in words (exit 2), not a crash", () => {
  const dir = tmp();
  const deep = "rules: " + "[".repeat(1_000_000);
  writeFileSync(join(dir, "deep.yaml"), deep);
  mkdirSync(join(dir, "pack"));
  writeFileSync(join(dir, "pack", "deep.yaml"), deep);
  for (const args of [["--config", join(dir, "deep.yaml")], ["--rules", join(dir, "pack")]]) {
    const r = cli(["check", join(ROOT, "corpus", "pass"), ...args]);
    assert.is(r.code, 2);
    assert.match(r.stderr, /deep\.yaml: not valid YAML: nesting too deep to parse safely \(over 256 levels\)/);
    assert.not.match(r.stderr, /\n\s+at /);
  }
});

test("a repeated key that hides a leak from JSON.parse fails the record (regression: the record passed while its text held the document)", () => {
  // JSON text of `value` in which the member at `path` is given twice: first as `first`, then as it is.
  const twice = (value: unknown, path: string[], first: unknown): string => {
    const text = (v: unknown, at: string): string => {
      if (Array.isArray(v)) return `[${v.map((x, i) => text(x, `${at}/${i}`)).join(",")}]`;
      if (v === null || typeof v !== "object") return JSON.stringify(v);
      const members = Object.entries(v).map(([k, x]) => {
        const own = `${JSON.stringify(k)}:${text(x, `${at}/${k}`)}`;
        return `${at}/${k}` === `/${path.join("/")}` ? `${JSON.stringify(k)}:${JSON.stringify(first)},${own}` : own;
      });
      return `{${members.join(",")}}`;
    };
    return text(value, "");
  };
  const leak = (leaky() as { requestParameters: unknown }).requestParameters;
  const clean = analyzeDocument();
  const repeatedAt = (text: string, name = "x.json") => checkBytes(Buffer.from(text), name).findings.filter((f) => f.ruleId === "valid-record").map((f) => f.path);
  // The leaking value first, a clean one last: JSON.parse keeps the clean one.
  const hidden = twice(analyzeDocument(), ["requestParameters"], leak);
  assert.ok(hidden.indexOf(PNG_BASE64) < hidden.lastIndexOf('"requestParameters"'));
  assert.equal(JSON.parse(hidden), clean);
  assert.equal(repeatedAt(hidden), ["/requestParameters"]);
  const nested = twice(analyzeDocument(), ["requestParameters", "document"], (leak as { document: unknown }).document);
  assert.equal(repeatedAt(nested), ["/requestParameters/document"]);
  // Escaped so that the text does not show the key: still the same key.
  assert.equal(repeatedAt(hidden.replace('"requestParameters"', '"request\\u0050arameters"')), ["/requestParameters"]);
  // A wrapper whose record member repeats: reported at the record's root.
  const event = twice({ "detail-type": "AWS API Call via CloudTrail", detail: analyzeDocument() }, ["detail"], leaky());
  assert.equal(repeatedAt(event), [""]);
  // Records sharing one line: only the one that repeats a key.
  const line = `[${JSON.stringify(clean)},${hidden},${JSON.stringify(leaky())}]`;
  const lineFindings = checkBytes(Buffer.from(line + "\n"), "x.ndjson").findings.filter((f) => f.ruleId === "valid-record");
  assert.equal(lineFindings.map((f) => [f.record, f.path]), [[1, "/requestParameters"]]);
  // The CLI fails the file (before: exit 0).
  const dir = tmp();
  writeFileSync(join(dir, "hidden.json"), hidden);
  assert.is(cli(["check", join(dir, "hidden.json")]).code, 1);
  // Scope: keys are read for repeats only where a leak rule's text scan matched (or escapes hide
  // what it looks for); a repeated key holding nothing a leak rule looks for is not reported.
  assert.equal(repeatedAt(twice(analyzeDocument(), ["awsRegion"], "us-east-1")), []);
});

test("a 50 MB string value is checked, and a document in it is found", () => {
  const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(38 * 1024 * 1024, 0x41)]).toString("base64");
  const record = analyzeDocument({ additionalEventData: { body: `payload=${pdf}` } });
  const started = Date.now();
  const findings = checkRecord(record);
  const doc = findings.find((f) => f.ruleId === "no-document-content");
  assert.ok(doc, "the PDF is found");
  assert.is(doc!.evidence!.kind, "base64 PDF");
  assert.ok(doc!.evidence!.bytes > 38 * 1024 * 1024);
  assert.ok(Date.now() - started < 20_000, "bounded");
});

test("a secret planted in any string of a record is never repeated by a finding (regression: userIdentity.type was named in a message), and no string value breaks a check", () => {
  const engine = createEngine();
  const secret = `x ${PNG_BASE64} y`;
  // Every string field of a clean record, of one with its identity's accounts disagreeing (so that the
  // consistency messages fire), and of an assumed-role session.
  const disagreeing = analyzeDocument({ userIdentity: { ...(analyzeDocument()["userIdentity"] as object), accountId: "999999999999" } });
  const assumed = analyzeDocument({
    userIdentity: {
      type: "AssumedRole",
      principalId: "AROAEXAMPLEID123456789:ingest",
      arn: "arn:aws:sts::111122223333:assumed-role/textract-ingest/ingest",
      accountId: "999999999999",
      accessKeyId: "ASIAEXAMPLEKEY123456",
      sessionContext: { sessionIssuer: { type: "Role", principalId: "AROAEXAMPLEID123456789", arn: "arn:aws:iam::111122223333:role/textract-ingest", accountId: "111122223333", userName: "textract-ingest" } },
    },
  });
  const strings = (v: unknown, at: Array<string | number> = []): Array<Array<string | number>> =>
    typeof v === "string" ? [at] : v !== null && typeof v === "object" ? Object.entries(v).flatMap(([k, c]) => strings(c, [...at, Array.isArray(v) ? Number(k) : k])) : [];
  let checked = 0;
  for (const base of [analyzeDocument(), disagreeing, assumed]) {
    for (const path of strings(base)) {
      const record = structuredClone(base);
      let holder = record as Record<string | number, unknown>;
      for (const k of path.slice(0, -1)) holder = holder[k] as Record<string | number, unknown>;
      holder[path[path.length - 1]!] = secret;
      const findings = engine.check(record);
      assert.not.ok(JSON.stringify(findings).includes(PNG_BASE64.slice(0, 16)), `the secret at ${path.join(".")} is repeated`);
      // Values that name Object.prototype's members are plain strings to every check (none looks them up in an object).
      for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
        holder[path[path.length - 1]!] = name;
        engine.check(record);
      }
      checked++;
    }
  }
  assert.ok(checked > 50, `${checked} places`);
});

test("an identity type named like an Object.prototype member (constructor, __proto__, toString) is an unknown type, and checking never throws (regression)", () => {
  const engine = createEngine();
  for (const type of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
    const identity = { type, principalId: "AIDAJ45Q7YFFAREXAMPLE", arn: "arn:aws:iam::111122223333:user/intake", accountId: "111122223333", sessionContext: { sessionIssuer: { type, principalId: "AROAEXAMPLE", arn: "arn:aws:iam::111122223333:role/r", accountId: "111122223333" } } };
    const findings = engine.check(analyzeDocument({ userIdentity: identity }));
    assert.equal(findings.filter((f) => f.ruleId === "valid-user-identity").map((f) => f.path), ["/userIdentity/type"], type);
    assert.equal(findings.filter((f) => f.ruleId === "consistent-user-identity"), [], type);
  }
});

test("inert data: a $ref in a record is data, not a schema reference", () => {
  const record = analyzeDocument({ userIdentity: { $ref: "https://example.invalid/identity.json", type: "AWSService" } });
  const ids = checkRecord(record).map((f) => f.ruleId);
  assert.ok(ids.includes("valid-user-identity"), "still validated as an AWSService without invokedBy");
});

test("file names with control characters are escaped in text output", () => {
  const dir = tmp();
  const name = "evil\u001b[2Jname.json";
  writeFileSync(join(dir, name), JSON.stringify(leaky()));
  const r = cli(["check", dir]);
  assert.is(r.code, 1);
  assert.not.match(r.stdout, /\u001b/);
  assert.match(r.stdout, /evil\\x1b\[2Jname\.json/);
});

test("file system: symlink loops end, dangling links and FIFOs are reported, others still checked", () => {
  const dir = tmp();
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "sub", "ok.json"), JSON.stringify(analyzeDocument()));
  symlinkSync(dir, join(dir, "sub", "loop"));
  symlinkSync(join(dir, "missing.json"), join(dir, "dangling.json"));
  execFileSync("mkfifo", [join(dir, "pipe.json")]);
  const r = cli(["check", dir, "--format", "json"]);
  assert.is(r.code, 3);
  const report = JSON.parse(r.stdout);
  assert.is(report.summary.records, 1);
  const messages = report.inputErrors.map((e: { file: string; message: string }) => `${e.file}: ${e.message}`).join("\n");
  assert.match(messages, /dangling\.json: cannot read: no such file/);
  assert.match(messages, /pipe\.json: not a regular file/);
});

test("a path that vanished before it was read is an input error", async () => {
  const report = await checkPaths([join(tmp(), "gone.json")]);
  assert.is(report.inputErrors[0]!.code, "READ");
});

test("non-UTF-8 bytes: reported (exit 3) and the record is still checked", () => {
  const bytes = Buffer.concat([json(leaky()).subarray(0, -1), Buffer.from(',"note":"caf\xe9"}', "latin1")]);
  const r = checkBytes(bytes, "latin1.json");
  assert.ok(r.inputErrors.some((e) => e.code === "ENCODING" && typeof e.offset === "number"));
  assert.ok(r.findings.some((f) => f.ruleId === "no-request-bytes"));
});

test("a failed --output write leaves the target intact and no temporary file behind", () => {
  const dir = tmp();
  const target = join(dir, "report.json");
  mkdirSync(target); // a directory where the report should go: rename must fail
  writeFileSync(join(target, "keep.txt"), "x");
  const r = cli(["check", "corpus/pass", "--output", target]);
  assert.is(r.code, 2);
  assert.not.match(r.stderr, /\n\s+at /);
  assert.equal(readdirSync(target), ["keep.txt"]);
  assert.equal(readdirSync(dir), ["report.json"]);
});

test("an internal error is reported as such, with its file, and the other records are still checked", () => {
  const real = createEngine();
  const flaky: Engine = {
    ...real,
    check(record, where) {
      if ((record as Record<string, unknown>)["eventName"] === "Boom") throw new Error("boom");
      return real.check(record, where);
    },
  };
  const r = checkBytes(Buffer.from([JSON.stringify(analyzeDocument({ eventName: "Boom" })), JSON.stringify(leaky())].join("\n")), "x.ndjson", { engine: flaky });
  assert.is(r.inputErrors[0]!.code, "INTERNAL");
  assert.is(r.inputErrors[0]!.file, "x.ndjson");
  assert.ok(r.findings.length > 0);
  assert.is(r.summary.recordsFound, 2);
});

test("limits are configurable and hitting one is reported: YAML aliases, pattern input length", () => {
  const dir = tmp();
  writeFileSync(join(dir, "aliases.yaml"), 'eventVersion: "1.08"\na: &a [1, 2]\nb: [*a, *a, *a]\n');
  assert.is(cli(["check", dir, "--yaml-max-aliases", "2"]).code, 3);
  assert.is(cli(["check", dir, "--yaml-max-aliases", "5"]).code, 1); // readable now; the record itself is malformed
  writeFileSync(
    join(dir, "pack.yaml"),
    `pack: limits\nrules:\n  - id: short-agent\n    severity: warning\n    description: user agents are matched by a bounded pattern\n    check: { function: pattern, options: { at: /userAgent, match: "^[a-z]", maxLength: 10 } }\n    message: "{{detail}}"\n    tests:\n      valid: [{ name: short, record: { userAgent: aws } }]\n      invalid: [{ name: long, record: { userAgent: aws-sdk-js/3.600.0 }, findings: [/userAgent] }]\n`,
  );
  const r = cli(["test-rules", join(dir, "pack.yaml")]);
  assert.is(r.code, 0, r.stdout);
});

test("a record over the size limit (--max-record-mb, default 16) is an input error, not a crash or a silent pass; the records around it are checked", () => {
  const dir = tmp();
  // 17 MiB of a document's base64 inside one record, between two leaking ones.
  const huge = JSON.stringify({ ...leaky(), additionalEventData: { note: "QUFB".repeat(17 * 1024 * 256) } });
  writeFileSync(join(dir, "big.json"), `{"Records":[${JSON.stringify(leaky())},${huge},${JSON.stringify(leaky())}]}`);
  const r = cli(["check", join(dir, "big.json"), "--format", "json"]);
  assert.is(r.code, 3, r.stderr);
  const report = JSON.parse(r.stdout) as { summary: { records: number; recordsUnreadable: number }; inputErrors: Array<{ code: string; record: number; message: string }> };
  assert.equal([report.summary.records, report.summary.recordsUnreadable], [2, 1]);
  assert.equal(report.inputErrors.map((e) => [e.code, e.record]), [["LIMIT", 1]]);
  assert.match(report.inputErrors[0]!.message, /a record of 17\.0 MB, over the record size limit of 16\.0 MB/);
  assert.not.match(r.stderr, /at .*\.js/);
  // Raised, it is read and checked (with its leak found like the others').
  assert.is(cli(["check", join(dir, "big.json"), "--max-record-mb", "32", "--quiet"]).code, 1);
  for (const bad of ["0", "257", "1.5", "x"]) {
    const u = cli(["check", join(dir, "big.json"), "--max-record-mb", bad]);
    assert.is(u.code, 2, bad);
    assert.match(u.stderr, /--max-record-mb takes a whole number of MiB from 1 to 256/);
  }
  writeFileSync(join(dir, ".trailproof.yaml"), "maxRecordMB: 32\n");
  assert.is(cli(["check", "big.json", "--quiet"], { cwd: dir }).code, 1);
});

test("input errors and failed parses carry no stack trace (a file of broken lines has millions), and leave Error.stackTraceLimit as it was", () => {
  const before = Error.stackTraceLimit;
  const r = checkBytes(Buffer.from(["{broken", JSON.stringify(analyzeDocument()), "[1,"].join("\n")), "x.ndjson");
  assert.equal(r.inputErrors.map((e) => e.code), ["PARSE", "PARSE"]);
  assert.is(Error.stackTraceLimit, before);
  const e = new InputError("PARSE", "f", "m");
  assert.is(e.stack?.includes("\n    at "), false);
  assert.ok(e instanceof Error);
  assert.ok(new Error("x").stack?.includes("\n    at "));
  // Where the intrinsics are frozen (SES lockdown), reading works the same, stack traces and all.
  const script = `Object.freeze(Error); const { checkBytes } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist/src/index.js")).href)});
    const r = checkBytes(Buffer.from(${JSON.stringify(["{broken", JSON.stringify(analyzeDocument())].join("\n"))}), "x.ndjson");
    console.log(JSON.stringify([r.summary.records, r.inputErrors.map((e) => e.code)]));`;
  assert.is(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }).trim(), JSON.stringify([1, ["PARSE"]]));
});

test("a layer whose decoded text is searched again ends (regression: base64 of JSON text with a member value the hints match, a JWT's payload, looped forever)", () => {
  const payload = Buffer.from(JSON.stringify({ sub: "1234", iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", exp: 1770000000 })).toString("base64url");
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${payload}.c2lnbmF0dXJl`;
  const record = JSON.stringify(analyzeDocument({ additionalEventData: { token: jwt, body: Buffer.from(JSON.stringify({ a: "12", b: payload })).toString("base64") } }));
  // In a child with a deadline: a loop would otherwise hang the suite rather than fail it.
  const script = `import(${JSON.stringify(pathToFileURL(join(process.cwd(), "dist/src/index.js")).href)}).then((m) => { const r = m.checkBytes(Buffer.from(process.argv[1]), "t.json"); process.stdout.write(String(r.summary.records)); })`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script, record], { encoding: "utf8", timeout: 20_000 });
  assert.is(out, "1");
});

test.run();
