// What text encodings a file to import may be in. UTF-8 (with or without a byte-order mark) unless
// told otherwise; a file that is not valid UTF-8 is refused, naming where, rather than stored as
// garbage. The others are the single-byte code pages spreadsheets of the platform's countries save
// in (Excel's "CSV" on a French, Polish or Greek Windows). Node's own TextDecoder decodes all of
// them (WHATWG names; iso-8859-1 reads as windows-1252, a superset), so no dependency is needed,
// but Node 20 decodes windows-1252 as Latin-1 (0x80 gives U+0080, not €): see WINDOWS_1252_C1.

export const ENCODINGS = ["utf-8", "windows-1252", "windows-1250", "windows-1253", "iso-8859-1", "iso-8859-2", "iso-8859-7"] as const;
export type Encoding = (typeof ENCODINGS)[number];
export const DEFAULT_ENCODING: Encoding = "utf-8";

/** The encodings --encoding accepts, as the refusals list them. */
export const OTHER_ENCODINGS = ENCODINGS.filter((e) => e !== DEFAULT_ENCODING).join(", ");

export function isEncoding(value: string): value is Encoding {
  return (ENCODINGS as readonly string[]).includes(value);
}

/**
 * Bytes 0x80-0x9F of windows-1252 (WHATWG's table; the five it leaves undefined stay as they are).
 * Node 20's TextDecoder gives U+0080-U+009F for them, so € œ Œ – — ' ' " " … would be lost.
 */
const WINDOWS_1252_C1 = "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

/** A decoder of one of the single-byte encodings: each byte is one character, so chunks decode on their own. */
function singleByte(encoding: Encoding): (bytes: Uint8Array) => string {
  const decoder = new TextDecoder(encoding);
  if (decoder.encoding !== "windows-1252") return (bytes) => decoder.decode(bytes);
  return (bytes) => decoder.decode(bytes).replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]);
}

/** A file that is not valid UTF-8, where it stops being so. */
export class EncodingError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** The first byte of the sequence that is not UTF-8. */
    byte: number,
  ) {
    const reason =
      `line ${line}, column ${column}: byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} is not UTF-8: ` +
      `save it as "CSV UTF-8" (or UTF-8 text), or give --encoding with the file's encoding, e.g. --encoding windows-1252 (accepted: ${OTHER_ENCODINGS})`;
    super(`${file}: ${reason}`);
    this.reason = reason;
  }

  /** The message without the file's name (a rejection names it). */
  readonly reason: string;
}

/**
 * Checks UTF-8 a chunk at a time (the rules of the WHATWG decoder: no overlong forms, no
 * surrogates, nothing above U+10FFFF), counting lines and characters to say where it fails.
 */
export class Utf8Check {
  private line = 1;
  private column = 0;
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;
  /** The first byte of the character being read: the one a fault names. */
  private lead = 0;

  constructor(private readonly file: string) {}

  feed(chunk: Uint8Array): void {
    let { line, column, need, lower, upper, lead } = this;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (need === 0) {
        column++;
        lead = b;
        if (b <= 0x7f) {
          if (b === 0x0a) (line++, (column = 0));
          continue;
        }
        if (b >= 0xc2 && b <= 0xdf) need = 1;
        else if (b >= 0xe0 && b <= 0xef) (need = 2), (lower = b === 0xe0 ? 0xa0 : 0x80), (upper = b === 0xed ? 0x9f : 0xbf);
        else if (b >= 0xf0 && b <= 0xf4) (need = 3), (lower = b === 0xf0 ? 0x90 : 0x80), (upper = b === 0xf4 ? 0x8f : 0xbf);
        else throw new EncodingError(this.file, line, column, b);
        continue;
      }
      if (b < lower || b > upper) throw new EncodingError(this.file, line, column, lead);
      (lower = 0x80), (upper = 0xbf), need--;
    }
    Object.assign(this, { line, column, need, lower, upper, lead });
  }

  /** The end of the file: a character left unfinished is a fault too. */
  end(): void {
    if (this.need > 0) throw new EncodingError(this.file, this.line, this.column, this.lead);
  }
}

/** The chunks of a file as UTF-8: checked when it is UTF-8 (EncodingError), else decoded from `encoding`. */
export async function* asUtf8(chunks: AsyncIterable<Uint8Array>, encoding: Encoding, file: string): AsyncGenerator<Buffer> {
  if (encoding === DEFAULT_ENCODING) {
    const check = new Utf8Check(file);
    for await (const chunk of chunks) {
      check.feed(chunk);
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    check.end();
    return;
  }
  const decode = singleByte(encoding);
  for await (const chunk of chunks) yield Buffer.from(decode(chunk), "utf8");
}

/** A whole file's text (checked, or decoded from `encoding`). */
export function textOf(bytes: Uint8Array, encoding: Encoding, file: string): string {
  if (encoding !== DEFAULT_ENCODING) return singleByte(encoding)(bytes);
  const check = new Utf8Check(file);
  check.feed(bytes);
  check.end();
  return new TextDecoder(encoding).decode(bytes);
}

/** The start of a file as text, not checked (it may end inside a character): to read its header. */
export function headOf(bytes: Uint8Array, encoding: Encoding): string {
  return encoding === DEFAULT_ENCODING ? new TextDecoder().decode(bytes) : singleByte(encoding)(bytes);
}
