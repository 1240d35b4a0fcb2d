// Realistic CloudTrail records of Textract calls, built deterministically from a seed.
// Used by scripts/make-corpus.mjs (the bundled corpus/) and by the benchmark's generator.
import { createHash } from "node:crypto";

export const ACCOUNT = "111122223333";

/** Deterministic hex from a label: the same label always gives the same id. */
export function hex(label, n) {
  let out = "";
  for (let i = 0; out.length < n; i++) out += createHash("sha256").update(`${label}/${i}`).digest("hex");
  return out.slice(0, n);
}
export function uuid(label) {
  const h = hex(label, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
function upper(label, n) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return [...Buffer.from(hex(label, n * 2), "hex")].slice(0, n).map((b) => alphabet[b % 32]).join("");
}

export const identities = {
  IAMUser: (l) => ({
    type: "IAMUser", principalId: `AIDA${upper(l + "u", 17)}`, arn: `arn:aws:iam::${ACCOUNT}:user/intake/scan-uploader`,
    accountId: ACCOUNT, accessKeyId: `AKIA${upper(l + "k", 16)}`, userName: "scan-uploader",
  }),
  Root: (l) => ({
    type: "Root", principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: `ASIA${upper(l + "k", 16)}`,
    sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: "2026-03-04T08:00:00Z", mfaAuthenticated: "true" } },
  }),
  AssumedRole: (l) => {
    const roleId = `AROA${upper(l + "r", 17)}`;
    return {
      type: "AssumedRole", principalId: `${roleId}:claims-worker-7`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/textract-claims/claims-worker-7`,
      accountId: ACCOUNT, accessKeyId: `ASIA${upper(l + "k", 16)}`,
      sessionContext: {
        sessionIssuer: { type: "Role", principalId: roleId, arn: `arn:aws:iam::${ACCOUNT}:role/service-role/textract-claims`, accountId: ACCOUNT, userName: "textract-claims" },
        webIdFederationData: {}, attributes: { creationDate: "2026-03-04T09:30:00Z", mfaAuthenticated: "false" }, ec2RoleDelivery: "2.0",
      },
    };
  },
  Role: (l) => ({ type: "Role", principalId: `AROA${upper(l + "r", 17)}`, arn: `arn:aws:iam::${ACCOUNT}:role/textract-batch`, accountId: ACCOUNT, userName: "textract-batch" }),
  FederatedUser: (l) => ({
    type: "FederatedUser", principalId: `${ACCOUNT}:partner-portal`, arn: `arn:aws:sts::${ACCOUNT}:federated-user/partner-portal`, accountId: ACCOUNT,
    accessKeyId: `ASIA${upper(l + "k", 16)}`,
    sessionContext: {
      sessionIssuer: { type: "IAMUser", principalId: `AIDA${upper(l + "b", 17)}`, arn: `arn:aws:iam::${ACCOUNT}:user/federation-broker`, accountId: ACCOUNT, userName: "federation-broker" },
      webIdFederationData: {}, attributes: { creationDate: "2026-03-04T09:00:00Z", mfaAuthenticated: "false" },
    },
  }),
  AWSAccount: (l) => ({ type: "AWSAccount", principalId: `AIDA${upper(l + "x", 17)}`, accountId: "444455556666" }),
  AWSService: () => ({ type: "AWSService", invokedBy: "lambda.amazonaws.com" }),
  IdentityCenterUser: (l) => ({
    type: "IdentityCenterUser", accountId: ACCOUNT,
    onBehalfOf: { userId: `${hex(l + "i", 8)}-${hex(l + "j", 4)}-${hex(l + "k", 4)}-${hex(l + "l", 4)}-${hex(l + "m", 12)}`, identityStoreArn: `arn:aws:identitystore::${ACCOUNT}:identitystore/d-${hex(l + "d", 10)}` },
    credentialId: upper(l + "c", 40),
  }),
  Directory: () => ({ type: "Directory", userName: "records-clerk" }),
  Unknown: () => ({ type: "Unknown", accountId: ACCOUNT, userName: "records-clerk" }),
};

const FEATURES = ["TABLES", "FORMS"];
const s3 = (name) => ({ s3Object: { bucket: "intake-documents-111122223333", name } });
const jobId = (l) => hex(l + "job", 64);

/** requestParameters and responseElements of a compliant call, per operation. */
export const operations = {
  AnalyzeDocument: () => [{ document: {}, featureTypes: FEATURES, queriesConfig: { queries: [{ text: "What is the policy number?", alias: "POLICY" }] } }, null],
  DetectDocumentText: () => [{ document: s3("scans/2026/03/form-0042.png") }, null],
  AnalyzeExpense: () => [{ document: {} }, null],
  AnalyzeID: () => [{ documentPages: [{}, {}] }, null],
  StartDocumentAnalysis: (l) => [{ documentLocation: s3("claims/claim-0042.pdf"), featureTypes: FEATURES, jobTag: "claims", notificationChannel: { sNSTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:textract-done`, roleArn: `arn:aws:iam::${ACCOUNT}:role/textract-sns` } }, { jobId: jobId(l) }],
  StartDocumentTextDetection: (l) => [{ documentLocation: s3("archive/letter-17.tiff"), outputConfig: { s3Bucket: "intake-results", s3Prefix: "text/" } }, { jobId: jobId(l) }],
  StartExpenseAnalysis: (l) => [{ documentLocation: s3("receipts/r-2291.jpg") }, { jobId: jobId(l) }],
  StartLendingAnalysis: (l) => [{ documentLocation: s3("loans/application-88.pdf"), kMSKeyId: "alias/textract-lending" }, { jobId: jobId(l) }],
  GetDocumentAnalysis: (l) => [{ jobId: jobId(l), maxResults: 1000 }, null],
  GetDocumentTextDetection: (l) => [{ jobId: jobId(l) }, null],
  GetExpenseAnalysis: (l) => [{ jobId: jobId(l) }, null],
  GetLendingAnalysis: (l) => [{ jobId: jobId(l), nextToken: hex(l + "n", 40) }, null],
  GetLendingAnalysisSummary: (l) => [{ jobId: jobId(l) }, null],
  CreateAdapter: (l) => [{ adapterName: "claims-forms", featureTypes: ["QUERIES"], autoUpdate: "ENABLED", clientRequestToken: hex(l + "t", 32) }, { adapterId: hex(l + "a", 12) }],
  CreateAdapterVersion: (l) => [{ adapterId: hex(l + "a", 12), datasetConfig: { manifestS3Object: { bucket: "adapter-training", name: "manifest.jsonl" } }, outputConfig: { s3Bucket: "adapter-out", s3Prefix: "v2/" } }, { adapterId: hex(l + "a", 12), adapterVersion: "2" }],
  DeleteAdapter: (l) => [{ adapterId: hex(l + "a", 12) }, null],
  DeleteAdapterVersion: (l) => [{ adapterId: hex(l + "a", 12), adapterVersion: "1" }, null],
  GetAdapter: (l) => [{ adapterId: hex(l + "a", 12) }, { adapterId: hex(l + "a", 12), adapterName: "claims-forms", featureTypes: ["QUERIES"], autoUpdate: "ENABLED", creationTime: "Mar 4, 2026, 9:00:00 AM" }],
  GetAdapterVersion: (l) => [{ adapterId: hex(l + "a", 12), adapterVersion: "2" }, { adapterId: hex(l + "a", 12), adapterVersion: "2", status: "ACTIVE", featureTypes: ["QUERIES"], evaluationMetrics: [{ featureType: "QUERIES", baseline: { f1Score: 0.81, precision: 0.8, recall: 0.82 }, adapterVersion: { f1Score: 0.93, precision: 0.94, recall: 0.92 } }] }],
  ListAdapterVersions: (l) => [{ adapterId: hex(l + "a", 12), maxResults: 20 }, { adapterVersions: [{ adapterId: hex(l + "a", 12), adapterVersion: "2", status: "ACTIVE" }] }],
  ListAdapters: () => [{ maxResults: 20 }, { adapters: [{ adapterName: "claims-forms", featureTypes: ["QUERIES"] }] }],
  UpdateAdapter: (l) => [{ adapterId: hex(l + "a", 12), description: "claims forms, 2026 layout" }, { adapterId: hex(l + "a", 12), adapterName: "claims-forms", autoUpdate: "DISABLED" }],
  ListTagsForResource: (l) => [{ resourceARN: `arn:aws:textract:us-east-1:${ACCOUNT}:/adapters/${hex(l + "a", 12)}` }, { tags: { team: "claims" } }],
  TagResource: (l) => [{ resourceARN: `arn:aws:textract:us-east-1:${ACCOUNT}:/adapters/${hex(l + "a", 12)}`, tags: { team: "claims" } }, null],
  UntagResource: (l) => [{ resourceARN: `arn:aws:textract:us-east-1:${ACCOUNT}:/adapters/${hex(l + "a", 12)}`, tagKeys: ["team"] }, null],
  StartDocumentInsights: (l) => [{ inputConfiguration: { s3Uri: "s3://intake-documents-111122223333/insights/in/" }, outputConfiguration: { s3Uri: "s3://intake-results/insights/" }, projectArn: `arn:aws:textract:us-east-1:${ACCOUNT}:project/${hex(l + "p", 12)}` }, { jobArn: `arn:aws:textract:us-east-1:${ACCOUNT}:job/${hex(l + "j", 20)}` }],
  GetDocumentInsights: (l) => [{ jobArn: `arn:aws:textract:us-east-1:${ACCOUNT}:job/${hex(l + "j", 20)}` }, { status: "COMPLETED", outputConfiguration: { s3Uri: "s3://intake-results/insights/" } }],
  CreateProject: (l) => [{ projectName: "mortgage-packets" }, { projectArn: `arn:aws:textract:us-east-1:${ACCOUNT}:project/${hex(l + "p", 12)}`, status: "ACTIVE" }],
  UpdateProject: (l) => [{ projectArn: `arn:aws:textract:us-east-1:${ACCOUNT}:project/${hex(l + "p", 12)}`, description: "2026 packets" }, null],
  CreateBlueprint: (l) => [{ blueprintName: "w2-form" }, { blueprintArn: `arn:aws:textract:us-east-1:${ACCOUNT}:blueprint/${hex(l + "b", 16)}` }],
  UpdateBlueprint: (l) => [{ blueprintArn: `arn:aws:textract:us-east-1:${ACCOUNT}:blueprint/${hex(l + "b", 16)}` }, null],
  CreateBlueprintVersion: (l) => [{ blueprintArn: `arn:aws:textract:us-east-1:${ACCOUNT}:blueprint/${hex(l + "b", 16)}` }, { blueprintVersion: "3" }],
  ListBlueprints: () => [{ resourceOwner: "SERVICE" }, { blueprints: [{ blueprintName: "payslip" }] }],
  GetProject: (l) => [{ projectArn: `arn:aws:textract:us-east-1:${ACCOUNT}:project/${hex(l + "p", 12)}` }, { projectArn: `arn:aws:textract:us-east-1:${ACCOUNT}:project/${hex(l + "p", 12)}`, projectName: "mortgage-packets", status: "ACTIVE", extractionConfiguration: { boundingBox: { state: "ENABLED" }, granularity: { types: ["DOCUMENT", "PAGE"] } } }],
  ListProjects: () => [{ maxResults: 20 }, { projects: [{ projectName: "mortgage-packets" }] }],
  DeleteProject: (l) => [{ projectArn: `arn:aws:textract:us-east-1:${ACCOUNT}:project/${hex(l + "p", 12)}` }, null],
  GetBlueprint: (l) => [{ blueprintArn: `arn:aws:textract:us-east-1:${ACCOUNT}:blueprint/${hex(l + "b", 16)}` }, { blueprintArn: `arn:aws:textract:us-east-1:${ACCOUNT}:blueprint/${hex(l + "b", 16)}`, blueprintName: "w2-form", schema: '{"class":"W2","properties":{"Summary":{"type":"string","inferenceType":"explicit"},"EmployerName":{"type":"string"}}}' }],
  DeleteBlueprint: (l) => [{ blueprintArn: `arn:aws:textract:us-east-1:${ACCOUNT}:blueprint/${hex(l + "b", 16)}` }, null],
};

