/**
 * The streaming record reader: bytes in (in chunks of any size), records and input errors out,
 * in order. JSON is cut record by record (JsonRecordSplitter) and parsed one record at a time;
 * NDJSON line by line; YAML (fixtures, small) as whole documents. Memory is bounded by the
 * largest record, not the file, and that by ParseLimits.maxRecordBytes.
 */
import { isAscii, isUtf8 } from "node:buffer";
import { isMainThread } from "node:worker_threads";
import { InputError, setStackTraceLimit } from "../errors.js";
import { humanSize } from "../engine/evidence.js";
import { isPlainObject } from "../engine/pointer.js";
import { DEFAULT_LIMITS, firstInvalidUtf8, formatFromName, gunzipLenient, isGzip, looksBinary, jsonErrorPosition, jsonErrorReason, parseYamlText, type ParsedRecord, type ParseLimits, type ParseResult, type TextFormat } from "./parse.js";
import { HeldBytes, JsonRecordSplitter, pieceObjects, type Piece, type PieceKind, type PieceSink } from "./splitter.js";
import { locateInOrder } from "../positions/json-text.js";
import { isCloudTrailShaped, unwrap, type Unwrapped } from "./unwrap.js";

/** The first line decides NDJSON only if it is complete within this many bytes. */
const SNIFF_LIMIT = 1 << 20;
/**
 * CloudTrail's S3 delivery files start like this and are one line: deciding at the first chunk
 * saves holding (and copying) the whole first line while sniffing, which for such a file is all of it.
 */
