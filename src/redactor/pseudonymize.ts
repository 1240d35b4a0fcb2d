/**
 * Consistent pseudonyms for fixtures: account ids, access key ids, principal ids, user, role and
 * session names, source IPs, bucket and object names. Keyed by a salt with HMAC-SHA256, so the
 * same input gives the same output across files and runs, and formats stay valid (12-digit
 * accounts, AKIA/ASIA + 16 characters, ARNs that still agree with accountId), so a record passes
 * the identity rules after pseudonymisation exactly when it passed them before.
 */
import { createHmac } from "node:crypto";
import { isPlainObject } from "../engine/pointer.js";
import type { Fix } from "../engine/types.js";
import { pathOf, walk, type WalkNode } from "../engine/walk.js";

export interface PseudonymizeOptions {
  /** The secret that keys every pseudonym; without it pseudonyms could be reversed by guessing. */
  readonly salt: string;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** The shortest value replaced wherever it stands (an account id, a bucket name, a user name). */
const MIN_ATOM = 4;
const NAME_KINDS = { user: "user", role: "role", session: "session", federated: "fed" } as const;

export class Pseudonymizer {
  private readonly cache = new Map<string, string>();
  /** Every name, id and account replaced so far, to its pseudonym: replaced again wherever it stands. */
  private readonly atoms = new Map<string, string>();
  private atomPattern: RegExp | undefined;
  constructor(private readonly salt: string) {
    if (!salt) throw new TypeError("pseudonymization needs a non-empty salt");
  }

  private digest(kind: string, value: string): Buffer {
    return createHmac("sha256", this.salt).update(`${kind}\u0000${value}`).digest();
  }

  private memo(kind: string, value: string, make: (d: Buffer) => string): string {
    const key = `${kind}\u0000${value}`;
    let out = this.cache.get(key);
    if (out === undefined) {
      out = make(this.digest(kind, value));
      if (this.cache.size < 100_000) this.cache.set(key, out);
    }
    // (Short values would match inside unrelated words; an object key is a path, not a name.)
    if (value.length >= MIN_ATOM && kind !== "object" && !this.atoms.has(value) && this.atoms.size < 10_000) {
      this.atoms.set(value, out);
      this.atomPattern = undefined;
    }
    return out;
  }

  /**
   * `v` with every value pseudonymized so far replaced wherever it stands inside it: a bucket in
   * an S3 Host header, a SAML user's e-mail in a principalId or an assumed-role id, an account
   * id in a log stream name. Longest first, so a name is never cut by a shorter one inside it.
   */
  everywhere(v: string): string {
    if (this.atoms.size === 0 || v.length < MIN_ATOM) return v;
    this.atomPattern ??= new RegExp([...this.atoms.keys()].sort((a, b) => b.length - a.length).map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
    return v.replace(this.atomPattern, (a) => this.atoms.get(a) ?? a);
  }

  account(v: string): string {
    return this.memo("account", v, (d) => (d.readBigUInt64BE(0) % 1_000_000_000_000n).toString().padStart(12, "0"));
  }

  /** An AWS Organizations id (o-xxxxxxxxxx): same prefix and length. */
  organization(v: string): string {
    return this.memo("org", v, (d) => `o-${Array.from({ length: v.length - 2 }, (_, i) => "abcdefghijklmnopqrstuvwxyz0123456789"[d[i % d.length]! % 36]).join("")}`);
  }

  /**
   * A relative path of a delivered log with its account and organization folders pseudonymized, and
   * whatever was pseudonymized so far replaced in its other parts (the account in a log file's name).
   */
  path(relativePath: string): string {
    const parts = relativePath.split(/([\\/])/);
    for (let i = 0; i < parts.length; i += 2) {
      const part = parts[i]!;
      parts[i] = /^[0-9]{12}$/.test(part) ? this.account(part) : /^o-[a-z0-9]{10,32}$/.test(part) ? this.organization(part) : part;
    }
    for (let i = 0; i < parts.length; i += 2) parts[i] = this.everywhere(parts[i]!);
    return parts.join("");
  }

  /** AKIA/ASIA/AIDA/AROA... ids: same prefix, same length, base32 body. */
  uniqueId(v: string): string {
    return this.memo("id", v, (d) => v.slice(0, 4) + Array.from({ length: v.length - 4 }, (_, i) => BASE32[d[i % d.length]! % 32]).join(""));
  }

  name(kind: keyof typeof NAME_KINDS, v: string): string {
    if (v === "HIDDEN_DUE_TO_SECURITY_REASONS") return v;
    return this.memo(`name:${kind}`, v, (d) => `${NAME_KINDS[kind]}-${d.toString("hex").slice(0, 10)}`);
  }

  ip(v: string): string {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) return this.memo("ip4", v, (d) => `10.${d[0]}.${d[1]}.${d[2]}`);
    if (/^[0-9a-f:]+$/i.test(v) && v.includes(":")) return this.memo("ip6", v, (d) => `fd00:${d.toString("hex").slice(0, 28).match(/.{4}/g)!.join(":")}`);
    return v; // a service name ("textract.amazonaws.com", "AWS Internal") is not personal data
  }

