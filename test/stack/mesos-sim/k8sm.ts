/**
 * What k8sm's scheduler and executor do when a pod is launched on an agent (reference §1.1, §1.4,
 * §1.6, §1.9, §1.15, §3.2), against real servers:
 *
 * - the task: `pod.<uuid v1>`, named `<pod>.<namespace>.pod`, cpus/mem = the sum of container
 *   limits after k8sm's defaulting (0.25 CPU / 64 MB when unset, one copied from the other, at least
 *   0.01 CPU / 32 MB), `ports` = the host ports as single-port ranges (fixed hostPorts, and under the
 *   default `wildcard` mapping the lowest free port for every hostPort 0);
 * - the executor (created on the first pod of the framework on that agent): `Kubelet-Executor`,
 *   source `kubernetes`, ID `<crc64>_k8sm-executor`, 0.25 CPU / 128 MB, a Mesos container ID and
 *   its sandbox; starting it removes every `/k8s_*` container on the agent's Docker engine, as
 *   k8sm's executor does on start (`killKubeletContainers`);
 * - the pod in the real apiserver: annotations `k8s.mesosphere.io/{bindingHost,taskId,slaveId,
 *   offerId,executorId}` and `port_<PROTO>_<containerPort>` / `portName_<PROTO>_<name>`, bound with
 *   a Binding carrying them (or an annotation merge-patch when already bound), then its status
 *   patched to Running;
 * - on the agent's real Docker engine: the pod's infra container `k8s_POD.<hash>_<pod>_<ns>_<uid>_<8hex>`
 *   and one `k8s_<name>.<hash>_<pod>_<ns>_<uid>_<8hex>` per container, with the k8s 1.5
 *   `io.kubernetes.*` labels and `MESOS_EXECUTOR_CONTAINER_UUID=<executor container ID>` in their
 *   env, running busybox: a busybox pod container runs its own command and args; any other image
 *   (and the infra container, as `pause` does) runs a process that exits on SIGTERM;
 * - status updates TASK_STARTING (`create-binding-success`) then TASK_RUNNING (`pod-running:<pod>_<ns>`).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { DockerApi } from './docker-api.js';
import { adler32, randomHex8, uuidV1, uuidV4 } from './ids.js';
import { SimError, type ClusterState, type ExecutorRecord, type TaskRecord } from './state.js';

export interface PodContainerPort {
  containerPort: number;
  hostPort?: number;
  protocol?: string;
  name?: string;
  hostIP?: string;
}

export interface PodContainer {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: PodContainerPort[];
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
  env?: Array<{ name: string; value?: string }>;
  terminationMessagePath?: string;
}

/** A V1Pod, or the part of one that matters here. */
export interface PodLike {
  metadata?: { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: { containers: PodContainer[]; terminationGracePeriodSeconds?: number; nodeName?: string };
}

export interface KubeAccess {
  /** `https://127.0.0.1:6443` */
  server: string;
  token: string;
  caPem?: string;
  /**
   * Connections to the apiserver at once (default 64). k8sm's executors bind each from its own
   * agent; the simulator is every agent in one process, so it shares one keep-alive pool, or a
   * thousand launches would open a thousand TLS connections at once.
   */
  maxSockets?: number;
}

const kubeAgents = new WeakMap<KubeAccess, HttpAgent>();
function kubeAgent(kube: KubeAccess, secure: boolean): HttpAgent {
  let a = kubeAgents.get(kube);
  if (!a) {
    const o = { keepAlive: true, maxSockets: kube.maxSockets ?? 64 };
    a = secure ? new HttpsAgent({ ...o, ...(kube.caPem ? { ca: kube.caPem } : {}) }) : new HttpAgent(o);
    kubeAgents.set(kube, a);
  }
  return a;
}

export interface LaunchK8smPodOptions {
  agentId: string;
  frameworkId: string;
  pod: PodLike;
  kube?: KubeAccess;
  /** Use (or create) this executor ID instead of k8sm's hashed one. */
  executorId?: string;
  /** Only these containers get a Docker container (the infra container always does). Default: all. */
  containers?: string[];
  /** Role of the allocation; default the framework's role. */
  role?: string;
  /** Remove all `/k8s_*` containers when this launch starts the executor (k8sm does). Default true. */
  killKubeletContainersOnStart?: boolean;
  /**
   * Stop at TASK_STARTING: the pod is bound (annotations written) and its containers created, but
   * the kubelet never reports it Running (the pod stays Pending, the task STARTING): a launched pod
   * that is not Running.
   */
  until?: 'TASK_STARTING';
}

export interface LaunchedPod {
  taskId: string;
  taskName: string;
  executorId: string;
  /** Mesos ContainerID of the executor (= MESOS_EXECUTOR_CONTAINER_UUID). */
  executorContainerId: string;
  executorCreated: boolean;
  agentId: string;
  hostname: string;
  namespace: string;
  name: string;
  uid: string;
  /** containerPort → allocated host port, per protocol: `TCP/8080` → 31000. */
  hostPorts: Record<string, number>;
  annotations: Record<string, string>;
  cpus: number;
  mem: number;
  docker: Array<{ id: string; name: string; container: string }>;
}

// ---------------------------------------------------------------------------------------------
// k8sm's resource arithmetic (KMF resources/resource.go)

export const DEFAULT_CONTAINER_CPU_LIMIT = 0.25;
export const DEFAULT_CONTAINER_MEM_LIMIT_MB = 64;
export const MIN_CPU = 0.01;
export const MIN_MEM_MB = 32;

/** A Kubernetes CPU quantity in cores ("500m" → 0.5). */
export function parseCpu(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(m|u|n|k)?$/.exec(q.trim());
  if (!m) throw new SimError(`not a CPU quantity: ${q}`);
  const v = Number(m[1]);
  const mult = { m: 1e-3, u: 1e-6, n: 1e-9, k: 1e3 }[m[2] as 'm' | 'u' | 'n' | 'k'] ?? 1;
  return v * mult;
}

/** A Kubernetes memory quantity in bytes ("64Mi" → 67108864). */
export function parseMemoryBytes(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/.exec(q.trim());
  if (!m) throw new SimError(`not a memory quantity: ${q}`);
  const mult: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    m: 1e-3,
  };
  return Number(m[1]) * (m[2] ? (mult[m[2]] as number) : 1);
}

