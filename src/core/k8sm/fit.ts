import { asRecord, asStringMap } from '../json-shapes.js';
import { amountOf, type AgentResources, type PerRole } from './agent.js';
import { allocateHostPorts, hostPortDemand, hostPortReasons, portOffer, type DeclaredHostPorts, type HostPortReason } from './host-ports.js';
import { scanPodSpec, type ContainerPort } from './pod-spec.js';
import { roundSum, type ContainerDemand, type InvalidQuantity, type PodResourceDemand } from './resources.js';
import { podRoles, type PodRoles } from './roles.js';
import type { K8smScheduler } from './scheduler.js';
import { podPortMapping, type PortMapping } from './settings.js';

/** The float tolerance of k8sm's procurement (§1.5 step 2), generously. */
const EPSILON = 1e-9;

/** Everything k8sm reads of one pod to place it (reference §1.4–§1.7). */
export interface K8smPod {
  readonly roles: PodRoles;
  readonly mapping: PortMapping;
  /** Every valid port of spec.containers, with its declared hostPort. */
  readonly ports: ReadonlyArray<ContainerPort>;
  readonly hostPorts: DeclaredHostPorts<ContainerPort>;
  readonly resources: PodResourceDemand;
  /** `spec.nodeName` when set (non-empty). */
  readonly nodeName: string | undefined;
  readonly nodeSelector: Readonly<Record<string, string>>;
}

/** Reads a plain Pod, or a pod template (`metadata` + `spec`), as the scheduler does. Never throws. */
export function k8smPod(pod: unknown, scheduler: K8smScheduler): K8smPod {
  const obj = asRecord(pod);
  const meta = asRecord(obj?.metadata);
  const spec = asRecord(obj?.spec);
  const ports: ContainerPort[] = [];
  const containers: ContainerDemand[] = [];
  const invalid: InvalidQuantity[] = [];
  const scan = scanPodSpec(spec, scheduler.demandDefaults, { ports, containers, invalid });
  const nodeName = spec?.nodeName;
  return {
    roles: podRoles(asRecord(meta?.annotations), scheduler),
    mapping: podPortMapping(asRecord(meta?.labels), scheduler.settings.portMapping),
    ports,
    hostPorts: hostPortDemand(ports),
    resources: { cpus: scan.cpus, mem: scan.mem, containers, invalid },
    nodeName: typeof nodeName === 'string' && nodeName !== '' ? nodeName : undefined,
    nodeSelector: asStringMap(spec?.nodeSelector),
  };
}

export interface RoleAmount {
  readonly role: string;
  readonly amount: number;
}

/** Why cpu or memory does not fit (cpu in cores, mem in MB). */
export type ResourceReason =
  /** The pod alone needs more than its roles have free (`byRole`: each of the pod's roles; absent when the split is unknown). */
  | {
      readonly id: 'insufficient-cpu' | 'insufficient-mem';
      readonly resource: 'cpu' | 'mem';
      readonly needed: number;
      readonly free: number;
      readonly byRole?: ReadonlyArray<RoleAmount>;
    }
  /**
   * The pod fits alone, but no executor runs there yet and the executor (with the static pods) does
   * not fit in what the framework roles have left after the pod (§1.5 step 4).
   */
  | {
      readonly id: 'executor-overhead';
      readonly resource: 'cpu' | 'mem';
      readonly needed: number;
      readonly executor: number;
      readonly staticPods: number;
      readonly left: number;
    };

/** Why a pod cannot be placed on an agent (ids are stable). */
export type FitReason =
  /** The pod has no role to take resources from: its roles annotation names none the framework has (§1.7). */
  | { readonly id: 'no-roles'; readonly annotation: string; readonly dropped: ReadonlyArray<string> }
  | HostPortReason
  | ResourceReason
  /** `spec.nodeName` names another host (§1.5 step 1). */
  | { readonly id: 'node-name'; readonly nodeName: string; readonly hostname: string }
  /** A `spec.nodeSelector` entry the agent's Node labels do not match (§1.5 step 1, §1.8). */
  | { readonly id: 'node-selector'; readonly key: string; readonly value: string; readonly actual: string | undefined };

