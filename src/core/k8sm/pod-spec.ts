import { asArray, asRecord } from '../json-shapes.js';
import { addHostPort, NO_PORTS, type HostPortTally } from './host-ports.js';
import { cpuCoresOrNaN, memMegabytesOrNaN, quantityError } from './quantity.js';
import {
  fillEffectiveResource,
  minCpuOf,
  minMemOf,
  roundSum,
  type ContainerDemand,
  type DemandDefaults,
  type InvalidQuantity,
  type PodResourceDemand,
  type PodResourceTotals,
  type ResourceValue,
} from './resources.js';

/**
 * What k8sm reads of a pod spec: `spec.containers` only (KMF `podResources` walks
 * `pod.Spec.Containers` alone, and the host-port mapper maps only their ports), so init containers
 * are neither charged nor mapped. Never throws on malformed input: what is not an object, or a port
 * with an invalid hostPort, is skipped (the schema check reports it).
 */

/** One container port, as k8sm's host-port mapper and endpoints controller see it (§1.4, §1.16). */
export interface ContainerPort {
  containerIndex: number;
  portIndex: number;
  /** The container's name, `#i` when unnamed. */
  container: string;
  /** Valid containerPort (1-65535), else undefined. */
  containerPort: number | undefined;
  name: string | undefined;
  /** `TCP` unless given; k8sm does NOT key host ports by it. */
  protocol: string;
  /** 0 when absent or 0: a wildcard port. */
  hostPort: number;
  /** The hostPort is the containerPort because the pod is on the host network (none was written). */
  hostNetwork?: true;
}

export function validPort(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? v : undefined;
}

/** A port's protocol as Kubernetes defaults it. */
export function protocolOf(v: unknown): string {
  return typeof v === 'string' && v !== '' ? v : 'TCP';
}

/** How findings and allocations name a container: its name, `#i` when it has none. */
export function containerName(c: Record<string, unknown>, index: number): string {
  return typeof c.name === 'string' ? c.name : `#${index}`;
}

/**
 * A container port's hostPort: 0 when absent or 0, undefined when invalid. On the host network
 * (`hostNetwork: true`) the apiserver sets hostPort = containerPort on every port that has none
 * (Kubernetes' pod defaulting), so each one is a fixed host port that an offer must hold.
 */
function hostPortOf(p: Record<string, unknown>, hostNetwork: boolean): number | undefined {
  const v = p.hostPort;
  if (v === undefined || v === null || v === 0) return hostNetwork ? (validPort(p.containerPort) ?? 0) : 0;
  return validPort(v);
}

/** What every pod needs, in one walk: its host-port demand and its resource totals. */
export interface PodSpecScan extends HostPortTally, PodResourceTotals {}

/** Per-container detail `scanPodSpec` can collect on the way (only what is asked for). */
export interface ScanDetail {
  ports?: ContainerPort[];
  containers?: ContainerDemand[];
  invalid?: InvalidQuantity[];
}

function quantity(
  list: Record<string, unknown> | undefined,
  key: 'cpu' | 'memory',
  field: 'requests' | 'limits',
  out: PodSpecScan,
  detail: ScanDetail | undefined,
  ci: number,
  name: string,
): number | undefined {
  const raw = list?.[key];
  if (raw === undefined || raw === null) return undefined;
  const n = key === 'cpu' ? cpuCoresOrNaN(raw) : memMegabytesOrNaN(raw);
  if (!Number.isNaN(n)) return n;
  out.invalid = true;
  if (detail?.invalid !== undefined) {
    const message = quantityError(raw, key)?.message ?? '';
    detail.invalid.push({ containerIndex: ci, container: name, resource: key, field, value: raw, message });
  }
  return undefined;
}

/** Where the walk puts a container's values when no detail is kept (the walk runs for every pod: no object per container). */
const SCRATCH_CPU: ResourceValue = { request: 0, limit: 0, source: 'given', clamped: false, givenRequest: undefined, givenLimit: undefined };
const SCRATCH_MEM: ResourceValue = { request: 0, limit: 0, source: 'given', clamped: false, givenRequest: undefined, givenLimit: undefined };

/**
 * One container's effective cpu and mem (§1.6) written into `cpu` and `mem`, with what the manifest
 * gives (`givenRequest`, `givenLimit`: present only when given, as `effectiveResource` writes them,
 * when `detail.containers` is asked for; else always written, undefined when not given). A quantity
 * that cannot be parsed reads as absent and marks `out.invalid`.
 */
function containerValues(
  c: Record<string, unknown>,
  ci: number,
  name: string,
  defaults: DemandDefaults,
  minCpu: number,
  minMem: number,
  cpu: ResourceValue,
  mem: ResourceValue,
  out: PodSpecScan,
  detail: ScanDetail | undefined,
): void {
  const res = asRecord(c.resources);
  const requests = asRecord(res?.requests);
  const limits = asRecord(res?.limits);
  const cpuRequest = quantity(requests, 'cpu', 'requests', out, detail, ci, name);
  const cpuLimit = quantity(limits, 'cpu', 'limits', out, detail, ci, name);
  const memRequest = quantity(requests, 'memory', 'requests', out, detail, ci, name);
  const memLimit = quantity(limits, 'memory', 'limits', out, detail, ci, name);
  fillEffectiveResource(cpuRequest, cpuLimit, defaults.cpu, minCpu, cpu);
  fillEffectiveResource(memRequest, memLimit, defaults.mem, minMem, mem);
  if (detail?.containers !== undefined) {
    if (cpuRequest !== undefined) cpu.givenRequest = cpuRequest;
    if (cpuLimit !== undefined) cpu.givenLimit = cpuLimit;
    if (memRequest !== undefined) mem.givenRequest = memRequest;
    if (memLimit !== undefined) mem.givenLimit = memLimit;
  } else {
    cpu.givenRequest = cpuRequest;
    cpu.givenLimit = cpuLimit;
    mem.givenRequest = memRequest;
    mem.givenLimit = memLimit;
  }
}

