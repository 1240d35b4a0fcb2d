/** .trailproof.yaml: found from the working directory upwards (or --config), validated by schemas/config.schema.json. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { ConfigError } from "./errors.js";
import type { TrailproofConfig } from "./generated/config.js";
import { yaml } from "./lazy.js";
import { refuseDeepYaml } from "./readers/yaml-depth.js";
import { formatAjvErrors, schemaRegistry } from "./schemas.js";

export type { TrailproofConfig };
export const CONFIG_NAMES = [".trailproof.yaml", ".trailproof.yml", ".trailproof.json"];
const CONFIG_ID = "https://trailproof.dev/schemas/config.schema.json";

export interface LoadedConfig {
  readonly file: string | undefined;
  readonly dir: string;
  readonly config: TrailproofConfig;
}

export function findConfig(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) return undefined;
  }
}

export function loadConfig(cwd: string, explicit?: string): LoadedConfig {
  const file = explicit !== undefined ? resolve(cwd, explicit) : findConfig(cwd);
  if (!file) return { file: undefined, dir: cwd, config: {} };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read the configuration: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  let data: unknown;
  try {
    if (!file.endsWith(".json")) refuseDeepYaml(text);
    data = file.endsWith(".json") ? JSON.parse(text) : yaml().parse(text, { schema: "core", maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError(`not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`, file);
  }
  data ??= {};
  const validate = schemaRegistry().validator(CONFIG_ID);
  if (!validate(data)) throw new ConfigError(`invalid configuration: ${formatAjvErrors(validate.errors)}`, file);
  return { file, dir: dirname(file), config: data as TrailproofConfig };
}

export function resolveFrom(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

/** A glob (`**`, `*`, `?`) as a regular expression over '/'-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const slash = glob[i + 2] === "/";
        re += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
