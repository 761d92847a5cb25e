import fs from "node:fs";
import { asUtf8, DEFAULT_ENCODING, Encoding } from "./encoding";
import { NETWORK_FORMAT, NETWORK_FORMAT_VERSION, NetworkFile, Section, SECTIONS } from "./network-file";

// Where importNetwork reads records from, one section at a time: a network file already in memory
// (the mutation's text, CSV and HSDS conversions, the seed), or a file on disk read a piece at a time
// (`npm run import`), so that memory does not grow with the file. A record carries where it starts,
// for the report.

export interface NetworkRecord {
  /** Its place in its section's list, from 0. */
  index: number;
  /** The record as JSON.parse gives it; anything, to be checked. */
  value: any;
  /** The file it is in, and the line it starts on (null when unknown). */
  file: string;
  line: number | null;
  /** Set when the source itself refuses the record (its text is not JSON, a CSV row has too many cells). */
  refused?: { field: string; reason: string };
  /** Where a field of the record is in the source, when the source is not JSON (CSV: the row's line, the column's header). */
  column?: (field: string) => { line: number | null; field: string } | undefined;
}

export interface NetworkSource {
  /** The file's name, for the report. */
  file: string;
  /** The names at its top (the lists and format, version), for the import to refuse one it does not know. */
  keys: string[];
  /** Its "format" and "version", if it says them. */
  format?: unknown;
  version?: unknown;
  /** Why this is not a network file at all (not a JSON object, a section that is not a list), if it is not. */
  refused?: { field: string; reason: string; line: number | null };
  /** How many records each section holds, for progress, where known before reading them. */
  counts: Partial<Record<Section, number>>;
  /** The records of one section, in the order of the file. */
  records(section: Section): AsyncIterable<NetworkRecord>;
}

/** A network already in memory, with where its records start when that is known. */
export function memorySource(
  data: NetworkFile,
  file: string,
  /** Where each record came from, when known (CSV: organizations and referrals are two files). */
  locate?: (section: Section, index: number) => Pick<NetworkRecord, "file" | "line" | "column"> | undefined,
): NetworkSource {
  const counts = Object.fromEntries(SECTIONS.map((s) => [s, 0])) as Record<Section, number>;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return { file, keys: [], counts, refused: { field: "file", line: 1, reason: "a network file is a JSON object with the lists regions, organizations, referrals, partnerships and platforms" }, records: async function* () {} };
  }
  for (const section of SECTIONS) {
    const list = data[section] as unknown;
    if (list !== undefined && list !== null && !Array.isArray(list)) {
      return { file, keys: [], counts, refused: { field: section, line: null, reason: "must be a list" }, records: async function* () {} };
    }
    counts[section] = Array.isArray(list) ? list.length : 0;
  }
  return {
    file,
    keys: Object.keys(data),
    format: data.format,
    version: data.version,
    counts,
    async *records(section) {
      const list: unknown[] = (data[section] as unknown[] | undefined | null) ?? [];
      for (let index = 0; index < list.length; index++) {
        const at = locate?.(section, index) ?? { file, line: null };
        yield { index, value: list[index], ...at };
      }
    },
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const isSpace = (b: number) => b === 0x20 || b === NEWLINE || b === 0x0d || b === 0x09;

/**
 * Follows JSON bytes chunk by chunk and tells where each value inside a list starts and ends, at
 * one depth (1: the items of a list that is the whole input). Only strings and brackets are
 * followed; each value's text is read by JSON.parse afterwards. UTF-8 is safe to scan byte by
 * byte: every byte of a multi-byte character is 0x80 or more, never a quote or a bracket.
 */
class ItemScanner {
  /** Absolute offset of the next byte fed, and the line it is on. */
  offset = 0;
  line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private open = false;

  constructor(
    private readonly at: number,
    private readonly on: { start(offset: number, line: number): void; end(offset: number): void },
    from: { offset?: number; line?: number } = {},
  ) {
    this.offset = from.offset ?? 0;
    this.line = from.line ?? 1;
  }

  feed(chunk: Uint8Array): void {
    const { at } = this;
    let { depth, inString, escaped, open, line } = this;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === NEWLINE) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
        continue;
      }
      if (isSpace(b)) continue;
      if (depth === at) {
        if (b === COMMA || b === CLOSE_BRACKET || b === CLOSE_BRACE) {
          if (open) this.on.end(this.offset + i);
          open = false;
        } else if (!open) {
          open = true;
          this.on.start(this.offset + i, line);
        }
      }
      if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--;
    }
    Object.assign(this, { depth, inString, escaped, open, line });
    this.offset += chunk.length;
  }
}

interface SectionRange {
  /** Offsets of its list's "[" and "]", the line of the "[". */
  start: number;
  end: number;
  line: number;
  count: number;
}

/** What a first read of a file finds at its top: the kind of value, its keys' scalar values, its lists. */
interface Outline {
  /** The first character of the whole value: "{" for a network file, "[" for a list (Open Referral). */
  opens: string;
  keys: Map<string, { text?: string; list?: SectionRange; nested?: boolean; line: number }>;
}

