// Writes corpus/pass and corpus/fail: realistic records in every input shape trailproof reads.
// Deterministic: running it again rewrites the same bytes. The expected verdicts are the golden
// reports in corpus/expected/, refreshed with `npm run corpus:golden` after a reviewed change.
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { ACCOUNT, identities, operations, otherServiceRecord, textractRecord, uuid } from "./lib/records.mjs";
import { awsShapes } from "./lib/aws-shapes.mjs";

const root = fileURLToPath(new URL("../corpus/", import.meta.url));
const write = (rel, data) => {
  const path = root + rel;
  mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  writeFileSync(path, data);
};
const json = (v) => JSON.stringify(v, null, 2) + "\n";
const gz = (text) => gzipSync(Buffer.from(text), { level: 9, mtime: 0 });
rmSync(root + "pass", { recursive: true, force: true });
rmSync(root + "fail", { recursive: true, force: true });

const types = Object.keys(identities);
const ops = Object.keys(operations);

// pass/: every Textract operation, every identity type, every shape.
const trail = ops.map((op, i) => textractRecord(`trail-${op}`, op, types[i % types.length], i));
trail.push(otherServiceRecord("trail-s3", 0), otherServiceRecord("trail-sts", 1), otherServiceRecord("trail-kms", 2));
const trailKey = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/03/04/${ACCOUNT}_CloudTrail_us-east-1_20260304T1015Z_Qm3xT8vLp2Rk7WzA.json.gz`;
const trailText = JSON.stringify({ Records: trail });
write(`pass/${trailKey}`, gz(trailText));
// With log file integrity validation on, an hourly digest lies beside the logs: no records, and not a failure.
const digestKey = `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2026/03/04/${ACCOUNT}_CloudTrail-Digest_us-east-1_intake-trail_us-east-1_20260304T110000Z.json.gz`;
const hex = (s) => createHash("sha256").update(s).digest("hex");
write(
  `pass/${digestKey}`,
  gz(
    JSON.stringify({
      awsAccountId: ACCOUNT,
      digestStartTime: "2026-03-04T10:00:00Z",
      digestEndTime: "2026-03-04T11:00:00Z",
      digestS3Bucket: "intake-trail-logs",
      digestS3Object: digestKey,
      digestPublicKeyFingerprint: hex("key").slice(0, 32),
      digestSignatureAlgorithm: "SHA256withRSA",
      newestEventTime: trail[0].eventTime,
      oldestEventTime: trail[0].eventTime,
      previousDigestS3Bucket: null,
      previousDigestS3Object: null,
      previousDigestHashValue: null,
      previousDigestHashAlgorithm: null,
      previousDigestSignature: null,
      logFiles: [{ s3Bucket: "intake-trail-logs", s3Object: trailKey, hashValue: hex(trailText), hashAlgorithm: "SHA-256", newestEventTime: trail[0].eventTime, oldestEventTime: trail[0].eventTime }],
    }),
  ),
);

const cw = types.map((t, i) => textractRecord(`cw-${t}`, ops[(i * 7) % ops.length], t, 40 + i));
write("pass/cloudwatch-logs-export.ndjson", cw.map((r) => JSON.stringify(r)).join("\n") + "\n");
// The same log group exported to S3 by create-export-task: "<timestamp> <record>" on each line, gzipped.
write("pass/cloudwatch-export-task/000000.gz", gz(cw.map((r) => `${r.eventTime.replace("Z", ".000Z")} ${JSON.stringify(r)}`).join("\n") + "\n"));

// A trail's log group streamed by a subscription filter to Firehose, which writes the messages to S3 one
// after another with no separator (gzipped there; plain here): a control message first, then data.
const logGroup = `aws-cloudtrail-logs-${ACCOUNT}-8f3a1c2d`;
const dataMessage = (records, first) => ({
  messageType: "DATA_MESSAGE",
  owner: ACCOUNT,
  logGroup,
  logStream: `${ACCOUNT}_CloudTrail_us-east-1`,
  subscriptionFilters: ["to-siem-firehose"],
  logEvents: records.map((r, i) => ({ id: String(37_000_000_000_000_000n + BigInt(first + i)), timestamp: Date.parse(r.eventTime), message: JSON.stringify(r) })),
});
const fh = ["AnalyzeExpense", "GetDocumentTextDetection", "StartDocumentTextDetection", "AnalyzeID"].map((op, i) => textractRecord(`fh-${op}`, op, types[(i * 3) % types.length], 110 + i));
const control = { messageType: "CONTROL_MESSAGE", owner: "CloudwatchLogs", logGroup: "", logStream: "", subscriptionFilters: [], logEvents: [{ id: "", timestamp: Date.parse(fh[0].eventTime), message: "CWL CONTROL MESSAGE: Checking health of destination Firehose." }] };
write("pass/cloudwatch-logs-firehose.json", [control, dataMessage(fh.slice(0, 3), 0), dataMessage(fh.slice(3), 3)].map((m) => JSON.stringify(m)).join(""));

const eb = ["StartDocumentAnalysis", "StartExpenseAnalysis", "CreateAdapter"].map((op, i) => {
  const detail = textractRecord(`eb-${op}`, op, "AssumedRole", 60 + i);
  return { version: "0", id: uuid(`eb-${op}`), "detail-type": "AWS API Call via CloudTrail", source: "aws.textract", account: ACCOUNT, time: detail.eventTime, region: detail.awsRegion, resources: [], detail };
});
write("pass/eventbridge-events.json", json(eb));

const lookup = ["AnalyzeDocument", "GetDocumentAnalysis", "StartLendingAnalysis"].map((op, i) => {
  const r = textractRecord(`lookup-${op}`, op, "IAMUser", 70 + i);
  return { EventId: r.eventID, EventName: op, ReadOnly: String(r.readOnly), AccessKeyId: r.userIdentity.accessKeyId, EventTime: r.eventTime, EventSource: r.eventSource, Username: "scan-uploader", Resources: [], CloudTrailEvent: JSON.stringify(r) };
});
write("pass/lookup-events.json", json({ Events: lookup }));

// Shapes AWS documents and delivers that a strict reading of its pages could reject.
for (const [name, records] of Object.entries(awsShapes)) write(`pass/aws-shapes/${name}.json`, json({ Records: records }));
write("pass/single-record.json", json(textractRecord("single", "AnalyzeDocument", "IAMUser", 80)));

const yamlRecord = textractRecord("fixture", "AnalyzeID", "AssumedRole", 90);
write(
  "pass/fixtures/analyze-id.yaml",
  `# A recorded test fixture: AnalyzeID with the page bytes stripped, as CloudTrail logs it.\nRecords:\n` +
    JSON.stringify([yamlRecord], null, 2)
      .split("\n")
      .map((l) => "  " + l)
      .join("\n")
      .replace(/^ {2}\[/, "  [") +
    "\n",
);

