/**
 * Runs a CommonJS file with V8's code cache, written at build time beside it (`<file>.v8cache`):
 * V8 then neither parses nor compiles it. Used for the precompiled validators and the bundled CLI
 * (Node 20 gives ES modules no code cache). A cache from another Node or V8 is rejected by V8 and
 * the file compiles as usual.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/** Where the code cache of `file` lives. */
export const codeCacheOf = (file: string): string => `${file}.v8cache`;

/** Runs `file` as a CommonJS module; `cachedData` overrides the cache file (tests). */
export function runCommonJs(file: string, cachedData?: Buffer): { exports: Record<string, unknown>; script: Script } {
  const cache = codeCacheOf(file);
  const data = cachedData ?? (existsSync(cache) ? readFileSync(cache) : undefined);
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`;
  const script = new Script(source, { filename: file, ...(data ? { cachedData: data } : {}) });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script };
}
