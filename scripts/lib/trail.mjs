// A deterministic, realistic trail for the benchmark: a mix of Textract operations and identity
// types, other services' events, and about 2% planted violations. Records come from a pool built
// with scripts/lib/records.mjs; each output record gets its own eventID and requestID.
import { identities, operations, otherServiceRecord, textractRecord } from "./records.mjs";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/** Violations in the shapes the rules catch, one of them per planted record. */
const PLANTS = [
  (r) => ({ ...r, eventName: "AnalyzeDocument", requestParameters: { document: { bytes: PNG } }, responseElements: null }),
  (r) => ({ ...r, eventName: "GetDocumentAnalysis", responseElements: { jobStatus: "SUCCEEDED", documentMetadata: { pages: 2 } } }),
  (r) => ({ ...r, additionalEventData: { Blocks: [{ BlockType: "LINE", Text: "x", Geometry: {} }] } }),
  (r) => ({ ...r, userIdentity: { ...r.userIdentity, accountId: "999999999999" } }),
  (r) => ({ ...r, eventName: "AnalyzeMedicalChart" }),
];

export function recordPool(size = 4000, violationRate = 0.02) {
  const ops = Object.keys(operations);
  const types = Object.keys(identities).filter((t) => t !== "Directory" && t !== "Unknown");
  const pool = [];
  for (let i = 0; i < size; i++) {
    let r = i % 7 === 6 ? otherServiceRecord(`pool-${i}`, i) : textractRecord(`pool-${i}`, ops[i % ops.length], types[(i * 5) % types.length], i % 1440);
    const every = Math.round(1 / violationRate);
    if (i % every === 3) r = PLANTS[Math.floor(i / every) % PLANTS.length](r);
    pool.push(JSON.stringify(r));
  }
  return pool;
}

/** The JSON text of record `n`: a pool record with unique ids (same length as the pool's). */
export function recordText(pool, n) {
  const base = pool[n % pool.length];
  const hex = n.toString(16).padStart(12, "0");
  return base.replace(/"eventID":"[0-9a-f-]{24}/, `"eventID":"${hex.slice(0, 8)}-${hex.slice(8, 12)}-4aaa-8bbb-`).replace(/"requestID":"[0-9a-f]{12}/, `"requestID":"${hex}`);
}

/**
 * Record n of a log that keeps whole documents: an AnalyzeDocument call whose request holds ~`mb` MB
 * of base64 PNG in `document.bytes` (what a pipeline logging every request's Bytes writes; each
 * record is a leak). For the memory of records of several MB back to back.
 */
export function bigPayloadRecordText(n, mb) {
  const r = textractRecord(`big-${n}`, "AnalyzeDocument", "AssumedRole", n % 1440);
  const head = Buffer.from(PNG, "base64");
  const png = Buffer.concat([head, Buffer.alloc(Math.floor((mb * 1024 * 1024 * 3) / 4) - head.length, 7 + (n % 200))]);
  return JSON.stringify({ ...r, requestParameters: { ...r.requestParameters, document: { bytes: png.toString("base64") } } });
}
