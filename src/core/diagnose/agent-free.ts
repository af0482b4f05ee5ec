import type { AgentResources } from '../k8sm/agent.js';
import { canonicalRole } from '../k8sm/roles.js';
import { ANY_ROLE, emptyResources, roundScalar } from '../mesos/resources.js';
import type { AgentSnapshot, OfferSnapshot, Resources, TaskSnapshot } from '../mesos/snapshot.js';
import { isLiveTask } from '../mesos/task-state.js';
import { intersectPortRanges, normalizePortRanges, portInRanges, subtractPortRanges, type PortRange } from '../ports/port-range.js';

/**
 * What one agent has FREE for the k8sm framework, per Mesos role, as `fitPodOnAgent` reads it:
 * each role's share of the agent (its reservation; `*` the unreserved part) minus what running
 * tasks and executors use there, minus what is on offer to OTHER frameworks (the k8sm framework's
 * own offers are resources it holds, so they count as free for it). Ports that tasks or other
 * frameworks' offers hold are listed apart, so that a host port there reads "in use", not "not
 * offered".
 */
export interface AgentFree {
  resources: Omit<AgentResources, 'executorRunning' | 'node'>;
  /** Roles whose share of the agent is not empty (total, not free): the roles it has resources for. */
  roles: ReadonlyArray<string>;
}

function add(a: Resources, b: Resources): Resources {
  return {
    cpus: roundScalar(a.cpus + b.cpus),
    mem: roundScalar(a.mem + b.mem),
    disk: roundScalar(a.disk + b.disk),
    gpus: roundScalar(a.gpus + b.gpus),
    ports: normalizePortRanges([...a.ports, ...b.ports]),
  };
}

function byCanonicalRole(m: Readonly<Record<string, Resources>>): Map<string, Resources> {
  const out = new Map<string, Resources>();
  for (const role in m) {
    const c = canonicalRole(role);
    const had = out.get(c);
    out.set(c, had ? add(had, m[role]!) : m[role]!);
  }
  return out;
}

/** Each role's share of the agent: `*` = unreserved, others = reservations. */
export function agentTotalsByRole(a: AgentSnapshot): Map<string, Resources> {
  const out = byCanonicalRole(a.reserved);
  const star = out.get(ANY_ROLE);
  out.set(ANY_ROLE, star ? add(star, a.unreserved) : a.unreserved);
  return out;
}

/**
 * What the agent's tasks and executors use, per reservation role: exact when the master says
 * (GET_STATE `allocated_resources`, `used_resources_full`); otherwise (the model `/state` has no
 * split) the unreserved part is taken to be used first, then the reservations in name order.
 */
function usedByRole(a: AgentSnapshot, totals: Map<string, Resources>): Map<string, Resources> {
  if (a.usedByRole) return byCanonicalRole(a.usedByRole);
  const out = new Map<string, Resources>();
  const order = [ANY_ROLE, ...[...totals.keys()].filter((r) => r !== ANY_ROLE).sort()];
  let cpus = a.used.cpus;
  let mem = a.used.mem;
  for (const role of order) {
    const t = totals.get(role) ?? emptyResources();
    const last = role === order[order.length - 1];
    const c = last ? cpus : Math.min(cpus, t.cpus);
    const m = last ? mem : Math.min(mem, t.mem);
    cpus -= c;
    mem -= m;
    out.set(role, { cpus: c, mem: m, disk: 0, gpus: 0, ports: intersectPortRanges(t.ports, a.used.ports) });
  }
  return out;
}

function offeredToOthersByRole(offers: ReadonlyArray<OfferSnapshot>): { byRole: Map<string, Resources>; ports: PortRange[] } {
  const byRole = new Map<string, Resources>();
  let ports: PortRange[] = [];
  for (const o of offers) {
    const split = o.byRole ?? { [ANY_ROLE]: o.resources };
    for (const [role, r] of byCanonicalRole(split)) {
      const had = byRole.get(role);
      byRole.set(role, had ? add(had, r) : r);
    }
    ports = [...ports, ...o.resources.ports];
  }
  return { byRole, ports: normalizePortRanges(ports) };
}

const nonNegative = (x: number): number => Math.max(0, roundScalar(x));

/** `offersToOthers`: the agent's outstanding offers to frameworks other than k8sm's. */
export function agentFree(a: AgentSnapshot, offersToOthers: ReadonlyArray<OfferSnapshot>): AgentFree {
  const totals = agentTotalsByRole(a);
  const used = usedByRole(a, totals);
  const offered = offeredToOthersByRole(offersToOthers);
  const held = normalizePortRanges([...a.used.ports, ...offered.ports]);
  const cpus: Record<string, number> = {};
  const mem: Record<string, number> = {};
  const ports: Record<string, PortRange[]> = {};
  const inUse: Record<string, PortRange[]> = {};
  const roles: string[] = [];
  for (const [role, t] of totals) {
    if (t.cpus > 0 || t.mem > 0 || t.ports.length > 0) roles.push(role);
    const u = used.get(role);
    const o = offered.byRole.get(role);
    cpus[role] = nonNegative(t.cpus - (u?.cpus ?? 0) - (o?.cpus ?? 0));
    mem[role] = nonNegative(t.mem - (u?.mem ?? 0) - (o?.mem ?? 0));
    const own = normalizePortRanges(t.ports);
    ports[role] = subtractPortRanges(own, held);
    const busy = intersectPortRanges(own, held);
    if (busy.length > 0) inUse[role] = busy;
  }
  return {
    resources: { cpus: { byRole: cpus }, mem: { byRole: mem }, ports: { byRole: ports }, portsInUse: { byRole: inUse } },
    roles,
  };
}

/** Who holds a port of an agent: a live task, or an offer to another framework. */
export type PortHolder = { kind: 'task'; task: TaskSnapshot } | { kind: 'offer'; offer: OfferSnapshot };

export function portHolder(port: number, tasksOnAgent: ReadonlyArray<TaskSnapshot>, offersToOthers: ReadonlyArray<OfferSnapshot>): PortHolder | undefined {
  for (const t of tasksOnAgent) if (isLiveTask(t) && portInRanges(normalizePortRanges(t.resources.ports), port)) return { kind: 'task', task: t };
  for (const o of offersToOthers) if (portInRanges(normalizePortRanges(o.resources.ports), port)) return { kind: 'offer', offer: o };
  return undefined;
}