// STS federation events are the only place SAMLUser and WebIdentityUser identities belong.
const sts = (label, eventName, identity) => ({
  ...otherServiceRecord(label, 1),
  eventName,
  userIdentity: identity,
  requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/textract-readers`, roleSessionName: "reader", durationSeconds: 3600 },
  responseElements: null,
});
write(
  "pass/sts-federation.json",
  json([
    sts("saml", "AssumeRoleWithSAML", { type: "SAMLUser", principalId: "SampleUkh1i4+ExamplexL/jEvs=:reader@example.com", userName: "reader@example.com", identityProvider: "bdGOnTesti4+ExampleT4Yzg=" }),
    sts("webid", "AssumeRoleWithWebIdentity", { type: "WebIdentityUser", principalId: "accounts.google.com:amzn1.application-oa2-client.example:104567890123456789012", userName: "104567890123456789012", identityProvider: "accounts.google.com" }),
  ]),
);

// fail/: at least one failing record for every rule, in every shape.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PDF = "JVBERi0xLjcKMSAwIG9iaiA8PC9UeXBlIC9DYXRhbG9nIC9QYWdlcyAyIDAgUj4+IGVuZG9iagoyIDAgb2JqIDw8L1R5cGUgL1BhZ2VzIC9LaWRzIFtdIC9Db3VudCAwPj4gZW5kb2JqCnRyYWlsZXIgPDwvUm9vdCAxIDAgUj4+CiUlRU9GCg==";
const withChanges = (r, changes) => ({ ...r, ...changes });

write("fail/no-request-bytes.json", json(withChanges(textractRecord("f-bytes", "AnalyzeDocument", "IAMUser"), { requestParameters: { document: { bytes: PNG }, featureTypes: ["FORMS"] } })));
write(
  "fail/no-request-bytes-sdk-casing.yaml",
  "# Captured by SDK middleware: PascalCase members and a serialized Buffer.\n" +
    json({ Records: [withChanges(textractRecord("f-sdk", "DetectDocumentText", "AssumedRole"), { requestParameters: { Document: { Bytes: { type: "Buffer", data: [...Buffer.from(PNG, "base64")] } } } })] }),
);
write(
  "fail/no-response-fields.ndjson",
  [
    withChanges(textractRecord("f-resp1", "GetDocumentAnalysis", "AssumedRole"), { responseElements: { jobStatus: "SUCCEEDED", documentMetadata: { pages: 3 } } }),
    textractRecord("f-resp-clean", "StartDocumentAnalysis", "AssumedRole"),
    withChanges(textractRecord("f-resp2", "AnalyzeExpense", "Root"), { responseElements: { documentMetadata: { pages: 1 } } }),
  ].map((r) => JSON.stringify(r)).join("\n") + "\n",
);
write(
  "fail/no-document-content.eventbridge.json",
  json({
    version: "0", id: uuid("f-doc"), "detail-type": "AWS API Call via CloudTrail", source: "aws.textract", account: ACCOUNT, time: "2026-03-04T10:00:00Z", region: "us-east-1", resources: [],
    detail: withChanges(textractRecord("f-doc", "StartDocumentAnalysis", "AssumedRole"), { additionalEventData: { gatewayCapture: `data:application/pdf;base64,${PDF}` } }),
  }),
);
const leakedOutput = withChanges(textractRecord("f-out", "GetDocumentAnalysis", "IAMUser"), {
  responseElements: { jobStatus: "SUCCEEDED", Blocks: [{ BlockType: "LINE", Text: "Diagnosis: hypertension", Geometry: { BoundingBox: { Width: 0.31, Height: 0.02, Left: 0.12, Top: 0.4 } } }] },
});
write("fail/no-analysis-output.lookup-events.json", json({ Events: [{ EventId: leakedOutput.eventID, EventName: "GetDocumentAnalysis", CloudTrailEvent: JSON.stringify(leakedOutput) }] }));
write(
  "fail/valid-user-identity.json",
  json([
    withChanges(textractRecord("f-id1", "AnalyzeDocument", "IAMUser"), { userIdentity: undefined }),
    withChanges(textractRecord("f-id2", "StartDocumentAnalysis", "AWSService"), { userIdentity: { type: "AWSService", invokedBy: "lambda.amazonaws.com", accountId: ACCOUNT, accessKeyId: "AKIAEXAMPLEKEYID0001" } }),
  ]),
);
const seedExample = textractRecord("f-consistency", "AnalyzeDocument", "IAMUser");
seedExample.userIdentity = { ...seedExample.userIdentity, accessKeyId: seedExample.userIdentity.principalId, userName: "janedoe" };
write("fail/consistent-user-identity.json", json({ Records: [seedExample] }));
write("fail/valid-record.json", json(withChanges(textractRecord("f-env", "DetectDocumentText", "Root"), { eventTime: "2026-03-04 10:00:00", awsRegion: "us-east-1r", eventID: undefined })));
// A document however it was written down: one record per layered encoding (hex, gzip and JSON text in
// base64, a Python bytes repr, percent-encoding, pieces of base64, a line break before a PDF, a key,
// gzip in a gateway's JSON body, a form body).
{
  const pdf = Buffer.from(PDF, "base64");
  const pyRepr = (b) => "b'" + [...b].map((x) => (x >= 0x20 && x < 0x7f && x !== 0x5c && x !== 0x27 ? String.fromCharCode(x) : `\\x${x.toString(16).padStart(2, "0")}`)).join("") + "'";
  const layered = [
    ["hex", { additionalEventData: { scan: pdf.toString("hex") } }],
    ["gzip in base64", { additionalEventData: { scan: gzipSync(pdf, { level: 9, mtime: 0 }).toString("base64") } }],
    ["a JSON request body in base64", { additionalEventData: { isBase64Encoded: true, body: Buffer.from(JSON.stringify({ Document: { Bytes: PNG } })).toString("base64") } }],
    ["a Python bytes repr", { errorMessage: undefined, additionalEventData: { raw: pyRepr(Buffer.from(PNG, "base64")) } }],
    ["percent-encoding", { additionalEventData: { query: `file=${encodeURIComponent(PDF)}` } }],
    ["pieces of base64", { additionalEventData: { chunks: PNG.match(/.{1,8}/g) } }],
    ["a line break before a PDF", { additionalEventData: { scan: Buffer.concat([Buffer.from("\r\n"), pdf]).toString("base64") } }],
    ["a key", { additionalEventData: { cache: { [pdf.toString("hex")]: true } } }],
    ["gzip in base64 in a logged gateway body", { additionalEventData: { response: JSON.stringify({ statusCode: 200, body: gzipSync(pdf, { level: 9, mtime: 0 }).toString("base64"), isBase64Encoded: true }) } }],
    ["a form body of percent-encoded bytes", { additionalEventData: { form: `pages=1&document=${[...Buffer.from(PNG, "base64")].map((x) => `%${x.toString(16).padStart(2, "0")}`).join("")}` } }],
  ].map(([, changes], i) => withChanges(textractRecord(`f-layer-${i}`, "StartDocumentAnalysis", "AssumedRole", i), changes));
  write("fail/no-document-content.layered.ndjson", layered.map((r) => JSON.stringify(r)).join("\n") + "\n");
}
write("fail/event-version-fields.json", json(withChanges(textractRecord("f-ver", "GetDocumentAnalysis", "AssumedRole"), { eventVersion: "1.05", managementEvent: undefined, eventCategory: undefined })));
write("fail/known-operation.json.gz", gz(JSON.stringify({ Records: [withChanges(textractRecord("f-op", "GetAdapter", "AssumedRole"), { eventName: "AnalyzeMedicalChart" })] })));
console.log("corpus written");
