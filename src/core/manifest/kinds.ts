import type { ManifestResource } from './resource.js';
import { isCoreService, podLayoutOf, POD_BEARING_KINDS } from './pod-template.js';

export { POD_BEARING_KINDS };

/**
 * Kinds whose objects `validate` reads, by name alone: the built-in pod-bearing kinds (pod-template.ts)
 * and Service. `readAs` decides for an object, by API group and kind.
 */
export function isReadKind(kind: string): boolean {
  return POD_BEARING_KINDS.has(kind) || kind === 'Service';
}

/**
 * How `validate` reads an object: a Kubernetes Service, a pod-bearing kind of Kubernetes (matched by
 * API group and kind: `apps.kruise.io` StatefulSet is not `apps` StatefulSet), a custom resource that
 * carries a pod (Argo Rollout, Knative Service, or any with `spec.template.spec.containers` of the pod
 * shape), or not at all (counted as skipped).
 */
export function readAs(r: ManifestResource): 'service' | 'pod' | 'custom' | undefined {
  if (isCoreService(r)) return 'service';
  const l = podLayoutOf(r);
  if (l === undefined) return undefined;
  return l.custom ? 'custom' : 'pod';
}