  bucket(v: string): string {
    return this.memo("bucket", v, (d) => `bucket-${d.toString("hex").slice(0, 16)}`);
  }

  /** Object keys keep their "directory" depth and extension, so fixtures still read naturally. */
  objectKey(v: string): string {
    return this.memo("object", v, (d) => {
      const ext = /\.[A-Za-z0-9]{1,5}$/.exec(v)?.[0] ?? "";
      const depth = v.split("/").length - 1;
      const hex = d.toString("hex");
      return [...Array.from({ length: depth }, (_, i) => `dir-${hex.slice(i * 4, i * 4 + 4)}`), `object-${hex.slice(40, 52)}${ext}`].join("/");
    });
  }

  /** ARNs: account and the names in the resource, each mapped as on its own. */
  arn(v: string): string {
    const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s.exec(v);
    if (!m) return v;
    const [, partition, service, region, account, resource] = m as unknown as [string, string, string, string, string, string];
    const acct = /^\d{12}$/.test(account) ? this.account(account) : account;
    let res = resource;
    let r: RegExpExecArray | null;
    if (service === "iam" && (r = /^(user|role)\/(.*\/)?([^/]+)$/.exec(resource))) res = `${r[1]}/${r[2] ?? ""}${this.name(r[1] as "user" | "role", r[3]!)}`;
    else if (service === "sts" && (r = /^assumed-role\/([^/]+)\/(.+)$/.exec(resource))) res = `assumed-role/${this.name("role", r[1]!)}/${this.name("session", r[2]!)}`;
    else if (service === "sts" && (r = /^federated-user\/(.+)$/.exec(resource))) res = `federated-user/${this.name("federated", r[1]!)}`;
    else if (service === "s3" && (r = /^([^/]+)(?:\/(.*))?$/.exec(resource))) res = r[2] !== undefined ? `${this.bucket(r[1]!)}/${this.objectKey(r[2])}` : this.bucket(r[1]!);
    return `arn:${partition}:${service}:${region}:${acct}:${res}`;
  }

  s3Uri(v: string): string {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(v);
    if (!m) return v;
    return `s3://${this.bucket(m[1]!)}/${m[2] ? this.objectKey(m[2]) : ""}`;
  }

