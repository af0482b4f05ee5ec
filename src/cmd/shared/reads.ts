/**
 * Reads of several servers a command cannot do without (the Mesos master and the apiserver), made
 * at once: every one settles before the command fails, so that when both servers fail the user
 * learns of both in one run instead of fixing one and hitting the next. Used by `diagnose` and
 * `get tasks`.
 */
import { describeFailure } from '../../lib/outcomes.js';
import type { IOStreams } from '../../lib/io.js';

type Reads<T extends readonly unknown[]> = { readonly [K in keyof T]: Promise<T[K]> };

/**
 * The values of `reads`, in order. When some fail, throws the failure that decides the exit: the
 * one of the highest exit code, the first in `reads` order on a tie (the master before the
 * apiserver); each other failure is first written as one `warning:` line, worded as its error line
 * would be (message and hint, no stack), once per distinct line. An interruption (Ctrl-C, SIGTERM)
 * is thrown as it is, without warnings.
 */
export async function allReads<T extends readonly unknown[]>(io: IOStreams, reads: Reads<T>): Promise<T> {
  const settled = await Promise.allSettled(reads as ReadonlyArray<Promise<unknown>>);
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [{ error: s.reason as unknown, report: describeFailure(s.reason) }] : []));
  if (failures.length === 0) return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
  const interrupted = failures.find((f) => f.report.outcome === 'interrupted' || f.report.outcome === 'terminated');
  if (interrupted) throw interrupted.error;
  const decider = failures.reduce((worst, f) => (f.report.exitCode > worst.report.exitCode ? f : worst));
  const said = new Set([decider.report.lines[0]]);
  for (const f of failures) {
    const line = f.report.lines[0];
    if (line === undefined || said.has(line)) continue;
    said.add(line);
    if (io.errIsTTY) io.err.write('\x1b[2K');
    io.err.write(`${line.replace(/^error: /, 'warning: ')}\n`);
  }
  throw decider.error;
}
