/**
 * The running test stack, as the e2e global setup (or `npm run stack:up` + K8SMCTL_STACK) describes it.
 *
 *   const s = stack();
 *   await runCli(['get', 'agents'], { env: stackEnv() });
 */
import { readFileSync } from 'node:fs';
import type { StackInfo } from '../../stack/types.js';

export type { StackInfo } from '../../stack/types.js';

let cached: { file: string; info: StackInfo } | undefined;

/** The StackInfo of the stack the e2e run uses (from the file K8SMCTL_STACK names). */
export function stack(): StackInfo {
  const file = process.env.K8SMCTL_STACK;
  if (!file) {
    throw new Error(
      'K8SMCTL_STACK is not set: run e2e tests through the e2e jest project (its global setup starts the stack), ' +
        'or point K8SMCTL_STACK at a stack.json from `npm run stack:up`',
    );
  }
  if (cached?.file !== file) {
    const info = JSON.parse(readFileSync(file, 'utf8')) as StackInfo & { state?: string };
    if (info.state === 'starting' || !info.kube) throw new Error(`${file}: the stack has not finished starting`);
    cached = { file, info };
  }
  return cached.info;
}

export type KubeUserName = 'admin' | 'limited';
export type MasterForm = 'leader' | 'list' | 'zk';

/** The Mesos master as a user would give it: the leader URL, the comma list with the standby, or zk://. */
export function mesosMaster(form: MasterForm = 'leader', info: StackInfo = stack()): string {
  if (!info.mesos) throw new Error('this stack runs without the Mesos simulator');
  return form === 'leader' ? info.mesos.leaderUrl : form === 'list' ? info.mesos.masterList : info.mesos.zkUrl;
}

/**
 * Environment for running k8smctl against the stack: KUBECONFIG (the combined file with the user's
 * context current, or that user's own file) and MESOS_MASTER in the chosen form.
 */
export function stackEnv(opts: { user?: KubeUserName; master?: MasterForm } = {}): Record<string, string> {
  const info = stack();
  const env: Record<string, string> = {
    KUBECONFIG: opts.user ? info.kube[opts.user].kubeconfig : info.kube.kubeconfig,
  };
  if (info.mesos) env.MESOS_MASTER = mesosMaster(opts.master ?? 'leader', info);
  return env;
}