  /** Free text (error messages, user agents): ARNs, access keys and unique ids inside it. */
  text(v: string): string {
    return v
      .replace(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12})?:[^\s"',;)]+/g, (a) => this.arn(a))
      .replace(/\b(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|AGPA)[A-Z0-9]{12,124}\b/g, (id) => this.uniqueId(id));
  }
}

/** Envelope members whose values are formats and names of AWS's, never a caller's (a role named "textract" stays out of eventSource). */
const FORMAT_KEYS = new Set(["eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "eventType", "eventCategory", "eventID", "requestID", "sharedEventID", "type", "apiVersion"]);
const ACCOUNT_KEYS = new Set(["accountid", "recipientaccountid", "vpcendpointaccountid", "sourceaccount", "account", "owner"]);
const BUCKET_KEYS = new Set(["bucket", "bucketname", "s3bucket"]);
const OBJECT_KEYS = new Set(["name", "key", "s3prefix", "objectkey"]);

/** "set" fixes that pseudonymize one record (strings only; structure untouched). */
export function pseudonymFixes(record: unknown, p: Pseudonymizer): Array<{ tokens: Array<string | number>; fix: Fix }> {
  // First the values whose key says what they are; then every string again, for those values
  // wherever else they stand (the keyed ones are learnt in the first pass, whatever the order).
  const keyed: Array<{ node: WalkNode; value: string; next: string }> = [];
  walk(record, (node) => {
    const v = node.value;
    if (typeof v !== "string") return true;
    // An empty string names no one (AWS writes "" for withheld keys and empty session fields).
    if (v === "") return false;
    const key = typeof node.key === "string" ? node.key.toLowerCase() : "";
    const parent = node.parent?.value;
    const parentKey = typeof node.parent?.key === "string" ? node.parent.key.toLowerCase() : "";
    const siblings = isPlainObject(parent) ? Object.keys(parent).map((k) => k.toLowerCase()) : [];
    let next = v;
    if (ACCOUNT_KEYS.has(key) && /^\d{12}$/.test(v)) next = p.account(v);
    else if (key === "arn" || key === "sourcearn" || key === "identitystorearn" || key === "rolearn" || v.startsWith("arn:")) next = p.arn(v);
    else if (key === "accesskeyid" || key === "principalid") next = principal(v, p);
    else if (key === "username") next = p.name(parentKey === "sessionissuer" && isPlainObject(parent) && parent["type"] === "Role" ? "role" : "user", v);
    else if (key === "sourceipaddress") next = v.split(/\s*,\s*/).map((ip) => p.ip(ip)).join(", ");
    else if (BUCKET_KEYS.has(key)) next = p.bucket(v);
    else if (OBJECT_KEYS.has(key) && siblings.some((s) => BUCKET_KEYS.has(s) || s === "s3bucket")) next = p.objectKey(v);
    else if (v.startsWith("s3://")) next = p.s3Uri(v);
    else if (key === "rolesessionname" || key === "sourceidentity") next = p.name("session", v);
    // CloudWatch Logs names that hold the account: aws-cloudtrail-logs-<account>-..., <account>_CloudTrail_<region>
    else if (key === "loggroup" || key === "logstream" || key === "logstreamname") next = v.replace(/(?<![0-9])[0-9]{12}(?![0-9])/g, (a) => p.account(a));
    else next = p.text(v);
    keyed.push({ node, value: v, next });
    return false;
  });
  const out: Array<{ tokens: Array<string | number>; fix: Fix }> = [];
  for (const { node, value, next } of keyed) {
    const final = FORMAT_KEYS.has(String(node.key)) ? next : p.everywhere(next);
    if (final !== value) out.push({ tokens: pathOf(node), fix: { kind: "set", value: final } });
  }
  return out;
}

/** principalId forms: AIDA.../AROA... ids, AROA...:session, <account>:<name>, a bare account id. */
function principal(v: string, p: Pseudonymizer): string {
  if (/^\d{12}$/.test(v)) return p.account(v);
  const colon = v.indexOf(":");
  if (colon > 0) {
    const [head, tail] = [v.slice(0, colon), v.slice(colon + 1)];
    if (/^\d{12}$/.test(head)) return `${p.account(head)}:${p.name("federated", tail)}`;
    if (/^[A-Z0-9]{16,128}$/.test(head)) return `${p.uniqueId(head)}:${p.name("session", tail)}`;
    return v;
  }
  return /^[A-Z0-9]{16,128}$/.test(v) ? p.uniqueId(v) : v;
}
