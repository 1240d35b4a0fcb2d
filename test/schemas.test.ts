import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadTable, schemaRegistry, SCHEMA_IDS } from "../src/schemas.js";
import { resolveTable } from "../src/engine/table.js";
import { rel } from "./support/paths.js";
import { textractModel } from "./support/textract-model.js";

test("generated TypeScript types are fresh (run npm run gen:types after a schema change)", async () => {
  const { generate } = (await import(pathToFileURL(rel("scripts/gen-types.mjs")).href)) as { generate: () => Promise<Record<string, string>> };
  const files = await generate();
  for (const [name, text] of Object.entries(files)) {
    assert.is(readFileSync(rel("src/generated", name), "utf8"), text, `src/generated/${name} is stale`);
  }
});

test("the table has a row for every operation of the newest Textract model, and no row without one", () => {
  const { version, operations } = textractModel();
  const model = operations.map((o) => o.name);
  const rows = Object.keys(loadTable().operations);
  const missing = model.filter((op) => !rows.includes(op));
  const extra = rows.filter((op) => !model.includes(op));
  assert.equal(missing, [], `operations of @aws-sdk/client-textract ${version} without a row: ${missing.join(", ")}`);
  assert.equal(extra, [], `rows without an operation in @aws-sdk/client-textract ${version}: ${extra.join(", ")}`);
});

test("each row's members are the model's, and its not-logged parts follow from them", () => {
  const table = loadTable();
  const analysisShapes = ["Block", "ExpenseDocument", "IdentityDocument", "LendingResult", "LendingSummary"];
  for (const op of textractModel().operations) {
    const row = table.operations[op.name]!;
    assert.equal(row.requestMembers, op.requestMembers, `${op.name}: requestMembers differ from the model`);
    assert.equal(row.responseMembers, op.responseMembers, `${op.name}: responseMembers differ from the model`);
    // A blob in the request is the document; a response with a result structure is analysis output.
    if (row.profiles.includes("strict")) {
      assert.equal([...row.request].sort(), [...op.requestBlobs].sort(), `${op.name}: request members not logged`);
      const returnsResults = analysisShapes.some((s) => op.responseShapes.has(s));
      assert.is(row.response, returnsResults ? "all" : "none", `${op.name}: response`);
    }
  }
});

test("documented profile: exactly the six rows of the AWS page", () => {
  const rows = Object.entries(loadTable().operations).filter(([, r]) => r!.profiles.includes("documented"));
  const doc = Object.fromEntries(rows.map(([op, r]) => [op, [r!.request, r!.response]]));
  assert.equal(doc, {
    AnalyzeDocument: [["document.bytes"], "all"],
    DetectDocumentText: [["document.bytes"], "all"],
    StartDocumentAnalysis: [[], "none"],
    GetDocumentAnalysis: [[], "all"],
    StartDocumentTextDetection: [[], "none"],
    GetDocumentTextDetection: [[], "all"],
  });
});

test("strict profile: expense, ID and lending results are hidden like AnalyzeDocument's", () => {
  const strict = resolveTable(loadTable(), "strict");
  assert.is(strict.get("AnalyzeExpense")!.response, "all");
  assert.equal(strict.get("AnalyzeID")!.request, [[{ name: "documentpages", each: true }, { name: "bytes", each: false }]]);
  for (const op of ["GetExpenseAnalysis", "GetLendingAnalysis", "GetLendingAnalysisSummary"]) assert.is(strict.get(op)!.response, "all", op);
  for (const op of ["StartExpenseAnalysis", "StartLendingAnalysis", "CreateAdapter", "TagResource", "GetProject", "ListProjects", "DeleteProject", "GetBlueprint", "DeleteBlueprint", "StartDocumentInsights", "GetDocumentInsights"]) assert.is(strict.get(op)!.response, "none", op);
  const documented = resolveTable(loadTable(), "documented");
  assert.is(documented.get("AnalyzeExpense")!.response, "none");
});

test("every userIdentity type has its own schema definition", () => {
  const doc = schemaRegistry().documents.get(SCHEMA_IDS.userIdentity)!;
  assert.equal(doc["x-types"], ["Root", "IAMUser", "AssumedRole", "Role", "FederatedUser", "AWSAccount", "AWSService", "IdentityCenterUser", "Directory", "Unknown", "SAMLUser", "WebIdentityUser"]);
  for (const t of doc["x-types"] as string[]) assert.ok(schemaRegistry().validator(`${SCHEMA_IDS.userIdentity}#/definitions/${t}`));
});

