/** Files that ship with the package: schemas/ and rules/. Located from this module, not the working directory. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "schemas"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("trailproof: cannot find its package root (schemas/ is missing)");
    dir = up;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const SCHEMAS_DIR = join(PACKAGE_ROOT, "schemas");
export const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, "rules");

export function readJsonAsset<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, ...parts), "utf8")) as T;
}

export const VERSION: string = readJsonAsset<{ version: string }>("package.json").version;
