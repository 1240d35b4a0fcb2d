import { isPlainObject } from "../pointer.js";
import type { IdentityConsistencyOptions } from "../../generated/rule-pack.js";
import type { CheckFunction, Emit } from "../types.js";

interface Arn {
  readonly account: string;
  readonly resource: string;
}

function parseArn(v: unknown): Arn | undefined {
  if (typeof v !== "string" || !v.startsWith("arn:")) return undefined;
  // arn:partition:service:region:account:resource (the resource may hold more colons)
  const c1 = v.indexOf(":", 4);
  const c2 = c1 < 0 ? -1 : v.indexOf(":", c1 + 1);
  const c3 = c2 < 0 ? -1 : v.indexOf(":", c2 + 1);
  const c4 = c3 < 0 ? -1 : v.indexOf(":", c3 + 1);
  if (c4 < 0) return undefined;
  return { account: v.slice(c3 + 1, c4), resource: v.slice(c4 + 1) };
}

const ASSUMED_ROLE = /^assumed-role\/([^/]+)\/(.+)$/;
/** "an AssumedRole", "a Role": identity type names in messages. */
const withArticle = (type: string): string => (/^[AEIOU]/.test(type) ? `an ${type}` : `a ${type}`);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const lastSegment = (resource: string): string => resource.slice(resource.lastIndexOf("/") + 1);
/** The rule's options, compiled: which prefixes, issuers and events belong to which identity type. */
interface Facts {
  readonly withheld: ReadonlySet<string>;
  readonly temporary: ReadonlySet<string>;
  // Maps, not the option objects: a type named "constructor" or "__proto__" must not find Object.prototype's members.
  readonly issuerFor: ReadonlyMap<string, readonly string[]>;
  readonly principalPrefix: ReadonlyMap<string, string>;
  /** Type to the events it may appear on: "eventSource:eventName" and "eventSource:*". */
  readonly federationEvents: ReadonlyMap<string, ReadonlySet<string>>;
  readonly keyPrefixes: readonly string[];
  readonly temporaryKey: string;
}

/**
 * userIdentity's fields must agree with each other: accounts, principal id prefixes, session
 * names, access-key kind and the session issuer. Formats are the schema's job (valid-user-identity).
 */
export const identityConsistency: CheckFunction<IdentityConsistencyOptions> = {
  name: "identityConsistency",
  compile(options) {
    const facts: Facts = {
      withheld: new Set(options.withheld),
      temporary: new Set(options.temporaryCredentials),
      issuerFor: new Map(Object.entries(options.sessionIssuerTypes as Record<string, string[]>)),
      principalPrefix: new Map(Object.entries(options.principalIdPrefix as Record<string, string>)),
      federationEvents: new Map(Object.entries(options.federationEvents as Record<string, string[]>).map(([t, events]) => [t, new Set(events)])),
      keyPrefixes: options.accessKeyPrefixes,
      temporaryKey: options.temporaryKeyPrefix,
    };
    return (record, emit) => {
      const id = record["userIdentity"];
      if (!isPlainObject(id) || typeof id["type"] !== "string") return;
      const type = id["type"];
      const accountId = str(id["accountId"]);
      const arn = parseArn(id["arn"]);
      const principalId = str(id["principalId"]);

      if (arn && accountId && arn.account !== "" && arn.account !== accountId) {
        // (The type is not named here: this fires whatever the type is, so it could be anything the input holds.)
    emit(["userIdentity", "arn"], "the account in userIdentity.arn differs from userIdentity.accountId");
      }

      // Principal id: its prefix follows the type.
      const prefix = facts.principalPrefix.get(type);
      if (principalId && prefix && !principalId.startsWith(prefix)) {
        emit(["userIdentity", "principalId"], `userIdentity.principalId of ${withArticle(type)} must start with ${prefix}`);
      }
      if (type === "Root" && principalId && accountId && principalId !== accountId) {
        emit(["userIdentity", "principalId"], "userIdentity.principalId of the root user must be its account id");
      }
      if (type === "IAMUser" && arn && str(id["userName"]) && !facts.withheld.has(id["userName"] as string) && lastSegment(arn.resource) !== id["userName"]) {
        emit(["userIdentity", "userName"], "userIdentity.userName differs from the user name in userIdentity.arn");
      }
      if (type === "FederatedUser" && principalId) {
        const [acct, name] = [principalId.slice(0, principalId.indexOf(":")), principalId.slice(principalId.indexOf(":") + 1)];
        if (!principalId.includes(":")) emit(["userIdentity", "principalId"], "userIdentity.principalId of a FederatedUser must be <account>:<name>");
        else {
          if (accountId && acct !== accountId) emit(["userIdentity", "principalId"], "the account in userIdentity.principalId differs from userIdentity.accountId");
          if (arn && arn.resource.startsWith("federated-user/") && lastSegment(arn.resource) !== name) {
            emit(["userIdentity", "principalId"], "the name in userIdentity.principalId differs from the federated user in userIdentity.arn");
          }
        }
      }

      checkAccessKey(type, id, emit, facts);
      checkSession(type, id, arn, principalId, accountId, emit, facts);

      const events = facts.federationEvents.get(type);
      if (events && !events.has(`${String(record["eventSource"])}:${String(record["eventName"])}`) && !events.has(`${String(record["eventSource"])}:*`)) {
        const list = [...events].map((e) => e.replace(/:\*$/, " (any event)").replace(":", " "));
        emit(["userIdentity", "type"], `a ${type} appears only on ${list.join(", ")} events`);
      }
    };
  },
};