test("the table file itself is validated by its schema", () => {
  const validate = schemaRegistry().validator(SCHEMA_IDS.table);
  const table = JSON.parse(readFileSync(rel("schemas/not-logged-table.json"), "utf8")) as { operations: Record<string, { response: unknown }> };
  assert.ok(validate(table));
  table.operations["AnalyzeDocument"]!.response = "some";
  assert.not.ok(validate(table));
});

test("precompiled validators: one self-contained file whose V8 code cache this Node accepts, and they agree with Ajv", async () => {
  const { join } = await import("node:path");
  const { PRECOMPILED_DIR, PRECOMPILED_VALIDATORS, createAjv, bundledSchemas } = await import("../src/schemas.js");
  const { runCommonJs } = await import("../src/code-cache.js");
  const file = join(PRECOMPILED_DIR, PRECOMPILED_VALIDATORS);
  const { exports, script } = runCommonJs(file);
  assert.is(script.cachedDataRejected, false, "the build's code cache must match the text it was made from");
  // Ajv's runtime is inside the file: it loads with a require that refuses everything.
  const { Script } = await import("node:vm");
  const alone = { exports: {} as Record<string, (v: unknown) => boolean> };
  const refuse = (id: string) => {
    throw new Error(`required ${id}`);
  };
  new Script(`(function (exports, require, module) {${readFileSync(file, "utf8")}\n})`).runInThisContext()(alone.exports, refuse, alone);
  assert.is(typeof alone.exports["v0"], "function");
  // A cache made for another text is refused by V8, and the module still loads and works. (Another text: V8
  // 12 and later serve a text it compiled before from the isolate's own cache, without reading cachedData.)
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const other = join(mkdtempSync(join(tmpdir(), "tp-stale-")), "validators.cjs");
  writeFileSync(other, `${readFileSync(file, "utf8")}\n// another text\n`);
  const stale = runCommonJs(other, script.createCachedData());
  assert.is(stale.script.cachedDataRejected, true);
  assert.is(typeof stale.exports["v0"], "function");
  const meta = JSON.parse(readFileSync(join(PRECOMPILED_DIR, "validators.json"), "utf8")) as { refs: Record<string, string> };
  const ajv = createAjv();
  for (const doc of bundledSchemas().documents.values()) ajv.addSchema(doc);
  const record = { eventVersion: "1.09", eventTime: "2026-03-04T10:11:12Z", awsRegion: "moon-1", userIdentity: { type: "IAMUser", accountId: "12" } };
  for (const [ref, name] of Object.entries(meta.refs)) {
    for (const sample of [{}, record, record.userIdentity]) {
      const precompiled = exports[name] as (v: unknown) => boolean;
      const compiled = ajv.getSchema(ref)!;
      assert.is(precompiled(sample), compiled(sample), `${ref} on ${JSON.stringify(sample)}`);
      assert.is((stale.exports[name] as (v: unknown) => boolean)(sample), compiled(sample));
    }
  }
});

test("maxLength and minLength count code points exactly as Ajv's own keywords, with the same errors in the same order", async () => {
  const { createRequire } = await import("node:module");
  const { createAjv } = await import("../src/schemas.js");
  const Ajv = (createRequire(import.meta.url)("ajv") as { default: new (o: object) => { compile: (s: object) => ((v: unknown) => boolean) & { errors?: unknown } } }).default;
  const options = { allErrors: true, strict: true, unicodeRegExp: true };
  const schema = { type: "object", properties: Object.fromEntries([1, 2, 3, 4].map((n) => [`s${n}`, { type: "string", minLength: n, maxLength: n + 1, pattern: "^[a\\ud83d\\ude00-]*$" }])) };
  const ours = createAjv().compile(schema);
  const stock = new Ajv(options).compile(schema);
  // Astral characters (two UTF-16 units, one character), lone surrogates and plain letters around each limit.
  const pieces = ["", "a", "\u{1f600}", "\ud800", "\udc00", "-"];
  const strings = new Set<string>([""]);
  for (let round = 0; round < 4; round++) for (const s of [...strings]) for (const p of pieces) strings.add(s + p);
  let failures = 0;
  const cases = [...strings].flatMap((value) => [1, 2, 3, 4].map((n) => ({ [`s${n}`]: value })));
  for (const data of cases) {
    const valid = ours(data);
    assert.is(valid, stock(data), JSON.stringify(data));
    assert.equal(ours.errors ?? null, stock.errors ?? null, JSON.stringify(data));
    if (!valid) failures++;
  }
  // Both outcomes, and values failing length and pattern at once, are among them.
  assert.ok(failures > cases.length / 4 && failures < cases.length, `${failures} of ${cases.length}`);
  assert.ok(cases.some((d) => !ours(d) && ours.errors!.length === 2));
});

test.run();
