// Jest globalSetup of the e2e project: start the test stack once for the whole run, or reuse a running
// one when K8SMCTL_STACK names its stack.json (e.g. `K8SMCTL_STACK=.stack/stack.json` after
// `npm run stack:up`). Tests find it through K8SMCTL_STACK (see helpers/stack.ts); global-teardown
// stops only a stack started here.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadStack, projectRoot } from '../stack/load.mjs';

export const STARTED_KEY = '__K8SMCTL_E2E_STACK__';

export default async function globalSetup() {
  const stack = await loadStack();
  const given = process.env.K8SMCTL_STACK;
  if (given) {
    const file = resolve(given);
    if (!existsSync(file)) throw new Error(`K8SMCTL_STACK=${given}: no such file; start a stack with npm run stack:up`);
    const info = stack.readStackInfo(file);
    const st = stack.isStarting(info) ? { up: false, checks: {} } : await stack.stackStatus(info);
    if (!st.up) {
      const down = Object.entries(st.checks)
        .filter(([, ok]) => !ok)
        .map(([k]) => k);
      throw new Error(
        `K8SMCTL_STACK=${given}: the stack is not healthy${down.length ? ` (${down.join(', ')} not answering)` : ''}; restart it with npm run stack:down && npm run stack:up`,
      );
    }
    process.env.K8SMCTL_STACK = file;
    return;
  }
  const verbose = process.env.K8SMCTL_STACK_VERBOSE === '1';
  // Known before the start, so that an interrupted start (Ctrl-C) can be cleaned up from the partial
  // description startStack keeps there.
  const infoFile = join(tmpdir(), `k8smctl-e2e-stack-${process.pid}.json`);
  // Interrupted runs (Ctrl-C) do not reach globalTeardown: stop the stack on the way out.
  const emergencyStop = () => {
    try {
      execFileSync(process.execPath, [join(projectRoot, 'test', 'stack', 'cli.mjs'), 'down', '--info', infoFile], { stdio: 'ignore', timeout: 60_000 });
    } catch {
      /* best effort */
    }
    rmSync(infoFile, { force: true });
  };
  const onSignal = (sig) => {
    emergencyStop();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let info;
  try {
    info = await stack.startStack({
      agents: Number(process.env.K8SMCTL_STACK_AGENTS ?? 3),
      projectRoot,
      infoFile,
      log: verbose ? (l) => process.stderr.write(`[stack] ${l}\n`) : undefined,
    });
  } catch (e) {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    throw e;
  }
  process.stderr.write(`\n[e2e] test stack up in ${(info.startMs / 1000).toFixed(1)} s: ${info.infoFile}\n`);
  process.env.K8SMCTL_STACK = info.infoFile;
  globalThis[STARTED_KEY] = { info, onSignal, stopStack: stack.stopStack };
}
