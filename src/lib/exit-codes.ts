/**
 * Outcomes and their exit codes: the table `outcomes.ts` maps every result and failure through.
 * A module of its own, without imports, so that the command-not-found hook (a separate bundle
 * entry) shares only this with the CLI.
 */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** What a command run came to. */
export type Outcome =
  /** Done, nothing to report. */
  | 'ok'
  /** Findings that fail the run (validate: errors, or warnings with --strict). */
  | 'findings'
  /** Part of the answer is missing (an agent that did not answer). */
  | 'partial'
  /** The operation was refused or failed (401, 403, a named object that does not exist). */
  | 'failed'
  /** Bad flags or arguments. */
  | 'usage'
  /** Nothing could be read: no input, an unreachable or broken server. */
  | 'unreadable'
  /** Ctrl-C (SIGINT) or SIGTERM. */
  | 'interrupted'
  | 'terminated';

const EXIT_CODES: Record<Outcome, number> = {
  ok: EXIT_OK,
  findings: EXIT_FINDINGS,
  partial: EXIT_FINDINGS,
  failed: EXIT_FINDINGS,
  usage: EXIT_USAGE,
  unreadable: EXIT_USAGE,
  interrupted: 130,
  terminated: 143,
};

export function isOutcome(v: unknown): v is Outcome {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(EXIT_CODES, v);
}

export function exitCodeOf(outcome: Outcome): number {
  return EXIT_CODES[outcome];
}
