import { asArray, asRecord } from '../json-shapes.js';
import type { K8smPod, PodAllocation, RoleAmount } from '../k8sm/fit.js';
import { ANNOTATION, portAnnotation, portNameAnnotation } from '../k8sm/keys.js';
import { EXECUTOR_NAME, EXECUTOR_SOURCE, type ExecutorPrototype } from './executor.js';
import { templateKey, type SchedOffer } from './offers.js';

/**
 * The launch k8sm's executor understands (reference §1.1, §1.9, KMF `binder.go`): task id
 * `pod.<uuid>`, name `<pod>.<namespace>.pod`, the pod JSON in `data` with the scheduler's
 * annotations and every mapped hostPort rewritten to the allocated port, resources taken from the
 * offer in the offer's own form, and the per-host ExecutorInfo.
 */

/** §1.1: `<podName>.<namespace>.pod`, an empty namespace read as `default`. */
export function taskName(name: string, namespace: string | undefined): string {
  return `${name}.${namespace || 'default'}.pod`;
}

/** The `namespace/name` a task name of `taskName` stands for (a namespace has no dot; a pod name may). */
export function podKeyOfTaskName(task: string): string | undefined {
  if (!task.endsWith('.pod')) return undefined;
  const rest = task.slice(0, -'.pod'.length);
  const dot = rest.lastIndexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return undefined;
  return `${rest.slice(dot + 1)}/${rest.slice(0, dot)}`;
}

type Json = Record<string, unknown>;

function scalar(offer: SchedOffer, name: 'cpus' | 'mem', a: RoleAmount): Json {
  const t = offer.templates.get(templateKey(name, a.role)) ?? { name, type: 'SCALAR', ...(a.role !== '*' ? { role: a.role } : {}) };
  return { ...t, scalar: { value: a.amount } };
}

/** Scalar resources from the offer, one per role taken. */
function scalars(offer: SchedOffer, name: 'cpus' | 'mem', amounts: ReadonlyArray<RoleAmount>): Json[] {
  return amounts.filter((a) => a.amount > 0).map((a) => scalar(offer, name, a));
}

/** Ports grouped into one RANGES resource per role, each port a one-element range (§1.4). */
function portResources(offer: SchedOffer, grants: ReadonlyArray<{ hostPort: number; role: string }>): Json[] {
  const byRole = new Map<string, number[]>();
  for (const g of grants) {
    const l = byRole.get(g.role);
    if (l) l.push(g.hostPort);
    else byRole.set(g.role, [g.hostPort]);
  }
  const out: Json[] = [];
  for (const [role, ports] of byRole) {
    const t = offer.templates.get(templateKey('ports', role)) ?? { name: 'ports', type: 'RANGES', ...(role !== '*' ? { role } : {}) };
    out.push({ ...t, ranges: { range: ports.sort((a, b) => a - b).map((p) => ({ begin: p, end: p })) } });
  }
  return out;
}

/** Go-style quantities k8sm writes back into the pod copy: cpu in millicores, memory in bytes. */
function cpuQuantity(cores: number): string {
  return `${Math.round(cores * 1000)}m`;
}

function memQuantity(mb: number): string {
  return String(Math.round(mb * 1024 * 1024));
}

/**
 * What the loop keeps of a pod it may launch: all of it but its managedFields and status (the phase
 * only), which the launch does not use (launchedPod starts from it) and which were most of a pending pod's memory.
 */
export function launchablePod(pod: Json): Json {
  const m = asRecord(pod.metadata);
  const phase = asRecord(pod.status)?.phase;
  const out: Json = { ...pod };
  if (m && m.managedFields !== undefined) {
    const { managedFields: _dropped, ...rest } = m;
    out.metadata = rest;
  }
  if (phase !== undefined) out.status = { phase };
  else delete out.status;
  return out;
}

/**
 * The pod as the executor gets it: a copy with the k8sm annotations, each allocated host port
 * written into its container port, and the effective cpu/memory request and limit of every container
 * written where k8sm defaulted, copied or raised them (§1.6, `LimitPodCPU`/`LimitPodMem`). Only what
 * changes is copied (the pod, its metadata and annotations, its spec, and of each container changed,
 * the container and the ports or resources changed); the rest is shared with `pod`, which is left
 * as it was. (A deep copy by a JSON round trip was the largest cost of building a TaskInfo.)
 */
