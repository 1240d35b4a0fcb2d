/** Sets Error.stackTraceLimit; false where it cannot be set (frozen intrinsics). */
export function setStackTraceLimit(limit: number): boolean {
  try {
    Error.stackTraceLimit = limit;
    return true;
  } catch {
    return false;
  }
}

/** Base class of every error trailproof throws on purpose. `code` is stable; messages are for people. */
export class TrailproofError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A rule pack, a schema or the configuration is invalid (CLI exit code 2). */
export class ConfigError extends TrailproofError {
  readonly source: string | undefined;
  constructor(message: string, source?: string, options?: { cause?: unknown }) {
    super("CONFIG", source ? `${source}: ${message}` : message, options);
    this.source = source;
  }
}

/** An option given to the library is not one it takes (a typo in a profile name, a concurrency of "lots"). */
export class OptionsError extends TrailproofError {
  /** The option, as a path ("profile", "limits.maxRecordBytes"). */
  readonly option: string;
  constructor(option: string, message: string) {
    super("OPTIONS", `option ${option}: ${message}`);
    this.option = option;
  }
}

/** The command line is wrong (CLI exit code 2). */
export class UsageError extends TrailproofError {
  constructor(message: string) {
    super("USAGE", message);
  }
}

/**
 * A worker thread stopped (out of memory, crashed) with tasks in hand, or none is left. Internal: the
 * caller checks those tasks' records on the main thread instead, or reports them as not checked.
 */
export class WorkerLostError extends TrailproofError {
  constructor(message: string) {
    super("WORKER", message);
  }
}

export type InputErrorCode = "READ" | "GZIP" | "PARSE" | "ENCODING" | "EMPTY" | "LIMIT" | "INTERNAL" | "NOT_A_LOG";

/** An input could not be read, decompressed or parsed. Reported, never thrown past the reader. */
export class InputError extends TrailproofError {
  declare readonly code: InputErrorCode;
  readonly file: string;
  readonly record: number | undefined;
  readonly line: number | undefined;
  readonly offset: number | undefined;
  constructor(
    code: InputErrorCode,
    file: string,
    message: string,
    where: { record?: number; line?: number; offset?: number } = {},
    options?: { cause?: unknown },
  ) {
    // Input errors are data (a broken file can have millions): no stack trace, which cost ~30% of
    // reading a file of broken lines. (Where the intrinsics are frozen, as under SES, they get one.)
    const limit = Error.stackTraceLimit;
    const quiet = setStackTraceLimit(0);
    try {
      super(code, message, options);
    } finally {
      if (quiet) setStackTraceLimit(limit);
    }
    this.file = file;
    this.record = where.record;
    this.line = where.line;
    this.offset = where.offset;
  }
}
