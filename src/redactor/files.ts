/** Redaction of files: in place (check --fix) or as copies (redact), always written atomically. */
import { InputError } from "../errors.js";
import { writeAtomic } from "../io/atomic.js";
import { expandPaths, readError, readSource, STDIN } from "../readers/sources.js";
import { isTooLargeToRedact, MAX_REDACT_BYTES, redactBytes, tooLargeToRedact, type FileRedaction, type RedactOptions } from "./redact.js";

export interface RedactedFile extends FileRedaction {
  readonly file: string;
  /** The path given on the command line that led to this file (for mirroring directory layouts). */
  readonly root: string;
  readonly original: Uint8Array;
  /** A file a directory walk does not read (not a log: another extension, another service's folder), named only when asked for. */
  readonly passedOver?: true;
}

/** Reads and redacts every input, in order; input problems are reported in `errors`, never thrown. */
export async function* redactInputs(paths: readonly string[], options: RedactOptions & { stdin?: NodeJS.ReadableStream; passedOver?: boolean } = {}): AsyncGenerator<RedactedFile> {
  for (const root of paths) {
    for await (const entry of options.passedOver ? expandPaths([root], { passedOver: true }) : expandPaths([root])) {
      if ("passedOver" in entry) {
        yield { file: entry.passedOver, root, original: new Uint8Array(), passedOver: true, bytes: undefined, changes: [], remaining: [], errors: [] };
        continue;
      }
      if ("error" in entry) {
        yield { file: entry.error.file, root, original: new Uint8Array(), bytes: undefined, changes: [], remaining: [], errors: [entry.error] };
        continue;
      }
      let original: Uint8Array;
      try {
        const max = options.maxBytes ?? MAX_REDACT_BYTES;
        original = await readSource(entry.file, options.stdin, { bytes: max, tooBig: (bytes) => tooLargeToRedact(entry.file, max, bytes) });
      } catch (e) {
        yield { file: entry.file, root, original: new Uint8Array(), bytes: undefined, changes: [], remaining: [], errors: [readError(entry.file, e)] };
        continue;
      }
      yield { file: entry.file, root, original, ...redactBytes(original, entry.file, options) };
    }
  }
}

export interface FixSummary {
  readonly filesChanged: number;
  readonly valuesRedacted: number;
  /** Files left as they were for a reason the check does not report: a failed write, too large to redact. */
  readonly errors: InputError[];
}

/** check --fix: rewrites files in place; a file that needs no change is not touched (its mtime stays). */
export async function fixInPlace(paths: readonly string[], options: RedactOptions = {}): Promise<FixSummary> {
  let filesChanged = 0;
  let valuesRedacted = 0;
  const errors: InputError[] = [];
  for await (const r of redactInputs(paths.filter((p) => p !== STDIN), options)) {
    if (!r.bytes) {
      // The check that follows reports the rest of what left a file alone (its parse errors, its findings).
      errors.push(...r.errors.filter(isTooLargeToRedact));
      continue;
    }
    try {
      await writeAtomic(r.file, r.bytes);
      filesChanged++;
      valuesRedacted += r.changes.length;
    } catch (e) {
      errors.push(new InputError("READ", r.file, `cannot rewrite: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; the file is unchanged`));
    }
  }
  return { filesChanged, valuesRedacted, errors };
}
