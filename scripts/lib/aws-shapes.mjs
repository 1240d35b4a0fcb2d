// Records in the shapes AWS documents and delivers that a strict reader of the record and
// userIdentity pages could get wrong: each is built here from the documented shape (ids made up,
// deterministic), and each must pass with no finding. Written to corpus/pass/aws-shapes/.
import { ACCOUNT, hex, uuid } from "./records.mjs";

const OTHER = "444455556666";
const t = (minute) => new Date(Date.UTC(2026, 2, 5, 9, 0, 0) + minute * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
const b32 = (label, n) => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return [...Buffer.from(hex(label, n * 2), "hex")].slice(0, n).map((b) => alphabet[b % 32]).join("");
};
const tls = (host) => ({ tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: host });
const roleId = (l) => `AROA${b32(l + "role", 17)}`;
const assumedRole = (l, role, session, extra = {}) => ({
  type: "AssumedRole",
  principalId: `${roleId(l)}:${session}`,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
  accountId: ACCOUNT,
  accessKeyId: `ASIA${b32(l + "key", 16)}`,
  sessionContext: {
    sessionIssuer: { type: "Role", principalId: roleId(l), arn: `arn:aws:iam::${ACCOUNT}:role/${role}`, accountId: ACCOUNT, userName: role },
    webIdFederationData: {},
    attributes: { creationDate: t(0), mfaAuthenticated: "false" },
    ...(extra.sessionContext ?? {}),
  },
  ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "sessionContext")),
});

/** A record with the fields every version from 1.08 has; `fields` overrides and adds. */
function record(label, minute, fields) {
  return {
    eventVersion: "1.11",
    eventTime: t(minute),
    awsRegion: "eu-west-2",
    sourceIPAddress: `203.0.113.${(minute % 200) + 10}`,
    userAgent: "aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.6",
    requestParameters: null,
    responseElements: null,
    requestID: uuid(label + "req"),
    eventID: uuid(label + "evt"),
    readOnly: true,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
    ...fields,
  };
}
const textract = (label, minute, eventName, requestParameters, responseElements, identity, more = {}) =>
  record(label, minute, { userIdentity: identity, eventSource: "textract.amazonaws.com", eventName, requestParameters, responseElements, readOnly: /^(Get|List)/.test(eventName), tlsDetails: tls("textract.eu-west-2.amazonaws.com"), ...more });

const project = `arn:aws:textract:eu-west-2:${ACCOUNT}:project/${hex("shape-project", 12)}`;
const blueprint = `arn:aws:textract:eu-west-2:${ACCOUNT}:blueprint/${hex("shape-blueprint", 16)}`;
const blueprintSchema = JSON.stringify({
  class: "DischargeLetter",
  description: "A hospital discharge letter",
  properties: { Summary: { type: "string", inferenceType: "explicit" }, geometry: { type: "string", instruction: "page layout" }, Blocks: { type: "array", items: { type: "string" } } },
});
const worker = (l) => assumedRole(l, "textract-insights", "insights-worker");

