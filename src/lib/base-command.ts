import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import { oneLine, EXIT_USAGE } from './errors.js';
import { processIO, type IOStreams } from './io.js';

/**
 * Every k8smctl command extends this: shared flags (`--debug`, `--no-color`), one-line errors with
 * the documented exit codes, and injected I/O streams.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({ description: 'Print stack traces and debug details on errors.', helpGroup: 'GLOBAL' }),
    'no-color': Flags.boolean({ description: 'Disable colours (also NO_COLOR=1).', helpGroup: 'GLOBAL' }),
  };

  protected debugMode = false;

  protected io(noColor: boolean | undefined): IOStreams {
    return processIO(Boolean(noColor));
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number }; code?: string }): Promise<void> {
    const debug = this.debugMode || this.argv.includes('--debug') || process.env.K8SMCTL_DEBUG === '1';
    // A flag error did go through parsing: without this, oclif adds an "[UnparsedCommand] did not parse
    // its arguments" warning under NODE_ENV=development|test, breaking the one-line error.
    this.parsed = true;
    if (err.code === 'EPIPE') {
      process.exitCode = 0;
      return;
    }
    if (err.oclif?.exit === 0) return; // --help / --version handled by oclif
    let code = err.exitCode ?? err.oclif?.exit ?? 1;
    const parseError = err.oclif?.exit !== undefined && err.exitCode === undefined;
    if (parseError) code = EXIT_USAGE;
    let line = oneLine(err);
    if (parseError) line += `; see 'k8smctl ${this.id ?? ''} --help'`.replace(/ {2,}/g, ' ');
    process.stderr.write(`error: ${line}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    if (debug && err.cause) process.stderr.write(`caused by: ${String((err.cause as Error)?.stack ?? err.cause)}\n`);
    process.exitCode = code;
  }
}