/** Per container: limit, else request, else the default; at least the minimum. Returns the pod's sums. */
export function podResourceLimits(pod: PodLike): { cpus: number; mem: number } {
  let cpus = 0;
  let mem = 0;
  for (const c of pod.spec?.containers ?? []) {
    const lim = c.resources?.limits ?? {};
    const req = c.resources?.requests ?? {};
    const cpuQ = lim['cpu'] ?? req['cpu'];
    const memQ = lim['memory'] ?? req['memory'];
    cpus += Math.max(MIN_CPU, cpuQ === undefined ? DEFAULT_CONTAINER_CPU_LIMIT : parseCpu(cpuQ));
    mem += Math.max(MIN_MEM_MB, memQ === undefined ? DEFAULT_CONTAINER_MEM_LIMIT_MB : parseMemoryBytes(memQ) / (1024 * 1024));
  }
  return { cpus: Math.round(cpus * 1000) / 1000, mem: Math.round(mem * 1000) / 1000 };
}

export interface PortAssignment {
  container: string;
  containerPort: number;
  protocol: string;
  name?: string;
  hostPort: number;
}

/**
 * Host ports for a pod (KMF podtask/hostport/mapper.go): `fixed` takes every non-zero hostPort and
 * ignores hostPort 0; `wildcard` (the default) additionally gives each hostPort 0 the lowest free port.
 */
export function assignHostPorts(pod: PodLike, freePort: (count: number, exclude: number[]) => number[]): PortAssignment[] {
  const mode = pod.metadata?.labels?.['k8s.mesosphere.io/portMapping'] === 'fixed' ? 'fixed' : 'wildcard';
  const out: PortAssignment[] = [];
  const wild: Array<Omit<PortAssignment, 'hostPort'>> = [];
  const seen = new Set<number>();
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      const base = { container: c.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP', ...(p.name ? { name: p.name } : {}) };
      if (p.hostPort) {
        if (seen.has(p.hostPort)) throw new SimError(`Host port ${p.hostPort} is specified for container ${c.name}, pod ${pod.metadata?.name} already`);
        seen.add(p.hostPort);
        out.push({ ...base, hostPort: p.hostPort });
      } else if (mode === 'wildcard') {
        wild.push(base);
      }
    }
  }
  const picked = freePort(wild.length, [...seen]);
  wild.forEach((w, i) => out.push({ ...w, hostPort: picked[i] as number }));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Docker and apiserver access

