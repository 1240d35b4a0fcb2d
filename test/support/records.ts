/** Small compliant records for reader and CLI tests (the rule packs carry the rule-specific ones). */
export function analyzeDocument(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: "1.09",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAJ45Q7YFFAREXAMPLE",
      arn: "arn:aws:iam::111122223333:user/intake",
      accountId: "111122223333",
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      userName: "intake",
    },
    eventTime: "2026-03-04T10:11:12Z",
    eventSource: "textract.amazonaws.com",
    eventName: "AnalyzeDocument",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.7",
    userAgent: "aws-sdk-js/3.600.0",
    requestParameters: { document: {}, featureTypes: ["TABLES"] },
    responseElements: null,
    requestID: "6f1c2e0a-1b2c-4d3e-8f4a-5b6c7d8e9f01",
    eventID: "0b7a3c9e-2d4f-4a6b-9c8d-1e2f3a4b5c6d",
    readOnly: true,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "111122223333",
    eventCategory: "Management",
    ...overrides,
  };
}

export const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
export const leaky = (): Record<string, unknown> => analyzeDocument({ requestParameters: { document: { bytes: PNG_BASE64 } } });
