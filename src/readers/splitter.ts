/**
 * Cuts records out of a JSON byte stream without parsing the whole document: S3 delivery files
 * ({"Records":[...]}) and lookup-events output ({"Events":[...]}) yield one element at a time, a
 * top-level array yields its elements, anything else yields the whole top-level value. Memory is
 * bounded by the largest single record, never by the file, and by a limit on that: a larger piece
 * is skipped (its structure still followed) and reported by its size. Strings, escapes and nesting are
 * tracked byte by byte (string content is skipped with native search); the pieces themselves are
 * parsed, and so validated, by JSON.parse later.
 */

import { humanSize } from "../engine/evidence.js";

export type Piece =
  /** An element of a top-level "Records" array: a record as is. */
  | { readonly kind: "record"; readonly text: Buffer; readonly at: ReadonlyArray<string | number>; readonly offset: number; readonly line: number; readonly column: number }
  /** An element of a top-level "Events" array (lookup-events): its CloudTrailEvent holds the record. */
  | { readonly kind: "lookup"; readonly text: Buffer; readonly at: ReadonlyArray<string | number>; readonly offset: number; readonly line: number; readonly column: number }
  /** Any other value (a top-level value or an element of a top-level array): shape recognised after parsing. */
  | { readonly kind: "value"; readonly text: Buffer; readonly at: ReadonlyArray<string | number>; readonly offset: number; readonly line: number; readonly column: number; readonly doc: number };

export type PieceKind = Piece["kind"];

/** The array a streamed piece is an element of: `at` is [STREAM_KEY[kind], index]. */
export const STREAM_KEY = { record: "Records", lookup: "Events" } as const;

/**
 * Receives each piece where it lies, without an object per piece: its bytes are those of `head`
 * (copied from earlier chunks; usually none) followed by chunk[start, end). `index` is the element
 * index for "record" and "lookup" pieces, the array index of a value in a top-level array, and -1
 * for a top-level value. The sink copies what it keeps before it returns (`head` is reused).
 */
export interface PieceSink {
  /**
   * Set when the sink is done with a piece's bytes before it returns (it decodes them at once): a
   * piece that spans chunks then comes as one view of the splitter's held bytes (`head` empty), not
   * to be joined into a copy of its own.
   */
  readonly viewsOnly?: boolean;
  piece(kind: PieceKind, head: readonly Buffer[], chunk: Buffer, start: number, end: number, offset: number, line: number, column: number, index: number, doc: number): void;
  /**
   * Optional: a piece that spans chunks, its bytes at the start of the splitter's held buffer. The sink
   * returns true when it keeps that buffer (the splitter then gathers the next piece in another, from
   * its `spare` source), false when it copied what it needed (as for `piece`).
   */
  pieceHeld?(kind: PieceKind, bytes: Buffer, offset: number, line: number, column: number, index: number, doc: number): boolean;
  /** A piece of `bytes` bytes, over the splitter's limit: skipped, its bytes not kept. */
  oversized(kind: PieceKind, bytes: number, offset: number, line: number, column: number, index: number, doc: number): void;
}

