import { K8SM_DEFAULTS } from '../cluster/cluster-model.js';
import { asArray, asRecord } from '../manifest/pod-template.js';
import { cpuCoresOrNaN, memMegabytesOrNaN, parseCpuQuantity, parseMemQuantity, QuantityError } from './quantity.js';

/** Where a container's effective value came from, as k8sm's `podResources` fills it in. */
export type ResourceSource =
  /** The container sets a limit (the request, if any, is its own). */
  | 'given'
  /** Neither request nor limit: both set to the scheduler default (--default-container-*-limit). */
  | 'default'
  /** Only a request: k8sm copies it into the limit. */
  | 'copied-from-request';

export interface ResourceValue {
  /** Effective request and limit after defaulting and clamping (cores / MB). */
  request: number;
  limit: number;
  source: ResourceSource;
  /** The value was raised to k8sm's minimum (0.01 CPU / 32 MB). */
  clamped: boolean;
  /** What the manifest says (absent when not set or invalid). */
  givenRequest?: number;
  givenLimit?: number;
}

export interface ContainerDemand {
  index: number;
  name: string;
  cpu: ResourceValue;
  mem: ResourceValue;
}

export interface InvalidQuantity {
  containerIndex: number;
  container: string;
  resource: 'cpu' | 'memory';
  field: 'requests' | 'limits';
  value: unknown;
  message: string;
}

export interface PodResourceDemand {
  /** What the Mesos task asks for: the sum of the containers' effective limits. */
  cpus: number;
  mem: number;
  containers: ContainerDemand[];
  /** Quantities that could not be parsed (treated as absent above; the schema check reports them). */
  invalid: InvalidQuantity[];
}

export interface DemandDefaults {
  /** --default-container-cpu-limit (cores) and --default-container-mem-limit (MB). */
  cpu: number;
  mem: number;
  minCpu?: number;
  minMem?: number;
}

function quantity(
  list: Record<string, unknown> | undefined,
  key: 'cpu' | 'memory',
  field: 'requests' | 'limits',
  ci: number,
  name: string,
  invalid: InvalidQuantity[],
): number | undefined {
  if (list === undefined) return undefined;
  const raw = list[key];
  if (raw === undefined || raw === null) return undefined;
  try {
    return key === 'cpu' ? parseCpuQuantity(raw) : parseMemQuantity(raw);
  } catch (err) {
    if (!(err instanceof QuantityError)) throw err;
    invalid.push({ containerIndex: ci, container: name, resource: key, field, value: raw, message: err.message });
    return undefined;
  }
}

function effective(request: number | undefined, limit: number | undefined, def: number, min: number): ResourceValue {
  let source: ResourceSource;
  let req: number;
  let lim: number;
  if (limit !== undefined) {
    source = 'given';
    lim = limit;
    req = request ?? limit;
  } else if (request !== undefined) {
    source = 'copied-from-request';
    req = lim = request;
  } else {
    source = 'default';
    req = lim = def;
  }
  let clamped = false;
  if (req < min) {
    req = min;
    clamped = true;
  }
  if (lim < min) {
    lim = min;
    clamped = true;
  }
  const v: ResourceValue = { request: req, limit: lim, source, clamped };
  if (request !== undefined) v.givenRequest = request;
  if (limit !== undefined) v.givenLimit = limit;
  return v;
}

/**
 * A pod's cpu/mem as the k8sm scheduler computes it (KMF `resources/resource.go` `podResources`, then
 * `PodRequestsAndLimits` over the written-back pod): per container and resource, neither request nor
 * limit → both the default; only one → the other copied from it; then both raised to the minimum
 * 0.01 CPU / 32 MB. The Mesos task asks for the SUM OF LIMITS.
 *
 * Only `spec.containers` count: k8sm's `podResources` walks `pod.Spec.Containers` alone, so init
 * containers are neither defaulted nor summed here. Never throws on malformed input.
 */
