import type { Resources } from './snapshot.js';
import type { JsonNode } from './json-node.js';
import { parseMesosRangeString } from './ranges.js';
import { normalizePortRanges, subtractPortRanges, type PortRange } from '../ports/port-range.js';

const unionRanges = (a: ReadonlyArray<PortRange>, b: ReadonlyArray<PortRange>): PortRange[] => normalizePortRanges([...a, ...b]);

/** The unreserved role. */
export const ANY_ROLE = '*';

export function emptyResources(): Resources {
  return { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
}

/** Mesos keeps scalars to 3 decimal digits; so do we, to avoid 0.30000000000000004. */
export function roundScalar(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function addResources(a: Resources, b: Resources): Resources {
  return {
    cpus: roundScalar(a.cpus + b.cpus),
    mem: roundScalar(a.mem + b.mem),
    disk: roundScalar(a.disk + b.disk),
    gpus: roundScalar(a.gpus + b.gpus),
    ports: unionRanges(a.ports, b.ports),
  };
}

/** a − b, scalars clamped at 0, ports by range subtraction. */
export function subtractResources(a: Resources, b: Resources): Resources {
  const sub = (x: number, y: number): number => Math.max(0, roundScalar(x - y));
  return {
    cpus: sub(a.cpus, b.cpus),
    mem: sub(a.mem, b.mem),
    disk: sub(a.disk, b.disk),
    gpus: sub(a.gpus, b.gpus),
    ports: subtractPortRanges(normalizePortRanges(a.ports), normalizePortRanges(b.ports)),
  };
}

export function isEmptyResources(r: Resources): boolean {
  return r.cpus === 0 && r.mem === 0 && r.disk === 0 && r.gpus === 0 && r.ports.length === 0;
}

/**
 * The master/agent "model" resources object: `{"cpus":4,"mem":8192,"disk":0,"gpus":0,
 * "ports":"[31000-31099, 31101-32000]"}`. Revocable resources (`*_revocable`) and resources
 * other than cpus/mem/disk/gpus/ports are ignored. An absent object reads as empty.
 */
export function resourcesFromModel(node: JsonNode | undefined): Resources {
  const r = emptyResources();
  if (!node) return r;
  r.cpus = roundScalar(node.optNum('cpus') ?? 0);
  r.mem = roundScalar(node.optNum('mem') ?? 0);
  r.disk = roundScalar(node.optNum('disk') ?? 0);
  r.gpus = roundScalar(node.optNum('gpus') ?? 0);
  const ports = node.optStr('ports');
  if (ports !== undefined) {
    try {
      r.ports = parseMesosRangeString(ports);
    } catch (e) {
      node.fail((e as Error).message, 'ports');
    }
  }
  return r;
}

/** `{role: model}` (master `reserved_resources`). */
export function resourcesByRoleFromModel(node: JsonNode | undefined): Record<string, Resources> {
  const out: Record<string, Resources> = {};
  if (!node) return out;
  for (const [role, n] of node.entries()) {
    if (!n.isObject()) n.fail('is not an object, expected resources');
    out[role] = resourcesFromModel(n);
  }
  return out;
}

function protoUint(n: JsonNode, key: string): number {
  const c = n.opt(key);
  if (!c) n.fail('is missing', key);
  const v = typeof c.value === 'string' && /^\d+$/.test(c.value) ? Number(c.value) : c.value;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) n.fail('is not a non-negative integer', key);
  return v;
}

/** `ranges: {range: [{begin, end}]}` → normalised ranges. */
export function rangesFromProto(node: JsonNode | undefined): PortRange[] {
  if (!node) return [];
  const out: PortRange[] = [];
  for (const r of node.arr('range')) {
    const begin = protoUint(r, 'begin');
    const end = protoUint(r, 'end');
    if (end < begin) r.fail(`has end ${end} < begin ${begin}`);
    out.push({ begin, end });
  }
  return normalizePortRanges(out);
}

/**
 * The role a protobuf-JSON Resource is reserved to: the last entry of `reservations[]` (the
 * refined, most specific role), else the legacy `role` field, else `*` (unreserved).
 */
export function reservationRoleOf(node: JsonNode): string {
  const reservations = node.arr('reservations');
  const last = reservations[reservations.length - 1];
  if (last) return last.optStr('role') ?? ANY_ROLE;
  return node.optStr('role') ?? ANY_ROLE;
}

export interface RoleResources {
  total: Resources;
  byRole: Record<string, Resources>;
}

/**
 * A protobuf-JSON Resource array (`*_full` fields, v1 operator API) → totals and a split by
 * reservation role (`*` = unreserved). Revocable resources are ignored, like the model does.
 */
export function resourcesFromProtoArray(nodes: JsonNode[]): RoleResources {
  let total = emptyResources();
  const byRole: Record<string, Resources> = {};
  for (const n of nodes) {
    if (!n.isObject()) n.fail('is not an object, expected a Resource');
    if (n.has('revocable')) continue;
    const name = n.str('name');
    const one = emptyResources();
    if (name === 'cpus' || name === 'mem' || name === 'disk' || name === 'gpus') {
      const scalar = n.optObj('scalar');
      if (!scalar) continue; // not a SCALAR: nothing we count
      one[name] = roundScalar(scalar.num('value'));
    } else if (name === 'ports') {
      one.ports = rangesFromProto(n.optObj('ranges'));
    } else {
      continue;
    }
    const role = reservationRoleOf(n);
    byRole[role] = addResources(byRole[role] ?? emptyResources(), one);
    total = addResources(total, one);
  }
  return { total, byRole };
}

/** `{role: [Resource]}` (`reserved_resources_full`) → per role. */
export function resourcesByRoleFromProtoMap(node: JsonNode | undefined): Record<string, Resources> {
  const out: Record<string, Resources> = {};
  if (!node) return out;
  for (const [role] of node.entries()) {
    out[role] = resourcesFromProtoArray(node.arr(role)).total;
  }
  return out;
}

/** Ports per role from the reserved map plus the unreserved part under `*`; empty roles left out. */
export function portsByRole(reserved: Record<string, Resources>, unreserved: Resources): Record<string, PortRange[]> {
  const out: Record<string, PortRange[]> = {};
  if (unreserved.ports.length) out[ANY_ROLE] = unreserved.ports;
  for (const [role, r] of Object.entries(reserved)) {
    if (!r.ports.length) continue;
    out[role] = out[role] ? unionRanges(out[role], r.ports) : r.ports;
  }
  return out;
}
