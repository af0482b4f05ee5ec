import { asArray, asRecord } from '../json-shapes.js';
import { ATTRIBUTE_LABEL_PREFIX } from '../k8sm/keys.js';
import { nodeLabelsOf, type AttributeValue } from '../k8sm/node-labels.js';
import { canonicalRole } from '../k8sm/roles.js';
import { JsonNode } from '../mesos/json-node.js';
import { reservationRoleOf } from '../mesos/resources.js';
import { normalizePortRanges, type PortRange } from '../ports/port-range.js';

/**
 * A Mesos v1 Offer (reference §2.6) as the scheduler reads it: its free cpus, mem and ports per role
 * (the role a Resource is reserved to, `*` unreserved), its agent's attributes and the executors of
 * this framework on that agent, plus the Resource JSON of each (name, role) so that a launch can
 * hand back resources in exactly the offer's form (role, reservation, allocation_info).
 */
export interface SchedOffer {
  readonly id: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly executorIds: ReadonlyArray<string>;
  readonly cpus: Readonly<Record<string, number>>;
  readonly mem: Readonly<Record<string, number>>;
  readonly ports: Readonly<Record<string, ReadonlyArray<PortRange>>>;
  /** `${name}\u0000${role}` → the offer's Resource JSON without its value (scalar/ranges/set). */
  readonly templates: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

const idOf = (v: unknown): string | undefined => {
  const r = asRecord(v);
  return typeof r?.value === 'string' ? r.value : undefined;
};

export function templateKey(name: string, role: string): string {
  return `${name}\u0000${role}`;
}

/** Reads one v1 Offer; undefined when it has no id, agent or hostname (the loop declines what it can). */
export function parseOffer(json: unknown): SchedOffer | undefined {
  const o = asRecord(json);
  const id = idOf(o?.id);
  const agentId = idOf(o?.agent_id);
  const hostname = o?.hostname;
  if (!o || id === undefined || agentId === undefined || typeof hostname !== 'string') return undefined;
  const cpus: Record<string, number> = {};
  const mem: Record<string, number> = {};
  const ports: Record<string, PortRange[]> = {};
  const templates = new Map<string, Record<string, unknown>>();
  for (const r of asArray(o.resources) ?? []) {
    const res = asRecord(r);
    if (!res || typeof res.name !== 'string' || res.revocable !== undefined) continue;
    const role = canonicalRole(reservationRoleOf(new JsonNode(res, undefined, undefined, `offer ${id}`)));
    const { scalar: _s, ranges: _r, set: _set, ...template } = res;
    if (res.name === 'cpus' || res.name === 'mem') {
      const v = asRecord(res.scalar)?.value;
      if (typeof v !== 'number') continue;
      const into = res.name === 'cpus' ? cpus : mem;
      into[role] = (into[role] ?? 0) + v;
    } else if (res.name === 'ports') {
      const list: PortRange[] = [];
      for (const x of asArray(asRecord(res.ranges)?.range) ?? []) {
        const rr = asRecord(x);
        if (typeof rr?.begin === 'number' && typeof rr.end === 'number' && rr.begin <= rr.end) list.push({ begin: rr.begin, end: rr.end });
      }
      ports[role] = normalizePortRanges([...(ports[role] ?? []), ...list]);
    } else {
      continue;
    }
    if (!templates.has(templateKey(res.name, role))) templates.set(templateKey(res.name, role), template);
  }
  const attributes: Record<string, AttributeValue> = {};
  for (const a of asArray(o.attributes) ?? []) {
    const attr = asRecord(a);
    if (typeof attr?.name !== 'string') continue;
    if (attr.type === 'TEXT' && typeof asRecord(attr.text)?.value === 'string') attributes[attr.name] = asRecord(attr.text)!.value as string;
    else if (attr.type === 'SCALAR' && typeof asRecord(attr.scalar)?.value === 'number') attributes[attr.name] = asRecord(attr.scalar)!.value as number;
  }
  const executorIds = (asArray(o.executor_ids) ?? []).map(idOf).filter((x): x is string => x !== undefined);
  return { id, agentId, hostname, attributes, executorIds, cpus, mem, ports, templates };
}

/** Why k8sm declines an offer as incompatible (§1.8), or undefined when it is compatible. */
export type Incompatibility =
  | { readonly id: 'node-missing'; readonly message: string }
  | { readonly id: 'node-attributes-stale'; readonly message: string }
  | { readonly id: 'several-executors'; readonly message: string }
  | { readonly id: 'executor-incompatible'; readonly message: string; readonly executorId: string };

/**
 * k8sm's offer compatibility check (§1.8): the agent's Node must exist with attribute labels equal
 * to the offer's attributes, and the offer may carry at most one executor id of this framework,
 * which must be this scheduler's (another id = another configuration hash).
 */
export function offerIncompatibility(
  offer: Pick<SchedOffer, 'hostname' | 'attributes' | 'executorIds'>,
  executorId: string,
  nodeLabels: Readonly<Record<string, string>> | undefined,
): Incompatibility | undefined {
  if (nodeLabels === undefined) return { id: 'node-missing', message: `no Node ${offer.hostname} in the apiserver` };
  const want = nodeLabelsOf(offer.hostname, offer.attributes);
  const keys = new Set([...Object.keys(want), ...Object.keys(nodeLabels)].filter((k) => k.startsWith(ATTRIBUTE_LABEL_PREFIX)));
  const stale = [...keys].filter((k) => want[k] !== nodeLabels[k]).sort();
  if (stale.length > 0)
    return { id: 'node-attributes-stale', message: `Node ${offer.hostname}'s attribute labels differ from the agent's attributes (${stale.join(', ')})` };
  if (offer.executorIds.length > 1)
    return { id: 'several-executors', message: `the offer lists ${offer.executorIds.length} executors of this framework (${offer.executorIds.join(', ')})` };
  const other = offer.executorIds[0];
  if (other !== undefined && other !== executorId)
    return {
      id: 'executor-incompatible',
      executorId: other,
      message: `an executor with id ${other} runs on ${offer.hostname}, this scheduler's is ${executorId}: its configuration changed since that executor started`,
    };
  return undefined;
}
