import { writeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { isatty } from 'node:tty';
import { Chalk, type ChalkInstance } from 'chalk';
import { UserError } from './errors.js';
import { describeFailure } from './outcomes.js';

/** Where a command reads and writes. Injected so that every command runs in tests without a terminal. */
export interface IOStreams {
  /** Standard input (`-f -`, prompts later). Read only when a command asks for it. */
  readonly in: NodeJS.ReadableStream;
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
  /** stdout is a terminal. */
  outIsTTY: boolean;
  /** stderr is a terminal (progress goes there). */
  errIsTTY: boolean;
  /** stdin is a terminal (confirmation prompts need it). */
  inIsTTY: boolean;
  color: boolean;
  chalk: ChalkInstance;
  /**
   * Asks a yes/no question on the terminal (default no); false when the user declines. Commands ask
   * only when `inIsTTY` and `errIsTTY`; Ctrl-C rejects (the caller reports an interruption).
   */
  confirm(message: string, signal?: AbortSignal): Promise<boolean>;
}

/** Colours only on a TTY, off with NO_COLOR (any value) or --no-color; FORCE_COLOR forces them on. */
export function colorEnabled(isTTY: boolean, noColorFlag: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

let stdoutGuarded = false;

/**
 * A stdout write that failed (a full disk, a closed descriptor): reported as one line and exit 1
 * instead of oclif's handler rethrowing it as an uncaught exception with a stack trace; a closed pipe
 * (`| head`) stays silent.
 */
function stdoutFailed(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') return;
  const report = describeFailure(
    new UserError(`cannot write the output: ${err.message}`, {
      outcome: 'failed',
      ...(err.code === 'ENOSPC' ? { hint: 'free some space, or send the output elsewhere' } : {}),
    }),
  );
  for (const line of report.lines) process.stderr.write(`${line}\n`);
  process.exit(report.exitCode);
}

/** process.stdout, its errors handled by `stdoutFailed` (created on first use: see `directWriter`). */
function guardedStdout(): NodeJS.WriteStream {
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    process.stdout.removeAllListeners('error');
    process.stdout.on('error', stdoutFailed);
  }
  return process.stdout;
}

/** Characters per piece when a long text is written (at most 3 bytes each in UTF-8: under 1 MB a piece). */
export const WRITE_PIECE_CHARS = 1 << 18;

/** Where the piece of `text` starting at `at` ends: `piece` characters on, moved so as not to cut a surrogate pair. */
function pieceEnd(text: string, at: number, piece: number): number {
  const end = Math.min(at + piece, text.length);
  const last = text.charCodeAt(end - 1);
  // Keep a surrogate pair whole: the cut moves before its first half (after it for a one-character piece).
  if (end < text.length && last >= 0xd800 && last <= 0xdbff) return end - 1 > at ? end - 1 : end + 1;
  return end;
}

/**
 * Writes `text` to `stream`, a long text in pieces of about WRITE_PIECE_CHARS characters (never
 * between the two halves of a surrogate pair), so that the same bytes go out in the same order.
 * Node converts a string into a native buffer of its full size before writing it: for a report of
 * several MB (`validate -o json` of a large tree) that was a fresh allocation, page-faulted in, per
 * write; pieces reuse memory already mapped. Measured through a pipe on a 14 MB report: about 60 ms
 * of CPU instead of 110-130 ms (docs/PERFORMANCE.md).
 */
export function writeInPieces(stream: { write(s: string): unknown }, text: string, piece = WRITE_PIECE_CHARS, from = 0): void {
  if (from === 0 && text.length <= piece) {
    stream.write(text);
    return;
  }
  for (let at = from; at < text.length;) {
    const end = pieceEnd(text, at, piece);
    stream.write(text.slice(at, end));
    at = end;
  }
}

/** A text at least this long is written straight to the descriptor (below it, the stream's cost does not show). */
export const DIRECT_WRITE_MIN_CHARS = 1 << 16;

/** What `directWriter` needs of standard output: its stream (for short texts and the fallback) and its descriptor. */
export interface DirectTarget {
  /** The stream, created only when first asked for (see `directWriter`). */
  stream(): { write(s: string | Uint8Array): unknown; readonly writableLength: number };
  /** Whether the stream exists yet (never creates it). */
  streamCreated(): boolean;
  fd: number;
  /** fs.writeSync on a string: bytes written (throws on an error, EAGAIN when a non-blocking descriptor is full). */
  writeSync(fd: number, text: string): number;
  /** fs.writeSync on bytes. */
  writeBytes(fd: number, bytes: Uint8Array, offset: number, length: number): number;
  /** A write that failed for another reason than EAGAIN or EPIPE (reported, and the command ends). */
  failed(err: NodeJS.ErrnoException): void;
}

/**
 * A writer for standard output that sends a long text (a report of several MB) to the descriptor with
 * synchronous writes, in pieces as `writeInPieces` cuts them, instead of through the stream: Node's
 * stream turns each piece into a Buffer and queues it, about 60-90 ms more for a 14 MB report through a
 * pipe (docs/PERFORMANCE.md). Same bytes, same order: the direct path is taken only when the stream
 * holds nothing unwritten, and a short text goes through the stream as before.
 * - The stream is created only for a short text or the fallback: creating it makes a pipe
 *   non-blocking (libuv), and every direct write would then meet a full pipe.
 * - A descriptor that will not take more now (EAGAIN: a non-blocking pipe) gets the rest through the
 *   stream, which waits for the reader; bytes of a piece already written are not written again.
 * - A closed reader (EPIPE: `| head`) ends the output quietly, as the stream's guard does: later texts
 *   are dropped.
 * - Any other error (a full disk) goes to `failed`.
 */
export function directWriter(target: DirectTarget, piece = WRITE_PIECE_CHARS): { write(text: string): void } {
  let closed = false;
  return {
    write(text: string): void {
      if (closed) return;
      if (text.length < DIRECT_WRITE_MIN_CHARS || (target.streamCreated() && target.stream().writableLength > 0)) {
        writeInPieces(target.stream(), text, piece);
        return;
      }
      for (let at = 0; at < text.length;) {
        const end = pieceEnd(text, at, piece);
        const part = text.slice(at, end);
        let bytes: Buffer | undefined;
        let done = 0;
        try {
          done = target.writeSync(target.fd, part);
          // A short write (a signal, a pipe taking part of it): the rest of this piece as bytes.
          if (done < part.length || done < Buffer.byteLength(part)) {
            bytes = Buffer.from(part);
            while (done < bytes.length) done += target.writeBytes(target.fd, bytes, done, bytes.length - done);
          }
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          if (e.code === 'EAGAIN') {
            const stream = target.stream();
            if (done > 0) stream.write((bytes ?? Buffer.from(part)).subarray(done));
            else stream.write(part);
            writeInPieces(stream, text, piece, end);
            return;
          }
          closed = true;
          if (e.code !== 'EPIPE') target.failed(e);
          return;
        }
        at = end;
      }
    },
  };
}

export function processIO(noColorFlag = false): IOStreams {
  // isatty, not process.stdout.isTTY: the stream is created only when needed (see directWriter).
  const outIsTTY = isatty(1);
  const color = colorEnabled(outIsTTY, noColorFlag);
  return {
    // A getter: process.stdin is created on first use only.
    get in() {
      return process.stdin;
    },
    out: directWriter({
      stream: guardedStdout,
      streamCreated: () => stdoutGuarded,
      fd: 1,
      writeSync: (fd, text) => writeSync(fd, text),
      writeBytes: (fd, b, o, l) => writeSync(fd, b, o, l),
      failed: stdoutFailed,
    }),
    err: process.stderr,
    outIsTTY,
    errIsTTY: Boolean(process.stderr.isTTY),
    inIsTTY: isatty(0),
    color,
    chalk: new Chalk({ level: color ? 1 : 0 }),
    async confirm(message, signal) {
      // @inquirer/prompts is loaded only when a command asks (delete orphans, delete framework).
      const { confirm } = await import('@inquirer/prompts');
      return confirm({ message, default: false }, { input: process.stdin, output: process.stderr, ...(signal ? { signal } : {}) });
    },
  };
}

/** An in-memory IOStreams for tests; `stdin` is what standard input holds (empty by default). */
export function bufferIO(
  opts: { tty?: boolean; color?: boolean; stdin?: string | Buffer; confirm?: (message: string) => boolean } = {},
): IOStreams & { stdout(): string; stderr(): string; questions: string[] } {
  let o = '';
  let e = '';
  const color = opts.color ?? false;
  const questions: string[] = [];
  return {
    in: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    out: { write: (s: string) => (o += s) },
    err: { write: (s: string) => (e += s) },
    outIsTTY: opts.tty ?? false,
    errIsTTY: opts.tty ?? false,
    inIsTTY: opts.tty ?? false,
    color,
    chalk: new Chalk({ level: color ? 1 : 0 }),
    stdout: () => o,
    stderr: () => e,
    questions,
    confirm(message) {
      questions.push(message);
      e += `? ${message} (y/N) `;
      return Promise.resolve(opts.confirm ? opts.confirm(message) : false);
    },
  };
}
