import type { Hook } from '@oclif/core/hooks';
import { suggestCommand } from '../core/suggest-command.js';
import { exitCodeOf } from '../lib/exit-codes.js';
import { programName } from '../lib/program.js';

/** `k8smctl nope` (or `kubectl k8sm nope`): one line on stderr, the closest command, exit 2 (instead of oclif's banner). */
const hook: Hook.CommandNotFound = function (opts) {
  const typed = opts.id.replace(/:/g, ' ');
  const known = opts.config.commandIDs.map((id) => id.replace(/:/g, ' '));
  const guess = suggestCommand(typed, known);
  const prog = programName();
  const hint = guess ? `did you mean "${guess}"? ('${prog} --help' lists the commands)` : `run '${prog} --help' for the commands`;
  process.stderr.write(`error: unknown command "${typed}"; ${hint}\n`);
  process.exitCode = exitCodeOf('usage');
  return Promise.resolve();
};

export default hook;
