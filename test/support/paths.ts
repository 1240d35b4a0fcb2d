import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The repository root (tests run from dist/test/...). */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The CLI as installed: the bundle package.json names as its bin. */
export const CLI = join(ROOT, "dist/bundle/main.js");
export const CORPUS = join(ROOT, "corpus");
export const rel = (...parts: string[]): string => join(ROOT, ...parts);
