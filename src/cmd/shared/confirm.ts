/**
 * The confirmation of the delete commands: --yes goes ahead; on a terminal the user is asked
 * (default no); without a terminal the command refuses (a usage error: nothing is done).
 */
import { UsageError } from '../../lib/errors.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';

export type Confirmation = 'go' | 'declined' | 'interrupted';

export async function confirmAction(io: IOStreams, f: Factory, o: { yes: boolean; question: string; what: string }): Promise<Confirmation> {
  if (o.yes) return 'go';
  if (!io.inIsTTY || !io.errIsTTY) {
    throw new UsageError(
      `refusing to ${o.what} without confirmation: no terminal to ask on, nothing was done`,
      'pass --yes to confirm, or --dry-run to see the plan only',
    );
  }
  try {
    return (await io.confirm(o.question, f.signal)) ? 'go' : 'declined';
  } catch (e) {
    // Ctrl-C in the prompt (@inquirer's ExitPromptError, or the abort signal).
    if ((e as Error).name === 'ExitPromptError' || (e as Error).name === 'AbortPromptError' || f.signal.aborted) return 'interrupted';
    throw e;
  }
}