/** What `eachContainerDemand` hands over: valid only during the call (the same objects every time). */
export interface ContainerValuesVisit {
  index: number;
  container: Record<string, unknown>;
  cpu: Readonly<ResourceValue>;
  mem: Readonly<ResourceValue>;
}

const VISIT_CPU: ResourceValue = { request: 0, limit: 0, source: 'given', clamped: false, givenRequest: undefined, givenLimit: undefined };
const VISIT_MEM: ResourceValue = { request: 0, limit: 0, source: 'given', clamped: false, givenRequest: undefined, givenLimit: undefined };
const VISIT: ContainerValuesVisit = { index: 0, container: {}, cpu: VISIT_CPU, mem: VISIT_MEM };
const VISIT_SCAN: PodSpecScan = { fixed: NO_PORTS, wildcard: 0, duplicated: NO_PORTS, cpus: 0, mem: 0, containers: 0, adjusted: false, invalid: false };

/**
 * The values of `podResourceDemand`'s containers, one container at a time and with no object made
 * per container: `visit` gets the same object each time, its values those of the container (copy
 * what is kept). For a rule that reads every pod's containers and keeps nothing of most of them.
 */
export function eachContainerDemand(spec: unknown, defaults: DemandDefaults, visit: (v: ContainerValuesVisit) => void): void {
  const list = asArray(asRecord(spec)?.containers);
  if (list === undefined) return;
  const minCpu = minCpuOf(defaults);
  const minMem = minMemOf(defaults);
  for (let ci = 0; ci < list.length; ci++) {
    const c = asRecord(list[ci]);
    if (c === undefined) continue;
    containerValues(c, ci, '', defaults, minCpu, minMem, VISIT_CPU, VISIT_MEM, VISIT_SCAN, undefined);
    VISIT.index = ci;
    VISIT.container = c;
    visit(VISIT);
  }
  VISIT.container = {};
}

/**
 * The walk over `spec.containers`: every pod's host-port demand (§1.4) and cpu/mem totals (§1.6)
 * with the scheduler's defaults, plus the detail asked for in `detail`.
 */
export function scanPodSpec(spec: unknown, defaults: DemandDefaults, detail?: ScanDetail): PodSpecScan {
  const out: PodSpecScan = { fixed: NO_PORTS, wildcard: 0, duplicated: NO_PORTS, cpus: 0, mem: 0, containers: 0, adjusted: false, invalid: false };
  const list = asArray(asRecord(spec)?.containers);
  if (list === undefined) return out;
  const hostNetwork = asRecord(spec)?.hostNetwork === true;
  const minCpu = minCpuOf(defaults);
  const minMem = minMemOf(defaults);
  for (let ci = 0; ci < list.length; ci++) {
    const c = asRecord(list[ci]);
    if (c === undefined) continue;
    const name = detail === undefined ? '' : containerName(c, ci);
    out.containers++;
    let cpu = SCRATCH_CPU;
    let mem = SCRATCH_MEM;
    if (detail?.containers !== undefined) {
      cpu = { request: 0, limit: 0, source: 'given', clamped: false };
      mem = { request: 0, limit: 0, source: 'given', clamped: false };
    }
    containerValues(c, ci, name, defaults, minCpu, minMem, cpu, mem, out, detail);
    out.cpus += cpu.limit;
    out.mem += mem.limit;
    if (cpu.source !== 'given' || mem.source !== 'given' || cpu.clamped || mem.clamped) out.adjusted = true;
    if (detail?.containers !== undefined) detail.containers.push({ index: ci, name, cpu, mem });
    const plist = asArray(c.ports);
    if (plist === undefined) continue;
    for (let pi = 0; pi < plist.length; pi++) {
      const p = asRecord(plist[pi]);
      if (p === undefined) continue;
      const hostPort = hostPortOf(p, hostNetwork);
      if (hostPort === undefined) continue;
      addHostPort(out, hostPort);
      if (detail?.ports !== undefined) {
        const port: ContainerPort = {
          containerIndex: ci,
          portIndex: pi,
          container: name,
          containerPort: validPort(p.containerPort),
          name: typeof p.name === 'string' ? p.name : undefined,
          protocol: protocolOf(p.protocol),
          hostPort,
        };
        if (hostNetwork && hostPort !== 0 && (p.hostPort === undefined || p.hostPort === null || p.hostPort === 0)) port.hostNetwork = true;
        detail.ports.push(port);
      }
    }
  }
  out.cpus = roundSum(out.cpus);
  out.mem = roundSum(out.mem);
  return out;
}

/** Every valid container port of spec.containers (ports with an invalid hostPort are left out). */
export function containerPorts(spec: unknown, defaults: DemandDefaults): ContainerPort[] {
  const ports: ContainerPort[] = [];
  scanPodSpec(spec, defaults, { ports });
  return ports;
}

/** The pod's cpu/mem with the detail per container (§1.6); the Mesos task asks for the SUM OF LIMITS. */
export function podResourceDemand(spec: unknown, defaults: DemandDefaults): PodResourceDemand {
  const containers: ContainerDemand[] = [];
  const invalid: InvalidQuantity[] = [];
  const scan = scanPodSpec(spec, defaults, { containers, invalid });
  return { cpus: scan.cpus, mem: scan.mem, containers, invalid };
}
