/**
 * Kinds `k8smctl validate` reads. Every kind that carries a pod (and so can run on k8sm), plus
 * Service (for the endpoint rule). Everything else is counted as skipped by the caller.
 * `ScheduledJob` is CronJob's name in batch/v2alpha1 (Kubernetes 1.4/1.5, the versions k8sm ran with).
 */
export const POD_BEARING_KINDS: ReadonlySet<string> = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'DaemonSet',
  'StatefulSet',
  'Job',
  'CronJob',
  'ScheduledJob',
  'PodTemplate',
]);

/** Kinds whose objects `validate` reads: the pod-bearing kinds and Service. */
export function isReadKind(kind: string): boolean {
  return POD_BEARING_KINDS.has(kind) || kind === 'Service';
}
