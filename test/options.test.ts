import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkBytes, checkPaths, checkRecord, createEngine, OptionsError, redactBytes } from "../src/index.js";
import { leaky } from "./support/records.js";

const rejects = async (run: () => unknown, option: string): Promise<void> => {
  try {
    await run();
  } catch (e) {
    assert.instance(e, OptionsError, String(e));
    assert.is((e as OptionsError).option, option);
    assert.is((e as OptionsError).code, "OPTIONS");
    return;
  }
  assert.unreachable(`option ${option} was accepted`);
};

test("the library rejects what the CLI rejects: a misspelt profile (it turned two leak rules off), a concurrency of \"lots\", and the rest", async () => {
  await rejects(() => checkPaths(["corpus/pass"], { profile: "Strict" as never }), "profile");
  await rejects(() => checkPaths(["corpus/pass"], { concurrency: "lots" as never }), "concurrency");
  await rejects(() => checkPaths(["corpus/pass"], { concurrency: 0 }), "concurrency");
  await rejects(() => checkPaths(["corpus/pass"], { maxFindings: -1 }), "maxFindings");
  await rejects(() => checkPaths(["corpus/pass"], { filter: "*.json" as never }), "filter");
  await rejects(() => checkBytes(Buffer.from("{}"), "x.json", { limits: { maxRecordBytes: -5 } }), "limits.maxRecordBytes");
  await rejects(() => checkRecord(leaky(), { severities: { "no-request-bytes": "loud" as never } }), "severities.no-request-bytes");
  await rejects(() => createEngine({ profile: "STRICT" as never }), "profile");
  await rejects(() => redactBytes(Buffer.from("{}"), "x.json", { pseudonymize: { salt: "" } }), "pseudonymize");
  await rejects(() => redactBytes(Buffer.from("{}"), "x.json", { remove: "yes" as never }), "remove");
  // Valid options still work, and the profile name decides what is enforced.
  assert.ok(checkRecord(leaky(), { profile: "documented" }).some((f) => f.ruleId === "no-request-bytes"));
  assert.ok(checkRecord(leaky(), { profile: "strict", concurrency: 2 }).some((f) => f.ruleId === "no-request-bytes"));
});

test.run();
