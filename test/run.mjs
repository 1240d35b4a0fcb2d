// Runs the uvu suites compiled to dist/test and ends with the plain line CI reads:
// "N passed, N failed", counted from uvu's own totals. Exit code is non-zero on any failure.
//
// `node test/run.mjs` runs them with this Node. `--supported` runs them with this Node and with each other
// Node.js major the project supports (test/node-versions.json), each installed from the npm registry's
// node-<platform>-<arch> package into .cache/node/<version>/ and given its own V8 code cache first; the
// closing line then counts every version's results.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const uvu = join(root, "node_modules/uvu/bin.js");

/** The node binary of `version`, installed once into .cache/node/<version>/ (throws with npm's words on failure). */
function installedNode(version) {
  const prefix = join(root, ".cache", "node", version);
  const pkg = `node-${process.platform}-${process.arch}`;
  const bin = join(prefix, "node_modules", pkg, "bin", "node");
  if (!existsSync(bin)) {
    console.log(`installing Node.js ${version} (${pkg}@${version} from the npm registry)`);
    const r = spawnSync("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", prefix, `${pkg}@${version}`], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0 || !existsSync(bin)) throw new Error(`could not install ${pkg}@${version} (npm exit ${r.status})`);
  }
  return bin;
}

/** Runs every suite with `node`; resolves to uvu's counts. */
function runSuites(node, label) {
  return new Promise((resolve) => {
    const child = spawn(node, [uvu, "dist/test", "\\.test\\.js$"], { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on("close", (code) => {
      const plain = out.replace(/\u001b\[[0-9;]*m/g, "");
      const num = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(plain)?.[1] ?? NaN);
      const total = num("Total");
      const passed = num("Passed");
      const skipped = num("Skipped") || 0;
      if (Number.isNaN(total) || Number.isNaN(passed)) {
        console.error(`test/run.mjs: uvu printed no summary on ${label} (did a suite crash before running?)`);
        resolve({ passed: 0, failed: 1, skipped: 0 });
        return;
      }
      const failed = total - passed - skipped + (code !== 0 && total - passed - skipped === 0 ? 1 : 0);
      resolve({ passed, failed, skipped });
    });
  });
}

const runs = [{ node: process.execPath, label: `Node.js ${process.version}` }];
if (process.argv.includes("--supported")) {
  const { versions } = JSON.parse(readFileSync(join(root, "test", "node-versions.json"), "utf8"));
  for (const version of versions) {
    let node;
    try {
      node = installedNode(version);
    } catch (e) {
      console.error(`test/run.mjs: ${e.message}`);
      runs.push({ error: true, label: `Node.js ${version}` });
      continue;
    }
    runs.push({ node, label: `Node.js ${version}`, ownCache: true });
  }
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const run of runs) {
  if (run.error) {
    totals.failed += 1;
    lines.push(`${run.label}: could not run`);
    continue;
  }
  console.log(`\n== ${run.label} ==`);
  if (run.ownCache) {
    // A V8 code cache is valid only for the V8 that wrote it: this Node's own, for the built dist/.
    const cache = spawnSync(run.node, [join(root, "scripts", "code-cache.mjs")], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    if (cache.status !== 0) {
      totals.failed += 1;
      lines.push(`${run.label}: its code cache could not be built`);
      continue;
    }
  }
  const r = await runSuites(run.node, run.label);
  totals.passed += r.passed;
  totals.failed += r.failed;
  totals.skipped += r.skipped;
  lines.push(`${run.label}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}`);
}
if (runs.length > 1) for (const line of lines) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed > 0 ? 1 : 0);
