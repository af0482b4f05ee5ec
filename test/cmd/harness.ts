/**
 * Runs a k8smctl command in-process, as the CLI does (oclif's flag parser, the command's options
 * object, the one runner that maps outcomes and errors to exit codes and stderr lines), with a
 * factory of fake clients and in-memory IOStreams.
 */
import { parse } from '@oclif/core/parser';
import { COMMANDS } from '../../src/commands/index.js';
import type { BaseCommand } from '../../src/lib/base-command.js';
import { runCommand } from '../../src/lib/command.js';
import type { Factory } from '../../src/lib/factory.js';
import { bufferIO } from '../../src/lib/io.js';
import { fakeFactory } from './fakes.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `k8smctl <words...> <args...>`: the command is found by its words (`get agents`), the rest is argv. */
export async function k8smctl(
  argv: string[],
  opts: { factory?: Factory; stdin?: string; tty?: boolean; confirm?: (message: string) => boolean } = {},
): Promise<InProcessResult & { questions?: string[] }> {
  const ids = Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>;
  const id = ids.find((i) => i.split(':').every((w, n) => argv[n] === w));
  if (!id) throw new Error(`no command for ${argv.join(' ')}`);
  const words = id.split(':').length;
  const cmd = COMMANDS[id] as unknown as typeof BaseCommand & { flags: object; args?: object; strict?: boolean };
  const io = bufferIO({
    ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
    ...(opts.tty ? { tty: true } : {}),
    ...(opts.confirm ? { confirm: opts.confirm } : {}),
  });
  const factory = opts.factory ?? fakeFactory();
  const code = await runCommand({
    id: id.replace(/:/g, ' '),
    argv: argv.slice(words),
    parse: async (a) =>
      (await parse(a, {
        flags: { ...cmd.baseFlags, ...cmd.flags },
        args: cmd.args ?? {},
        strict: cmd.strict ?? true,
      } as never)) as never,
    options: (i) => cmd.loadOptions(i),
    io: () => io,
    factory: () => factory,
  });
  // The questions asked, when the test answers them.
  return { code, stdout: io.stdout(), stderr: io.stderr(), ...(opts.confirm ? { questions: io.questions } : {}) };
}
