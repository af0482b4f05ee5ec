/**
 * Errors a user sees as one line on stderr. Exit codes (design.md): 0 ok, 1 findings or a failed
 * operation, 2 usage errors or unreachable input.
 */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export class UserError extends Error {
  readonly exitCode: number;
  /** What to do about it, appended to the message after "; ". */
  readonly hint?: string;
  constructor(message: string, opts: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UserError';
    this.exitCode = opts.exitCode ?? EXIT_FINDINGS;
    this.hint = opts.hint;
  }
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: EXIT_USAGE, hint });
    this.name = 'UsageError';
  }
}

/** A server (Mesos master, apiserver, Docker engine) or an input that could not be reached/read: exit 2. */
export class UnreachableError extends UserError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { exitCode: EXIT_USAGE, ...opts });
    this.name = 'UnreachableError';
  }
}

/** The one line printed for an error: message plus hint, newlines folded. */
export function oneLine(err: unknown): string {
  const e = err as { message?: unknown; hint?: unknown };
  let msg = typeof e?.message === 'string' && e.message ? e.message : String(err);
  // oclif parse errors carry "See more help with --help" on a second line: keep the first.
  msg = msg.split('\n').map((s) => s.trim()).filter(Boolean)[0] ?? msg;
  if (typeof e?.hint === 'string' && e.hint) msg += `; ${e.hint}`;
  return msg;
}
