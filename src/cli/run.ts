/** The CLI as a function of argv and streams, so tests can run it in-process and end to end: the commands are in commands/. */
import { parseArgs } from "node:util";
import { VERSION } from "../assets.js";
import { TrailproofError, UsageError } from "../errors.js";
import { sanitize } from "../reporters/sanitize.js";
import { type CliIo, EXIT } from "./io.js";
import { OPTIONS } from "./options.js";
import { commandCheck } from "./commands/check.js";
import { commandBaseline } from "./commands/baseline.js";
import { commandRedact } from "./commands/redact.js";
import { commandRules, commandTestRules } from "./commands/rules.js";
export { colorLevel, EXIT, exitCodeFor, type CliIo } from "./io.js";

const HELP = `trailproof ${VERSION}: prove CloudTrail logs of Amazon Textract calls keep Textract's privacy promise

Usage:
  trailproof check [paths...] [options]   check files, directories (recursive) or - (stdin)
  trailproof redact <paths|-> [--output FILE_OR_DIR]   write compliant copies
  trailproof baseline [paths...] [--output FILE]        accept today's findings (default .trailproof-baseline.json)
  trailproof rules [--format text|json]   list the rules
  trailproof test-rules [dir...]          run the test records embedded in rule packs
  trailproof --help | --version

Options for check:
  --format F[=FILE]           text | json | sarif | junit | github (default text); repeatable,
                              e.g. --format text --format sarif=report.sarif
  --output FILE               write the (single) report without =FILE to FILE instead of stdout
  --fail-on LEVEL             error | warning | info | never (default error)
  --profile NAME              strict | documented (default strict)
  --rules DIR                 add a rule pack (file or directory); repeatable
  -q, --quiet                 text: only input errors and the summary line
  --max-findings N            list at most N findings and N input errors (default 10000; 0: all),
                              and JUnit at most N records (one case per file counts the rest);
                              counts and the exit code stay exact, and memory stays bounded
  --yaml-max-aliases N        YAML alias expansions allowed per document (default 100)
  --max-record-mb N           the largest record read, in MiB of JSON (default 16, at most 256; a
                              YAML file is one record): a larger one is an input error, skipped unread
  --config FILE               configuration (default: .trailproof.yaml found from here upwards)
  --baseline FILE             report only findings not in FILE; stale entries fail the run
  --prune                     with a baseline: drop its stale entries (rewrites the file)
  --concurrency auto|off|N    worker threads across files (default auto: one per core for large inputs)
  --strict-inputs             a file that is not a CloudTrail log (no record, no Records/Events/
                              logEvents wrapper, nothing with eventVersion, eventSource or
                              eventName) is an input error, not a note
  --fix                       redact leaks in place first (atomic; untouched files keep their mtime)
  --pseudonymize              with --fix or redact: also replace account ids, keys, principal ids,
                              names, source IPs, bucket and object names with consistent pseudonyms
  --salt SECRET               the key of those pseudonyms (or TRAILPROOF_SALT in the environment)

Redaction removes what the leak rules find (request bytes, response fields, document payloads,
analysis output); identity and envelope findings cannot be fixed by redaction and are reported.

(With a baseline, findings are matched file by file as they are checked; the cap applies to new and suppressed findings alike.)

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error,
3 some input could not be read or parsed (input errors outrank findings).
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`trailproof: ${e.message}\nRun 'trailproof --help' for usage.\n`);
      return EXIT.usage;
    }
    if (e instanceof TrailproofError) {
      io.stderr.write(`trailproof: ${sanitize(e.message)}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === "help") {
    io.stdout.write(HELP);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  switch (command) {
    case "check":
      return commandCheck(rest, values, io);
    case "rules":
      return commandRules(values, io);
    case "redact":
      return commandRedact(rest, values, io);
    case "baseline":
      return commandBaseline(rest, values, io);
    case "test-rules":
      return commandTestRules(rest, values, io);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(sanitize(command))}`);
  }
}
