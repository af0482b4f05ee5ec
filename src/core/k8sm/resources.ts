import { K8SM_DEFAULTS, type SchedulerSettings } from './settings.js';

/**
 * A pod's cpu/mem as the k8sm scheduler computes it (reference §1.6, KMF `resources/resource.go`
 * `podResources`, then `PodRequestsAndLimits` over the written-back pod). The walk over the pod spec
 * that feeds it is `scanPodSpec` (pod-spec.ts).
 */

/** Where a container's effective value came from, as k8sm fills it in. */
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

export interface DemandDefaults {
  /** --default-container-cpu-limit (cores) and --default-container-mem-limit (MB). */
  cpu: number;
  mem: number;
  /** k8sm's minimums (0.01 CPU / 32 MB) unless given. */
  minCpu?: number;
  minMem?: number;
}

/** The defaults of a scheduler's settings. */
export function demandDefaults(settings: Pick<SchedulerSettings, 'defaultContainerCpu' | 'defaultContainerMem'>): DemandDefaults {
  return { cpu: settings.defaultContainerCpu, mem: settings.defaultContainerMem };
}

/**
 * k8sm's rule for one resource of one container (§1.6), the only place it is written: neither
 * request nor limit → both the default; only one → the other copied from it; then both raised to
 * the minimum. The pod is charged the limit.
 */
export function effectiveResource(request: number | undefined, limit: number | undefined, def: number, min: number): ResourceValue {
  const v: ResourceValue = { request: 0, limit: 0, source: 'given', clamped: false };
  fillEffectiveResource(request, limit, def, min, v);
  if (request !== undefined) v.givenRequest = request;
  if (limit !== undefined) v.givenLimit = limit;
  return v;
}

/**
 * `effectiveResource` written into `v` (its request, limit, source and clamped), for a walk that only
 * sums the limits of every pod and needs no object per container.
 */
export function fillEffectiveResource(request: number | undefined, limit: number | undefined, def: number, min: number, v: ResourceValue): void {
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
  v.request = req;
  v.limit = lim;
  v.source = source;
  v.clamped = clamped;
}

export function minCpuOf(d: DemandDefaults): number {
  return d.minCpu ?? K8SM_DEFAULTS.minContainerCpu;
}

export function minMemOf(d: DemandDefaults): number {
  return d.minMem ?? K8SM_DEFAULTS.minContainerMem;
}

/** Sums are kept to 6 decimals (0.1 + 0.2 reads 0.3). */
export function roundSum(x: number): number {
  return Math.round(x * 1e6) / 1e6;
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

/** A pod's cpu/mem with the detail per container. */
export interface PodResourceDemand {
  /** What the Mesos task asks for: the sum of the containers' effective limits. */
  cpus: number;
  mem: number;
  containers: ContainerDemand[];
  /** Quantities that could not be parsed (treated as absent; the schema check reports them). */
  invalid: InvalidQuantity[];
}

/** A pod's cpu/mem without the per-container detail (what `scanPodSpec` sums for every pod). */
export interface PodResourceTotals {
  cpus: number;
  mem: number;
  /** Objects in spec.containers. */
  containers: number;
  /** Some container gets a default, a copied limit or a raised minimum (`podResourceDemand` says which). */
  adjusted: boolean;
  /** Some quantity could not be parsed. */
  invalid: boolean;
}

/** What a host's FIRST pod also pays: the executor and the static pods it carries. */
export interface ExecutorOverhead {
  /** `--mesos-executor-cpus` / `-mem` plus every static pod. */
  cpus: number;
  mem: number;
  /** The static pods' share of it. */
  staticCpus: number;
  staticMem: number;
}

/**
 * The executor's resources (§1.1 "Executor resources"; §1.14): the scheduler's executor settings
 * plus the sum of the static pods' limits (defaulted like any pod, §1.6). Charged on a host's first
 * pod only, from the framework roles (§1.5 step 4).
 */
export function executorOverhead(
  settings: Pick<SchedulerSettings, 'executorCpus' | 'executorMem'>,
  staticPods: ReadonlyArray<{ cpus: number; mem: number }> = [],
): ExecutorOverhead {
  let staticCpus = 0;
  let staticMem = 0;
  for (const p of staticPods) {
    staticCpus += p.cpus;
    staticMem += p.mem;
  }
  staticCpus = roundSum(staticCpus);
  staticMem = roundSum(staticMem);
  return { cpus: settings.executorCpus + staticCpus, mem: settings.executorMem + staticMem, staticCpus, staticMem };
}
