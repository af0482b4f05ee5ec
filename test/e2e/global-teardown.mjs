// Jest globalTeardown of the e2e project: stop the test stack global-setup started (a stack reused
// through K8SMCTL_STACK is left running).
import { rmSync } from 'node:fs';

const STARTED_KEY = '__K8SMCTL_E2E_STACK__';

export default async function globalTeardown() {
  const started = globalThis[STARTED_KEY];
  if (!started) return;
  delete globalThis[STARTED_KEY];
  process.removeListener('SIGINT', started.onSignal);
  process.removeListener('SIGTERM', started.onSignal);
  const r = await started.stopStack(started.info);
  rmSync(started.info.infoFile, { force: true });
  if (!r.removed) process.stderr.write(`[e2e] warning: ${started.info.dir} was not removed\n`);
  delete process.env.K8SMCTL_STACK;
}
