import type { AgentSnapshot, ClusterSnapshot } from '../mesos/snapshot.js';
import { countPorts, formatPortRanges, type PortRange } from '../ports/port-range.js';
import { compareStrings } from '../compare.js';
import { isLiveTask } from '../mesos/task-state.js';
import { agentHasName, agentNames, lookupAgent } from './agent-names.js';

export { isLiveTask };

/** One agent as `k8smctl get agents` shows it. */
export interface AgentView {
  agent: AgentSnapshot;
  /** The name `-o name` prints and `describe agent` takes: the hostname, `hostname:port` where a hostname is shared. */
  name: string;
  hostname: string;
  id: string;
  active: boolean;
  cpus: { used: number; total: number };
  mem: { used: number; total: number };
  /** `offered`: the ranges per role, reserved ones marked with their role (`[80-80, 443-443] (reserved to public)`). */
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

/** `rack=r1,zone=a`: attributes sorted by name. */
export function formatAttributes(attrs: Record<string, string | number>): string {
  return Object.keys(attrs)
    .sort()
    .map((k) => `${k}=${attrs[k]}`)
    .join(',');
}

/**
 * Offered ports by role: the unreserved ranges as they are, each role's reserved ranges followed by
 * `(reserved to <role>)`, so that ports nobody else can use never look like ordinary free ports.
 */
export function formatPortsByRole(portsByRole: Readonly<Record<string, ReadonlyArray<PortRange>>>): string {
  const roles = Object.keys(portsByRole).sort((a, b) => Number(b === '*') - Number(a === '*') || compareStrings(a, b));
  const parts = roles
    .filter((r) => portsByRole[r]!.length)
    .map((r) => (r === '*' ? formatPortRanges(portsByRole[r]!) : `${formatPortRanges(portsByRole[r]!)} (reserved to ${r})`));
  return parts.length ? parts.join('; ') : formatPortRanges([]);
}

export function agentViews(snap: ClusterSnapshot): AgentView[] {
  const names = agentNames(snap.agents);
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
        name: names.get(a.id) ?? a.hostname,
        hostname: a.hostname,
        id: a.id,
        active: a.active,
        cpus: { used: a.used.cpus, total: a.total.cpus },
        mem: { used: a.used.mem, total: a.total.mem },
        ports: { used, free: countPorts(a.free.ports), total, freeRanges: formatPortRanges(a.free.ports), offered: formatPortsByRole(a.portsByRole) },
        attributes: formatAttributes(a.attributes),
        k8smExecutors: a.k8smExecutors.map((e) => e.id),
        k8smTasks: k8smTasks.get(a.id) ?? 0,
        ...(a.detail ? { reachable: a.detail.reachable } : {}),
        ...(a.detail?.error ? { unreachableReason: a.detail.error } : {}),
        ...(a.detail?.flags?.executor_shutdown_grace_period ? { shutdownGrace: a.detail.flags.executor_shutdown_grace_period } : {}),
      };
    })
    .sort((x, y) => compareStrings(x.name, y.name) || compareStrings(x.id, y.id));
}

/**
 * Finds an agent by id, `hostname:port`, hostname, or unique hostname prefix; a hostname two agents
 * share is ambiguous (the candidates are their `hostname:port` names with their ids).
 */
export function findAgent(snap: ClusterSnapshot, name: string): { agent?: AgentSnapshot; candidates: string[] } {
  return lookupAgent(snap.agents, name);
}

/**
 * The agents named on the command line (hostname, `hostname:port` or id, in table order) and the
 * names that match none; every agent when no name is given.
 */
export function selectAgents(views: ReadonlyArray<AgentView>, names: ReadonlyArray<string>): { views: AgentView[]; missing: string[] } {
  if (names.length === 0) return { views: [...views], missing: [] };
  return {
    views: views.filter((v) => names.some((n) => agentHasName(v.agent, n))),
    missing: names.filter((n) => !views.some((v) => agentHasName(v.agent, n))),
  };
}
