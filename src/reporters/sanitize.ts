/**
 * Untrusted text (file names, eventName, keys from records) made safe for a terminal or a CI log:
 * control characters, including ESC of ANSI sequences, and Unicode line/paragraph separators
 * and bidirectional overrides are written as escapes.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function sanitize(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