/** What a piece over the limit was, and where. */
export interface Oversized {
  readonly kind: PieceKind;
  readonly bytes: number;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

const noLimitSet = (): never => {
  throw new Error("a piece over the splitter's limit, and no handler for it");
};

/**
 * A sink that makes each piece a Piece object (its bytes a view of the chunk when they lie in one).
 * With `viewsOnly`, `out` must be done with a piece's bytes when it returns (they may be reused).
 */
export function pieceObjects(out: (piece: Piece) => void, tooBig: (o: Oversized) => void = noLimitSet, viewsOnly = false): PieceSink {
  return {
    viewsOnly,
    piece(kind, head, chunk, start, end, offset, line, column, index, doc) {
      const tail = chunk.subarray(start, end);
      const text = head.length > 0 ? Buffer.concat([...head, tail]) : tail;
      if (kind === "value") out({ kind, text, at: index < 0 ? [] : [index], offset, line, column, doc });
      else out({ kind, text, at: [STREAM_KEY[kind], index], offset, line, column });
    },
    oversized: (kind, bytes, offset, line, column) => tooBig({ kind, bytes, offset, line, column }),
  };
}

const NO_BYTES = Buffer.alloc(0);
const NO_PARTS: readonly Buffer[] = [];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const RECORDS = Buffer.from("Records");
const EVENTS = Buffer.from("Events");

const isWs = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
/** A byte that ends a number or literal. */
const endsScalar = (b: number): boolean => isWs(b) || b === COMMA || b === CLOSE_ARR || b === CLOSE_OBJ;

/** Not reading a key; reading one too long to be "Records" or "Events" (its bytes not kept). */
const NO_KEY = -1;
const LONG_KEY = -2;

const NOT_CLOSED = -1;
/** The chunk ended right after a backslash: the next chunk's first byte is escaped. */
const NOT_CLOSED_ESCAPE = -2;

/** Where the string whose content goes on at chunk[i] closes: its closing quote's index, or NOT_CLOSED(_ESCAPE) when the chunk ends first. */
function closingQuote(chunk: Buffer, i: number, n: number): number {
  // Short strings (most keys and values) are cheaper to scan in JS than to search natively.
  const stop = i + 24 < n ? i + 24 : n;
  let k = i;
  while (k < stop) {
    const c = chunk[k]!;
    if (c === QUOTE || c === BACKSLASH) break;
    k++;
  }
  if (k < stop) {
    if (chunk[k] === QUOTE) return k;
  } else {
    const q = chunk.indexOf(QUOTE, k);
    if (q >= 0 && chunk[q - 1] !== BACKSLASH) return q;
  }
  return escapedOrUnclosed(chunk, i, n);
}

/**
 * closingQuote's rare cases, apart so that they cost the common one nothing (V8 optimized the two
 * together before either had run, then threw the code away the first time a chunk ended in a string).
 */
function escapedOrUnclosed(chunk: Buffer, i: number, n: number): number {
  if (chunk.indexOf(QUOTE, i) >= 0) {
    // A backslash in the string: walk it byte by byte to honour escapes.
    let j = i;
    while (j < n) {
      const c = chunk[j]!;
      if (c === BACKSLASH) j += 2;
      else if (c === QUOTE) return j;
      else j++;
    }
    return j > n ? NOT_CLOSED_ESCAPE : NOT_CLOSED;
  }
  // No quote before the chunk's end: an odd run of backslashes at the end escapes the next chunk's first byte.
  let t = n - 1;
  while (t >= i && chunk[t] === BACKSLASH) t--;
  return (n - 1 - t) % 2 === 1 ? NOT_CLOSED_ESCAPE : NOT_CLOSED;
}

/** The scanning state skipDeep carries in and out. */
interface DeepState {
  depth: number;
  inString: boolean;
  escape: boolean;
  line: number;
  lineStart: number;
}

/**
 * Skips bytes inside a piece at depth 3 or more, where only strings (for their brackets), brackets
 * and newlines matter. Returns where it stopped: the chunk's end, or a bracket that would close
 * depth 3 (left for the caller, which knows what a piece's end means).
 */
function skipDeep(chunk: Buffer, i: number, n: number, s: DeepState, consumed: number): number {
  let depth = s.depth;
  let inString = s.inString;
  let escape = s.escape;
  while (i < n) {
    if (inString) {
      // A backslash that ended the last chunk escapes this byte.
      const q = closingQuote(chunk, escape ? i + 1 : i, n);
      escape = q === NOT_CLOSED_ESCAPE;
      if (q < 0) return leaveDeep(s, depth, true, escape, n);
      inString = false;
      i = q + 1;
      continue;
    }
    const b = chunk[i]!;
    if (b === QUOTE) inString = true;
    else if (b === OPEN_OBJ || b === OPEN_ARR) depth++;
    else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
      if (depth === 3) break;
      depth--;
    } else if (b === NEWLINE) {
      s.line++;
      s.lineStart = consumed + i + 1;
    }
    i++;
  }
  return leaveDeep(s, depth, inString, escape, i);
}

/** Stores where skipDeep stopped. */
function leaveDeep(s: DeepState, depth: number, inString: boolean, escape: boolean, at: number): number {
  s.depth = depth;
  s.inString = inString;
  s.escape = escape;
  return at;
}

