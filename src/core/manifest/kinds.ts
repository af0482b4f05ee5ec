import type { ManifestResource } from './resource.js';
import { apiGroup, isCoreService, podLayoutOf, POD_BEARING_KINDS } from './pod-template.js';

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

/**
 * What makes two definitions the same object for the apiserver (and for `kubectl apply`): API group,
 * kind, namespace and name. Undefined for objects without a name (`generateName` makes a new one each time).
 */
export function objectIdentity(r: Pick<ManifestResource, 'apiVersion' | 'kind' | 'namespace' | 'name' | 'object'>): string | undefined {
  const meta = r.object.metadata;
  if (typeof meta !== 'object' || meta === null || typeof (meta as Record<string, unknown>).name !== 'string' || r.name === '') return undefined;
  return `${apiGroup(r.apiVersion)}\u0000${r.kind}\u0000${r.namespace || 'default'}\u0000${r.name}`;
}
