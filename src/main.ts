/**
 * The bundle entry: oclif finds the commands through the explicit COMMANDS map (package.json
 * `oclif.commands`), so start-up loads one bundled file instead of hundreds of modules.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { handle } from '@oclif/core/handle';
import type { LoadOptions } from '@oclif/core/interfaces';
import { run as oclifRun } from '@oclif/core/run';
import { COMMANDS } from './commands/index.js';
import { pluginArgv } from './lib/kubectl-plugin.js';
import { setProgramName } from './lib/program.js';
export { COMMANDS };

/**
 * oclif's `execute` without its `flush()`: that gives stdout 10 s to drain and then rejects, unawaited,
 * with "timed out" (a stack trace on stderr and the output cut short) when a large output goes to a
 * pipe (`diagnose pod -A -o json` on 1,000 agents and 1,000 stuck pods: a million agent rows). Node
 * writes out what is pending before it exits anyway.
 */
async function execute(args: string[], loadOptions: LoadOptions): Promise<void> {
  try {
    await oclifRun(args, loadOptions);
  } catch (e) {
    await handle(e as Error);
  }
}

export async function run(argv: string[], root: string): Promise<void> {
  await execute(argv, root);
}

/**
 * As the kubectl plugin (`kubectl k8sm ...`, bin/kubectl-k8sm.js): help and errors name the command
 * `kubectl k8sm` (oclif's bin, and the program name of error lines); kubectl's global flags are
 * passed through (src/lib/kubectl-plugin.ts). `root` is the package folder.
 */
export async function runPlugin(argv: string[], root: string): Promise<void> {
  const name = 'kubectl k8sm';
  setProgramName(name);
  const dir = fileURLToPath(root);
  const pjson = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { oclif?: Record<string, unknown> };
  pjson.oclif = { ...pjson.oclif, bin: name };
  await execute(pluginArgv(argv, COMMANDS), { root: dir, pjson: pjson as never });
}

/** Man pages for `npm run man` (scripts/gen-man.mjs); loaded lazily, never at start-up. */
export async function manPages(version: string): Promise<Map<string, string>> {
  const { k8smctlManPages } = await import('./lib/man/k8smctl-man.js');
  return k8smctlManPages(COMMANDS, version);
}
