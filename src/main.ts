/**
 * The bundle entry: oclif finds the commands through the explicit COMMANDS map (package.json
 * `oclif.commands`), so start-up loads one bundled file instead of hundreds of modules.
 */
import { execute } from '@oclif/core/execute';
import { COMMANDS } from './commands/index.js';
export { COMMANDS };

export async function run(argv: string[], root: string): Promise<void> {
  await execute({ args: argv, dir: root });
}

/** Man pages for `npm run man` (scripts/gen-man.mjs); loaded lazily, never at start-up. */
export async function manPages(version: string): Promise<Map<string, string>> {
  const { k8smctlManPages } = await import('./lib/man/k8smctl-man.js');
  return k8smctlManPages(COMMANDS, version);
}