export type FitReasonId = FitReason['id'];

/** What placing the pod takes from the agent. */
export interface PodAllocation {
  /** A host port per container port that consumes one, in declaration order. */
  readonly hostPorts: ReadonlyArray<{ readonly port: ContainerPort; readonly hostPort: number; readonly role: string }>;
  /** The pod's cpus / mem per role, in the order taken (the pod's role order). */
  readonly cpus: ReadonlyArray<RoleAmount>;
  readonly mem: ReadonlyArray<RoleAmount>;
  /** The executor's share, charged from the framework roles when no executor runs there yet. */
  readonly executor: { readonly cpus: ReadonlyArray<RoleAmount>; readonly mem: ReadonlyArray<RoleAmount> } | undefined;
}

export type PodFit = { readonly fits: true; readonly allocation: PodAllocation } | { readonly fits: false; readonly reasons: ReadonlyArray<FitReason> };

const NO_REASONS: ReadonlyArray<never> = Object.freeze([]);

function freeFor(avail: PerRole<number>, roles: ReadonlyArray<string>): number {
  if ('anyRole' in avail) return avail.anyRole;
  let n = 0;
  for (const r of roles) n += amountOf(avail, r);
  return n;
}

function scalarReason(
  resource: 'cpu' | 'mem',
  avail: PerRole<number> | undefined,
  needed: number,
  roles: ReadonlyArray<string>,
  executor: number,
  staticPods: number,
  scheduler: Pick<K8smScheduler, 'frameworkRoles' | 'frameworkRoleSet'>,
): ResourceReason | undefined {
  if (avail === undefined) return undefined;
  const free = freeFor(avail, roles);
  if (needed > free + EPSILON) {
    const id = resource === 'cpu' ? 'insufficient-cpu' : 'insufficient-mem';
    if ('anyRole' in avail) return { id, resource, needed, free };
    return { id, resource, needed, free: roundSum(free), byRole: roles.map((role) => ({ role, amount: amountOf(avail, role) })) };
  }
  if (executor <= 0) return undefined;
  let left: number;
  if ('anyRole' in avail) {
    left = avail.anyRole - needed;
  } else {
    // The pod takes first, in its role order; the executor then takes from the framework roles (§1.5).
    let rest = needed;
    let takenInFramework = 0;
    for (const r of roles) {
      if (rest <= 0) break;
      const t = Math.min(amountOf(avail, r), rest);
      rest -= t;
      if (scheduler.frameworkRoleSet.has(r)) takenInFramework += t;
    }
    left = freeFor(avail, scheduler.frameworkRoles) - takenInFramework;
  }
  if (executor <= left + EPSILON) return undefined;
  return { id: 'executor-overhead', resource, needed, executor, staticPods, left: roundSum(left) };
}

/**
 * Whether the pod's cpu/mem (the sum of its limits, §1.6) fits what the agent has free for its
 * roles, with the executor overhead when no executor runs there (§1.5 steps 2 and 4). A shared
 * empty array when it fits.
 */
export function resourceReasons(
  need: { readonly cpus: number; readonly mem: number },
  roles: ReadonlyArray<string>,
  agent: Pick<AgentResources, 'cpus' | 'mem' | 'executorRunning'>,
  scheduler: Pick<K8smScheduler, 'frameworkRoles' | 'frameworkRoleSet' | 'executor'>,
): ReadonlyArray<ResourceReason> {
  const ex = scheduler.executor;
  const cpu = scalarReason('cpu', agent.cpus, need.cpus, roles, agent.executorRunning ? 0 : ex.cpus, ex.staticCpus, scheduler);
  const mem = scalarReason('mem', agent.mem, need.mem, roles, agent.executorRunning ? 0 : ex.mem, ex.staticMem, scheduler);
  if (cpu === undefined && mem === undefined) return NO_REASONS;
  const out: ResourceReason[] = [];
  if (cpu !== undefined) out.push(cpu);
  if (mem !== undefined) out.push(mem);
  return out;
}