/** Force-removes containers (with volumes), ignoring those already gone. */
export async function removeContainers(docker: DockerApi, ids: readonly string[]): Promise<void> {
  for (const id of ids) await docker.removeContainer(id);
}

/** k8sm's executor on start: every container whose first name begins with `/k8s_`, running or not. */
export async function killKubeletContainers(docker: DockerApi): Promise<string[]> {
  const all = await docker.listContainers({ all: true });
  const ids = all.filter((c) => (c.Names?.[0] ?? '').startsWith('/k8s_')).map((c) => c.Id);
  await removeContainers(docker, ids);
  return ids;
}

/** One request to the apiserver with the bearer token (JSON in, status and text out). */
export async function kubeRequest(
  kube: KubeAccess,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: string }> {
  const url = new URL(path, kube.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const secure = url.protocol === 'https:';
  const req = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = req(
      url,
      {
        method,
        agent: kubeAgent(kube, secure),
        ...(kube.caPem ? { ca: kube.caPem } : {}),
        headers: {
          Authorization: `Bearer ${kube.token}`,
          Accept: 'application/json',
          ...(payload !== undefined ? { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
        },
        timeout: 15000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`apiserver ${method} ${path}: timed out`)));
    r.on('error', reject);
    if (payload !== undefined) r.write(payload);
    r.end();
  });
}

function kubeFail(what: string, res: { status: number; body: string }): never {
  let msg = res.body;
  try {
    msg = (JSON.parse(res.body) as { message?: string }).message ?? res.body;
  } catch {
    /* not JSON */
  }
  throw new SimError(`${what}: HTTP ${res.status} ${msg}`.trim());
}

// ---------------------------------------------------------------------------------------------
// Kubelet-style Docker containers (k8s 1.5 dockertools)

function portsLabel(ports: PodContainerPort[]): string {
  // The internal API's JSON field order: name, hostPort, containerPort, protocol, hostIP (omitempty).
  return JSON.stringify(
    ports.map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      ...(p.hostPort ? { hostPort: p.hostPort } : {}),
      containerPort: p.containerPort,
      protocol: p.protocol ?? 'TCP',
      ...(p.hostIP ? { hostIP: p.hostIP } : {}),
    })),
  );
}

export function kubeletContainerName(containerName: string, hash: string, pod: { name: string; namespace: string; uid: string }): string {
  return `k8s_${containerName}.${hash}_${pod.name}_${pod.namespace}_${pod.uid}_${randomHex8()}`;
}

export function kubeletLabels(c: PodContainer, hash: string, pod: { name: string; namespace: string; uid: string; grace: number }): Record<string, string> {
  const labels: Record<string, string> = {
    'io.kubernetes.pod.name': pod.name,
    'io.kubernetes.pod.namespace': pod.namespace,
    'io.kubernetes.pod.uid': pod.uid,
    'io.kubernetes.pod.terminationGracePeriod': String(pod.grace),
    'io.kubernetes.container.name': c.name,
    'io.kubernetes.container.hash': hash,
    'io.kubernetes.container.restartCount': '0',
    'io.kubernetes.container.terminationMessagePath': c.terminationMessagePath ?? '',
  };
  if (c.ports && c.ports.length > 0) labels['io.kubernetes.container.ports'] = portsLabel(c.ports);
  return labels;
}

export const POD_INFRA_CONTAINER_NAME = 'POD';
export const SIM_CONTAINER_IMAGE = 'busybox:latest';

/** A process that exits at once on SIGTERM, as `pause` and well-behaved servers do. */
export const WELL_BEHAVED_CMD = ['/bin/sh', '-c', "trap 'exit 0' TERM; sleep 2147483 & wait"];

