/** Rule packs: YAML (or JSON) files validated against schemas/rule-pack.schema.json when loaded. */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { yaml } from "../lazy.js";
import { refuseDeepYaml } from "../readers/yaml-depth.js";
import { BUILTIN_RULES_DIR, PACKAGE_ROOT } from "../assets.js";
import { ConfigError } from "../errors.js";
import type { Rule, RulePack } from "../generated/rule-pack.js";
import { PRECOMPILED_DIR, SCHEMA_IDS, formatAjvErrors, schemaRegistry } from "../schemas.js";

export interface LoadedRule extends Rule {
  /** The pack's name. */
  readonly pack: string;
  /** The file the rule came from. */
  readonly source: string;
  readonly builtin: boolean;
}

export interface RuleSet {
  readonly rules: readonly LoadedRule[];
}

const PACK_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

function packFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    throw new ConfigError(`cannot read rule pack: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path);
  }
  if (stat.isFile()) return [path];
  if (!stat.isDirectory()) throw new ConfigError("not a file or directory", path);
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...packFiles(full));
    else if (PACK_EXTENSIONS.has(extname(entry.name))) out.push(full);
  }
  return out;
}

/** Parses one pack file. Rule packs are trusted configuration, but still parsed without custom tags and with alias limits. */
export function parsePackFile(file: string): RulePack {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  let data: unknown;
  try {
    if (!file.endsWith(".json")) refuseDeepYaml(text);
    data = file.endsWith(".json") ? JSON.parse(text) : yaml().parse(text, { maxAliasCount: 1000, merge: true, prettyErrors: true });
  } catch (e) {
    throw new ConfigError(`not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`, file);
  }
  const validate = schemaRegistry().validator(SCHEMA_IDS.rulePack);
  if (!validate(data)) throw new ConfigError(`not a valid rule pack: ${formatAjvErrors(validate.errors)}`, file);
  return data as RulePack;
}

/** The built-in rule files and a hash of their text. */
function builtinFiles(): { files: string[]; hash: string } {
  const files = packFiles(BUILTIN_RULES_DIR);
  const hash = createHash("sha256");
  for (const f of files) hash.update(relative(BUILTIN_RULES_DIR, f)).update("\0").update(readFileSync(f));
  return { files, hash: hash.digest("hex") };
}

/** The built-in rules, parsed and validated, with the hash of their sources (written by scripts/precompile.mjs). */
export function builtinRulesSnapshot(): { hash: string; rules: LoadedRule[] } {
  return { hash: builtinFiles().hash, rules: [...loadRules([], { builtin: true, precompiled: false }).rules] };
}

/** The built-in rules from the build's snapshot when it matches the files on disk (saves parsing YAML at start-up). */
function builtinRules(usePrecompiled: boolean): LoadedRule[] | undefined {
  if (!usePrecompiled || process.env["TRAILPROOF_NO_PRECOMPILED"]) return undefined;
  const snapshot = join(PRECOMPILED_DIR, "rules.json");
  if (!existsSync(snapshot)) return undefined;
  const data = JSON.parse(readFileSync(snapshot, "utf8")) as { hash: string; rules: LoadedRule[] };
  return data.hash === builtinFiles().hash ? data.rules : undefined;
}

/**
 * Loads the built-in packs (unless `builtin: false`) and the packs at `paths` (files or
 * directories, searched recursively). Rule ids are unique across everything loaded.
 */
export function loadRules(paths: readonly string[] = [], options: { builtin?: boolean; precompiled?: boolean } = {}): RuleSet {
  const sources: Array<{ path: string; builtin: boolean }> = [];
  const rules: LoadedRule[] = [];
  const seen = new Map<string, string>();
  if (options.builtin !== false) {
    const snapshot = builtinRules(options.precompiled !== false);
    if (snapshot) {
      for (const r of snapshot) {
        rules.push(r);
        seen.set(r.id, r.source);
      }
    }
    else sources.push({ path: BUILTIN_RULES_DIR, builtin: true });
  }
  for (const p of paths) sources.push({ path: p, builtin: false });
  for (const { path, builtin } of sources) {
    for (const file of packFiles(path)) {
      const pack = parsePackFile(file);
      const shown = builtin ? relative(PACKAGE_ROOT, file) : file;
      for (const rule of pack.rules) {
        const other = seen.get(rule.id);
        if (other) throw new ConfigError(`rule id ${JSON.stringify(rule.id)} is already defined in ${other}`, shown);
        seen.set(rule.id, shown);
        rules.push({ ...rule, pack: pack.pack, source: shown, builtin });
      }
    }
  }
  return { rules };
}
