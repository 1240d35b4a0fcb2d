/** Paths to inputs: files as given, directories walked for log-like files, '-' for stdin. */
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";

export const STDIN = "-";
const LOG_FILE = /\.(json|jsonl|ndjson|ya?ml)(\.gz)?$/i;
/** Directories a walk never enters: VCS metadata and dependencies. */
const SKIPPED_DIRS = new Set([".git", ".hg", ".svn", "node_modules"]);
/**
 * An account's folder in S3's delivery layout, AWSLogs/[o-<org id>/]<account id>: other services
 * deliver beside CloudTrail there (AWS Config's .json.gz history and snapshots, GuardDuty's
 * findings; Control Tower's log archive holds both), and their files are not records. Walking down
 * from above, only CloudTrail's own folders (CloudTrail, CloudTrail-Insight, CloudTrail-Digest) are read.
 */
const ACCOUNT_DIR = /(?:^|[\\/])AWSLogs[\\/](?:o-[a-z0-9]{10,32}[\\/])?[0-9]{12}$/;
const CLOUDTRAIL_DIR = /^CloudTrail(?:-|$)/;
/** Where CloudTrail delivers digest files (log file integrity validation) beside its logs. */
const DIGEST_DIR = /(?:^|[\\/])CloudTrail-Digest[\\/]/;

/** Whether `file` lies in CloudTrail's digest folder of the delivery layout. */
export function isDigestPath(file: string): boolean {
  return DIGEST_DIR.test(file);
}

export type SourceEntry = { readonly file: string } | { readonly error: InputError };
/** With `passedOver`, a walk also names the regular files it does not read (for a copy of the whole tree). */
export type WalkEntry = SourceEntry | { readonly passedOver: string };

export function isLogFileName(name: string): boolean {
  return LOG_FILE.test(name);
}

function errnoMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "EISDIR":
      return "is a directory";
    default:
      return err.code ?? err.message;
  }
}

export function readError(file: string, e: unknown): InputError {
  if (e instanceof InputError) return e;
  return new InputError("READ", file, `cannot read: ${errnoMessage(e)}`, {}, { cause: e });
}

/**
 * The files to read, in a stable order: explicit files as given (whatever their extension),
 * directories walked recursively (sorted) for .json/.jsonl/.ndjson/.yaml/.yml and their .gz.
 */
export function expandPaths(paths: readonly string[]): AsyncGenerator<SourceEntry>;
export function expandPaths(paths: readonly string[], options: { passedOver: true }): AsyncGenerator<WalkEntry>;
export async function* expandPaths(paths: readonly string[], options: { passedOver?: boolean } = {}): AsyncGenerator<WalkEntry> {
  for (const p of paths) {
    if (p === STDIN) {
      yield { file: STDIN };
      continue;
    }
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      yield { error: readError(p, e) };
      continue;
    }
    if (st.isDirectory()) {
      let found = 0;
      for await (const entry of walkDirectory(p, new Set(), options.passedOver === true)) {
        if ("file" in entry) found++;
        yield entry;
      }
      if (found === 0) yield { error: new InputError("EMPTY", p, "no log files (.json, .jsonl, .ndjson, .yaml, .yml, or .gz of these) in this directory") };
    } else if (st.isFile()) {
      yield { file: p };
    } else {
      yield { error: new InputError("READ", p, "not a regular file (a FIFO, socket or device is not read)") };
    }
  }
}

async function* walkDirectory(dir: string, visited: Set<string>, passedOver = false, read = true): AsyncGenerator<WalkEntry> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (e) {
    yield { error: readError(dir, e) };
    return;
  }
  if (visited.has(real)) return; // a symlink loop, or the same tree twice
  visited.add(real);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    yield { error: readError(dir, e) };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = await stat(full);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (e) {
        if (isLogFileName(entry.name)) yield { error: readError(full, e) };
        continue;
      }
    }
    if (isDir) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const logs = read && (CLOUDTRAIL_DIR.test(entry.name) || !ACCOUNT_DIR.test(dir.replace(/[\\/]+$/, "")));
      if (logs || passedOver) yield* walkDirectory(full, visited, passedOver, logs);
    } else if (!read || !isLogFileName(entry.name) || entry.name.startsWith(".trailproof")) {
      // (trailproof's own configuration and baseline files are not logs)
      if (passedOver && isFile) yield { passedOver: full };
    } else {
      if (isFile) yield { file: full };
      else yield { error: new InputError("READ", full, "not a regular file (a FIFO, socket or device is not read)") };
    }
  }
}

/**
 * A whole input in memory (for redaction, which rewrites a file whole). Past `limit.bytes` it
 * throws the InputError `limit.tooBig` makes, without reading the rest.
 */
export async function readSource(file: string, stdin: NodeJS.ReadableStream = process.stdin, limit?: { bytes: number; tooBig: (bytes: number) => InputError }): Promise<Uint8Array> {
  const check = (bytes: number): void => {
    if (limit && bytes > limit.bytes) throw limit.tooBig(bytes);
  };
  if (file !== STDIN) {
    // lstat-then-read: a file that vanished since the walk is reported by readFile's error.
    check((await lstat(file)).size);
    return readFile(file);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    check((total += b.length));
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
