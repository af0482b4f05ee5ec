import type { AgentSnapshot, Resources } from '../mesos/snapshot.js';
import type { PortRange } from '../ports/port-range.js';
import { normalizePortRanges } from '../ports/port-range.js';

/** `kind` of each item `k8smctl get agents -o json|yaml` prints. */
export const AGENT_KIND = 'MesosAgent';
export const SNAPSHOT_API_VERSION = 'k8smctl/v1';

export class SnapshotDocumentError extends Error {}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new SnapshotDocumentError(`${where} must be a non-negative number`);
  return v;
}

function ranges(v: unknown, where: string): PortRange[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new SnapshotDocumentError(`${where} must be a list of {begin, end} port ranges`);
  return normalizePortRanges(
    v.map((r, i) => {
      if (!isObj(r)) throw new SnapshotDocumentError(`${where}[${i}] must be {begin, end}`);
      const begin = num(r.begin, `${where}[${i}].begin`);
      const end = num(r.end, `${where}[${i}].end`);
      if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 1 || end > 65535 || begin > end) {
        throw new SnapshotDocumentError(`${where}[${i}] must be a port range within 1-65535 with begin <= end`);
      }
      return { begin, end };
    }),
  );
}

function resources(v: unknown, where: string): Resources {
  if (!isObj(v)) throw new SnapshotDocumentError(`${where} must be an object with cpus, mem, disk, gpus and ports`);
  return {
    cpus: v.cpus === undefined ? 0 : num(v.cpus, `${where}.cpus`),
    mem: v.mem === undefined ? 0 : num(v.mem, `${where}.mem`),
    disk: v.disk === undefined ? 0 : num(v.disk, `${where}.disk`),
    gpus: v.gpus === undefined ? 0 : num(v.gpus, `${where}.gpus`),
    ports: ranges(v.ports, `${where}.ports`),
  };
}

/** The JSON item for one agent (`get agents -o json`): the snapshot plus kind/apiVersion. */
export function agentDocument(a: AgentSnapshot): Json {
  return { kind: AGENT_KIND, apiVersion: SNAPSHOT_API_VERSION, ...a };
}

/**
 * Reads agents back from a saved `get agents -o json|yaml` document (a List, one agent, or a bare
 * array), keeping what the cluster model needs and checking its types. Errors name the item.
 */
export function agentsFromDocument(doc: unknown): AgentSnapshot[] {
  const items = Array.isArray(doc) ? doc : isObj(doc) && Array.isArray(doc.items) ? doc.items : isObj(doc) && doc.kind === AGENT_KIND ? [doc] : undefined;
  if (!items) throw new SnapshotDocumentError(`expected the output of 'k8smctl get agents -o json' (a List of ${AGENT_KIND} items)`);
  return items.map((it, i) => {
    const where = `items[${i}]`;
    if (!isObj(it)) throw new SnapshotDocumentError(`${where} is not an object`);
    if (it.kind !== undefined && it.kind !== AGENT_KIND)
      throw new SnapshotDocumentError(`${where} has kind ${JSON.stringify(it.kind)}, expected ${AGENT_KIND}`);
    if (typeof it.hostname !== 'string' || !it.hostname) throw new SnapshotDocumentError(`${where}.hostname must be a non-empty string`);
    const total = resources(it.total, `${where}.total`);
    const used = it.used === undefined ? { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] } : resources(it.used, `${where}.used`);
    const portsByRole: Record<string, PortRange[]> = {};
    if (isObj(it.portsByRole)) for (const [role, r] of Object.entries(it.portsByRole)) portsByRole[role] = ranges(r, `${where}.portsByRole.${role}`);
    else portsByRole['*'] = total.ports;
    const attributes: Record<string, string | number> = {};
    if (isObj(it.attributes)) {
      for (const [k, v] of Object.entries(it.attributes)) {
        if (typeof v !== 'string' && typeof v !== 'number') throw new SnapshotDocumentError(`${where}.attributes.${k} must be a string or number`);
        attributes[k] = v;
      }
    }
    const empty: Resources = { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
    return {
      id: typeof it.id === 'string' ? it.id : it.hostname,
      hostname: it.hostname,
      pid: typeof it.pid === 'string' ? it.pid : '',
      active: it.active !== false,
      attributes,
      total,
      used,
      offered: empty,
      reserved: {},
      unreserved: total,
      free: used,
      portsByRole,
      k8smExecutors: Array.isArray(it.k8smExecutors) ? (it.k8smExecutors as AgentSnapshot['k8smExecutors']) : [],
    };
  });
}
