import { k8smPod } from '../../../src/core/k8sm/fit.js';
import { k8smScheduler, type K8smScheduler } from '../../../src/core/k8sm/scheduler.js';
import { portMappingFor, type SchedulerSettings } from '../../../src/core/k8sm/settings.js';
import { parseOffer, type SchedOffer } from '../../../src/core/scheduler/offers.js';
import type { PendingPod } from '../../../src/core/scheduler/placement.js';
import { parsePortRanges } from '../../../src/core/ports/port-range.js';

export const SETTINGS: SchedulerSettings = {
  frameworkRoles: ['*'],
  defaultPodRoles: ['*'],
  portMapping: portMappingFor(true),
  executorCpus: 0.25,
  executorMem: 128,
  defaultContainerCpu: 0.25,
  defaultContainerMem: 64,
};

export function scheduler(over: Partial<SchedulerSettings> = {}): K8smScheduler {
  return k8smScheduler({ ...SETTINGS, ...over });
}

export interface OfferSpec {
  id: string;
  host: string;
  agent?: string;
  /** Per role: cpus, mem, ports ("[31000-31010]"). */
  roles?: Record<string, { cpus?: number; mem?: number; ports?: string }>;
  cpus?: number;
  mem?: number;
  ports?: string;
  executorIds?: string[];
  attributes?: Record<string, string | number>;
}

/** A v1 Offer JSON as a master sends it to a framework without RESERVATION_REFINEMENT (legacy `role`). */
export function offerJson(s: OfferSpec): Record<string, unknown> {
  const roles = s.roles ?? { '*': { cpus: s.cpus ?? 4, mem: s.mem ?? 4096, ports: s.ports ?? '[31000-31099]' } };
  const resources: Record<string, unknown>[] = [];
  for (const [role, r] of Object.entries(roles)) {
    const alloc = { allocation_info: { role: '*' }, role, ...(role !== '*' ? { reservation: {} } : {}) };
    if (r.cpus !== undefined) resources.push({ name: 'cpus', type: 'SCALAR', scalar: { value: r.cpus }, ...alloc });
    if (r.mem !== undefined) resources.push({ name: 'mem', type: 'SCALAR', scalar: { value: r.mem }, ...alloc });
    if (r.ports !== undefined) resources.push({ name: 'ports', type: 'RANGES', ranges: { range: parsePortRanges(r.ports) }, ...alloc });
  }
  return {
    id: { value: s.id },
    framework_id: { value: 'fw-1' },
    agent_id: { value: s.agent ?? `agent-${s.host}` },
    hostname: s.host,
    resources,
    attributes: Object.entries(s.attributes ?? {}).map(([name, v]) =>
      typeof v === 'number' ? { name, type: 'SCALAR', scalar: { value: v } } : { name, type: 'TEXT', text: { value: v } },
    ),
    executor_ids: (s.executorIds ?? []).map((value) => ({ value })),
    allocation_info: { role: '*' },
  };
}

export function offer(s: OfferSpec): SchedOffer {
  return parseOffer(offerJson(s))!;
}

export interface PodSpecLite {
  name: string;
  namespace?: string;
  owner?: string;
  cpu?: string;
  mem?: string;
  hostPorts?: number[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  nodeName?: string;
}

export function podJson(p: PodSpecLite): Record<string, unknown> {
  const limits: Record<string, string> = {};
  if (p.cpu) limits.cpu = p.cpu;
  if (p.mem) limits.memory = p.mem;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace ?? 'default',
      uid: `uid-${p.name}`,
      ...(p.labels ? { labels: p.labels } : {}),
      ...(p.annotations ? { annotations: p.annotations } : {}),
      ...(p.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: p.owner, uid: p.owner, controller: true }] } : {}),
    },
    spec: {
      ...(p.nodeSelector ? { nodeSelector: p.nodeSelector } : {}),
      ...(p.nodeName ? { nodeName: p.nodeName } : {}),
      containers: [
        {
          name: 'c',
          image: 'nginx',
          ...(Object.keys(limits).length ? { resources: { limits } } : {}),
          ...(p.hostPorts ? { ports: p.hostPorts.map((hostPort, i) => ({ containerPort: 8000 + i, hostPort, name: `p${i}` })) } : {}),
        },
      ],
    },
    status: { phase: 'Pending' },
  };
}

export function pending(p: PodSpecLite, s: K8smScheduler): PendingPod & { json: Record<string, unknown> } {
  const json = podJson(p);
  return { key: `${p.namespace ?? 'default'}/${p.name}`, ...(p.owner ? { owner: p.owner } : {}), kp: k8smPod(json, s), json };
}