const READ_ONLY = /^(Get|List|Detect|Analyze)/;
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "ca-central-1", "eu-central-1"];

/** One compliant Textract record. `label` makes every id in it deterministic. */
export function textractRecord(label, eventName, identityType = "AssumedRole", minute = 0) {
  const [requestParameters, responseElements] = operations[eventName](label);
  const identity = identities[identityType](label);
  const region = REGIONS[parseInt(hex(label + "region", 2), 16) % REGIONS.length];
  const service = identityType === "AWSService";
  const t = new Date(Date.UTC(2026, 2, 4, 10, 0, 0) + minute * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    eventVersion: "1.11",
    userIdentity: identity,
    eventTime: t,
    eventSource: "textract.amazonaws.com",
    eventName,
    awsRegion: region,
    sourceIPAddress: service ? "lambda.amazonaws.com" : `198.51.100.${parseInt(hex(label + "ip", 2), 16) % 250 + 1}`,
    userAgent: service ? "lambda.amazonaws.com" : "aws-sdk-js/3.600.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2 api/textract#3.600.0",
    requestParameters,
    responseElements,
    requestID: uuid(label + "req"),
    eventID: uuid(label + "evt"),
    readOnly: READ_ONLY.test(eventName),
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
    ...(service ? {} : { tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: `textract.${region}.amazonaws.com` } }),
  };
}

