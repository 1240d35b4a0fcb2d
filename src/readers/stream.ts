/** Streams one input (file or stdin) into a RecordReader, decompressing gzip on the fly. */
import { close, createReadStream, open as openFd, read, statSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";
import { isGzip } from "./parse.js";
import { readError, STDIN } from "./sources.js";

const CHUNK = 1 << 18;
/** Decompressed bytes allowed to wait for the reader before more compressed input goes in. */
const AHEAD = 2 * CHUNK;
/** Decompressed bytes waiting at most. */
const LIMIT = 8 * CHUNK;

/** What streamInto feeds, chunk by chunk in order: a RecordReader (or a test's collector). */
export interface ByteSink {
  /** `chunk` is lent: valid during the call only (a sink copies what it keeps; the reader reuses the buffer). */
  push(chunk: Buffer): void;
  /** `damaged`: the input broke off (what came before it has been pushed). */
  end(damaged?: boolean): void;
}

/** A file whose reading has begun: `into` hands it to a reader and resolves as streamInto does. */
export interface ReadAhead {
  into(reader: ByteSink): Promise<InputError | undefined>;
}

/** An input opened and its first chunk asked for. */
export interface Opened {
  readonly chunks: AsyncIterator<Buffer | string>;
  readonly first: Promise<IteratorResult<Buffer | string>>;
  /** zlib's output chunk size for this input. */
  readonly inflateChunk: number;
}

/**
 * `stdin` is read only for "-" (process.stdin is not even touched for files: that would set it up).
 * A small file gets buffers its size, not CHUNK: the read stream's buffer and zlib's output buffer
 * are fresh memory outside V8's heap, and at 2 x 256 KiB for each of 120,000 one-record files V8
 * ran ~2,000 full collections for them once the heap was small (66 s; 40 s with 64 KiB buffers;
 * sized: 67 collections, 34 s).
 */
function open(file: string, stdin: NodeJS.ReadableStream | undefined): Opened {
  const size = file === STDIN ? undefined : statSync(file, { throwIfNoEntry: false })?.size;
  const small = size !== undefined && size < CHUNK;
  const lent = file !== STDIN && !small;
  const source = file === STDIN ? (stdin ?? process.stdin) : lent ? undefined : createReadStream(file, { highWaterMark: Math.max(size!, 64) });
  const chunks = (source ? source[Symbol.asyncIterator]() : lentChunks(file)) as AsyncIterator<Buffer | string>;
  const first = chunks.next();
  first.catch(() => undefined); // awaited (and reported) by streamInto
  // Compressed JSON inflates about tenfold: a small file's output fits one chunk of this size or a few.
  return { chunks, first, inflateChunk: small ? Math.min(CHUNK, Math.max(1 << 14, 8 * size)) : CHUNK };
}

/**
 * A file's chunks read into two buffers in turn: the next chunk is read into one while the consumer
 * has the other, which is read into again once the consumer asks for the chunk after. A read stream
 * reads into a fresh buffer each time, memory outside V8's heap that waits for a collection: 36
 * records of 8 MB, one thread, peak RSS 152-154 -> 146-147 MB, a little faster. A raw descriptor, not a
 * FileHandle (the garbage collector closes an abandoned FileHandle with a warning on stderr):
 * streamInto always finishes the reading, which closes it.
 */
async function* lentChunks(file: string): AsyncGenerator<Buffer> {
  const fd = await new Promise<number>((resolve, reject) => openFd(file, "r", (e, fd) => (e ? reject(e) : resolve(fd))));
  const readInto = (buffer: Buffer) => new Promise<number>((resolve, reject) => read(fd, buffer, 0, buffer.length, null, (e, n) => (e ? reject(e) : resolve(n))));
  const buffers = [Buffer.allocUnsafeSlow(CHUNK), Buffer.allocUnsafeSlow(CHUNK)] as const;
  let turn = 0;
  let reading = readInto(buffers[0]);
  try {
    for (;;) {
      const n = await reading;
      if (n === 0) return;
      const chunk = buffers[turn]!.subarray(0, n);
      turn ^= 1;
      reading = readInto(buffers[turn]!);
      yield chunk;
    }
  } finally {
    await reading.catch(() => undefined);
    await new Promise<void>((resolve) => close(fd, () => resolve()));
  }
}

/**
 * Opens `file` and reads its first chunk now (at most ~2 chunks of the file's own bytes wait), so
 * that opening and reading the next file overlap the checks of the one before (on a trail of small
 * .json.gz files the main thread otherwise waited ~1.2 ms per file). Nothing is decompressed before
 * `into`: a small, highly compressible file cannot make the wait hold more.
 */
export function readAhead(file: string, stdin?: NodeJS.ReadableStream): ReadAhead {
  const opened = open(file, stdin);
  return { into: (reader) => streamInto(file, reader, stdin, undefined, opened) };
}

/**
 * Each item with its file's reading begun (readAhead), the next item's begun before this one is
 * handed out: one file ahead. `fileOf` names an item's file, or undefined for one not read ahead.
 */
export async function* readingAhead<T>(items: Iterable<T> | AsyncIterable<T>, fileOf: (item: T) => string | undefined): AsyncGenerator<[T, ReadAhead | undefined]> {
  const start = (item: T): ReadAhead | undefined => {
    const file = fileOf(item);
    return file === undefined ? undefined : readAhead(file);
  };
  let held: [T, ReadAhead | undefined] | undefined;
  for await (const item of items) {
    // The next item's reading begins before the one held is handed out.
    const next: [T, ReadAhead | undefined] = [item, start(item)];
    if (held) yield held;
    held = next;
  }
  if (held) yield held;
}

/**
 * Feeds `file` to `reader` chunk by chunk and ends it. Problems come back as input errors (the
 * reader has already delivered every record before them); nothing is thrown.
 */
export async function streamInto(
  file: string,
  reader: ByteSink,
  stdin?: NodeJS.ReadableStream,
  /** When the consumer is behind (worker threads busy), a promise to wait for before reading on. */
  backpressure?: () => Promise<void> | undefined,
  /** The input, already opened by readAhead. */
  opened: Opened = open(file, stdin),
): Promise<InputError | undefined> {
  try {
    return await deliver(file, reader, opened, backpressure);
  } finally {
    // Reading that stopped early (a damaged gzip stream) lets go of its file now.
    await opened.chunks.return?.()?.catch(() => undefined);
  }
}

async function deliver(file: string, reader: ByteSink, opened: Opened, backpressure: (() => Promise<void> | undefined) | undefined): Promise<InputError | undefined> {
  const { chunks, inflateChunk } = opened;
  const asBuffer = (c: Buffer | string): Buffer => (typeof c === "string" ? Buffer.from(c) : c);
  let first: IteratorResult<Buffer | string>;
  try {
    first = await opened.first;
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
  const gunzip = createGunzip({ chunkSize: inflateChunk });
  let produced = 0;
  let failure: Error | undefined;
  // Decompressed chunks wait here so that zlib, on its own thread, inflates the next chunk while
  // this one is checked, instead of the two taking turns. The queue is bounded by feeding zlib no
  // more compressed input while AHEAD bytes wait; its output is never paused, because a paused
  // stream that then fails drops what it holds (the records before a truncation must get through).
  const queue: Buffer[] = [];
  let room: (() => void) | undefined;
  let queued = 0;
  let scheduled = false;
  let waiting: Promise<void> | undefined;
  let drained: (() => void) | undefined;
  const consume = (): void => {
    scheduled = false;
    const chunk = queue.shift();
    if (chunk) {
      queued -= chunk.length;
      reader.push(chunk);
    }
    if (queued < AHEAD) room?.();
    const wait = backpressure?.();
    if (wait) {
      waiting = wait.then(() => {
        waiting = undefined;
        schedule();
      });
    } else if (queue.length > 0) schedule();
    else drained?.();
  };
  const schedule = (): void => {
    if (scheduled || waiting) return;
    scheduled = true;
    setImmediate(consume);
  };
  gunzip.on("data", (d: Buffer) => {
    produced += d.length;
    queue.push(d);
    queued += d.length;
    // zlib yields one chunk per turn of the event loop and the reader takes one, so the queue stays
    // short; should it ever grow (a reader held back by busy workers), it is emptied right here,
    // as without the queue, rather than grow with the decompressed size.
    if (queued > LIMIT) {
      for (let c = queue.shift(); c; c = queue.shift()) reader.push(c);
      queued = 0;
      room?.();
    }
    schedule();
  });
  const finished = new Promise<void>((resolve) => {
    gunzip.on("end", resolve);
    gunzip.on("error", (e) => {
      failure = e;
      resolve();
    });
  });
  /** Everything decompressed so far has reached the reader. */
  const allConsumed = (): Promise<void> =>
    queue.length === 0 && !scheduled && !waiting
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          drained = () => {
            if (queue.length === 0 && !scheduled && !waiting) {
              drained = undefined;
              resolve();
            }
          };
          schedule();
        });
  // zlib reads a chunk on its own thread after write() returns: the next chunk is asked for (and a lent
  // chunk's buffer read into again) only once zlib is done with this one.
  const inflated = (chunk: Buffer): Promise<void> => Promise.race([new Promise<void>((resolve) => gunzip.write(chunk, () => resolve())), finished]);
  try {
    await inflated(head);
    for (let r = await chunks.next(); !r.done && !failure; r = await chunks.next()) {
      while (queued >= AHEAD && !failure) await Promise.race([new Promise<void>((resolve) => (room = resolve)), finished]);
      room = undefined;
      if (failure) break;
      await inflated(asBuffer(r.value));
    }
    if (!failure) gunzip.end();
  } catch (e) {
    gunzip.destroy();
    await allConsumed();
    reader.end(true);
    return readError(file, e);
  }
  await finished;
  await allConsumed();
  if (failure) {
    reader.end(true);
    const truncated = (failure as NodeJS.ErrnoException).code === "Z_BUF_ERROR" || /unexpected end/i.test(failure.message);
    const reason = truncated ? "truncated gzip stream" : `corrupt gzip stream (${failure.message})`;
    return new InputError("GZIP", file, `${reason}: ${produced} bytes decompressed before the damage; records after that offset are lost`, { offset: produced });
  }
  reader.end();
  return undefined;
}
