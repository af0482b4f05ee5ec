/**
 * Mesos resources and attributes as the simulator keeps them, and the two JSON forms Mesos prints:
 *
 * - the "model" of `/state`, `/master/slaves`, `/master/frameworks` (MESOS `src/common/http.cpp`
 *   `json(JSON::ObjectWriter*, const Resources&)`): `cpus`, `gpus`, `mem`, `disk` always present as
 *   numbers, every other resource by name; RANGES as `"[31000-31099, 31101-32000]"`, SET as
 *   `"{a, b}"`, revocable ones with a `_revocable` suffix;
 * - protobuf-JSON (`*_full` arrays and the v1 operator API), in the "ENDPOINT" resource format of
 *   `convertResourceFormat`: unreserved → `role: "*"` and no reservations; one reservation → `role`
 *   set (plus `reservation` for a dynamic one) and `reservations`; refined → only `reservations`.
 */

export interface Range {
  begin: number;
  end: number;
}

export type ResourceType = 'SCALAR' | 'RANGES' | 'SET';

export interface Reservation {
  type: 'STATIC' | 'DYNAMIC';
  role: string;
  principal?: string;
}

export interface Resource {
  name: string;
  type: ResourceType;
  scalar?: number;
  ranges?: Range[];
  set?: string[];
  /** Empty: unreserved (role `*`). Otherwise a refinement chain, the last entry is the role. */
  reservations: Reservation[];
  /** Role the resource is allocated to (tasks, executors, offers); absent on agent totals. */
  allocationRole?: string;
  revocable?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Ranges

/** Parses `"[31000-31099, 31101-32000]"` (spaces optional; `[p]` or `[p-p]` for one port). */
export function parseRanges(text: string): Range[] {
  const s = text.trim();
  if (!s.startsWith('[') || !s.endsWith(']')) throw new Error(`not a Mesos range list: "${text}"`);
  const body = s.slice(1, -1).trim();
  if (body === '') return [];
  const out: Range[] = [];
  for (const part of body.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new Error(`not a Mesos range list: "${text}"`);
    const begin = Number(m[1]);
    const end = m[2] === undefined ? begin : Number(m[2]);
    if (end < begin) throw new Error(`range ${begin}-${end} ends before it begins in "${text}"`);
    out.push({ begin, end });
  }
  return coalesceRanges(out);
}

/** Sorted, overlapping and adjacent ranges merged (what Mesos' Value::Ranges arithmetic keeps). */
export function coalesceRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.map((r) => ({ ...r })).sort((a, b) => a.begin - b.begin || a.end - b.end);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.begin <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push(r);
  }
  return out;
}

export function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const minus = coalesceRanges(b);
  const out: Range[] = [];
  for (const r of coalesceRanges(a)) {
    let begin = r.begin;
    for (const m of minus) {
      if (m.end < begin || m.begin > r.end) continue;
      if (m.begin > begin) out.push({ begin, end: m.begin - 1 });
      begin = m.end + 1;
      if (begin > r.end) break;
    }
    if (begin <= r.end) out.push({ begin, end: r.end });
  }
  return out;
}

/** True when every port of `inner` lies in `outer`. */
export function rangesContain(outer: readonly Range[], inner: readonly Range[]): boolean {
  return subtractRanges(inner, outer).length === 0;
}

export function rangesSize(ranges: readonly Range[]): number {
  return ranges.reduce((n, r) => n + (r.end - r.begin + 1), 0);
}

/** Mesos `stringify(Value::Ranges)`: `[b-e, b-e]` (a single port prints as `p-p`). */
export function formatRanges(ranges: readonly Range[]): string {
  return `[${coalesceRanges(ranges)
    .map((r) => `${r.begin}-${r.end}`)
    .join(', ')}]`;
}

/** Mesos `stringify(Value::Set)`: `{a, b}`. */
export function formatSet(items: readonly string[]): string {
  return `{${[...new Set(items)].sort().join(', ')}}`;
}

/** Single ports as the one-element ranges k8sm puts in a task's `ports` resource. */
export function portsToRanges(ports: readonly number[]): Range[] {
  return coalesceRanges(ports.map((p) => ({ begin: p, end: p })));
}

// ---------------------------------------------------------------------------------------------
// Resource lists

/** Mesos keeps scalars with three decimal digits (fixed point); so do we, to avoid 0.30000000000000004. */
export function roundScalar(v: number): number {
  return Math.round(v * 1000) / 1000;
}

