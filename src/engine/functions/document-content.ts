import type { DocumentContentOptions } from "../../generated/rule-pack.js";
import { DOCUMENT_HINT, mayHoldDocument, documentInByteArray, findDocumentsInString } from "../../detectors/document.js";
import { describeEvidence, redactionMarker } from "../evidence.js";
import type { CheckFunction, Fix } from "../types.js";
import { anyValue, pathOf, walk } from "../walk.js";

export const DEFAULT_MIN_BASE64_CHARS = 32;

/** A document payload (base64, raw binary or a serialized byte array with a file signature) anywhere in the record. */
export const documentContent: CheckFunction<DocumentContentOptions> = {
  name: "documentContent",
  prefilter: () => DOCUMENT_HINT,
  compile(options) {
    const minChars = options.minBase64Chars ?? DEFAULT_MIN_BASE64_CHARS;
    // Clean path: a cheap substring test per string, a first-byte test per array.
    const suspicious = (v: unknown): boolean => {
      if (typeof v === "string") return v.length >= 4 && mayHoldDocument(v);
      return v !== null && typeof v === "object" && documentInByteArray(v) !== undefined;
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
          const evidence = documentInByteArray(v);
          if (evidence) {
            emit(pathOf(node), describeEvidence(evidence), evidence, { kind: "set", value: redactionMarker(evidence) });
            return false;
          }
        }
        return true;
      });
    };
  },
};
