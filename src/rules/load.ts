/** Rule packs: YAML (or JSON) files validated against schemas/rule-pack.schema.json when loaded. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { BUILTIN_RULES_DIR, PACKAGE_ROOT } from "../assets.js";
import { ConfigError } from "../errors.js";
import type { Rule, RulePack } from "../generated/rule-pack.js";
import { SCHEMA_IDS, formatAjvErrors, schemaRegistry } from "../schemas.js";

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
    data = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000, merge: true, prettyErrors: true });
  } catch (e) {
    throw new ConfigError(`not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`, file);
  }
  const validate = schemaRegistry().validator(SCHEMA_IDS.rulePack);
  if (!validate(data)) throw new ConfigError(`not a valid rule pack: ${formatAjvErrors(validate.errors)}`, file);
  return data as RulePack;
}

/**
 * Loads the built-in packs (unless `builtin: false`) and the packs at `paths` (files or
 * directories, searched recursively). Rule ids are unique across everything loaded.
 */
export function loadRules(paths: readonly string[] = [], options: { builtin?: boolean } = {}): RuleSet {
  const sources: Array<{ path: string; builtin: boolean }> = [];
  if (options.builtin !== false) sources.push({ path: BUILTIN_RULES_DIR, builtin: true });
  for (const p of paths) sources.push({ path: p, builtin: false });
  const rules: LoadedRule[] = [];
  const seen = new Map<string, string>();
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
