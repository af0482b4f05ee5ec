/**
 * The bundle entry: oclif finds the commands through the explicit COMMANDS map (package.json
 * `oclif.commands`), so start-up loads one bundled file instead of hundreds of modules.
 */
import { execute } from '@oclif/core';
export { COMMANDS } from './commands/index.js';

export async function run(argv: string[], root: string): Promise<void> {
  await execute({ args: argv, dir: root });
}
