/**
 * Every container shape a CloudTrail record travels in, reduced to the records themselves:
 * S3 delivery {"Records":[...]}, arrays, EventBridge events, `aws cloudtrail lookup-events`
 * output (records as JSON strings), and bare records. Each record comes with where it sits in
 * the parsed document, so positions and redaction can find it again in the source text.
 */
import { isPlainObject } from "../engine/pointer.js";

export interface RecordSite {
  /** Path from the document root to the record (or to the JSON string that holds it). */
  readonly at: ReadonlyArray<string | number>;
  /** The record is JSON text inside a string value (lookup-events' CloudTrailEvent). */
  readonly embedded: boolean;
  /** The value stood on its own: no CloudTrail container (Records, Events, logEvents, an EventBridge event, a fixture wrapper) held it. */
  readonly bare?: boolean;
}

/**
 * Whether a value has a CloudTrail record's shape at all (an eventVersion, eventSource or eventName):
 * a file of bare values none of which has it is not a log (package.json, a workflow, a compose file).
 */
export const isCloudTrailShaped = (v: unknown): boolean => isPlainObject(v) && ("eventVersion" in v || "eventSource" in v || "eventName" in v);

/** `skipped`: a document that holds no records, in words (a CloudTrail digest file). */
export type Unwrapped = ({ record: unknown } | { problem: string } | { skipped: string }) & { site: RecordSite };

const EVENTBRIDGE_DETAIL_TYPES = /via CloudTrail$/;

function isEventBridgeEvent(v: Record<string, unknown>): boolean {
  return typeof v["detail-type"] === "string" && EVENTBRIDGE_DETAIL_TYPES.test(v["detail-type"]) && isPlainObject(v["detail"]);
}

/**
 * A CloudTrail digest file (log file integrity validation), delivered beside the logs under
 * CloudTrail-Digest/: hashes of log files, no records. Read as a record it failed every envelope check.
 */
function isDigest(v: Record<string, unknown>): boolean {
  return typeof v["digestS3Object"] === "string" && typeof v["digestEndTime"] === "string" && Array.isArray(v["logFiles"]);
}

function isLookupEvents(v: Record<string, unknown>): boolean {
  const events = v["Events"];
  return Array.isArray(events) && events.every((e) => isPlainObject(e) && "CloudTrailEvent" in e);
}

/**
 * CloudWatch Logs events whose messages are records (a trail sends each record to its log group as
 * one event): the array that holds them in a subscription's DATA_MESSAGE (what Firehose delivers to
 * S3, gzipped, one object after another) or in `aws logs filter-log-events` / `get-log-events` output.
 */
function logEventsKey(v: Record<string, unknown>): "logEvents" | "events" | undefined {
  const key = v["messageType"] === "DATA_MESSAGE" ? "logEvents" : "events";
  const events = v[key];
  if (!Array.isArray(events) || (key === "events" && events.length === 0)) return undefined;
  return events.every((e) => isPlainObject(e) && "message" in e && "timestamp" in e) ? key : undefined;
}

/** An object that is a record by its own members (what a wrapper holds): an eventVersion, or eventSource and eventName. */
const looksLikeRecord = (o: Record<string, unknown>): boolean => "eventVersion" in o || ("eventSource" in o && "eventName" in o);

/** How deep and how much of a wrapper is searched for records: fixtures nest them two or three levels down. */
const WRAPPER_DEPTH = 4;
const WRAPPER_NODES = 10_000;

/**
 * The records a wrapper object holds below it (to WRAPPER_DEPTH levels, in document order), or
 * undefined when it holds none (it is then a record itself, malformed, as before).
 */
function wrappedRecords(v: Record<string, unknown>, at: ReadonlyArray<string | number>): Array<{ value: unknown; at: Array<string | number> }> | undefined {
  const found: Array<{ value: unknown; at: Array<string | number> }> = [];
  let nodes = 0;
  const visit = (value: unknown, path: Array<string | number>, depth: number): void => {
    if (nodes++ > WRAPPER_NODES || depth > WRAPPER_DEPTH || value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      value.forEach((el, i) => visit(el, [...path, i], depth + 1));
      return;
    }
    const o = value as Record<string, unknown>;
    if (depth > 0 && looksLikeRecord(o)) {
      found.push({ value: o, at: path });
      return;
    }
    for (const [k, child] of Object.entries(o)) visit(child, [...path, k], depth + 1);
  };
  visit(v, [...at], 0);
  return found.length > 0 ? found : undefined;
}

