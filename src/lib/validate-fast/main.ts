/**
 * `k8smctl validate` without oclif's runtime (a bundle of its own, dist/validate.cjs, which
 * bin/launch.js compiles with V8's code cache): the launcher tries this first, and it runs the command only when `parseValidateArgv` can read the
 * flags exactly as oclif would. Everything else (help, a flag error, a rare form) is left to oclif.
 * The command itself runs as under oclif: ValidateOptions through `runCommand` (the same exit codes
 * and one-line errors). What is saved is loading and starting oclif (its config, plugins, manifest,
 * help and error modules), about a third of validate's start-up.
 */
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { ValidateOptions } from '../../cmd/validate/options.js';
import { runCommand } from '../command.js';
import { processFactory } from '../factory.js';
import { colorEnabled, processIO } from '../io.js';
import { parseValidateArgv } from './argv.js';
import { loadChalk } from './chalk.js';

/**
 * Runs `validate` with `argv` (the words after `validate`) and returns true, or returns false at
 * once, having done nothing, when oclif must parse them. `root` is the package folder.
 */
export async function runValidate(argv: string[], root: URL): Promise<boolean> {
  const flags = parseValidateArgv(argv, process.env);
  if (flags === undefined) return false;
  // chalk (in this bundle, ./chalk.ts) is loaded only when the output is coloured, as processIO decides.
  // Standard output is not touched here: processIO's writer creates its stream only when it needs it,
  // and handles its errors (a reader that closed the pipe early, `| head`, is no error).
  if (colorEnabled(isatty(1), flags['no-color'] === true)) await loadChalk();
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
  process.exitCode = await runCommand({
    id: 'validate',
    argv,
    parse: () => Promise.resolve({ flags: flags as unknown as Record<string, unknown>, argv: [] }),
    options: (io) => Promise.resolve(new ValidateOptions(io)),
    io: (noColor) => processIO(noColor),
    factory: () => processFactory(version),
    debug: process.env['K8SMCTL_DEBUG'] === '1',
  });
  return true;
}