/**
 * What a pod container runs on the engine, where only busybox exists: a busybox container its own
 * command and args (`sh -c "trap '' TERM; ..."` ignores SIGTERM: stopping it takes the whole grace
 * period); any other image, or busybox without a command, a process that exits on SIGTERM.
 */
export function containerCommand(c: PodContainer): string[] {
  const busybox = c.image !== undefined && /(^|\/)busybox([:@]|$)/.test(c.image);
  if (busybox && ((c.command?.length ?? 0) > 0 || (c.args?.length ?? 0) > 0)) return [...(c.command ?? []), ...(c.args ?? [])];
  return WELL_BEHAVED_CMD;
}

// ---------------------------------------------------------------------------------------------
// Executor shutdown (reference §1.15, §3.1)

/** The k8sm executor waits at most this long for its kubelet to tear the pods down, then exits (hard-coded in k8sm). */
export const K8SM_EXECUTOR_SHUTDOWN_MS = 15_000;

export interface StopStep {
  id: string;
  /** The pod's terminationGracePeriodSeconds: the `t` of `docker stop`. */
  graceSeconds: number;
}

export interface ShutdownOutcome {
  /** exited: every container stopped and removed in time; killed: the agent's executor_shutdown_grace_period ran out; gave-up: the executor's own 15 s did. */
  end: 'exited' | 'killed' | 'gave-up';
  /** Stopped and removed, in order. */
  stopped: string[];
  /** Its stop was under way when the executor died: dockerd finishes that stop by itself, nobody removes it. */
  interrupted?: string;
  /** Never asked to stop: they keep running. */
  left: string[];
  /** Stop or removal failed (the container stays): `id: message`. */
  failed: string[];
}

/**
 * The kubelet inside a shutting-down executor: stops the pod containers one by one (each with its
 * pod's grace period) and removes them, until `deadline` settles (the agent kills the executor, or
 * the executor gives up). What was not done by then is left behind. No I/O of its own.
 */
export async function stopOneByOne(
  steps: readonly StopStep[],
  stopAndRemove: (step: StopStep, signal: AbortSignal) => Promise<void>,
  deadline: Promise<'killed' | 'gave-up'>,
): Promise<ShutdownOutcome> {
  const out: ShutdownOutcome = { end: 'exited', stopped: [], left: [], failed: [] };
  let ended: 'killed' | 'gave-up' | undefined;
  const dead = deadline.then((why) => {
    ended = why;
    return { dead: why } as const;
  });
  for (const step of steps) {
    if (ended) {
      out.left.push(step.id);
      continue;
    }
    const abort = new AbortController();
    const work = stopAndRemove(step, abort.signal).then(
      () => ({ ok: true }) as const,
      (e: unknown) => ({ ok: false, message: e instanceof Error ? e.message : String(e) }) as const,
    );
    const r = await Promise.race([work, dead]);
    if ('dead' in r) {
      abort.abort();
      out.interrupted = step.id;
      continue;
    }
    if (r.ok) out.stopped.push(step.id);
    else out.failed.push(`${step.id}: ${r.message}`);
  }
  if (ended) out.end = ended;
  return out;
}

/** A Mesos Duration flag value (`5secs`, `500ms`, `1mins`, `2hrs`, ...) in milliseconds; undefined if not one. */
export function parseMesosDuration(v: string): number | undefined {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ns|us|ms|secs|mins|hrs|days|weeks)\s*$/.exec(v);
  if (!m) return undefined;
  const unit = { ns: 1e-6, us: 1e-3, ms: 1, secs: 1e3, mins: 60e3, hrs: 3600e3, days: 86400e3, weeks: 604800e3 }[m[2] as 'ns'];
  return Number(m[1]) * unit;
}

// ---------------------------------------------------------------------------------------------

export class K8smExecutorSim {
  private readonly dockers = new Map<string, DockerApi>();
  /** Background work (container removal after a teardown): close() waits for it. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly state: ClusterState) {}

  docker(agentId: string): DockerApi | undefined {
    const a = this.state.agent(agentId);
    if (!a.docker) return undefined;
    let d = this.dockers.get(a.id);
    if (!d) {
      d = new DockerApi(a.docker);
      this.dockers.set(a.id, d);
    }
    return d;
  }

  /** The framework's live k8sm executor on that agent, if any. */
  private liveK8smExecutor(frameworkId: string, agentId: string, executorId?: string): ExecutorRecord | undefined {
    return this.state
      .executorsOf({ agentId, frameworkId, completed: false })
      .find((e) => (executorId !== undefined ? e.id === executorId : e.k8sm || e.name === 'Kubelet-Executor'));
  }