const S3_DELIVERY = /^\s*\{\s*"Records"\s*:\s*\[/;
const NEWLINE = 0x0a;
/** From about this size Node keeps a Latin-1 string outside V8's heap (its EXTERN_APEX is 1,031,913 bytes). */
const OFF_HEAP_TEXT = 1 << 20;

export interface ReaderSink {
  record(r: ParsedRecord): void;
  error(e: InputError): void;
}

type Mode = "sniff" | "lines" | "split" | "yaml" | "done";

/**
 * A unit of JSON input cut out but not yet parsed: a splitter piece or an NDJSON line. The reader
 * can hand units to someone else (worker threads) instead of decoding them, and decode units it
 * is given, so that parsing and checking can run elsewhere while the order stays the reader's.
 */
export type Unit =
  | { readonly type: "piece"; readonly piece: Piece }
  | { readonly type: "line"; readonly raw: Buffer; readonly line: number; readonly offset: number; readonly cutOff: boolean }
  /** A record over the size limit, skipped: what it was is all that is known. */
  | { readonly type: "oversized"; readonly bytes: number; readonly line: number; readonly offset: number };

/** Where a reader hands units instead of decoding them, in place (see PieceSink): it copies what it keeps. */
export interface UnitSink extends PieceSink {
  /** An NDJSON line: buf[start, end). */
  line(buf: Buffer, start: number, end: number, line: number, offset: number, cutOff: boolean): void;
  /**
   * Optional: a line that spans chunks, buf[0, end) at the start of the reader's held buffer. The sink
   * returns true when it keeps that buffer (see PieceSink.pieceHeld), false when it copied the line.
   */
  lineHeld?(buf: Buffer, end: number, line: number, offset: number, cutOff: boolean): boolean;
  /** Optional: a buffer of at least `min` bytes for the reader and its splitter to gather lines and pieces in. */
  spare?(min: number): ArrayBuffer;
}

/** JSON.parse without a stack trace when it throws: a file of broken lines throws once a line (~30% of reading it). */
function parseQuietly(text: string): unknown {
  const limit = Error.stackTraceLimit;
  if (!setStackTraceLimit(0)) return JSON.parse(text); // frozen intrinsics (SES): with a stack, then
  try {
    return JSON.parse(text);
  } finally {
    setStackTraceLimit(limit);
  }
}

const startsAsS3Delivery = (head: Buffer): boolean => S3_DELIVERY.test(head.toString("latin1", 0, 64));

/** True once the buffered head holds a newline followed by a non-blank byte. */
function secondLineStarted(chunks: Buffer[]): boolean {
  let sawNewline = false;
  for (const c of chunks) {
    let i = 0;
    if (!sawNewline) {
      const nl = c.indexOf(NEWLINE);
      if (nl < 0) continue;
      sawNewline = true;
      i = nl + 1;
    }
    for (; i < c.length; i++) {
      const b = c[i]!;
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return true;
    }
  }
  return false;
}

/** A CloudWatch Logs export line's start: an ISO 8601 UTC timestamp and a space (then the record's JSON). */
const EXPORT_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z /;

/** How long the timestamp and space before an export line's JSON are (0: the line has none). */
export function exportStampLength(line: string): number {
  return EXPORT_STAMP.exec(line)?.[0].length ?? 0;
}

export class RecordReader {
  private mode: Mode = "sniff";
  private head: Buffer[] = [];
  private headBytes = 0;
  private index = 0;
  private records = 0;
  private errors = 0;
  /** Documents that hold no records and are known to (CloudTrail digest files). */
  private skipped = 0;
  private line = 0;
  /** The start of an unfinished line (lines mode): copies of the chunks it spans so far, unless over the limit. */
  private readonly carry: HeldBytes;
  /** Byte offsets of the current and the next line (lines mode). */
  private lineOffset = 0;
  private nextLineOffset = 0;
  private splitter: JsonRecordSplitter | undefined;
  private badUtf8 = false;
  private first = true;
  private readonly hint: TextFormat | undefined;

  /** Units handed out instead of decoded (see Unit). */
  private forwarded = 0;
  /** The lines are a CloudWatch Logs export's: a timestamp and a space before each record. */
  private timestamped = false;
  /**
   * Bare values without a record's shape, held until the file shows it is a log (they are then
   * malformed records) or ends without doing so (it is not a log: see notLog). Not for a reader
   * that decodes units cut out by another (a batch of a file split across workers, one over 64 MiB:
   * such a file is read as a log, its bare values as records).
   */
  private held: ParsedRecord[] | undefined = [];
  /** Past this many held values the file is judged not a log (memory stays bounded). */
  private static readonly HOLD = 1000;
  /** Whether this file's values were judged not a log (a package.json, a workflow). */
  private notLog = false;
  /** Where the splitter's pieces go: decoded here, or counted and handed to `forward`. */
  private readonly pieces: PieceSink;
  /** Where held lines and pieces are gathered (forward's spare buffers; by default fresh memory). */
  private readonly spare: ((min: number) => ArrayBuffer) | undefined;

  constructor(
    private readonly file: string,
    private readonly sink: ReaderSink,
    private readonly limits: ParseLimits = DEFAULT_LIMITS,
    private readonly forward?: UnitSink,
  ) {
    this.hint = formatFromName(file);
    this.spare = forward?.spare?.bind(forward);
    this.carry = new HeldBytes(limits.maxRecordBytes, this.spare);
    this.pieces = forward
      ? {
          piece: (kind, head, chunk, start, end, offset, line, column, index, doc) => {
            this.forwarded++;
            forward.piece(kind, head, chunk, start, end, offset, line, column, index, doc);
          },
          ...(forward.pieceHeld && {
            pieceHeld: (kind: PieceKind, bytes: Buffer, offset: number, line: number, column: number, index: number, doc: number) => {
              this.forwarded++;
              return forward.pieceHeld!(kind, bytes, offset, line, column, index, doc);
            },
          }),
          oversized: (kind, bytes, offset, line, column, index, doc) => {
            this.forwarded++;
            forward.oversized(kind, bytes, offset, line, column, index, doc);
          },
        }
      : pieceObjects(
          (p) => this.piece(p),
          (o) => this.oversized(o.bytes, o.line, o.offset),
          true, // piece() decodes the bytes into a string before it returns
        );
  }

  /** How many record indexes (records and unreadable records) this reader has handed out. */
  get indexesUsed(): number {
    return this.index;
  }

  /** Decodes a unit cut out by another reader (in a worker thread). */
  decode(unit: Unit): void {
    this.flushHeld(false);
    if (unit.type === "piece") this.piece(unit.piece);
    else if (unit.type === "line") this.decodeLine(unit.raw, unit.line, unit.offset, unit.cutOff);
    else this.oversized(unit.bytes, unit.line, unit.offset);
  }

  /** `chunk` is lent (the file reader reuses its buffer): what is kept past this call is copied. */
  push(chunk: Buffer): void {
    if (chunk.length === 0 || this.mode === "done") return;
    if (this.first) {
      this.first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    if (this.mode === "sniff") {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < SNIFF_LIMIT && !startsAsS3Delivery(this.head[0]!) && !secondLineStarted(this.head)) {
        this.head[this.head.length - 1] = Buffer.from(chunk); // kept past this call: a copy (chunks are lent)
        return;
      }
      this.decide();
      return;
    }
    this.feed(chunk);
  }

  /** No more input. `damaged`: the stream ended early (a decompression error was reported). */
  end(damaged = false): void {
    if (this.mode === "sniff") this.decide();
    if (this.mode === "lines") {
      this.finishCarry(damaged);
    } else if (this.mode === "split" && this.splitter) {
      this.splitter.endTo(this.pieces);
      const broken = this.splitter.broken;
      if (broken) {
        this.fail("PARSE", `malformed JSON at line ${broken.line}, column ${broken.column}: ${broken.reason}; nothing after it was read`, { record: this.index++, line: broken.line, offset: broken.offset });
        this.errors++;
      } else if (this.splitter.incomplete) {
        const pending = this.splitter.pending();
        if (this.splitter.pendingTooBig) {
          this.fail("LIMIT", `unexpected end of input after byte ${this.splitter.offset}, in a value over the record size limit of ${humanSize(this.limits.maxRecordBytes)}`, { record: this.index++, offset: this.splitter.offset });
          this.errors++;
        } else if (!damaged && this.records + this.errors + this.forwarded === 0 && pending.includes(NEWLINE)) {
          // Not one JSON document after all: NDJSON with a broken line. Each line stands alone.
          this.mode = "lines";
          this.line = 0;
          this.nextLineOffset = 0;
          this.feed(pending);
          this.finishCarry(false);
        } else {
          this.fail("PARSE", damaged ? "the damaged stream cut a record off" : `unexpected end of input: the JSON is truncated or malformed after byte ${this.splitter.offset}`, { record: this.index++, offset: this.splitter.offset });
          this.errors++;
        }
      }
    } else if (this.mode === "yaml" && this.headBytes > this.limits.maxRecordBytes) {
      this.fail("LIMIT", `YAML of ${humanSize(this.headBytes)}, over the record size limit of ${humanSize(this.limits.maxRecordBytes)} (YAML is read whole: big logs belong in JSON or NDJSON); not read`);
      this.errors++;
    } else if (this.mode === "yaml") {
      const text = Buffer.concat(this.head).toString("utf8");
      this.head = [];
      const r = parseYamlText(text, this.file, this.limits);
      // Document-level errors first, then records and record-level errors in document order.
      const items = [...r.errors.map((e) => ({ at: e.record ?? -1, e })), ...r.records.map((rec) => ({ at: rec.index, rec }))].sort((a, b) => a.at - b.at);
      for (const item of items) {
        if ("e" in item) this.report(item.e);
        else this.emit(item.rec.value, item.rec.site.at, item.rec.site.embedded, item.rec.site.doc, undefined, undefined, item.rec.pos, undefined, item.rec.site.bare === true);
      }
    }
    this.flushHeld(true);
    if (this.records + this.errors + this.forwarded + this.skipped === 0 && !damaged) this.fail("EMPTY", "empty input: no records");
    this.mode = "done";
  }

  private decide(): void {
    const head = this.head.length === 1 ? this.head[0]! : Buffer.concat(this.head);
    this.head = [];
    const firstByte = head.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
    if (firstByte < 0) {
      this.mode = "lines"; // blank so far: nothing to read yet
      this.feed(head);
      return;
    }
    if (looksBinary(head)) {
      this.fail("PARSE", "binary data (NUL bytes), not a JSON, NDJSON or YAML log");
      this.errors++;
      this.mode = "done";
      return;
    }
    const lead = head[firstByte];
    // A CloudWatch Logs export (create-export-task): "<ISO timestamp> <record JSON>" on each line.
    const start = head.subarray(firstByte, firstByte + 64).toString("latin1");
    const stamp = exportStampLength(start);
    if (this.hint !== "yaml" && stamp > 0 && (start[stamp] === "{" || start[stamp] === "[")) {
      this.mode = "lines";
      this.timestamped = true;
      this.feed(head);
      return;
    }
    if (this.hint === "yaml" || (this.hint === undefined && lead !== 0x7b && lead !== 0x5b)) {
      this.mode = "yaml";
      this.head = [Buffer.from(head)]; // kept to the end: a copy (chunks are lent)
      return;
    }
    if (this.hint === "ndjson") this.mode = "lines";
    else if (startsAsS3Delivery(head)) this.mode = "split"; // one document (or several concatenated)
    else {
      // NDJSON when the first line is a complete object or array on its own and another line follows.
      // (Pretty-printed JSON starts with a lone "{" or "[", an S3 file is one line or one document.)
      const nl = head.indexOf(NEWLINE, firstByte);
      let ndjson = false;
      if (nl > 0) {
        const firstLine = head.subarray(firstByte, nl).toString("utf8").trimEnd();
        const close = firstLine[firstLine.length - 1];
        const next = head.findIndex((b, k) => k > nl && b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
        ndjson = firstLine.length > 1 && ((lead === 0x7b && close === "}") || (lead === 0x5b && close === "]")) && next > 0 && (head[next] === 0x7b || head[next] === 0x5b);
      }
      this.mode = ndjson ? "lines" : "split";
    }
    if (this.mode === "split") this.splitter = new JsonRecordSplitter(this.limits.maxRecordBytes, this.spare);
    this.feed(head);
  }

  private feed(chunk: Buffer): void {
    if (this.mode === "split") {
      this.splitter!.pushTo(chunk, this.pieces);
      return;
    }
    if (this.mode === "yaml") {
      // Past the limit the bytes are only counted (end() reports the file).
      this.headBytes += chunk.length;
      if (this.headBytes <= this.limits.maxRecordBytes) this.head.push(Buffer.from(chunk));
      else this.head = [];
      return;
    }
    // lines: cut in place; only a line that spans chunks is copied.
    let start = 0;
    if (this.carry.bytes > 0) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.carry.keep(chunk);
        return;
      }
      // The line's end joins the bytes held, in their buffer (no copy of the whole line).
      this.carry.keep(chunk.subarray(0, nl));
      if (this.carry.over) this.longLine(this.carry.bytes);
      else if (this.line_(this.carry.view, 0, this.carry.bytes, false, true)) this.carry.release();
      this.carry.drop();
      start = nl + 1;
    }
    for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      this.line_(chunk, start, nl, false);
      start = nl + 1;
    }
    if (start < chunk.length) this.carry.keep(chunk.subarray(start));
  }

  /** The last line, when the input does not end with a newline. */
  private finishCarry(cutOff: boolean): void {
    if (this.carry.over) {
      this.longLine(this.carry.bytes);
      this.carry.drop();
      return;
    }
    if (this.carry.bytes > 0 && this.line_(this.carry.view, 0, this.carry.bytes, cutOff, true)) this.carry.release();
    this.carry.drop();
  }

  /** A line of `bytes` bytes over the limit: counted as a line, reported, not read. */
  private longLine(bytes: number): void {
    this.line++;
    this.lineOffset = this.nextLineOffset;
    this.nextLineOffset += bytes + 1;
    if (this.forward) {
      this.forwarded++;
      this.forward.oversized("value", bytes, this.lineOffset, this.line, 1, -1, 0);
    } else this.oversized(bytes, this.line, this.lineOffset);
  }

  /** A record skipped for its size (its index is used, as for a record that cannot be parsed). */
  private oversized(bytes: number, line: number, offset: number): void {
    this.fail("LIMIT", `a record of ${humanSize(bytes)}, over the record size limit of ${humanSize(this.limits.maxRecordBytes)}; not read (--max-record-mb raises the limit)`, { record: this.index++, line, offset });
    this.errors++;
  }

  /**
   * The line buf[start, end) (without its newline). `held`: buf is the held buffer, the line at its start.
   * Returns whether the forward sink kept that buffer.
   */
  private line_(buf: Buffer, start: number, end: number, cutOff: boolean, held = false): boolean {
    if (end - start > this.limits.maxRecordBytes) {
      this.longLine(end - start);
      return false;
    }
    this.line++;
    this.lineOffset = this.nextLineOffset;
    this.nextLineOffset += end - start + 1;
    if (end > start && buf[end - 1] === 0x0d) end--;
    let blank = true;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b !== 0x20 && b !== 0x09) {
        blank = false;
        break;
      }
    }
    if (blank) return false;
    if (this.forward) {
      this.forwarded++;
      if (held && this.forward.lineHeld) return this.forward.lineHeld(buf, end, this.line, this.lineOffset, cutOff);
      this.forward.line(buf, start, end, this.line, this.lineOffset, cutOff);
      return false;
    }
    this.decodeLine(buf.subarray(start, end), this.line, this.lineOffset, cutOff);
    return false;
  }

  private decodeLine(raw: Buffer, line: number, offset: number, cutOff: boolean): void {
    let text = this.decodeText(raw, offset);
    // (the timestamp of an export line is kept where it is: the record is the JSON after it)
    const stamp = this.timestamped ? exportStampLength(text) : 0;
    if (stamp > 0) text = text.slice(stamp);
    let value: unknown;
    try {
      value = parseQuietly(text);
    } catch (e) {
      const reason = cutOff ? "line cut off by the damaged stream" : `malformed JSON: ${jsonErrorReason(e)}`;
      this.fail("PARSE", `line ${line}: ${reason}`, { record: this.index++, line });
      this.errors++;
      return;
    }
    this.unwrapInto(value, [], line - 1, line, text, { line, column: 1 + stamp });
  }

  private piece(p: Piece): void {
    const text = this.decodeText(p.text, p.offset);
    let value: unknown;
    try {
      value = parseQuietly(text);
    } catch (e) {
      // Where in the file: the piece's first line plus the lines up to V8's position, when it gives one.
      const pos = jsonErrorPosition(e);
      let line = p.line;
      let column: number | undefined;
      if (pos !== undefined) {
        const before = text.slice(0, pos);
        const nl = before.lastIndexOf("\n");
        for (let k = before.indexOf("\n"); k >= 0; k = before.indexOf("\n", k + 1)) line++;
        column = nl < 0 ? undefined : pos - nl;
      }
      const where = column !== undefined ? `line ${line}, column ${column}` : `line ${line}`;
      this.fail("PARSE", `malformed JSON at ${where}: ${jsonErrorReason(e)}`, { record: this.index++, line, offset: p.offset + (pos ?? 0) });
      this.errors++;
      return;
    }
    if (p.kind === "record") {
      this.emit(value, p.at, false, 0, text, undefined, { line: p.line, column: p.column, at: [], outer: p.at.length });
    } else if (p.kind === "lookup") {
      const inner = isPlainObject(value) ? value["CloudTrailEvent"] : undefined;
      if (typeof inner !== "string") {
        this.fail("PARSE", "lookup-events entry without a CloudTrailEvent string", { record: this.index++, line: p.line });
        this.errors++;
        return;
      }
      try {
        // Positions inside an escaped string do not map to the file: point at the lookup entry.
        this.emit(JSON.parse(inner), [...p.at, "CloudTrailEvent"], true, 0, inner, undefined, { line: p.line, column: p.column, at: null, outer: p.at.length });
      } catch (e) {
        this.fail("PARSE", `CloudTrailEvent is not valid JSON: ${jsonErrorReason(e)}`, { record: this.index++, line: p.line });
        this.errors++;
      }
    } else {
      // (a value with a path is an element of a top-level array)
      this.unwrapInto(value, p.at, p.doc, undefined, text, { line: p.line, column: p.column }, p.at.length > 0);
    }
  }

  private unwrapInto(value: unknown, prefix: ReadonlyArray<string | number>, doc: number, ndjsonLine: number | undefined, raw: string, base: { line: number; column: number }, item = false): void {
    const found = [...unwrap(value, item)];
    const owns = ownTexts(found, raw, base);
    for (let k = 0; k < found.length; k++) {
      const u = found[k]!;
      if ("skipped" in u) {
        this.skipped++;
      } else if ("problem" in u) {
        this.fail("PARSE", u.problem, { record: this.index++, ...(ndjsonLine ? { line: ndjsonLine } : {}) });
        this.errors++;
      } else {
        const at = prefix.length ? [...prefix, ...u.site.at] : u.site.at;
        // An embedded record's own text is inside a string (escaped): only the outer text is at hand.
        // A literal, not a spread of `base`: V8 pretenured the spread objects (allocated them in
        // the old generation), so an NDJSON run's heap filled with them (~80 MB instead of ~30).
        const pos = { line: base.line, column: base.column, at: u.site.embedded ? null : u.site.at, outer: prefix.length };
        this.emit(u.record, at, u.site.embedded, doc, u.site.embedded ? undefined : raw, ndjsonLine, pos, owns?.[k], u.site.bare === true);
      }
    }
  }

  private emit(value: unknown, at: ReadonlyArray<string | number>, embedded: boolean, doc: number, raw?: string, ndjsonLine?: number, pos?: ParsedRecord["pos"], own?: ParsedRecord["own"], bare = false): void {
    // One object shape for every record (no conditional spreads): cheaper to build and to read.
    const rec: ParsedRecord = { index: this.index++, value, site: { at, embedded, doc }, line: ndjsonLine, raw, own, pos, notLog: false };
    this.records++;
    if (this.held !== undefined || this.notLog) {
      if (!bare || isCloudTrailShaped(value)) this.flushHeld(false);
      else if (this.notLog) return this.sink.record({ ...rec, notLog: true });
      else {
        this.held!.push(rec);
        if (this.held!.length >= RecordReader.HOLD) this.flushHeld(true);
        return;
      }
    }
    this.sink.record(rec);
  }

  /** Hands on the held values: as records (`notLog` false: the file is a log), or as values of a file that is not one. */
  private flushHeld(notLog: boolean): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    this.notLog = notLog && held.length > 0;
    for (const rec of held) this.sink.record(notLog ? { ...rec, notLog: true } : rec);
  }

  /**
   * A record's bytes as text, reporting (once a file) bytes that are not UTF-8. Pure ASCII, nearly
   * every record, is decoded as Latin-1: the same string, and faster for big records (Node 20
   * decodes UTF-8 at ~3 ns a byte). Node keeps a Latin-1 string over ~1 MB outside V8's heap: on
   * the main thread that lowered the peak (back-to-back 8 MB records 198 -> 150 MB), but in a
   * worker, whose heap is capped, V8 then collected later (two workers: 16 MB records 360-390 ->
   * 450-480 MB), so there big records stay UTF-8, on the heap.
   */
  private decodeText(bytes: Buffer, offset: number): string {
    if ((isMainThread || bytes.length < OFF_HEAP_TEXT) && isAscii(bytes)) return bytes.toString("latin1");
    this.checkUtf8(bytes, offset);
    return bytes.toString("utf8");
  }

  private checkUtf8(bytes: Buffer, offset: number): void {
    if (this.badUtf8 || isUtf8(bytes)) return;
    this.badUtf8 = true;
    const at = offset + firstInvalidUtf8(bytes);
    this.fail("ENCODING", `not valid UTF-8 (first bad byte at offset ${at}); checked with replacement characters`, { offset: at });
  }

  private report(e: InputError): void {
    this.errors++;
    if (e.record === undefined) return this.sink.error(e);
    this.sink.error(new InputError(e.code, e.file, e.message, { record: this.index++, ...(e.line !== undefined ? { line: e.line } : {}) }));
  }

  private fail(code: InputError["code"], message: string, where: { record?: number; line?: number; offset?: number } = {}): void {
    this.sink.error(new InputError(code, this.file, message, where));
  }
}

