/** Runs the test records embedded in rules: the same harness for the built-in packs and users' own. */
import { createEngine, type Engine } from "../engine/engine.js";
import type { ProfileName } from "../engine/types.js";
import type { RuleTestCase } from "../generated/rule-pack.js";
import type { LoadedRule, RuleSet } from "./load.js";

export type CaseKind = "valid" | "invalid" | "skipped";

export interface RuleCaseResult {
  readonly ruleId: string;
  readonly kind: CaseKind;
  readonly name: string;
  readonly ok: boolean;
  /** Why the case failed (paths and messages only; no record values). */
  readonly problem?: string;
}

export function runRuleTests(ruleSet: RuleSet): RuleCaseResult[] {
  const results: RuleCaseResult[] = [];
  for (const rule of ruleSet.rules) {
    const engines = new Map<ProfileName | undefined, Engine>();
    const engineFor = (profile: ProfileName | undefined): Engine => {
      let e = engines.get(profile);
      if (!e) {
        e = createEngine({ rules: { rules: [rule] }, ...(profile ? { profile } : {}) });
        engines.set(profile, e);
      }
      return e;
    };
    const tests = rule.tests;
    if (tests.valid.length === 0 || tests.invalid.length === 0) {
      results.push({ ruleId: rule.id, kind: "valid", name: "(rule has both valid and invalid cases)", ok: false, problem: "a rule needs at least one valid and one invalid case" });
    }
    for (const c of tests.valid) results.push(runCase(rule, "valid", c, engineFor(c.profile)));
    for (const c of tests.invalid) results.push(runCase(rule, "invalid", c, engineFor(c.profile)));
    for (const c of tests.skipped ?? []) results.push(runCase(rule, "skipped", c, engineFor(c.profile)));
  }
  return results;
}

function runCase(rule: LoadedRule, kind: CaseKind, c: RuleTestCase, engine: Engine): RuleCaseResult {
  const base = { ruleId: rule.id, kind, name: c.name };
  let findings;
  try {
    if (kind === "skipped") {
      const applies = engine.rulesFor(c.record).some((r) => r.rule.id === rule.id);
      return applies ? { ...base, ok: false, problem: "the rule applies to this record, but the case says it is out of scope" } : { ...base, ok: true };
    }
    findings = engine.check(c.record).filter((f) => f.ruleId === rule.id);
  } catch (e) {
    return { ...base, ok: false, problem: `the check threw: ${(e as Error).message}` };
  }
  const paths = findings.map((f) => f.path);
  if (kind === "valid") {
    return findings.length === 0 ? { ...base, ok: true } : { ...base, ok: false, problem: `expected no finding, got ${findings.map((f) => `${f.path || "/"}: ${f.message}`).join("; ")}` };
  }
  if (findings.length === 0) return { ...base, ok: false, problem: "expected findings, got none" };
  if (c.findings && JSON.stringify(c.findings) !== JSON.stringify(paths)) {
    return { ...base, ok: false, problem: `expected findings at ${JSON.stringify(c.findings)}, got ${JSON.stringify(paths)} (${findings.map((f) => f.message).join("; ")})` };
  }
  return { ...base, ok: true };
}