/**
 * The bytes of an unfinished piece (or line) that earlier chunks held, copied as they come until
 * they pass `max`: from then on only counted (the piece is reported by its size, not read). They
 * are copied into one buffer kept from piece to piece (grown when a piece needs more), not into a
 * fresh buffer per chunk: a record of several MB spans dozens of chunks, and each copy was garbage
 * the moment the record was handed on (fresh memory is also slow to fault in here).
 */
export class HeldBytes {
  private store = NO_BYTES;
  bytes = 0;
  over = false;
  /** `spare(min)`: where a bigger buffer comes from (by default, fresh memory). */
  constructor(
    private readonly max: number,
    private readonly spare?: (min: number) => ArrayBuffer,
  ) {}

  /** The bytes held, as one view of the kept buffer (empty past the limit; valid until the next keep or drop). */
  get view(): Buffer {
    return this.over ? NO_BYTES : this.store.subarray(0, this.bytes);
  }

  /** The same as a piece's `head` (see PieceSink): none or the one view. */
  get parts(): readonly Buffer[] {
    return this.bytes > 0 && !this.over ? [this.view] : NO_PARTS;
  }

  keep(bytes: Buffer): void {
    const at = this.bytes;
    this.bytes += bytes.length;
    if (this.over) return;
    if (this.bytes > this.max) {
      this.over = true;
      return;
    }
    if (this.bytes > this.store.length) {
      // Doubling, but never more than 4 MiB beyond what is needed: the buffer outlives the piece.
      const size = Math.max(this.bytes, Math.min(2 * this.store.length, this.bytes + (4 << 20)), 64 * 1024);
      const grown = this.spare ? Buffer.from(this.spare(size)) : Buffer.allocUnsafe(size);
      this.store.copy(grown, 0, 0, at);
      this.store = grown;
    }
    bytes.copy(this.store, at);
  }

  /** Whether the held bytes and `more` would pass the limit. */
  overWith(more: number): boolean {
    return this.over || this.bytes + more > this.max;
  }

  drop(): void {
    this.bytes = 0;
    this.over = false;
  }

  /** Drops the bytes and lets the buffer go (its new owner keeps it): the next bytes are held in another. */
  release(): void {
    this.store = NO_BYTES;
    this.drop();
  }
}

export class JsonRecordSplitter {
  /** `maxPieceBytes`: the largest piece kept; a larger one goes to the sink's `oversized`. `spare`: see HeldBytes. */
  constructor(
    private readonly maxPieceBytes = Infinity,
    spare?: (min: number) => ArrayBuffer,
  ) {
    this.held = new HeldBytes(maxPieceBytes, spare);
  }

  private readonly deep: DeepState = { depth: 0, inString: false, escape: false, line: 0, lineStart: 0 };
  private depth = 0;
  private inString = false;
  private escape = false;
  private line = 1;
  /** Absolute offset of the first byte of the current line (for 1-based columns). */
  private lineStart = 0;
  private pieceColumn = 1;
  private consumed = 0;
  /** The piece being collected: earlier chunks' bytes and where it started. */
  private collecting = false;
  private readonly held: HeldBytes;
  private pieceIsString = false;
  private pieceOffset = 0;
  private pieceLine = 1;
  /** The top-level value: "{" or "[" (0 for a scalar), and whether its Records/Events are streamed. */
  private top = 0;
  private stream: "record" | "lookup" | undefined;
  private streamed = false;
  private elementIndex = 0;
  private arrayIndex = 0;
  private doc = 0;
  /** Key tracking at depth 1 of a top-level object (to spot "Records" and "Events"). */
  private expectKey = false;
  /** Where the key being read started in this chunk (0: in an earlier one), or NO_KEY, or LONG_KEY. */
  private keyStart = NO_KEY;
  private keyParts: Buffer[] = [];
  private lastKey: "Records" | "Events" | "" = "";
  /** The bracket that opened depth 1 and 2 (the containers around pieces, which no JSON.parse sees whole). */
  private readonly opened: number[] = [];
  /** Where the structure around the pieces broke (no JSON.parse sees it whole): nothing after it is cut. */
  private brokenAt: { offset: number; line: number; column: number; reason: string } | undefined;
  /** In the array whose elements are the pieces: 0 after "[", 1 after an element, 2 after ",". */
  private arrayState = 0;
  /** Collecting the rest of a Records/Events container after its array, to check it. */
  private inSuffix = false;

