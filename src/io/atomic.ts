import { chmod, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes beside the target, then renames over it: a reader sees the old bytes or the new ones,
 * never half of each, and a failed write leaves the original byte for byte as it was.
 * The target's permissions are kept. A symbolic link is written through, as `>` would: renaming over
 * the link replaced it with a copy and left its target as it was (`--fix` on a linked fixture left
 * the leak in place). `data` may come in chunks (a big report is never one string).
 */
export async function writeAtomic(target: string, data: string | Uint8Array | Iterable<string>): Promise<void> {
  // (a path that does not exist yet, or a dangling link, is written as named)
  const path = await realpath(target).catch(() => target);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const mode = await stat(path).then((s) => s.mode & 0o7777, () => undefined);
    await writeFile(tmp, data, { flag: "wx" });
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
