/* Generated from schemas/user-identity.schema.json by scripts/gen-types.mjs. Do not edit: change the schema and run `npm run gen:types`. */

/**
 * The userIdentity element, one shape per type. The check dispatches on 'type' to the definition of the same name; 'x-types' lists them. Unknown fields are allowed.
 */
export type UserIdentity =
  | Root
  | IAMUser
  | AssumedRole
  | Role
  | FederatedUser
  | AWSAccount
  | AWSService
  | IdentityCenterUser
  | Directory
  | Unknown
  | SAMLUser
  | WebIdentityUser
  | TypelessServiceIdentity;
export type AccountId = string;
/**
 * An access key id; '' or HIDDEN_DUE_TO_SECURITY_REASONS when CloudTrail withholds it. Its prefix is checked against the identity type by consistent-user-identity.
 */
export type AccessKeyId = string;
export type UserName = string;
export type RootArn = string;
export type IamUserArn = string;
export type RoleArn = string;
export type BoolString = "true" | "false";
/**
 * The service that made the call for the caller, e.g. ec2.amazonaws.com or 'AWS Internal'.
 */
export type ServicePrincipal = string;
export type AssumedRoleArn = string;
export type FederatedUserArn = string;
export type DirectoryUserName = string;
export type AnyArn = string;

/**
 * The account's root user (long-term keys, console session, or an AssumeRoot session).
 */
export interface Root {
  type: "Root";
  principalId?: string;
  accountId?: AccountId;
  accessKeyId?: AccessKeyId;
  userName?: UserName;
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  arn?: RootArn;
}
export interface SessionContext {
  sessionIssuer?: SessionIssuer;
  webIdFederationData?: {
    federatedProvider?: string;
    attributes?: {};
  };
  attributes?: {
    creationDate?: string;
    mfaAuthenticated?: BoolString;
  };
  sourceIdentity?: string;
  ec2RoleDelivery?: "1.0" | "2.0" | "";
  assumedRoot?: "true" | "false" | "";
  signInSessionArn?: string;
}
/**
 * The role or user that issued the session. CloudTrail writes {} for sessions that have no issuer (console sessions of root and IAM users).
 */
export interface SessionIssuer {
  type?: "Root" | "IAMUser" | "Role";
  principalId?: string;
  arn?: RootArn | IamUserArn | RoleArn;
  accountId?: AccountId;
  userName?: UserName;
}
export interface InvokedByDelegate {
  accountId: AccountId;
}
export interface InScopeOf {
  sourceArn?: string;
  sourceAccount?: AccountId;
  issuerType?: string;
  credentialsIssuedTo?: string;
}
/**
 * An IAM user, with long-term keys or a session of its own.
 */
export interface IAMUser {
  type: "IAMUser";
  principalId?: string;
  accountId?: AccountId;
  accessKeyId?: AccessKeyId;
  userName?: UserName;
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  arn?: IamUserArn;
}
/**
 * Temporary credentials of an assumed role (sts:AssumeRole*).
 */
export interface AssumedRole {
  type: "AssumedRole";
  principalId?: string;
  accountId?: AccountId;
  accessKeyId?: AccessKeyId;
  userName?: "";
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  arn?: AssumedRoleArn;
}
/**
 * An IAM role acting directly (mostly seen as a session issuer).
 */
export interface Role {
  type: "Role";
  principalId?: string;
  accountId?: AccountId;
  accessKeyId?: AccessKeyId;
  userName?: UserName;
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  arn?: RoleArn;
}
/**
 * Temporary credentials of a federated user (sts:GetFederationToken).
 */
export interface FederatedUser {
  type: "FederatedUser";
  principalId?: string;
  accountId?: AccountId;
  accessKeyId?: AccessKeyId;
  /**
   * never present on a FederatedUser identity
   */
  userName?: {
    [k: string]: unknown | undefined;
  };
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  arn?: FederatedUserArn;
}
/**
 * Another AWS account, seen by the owner of a resource it used.
 */
export interface AWSAccount {
  type: "AWSAccount";
  principalId?: string;
  accountId: AccountId | ("anonymous" | "ANONYMOUS_PRINCIPAL");
  /**
   * never present on a AWSAccount identity
   */
  accessKeyId?: {
    [k: string]: unknown | undefined;
  };
  userName?: UserName;
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  /**
   * never present on a AWSAccount identity
   */
  arn?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * An AWS service calling with its own service principal.
 */
export interface AWSService {
  type: "AWSService";
  principalId?: string;
  /**
   * never present on a AWSService identity
   */
  accountId?: {
    [k: string]: unknown | undefined;
  };
  /**
   * never present on a AWSService identity
   */
  accessKeyId?: {
    [k: string]: unknown | undefined;
  };
  /**
   * never present on a AWSService identity
   */
  userName?: {
    [k: string]: unknown | undefined;
  };
  sessionContext?: SessionContext;
  invokedBy: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  /**
   * never present on a AWSService identity
   */
  arn?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * An IAM Identity Center user calling with an Identity Center token.
 */
export interface IdentityCenterUser {
  type: "IdentityCenterUser";
  principalId?: string;
  accountId?: AccountId;
  /**
   * an Identity Center token is not an access key
   */
  accessKeyId?: "";
  userName?: DirectoryUserName;
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  arn?: string;
  onBehalfOf: OnBehalfOf;
  credentialId?: string;
}
export interface OnBehalfOf {
  userId: string;
  identityStoreArn: string;
}
/**
 * A directory service user (WorkDocs, Quick).
 */
export interface Directory {
  type: "Directory";
  principalId?: string;
  accountId?: AccountId;
  accessKeyId?: AccessKeyId;
  userName?: DirectoryUserName;
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  arn?: AnyArn;
}
/**
 * A caller that CloudTrail cannot classify (Identity Center sign-in, some third parties).
 */
export interface Unknown {
  type: "Unknown";
  principalId?: string;
  accountId?: AccountId;
  accessKeyId?: AccessKeyId;
  userName?: UserName;
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  arn?: string;
}
/**
 * A SAML-federated caller; only on sts:AssumeRoleWithSAML.
 */
export interface SAMLUser {
  type: "SAMLUser";
  principalId?: string;
  accountId?: AccountId;
  accessKeyId?: AccessKeyId;
  userName?: string;
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  arn?: AnyArn;
  identityProvider?: string;
}
/**
 * A web-identity caller; only on sts:AssumeRoleWithWebIdentity.
 */
export interface WebIdentityUser {
  type: "WebIdentityUser";
  principalId?: string;
  accountId?: AccountId;
  accessKeyId?: AccessKeyId;
  userName?: string;
  sessionContext?: SessionContext;
  invokedBy?: ServicePrincipal;
  invokedByDelegate?: InvokedByDelegate;
  inScopeOf?: InScopeOf;
  arn?: AnyArn;
  identityProvider?: string;
}
/**
 * The identity of some AwsServiceEvent records, which carry no type: the account and the service.
 */
export interface TypelessServiceIdentity {
  accountId: AccountId;
  invokedBy?: ServicePrincipal;
  arn?: AnyArn;
  type?: {
    [k: string]: unknown | undefined;
  };
}