  get offset(): number {
    return this.consumed;
  }

  /** True while inside an unfinished top-level value (at the end of input: truncated). */
  get incomplete(): boolean {
    return this.depth > 0 || this.inString;
  }

  /** Where the JSON around the pieces is malformed (nothing after it was cut), and why. */
  get broken(): { readonly offset: number; readonly line: number; readonly column: number; readonly reason: string } | undefined {
    return this.brokenAt;
  }

  /** Cuts the pieces that end in `chunk` out as Piece objects. */
  push(chunk: Buffer, out: (piece: Piece) => void, tooBig?: (o: Oversized) => void): void {
    this.pushTo(chunk, pieceObjects(out, tooBig));
  }

  /** Cuts the pieces that end in `chunk` out into `sink`, in place. */
  pushTo(chunk: Buffer, sink: PieceSink): void {
    const n = chunk.length;
    if (this.brokenAt) {
      this.consumed += n;
      return;
    }
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    let line = this.line;
    let pieceStart = this.collecting ? 0 : -1;
    let i = 0;

    const fail = (at: number, reason: string): void => {
      this.brokenAt = { offset: this.consumed + at, line, column: this.consumed + at - this.lineStart + 1, reason };
    };
    /** At the level of the array whose elements are the pieces (a top-level array, or Records/Events). */
    const inElementArray = (): boolean => (this.stream !== undefined && depth === 2) || (this.top === OPEN_ARR && depth === 1);
    /** The bytes collected of the current piece, up to `end` in this chunk (undefined: over the limit, not kept). */
    const collected = (end: number): string | undefined => {
      const start = pieceStart < 0 ? 0 : pieceStart;
      return this.held.overWith(end - start) ? undefined : Buffer.concat([...this.held.parts, chunk.subarray(start, end)]).toString("utf8");
    };
    // Starts a piece at i when the current position is where pieces begin.
    const maybeBegin = (scalarOrString: boolean): void => {
      if (this.collecting) return;
      if (depth === 0 ? this.top !== OPEN_ARR : inElementArray()) {
        if (depth > 0) {
          if (this.arrayState === 1) return fail(i, 'a value where "," or "]" should be');
          this.arrayState = 1;
        }
        this.collecting = true;
        this.held.drop();
        this.pieceOffset = this.consumed + i;
        this.pieceLine = line;
        this.pieceColumn = this.consumed + i - this.lineStart + 1;
        this.pieceIsString = scalarOrString;
        pieceStart = i;
      }
    };
    const atPieceLevel = (): boolean => depth === 0 || inElementArray();
    const finish = (end: number): void => {
      const start = pieceStart < 0 ? 0 : pieceStart;
      this.collecting = false;
      pieceStart = -1;
      const kind = depth === 0 ? "value" : (this.stream ?? "value");
      const index = depth === 0 ? -1 : this.stream ? this.elementIndex++ : this.arrayIndex++;
      const doc = depth > 0 && this.stream ? 0 : this.doc;
      if (this.held.overWith(end - start)) sink.oversized(kind, this.held.bytes + end - start, this.pieceOffset, this.pieceLine, this.pieceColumn, index, doc);
      else if ((sink.viewsOnly || sink.pieceHeld) && this.held.bytes > 0) {
        // The piece's last bytes join the held ones in their buffer: the whole piece in one view.
        this.held.keep(chunk.subarray(start, end));
        const all = this.held.view;
        if (sink.viewsOnly) sink.piece(kind, NO_PARTS, all, 0, all.length, this.pieceOffset, this.pieceLine, this.pieceColumn, index, doc);
        else if (sink.pieceHeld!(kind, all, this.pieceOffset, this.pieceLine, this.pieceColumn, index, doc)) this.held.release();
      } else sink.piece(kind, this.held.parts, chunk, start, end, this.pieceOffset, this.pieceLine, this.pieceColumn, index, doc);
      if (depth === 0) this.endTop();
      this.held.drop();
    };

    // A scalar piece (a number or literal) that ran to the end of the last chunk ends at this chunk's first
    // delimiter (within a chunk the scalar's own scan finishes it).
    if (this.collecting && this.pieceIsString && !inString && n > 0 && atPieceLevel()) {
      if (endsScalar(chunk[0]!)) {
        this.pieceIsString = false;
        finish(0);
      }
    }

    while (i < n) {
      if (depth >= 3) {
        // Deep inside a piece only strings, brackets and newlines matter (JSON.parse checks the rest):
        // a small loop, which V8 optimizes within the first chunk (this whole method took it ~150 ms,
        // a 20 MB file's first 4 MB run unoptimized). It stops at the bracket that closes depth 3.
        const deep = this.deep;
        deep.depth = depth;
        deep.inString = inString;
        deep.escape = escape;
        deep.line = line;
        deep.lineStart = this.lineStart;
        i = skipDeep(chunk, i, n, deep, this.consumed);
        depth = deep.depth;
        inString = deep.inString;
        escape = deep.escape;
        line = deep.line;
        this.lineStart = deep.lineStart;
        if (i >= n) break;
      }
      if (inString) {
        const q = closingQuote(chunk, escape ? i + 1 : i, n);
        escape = q === NOT_CLOSED_ESCAPE;
        if (q < 0) {
          i = n;
          break;
        }
        // chunk[q] closes the string.
        inString = false;
        if (this.keyStart !== NO_KEY) {
          if (this.keyStart === LONG_KEY) this.lastKey = "";
          else {
            this.keyParts.push(chunk.subarray(this.keyStart, q));
            const key = this.keyParts.length === 1 ? this.keyParts[0]! : Buffer.concat(this.keyParts);
            this.lastKey = key.equals(RECORDS) ? "Records" : key.equals(EVENTS) ? "Events" : "";
          }
          this.keyParts = [];
          this.keyStart = NO_KEY;
        }
        i = q + 1;
        if (this.pieceIsString && this.collecting && atPieceLevel()) {
          this.pieceIsString = false;
          finish(i);
        }
        continue;
      }
      const b = chunk[i]!;
      if (b === QUOTE) {
        inString = true;
        if (depth === 0) this.startTop(b);
        maybeBegin(true);
        if (this.brokenAt) break;
        if (depth === 1 && this.top === OPEN_OBJ && this.expectKey) this.keyStart = i + 1;
        i++;
        continue;
      }
      if (b === OPEN_OBJ || b === OPEN_ARR) {
        if (depth === 0) this.startTop(b);
        maybeBegin(false);
        if (this.brokenAt) break;
        if (depth < 2) this.opened[depth] = b;
        depth++;
        if (depth === 1) {
          this.expectKey = b === OPEN_OBJ;
          this.arrayState = 0;
        } else if (depth === 2 && b === OPEN_ARR && this.top === OPEN_OBJ && this.lastKey !== "" && !this.streamed) {
          // The top-level object is a Records/Events container: stream its elements. What was collected of it
          // is checked here ({"Records": with what came before) and dropped.
          const before = collected(i);
          if (before === undefined) {
            fail(i, `the object holding the ${this.lastKey} array is over the record size limit (${humanSize(this.maxPieceBytes)}) before it`);
            break;
          }
          try {
            JSON.parse(`${before}0}`);
          } catch {
            fail(i, `the object holding the ${this.lastKey} array is malformed before it`);
            break;
          }
          this.arrayState = 0;
          this.stream = this.lastKey === "Records" ? "record" : "lookup";
          this.streamed = true;
          this.collecting = false;
          this.held.drop();
          pieceStart = -1;
          this.elementIndex = 0;
        }
        i++;
        continue;
      }
      if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        // Inside a piece JSON.parse checks the brackets; around pieces, this does.
        if (depth === 0 || (depth <= 2 && this.opened[depth - 1] !== (b === CLOSE_OBJ ? OPEN_OBJ : OPEN_ARR))) {
          fail(i, `"${String.fromCharCode(b)}" closes nothing open there`);
          break;
        }
        if (!this.collecting && inElementArray() && this.arrayState === 2) {
          fail(i, '"]" right after ","');
          break;
        }
        depth--;
        i++;
        if (this.stream !== undefined && depth === 1) {
          // The Records array closed: the rest of its container is collected, to be checked when it closes.
          this.stream = undefined;
          this.inSuffix = true;
          this.collecting = true;
          this.pieceIsString = false;
          this.held.drop();
          pieceStart = i;
        } else if (this.inSuffix && depth === 0) {
          const rest = collected(i);
          this.inSuffix = false;
          this.collecting = false;
          this.held.drop();
          pieceStart = -1;
          if (rest === undefined) {
            fail(i - 1, `the object holding the records' array is over the record size limit (${humanSize(this.maxPieceBytes)}) after it`);
            break;
          }
          let after: unknown;
          try {
            after = JSON.parse(`{"":0${rest}`);
          } catch {
            fail(i - 1, "the object holding the records' array is malformed after it");
            break;
          }
          if (Object.hasOwn(after as object, "Records") || Object.hasOwn(after as object, "Events")) {
            fail(i - 1, 'a second "Records" or "Events" member, whose records would not be read');
            break;
          }
        } else if (this.collecting && atPieceLevel()) finish(i);
        if (depth === 0 && !this.collecting) this.endTop();
        continue;
      }
      if (b === NEWLINE) {
        line++;
        this.lineStart = this.consumed + i + 1;
        i++;
        continue;
      }
      if (b === COMMA) {
        if (depth === 0) {
          fail(i, '"," outside any object or array');
          break;
        }
        if (!this.collecting && inElementArray()) {
          if (this.arrayState !== 1) {
            fail(i, '"," where a value should be');
            break;
          }
          this.arrayState = 2;
        }
        if (depth === 1) this.expectKey = this.top === OPEN_OBJ;
        i++;
        continue;
      }
      if (b === COLON) {
        if (depth === 0 || (!this.collecting && inElementArray())) {
          fail(i, '":" outside an object');
          break;
        }
        if (depth === 1) this.expectKey = false;
        i++;
        continue;
      }
      if (isWs(b)) {
        i++;
        continue;
      }
      // A scalar (number, literal, or garbage): it ends at the next structural byte or whitespace.
      if (depth === 0) this.startTop(b);
      maybeBegin(true);
      if (this.brokenAt) break;
      let j = i + 1;
      while (j < n) {
        if (endsScalar(chunk[j]!)) break;
        j++;
      }
      i = j;
      if (j < n && this.collecting && this.pieceIsString && atPieceLevel()) {
        this.pieceIsString = false;
        finish(j);
      }
    }

