/** Helpers for e2e tests: the running stack, the built CLI, the apiserver. */
export { mesosMaster, stack, stackEnv, type KubeUserName, type MasterForm, type StackInfo } from './stack.js';
export { baseEnv, cliBin, projectRoot, runCli, runProcess, type RunOptions, type RunResult } from './run-cli.js';
export { KUBECTL, kubeApi, kubectl, type KubeResponse } from './kube.js';
export { kubeAccess, simControl } from './mesos.js';
