import type { AgentSnapshot, ClusterSnapshot, TaskSnapshot } from '../mesos/snapshot.js';
import { countPorts, formatPortRanges } from '../ports/port-range.js';
import { compareStrings } from '../compare.js';

/** One agent as `k8smctl get agents` shows it. */
export interface AgentView {
  agent: AgentSnapshot;
  hostname: string;
  id: string;
  active: boolean;
  cpus: { used: number; total: number };
  mem: { used: number; total: number };
  ports: { used: number; free: number; total: number; freeRanges: string; offered: string };
  attributes: string;
  /** k8sm executors running there (ids). */
  k8smExecutors: string[];
  /** Tasks of k8sm frameworks on this agent (running or staging). */
  k8smTasks: number;
  /** Agent answered its own endpoints (undefined when it was not asked). */
  reachable?: boolean;
  unreachableReason?: string;
  /** executor_shutdown_grace_period from the agent's flags, when asked. */
  shutdownGrace?: string;
}

const LIVE_TASK_STATES = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE']);

export function isLiveTask(t: TaskSnapshot): boolean {
  return t.list === 'tasks' && LIVE_TASK_STATES.has(t.state);
}

/** `rack=r1,zone=a`: attributes sorted by name. */
export function formatAttributes(attrs: Record<string, string | number>): string {
  return Object.keys(attrs)
    .sort()
    .map((k) => `${k}=${attrs[k]}`)
    .join(',');
}

export function agentViews(snap: ClusterSnapshot): AgentView[] {
  const k8smFrameworks = new Set(snap.frameworks.filter((f) => f.isK8sm).map((f) => f.id));
  const k8smTasks = new Map<string, number>();
  for (const t of snap.tasks) {
    if (!isLiveTask(t) || !k8smFrameworks.has(t.frameworkId)) continue;
    k8smTasks.set(t.agentId, (k8smTasks.get(t.agentId) ?? 0) + 1);
  }
  return snap.agents
    .map((a): AgentView => {
      const total = countPorts(a.total.ports);
      const used = countPorts(a.used.ports);
      return {
        agent: a,
        hostname: a.hostname,
        id: a.id,
        active: a.active,
        cpus: { used: a.used.cpus, total: a.total.cpus },
        mem: { used: a.used.mem, total: a.total.mem },
        ports: { used, free: countPorts(a.free.ports), total, freeRanges: formatPortRanges(a.free.ports), offered: formatPortRanges(a.total.ports) },
        attributes: formatAttributes(a.attributes),
        k8smExecutors: a.k8smExecutors.map((e) => e.id),
        k8smTasks: k8smTasks.get(a.id) ?? 0,
        ...(a.detail ? { reachable: a.detail.reachable } : {}),
        ...(a.detail?.error ? { unreachableReason: a.detail.error } : {}),
        ...(a.detail?.flags?.executor_shutdown_grace_period ? { shutdownGrace: a.detail.flags.executor_shutdown_grace_period } : {}),
      };
    })
    .sort((x, y) => compareStrings(x.hostname, y.hostname) || compareStrings(x.id, y.id));
}

/** Finds an agent by hostname or id (exact), or by a unique hostname prefix. */
export function findAgent(snap: ClusterSnapshot, name: string): { agent?: AgentSnapshot; candidates: string[] } {
  const exact = snap.agents.filter((a) => a.hostname === name || a.id === name);
  if (exact.length === 1) return { agent: exact[0]!, candidates: [] };
  if (exact.length > 1) return { candidates: exact.map((a) => `${a.hostname} (${a.id})`) };
  const prefix = snap.agents.filter((a) => a.hostname.startsWith(name));
  if (prefix.length === 1) return { agent: prefix[0]!, candidates: [] };
  return { candidates: prefix.map((a) => a.hostname) };
}

/**
 * The agents named on the command line (hostname or id, in table order) and the names that match
 * none; every agent when no name is given.
 */
export function selectAgents(views: ReadonlyArray<AgentView>, names: ReadonlyArray<string>): { views: AgentView[]; missing: string[] } {
  if (names.length === 0) return { views: [...views], missing: [] };
  const wanted = new Set(names);
  return {
    views: views.filter((v) => wanted.has(v.hostname) || wanted.has(v.id)),
    missing: names.filter((n) => !views.some((v) => v.hostname === n || v.id === n)),
  };
}