/** Records of one input held in memory (gzip or not), with an input error for each part that could not be read. */
export function parseBytes(bytes: Uint8Array, file: string, limits: ParseLimits = DEFAULT_LIMITS): ParseResult {
  const result: ParseResult = { records: [], errors: [] };
  const reader = new RecordReader(file, { record: (r) => result.records.push(r), error: (e) => result.errors.push(e) }, limits);
  let data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let damaged = false;
  if (isGzip(bytes)) {
    const g = gunzipLenient(bytes, file);
    data = g.data;
    if (g.error) {
      result.errors.push(g.error);
      damaged = true;
    }
  }
  reader.push(data);
  reader.end(damaged);
  return result;
}

/**
 * Each record's own text and where it starts, when `raw` (whose first character sits at `base`)
 * holds more than one record not inside a string; undefined otherwise. One pass over `raw`.
 */
function ownTexts(found: readonly Unwrapped[], raw: string, base: { line: number; column: number }): Array<ParsedRecord["own"]> | undefined {
  if (found.length < 2) return undefined; // (an NDJSON line of one record: nothing to allocate)
  const direct = found.filter((u) => "record" in u && !u.site.embedded);
  if (direct.length < 2) return undefined;
  const spans = locateInOrder(raw, direct.map((u) => u.site.at));
  const bySite = new Map<Unwrapped, ParsedRecord["own"]>();
  let line = base.line;
  let column = base.column; // of raw[offset], in bytes
  let offset = 0;
  let newline = raw.indexOf("\n");
  direct.forEach((u, k) => {
    const span = spans[k];
    if (!span || span.start < offset) return;
    let lineStart = -1;
    while (newline !== -1 && newline < span.start) {
      line++;
      lineStart = newline + 1;
      newline = raw.indexOf("\n", lineStart);
    }
    column = lineStart < 0 ? column + Buffer.byteLength(raw.slice(offset, span.start)) : 1 + Buffer.byteLength(raw.slice(lineStart, span.start));
    offset = span.start;
    bySite.set(u, { text: raw.slice(span.start, span.end), line, column });
  });
  return found.map((u) => bySite.get(u));
}