/** The top-level scalars whose text an outline keeps (others are passed over). */
const KEPT_SCALARS = new Set(["format", "version"]);

const CHUNK = 1 << 16;

/** Thrown when the file is not JSON around its records (what is in a record is the record's own fault). */
class OutlineError extends SyntaxError {
  constructor(message: string, readonly line: number) {
    super(`${message} (line ${line})`);
  }
}

/**
 * Reads a file once, a chunk at a time, for its outline: a top-level object's keys with their scalar
 * values and where each list is and how many items it holds. Checks the JSON around the records
 * (keys, colons, commas, brackets); the records' own text is left to JSON.parse.
 */
async function outline(read: Reader): Promise<Outline> {
  const keys: Outline["keys"] = new Map();
  let opens = "";
  let depth = 0;
  let line = 1;
  let inString = false;
  let escaped = false;
  // Inside the top-level object: what comes next.
  let expect: "key" | "colon" | "value" | "comma" | "done" = "key";
  let key = "";
  let keyBytes: number[] | null = null;
  let scalar: number[] | null = null;
  let current: { text?: string; list?: SectionRange; nested?: boolean; line: number } | undefined;
  let keepScalar = false;
  let itemOpen = false;
  let offset = 0;
  const fail = (what: string): never => {
    throw new OutlineError(what, line);
  };
  const endScalar = () => {
    if (scalar && current && keepScalar) current.text = Buffer.from(scalar).toString("utf8").trim();
    scalar = null;
  };
  for await (const chunk of read()) {
    for (let i = 0; i < chunk.length; i++, offset++) {
      const b = chunk[i];
      if (b === NEWLINE) line++;
      if (inString) {
        if (keyBytes && !(b === QUOTE && !escaped)) keyBytes.push(b);
        if (scalar && keepScalar) scalar.push(b);
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (keyBytes) {
            key = JSON.parse(`"${Buffer.from(keyBytes).toString("utf8")}"`);
            keyBytes = null;
            expect = "colon";
          }
        }
        continue;
      }
      if (depth === 0) {
        if (isSpace(b) || (offset < 3 && opens === "" && b === [0xef, 0xbb, 0xbf][offset])) continue; // spaces, a UTF-8 byte-order mark
        if (opens !== "") fail(`unexpected "${String.fromCharCode(b)}" after the end of the JSON value`);
        opens = String.fromCharCode(b);
        if (b === OPEN_BRACKET) return { opens, keys }; // a list: not a network file, read whole by the caller
        if (b !== OPEN_BRACE) fail("a network file is a JSON object");
        depth = 1;
        continue;
      }
      if (depth === 1) {
        if (scalar && (b === COMMA || b === CLOSE_BRACE)) {
          endScalar();
          expect = "comma";
        }
        if (isSpace(b)) {
          if (scalar && keepScalar) scalar.push(b);
          continue;
        }
        if (scalar) {
          if (keepScalar) scalar.push(b);
          if (b === QUOTE) inString = true;
          continue;
        }
        if (expect === "key") {
          if (b === CLOSE_BRACE && keys.size === 0) depth = 0;
          else if (b === QUOTE) (inString = true), (keyBytes = []);
          else fail(`expected a key in quotes, found "${String.fromCharCode(b)}"`);
        } else if (expect === "colon") {
          if (b !== COLON) fail(`expected ":" after "${key}"`);
          expect = "value";
        } else if (expect === "value") {
          current = { line };
          keys.set(key, current);
          keepScalar = KEPT_SCALARS.has(key);
          if (b === OPEN_BRACKET) {
            current.list = { start: offset, end: -1, line, count: 0 };
            current.nested = true;
            itemOpen = false;
            depth = 2;
          } else if (b === OPEN_BRACE) (depth = 2), (current.nested = true);
          else if (b === COMMA || b === CLOSE_BRACE || b === COLON) fail(`expected the value of "${key}"`);
          else {
            scalar = [b];
            if (b === QUOTE) inString = true;
          }
          if (depth === 2) expect = "comma";
        } else if (expect === "comma") {
          if (b === COMMA) expect = "key";
          else if (b === CLOSE_BRACE) (depth = 0), (expect = "done");
          else fail(`expected "," or "}" after the value of "${key}"`);
        }
        continue;
      }
      // depth 2 and more: inside a top-level value
      if (isSpace(b)) continue;
      if (depth === 2 && current?.list) {
        if (b === COMMA || b === CLOSE_BRACKET) {
          if (!itemOpen && (b === COMMA || current.list.count > 0)) fail(`an empty item in the list "${key}"`);
          itemOpen = false;
        } else if (!itemOpen) {
          itemOpen = true;
          current.list.count++;
        }
      }
      if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        depth--;
        if (depth === 1 && current?.list) current.list.end = offset;
      }
    }
  }
  if (opens === "") fail("the file is empty");
  if (depth !== 0 || inString) fail("the file ends before its JSON value does (cut short?)");
  return { opens, keys };
}

