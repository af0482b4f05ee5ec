/** How k8sm's pieces look from Mesos (reference §1.1, §2.1). */

/** `ExecutorInfo.name` of every k8sm executor. */
export const K8SM_EXECUTOR_NAME = 'Kubelet-Executor';
/** Suffix of k8sm executor IDs: `<crc64 hex>_k8sm-executor`. */
export const K8SM_EXECUTOR_ID_SUFFIX = '_k8sm-executor';
/** The scheduler's `--framework-name` default. */
export const DEFAULT_K8SM_FRAMEWORK_NAME = 'Kubernetes';

export function isK8smExecutor(name: string | undefined, id: string | undefined): boolean {
  return name === K8SM_EXECUTOR_NAME || (id !== undefined && id.endsWith(K8SM_EXECUTOR_ID_SUFFIX));
}
