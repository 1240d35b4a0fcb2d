/** trailproof rules and test-rules: list the rules, run their own cases. */
import { Chalk } from "chalk";
import { loadRules } from "../../rules/load.js";
import { runRuleTests } from "../../rules/tester.js";
import { sanitize } from "../../reporters/sanitize.js";
import { type CliIo, EXIT, colorLevel } from "../io.js";
import { type Values, oneOf } from "../options.js";

export function commandRules(values: Values, io: CliIo): number {
  const format = oneOf("format", values.format?.[0], ["text", "json"] as const, "text");
  const { rules } = loadRules(values.rules ?? []);
  if (format === "json") {
    io.stdout.write(JSON.stringify(rules.map((r) => ({ id: r.id, severity: r.severity, description: r.description, pack: r.pack, leak: r.leak === true })), null, 2) + "\n");
    return EXIT.ok;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  for (const r of rules) io.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${sanitize(r.description)}\n`);
  return EXIT.ok;
}

export function commandTestRules(dirs: string[], values: Values, io: CliIo): number {
  const rules = loadRules([...dirs, ...(values.rules ?? [])], { builtin: dirs.length === 0 });
  const results = runRuleTests(rules);
  const c = new Chalk({ level: colorLevel(io.stdout, io.env) });
  for (const r of results) {
    const mark = r.ok ? c.green("ok  ") : c.red("FAIL");
    io.stdout.write(`${mark} ${r.ruleId} ${r.kind}: ${sanitize(r.name)}\n`);
    if (!r.ok && r.problem) io.stdout.write(`       ${sanitize(r.problem)}\n`);
  }
  const failed = results.filter((r) => !r.ok).length;
  io.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  return failed > 0 ? EXIT.findings : EXIT.ok;
}
