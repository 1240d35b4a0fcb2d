/** Streams one input (file or stdin) into a RecordReader, decompressing gzip on the fly. */
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";
import { isGzip } from "./parse.js";
import type { RecordReader } from "./reader.js";
import { readError, STDIN } from "./sources.js";

const CHUNK = 1 << 18;

/**
 * Feeds `file` to `reader` chunk by chunk and ends it. Problems come back as input errors (the
 * reader has already delivered every record before them); nothing is thrown.
 */
export async function streamInto(
  file: string,
  reader: RecordReader,
  stdin: NodeJS.ReadableStream = process.stdin,
  /** When the consumer is behind (worker threads busy), a promise to wait for before reading on. */
  backpressure?: () => Promise<void> | undefined,
): Promise<InputError | undefined> {
  const source = file === STDIN ? stdin : createReadStream(file, { highWaterMark: CHUNK });
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const asBuffer = (c: Buffer | string): Buffer => (typeof c === "string" ? Buffer.from(c) : c);
  let first: IteratorResult<Buffer | string>;
  try {
    first = await chunks.next();
  } catch (e) {
    return readError(file, e);
  }
  if (first.done) {
    reader.end();
    return undefined;
  }
  const head = asBuffer(first.value);
  if (!isGzip(head)) {
    try {
      reader.push(head);
      for (let r = await chunks.next(); !r.done; r = await chunks.next()) {
        reader.push(asBuffer(r.value));
        const wait = backpressure?.();
        if (wait) await wait;
      }
    } catch (e) {
      reader.end(true);
      return readError(file, e);
    }
    reader.end();
    return undefined;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK });
  let produced = 0;
  let failure: Error | undefined;
  gunzip.on("data", (d: Buffer) => {
    produced += d.length;
    reader.push(d);
    const wait = backpressure?.();
    if (wait) {
      gunzip.pause();
      void wait.then(() => gunzip.resume());
    }
  });
  const finished = new Promise<void>((resolve) => {
    gunzip.on("end", resolve);
    gunzip.on("error", (e) => {
      failure = e;
      resolve();
    });
  });
  try {
    gunzip.write(head);
    for (let r = await chunks.next(); !r.done && !failure; r = await chunks.next()) {
      if (!gunzip.write(asBuffer(r.value))) await Promise.race([once(gunzip, "drain"), finished]);
    }
    if (!failure) gunzip.end();
  } catch (e) {
    gunzip.destroy();
    reader.end(true);
    return readError(file, e);
  }
  await finished;
  if (failure) {
    reader.end(true);
    const truncated = (failure as NodeJS.ErrnoException).code === "Z_BUF_ERROR" || /unexpected end/i.test(failure.message);
    const reason = truncated ? "truncated gzip stream" : `corrupt gzip stream (${failure.message})`;
    return new InputError("GZIP", file, `${reason}: ${produced} bytes decompressed before the damage; records after that offset are lost`, { offset: produced });
  }
  reader.end();
  return undefined;
}