export function launchedPod(pod: Json, kp: K8smPod, allocation: PodAllocation, ann: Readonly<Record<string, string>>): Json {
  const copy = launchablePod(pod);
  delete copy.status;
  const meta: Json = { ...(asRecord(copy.metadata) ?? {}) };
  copy.metadata = meta;
  const annotations = { ...(asRecord(meta.annotations) ?? {}) } as Record<string, unknown>;
  Object.assign(annotations, ann);
  const spec = asRecord(copy.spec);
  const given = asArray(spec?.containers);
  const containers = given ? [...given] : [];
  const copied = new Set<number>();
  /** Container `i` of the copy, itself copied on first use. */
  const own = (i: number): Json | undefined => {
    const c = asRecord(containers[i]);
    if (!c || copied.has(i)) return c;
    const mine: Json = { ...c };
    containers[i] = mine;
    copied.add(i);
    return mine;
  };
  for (const hp of allocation.hostPorts) {
    const p = hp.port;
    const port = asRecord(asArray(asRecord(containers[p.containerIndex])?.ports)?.[p.portIndex]);
    if (port) {
      const c = own(p.containerIndex)!;
      const ports = [...asArray(c.ports)!];
      ports[p.portIndex] = { ...port, hostPort: hp.hostPort };
      c.ports = ports;
    }
    if (p.containerPort !== undefined) annotations[portAnnotation(p.protocol, p.containerPort)] = String(hp.hostPort);
    if (p.name) annotations[portNameAnnotation(p.protocol, p.name)] = String(hp.hostPort);
  }
  for (const cd of kp.resources.containers) {
    const c = own(cd.index);
    if (!c) continue;
    const res = (asRecord(c.resources) ?? {}) as Json;
    const requests = { ...(asRecord(res.requests) ?? {}) };
    const limits = { ...(asRecord(res.limits) ?? {}) };
    if (cd.cpu.source !== 'given' || cd.cpu.clamped) {
      requests.cpu = cpuQuantity(cd.cpu.request);
      limits.cpu = cpuQuantity(cd.cpu.limit);
    }
    if (cd.mem.source !== 'given' || cd.mem.clamped) {
      requests.memory = memQuantity(cd.mem.request);
      limits.memory = memQuantity(cd.mem.limit);
    }
    c.resources = { ...res, requests, limits };
  }
  if (spec && given) copy.spec = { ...spec, containers };
  meta.annotations = annotations;
  return copy;
}

export interface TaskInput {
  readonly pod: Json;
  readonly kp: K8smPod;
  readonly offer: SchedOffer;
  readonly allocation: PodAllocation;
  /** `pod.<uuid>` (the loop makes the uuid). */
  readonly taskId: string;
  readonly executor: ExecutorPrototype;
  /**
   * The resources of the executor already running on the host (a launch must repeat them), when
   * the allocation does not charge it; default: nothing (the master's copy is used).
   */
  readonly runningExecutorResources?: ReadonlyArray<Json>;
}

export interface BuiltTask {
  readonly taskInfo: Json;
  /** The pod JSON in `data`. */
  readonly pod: Json;
  /** The ExecutorInfo's resources (to reuse for the host's later launches). */
  readonly executorResources: ReadonlyArray<Json>;
}

/** The per-host ExecutorInfo JSON (§1.1): the prototype plus `--hostname-override=<host>` (not hashed). */
export function executorInfoFor(proto: ExecutorPrototype, hostname: string, resources: ReadonlyArray<Json>): Json {
  return {
    executor_id: { value: proto.id },
    name: EXECUTOR_NAME,
    source: EXECUTOR_SOURCE,
    command: { ...proto.command, arguments: [...proto.command.arguments, `--hostname-override=${hostname}`] },
    resources,
    ...(proto.dataBase64 ? { data: proto.dataBase64 } : {}),
  };
}

/**
 * The resources of this scheduler's executor already running on a host where this process has not
 * launched yet (after a restart, the offer lists the executor in `executor_ids`). A launch there must
 * repeat the ExecutorInfo the executor runs with, resources included, or the master refuses the
 * task (TASK_ERROR, "ExecutorInfo is not compatible with existing ExecutorInfo"). k8sm keeps them per
 * host and, after a restart, rebuilds them from the Node annotation `executorResources` its executor
 * wrote (§1.5 step 4, §1.9). Here they are rebuilt from the settings that also gave the executor id
 * (the id hashes the command and the static pods, §1.1, so a matching id means the same settings):
 * the executor overhead (`--mesos-executor-cpus/-mem` plus the static pods) in the first framework
 * role, the role a host's first launch takes it from (§1.5 step 4), in the offer's resource form.
 */
export function runningExecutorResources(
  offer: SchedOffer,
  overhead: { readonly cpus: number; readonly mem: number },
  frameworkRoles: ReadonlyArray<string>,
): Json[] {
  const role = frameworkRoles[0] ?? '*';
  return [...scalars(offer, 'cpus', [{ role, amount: overhead.cpus }]), ...scalars(offer, 'mem', [{ role, amount: overhead.mem }])];
}

/** The ExecutorInfo resources of an allocation that starts the executor on the host (`allocation.executor`), in the offer's form. */
export function newExecutorResources(offer: SchedOffer, a: PodAllocation): Json[] {
  if (!a.executor) return [];
  return [...scalars(offer, 'cpus', a.executor.cpus), ...scalars(offer, 'mem', a.executor.mem)];
}

export function buildTask(t: TaskInput): BuiltTask {
  const meta = asRecord(t.pod.metadata) ?? {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const ann: Record<string, string> = {
    [ANNOTATION.bindingHost]: t.offer.hostname,
    [ANNOTATION.taskId]: t.taskId,
    [ANNOTATION.slaveId]: t.offer.agentId,
    [ANNOTATION.offerId]: t.offer.id,
    [ANNOTATION.executorId]: t.executor.id,
  };
  const pod = launchedPod(t.pod, t.kp, t.allocation, ann);
  const a = t.allocation;
  const resources = [...scalars(t.offer, 'cpus', a.cpus), ...scalars(t.offer, 'mem', a.mem), ...portResources(t.offer, a.hostPorts)];
  const executorResources = a.executor ? newExecutorResources(t.offer, a) : [...(t.runningExecutorResources ?? [])];
  const taskInfo: Json = {
    name: taskName(name, namespace),
    task_id: { value: t.taskId },
    agent_id: { value: t.offer.agentId },
    resources,
    executor: executorInfoFor(t.executor, t.offer.hostname, executorResources),
    data: Buffer.from(JSON.stringify(pod), 'utf8').toString('base64'),
  };
  return { taskInfo, pod, executorResources };
}