/** Takes `need` from the roles in order, after what `used` already took; unknown amounts go to the first role. */
function take(avail: PerRole<number> | undefined, roles: ReadonlyArray<string>, need: number, used: Map<string, number>): RoleAmount[] {
  if (need <= 0) return [];
  if (avail === undefined) return [{ role: roles[0] ?? '*', amount: need }];
  if ('anyRole' in avail) {
    used.set('*', (used.get('*') ?? 0) + need);
    return [{ role: '*', amount: need }];
  }
  const out: RoleAmount[] = [];
  let rest = need;
  for (const role of roles) {
    if (rest <= EPSILON) break;
    const had = used.get(role) ?? 0;
    const t = Math.min(Math.max(0, amountOf(avail, role) - had), rest);
    if (t <= 0) continue;
    used.set(role, had + t);
    out.push({ role, amount: roundSum(t) });
    rest -= t;
  }
  return out;
}

/**
 * Whether k8sm would launch the pod from what the agent (or offer) has free: its node (nodeName,
 * nodeSelector, when the agent's Node is given), its roles, its host ports (`allocateHostPorts`),
 * and its cpu/mem with the executor overhead (`resourceReasons`). Either the allocation, or EVERY
 * reason it does not fit, each with its numbers (k8sm itself stops at the first).
 */
export function fitPodOnAgent(pod: K8smPod, agent: AgentResources, scheduler: K8smScheduler): PodFit {
  const reasons: FitReason[] = [];
  const node = agent.node;
  if (node !== undefined) {
    if (pod.nodeName !== undefined && pod.nodeName !== node.hostname) reasons.push({ id: 'node-name', nodeName: pod.nodeName, hostname: node.hostname });
    for (const key in pod.nodeSelector) {
      const value = pod.nodeSelector[key]!;
      if (node.labels[key] !== value) reasons.push({ id: 'node-selector', key, value, actual: node.labels[key] });
    }
  }
  const roles = pod.roles.list;
  if (roles.length === 0) {
    reasons.push({ id: 'no-roles', annotation: pod.roles.annotation?.raw ?? '', dropped: pod.roles.annotation?.dropped ?? [] });
    const dup = { fixed: [], wildcard: 0, duplicated: pod.hostPorts.duplicated };
    reasons.push(...hostPortReasons(dup, pod.mapping, portOffer({ anyRole: [] }, roles)));
    return { fits: false, reasons };
  }
  const ports = allocateHostPorts(pod.hostPorts, pod.mapping, portOffer(agent.ports, roles, agent.portsInUse));
  if (!ports.ok) reasons.push(...ports.reasons);
  reasons.push(...resourceReasons(pod.resources, roles, agent, scheduler));
  if (!ports.ok || reasons.length > 0) return { fits: false, reasons };

  const hostPorts: Array<{ port: ContainerPort; hostPort: number; role: string }> = [];
  ports.fixed.forEach((g, i) => hostPorts.push({ port: pod.hostPorts.fixedSpecs[i]!, hostPort: g.port, role: g.role }));
  ports.wildcard.forEach((g, i) => hostPorts.push({ port: pod.hostPorts.wildcardSpecs[i]!, hostPort: g.port, role: g.role }));
  hostPorts.sort((a, b) => a.port.containerIndex - b.port.containerIndex || a.port.portIndex - b.port.portIndex);
  const usedCpus = new Map<string, number>();
  const usedMem = new Map<string, number>();
  const cpus = take(agent.cpus, roles, pod.resources.cpus, usedCpus);
  const mem = take(agent.mem, roles, pod.resources.mem, usedMem);
  const ex = scheduler.executor;
  const executor = agent.executorRunning
    ? undefined
    : { cpus: take(agent.cpus, scheduler.frameworkRoles, ex.cpus, usedCpus), mem: take(agent.mem, scheduler.frameworkRoles, ex.mem, usedMem) };
  return { fits: true, allocation: { hostPorts, cpus, mem, executor } };
}