export function reservationRole(r: Resource): string {
  const last = r.reservations[r.reservations.length - 1];
  return last ? last.role : '*';
}

function sameReservations(a: readonly Reservation[], b: readonly Reservation[]): boolean {
  return a.length === b.length && a.every((x, i) => x.type === b[i]?.type && x.role === b[i]?.role && x.principal === b[i]?.principal);
}

/** Same identity (everything but the value): such resources merge into one. */
export function sameKind(a: Resource, b: Resource): boolean {
  return (
    a.name === b.name &&
    a.type === b.type &&
    a.allocationRole === b.allocationRole &&
    Boolean(a.revocable) === Boolean(b.revocable) &&
    sameReservations(a.reservations, b.reservations)
  );
}

export function cloneResource(r: Resource): Resource {
  return copyResource(r, r.allocationRole);
}

/**
 * A deep copy of `r` allocated to `allocationRole` (none when undefined). Built field by field, one
 * object shape for every copy: the simulator copies resources on every offer, ACCEPT and DECLINE
 * (tens of thousands a second in the scheduler benchmark), and a spread copy followed by `delete`
 * left objects in V8's slow dictionary mode.
 */
function copyResource(r: Resource, allocationRole: string | undefined): Resource {
  const c: Resource = { name: r.name, type: r.type, reservations: r.reservations.length === 0 ? [] : r.reservations.map((x) => ({ ...x })) };
  if (r.scalar !== undefined) c.scalar = r.scalar;
  if (r.ranges) c.ranges = r.ranges.map((x) => ({ begin: x.begin, end: x.end }));
  if (r.set) c.set = [...r.set];
  if (allocationRole !== undefined) c.allocationRole = allocationRole;
  if (r.revocable !== undefined) c.revocable = r.revocable;
  return c;
}

function isEmpty(r: Resource): boolean {
  if (r.type === 'SCALAR') return roundScalar(r.scalar ?? 0) <= 0;
  if (r.type === 'RANGES') return (r.ranges ?? []).length === 0;
  return (r.set ?? []).length === 0;
}

/** Adds `b` into `out` in place (scalars add, ranges and sets unite); `out` must hold clones only. */
function addInto(out: Resource[], b: readonly Resource[]): void {
  for (const r of b) addOne(out, r, false);
}

/** Adds `r` to `out`; `owned`: `r` is a copy no one else holds, kept as it is when `out` has none of its kind. */
function addOne(out: Resource[], r: Resource, owned: boolean): void {
  const same = out.find((x) => sameKind(x, r));
  if (!same) {
    if (!isEmpty(r)) out.push(owned ? r : cloneResource(r));
    return;
  }
  if (r.type === 'SCALAR') same.scalar = roundScalar((same.scalar ?? 0) + (r.scalar ?? 0));
  else if (r.type === 'RANGES') same.ranges = coalesceRanges([...(same.ranges ?? []), ...(r.ranges ?? [])]);
  else same.set = [...new Set([...(same.set ?? []), ...(r.set ?? [])])];
}

/** `a + b`, merging resources of the same kind (scalars add, ranges and sets unite). */
export function addResources(a: readonly Resource[], b: readonly Resource[]): Resource[] {
  const out = a.map(cloneResource);
  addInto(out, b);
  return out;
}

export function sumResources(...lists: ReadonlyArray<readonly Resource[]>): Resource[] {
  const out: Resource[] = [];
  for (const l of lists) addInto(out, l);
  return out;
}

/** `a - b` for resources of the same kind; what is left of `a` (empty entries dropped). */
export function subtractResources(a: readonly Resource[], b: readonly Resource[]): Resource[] {
  const out = a.map(cloneResource);
  for (const r of b) {
    const same = out.find((x) => sameKind(x, r));
    if (!same) continue;
    if (r.type === 'SCALAR') same.scalar = roundScalar((same.scalar ?? 0) - (r.scalar ?? 0));
    else if (r.type === 'RANGES') same.ranges = subtractRanges(same.ranges ?? [], r.ranges ?? []);
    else same.set = (same.set ?? []).filter((x) => !(r.set ?? []).includes(x));
  }
  return out.filter((r) => !isEmpty(r));
}

