/* Generated from schemas/record.schema.json by scripts/gen-types.mjs. Do not edit: change the schema and run `npm run gen:types`. */
import type {UserIdentity} from "./user-identity.js";

/**
 * This interface was referenced by `CloudTrailRecord`'s JSON-Schema
 * via the `definition` "AccountId".
 */
export type AccountId = string;
/**
 * This interface was referenced by `CloudTrailRecord`'s JSON-Schema
 * via the `definition` "Uuid".
 */
export type Uuid = string;
/**
 * A region name of one of the AWS partitions (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc).
 *
 * This interface was referenced by `CloudTrailRecord`'s JSON-Schema
 * via the `definition` "Region".
 */
export type Region = string;

/**
 * The envelope of one CloudTrail record. Fields carry 'x-since' (the eventVersion that introduced them); 'x-requiredSince' lists the fields a record must have from that version on. Unknown fields are allowed: CloudTrail adds fields over time. userIdentity is checked by its own schema.
 */
export interface CloudTrailRecord {
  /**
   * major.minor, e.g. 1.0, 1.05, 1.11.
   */
  eventVersion?: string;
  eventTime?: string;
  userIdentity?: UserIdentity;
  eventSource?: string;
  eventName?: string;
  /**
   * A region name of one of the AWS partitions (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc).
   */
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: {
    [k: string]: unknown | undefined;
  } | null;
  responseElements?: {
    [k: string]: unknown | undefined;
  } | null;
  additionalEventData?:
    | {
        [k: string]: unknown | undefined;
      }
    | null
    | string;
  requestID?: string;
  eventID?: string;
  apiVersion?: string;
  readOnly?: boolean;
  resources?: {
    ARN?: string;
    accountId?: string;
    type?: string;
  }[];
  eventType?:
    | "AwsApiCall"
    | "AwsServiceEvent"
    | "AwsConsoleAction"
    | "AwsConsoleSignIn"
    | "AwsVpceEvent"
    | "AwsCloudTrailInsight";
  recipientAccountId?: string;
  sharedEventID?: string;
  vpcEndpointId?: string;
  serviceEventDetails?: {
    [k: string]: unknown | undefined;
  } | null;
  managementEvent?: boolean;
  eventCategory?: "Management" | "Data" | "NetworkActivity" | "Insight";
  insightDetails?: {};
  addendum?: {
    reason?: "DELIVERY_DELAY" | "UPDATED_DATA" | "SERVICE_OUTAGE";
    updatedFields?: string;
    originalRequestID?: string;
    originalEventID?: string;
  };
  sessionCredentialFromConsole?: "true" | "false";
  edgeDeviceDetails?: {} | null;
  tlsDetails?: {
    tlsVersion?: string;
    cipherSuite?: string;
    clientProvidedHostHeader?: string;
    keyExchange?: string;
  };
  vpcEndpointAccountId?: AccountId;
  eventContext?: {};
}
