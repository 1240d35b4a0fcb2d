#!/usr/bin/env node
/** The command line: argv in, reports out, exit code. The only place that prints or exits. */
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  // The fast path: no module but this one is loaded. The package root is the nearest directory up
  // with package.json and schemas/ (this file runs from dist/src/cli/ or, bundled, from dist/bundle/).
  const { existsSync, readFileSync } = await import("node:fs");
  let root = new URL("./", import.meta.url);
  while (!(existsSync(new URL("package.json", root)) && existsSync(new URL("schemas/", root))) && root.pathname !== "/") root = new URL("../", root);
  process.stdout.write(`${(JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { version: string }).version}\n`);
} else {
  // A reader that leaves early (`trailproof check . | head`) is not our failure: the rest goes unwritten
  // and the exit code stays the verdict's (it was an unhandled EPIPE, a stack trace and exit 1). Any other
  // failure to write is said in words, exit 2.
  let unwritable: string | undefined;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE" && stream === process.stdout) unwritable ??= e.code ?? e.message;
    });
  }
  const { run } = await import("./run.js");
  await run(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() }).then(
    (code) => {
      if (unwritable !== undefined) process.stderr.write(`trailproof: cannot write to standard output: ${unwritable}\n`);
      process.exitCode = unwritable !== undefined ? 2 : code;
    },
    (e: unknown) => {
      process.stderr.write(`trailproof: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
