import { chmod, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes beside the target, then renames over it: a reader sees the old bytes or the new ones,
 * never half of each, and a failed write leaves the original byte for byte as it was.
 * The target's permissions are kept. `data` may come in chunks (a big report is never one string).
 */
export async function writeAtomic(path: string, data: string | Uint8Array | Iterable<string>): Promise<void> {
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