/** File name (without .json) to the records it holds, as {"Records": [...]}. */
export const awsShapes = {
  // Textract Insights calls, and request members that name output structures as configuration.
  "textract-insights": [
    textract("s-gp", 1, "GetProject", { projectArn: project }, null, worker("s-gp")),
    textract("s-lp", 2, "ListProjects", { maxResults: 10, blueprintFilter: { blueprintArn: blueprint } }, null, worker("s-lp")),
    textract("s-dp", 3, "DeleteProject", { projectArn: project }, null, worker("s-dp")),
    textract("s-gb", 4, "GetBlueprint", { blueprintArn: blueprint, blueprintVersion: "2" }, null, worker("s-gb")),
    textract("s-db", 5, "DeleteBlueprint", { blueprintArn: blueprint }, null, worker("s-db")),
    textract("s-cp", 6, "CreateProject", { projectName: "discharge-letters", extractionConfiguration: { boundingBox: { state: "ENABLED" }, granularity: { types: ["DOCUMENT", "PAGE", "ELEMENT"] }, outputFormat: { textFormat: { types: ["MARKDOWN"] } } }, clientRequestToken: hex("s-cp-t", 32) }, { projectArn: project, status: "ACTIVE" }, worker("s-cp")),
    textract("s-up", 7, "UpdateProject", { projectArn: project, extractionConfiguration: { boundingBox: { state: "DISABLED" } } }, { projectArn: project, status: "ACTIVE" }, worker("s-up")),
    textract("s-cb", 8, "CreateBlueprint", { blueprintName: "discharge-letter", schema: blueprintSchema, clientRequestToken: hex("s-cb-t", 32) }, { blueprintArn: blueprint }, worker("s-cb")),
    textract("s-ub", 9, "UpdateBlueprint", { blueprintArn: blueprint, schema: blueprintSchema }, { blueprintArn: blueprint }, worker("s-ub")),
  ],
  // Envelope fields the record contents page marks optional or "usually" something else.
  "envelope-optional": [
    (() => {
      const r = textract("s-norecipient", 10, "GetDocumentTextDetection", { jobId: hex("s-job", 64) }, null, worker("s-norecipient"));
      delete r.recipientAccountId;
      return r;
    })(),
    textract("s-vpce", 11, "GetDocumentAnalysis", { jobId: hex("s-job2", 64) }, null, { type: "AWSService", invokedBy: "textract.amazonaws.com" }, {
      sourceIPAddress: "textract.amazonaws.com", userAgent: "textract.amazonaws.com", vpcEndpointId: "AWS Internal", vpcEndpointAccountId: "AWS Internal", tlsDetails: undefined,
    }),
    textract("s-emptyua", 12, "AnalyzeDocument", { document: {}, featureTypes: ["TABLES"] }, null, worker("s-emptyua"), { userAgent: "" }),
  ],
  // Callers without an ARN, a type or an account id, as AWS delivers them.
  "identities-without-usual-fields": [
    record("s-anon", 13, {
      userIdentity: { type: "AWSAccount", principalId: "", accountId: "anonymous" },
      eventSource: "s3.amazonaws.com", eventName: "GetObject", sourceIPAddress: "198.51.100.77", userAgent: "curl/8.5.0",
      requestParameters: { bucketName: "public-forms-blank", Host: "public-forms-blank.s3.eu-west-2.amazonaws.com", key: "blank/claim-form.pdf" },
      additionalEventData: { SignatureVersion: "", CipherSuite: "TLS_AES_128_GCM_SHA256", bytesTransferredIn: 0, AuthenticationMethod: "", "x-amz-id-2": "k3Jb0Yx9c8m1Qe2Rf7Tg5Hn4Ws6Pv0Ld3Aq8Zs1Xc5Vb7Nm9=", bytesTransferredOut: 91342 },
      resources: [{ type: "AWS::S3::Object", ARN: "arn:aws:s3:::public-forms-blank/blank/claim-form.pdf" }, { accountId: ACCOUNT, type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::public-forms-blank" }],
      managementEvent: false, eventCategory: "Data", tlsDetails: tls("public-forms-blank.s3.eu-west-2.amazonaws.com"),
    }),
    record("s-anon2", 14, {
      userIdentity: { type: "AWSAccount", principalId: "", accountId: "ANONYMOUS_PRINCIPAL" },
      eventSource: "s3.amazonaws.com", eventName: "HeadObject", sourceIPAddress: "198.51.100.78", userAgent: "python-requests/2.32.3",
      requestParameters: { bucketName: "public-forms-blank", Host: "public-forms-blank.s3.eu-west-2.amazonaws.com", key: "blank/claim-form.pdf" },
      resources: [{ type: "AWS::S3::Object", ARN: "arn:aws:s3:::public-forms-blank/blank/claim-form.pdf" }], managementEvent: false, eventCategory: "Data",
    }),
    record("s-checkmfa", 15, {
      eventVersion: "1.08",
      userIdentity: { type: "IAMUser", principalId: `AIDA${b32("s-mfa", 17)}`, accountId: ACCOUNT, accessKeyId: "", userName: "claims-admin" },
      eventSource: "signin.amazonaws.com", eventName: "CheckMfa", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
      responseElements: { CheckMfa: "Success" }, additionalEventData: { MfaType: "Virtual MFA" }, readOnly: false, eventType: "AwsConsoleSignIn",
      requestID: undefined,
    }),
    record("s-loginfail", 16, {
      eventVersion: "1.08",
      userIdentity: { type: "IAMUser", accountId: ACCOUNT, accessKeyId: "", userName: "HIDDEN_DUE_TO_SECURITY_REASONS" },
      eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", errorMessage: "No username found in supplied account", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
      responseElements: { ConsoleLogin: "Failure" }, additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: "No" }, readOnly: false, eventType: "AwsConsoleSignIn",
      requestID: undefined,
    }),
    record("s-kms-sync", 17, {
      userIdentity: { accountId: ACCOUNT, invokedBy: "AWS Internal" },
      eventSource: "kms.amazonaws.com", eventName: "SynchronizeMultiRegionKey", sourceIPAddress: "AWS Internal", userAgent: "AWS Internal",
      resources: [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: `arn:aws:kms:eu-west-2:${ACCOUNT}:key/mrk-${hex("s-mrk", 32)}` }], readOnly: false,
    }),
    record("s-r53d", 18, {
      userIdentity: assumedRole("s-r53d", "domain-admin", "registrar"),
      eventSource: "route53domains.amazonaws.com", eventName: "RenewDomain", awsRegion: "us-east-1",
      requestParameters: { domainName: "claims-example.net", durationInYears: 1, currentExpiryYear: 2026 }, responseElements: { operationId: uuid("s-r53d-op") },
      additionalEventData: "Version 2014-05-15", readOnly: false,
    }),
    record("s-grafana", 19, {
      userIdentity: { type: "SAMLUser", principalId: `${ACCOUNT}:g-${hex("s-graf-ws", 10)}:jane.roe@example.org`, accountId: ACCOUNT, userName: "jane.roe@example.org" },
      eventSource: "grafana.amazonaws.com", eventName: "DescribeWorkspace", sourceIPAddress: "203.0.113.41", userAgent: "grafana",
      requestParameters: { workspaceId: `g-${hex("s-graf-ws", 10)}` },
    }),
  ],
  // Identity Center, directory and AWS data-event identities.
  "identity-center-and-directory": [
    record("s-icuser", 20, {
      userIdentity: { type: "IdentityCenterUser", accountId: ACCOUNT, onBehalfOf: { userId: `${hex("s-icu-pre", 10)}-${uuid("s-icu")}`, identityStoreArn: `arn:aws:identitystore::${ACCOUNT}:identitystore/d-${hex("s-store", 10)}` } },
      eventSource: "sso.amazonaws.com", eventName: "ListAccounts", awsRegion: "eu-west-2", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    }),
    record("s-directory", 21, {
      userIdentity: { type: "Directory", principalId: `S-1-5-21-${hex("s-sid", 10)}`, accountId: ACCOUNT, userName: "CLAIMS-CORP\\jane.roe.medical.records.reviewer.eastern.region.team.lead" },
      eventSource: "workdocs.amazonaws.com", eventName: "GetDocument", requestParameters: { documentId: hex("s-doc", 64) },
    }),
    record("s-s3data", 22, {
      userIdentity: assumedRole("s-s3data", "claims-reader", "claims-reader-session", { userName: "", sessionContext: { ec2RoleDelivery: "", assumedRoot: "", sourceIdentity: "" } }),
      eventSource: "s3.amazonaws.com", eventName: "ListObjects", requestParameters: { bucketName: "intake-documents-111122223333", Host: "intake-documents-111122223333.s3.eu-west-2.amazonaws.com", prefix: "scans/" },
      managementEvent: false, eventCategory: "Data", resources: [{ accountId: ACCOUNT, type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::intake-documents-111122223333" }],
    }),
  ],
  // Sessions of AWS compute and AWS's own callers.
  "service-sessions": [
    textract("s-lambda", 23, "StartDocumentAnalysis", { documentLocation: { s3Object: { bucket: "intake-documents-111122223333", name: "claims/c-1.pdf" } }, featureTypes: ["FORMS"] }, { jobId: hex("s-lj", 64) },
      assumedRole("s-lambda", "claims-intake-function-role", "claims-intake-function", { inScopeOf: { sourceArn: `arn:aws:lambda:eu-west-2:${ACCOUNT}:function:claims-intake-function`, sourceAccount: ACCOUNT, issuerType: "AWS::Lambda::Function", credentialsIssuedTo: `arn:aws:lambda:eu-west-2:${ACCOUNT}:function:claims-intake-function` } })),
    textract("s-ec2", 24, "DetectDocumentText", { document: {} }, null, assumedRole("s-ec2", "ocr-fleet", "i-0a1b2c3d4e5f60718", { sessionContext: { ec2RoleDelivery: "2.0" } })),
    textract("s-sso", 25, "ListAdapters", { maxResults: 20 }, null,
      assumedRole("s-sso", "AWSReservedSSO_ClaimsAnalyst_0123456789abcdef", "jane.roe@example.org"), { sessionCredentialFromConsole: "true", userAgent: "AWS Internal" }),
    record("s-fas", 26, {
      userIdentity: { ...assumedRole("s-fas", "claims-uploader", "uploader"), accessKeyId: "", invokedBy: "textract.amazonaws.com" },
      eventSource: "kms.amazonaws.com", eventName: "Decrypt", sourceIPAddress: "textract.amazonaws.com", userAgent: "textract.amazonaws.com",
      requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT", encryptionContext: { "aws:s3:arn": "arn:aws:s3:::intake-documents-111122223333/claims/c-1.pdf" } },
    }),
    record("s-root", 27, {
      userIdentity: { type: "Root", principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: `ASIA${b32("s-rootkey", 16)}`, sessionContext: { attributes: { creationDate: t(27), mfaAuthenticated: "false" }, assumedRoot: "true" } },
      eventSource: "iam.amazonaws.com", eventName: "DeleteUserPolicy", awsRegion: "us-east-1", requestParameters: { userName: "old-scanner", policyName: "legacy" }, readOnly: false,
    }),
    textract("s-tip", 28, "GetAdapter", { adapterId: hex("s-tip-a", 12) }, { adapterId: hex("s-tip-a", 12), adapterName: "claims" },
      assumedRole("s-tip", "claims-app-tip", "claims-app", { onBehalfOf: { userId: uuid("s-tip-user"), identityStoreArn: `arn:aws:identitystore::${OTHER}:identitystore/d-${hex("s-tip-store", 10)}` } })),
  ],
  // Network activity and Insights events.
  "network-and-insights": [
    record("s-vpce-event", 29, {
      userIdentity: { type: "AWSAccount", principalId: "", accountId: OTHER },
      eventSource: "textract.amazonaws.com", eventName: "AnalyzeDocument", sourceIPAddress: "10.0.4.17", userAgent: "aws-sdk-java/2.29.0",
      errorCode: "VpceAccessDenied", errorMessage: "The request was denied due to a VPC endpoint policy",
      requestParameters: undefined, responseElements: undefined, readOnly: true, eventType: "AwsVpceEvent", managementEvent: false, eventCategory: "NetworkActivity",
      sharedEventID: uuid("s-vpce-shared"), vpcEndpointId: "vpce-0f1e2d3c4b5a69788", vpcEndpointAccountId: ACCOUNT,
    }),
    {
      eventVersion: "1.07", eventTime: t(30), awsRegion: "eu-west-2", eventID: uuid("s-insight"), eventType: "AwsCloudTrailInsight", recipientAccountId: ACCOUNT, sharedEventID: uuid("s-insight-shared"),
      insightDetails: { state: "Start", eventSource: "textract.amazonaws.com", eventName: "AnalyzeDocument", insightType: "ApiCallRateInsight", insightContext: { statistics: { baseline: { average: 0.2 }, insight: { average: 14.5 } } } },
      eventCategory: "Insight",
    },
  ],
  // One record of each eventVersion from 1.05, with only the fields that version has.
  "event-versions": ["1.05", "1.06", "1.07", "1.08", "1.09", "1.10", "1.11"].map((v, i) => {
    const minor = Number(v.split(".")[1]);
    const r = textract(`s-v${v}`, 31 + i, "GetDocumentTextDetection", { jobId: hex(`s-vj${v}`, 64) }, null, worker(`s-v${v}`));
    r.eventVersion = v;
    if (minor < 6) delete r.managementEvent;
    if (minor < 7) delete r.eventCategory;
    if (minor < 8) delete r.tlsDetails;
    return r;
  }),
};
