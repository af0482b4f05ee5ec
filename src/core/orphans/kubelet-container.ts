/**
 * How a kubelet (k8s 1.5 dockertools, as k8sm's executor ran it) names and labels its Docker
 * containers, and the k8sm executor's marker (reference §1.15, §3.2).
 */
import type { ContainerPod, KubeletContainer } from './types.js';

/** The env var the k8sm executor puts in every pod container (and the infra one): its Mesos container ID. */
export const EXECUTOR_MARKER_ENV = 'MESOS_EXECUTOR_CONTAINER_UUID';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const GRACE_PERIOD_LABEL = 'io.kubernetes.pod.terminationGracePeriod';
export const PORTS_LABEL = 'io.kubernetes.container.ports';
/** Kubernetes' default terminationGracePeriodSeconds. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

/** A container the kubelet made: first name `k8s_*` or the pod-uid label. */
export function isKubeletContainer(name: string, labels: Readonly<Record<string, string>> | null | undefined): boolean {
  return name.replace(/^\//, '').startsWith('k8s_') || (labels != null && Object.hasOwn(labels, POD_UID_LABEL));
}

/** `k8s_<container>.<hash>_<pod>_<ns>_<uid>_<rand>` (≥ 6 fields split on `_`). */
export function parseKubeletName(name: string): (ContainerPod & { container: string }) | undefined {
  const parts = name.replace(/^\//, '').split('_');
  if (parts.length < 6 || parts[0] !== 'k8s') return undefined;
  const container = (parts[1] ?? '').split('.')[0] ?? '';
  return { container, name: parts[2]!, namespace: parts[3]!, uid: parts[4]! };
}

/** The pod of a container: from its labels, else from its name. */
export function podOfContainer(c: Pick<KubeletContainer, 'name' | 'labels'>): ContainerPod | undefined {
  const name = c.labels[POD_NAME_LABEL];
  const namespace = c.labels[POD_NAMESPACE_LABEL];
  const uid = c.labels[POD_UID_LABEL];
  if (name && namespace) return { name, namespace, ...(uid ? { uid } : {}) };
  const parsed = parseKubeletName(c.name);
  return parsed ? { name: parsed.name, namespace: parsed.namespace, uid: parsed.uid } : undefined;
}

/** The executor marker in an env list (`K=V`); the last definition wins, as in a process env. */
export function markerOf(env: readonly string[] | undefined): string | undefined {
  if (!env) return undefined;
  let v: string | undefined;
  for (const e of env) if (e.startsWith(`${EXECUTOR_MARKER_ENV}=`)) v = e.slice(EXECUTOR_MARKER_ENV.length + 1);
  return v ? v : undefined;
}

/** The pod's grace period from the container's label, else 30 s. */
export function gracePeriodOf(labels: Readonly<Record<string, string>>): number {
  const v = labels[GRACE_PERIOD_LABEL];
  if (v !== undefined && /^\d+$/.test(v.trim())) return Number(v.trim());
  return DEFAULT_GRACE_PERIOD_SECONDS;
}

/** Host ports a container's ports label names (running containers hold them). */
export function hostPortsOf(labels: Readonly<Record<string, string>>): number[] {
  const raw = labels[PORTS_LABEL];
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const out = new Set<number>();
  for (const p of parsed) {
    const hp = (p as { hostPort?: unknown } | null)?.hostPort;
    if (typeof hp === 'number' && Number.isInteger(hp) && hp > 0) out.add(hp);
  }
  return [...out].sort((a, b) => a - b);
}
