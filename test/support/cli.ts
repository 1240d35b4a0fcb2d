import { spawnSync } from "node:child_process";
import { CLI, ROOT } from "./paths.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user or CI would. */
export function cli(args: string[], options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): CliResult {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...options.env };
  for (const name of ["FORCE_COLOR", "NO_COLOR"]) if (!options.env || !(name in options.env)) delete env[name];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, input: options.input ?? "", env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
