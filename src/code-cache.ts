/**
 * Runs a CommonJS file with V8's code cache, written at build time beside it: V8 then neither
 * parses nor compiles it. Used for the precompiled validators and the bundled CLI (Node 20 gives
 * ES modules no code cache). A cache is only valid for the V8 that wrote it, so its name carries
 * that V8's version (`<file>.v8-<version>.cache`): another Node finds none and compiles the file as
 * usual, and `npm run build:code-cache` run with that Node adds its own.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/** Where the code cache of `file` lives. */
export const codeCacheOf = (file: string, v8: string = process.versions.v8): string => `${file}.v8-${v8}.cache`;

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