interface Pending {
  readonly value: unknown;
  readonly at: ReadonlyArray<string | number>;
  /**
   * "record": take as is; "lookup": a record as JSON text in a string (lookup-events' CloudTrailEvent, a
   * log event's message); "any": recognise the shape; "item": an element of an array, whose shape is
   * recognised unless it is an array itself.
   */
  readonly as: "any" | "item" | "record" | "lookup";
}

/**
 * Yields each record (or a problem in its place) found in one parsed value, in document order.
 * `item`: the value is an element of an array (a reader that streams a top-level array's elements).
 */
export function* unwrap(value: unknown, item = false): Generator<Unwrapped> {
  const stack: Pending[] = [{ value, at: [], as: item ? "item" : "any" }];
  while (stack.length > 0) {
    const { value: v, at, as } = stack.pop()!;
    if (as === "lookup") {
      const site = { at, embedded: true };
      const name = String(at[at.length - 1]);
      if (typeof v !== "string") {
        yield { problem: `${name} is not a string`, site };
        continue;
      }
      try {
        yield { record: JSON.parse(v), site };
      } catch (e) {
        yield { problem: `${name} is not valid JSON: ${(e as Error).message.replace(/, ".*$/s, "")}`, site };
      }
      continue;
    }
    // Only the outermost array holds records: an array in an array is no shape of CloudTrail's, and
    // unwrapping one in another copied each level's path (20,000 nested brackets took 10 s).
    if (as === "any" && Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], at: [...at, i], as: "item" });
      continue;
    }
    // (an object with an eventVersion is a record, whatever else it holds: none of the containers below)
    const container = (as === "any" || as === "item") && isPlainObject(v) && !("eventVersion" in v);
    if ((as === "any" || as === "item") && isPlainObject(v)) {
      if (container && Array.isArray(v["Records"])) {
        const records = v["Records"] as unknown[];
        for (let i = records.length - 1; i >= 0; i--) stack.push({ value: records[i], at: [...at, "Records", i], as: "record" });
        continue;
      }
      if (isEventBridgeEvent(v)) {
        yield { record: v["detail"], site: { at: [...at, "detail"], embedded: false } };
        continue;
      }
      if (container && isDigest(v)) {
        yield { skipped: "a CloudTrail digest file", site: { at, embedded: false } };
        continue;
      }
      // A subscription's CONTROL_MESSAGE checks that its destination is reachable: no log events of ours.
      if (container && v["messageType"] === "CONTROL_MESSAGE") {
        yield { skipped: "a CloudWatch Logs control message", site: { at, embedded: false } };
        continue;
      }
      const logEvents = container ? logEventsKey(v) : undefined;
      if (logEvents) {
        const events = v[logEvents] as Array<Record<string, unknown>>;
        for (let i = events.length - 1; i >= 0; i--) stack.push({ value: events[i]!["message"], at: [...at, logEvents, i, "message"], as: "lookup" });
        continue;
      }
      // A test fixture that wraps records (detection-rule repositories: {"Tests": [{"Name", "Log": {...}}]},
      // [{"name", "event": {...}}], {"input": {...}}): the records inside are checked, not the wrapper.
      const wrapped = container && !looksLikeRecord(v) ? wrappedRecords(v, at) : undefined;
      if (wrapped) {
        for (let i = wrapped.length - 1; i >= 0; i--) stack.push({ value: wrapped[i]!.value, at: wrapped[i]!.at, as: "record" });
        continue;
      }
      if (isLookupEvents(v)) {
        const events = v["Events"] as Array<Record<string, unknown>>;
        for (let i = events.length - 1; i >= 0; i--) stack.push({ value: events[i]!["CloudTrailEvent"], at: [...at, "Events", i, "CloudTrailEvent"], as: "lookup" });
        continue;
      }
    }
    yield { record: v, site: { at, embedded: false, bare: as === "any" || as === "item" } };
  }
}
