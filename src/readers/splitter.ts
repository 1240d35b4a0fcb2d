/**
 * Cuts records out of a JSON byte stream without parsing the whole document: S3 delivery files
 * ({"Records":[...]}) and lookup-events output ({"Events":[...]}) yield one element at a time, a
 * top-level array yields its elements, anything else yields the whole top-level value. Memory is
 * bounded by the largest single record, never by the file. Strings, escapes and nesting are
 * tracked byte by byte; the elements themselves are parsed (and validated) by JSON.parse later.
 */

export type Piece =
  /** An element of a top-level "Records" array: a record as is. */
  | { readonly kind: "record"; readonly text: Buffer; readonly at: ReadonlyArray<string | number>; readonly offset: number; readonly line: number }
  /** An element of a top-level "Events" array (lookup-events): its CloudTrailEvent holds the record. */
  | { readonly kind: "lookup"; readonly text: Buffer; readonly at: ReadonlyArray<string | number>; readonly offset: number; readonly line: number }
  /** Any other value (a top-level value or an element of a top-level array): shape recognised after parsing. */
  | { readonly kind: "value"; readonly text: Buffer; readonly at: ReadonlyArray<string | number>; readonly offset: number; readonly line: number; readonly doc: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

function isWs(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export class JsonRecordSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Bytes of the piece being collected (copied out of chunks only when it spans chunks). */
  private parts: Buffer[] = [];
  private collecting = false;
  /** The piece being collected is a bare string (it ends at its closing quote). */
  private pieceIsString = false;
  private pieceOffset = 0;
  private pieceLine = 1;
  /** The kind of top-level value we are in: "{" or "[". */
  private top = 0;
  /** Streaming the elements of Records/Events (depth-2 array) of the top-level object. */
  private stream: "record" | "lookup" | undefined;
  private streamKey = "";
  private elementIndex = 0;
  private arrayIndex = 0;
  /** The last string seen at depth 1 in key position of the top-level object, and where it started. */
  private keyStart = -1;
  private keyParts: Buffer[] = [];
  private lastKey = "";
  private expectKey = false;
  private doc = 0;
  private consumed = 0;
  private line = 1;
  private sawStream = false;

  /** Bytes consumed so far (for error offsets). */
  get offset(): number {
    return this.consumed;
  }

  /** True while inside an unfinished top-level value (at the end of input: truncated). */
  get incomplete(): boolean {
    return this.depth > 0 || this.inString;
  }

  push(chunk: Buffer, out: (piece: Piece) => void): void {
    let pieceStart = this.collecting ? 0 : -1;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      if (this.inString) {
        // Jump to the next quote or backslash: most of a record is string content.
        if (this.escape) {
          this.escape = false;
          continue;
        }
        if (b === BACKSLASH) {
          this.escape = true;
          continue;
        }
        if (b !== QUOTE) {
          const q = chunk.indexOf(QUOTE, i);
          const s = chunk.indexOf(BACKSLASH, i);
          const next = q < 0 ? (s < 0 ? n : s) : s < 0 ? q : Math.min(q, s);
          this.countLines(chunk, i, next);
          i = next - 1;
          continue;
        }
        this.inString = false;
        if (this.pieceIsString && this.collecting && (this.depth === 0 || (this.depth === 2 && this.stream) || (this.depth === 1 && this.top === OPEN_ARR))) {
          this.pieceIsString = false;
          if (this.depth === 0) {
            this.finishTop(chunk, pieceStart, i + 1, out);
            this.endTop();
          } else this.finishElement(chunk, pieceStart, i + 1, out);
          pieceStart = -1;
          continue;
        }
        if (this.keyStart >= 0) {
          this.keyParts.push(chunk.subarray(this.keyStart, i));
          this.lastKey = Buffer.concat(this.keyParts).toString("utf8");
          this.keyParts = [];
          this.keyStart = -1;
        }
        continue;
      }
      if (b === NEWLINE) {
        this.line++;
        continue;
      }
      if (isWs(b)) continue;
      if (b === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && this.top === OPEN_OBJ && this.expectKey) this.keyStart = i + 1;
        const wasCollecting = this.collecting;
        if (this.depth === 0) this.startTop(b, chunk, i);
        else this.startElement(i);
        if (this.collecting && !wasCollecting) this.pieceIsString = true;
        if (this.collecting && pieceStart < 0) pieceStart = i;
        continue;
      }
      if (b === OPEN_OBJ || b === OPEN_ARR) {
        if (this.depth === 0) this.startTop(b, chunk, i);
        else this.startElement(i);
        if (this.collecting && pieceStart < 0) pieceStart = i;
        this.depth++;
        if (this.depth === 1) this.expectKey = b === OPEN_OBJ;
        if (this.depth === 2 && this.top === OPEN_OBJ && b === OPEN_ARR && (this.lastKey === "Records" || this.lastKey === "Events") && this.stream === undefined && !this.sawStream) {
          // From here on the top-level object is a container: drop what was collected of it.
          this.stream = this.lastKey === "Records" ? "record" : "lookup";
          this.streamKey = this.lastKey;
          this.sawStream = true;
          this.collecting = false;
          this.parts = [];
          pieceStart = -1;
          this.elementIndex = 0;
        }
        continue;
      }
      if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        this.depth--;
        if (this.stream && this.depth === 2 && this.collecting) {
          this.finishElement(chunk, pieceStart, i + 1, out);
          pieceStart = -1;
        } else if (this.stream && this.depth === 1) {
          this.stream = undefined; // the Records array closed
        } else if (this.top === OPEN_ARR && this.depth === 1 && this.collecting) {
          this.finishElement(chunk, pieceStart, i + 1, out);
          pieceStart = -1;
        }
        if (this.depth === 0) {
          if (this.collecting) {
            this.finishTop(chunk, pieceStart, i + 1, out);
            pieceStart = -1;
          }
          this.endTop();
        }
        continue;
      }
      if (b === COMMA) {
        if (this.depth === 1 && this.top === OPEN_OBJ) this.expectKey = true;
        continue;
      }
      if (b === COLON) {
        if (this.depth === 1) this.expectKey = false;
        continue;
      }
      // A scalar byte (number, literal, or garbage).
      if (this.depth === 0) this.startTop(b, chunk, i);
      else this.startElement(i);
      if (this.collecting && pieceStart < 0) pieceStart = i;
      if (this.depth === 0 || (this.depth === 2 && this.stream) || (this.depth === 1 && this.top === OPEN_ARR)) {
        // A scalar piece ends at the next structural byte or whitespace.
        let j = i;
        while (j < n && !isWs(chunk[j]!) && chunk[j] !== COMMA && chunk[j] !== CLOSE_ARR && chunk[j] !== CLOSE_OBJ) j++;
        if (j < n) {
          if (this.depth === 0) {
            this.finishTop(chunk, pieceStart, j, out);
            this.endTop();
          } else this.finishElement(chunk, pieceStart, j, out);
          pieceStart = -1;
        }
        i = j - 1;
      }
    }
    if (this.keyStart >= 0) {
      this.keyParts.push(chunk.subarray(this.keyStart));
      this.keyStart = 0;
    }
    if (this.collecting && pieceStart >= 0) this.parts.push(Buffer.from(chunk.subarray(pieceStart)));
    this.consumed += n;
  }

  /** Flushes a top-level scalar or value left without a closing byte (the caller checks `incomplete`). */
  end(out: (piece: Piece) => void): void {
    if (this.collecting && !this.incomplete && this.parts.length > 0) {
      const text = Buffer.concat(this.parts);
      this.parts = [];
      this.collecting = false;
      out({ kind: "value", text, at: [], offset: this.pieceOffset, line: this.pieceLine, doc: this.doc++ });
    }
  }

  /** The bytes collected of an unfinished piece, for salvage (e.g. NDJSON fallback). */
  pending(): Buffer {
    return Buffer.concat(this.parts);
  }

  private countLines(chunk: Buffer, from: number, to: number): void {
    for (let k = chunk.indexOf(NEWLINE, from); k >= 0 && k < to; k = chunk.indexOf(NEWLINE, k + 1)) this.line++;
  }

  private startTop(b: number, chunk: Buffer, i: number): void {
    this.top = b === OPEN_OBJ || b === OPEN_ARR ? b : 0;
    this.arrayIndex = 0;
    this.lastKey = "";
    if (this.top !== OPEN_ARR) this.begin(i);
  }

  private startElement(i: number): void {
    if (this.collecting) return;
    if ((this.stream && this.depth === 2) || (this.top === OPEN_ARR && this.depth === 1)) this.begin(i);
  }

  private begin(i: number): void {
    this.collecting = true;
    this.parts = [];
    this.pieceOffset = this.consumed + i;
    this.pieceLine = this.line;
  }

  private take(chunk: Buffer, start: number, end: number): Buffer {
    const tail = chunk.subarray(start < 0 ? 0 : start, end);
    const text = this.parts.length ? Buffer.concat([...this.parts, tail]) : tail;
    this.parts = [];
    this.collecting = false;
    return text;
  }

  private finishElement(chunk: Buffer, start: number, end: number, out: (piece: Piece) => void): void {
    const text = this.take(chunk, start, end);
    if (this.stream) {
      const at = [this.streamKey, this.elementIndex++];
      out({ kind: this.stream, text, at, offset: this.pieceOffset, line: this.pieceLine });
    } else {
      out({ kind: "value", text, at: [this.arrayIndex++], offset: this.pieceOffset, line: this.pieceLine, doc: this.doc });
    }
  }

  private finishTop(chunk: Buffer, start: number, end: number, out: (piece: Piece) => void): void {
    const text = this.take(chunk, start, end);
    out({ kind: "value", text, at: [], offset: this.pieceOffset, line: this.pieceLine, doc: this.doc });
  }

  private endTop(): void {
    this.doc++;
    this.top = 0;
    this.stream = undefined;
    this.sawStream = false;
  }
}