/** The same resources without allocation (what the agent's total holds). */
export function withoutAllocation(list: readonly Resource[]): Resource[] {
  const out: Resource[] = [];
  for (const r of list) addOne(out, copyResource(r, undefined), true);
  return out;
}

export function allocatedTo(list: readonly Resource[], role: string): Resource[] {
  return list.map((r) => copyResource(r, role));
}

export function unreserved(list: readonly Resource[]): Resource[] {
  return list.filter((r) => r.reservations.length === 0);
}

/** Resources grouped by reservation role (Mesos `Resources::reservations()`), in first-seen order. */
export function reservationsByRole(list: readonly Resource[]): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of list) {
    if (r.reservations.length === 0) continue;
    const role = reservationRole(r);
    out.set(role, addResources(out.get(role) ?? [], [r]));
  }
  return out;
}

export function scalarOf(list: readonly Resource[], name: string): number {
  return roundScalar(list.filter((r) => r.name === name && r.type === 'SCALAR').reduce((s, r) => s + (r.scalar ?? 0), 0));
}

export function rangesOf(list: readonly Resource[], name: string): Range[] {
  return coalesceRanges(list.filter((r) => r.name === name && r.type === 'RANGES').flatMap((r) => r.ranges ?? []));
}

// ---------------------------------------------------------------------------------------------
// JSON forms

export type ModelValue = number | string;

/** The "model" object (see the file comment). Key order: cpus, gpus, mem, disk, other scalars, ranges, sets. */
export function modelResources(list: readonly Resource[]): Record<string, ModelValue> {
  const scalars = new Map<string, number>([
    ['cpus', 0],
    ['gpus', 0],
    ['mem', 0],
    ['disk', 0],
  ]);
  const ranges = new Map<string, Range[]>();
  const sets = new Map<string, string[]>();
  for (const r of list) {
    const name = r.name + (r.revocable ? '_revocable' : '');
    if (r.type === 'SCALAR') scalars.set(name, roundScalar((scalars.get(name) ?? 0) + (r.scalar ?? 0)));
    else if (r.type === 'RANGES') ranges.set(name, [...(ranges.get(name) ?? []), ...(r.ranges ?? [])]);
    else sets.set(name, [...(sets.get(name) ?? []), ...(r.set ?? [])]);
  }
  const out: Record<string, ModelValue> = {};
  for (const [k, v] of scalars) out[k] = v;
  for (const [k, v] of ranges) out[k] = formatRanges(v);
  for (const [k, v] of sets) out[k] = formatSet(v);
  return out;
}

export interface ProtoResource {
  name: string;
  type: ResourceType;
  scalar?: { value: number };
  ranges?: { range: Range[] };
  set?: { item: string[] };
  role?: string;
  allocation_info?: { role: string };
  reservation?: { principal?: string };
  reservations?: Array<{ type: string; role: string; principal?: string }>;
  revocable?: Record<string, never>;
}

/** One resource as protobuf-JSON in the ENDPOINT format (see the file comment). */
export function protoResource(r: Resource): ProtoResource {
  const out: ProtoResource = { name: r.name, type: r.type };
  if (r.type === 'SCALAR') out.scalar = { value: roundScalar(r.scalar ?? 0) };
  else if (r.type === 'RANGES') out.ranges = { range: coalesceRanges(r.ranges ?? []) };
  else out.set = { item: [...(r.set ?? [])] };
  if (r.reservations.length === 0) out.role = '*';
  else if (r.reservations.length === 1) out.role = (r.reservations[0] as Reservation).role;
  if (r.allocationRole !== undefined) out.allocation_info = { role: r.allocationRole };
  const only = r.reservations.length === 1 ? r.reservations[0] : undefined;
  if (only && only.type === 'DYNAMIC') out.reservation = only.principal ? { principal: only.principal } : {};
  if (r.reservations.length > 0) {
    out.reservations = r.reservations.map((x) => ({ type: x.type, role: x.role, ...(x.principal ? { principal: x.principal } : {}) }));
  }
  if (r.revocable) out.revocable = {};
  return out;
}

export function protoResources(list: readonly Resource[]): ProtoResource[] {
  return list.map(protoResource);
}

// ---------------------------------------------------------------------------------------------
// Building resources from the simulator's config shapes

/** What configs and seeds say: `{cpus, mem, disk?, gpus?, ports?}` with ports as a range string or a port list. */
export interface ResourceAmounts {
  cpus?: number;
  mem?: number;
  disk?: number;
  gpus?: number;
  ports?: string | number[];
}