function checkAccessKey(type: string, id: Record<string, unknown>, emit: Emit, facts: Facts): void {
  const key = str(id["accessKeyId"]);
  if (!key || facts.withheld.has(key)) return;
  const path = ["userIdentity", "accessKeyId"];
  if (!facts.keyPrefixes.some((p) => key.startsWith(p))) {
    emit(path, `userIdentity.accessKeyId must be an access key (${facts.keyPrefixes.join(" or ")} prefix), not a ${key.slice(0, 4).replace(/[^A-Z0-9]/g, "?")} id`);
  } else if (facts.temporary.has(type) && !key.startsWith(facts.temporaryKey)) {
    emit(path, `${withArticle(type)} signs with temporary credentials, so userIdentity.accessKeyId must start with ${facts.temporaryKey}`);
  }
}

function checkSession(type: string, id: Record<string, unknown>, arn: Arn | undefined, principalId: string | undefined, accountId: string | undefined, emit: Emit, facts: Facts): void {
  const ctx = id["sessionContext"];
  const issuer = isPlainObject(ctx) ? ctx["sessionIssuer"] : undefined;
  const expected = facts.issuerFor.get(type);
  if (expected && (!isPlainObject(issuer) || Object.keys(issuer).length === 0)) {
    emit(["userIdentity", "sessionContext"], `${withArticle(type)} uses temporary credentials, so userIdentity.sessionContext.sessionIssuer is required`);
    return;
  }
  const key = str(id["accessKeyId"]);
  if ((type === "IAMUser" || type === "Root") && key?.startsWith(facts.temporaryKey) && !isPlainObject(ctx)) {
    emit(["userIdentity", "sessionContext"], `an ${facts.temporaryKey} key is a temporary credential: ${withArticle(type)} using one must carry userIdentity.sessionContext`);
  }
  if (!isPlainObject(issuer)) return;
  const issuerType = str(issuer["type"]);
  const issuerArn = parseArn(issuer["arn"]);
  const issuerAccount = str(issuer["accountId"]);
  const issuerPrincipal = str(issuer["principalId"]);
  if (expected && issuerType && !expected.includes(issuerType)) {
    emit(["userIdentity", "sessionContext", "sessionIssuer", "type"], `the session issuer of ${withArticle(type)} must be of type ${expected.join(" or ")}`);
  }
  if (issuerArn && issuerAccount && issuerArn.account !== issuerAccount) {
    emit(["userIdentity", "sessionContext", "sessionIssuer", "arn"], "the account in sessionIssuer.arn differs from sessionIssuer.accountId");
  }
  if (expected && issuerAccount && accountId && issuerAccount !== accountId) {
    emit(["userIdentity", "sessionContext", "sessionIssuer", "accountId"], "sessionIssuer.accountId differs from userIdentity.accountId");
  }
  const issuerPrefix = issuerType ? facts.principalPrefix.get(issuerType) : undefined;
  if (issuerPrincipal && issuerPrefix && !issuerPrincipal.startsWith(issuerPrefix)) {
    emit(["userIdentity", "sessionContext", "sessionIssuer", "principalId"], `sessionIssuer.principalId of ${withArticle(issuerType!)} must start with ${issuerPrefix}`);
  }
  if (issuerArn && str(issuer["userName"]) && (issuerType === "Role" || issuerType === "IAMUser") && lastSegment(issuerArn.resource) !== issuer["userName"]) {
    emit(["userIdentity", "sessionContext", "sessionIssuer", "userName"], "sessionIssuer.userName differs from the name in sessionIssuer.arn");
  }
  if (type !== "AssumedRole") return;
  // arn:...:sts::<acct>:assumed-role/<role>/<session>, principalId AROA...:<session>
  const m = arn ? ASSUMED_ROLE.exec(arn.resource) : null;
  const colon = principalId?.indexOf(":") ?? -1;
  if (principalId && colon < 0) {
    emit(["userIdentity", "principalId"], "userIdentity.principalId of an AssumedRole must be <role id>:<session name>");
  }
  if (m && principalId && colon >= 0 && principalId.slice(colon + 1) !== m[2]) {
    emit(["userIdentity", "principalId"], "the session name in userIdentity.principalId differs from the one in userIdentity.arn");
  }
  if (principalId && colon >= 0 && issuerPrincipal && principalId.slice(0, colon) !== issuerPrincipal) {
    emit(["userIdentity", "sessionContext", "sessionIssuer", "principalId"], "sessionIssuer.principalId differs from the role id in userIdentity.principalId");
  }
  if (m && issuerArn && lastSegment(issuerArn.resource) !== m[1]) {
    emit(["userIdentity", "sessionContext", "sessionIssuer", "arn"], "the role in sessionIssuer.arn differs from the role in userIdentity.arn");
  }
}
