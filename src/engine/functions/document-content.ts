import type { DocumentContentOptions } from "../../generated/rule-pack.js";
import { DOCUMENT_HINTS, documentInByteArray, documentInChunks, findDocumentsInString, stringMayHoldDocument } from "../../detectors/document.js";
import { layeredEvidence } from "../../detectors/layers.js";
import { describeEvidence, redactionMarker } from "../evidence.js";
import type { CheckFunction, Fix } from "../types.js";
import { anyValue, pathOf, walk } from "../walk.js";

export const DEFAULT_MIN_BASE64_CHARS = 32;

/**
 * A document payload anywhere in the record, however it was written down (see detectors/): base64,
 * hex, percent-encoding, escapes, compression, JSON text, cut into an array of pieces, a
 * serialized byte array, or an object key.
 */
export const documentContent: CheckFunction<DocumentContentOptions> = {
  name: "documentContent",
  prefilter: () => DOCUMENT_HINTS,
  anyValue: true,
  compile(options) {
    const minChars = options.minBase64Chars ?? DEFAULT_MIN_BASE64_CHARS;
    // Clean path: a cheap substring test per string, a first-byte test per array.
    const arrayDocument = (v: unknown) => {
      const bytes = documentInByteArray(v);
      if (bytes) return bytes;
      const chunks = documentInChunks(v, minChars, 0);
      return chunks && layeredEvidence(chunks);
    };
    // A key that holds a document (base64 or hex used as a member name).
    const keyDocuments = (v: unknown): Array<{ key: string; evidence: ReturnType<typeof layeredEvidence> }> => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
      const out: Array<{ key: string; evidence: ReturnType<typeof layeredEvidence> }> = [];
      for (const key of Object.keys(v)) {
        if (key.length < minChars) continue;
        const m = findDocumentsInString(key, minChars)[0];
        if (m) out.push({ key, evidence: m.evidence });
      }
      return out;
    };
    const suspicious = (v: unknown): boolean => {
      if (typeof v === "string") return stringMayHoldDocument(v);
      return v !== null && typeof v === "object" && (arrayDocument(v) !== undefined || keyDocuments(v).length > 0);
    };
    return (record, emit) => {
      if (!anyValue(record, suspicious)) return;
      walk(record, (node) => {
        const v = node.value;
        if (typeof v === "string") {
          const found = findDocumentsInString(v, minChars);
          if (found.length === 0) return false;
          // One fix per string, replacing every payload in it, so that fixes never overlap.
          const fix: Fix = { kind: "replaceInString", ranges: found.map((m) => ({ start: m.start, end: m.end, text: redactionMarker(m.evidence) })) };
          found.forEach((m, i) => {
            const inside = m.start > 0 || m.end < v.length ? ` inside a ${v.length}-character string at offset ${m.start}` : "";
            emit(pathOf(node), `${describeEvidence(m.evidence)}${inside}`, m.evidence, i === 0 ? fix : undefined);
          });
          return false;
        }
        if (v !== null && typeof v === "object") {
          const evidence = arrayDocument(v);
          if (evidence) {
            emit(pathOf(node), describeEvidence(evidence), evidence, { kind: "set", value: redactionMarker(evidence) });
            return false;
          }
          for (const k of keyDocuments(v)) emit([...pathOf(node), k.key], `${describeEvidence(k.evidence)} as a member name`, k.evidence, { kind: "delete" });
        }
        return true;
      });
    };
  },
};