  async launch(o: LaunchK8smPodOptions): Promise<LaunchedPod> {
    const s = this.state;
    const agent = s.agent(o.agentId);
    const framework = s.framework(o.frameworkId);
    if (framework.completed) throw new SimError(`framework ${framework.id} was removed`);
    const podIn = JSON.parse(JSON.stringify(o.pod)) as PodLike;
    const name = podIn.metadata?.name;
    if (!name) throw new SimError('the pod has no metadata.name');
    const namespace = podIn.metadata?.namespace || 'default';
    const containers = podIn.spec?.containers ?? [];
    if (containers.length === 0) throw new SimError(`pod ${namespace}/${name} has no containers`);

    // The pod as the apiserver has it (uid, nodeName), when there is one.
    let livePod: PodLike | undefined;
    if (o.kube) {
      const res = await kubeRequest(o.kube, 'GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`);
      if (res.status !== 200) kubeFail(`reading pod ${namespace}/${name}`, res);
      livePod = JSON.parse(res.body) as PodLike;
    }
    const uid = livePod?.metadata?.uid ?? podIn.metadata?.uid ?? uuidV4();
    const role = o.role ?? s.defaultRole(framework);

    const { cpus, mem } = podResourceLimits(podIn);
    const ports = assignHostPorts(podIn, (count, exclude) => s.lowestFreePorts(agent, count, role, exclude));

    let executor = this.liveK8smExecutor(framework.id, agent.id, o.executorId);
    const executorCreated = executor === undefined;
    if (!executor) {
      executor = s.addExecutor({
        frameworkId: framework.id,
        agentId: agent.id,
        k8sm: true,
        role,
        ...(o.executorId !== undefined ? { id: o.executorId } : {}),
      });
    }
    const taskId = `pod.${uuidV1()}`;
    const taskName = `${name}.${namespace}.pod`;
    let task: TaskRecord;
    try {
      task = s.addTask({
        frameworkId: framework.id,
        agentId: agent.id,
        id: taskId,
        name: taskName,
        executorId: executor.id,
        state: 'TASK_STAGING',
        role,
        resources: { cpus, mem, ...(ports.length > 0 ? { ports: ports.map((p) => p.hostPort) } : {}) },
      });
    } catch (e) {
      if (executorCreated) s.discardExecutor(executor);
      throw e;
    }
    task.pod = { namespace, name, uid };

    const annotations: Record<string, string> = {
      ...(podIn.metadata?.annotations ?? {}),
      'k8s.mesosphere.io/bindingHost': agent.hostname,
      'k8s.mesosphere.io/taskId': taskId,
      'k8s.mesosphere.io/slaveId': agent.id,
      'k8s.mesosphere.io/offerId': s.ids.offerId(),
      'k8s.mesosphere.io/executorId': executor.id,
    };
    const hostPorts: Record<string, number> = {};
    for (const p of ports) {
      annotations[`k8s.mesosphere.io/port_${p.protocol}_${p.containerPort}`] = String(p.hostPort);
      if (p.name) annotations[`k8s.mesosphere.io/portName_${p.protocol}_${p.name}`] = String(p.hostPort);
      hostPorts[`${p.protocol}/${p.containerPort}`] = p.hostPort;
    }
    // TaskInfo.data: the pod with the scheduler's annotations and the allocated host ports.
    const podOut: PodLike = JSON.parse(JSON.stringify(podIn)) as PodLike;
    podOut.metadata = { ...(podOut.metadata ?? {}), name, namespace, uid, annotations };
    for (const c of podOut.spec?.containers ?? []) {
      for (const p of c.ports ?? []) {
        const a = ports.find((x) => x.container === c.name && x.containerPort === p.containerPort && x.protocol === (p.protocol ?? 'TCP'));
        if (a) p.hostPort = a.hostPort;
      }
    }
    task.data = Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', ...podOut })).toString('base64');

    const fail = (message: string, e: unknown): never => {
      s.updateTask(taskId, { state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', message });
      throw e instanceof Error ? e : new SimError(String(e));
    };

    // Bind (or annotate) the pod in the apiserver.
    if (o.kube) {
      try {
        if (!livePod?.spec?.nodeName) {
          const res = await kubeRequest(o.kube, 'POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/bindings`, {
            apiVersion: 'v1',
            kind: 'Binding',
            metadata: { name, namespace, annotations },
            target: { apiVersion: 'v1', kind: 'Node', name: agent.hostname },
          });
          if (res.status !== 201 && res.status !== 200) kubeFail(`binding pod ${namespace}/${name} to ${agent.hostname}`, res);
        } else {
          const res = await kubeRequest(
            o.kube,
            'PATCH',
            `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`,
            { metadata: { annotations } },
            'application/merge-patch+json',
          );
          if (res.status !== 200) kubeFail(`annotating pod ${namespace}/${name}`, res);
        }
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e), e);
      }
    }
    s.updateTask(taskId, { state: 'TASK_STARTING', source: 'SOURCE_EXECUTOR', message: 'create-binding-success' });

    // Kubelet-named containers on the agent's Docker engine.
    const created: LaunchedPod['docker'] = [];
    const docker = this.docker(agent.id);
    if (docker) {
      try {
        if (executorCreated && o.killKubeletContainersOnStart !== false) await killKubeletContainers(docker);
        const grace = podIn.spec?.terminationGracePeriodSeconds ?? 30;
        const podId = { name, namespace, uid, grace };
        const allPorts = (podOut.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
        const infraSpec: PodContainer = { name: POD_INFRA_CONTAINER_NAME, image: SIM_CONTAINER_IMAGE, ports: allPorts };
        const env = [`MESOS_EXECUTOR_CONTAINER_UUID=${executor.containerId}`];
        const infraHash = adler32(JSON.stringify(infraSpec)).toString(16);
        const infraName = kubeletContainerName(POD_INFRA_CONTAINER_NAME, infraHash, podId);
        const infraId = await docker.createContainer(infraName, {
          Image: SIM_CONTAINER_IMAGE,
          Cmd: WELL_BEHAVED_CMD,
          Env: env,
          Labels: kubeletLabels(infraSpec, infraHash, podId),
          HostConfig: { NetworkMode: 'none' },
        });
        created.push({ id: infraId, name: infraName, container: POD_INFRA_CONTAINER_NAME });
        await docker.startContainer(infraId);
        const wanted = o.containers ? new Set(o.containers) : undefined;
        for (const c of podOut.spec?.containers ?? []) {
          if (wanted && !wanted.has(c.name)) continue;
          const spec: PodContainer = { ...c, terminationMessagePath: c.terminationMessagePath ?? '/dev/termination-log' };
          const hash = adler32(JSON.stringify(spec)).toString(16);
          const cname = kubeletContainerName(c.name, hash, podId);
          const ctrId = await docker.createContainer(cname, {
            Image: SIM_CONTAINER_IMAGE,
            Cmd: containerCommand(c),
            Env: [...(c.env ?? []).filter((v) => v.value !== undefined).map((v) => `${v.name}=${v.value}`), ...env],
            Labels: kubeletLabels(spec, hash, podId),
            HostConfig: { NetworkMode: `container:${infraId}` },
          });
          created.push({ id: ctrId, name: cname, container: c.name });
          await docker.startContainer(ctrId);
        }
      } catch (e) {
        task.docker = { containerIds: created.map((c) => c.id) };
        await removeContainers(docker, task.docker.containerIds).catch(() => undefined);
        fail('kubelet-pod-launch-failed', e);
      }
      task.docker = { containerIds: created.map((c) => c.id), gracePeriodSeconds: podIn.spec?.terminationGracePeriodSeconds ?? 30 };
    }

    const launched: LaunchedPod = {
      taskId,
      taskName,
      executorId: executor.id,
      executorContainerId: executor.containerId,
      executorCreated,
      agentId: agent.id,
      hostname: agent.hostname,
      namespace,
      name,
      uid,
      hostPorts,
      annotations,
      cpus,
      mem,
      docker: created,
    };
    if (o.until === 'TASK_STARTING') return launched;

    // The kubelet reports the pod Running.
    if (o.kube) {
      const startedAt = new Date().toISOString();
      const res = await kubeRequest(
        o.kube,
        'PATCH',
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/status`,
        {
          status: {
            phase: 'Running',
            hostIP: agent.ip,
            podIP: agent.ip,
            startTime: startedAt,
            conditions: [
              { type: 'Initialized', status: 'True', lastTransitionTime: startedAt },
              { type: 'Ready', status: 'True', lastTransitionTime: startedAt },
              { type: 'PodScheduled', status: 'True', lastTransitionTime: startedAt },
            ],
            containerStatuses: containers.map((c) => {
              const d = created.find((x) => x.container === c.name);
              return {
                name: c.name,
                ready: true,
                restartCount: 0,
                image: c.image ?? SIM_CONTAINER_IMAGE,
                imageID: `docker://${SIM_CONTAINER_IMAGE}`,
                ...(d ? { containerID: `docker://${d.id}` } : {}),
                state: { running: { startedAt } },
              };
            }),
          },
        },
        'application/merge-patch+json',
      ).catch((e: unknown) => fail(e instanceof Error ? e.message : String(e), e));
      if (res.status !== 200)
        fail(`pod status: HTTP ${res.status}`, new SimError(`patching the status of pod ${namespace}/${name}: HTTP ${res.status} ${res.body}`));
    }
    s.updateTask(taskId, { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', message: `pod-running:${name}_${namespace}` });

    return launched;
  }

  /**
   * The executor's kubelet tearing down the pods of `tasks` on the agent's engine when the agent shuts
   * the executor down: per pod its containers then the infra container, one by one, each stopped with
   * the pod's grace period and removed, until the agent kills the executor (`agentGraceMs`, its
   * executor_shutdown_grace_period) or the executor gives up (15 s). Without a Docker engine: exited.
   */
  async shutdownPods(agentId: string, tasks: readonly TaskRecord[], agentGraceMs: number): Promise<ShutdownOutcome> {
    const docker = this.docker(agentId);
    const steps: StopStep[] = [];
    for (const t of tasks) {
      const ids = t.docker?.containerIds ?? [];
      const grace = t.docker?.gracePeriodSeconds ?? 30;
      // containerIds: [infra, ...containers]: the kubelet stops the containers first, the infra container last.
      for (const id of [...ids.slice(1), ...ids.slice(0, 1)]) steps.push({ id, graceSeconds: grace });
    }
    if (!docker || steps.length === 0) return { end: 'exited', stopped: [], left: [], failed: [] };
    const timers: NodeJS.Timeout[] = [];
    const after = (ms: number, why: 'killed' | 'gave-up') => new Promise<typeof why>((resolve) => timers.push(setTimeout(() => resolve(why), ms)));
    const deadline =
      agentGraceMs <= K8SM_EXECUTOR_SHUTDOWN_MS
        ? after(agentGraceMs, 'killed')
        : Promise.race([after(agentGraceMs, 'killed'), after(K8SM_EXECUTOR_SHUTDOWN_MS, 'gave-up')]);
    try {
      return await stopOneByOne(
        steps,
        async (step, signal) => {
          await docker.stopContainer(step.id, step.graceSeconds, signal);
          if (!signal.aborted) await docker.removeContainer(step.id);
        },
        deadline,
      );
    } finally {
      for (const t of timers) clearTimeout(t);
    }
  }

  /** Executor shutdowns of a teardown, run in the background: close() waits for them. */
  track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Removes the Docker containers of these tasks (now, or in the background with `background`). */
  cleanup(tasks: readonly TaskRecord[], background = false): Promise<void> {
    const work = (async () => {
      for (const t of tasks) {
        if (!t.docker || t.docker.containerIds.length === 0) continue;
        const d = this.docker(t.agentId);
        if (d) await removeContainers(d, t.docker.containerIds);
      }
    })();
    if (!background) return work;
    const tracked = work.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    return Promise.resolve();
  }

  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