export function podResourceDemand(podSpec: unknown, defaults: DemandDefaults): PodResourceDemand {
  const minCpu = defaults.minCpu ?? K8SM_DEFAULTS.minContainerCpu;
  const minMem = defaults.minMem ?? K8SM_DEFAULTS.minContainerMem;
  const containers: ContainerDemand[] = [];
  const invalid: InvalidQuantity[] = [];
  let cpus = 0;
  let mem = 0;
  const list = asArray(asRecord(podSpec)?.containers) ?? [];
  for (let i = 0; i < list.length; i++) {
    const c = asRecord(list[i]);
    if (c === undefined) continue;
    const name = typeof c.name === 'string' ? c.name : `#${i}`;
    const res = asRecord(c.resources);
    const requests = asRecord(res?.requests);
    const limits = asRecord(res?.limits);
    const cpu = effective(
      quantity(requests, 'cpu', 'requests', i, name, invalid),
      quantity(limits, 'cpu', 'limits', i, name, invalid),
      defaults.cpu,
      minCpu,
    );
    const m = effective(
      quantity(requests, 'memory', 'requests', i, name, invalid),
      quantity(limits, 'memory', 'limits', i, name, invalid),
      defaults.mem,
      minMem,
    );
    cpus += cpu.limit;
    mem += m.limit;
    containers.push({ index: i, name, cpu, mem: m });
  }
  return { cpus: Math.round(cpus * 1e6) / 1e6, mem: Math.round(mem * 1e6) / 1e6, containers, invalid };
}

/** `podResourceDemand` without the per-container detail: what most pods need, without allocating. */
export interface PodResourceTotals {
  cpus: number;
  mem: number;
  containers: number;
  /** Some container gets a default, a copied limit or a raised minimum (ask `podResourceDemand` which). */
  adjusted: boolean;
  /** Some quantity could not be parsed. */
  invalid: boolean;
}

/** One resource of one container: adds its effective limit, flags defaults/minimums/invalid values. */
function addLimit(
  out: PodResourceTotals,
  requests: Record<string, unknown> | undefined,
  limits: Record<string, unknown> | undefined,
  key: 'cpu' | 'memory',
  def: number,
  min: number,
): number {
  const rawReq = requests?.[key];
  const rawLim = limits?.[key];
  const parse = key === 'cpu' ? cpuCoresOrNaN : memMegabytesOrNaN;
  let req = rawReq === undefined || rawReq === null ? undefined : parse(rawReq);
  let lim = rawLim === undefined || rawLim === null ? undefined : parse(rawLim);
  if (req !== undefined && Number.isNaN(req)) {
    out.invalid = true;
    req = undefined;
  }
  if (lim !== undefined && Number.isNaN(lim)) {
    out.invalid = true;
    lim = undefined;
  }
  let limit: number;
  if (lim !== undefined) {
    limit = lim;
    if ((req ?? lim) < min) out.adjusted = true;
  } else {
    out.adjusted = true;
    limit = req ?? def;
  }
  if (limit < min) {
    out.adjusted = true;
    return min;
  }
  return limit;
}

/** An empty total to fill with `addContainerTotals` and close with `finishTotals`. */
export function emptyTotals(): PodResourceTotals {
  return { cpus: 0, mem: 0, containers: 0, adjusted: false, invalid: false };
}

/** Adds one container (an object of spec.containers) to the totals. */
export function addContainerTotals(out: PodResourceTotals, c: Record<string, unknown>, defaults: DemandDefaults): void {
  out.containers++;
  const res = asRecord(c.resources);
  const requests = asRecord(res?.requests);
  const limits = asRecord(res?.limits);
  out.cpus += addLimit(out, requests, limits, 'cpu', defaults.cpu, defaults.minCpu ?? K8SM_DEFAULTS.minContainerCpu);
  out.mem += addLimit(out, requests, limits, 'memory', defaults.mem, defaults.minMem ?? K8SM_DEFAULTS.minContainerMem);
}

/** Rounds the sums the way `podResourceDemand` does. */
export function finishTotals(out: PodResourceTotals): PodResourceTotals {
  out.cpus = Math.round(out.cpus * 1e6) / 1e6;
  out.mem = Math.round(out.mem * 1e6) / 1e6;
  return out;
}

/** Same numbers as `podResourceDemand` (a test keeps them in step), computed in one allocation. */
export function podResourceTotals(podSpec: unknown, defaults: DemandDefaults): PodResourceTotals {
  const out = emptyTotals();
  const list = asArray(asRecord(podSpec)?.containers);
  if (list === undefined) return out;
  for (let i = 0; i < list.length; i++) {
    const c = asRecord(list[i]);
    if (c !== undefined) addContainerTotals(out, c, defaults);
  }
  return finishTotals(out);
}
