/**
 * RecordIO framing (reference §2.5): each record is its length in bytes as ASCII decimal digits,
 * a `\n`, then exactly that many bytes; nothing after the payload. Chunk boundaries are unrelated to
 * record boundaries, so the decoder buffers raw bytes: a record may be split over many chunks
 * (even inside its length prefix or inside a multi-byte UTF-8 character) and one chunk may hold
 * several records. Pure: bytes in, records out.
 */

export type RecordIOErrorReason = 'bad-length' | 'zero-length' | 'too-large' | 'truncated';

export class RecordIOError extends Error {
  constructor(
    readonly reason: RecordIOErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'RecordIOError';
  }
}

/** A uint64 has at most 20 decimal digits. */
const MAX_PREFIX_DIGITS = 20;
const NEWLINE = 0x0a;

export interface RecordIODecoderOptions {
  /** Largest record accepted (bytes). Default 64 MiB. */
  maxRecordBytes?: number;
}

export class RecordIODecoder {
  private readonly maxRecordBytes: number;
  /** Digits of the length prefix read so far (a prefix may span chunks). */
  private prefix = '';
  /** Length of the record being read; undefined while reading a prefix. */
  private expected: number | undefined;
  private parts: Uint8Array[] = [];
  private have = 0;
  private failed: RecordIOError | undefined;

  constructor(opts: RecordIODecoderOptions = {}) {
    this.maxRecordBytes = opts.maxRecordBytes ?? 64 * 1024 * 1024;
  }

  /** Bytes of an unfinished record (or prefix) held. */
  get pending(): number {
    return this.prefix.length + this.have;
  }

  /** The error that stopped the decoder, if any (records before it were returned). */
  get error(): RecordIOError | undefined {
    return this.failed;
  }

  /**
   * Feeds one chunk; returns the records it completed, in order. A bad prefix throws RecordIOError,
   * unless the chunk completed records before it: those are returned and `error` is set; every
   * later call throws.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failed) throw this.failed;
    const out: Uint8Array[] = [];
    try {
      this.decode(chunk, out);
    } catch (e) {
      if (e instanceof RecordIOError && out.length > 0) return out;
      throw e;
    }
    return out;
  }

  private decode(chunk: Uint8Array, out: Uint8Array[]): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.expected === undefined) {
        const b = chunk[i]!;
        i++;
        if (b === NEWLINE) {
          this.expected = this.parseLength();
          continue;
        }
        if (b < 0x30 || b > 0x39) throw this.fail('bad-length', `record length prefix has a non-digit byte 0x${b.toString(16).padStart(2, '0')}`);
        if (this.prefix.length >= MAX_PREFIX_DIGITS) throw this.fail('bad-length', `record length prefix longer than ${MAX_PREFIX_DIGITS} digits`);
        this.prefix += String.fromCharCode(b);
        continue;
      }
      const take = Math.min(this.expected - this.have, chunk.length - i);
      this.parts.push(chunk.subarray(i, i + take));
      this.have += take;
      i += take;
      if (this.have === this.expected) {
        out.push(this.parts.length === 1 ? this.parts[0]!.slice() : concat(this.parts, this.have));
        this.parts = [];
        this.have = 0;
        this.expected = undefined;
      }
    }
  }

  /** The stream ended: throws RecordIOError `truncated` when a record (or its prefix) is unfinished. */
  end(): void {
    if (this.failed) throw this.failed;
    if (this.expected !== undefined) throw this.fail('truncated', `stream ended inside a record (${this.have} of ${this.expected} bytes)`);
    if (this.prefix !== '') throw this.fail('truncated', 'stream ended inside a record length prefix');
  }

  private parseLength(): number {
    if (this.prefix === '') throw this.fail('bad-length', 'empty record length prefix');
    const n = Number(this.prefix);
    if (n === 0) throw this.fail('zero-length', 'record length 0 (RecordIO lengths are never 0)');
    if (n > this.maxRecordBytes) throw this.fail('too-large', `record of ${this.prefix} bytes is larger than the ${this.maxRecordBytes} accepted`);
    this.prefix = '';
    return n;
  }

  private fail(reason: RecordIOErrorReason, message: string): RecordIOError {
    this.failed = new RecordIOError(reason, message);
    return this.failed;
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Frames one record: `<byte length>\n<bytes>`. */
export function encodeRecord(payload: Uint8Array | string): Uint8Array {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  const head = new TextEncoder().encode(`${bytes.length}\n`);
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head, 0);
  out.set(bytes, head.length);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A record's bytes as UTF-8 text (throws TypeError on invalid UTF-8). */
export function recordText(record: Uint8Array): string {
  return utf8.decode(record);
}