/** A record of another service, for mixed trails: only the envelope and identity rules apply to it. */
export function otherServiceRecord(label, kind = 0) {
  const base = textractRecord(label, "GetAdapter", "IAMUser");
  const variants = [
    { eventSource: "s3.amazonaws.com", eventName: "GetObject", requestParameters: { bucketName: "intake-documents-111122223333", key: "scans/2026/03/form-0042.png", Host: "intake-documents-111122223333.s3.us-east-1.amazonaws.com" }, responseElements: null, readOnly: true, eventCategory: "Data", managementEvent: false, additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 48213, "x-amz-id-2": "r7Q9kD2mZ/vJ0Qh5W1eTnF3xP8yL6cB4aS0uG2iK9oM7nR1tE5wX3zV8bN6mC4qA2sD0fH7jL9=" } },
    { eventSource: "sts.amazonaws.com", eventName: "AssumeRole", requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/textract-claims`, roleSessionName: "claims-worker-7" }, responseElements: { credentials: { accessKeyId: `ASIA${hex(label, 16).toUpperCase()}`, sessionToken: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" + Buffer.from(hex(label + "tok", 300), "hex").toString("base64"), expiration: "Mar 4, 2026, 11:00:00 AM" } }, readOnly: true },
    { eventSource: "kms.amazonaws.com", eventName: "Decrypt", requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT", encryptionContext: { "aws:s3:arn": "arn:aws:s3:::intake-documents-111122223333/scans/2026/03/form-0042.png" } }, responseElements: null, readOnly: true },
  ];
  return { ...base, ...variants[kind % variants.length], eventID: uuid(label + "evt"), requestID: uuid(label + "req") };
}
