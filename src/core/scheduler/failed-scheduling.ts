import { diagnosePod } from '../diagnose/pod.js';
import { DIAGNOSE_DEFAULTS, type NodeObject, type PodObject } from '../diagnose/model.js';
import type { K8smScheduler } from '../k8sm/scheduler.js';
import type { AttributeValue } from '../k8sm/node-labels.js';
import { ANY_ROLE, emptyResources } from '../mesos/resources.js';
import type { AgentSnapshot, ClusterSnapshot, ExecutorSnapshot, Resources } from '../mesos/snapshot.js';
import { normalizePortRanges, type PortRange } from '../ports/port-range.js';
import { EXECUTOR_NAME } from './executor.js';

/**
 * The `FailedScheduling` event's message: the per-agent reasons and numbers `diagnose` gives
 * (src/core/diagnose, not a second wording), for what the scheduler last saw of each agent (what
 * was left of its last offers after placement), never "no suitable offers" alone.
 */

/** What the scheduler last saw free on one agent. */
export interface AgentView {
  readonly agentId: string;
  readonly hostname: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly cpus: Readonly<Record<string, number>>;
  readonly mem: Readonly<Record<string, number>>;
  readonly ports: Readonly<Record<string, ReadonlyArray<PortRange>>>;
  /** Executors of this framework on the agent (from the offer). */
  readonly executorIds: ReadonlyArray<string>;
}

export interface FailedSchedulingSettings {
  readonly scheduler: K8smScheduler;
  readonly frameworkName: string;
  readonly frameworkId: string;
  readonly executorId: string;
  readonly roles: ReadonlyArray<string>;
}

/** Kubernetes keeps an event message to 1 KiB in practice; longer ones are cut with an ellipsis. */
export const EVENT_MESSAGE_MAX = 1024;

function resourcesOf(v: AgentView, role: string): Resources {
  return { ...emptyResources(), cpus: v.cpus[role] ?? 0, mem: v.mem[role] ?? 0, ports: normalizePortRanges(v.ports[role] ?? []) };
}

function agentSnapshot(v: AgentView): AgentSnapshot {
  const roles = new Set([...Object.keys(v.cpus), ...Object.keys(v.mem), ...Object.keys(v.ports)]);
  const reserved: Record<string, Resources> = {};
  for (const r of roles) if (r !== ANY_ROLE) reserved[r] = resourcesOf(v, r);
  const unreserved = resourcesOf(v, ANY_ROLE);
  const total = { ...emptyResources() };
  const all = [unreserved, ...Object.values(reserved)];
  for (const r of all) {
    total.cpus += r.cpus;
    total.mem += r.mem;
  }
  total.ports = normalizePortRanges(all.flatMap((r) => r.ports));
  const portsByRole: Record<string, PortRange[]> = {};
  for (const r of roles) portsByRole[r] = normalizePortRanges(v.ports[r] ?? []);
  return {
    id: v.agentId,
    hostname: v.hostname,
    pid: '',
    active: true,
    attributes: { ...v.attributes },
    total,
    used: emptyResources(),
    offered: emptyResources(),
    reserved,
    unreserved,
    free: total,
    portsByRole,
    k8smExecutors: [],
  };
}

/** `0/3 agents can run it: 2 insufficient cpu (needs 2, at most 1.5 free), 1 host port 80 not offered (...)`. */
export function failedSchedulingMessage(
  pod: PodObject,
  agents: ReadonlyArray<AgentView>,
  nodes: ReadonlyArray<NodeObject> | undefined,
  s: FailedSchedulingSettings,
  now: number,
): string {
  const executors: ExecutorSnapshot[] = agents.flatMap((a) =>
    a.executorIds.map((id) => ({ id, name: EXECUTOR_NAME, frameworkId: s.frameworkId, agentId: a.agentId, taskIds: [], isK8sm: true })),
  );
  const zero = emptyResources();
  const mesos: ClusterSnapshot = {
    master: { url: '' },
    agents: agents.map(agentSnapshot),
    frameworks: [
      {
        id: s.frameworkId,
        name: s.frameworkName,
        roles: [...s.roles],
        active: true,
        connected: true,
        used: zero,
        offered: zero,
        taskCount: 0,
        offerCount: 0,
        isK8sm: true,
        completed: false,
      },
    ],
    tasks: [],
    executors,
    fetchedAt: new Date(now).toISOString(),
    warnings: [],
    offers: [],
  };
  const d = diagnosePod(
    { ...pod, metadata: { ...pod.metadata, creationTimestamp: undefined }, status: { ...pod.status, phase: 'Pending' } },
    { mesos, pods: [pod], events: undefined, nodes },
    {
      scheduler: s.scheduler,
      frameworkName: s.frameworkName,
      stuckAfterMs: 0,
      launchGraceMs: DIAGNOSE_DEFAULTS.launchGraceMs,
      offerTtlMs: DIAGNOSE_DEFAULTS.offerTtlMs,
      executorId: s.executorId,
    },
    now,
  );
  const msg = d.summary;
  return msg.length > EVENT_MESSAGE_MAX ? `${msg.slice(0, EVENT_MESSAGE_MAX - 1)}…` : msg;
}
