import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import { runCommand, type CommandOptions } from './command.js';
import { processFactory } from './factory.js';
import { processIO, type IOStreams } from './io.js';
import { describeFailure } from './outcomes.js';

/**
 * Every k8smctl command extends this: the shared flags (`--debug`, `--no-color`), and one `run`
 * that parses the flags and hands them to the command's options object through `runCommand`
 * (complete / validate / run, exit code and one-line errors in one place). A command class holds
 * only its flags, help and `loadOptions`.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({ description: 'Print stack traces and debug details on errors.', helpGroup: 'GLOBAL' }),
    'no-color': Flags.boolean({ description: 'Disable colours (also NO_COLOR=1).', helpGroup: 'GLOBAL' }),
  };

  /** The command's options object; imported on demand so that start-up loads only the flags. */
  static loadOptions: (io: IOStreams) => Promise<CommandOptions>;

  async run(): Promise<void> {
    const ctor = this.constructor as typeof BaseCommand;
    process.exitCode = await runCommand({
      id: (this.id ?? '').replace(/:/g, ' '),
      argv: this.argv,
      parse: async (argv) => {
        try {
          return await this.parse(ctor, argv);
        } finally {
          // Without this, oclif adds an "[UnparsedCommand] did not parse its arguments" warning
          // under NODE_ENV=development|test after a flag error, breaking the one-line error.
          this.parsed = true;
        }
      },
      options: (io) => ctor.loadOptions(io),
      io: (noColor) => processIO(noColor),
      factory: () => processFactory(this.config.version),
      debug: process.env['K8SMCTL_DEBUG'] === '1',
    });
  }

  /** Errors that escape run (runCommand reports its own): a closed stdout is no error. */
  protected override catch(err: Error & { code?: string }): Promise<void> {
    this.parsed = true;
    const report = describeFailure(err, { commandId: (this.id ?? '').replace(/:/g, ' '), debug: process.env['K8SMCTL_DEBUG'] === '1' });
    for (const line of report.lines) process.stderr.write(`${line}\n`);
    process.exitCode = report.exitCode;
    return Promise.resolve();
  }
}
