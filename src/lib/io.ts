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
 * A stdout write that fails (a full disk, a closed descriptor) is reported as one line and exit 1
 * instead of oclif's handler rethrowing it as an uncaught exception with a stack trace; a closed
 * pipe (`| head`) stays silent.
 */
function guardStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.removeAllListeners('error');
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return;
    const report = describeFailure(
      new UserError(`cannot write the output: ${err.message}`, {
        outcome: 'failed',
        ...(err.code === 'ENOSPC' ? { hint: 'free some space, or send the output elsewhere' } : {}),
      }),
    );
    for (const line of report.lines) process.stderr.write(`${line}\n`);
    process.exit(report.exitCode);
  });
}

/** Characters per piece when a long text is written (at most 3 bytes each in UTF-8: under 1 MB a piece). */
export const WRITE_PIECE_CHARS = 1 << 18;

/**
 * Writes `text` to `stream`, a long text in pieces of about WRITE_PIECE_CHARS characters (never
 * between the two halves of a surrogate pair), so that the same bytes go out in the same order.
 * Node converts a string into a native buffer of its full size before writing it: for a report of
 * several MB (`validate -o json` of a large tree) that was a fresh allocation, page-faulted in, per
 * write; pieces reuse memory already mapped. Measured through a pipe on a 14 MB report: about 60 ms
 * of CPU instead of 110-130 ms (docs/PERFORMANCE.md).
 */
export function writeInPieces(stream: { write(s: string): unknown }, text: string, piece = WRITE_PIECE_CHARS): void {
  if (text.length <= piece) {
    stream.write(text);
    return;
  }
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + piece, text.length);
    const last = text.charCodeAt(end - 1);
    // Keep a surrogate pair whole: the cut moves before its first half (after it for a one-character piece).
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end = end - 1 > at ? end - 1 : end + 1;
    stream.write(text.slice(at, end));
    at = end;
  }
}

export function processIO(noColorFlag = false): IOStreams {
  guardStdout();
  const outIsTTY = Boolean(process.stdout.isTTY);
  const color = colorEnabled(outIsTTY, noColorFlag);
  return {
    // A getter: process.stdin is created on first use only.
    get in() {
      return process.stdin;
    },
    out: { write: (text: string) => writeInPieces(process.stdout, text) },
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
