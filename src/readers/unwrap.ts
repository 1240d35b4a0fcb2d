/**
 * Every container shape a CloudTrail record travels in, reduced to the records themselves:
 * S3 delivery {"Records":[...]}, arrays, EventBridge events, `aws cloudtrail lookup-events`
 * output (records as JSON strings), and bare records.
 */
import { isPlainObject } from "../engine/pointer.js";

export type Unwrapped = { record: unknown } | { problem: string };

const EVENTBRIDGE_DETAIL_TYPES = /via CloudTrail$/;

function isEventBridgeEvent(v: Record<string, unknown>): boolean {
  return typeof v["detail-type"] === "string" && EVENTBRIDGE_DETAIL_TYPES.test(v["detail-type"]) && isPlainObject(v["detail"]);
}

function isLookupEvents(v: Record<string, unknown>): boolean {
  const events = v["Events"];
  return Array.isArray(events) && events.every((e) => isPlainObject(e) && "CloudTrailEvent" in e);
}

/** Yields each record (or a problem in its place) found in one parsed value, in order. */
export function* unwrap(value: unknown): Generator<Unwrapped> {
  // An explicit stack keeps hostile nesting of arrays from recursing.
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
      continue;
    }
    if (isPlainObject(v)) {
      if (Array.isArray(v["Records"]) && !("eventVersion" in v)) {
        const records = v["Records"] as unknown[];
        for (let i = records.length - 1; i >= 0; i--) stack.push({ [RECORD]: records[i] });
        continue;
      }
      if (Object.hasOwn(v, RECORD)) {
        yield { record: (v as Record<symbol, unknown>)[RECORD] };
        continue;
      }
      if (isEventBridgeEvent(v)) {
        yield { record: v["detail"] };
        continue;
      }
      if (isLookupEvents(v)) {
        const events = v["Events"] as Array<Record<string, unknown>>;
        for (let i = events.length - 1; i >= 0; i--) stack.push({ [LOOKUP]: events[i]!["CloudTrailEvent"] });
        continue;
      }
      if (Object.hasOwn(v, LOOKUP)) {
        const text = (v as Record<symbol, unknown>)[LOOKUP];
        if (typeof text !== "string") {
          yield { problem: "CloudTrailEvent is not a string" };
          continue;
        }
        try {
          yield { record: JSON.parse(text) };
        } catch (e) {
          yield { problem: `CloudTrailEvent is not valid JSON: ${(e as Error).message}` };
        }
        continue;
      }
    }
    yield { record: v };
  }
}

// Private markers: symbols cannot collide with keys of parsed input.
const RECORD = Symbol("record");
const LOOKUP = Symbol("lookup");
