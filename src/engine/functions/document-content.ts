import type { DocumentContentOptions } from "../../generated/rule-pack.js";
import { documentInByteArray, findDocumentsInString } from "../../detectors/document.js";
import { describeEvidence } from "../evidence.js";
import type { CheckFunction } from "../types.js";
import { pathOf, walk } from "../walk.js";

export const DEFAULT_MIN_BASE64_CHARS = 32;

/** A document payload (base64, raw binary or a serialized byte array with a file signature) anywhere in the record. */
export const documentContent: CheckFunction<DocumentContentOptions> = {
  name: "documentContent",
  compile(options) {
    const minChars = options.minBase64Chars ?? DEFAULT_MIN_BASE64_CHARS;
    return (record, emit) => {
      walk(record, (node) => {
        const v = node.value;
        if (typeof v === "string") {
          for (const m of findDocumentsInString(v, minChars)) {
            const inside = m.start > 0 || m.end < v.length ? ` inside a ${v.length}-character string at offset ${m.start}` : "";
            emit(pathOf(node), `${describeEvidence(m.evidence)}${inside}`, m.evidence);
          }
          return false;
        }
        if (v !== null && typeof v === "object") {
          const evidence = documentInByteArray(v);
          if (evidence) {
            emit(pathOf(node), describeEvidence(evidence), evidence);
            return false;
          }
        }
        return true;
      });
    };
  },
};