/** Bytes of a JSON text, from `start` to `end` included (all of it without them), a chunk at a time. */
type Reader = (start?: number, end?: number) => AsyncIterable<Uint8Array>;

/** A network file on disk, read a chunk at a time (see textSource): UTF-8, checked on the first read (EncodingError), or decoded from `encoding`. */
export function fileSource(path: string, name: string, encoding: Encoding = DEFAULT_ENCODING): Promise<NetworkSource | undefined> {
  const bytes = (start?: number, end?: number) => fs.createReadStream(path, { start, end, highWaterMark: CHUNK });
  if (encoding === DEFAULT_ENCODING) return readSource((start, end) => (start === undefined ? asUtf8(bytes(), encoding, name) : bytes(start, end)), name);
  // Offsets are the decoded text's: each read decodes from the file's start.
  return readSource((start = 0, end = Infinity) => between(asUtf8(bytes(), encoding, name), start, end), name);
}

/** The bytes from offset `start` to `end` included of a stream of chunks. */
async function* between(chunks: AsyncIterable<Buffer>, start: number, end: number): AsyncGenerator<Buffer> {
  let offset = 0;
  for await (const chunk of chunks) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end + 1 - offset, chunk.length);
    if (to > from) yield chunk.subarray(from, to);
    offset += chunk.length;
    if (offset > end) return;
  }
}

/** A network file's text already in memory (the mutation's content), read as fileSource reads a file. */
export function textSource(text: string, name: string): Promise<NetworkSource | undefined> {
  const bytes = Buffer.from(text, "utf8");
  return readSource(async function* (start = 0, end = bytes.length - 1) {
    for (let at = start; at <= end; at += CHUNK) yield bytes.subarray(at, Math.min(at + CHUNK, end + 1));
  }, name);
}

/**
 * A Passerelle network file read a chunk at a time: a first read finds where each section's list
 * is, then each section is read when the import asks for it, whatever their order in the file, so
 * memory holds a chunk and a record, not the file. Returns undefined when the text is a JSON list
 * or an HSDS page ({ "contents": [...] }), which the caller reads whole. Throws OutlineError when the
 * text is not JSON around its records; a record that is not JSON itself is refused on its own.
 */
async function readSource(read: Reader, name: string): Promise<NetworkSource | undefined> {
  const { opens, keys } = await outline(read);
  if (opens === "[" || (keys.has("contents") && !SECTIONS.some((s) => keys.has(s)))) return undefined;
  const counts = Object.fromEntries(SECTIONS.map((s) => [s, keys.get(s)?.list?.count ?? 0])) as Record<Section, number>;
  const scalar = (key: string) => {
    const text = keys.get(key)?.text;
    return text === undefined ? undefined : JSON.parse(text);
  };
  let refused: NetworkSource["refused"];
  for (const key of KEPT_SCALARS) {
    const entry = keys.get(key);
    if (entry?.nested) refused = { field: key, line: entry.line, reason: key === "format" ? `must be "${NETWORK_FORMAT}"` : `must be a number (${NETWORK_FORMAT_VERSION})` };
  }
  for (const section of SECTIONS) {
    const entry = keys.get(section);
    if (entry && !entry.list && entry.text !== "null") refused = { field: section, line: entry.line, reason: "must be a list" };
  }
  return {
    file: name,
    keys: [...keys.keys()],
    format: scalar("format"),
    version: scalar("version"),
    refused,
    counts,
    async *records(section) {
      const range = keys.get(section)?.list;
      if (!range || range.count === 0) return;
      let index = 0;
      // The chunks from `base` on that an item not yet ended still needs, joined only when one ends.
      let base = range.start;
      let held: Buffer[] = [];
      let heldBytes = 0;
      let openAt = -1;
      let openLine = 0;
      const ended: { from: number; to: number; line: number }[] = [];
      const scanner = new ItemScanner(
        1,
        {
          start: (offset, line) => ((openAt = offset), (openLine = line)),
          end: (offset) => (ended.push({ from: openAt, to: offset, line: openLine }), (openAt = -1)),
        },
        { offset: range.start, line: range.line },
      );
      for await (const bytes of read(range.start, range.end)) {
        const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        scanner.feed(chunk);
        held.push(chunk);
        heldBytes += chunk.length;
        if (ended.length === 0) continue;
        const bytesHeld = held.length === 1 ? held[0] : Buffer.concat(held);
        for (const item of ended) {
          const text = bytesHeld.subarray(item.from - base, item.to - base).toString("utf8");
          let value: unknown;
          let refused: NetworkRecord["refused"];
          try {
            value = JSON.parse(text);
          } catch (error) {
            refused = { field: "", reason: `is not JSON: ${(error as Error).message}` };
          }
          yield { index: index++, value, file: name, line: item.line, refused };
        }
        ended.length = 0;
        const keep = openAt >= 0 ? openAt : base + heldBytes;
        held = [bytesHeld.subarray(keep - base)];
        heldBytes = held[0].length;
        base = keep;
      }
    },
  };
}
