import type { AgentShape, AttributeValue, ClusterModel } from '../cluster/cluster-model.js';
import type { RolePorts } from '../ports/allocate-host-ports.js';
import type { DemandDefaults } from '../resources/pod-resource-demand.js';
import { countPorts, formatPortRanges, normalizePortRanges, type PortRange } from '../ports/port-range.js';

/** k8sm's node labels (`pkg/node`): the hostname, and one per TEXT/SCALAR agent attribute. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
export const ATTRIBUTE_LABEL_PREFIX = 'k8s.mesosphere.io/attribute-';

/** The ports one agent shape offers to a pod with a given role list. */
export interface ShapePorts {
  /** Normalized union of the ranges of the pod's roles. */
  ranges: PortRange[];
  total: number;
  /** Per role, in the pod's role order (what k8sm's mapper walks). */
  offered: RolePorts[];
}

/** Agents with identical port resources, checked once. */
export interface PortShape {
  agents: AgentShape[];
  merged: PortRange[];
  byRole: Map<string, PortRange[]> | undefined;
  cache: Map<string, ShapePorts>;
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
  /** Agents with a known cpus or mem. */
  sized: AgentShape[];
  defaultRoles: string[];
  defaultRolesKey: string;
  frameworkRoles: Set<string>;
  /** The scheduler's container defaults, as `podResourceDemand` takes them. */
  demandDefaults: DemandDefaults;
}

function canonicalRole(role: string): string {
  return role === '' ? '*' : role;
}

/**
 * Go's `strconv.FormatFloat(v, 'G', -1, 64)`, which k8sm uses for SCALAR attribute labels:
 * shortest digits, exponent form (`1E+06`) when the exponent is < -4 or >= 6.
 */
export function formatGoFloatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mant, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mant}E${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(v);
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function validLabelValue(v: string): boolean {
  return v === '' || (v.length <= 63 && LABEL_NAME.test(v));
}

/** The labels k8sm writes on an agent's Node: hostname plus valid attribute labels. */
export function nodeLabelsOf(agent: AgentShape): Record<string, string> {
  const labels: Record<string, string> = { [HOSTNAME_LABEL]: agent.name };
  const attrs: Record<string, AttributeValue> = agent.attributes ?? {};
  for (const name in attrs) {
    const raw = attrs[name];
    const value = typeof raw === 'number' ? formatGoFloatG(raw) : String(raw);
    const keyName = `attribute-${name}`;
    if (keyName.length > 63 || !LABEL_NAME.test(keyName) || !validLabelValue(value)) continue;
    labels[ATTRIBUTE_LABEL_PREFIX + name] = value;
  }
  return labels;
}

function shapeKey(agent: AgentShape, live: boolean): string {
  let key = formatPortRanges(normalizePortRanges(agent.ports));
  if (live && agent.portsByRole) {
    const roles = Object.keys(agent.portsByRole).sort();
    for (const r of roles) key += `|${r}=${formatPortRanges(normalizePortRanges(agent.portsByRole[r] ?? []))}`;
  }
  return key;
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
    if (shape === undefined) {
      let byRole: Map<string, PortRange[]> | undefined;
      if (live && agent.portsByRole) {
        byRole = new Map();
        for (const role in agent.portsByRole) {
          const c = canonicalRole(role);
          byRole.set(c, normalizePortRanges([...(byRole.get(c) ?? []), ...(agent.portsByRole[role] ?? [])]));
        }
      }
      shape = { agents: [], merged: normalizePortRanges(agent.ports), byRole, cache: new Map() };
      byKey.set(key, shape);
    }
    shape.agents.push(agent);
  }
  const defaultRoles = model.defaultPodRoles.length > 0 ? model.defaultPodRoles.map(canonicalRole) : ['*'];
  const index: ClusterIndex = {
    model,
    live,
    shapes: [...byKey.values()],
    agentCount: model.agentCount,
    hostnames: new Set(live ? model.agents.map((a) => a.name) : []),
    nodeLabels: live ? model.agents.map((agent) => ({ agent, labels: nodeLabelsOf(agent) })) : [],
    sized: model.sizesKnown ? model.agents.filter((a) => a.cpus !== undefined || a.mem !== undefined) : [],
    defaultRoles,
    defaultRolesKey: defaultRoles.join(','),
    frameworkRoles: new Set(model.frameworkRoles.length > 0 ? model.frameworkRoles.map(canonicalRole) : ['*']),
    demandDefaults: { cpu: model.defaultContainerCpu, mem: model.defaultContainerMem },
  };
  INDEX.set(model, index);
  return index;
}

/**
 * The ports a shape offers to a pod with these roles. Offline (`--ports`) the roles of the ports are
 * unknown, so every offered port counts; live, only the ranges of the pod's roles, in role order.
 */
export function shapePorts(index: ClusterIndex, shape: PortShape, roles: ReadonlyArray<string>, rolesKey: string): ShapePorts {
  let sp = shape.cache.get(rolesKey);
  if (sp !== undefined) return sp;
  if (shape.byRole === undefined) {
    sp = { ranges: shape.merged, total: countPorts(shape.merged), offered: [{ role: '*', ranges: shape.merged }] };
  } else {
    const offered: RolePorts[] = [];
    const all: PortRange[] = [];
    for (const role of roles) {
      const r = shape.byRole.get(role);
      if (r === undefined || r.length === 0) continue;
      offered.push({ role, ranges: r });
      all.push(...r);
    }
    const ranges = normalizePortRanges(all);
    sp = { ranges, total: countPorts(ranges), offered };
  }
  shape.cache.set(rolesKey, sp);
  return sp;
}

/** `[31000-32000]` offline; live `[31000-32000] (3 agents), [40000-40100] (1 agent)`, at most 4 shapes. */
export function describeOfferedPorts(index: ClusterIndex, roles: ReadonlyArray<string>, rolesKey: string): string {
  const parts: string[] = [];
  for (const shape of index.shapes) {
    const text = formatPortRanges(shapePorts(index, shape, roles, rolesKey).ranges);
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
