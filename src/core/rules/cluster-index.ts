import type { AgentShape, ClusterModel } from '../cluster/cluster-model.js';
import type { AgentResources, PerRole } from '../k8sm/agent.js';
import { portOffer, type PortOffer } from '../k8sm/host-ports.js';
import { nodeLabelsOf } from '../k8sm/node-labels.js';
import type { PodRoles } from '../k8sm/roles.js';
import { k8smScheduler, type K8smScheduler } from '../k8sm/scheduler.js';
import { formatPortRanges, normalizePortRanges, type PortRange } from '../ports/port-range.js';

/** Agents with identical port resources, checked once. */
export class PortShape {
  readonly agents: AgentShape[] = [];
  readonly #offers = new Map<string, PortOffer>();

  constructor(readonly ports: PerRole<ReadonlyArray<PortRange>>) {}

  /** What these agents offer a pod with these roles (cached per role list). */
  offer(roles: PodRoles): PortOffer {
    let o = this.#offers.get(roles.key);
    if (o === undefined) this.#offers.set(roles.key, (o = portOffer(this.ports, roles.list)));
    return o;
  }
}

/** An agent of known size, as `resourceReasons` reads it. */
export interface SizedAgent {
  agent: AgentShape;
  resources: AgentResources;
}

/** Everything rules need from the model, computed once per model. */
export interface ClusterIndex {
  model: ClusterModel;
  /** Agents are real (live master or snapshot): hostnames, attributes and per-role ports mean something. */
  live: boolean;
  shapes: PortShape[];
  /** Number of agents when known. */
  agentCount: number | undefined;
  hostnames: Set<string>;
  /** Per agent (live only): the labels k8sm gives its Node. */
  nodeLabels: Array<{ agent: AgentShape; labels: Record<string, string> }>;
  /** Agents with a known cpus or mem (only when the model knows sizes). */
  sized: SizedAgent[];
  /** The model's scheduler settings, prepared (without static pods: the rule context adds them). */
  scheduler: K8smScheduler;
}

/**
 * An agent's ports as k8sm sees them for a pod. Offline (`--ports`) the roles of the ports are
 * unknown, so every offered port counts; live, only the ranges of the pod's roles, in role order.
 */
function portsOf(agent: AgentShape, live: boolean): PerRole<ReadonlyArray<PortRange>> {
  return live && agent.portsByRole ? { byRole: agent.portsByRole } : { anyRole: agent.ports };
}

function shapeKey(agent: AgentShape, live: boolean): string {
  let key = formatPortRanges(normalizePortRanges(agent.ports));
  if (live && agent.portsByRole) {
    const roles = Object.keys(agent.portsByRole).sort();
    for (const r of roles) key += `|${r}=${formatPortRanges(normalizePortRanges(agent.portsByRole[r] ?? []))}`;
  }
  return key;
}

/** validate knows an agent's totals only, not their split by role: any role may use them. */
function agentResources(agent: AgentShape): AgentResources {
  return {
    ...(agent.cpus !== undefined ? { cpus: { anyRole: agent.cpus } } : {}),
    ...(agent.mem !== undefined ? { mem: { anyRole: agent.mem } } : {}),
    ports: { anyRole: agent.ports },
    executorRunning: agent.k8smExecutor === true,
  };
}

const INDEX = new WeakMap<ClusterModel, ClusterIndex>();

/** The per-model precomputation (cached per model object). */
export function clusterIndex(model: ClusterModel): ClusterIndex {
  const cached = INDEX.get(model);
  if (cached) return cached;
  const live = model.origin !== 'flags';
  const byKey = new Map<string, PortShape>();
  for (const agent of model.agents) {
    const key = shapeKey(agent, live);
    let shape = byKey.get(key);
    if (shape === undefined) byKey.set(key, (shape = new PortShape(portsOf(agent, live))));
    shape.agents.push(agent);
  }
  const sized = model.sizesKnown ? model.agents.filter((a) => a.cpus !== undefined || a.mem !== undefined) : [];
  const index: ClusterIndex = {
    model,
    live,
    shapes: [...byKey.values()],
    agentCount: model.agentCount,
    hostnames: new Set(live ? model.agents.map((a) => a.name) : []),
    nodeLabels: live ? model.agents.map((agent) => ({ agent, labels: nodeLabelsOf(agent.name, agent.attributes) })) : [],
    sized: sized.map((agent) => ({ agent, resources: agentResources(agent) })),
    scheduler: k8smScheduler(model),
  };
  INDEX.set(model, index);
  return index;
}

/** `[31000-32000]` offline; live `[31000-32000] (3 agents), [40000-40100] (1 agent)`, at most 4 shapes. */
export function describeOfferedPorts(index: ClusterIndex, roles: PodRoles): string {
  const parts: string[] = [];
  for (const shape of index.shapes) {
    let text = formatPortRanges(shape.offer(roles).ranges);
    if (index.live && text === '[]') text = noPortsFor(shape, roles);
    if (!index.live) {
      parts.push(text);
      continue;
    }
    const n = shape.agents.length;
    parts.push(`${text} on ${n === 1 ? shape.agents[0]!.name : `${n} agents`}`);
  }
  if (parts.length > 4) return `${parts.slice(0, 4).join('; ')}; and ${parts.length - 4} more agent groups`;
  return parts.join('; ');
}

/** `no ports for role * (reserved: [5000-6000] to agent_master)`: why live agents offer the pod nothing. */
function noPortsFor(shape: PortShape, roles: PodRoles): string {
  const reserved = [...shape.offer(roles).otherRoles]
    .sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0))
    .map((rp) => `${formatPortRanges(rp.ranges)} to ${rp.role}`);
  const none = roles.list.length === 0 ? 'no ports (the pod has no role)' : `no ports for role${roles.list.length === 1 ? '' : 's'} ${roles.list.join(',')}`;
  return reserved.length ? `${none} (reserved: ${reserved.join(', ')})` : none;
}