    if (this.brokenAt) {
      this.collecting = false;
      this.held.drop();
      this.consumed += n;
      return;
    }
    if (this.keyStart >= 0) {
      // A key that runs across chunks is kept only while it could still be "Records" or "Events".
      if (this.keyParts.reduce((sum, k) => sum + k.length, 0) + n - this.keyStart > RECORDS.length) {
        this.keyParts = [];
        this.keyStart = LONG_KEY;
      } else {
        this.keyParts.push(Buffer.from(chunk.subarray(this.keyStart)));
        this.keyStart = 0;
      }
    }
    if (this.collecting && pieceStart >= 0) this.held.keep(chunk.subarray(pieceStart));
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    this.line = line;
    this.consumed += n;
  }

  /** Flushes a top-level scalar left without a delimiter (the caller checks `incomplete`). */
  end(out: (piece: Piece) => void): void {
    this.endTo(pieceObjects(out));
  }

  endTo(sink: PieceSink): void {
    if (this.collecting && !this.incomplete && (this.held.parts.length > 0 || this.held.over)) {
      this.collecting = false;
      if (this.held.over) sink.oversized("value", this.held.bytes, this.pieceOffset, this.pieceLine, this.pieceColumn, -1, this.doc++);
      else sink.piece("value", this.held.parts, NO_BYTES, 0, 0, this.pieceOffset, this.pieceLine, this.pieceColumn, -1, this.doc++);
      this.held.drop();
    }
  }

  /** The bytes collected of an unfinished piece, for salvage (e.g. NDJSON fallback); none once over the limit. */
  pending(): Buffer {
    return Buffer.concat(this.held.parts);
  }

  /** Whether the unfinished piece went over the limit (pending() then has none of it). */
  get pendingTooBig(): boolean {
    return this.held.over;
  }


  private startTop(b: number): void {
    this.top = b === OPEN_OBJ || b === OPEN_ARR ? b : 0;
    this.arrayIndex = 0;
    this.lastKey = "";
    this.streamed = false;
  }

  private endTop(): void {
    this.doc++;
    this.top = 0;
    this.stream = undefined;
  }
}