export function resourcesFromAmounts(amounts: ResourceAmounts, reservations: Reservation[] = []): Resource[] {
  const out: Resource[] = [];
  for (const name of ['cpus', 'gpus', 'mem', 'disk'] as const) {
    const v = amounts[name];
    if (v !== undefined && v > 0) out.push({ name, type: 'SCALAR', scalar: roundScalar(v), reservations: reservations.map((x) => ({ ...x })) });
  }
  if (amounts.ports !== undefined) {
    const ranges = typeof amounts.ports === 'string' ? parseRanges(amounts.ports) : portsToRanges(amounts.ports);
    if (ranges.length > 0) out.push({ name: 'ports', type: 'RANGES', ranges, reservations: reservations.map((x) => ({ ...x })) });
  }
  return out;
}

/** The agent `--resources` flag text for these resources: `cpus:2;mem:4096;ports:[31000-31999];cpus(public):1`. */
export function formatResourcesFlag(list: readonly Resource[]): string {
  const parts: string[] = [];
  for (const r of list) {
    const role = reservationRole(r);
    const name = role === '*' ? r.name : `${r.name}(${role})`;
    let value: string;
    if (r.type === 'SCALAR') value = String(roundScalar(r.scalar ?? 0));
    else if (r.type === 'RANGES')
      value = `[${coalesceRanges(r.ranges ?? [])
        .map((x) => `${x.begin}-${x.end}`)
        .join(',')}]`;
    else value = `{${(r.set ?? []).join(',')}}`;
    parts.push(`${name}:${value}`);
  }
  return parts.join(';');
}

// ---------------------------------------------------------------------------------------------
// Attributes

export interface Attribute {
  name: string;
  type: 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';
  scalar?: number;
  ranges?: Range[];
  set?: string[];
  text?: string;
}

/**
 * One attribute from a config value the way the agent parses `--attributes=name:value`
 * (`Attributes::parse`): a number is SCALAR, `[a-b,...]` is RANGES, `{a,b}` is SET, anything else TEXT.
 * So a string "2" becomes the scalar 2, as on a real agent.
 */
export function parseAttribute(name: string, value: string | number): Attribute {
  if (typeof value === 'number') return { name, type: 'SCALAR', scalar: value };
  const v = value.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return { name, type: 'SCALAR', scalar: Number(v) };
  if (v.startsWith('[') && v.endsWith(']')) return { name, type: 'RANGES', ranges: parseRanges(v) };
  if (v.startsWith('{') && v.endsWith('}')) {
    const items = v
      .slice(1, -1)
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    return { name, type: 'SET', set: items };
  }
  return { name, type: 'TEXT', text: value };
}

/** The attributes object of the model JSON: scalar → number, text → string, ranges/sets → strings. */
export function modelAttributes(attrs: readonly Attribute[]): Record<string, ModelValue> {
  const out: Record<string, ModelValue> = {};
  for (const a of attrs) {
    if (a.type === 'SCALAR') out[a.name] = a.scalar ?? 0;
    else if (a.type === 'RANGES') out[a.name] = formatRanges(a.ranges ?? []);
    else if (a.type === 'SET') out[a.name] = formatSet(a.set ?? []);
    else out[a.name] = a.text ?? '';
  }
  return out;
}

export function protoAttribute(a: Attribute): Record<string, unknown> {
  const out: Record<string, unknown> = { name: a.name, type: a.type };
  if (a.type === 'SCALAR') out['scalar'] = { value: a.scalar ?? 0 };
  else if (a.type === 'RANGES') out['ranges'] = { range: coalesceRanges(a.ranges ?? []) };
  else if (a.type === 'SET') out['set'] = { item: [...(a.set ?? [])] };
  else out['text'] = { value: a.text ?? '' };
  return out;
}

export function formatAttributesFlag(attrs: readonly Attribute[]): string {
  return attrs
    .map((a) => {
      if (a.type === 'SCALAR') return `${a.name}:${a.scalar}`;
      if (a.type === 'RANGES')
        return `${a.name}:[${coalesceRanges(a.ranges ?? [])
          .map((x) => `${x.begin}-${x.end}`)
          .join(',')}]`;
      if (a.type === 'SET') return `${a.name}:{${(a.set ?? []).join(',')}}`;
      return `${a.name}:${a.text}`;
    })
    .join(';');
}
