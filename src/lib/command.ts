/**
 * How every command runs, kubectl's pattern in TypeScript: the oclif class parses the flags, then
 * its options object (`src/cmd/<command>/`) is
 *   complete(factory, args, flags)  typed, checked options from the flags; clients from the factory
 *   validate()                      combinations the parser cannot check
 *   run()                           the work, writing to the injected IOStreams; returns an Outcome
 * and `runCommand` maps the outcome, or whatever was thrown, to the exit code and the one-line
 * error (src/lib/outcomes.ts). Tests run the same function in-process with fake clients.
 */
import type { Factory } from './factory.js';
import type { IOStreams } from './io.js';
import { describeFailure, exitCodeOf, type Outcome } from './outcomes.js';

/** A command's options; `F` is its parsed flags (the runner passes what oclif parsed for that command). */
export interface CommandOptions<F = never> {
  complete(factory: Factory, args: string[], flags: F): void | Promise<void>;
  validate(): void | Promise<void>;
  run(): Promise<Outcome>;
}

export interface ParsedInput {
  flags: Record<string, unknown>;
  argv: unknown[];
}

export interface CommandRun {
  /** The command as typed, e.g. `get agents` (for the help pointer of usage errors). */
  id: string;
  argv: string[];
  /** The flag parser (oclif's). */
  parse(argv: string[]): Promise<ParsedInput>;
  /** The command's options object (loaded lazily by the oclif class). */
  options(io: IOStreams): Promise<CommandOptions>;
  io(noColor: boolean): IOStreams;
  factory(): Factory;
  /** --debug before the flags could be parsed (K8SMCTL_DEBUG=1). */
  debug?: boolean;
}

/** Parses, completes, validates and runs one command; never throws; returns the exit code. */
export async function runCommand(c: CommandRun): Promise<number> {
  let io: IOStreams | undefined;
  let debug = Boolean(c.debug) || c.argv.includes('--debug');
  try {
    const { flags, argv } = await c.parse(c.argv);
    debug ||= flags['debug'] === true;
    io = c.io(flags['no-color'] === true);
    const options = await c.options(io);
    await options.complete(c.factory(), argv.map(String), flags as never);
    await options.validate();
    return exitCodeOf(await options.run());
  } catch (err) {
    const report = describeFailure(err, { commandId: c.id, debug });
    const stream = io ?? c.io(false);
    for (const line of report.lines) stream.err.write(`${line}\n`);
    return report.exitCode;
  }
}
