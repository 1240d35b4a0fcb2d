import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The repository root (tests run from dist/test/...). */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const CLI = join(ROOT, "dist/src/cli/main.js");
export const CORPUS = join(ROOT, "corpus");
export const rel = (...parts: string[]): string => join(ROOT, ...parts);
