// Runs the uvu suites compiled to dist/test and ends with the plain line CI reads:
// "N passed, N failed", counted from uvu's own totals. Exit code is non-zero on any failure.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const uvu = fileURLToPath(new URL("../node_modules/uvu/bin.js", import.meta.url));
const child = spawn(process.execPath, [uvu, "dist/test", "\\.test\\.js$"], { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
let out = "";
child.stdout.on("data", (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on("close", (code) => {
  const plain = out.replace(/\u001b\[[0-9;]*m/g, "");
  const num = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? NaN);
  const total = num("Total");
  const passed = num("Passed");
  const skipped = num("Skipped") || 0;
  if (Number.isNaN(total) || Number.isNaN(passed)) {
    console.log("0 passed, 1 failed");
    console.error("test/run.mjs: uvu printed no summary (did a suite crash before running?)");
    process.exit(1);
  }
  const failed = total - passed - skipped;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(code !== 0 || failed > 0 ? 1 : 0);
});
