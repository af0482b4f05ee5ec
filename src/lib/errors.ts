/**
 * Errors of the command layer: a one-line message, an optional hint (what to do), and the outcome
 * they mean. `src/lib/outcomes.ts` turns them (and client errors) into the line on stderr and the
 * exit code.
 */
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type Outcome } from './exit-codes.js';

export { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type Outcome };

export class UserError extends Error {
  readonly outcome: Outcome;
  /** What to do about it, appended to the message after "; ". */
  readonly hint?: string;
  constructor(message: string, opts: { outcome?: Outcome; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UserError';
    this.outcome = opts.outcome ?? 'failed';
    if (opts.hint) this.hint = opts.hint;
  }
}

/** Bad flags or arguments. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { outcome: 'usage', ...(hint ? { hint } : {}) });
    this.name = 'UsageError';
  }
}

/** An input that could not be read (a file, a snapshot). */
export class UnreachableError extends UserError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { outcome: 'unreadable', ...opts });
    this.name = 'UnreachableError';
  }
}
