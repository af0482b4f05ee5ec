/**
 * A small k8sm workload on a running stack, so that a person who ran `npm run stack:up` has
 * something to look at with every command: a k8sm framework ("Kubernetes") running three pods (real
 * pods in the apiserver, bound and Running; real kubelet-named containers on the agents' Docker
 * engines; tasks holding host ports), the agents' Nodes, another framework with a command task, and a
 * pod that stays Pending because its host port is offered by no agent (`diagnose pod` says why). Seeded through the simulator's control API
 * and the apiserver, as the k8sm executor would do it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { http } from './net.js';
import type { StackInfo } from './types.js';

export interface DemoSummary {
  frameworkId: string;
  pods: Array<{ namespace: string; name: string; agent: string; taskId: string; hostPorts: Record<string, number> }>;
  pending: Array<{ namespace: string; name: string }>;
}

async function call(url: string, opts: { method: string; body?: unknown; token?: string; ca?: string }): Promise<{ status: number; json: unknown }> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { Accept: 'application/json', ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}) };
  const res = await http(url, { method: opts.method, headers, body: payload, token: opts.token, ca: opts.ca, timeoutMs: 30_000 });
  let json: unknown = res.body;
  try {
    json = JSON.parse(res.body);
  } catch {
    /* text */
  }
  return { status: res.status, json };
}

function pod(namespace: string, name: string, app: string, ports: Array<[number, number]>, limits = { cpu: '250m', memory: '128Mi' }) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app } },
    spec: {
      containers: [
        {
          name: app,
          image: 'busybox:latest',
          command: ['sleep', '86400'],
          ports: ports.map(([containerPort, hostPort]) => ({ containerPort, hostPort, protocol: 'TCP' })),
          resources: { limits },
        },
      ],
    },
  };
}

export async function seedDemo(info: StackInfo): Promise<DemoSummary> {
  if (!info.mesos?.controlUrl) throw new Error('the stack runs without the Mesos simulator: no demo');
  const ca = readFileSync(info.kube.caFile, 'utf8');
  const token = info.kube.admin.token;
  const control = async <T>(method: string, body: unknown): Promise<T> => {
    const r = await call(`${info.mesos!.controlUrl}/${method}`, { method: 'POST', body });
    const j = r.json as { result?: T; error?: string };
    if (r.status !== 200) throw new Error(`simulator ${method}: ${j.error ?? r.status}`);
    return j.result as T;
  };
  const kube = async (path: string, method: string, body?: unknown) => {
    const r = await call(`${info.kube.url}${path}`, { method, body, token, ca });
    if (r.status >= 300 && r.status !== 409) throw new Error(`apiserver ${method} ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
  };

  const fw = await control<{ id: string }>('addFramework', {
    name: 'Kubernetes',
    role: '*',
    principal: 'k8sm',
    user: 'root',
    checkpoint: true,
    failoverTimeout: 604800,
    webuiUrl: 'http://127.0.0.1:10251',
    pid: 'scheduler(1)@127.0.0.1:10251',
  });
  const other = await control<{ id: string }>('addFramework', { name: 'marathon', role: '*', principal: 'marathon', user: 'root' });
  const agents = info.mesos.agents.map((a) => a.hostname);
  await control('addTask', {
    frameworkId: other.id,
    agentId: agents[agents.length - 1],
    name: 'batch-reindex',
    state: 'TASK_RUNNING',
    resources: { cpus: 0.5, mem: 256 },
  });

  // The Node of every agent, as the k8sm scheduler registers them when an agent's offers arrive
  // (hostname label, and the agent's attributes as k8s.mesosphere.io/attribute-* labels).
  for (const a of info.mesos.agents) {
    const labels: Record<string, string> = { 'kubernetes.io/hostname': a.hostname };
    for (const [k, v] of Object.entries(a.attributes)) labels[`k8s.mesosphere.io/attribute-${k}`] = v;
    await kube('/api/v1/nodes', 'POST', { apiVersion: 'v1', kind: 'Node', metadata: { name: a.hostname, labels }, spec: { externalID: a.hostname } });
  }

  const kube_ = { server: info.kube.url, token, caPem: ca };
  const plan: Array<{ p: ReturnType<typeof pod>; agent: string }> = [
    { p: pod('team-a', 'web-0', 'web', [[8080, 31080]]), agent: agents[0]! },
    { p: pod('team-a', 'web-1', 'web', [[8080, 31080]]), agent: agents[1 % agents.length]! },
    { p: pod('team-b', 'redis-0', 'redis', [[6379, 31379]], { cpu: '500m', memory: '256Mi' }), agent: agents[2 % agents.length]! },
  ];
  const summary: DemoSummary = { frameworkId: fw.id, pods: [], pending: [] };
  for (const { p, agent } of plan) {
    await kube(`/api/v1/namespaces/${p.metadata.namespace}/pods`, 'POST', p);
    const launched = await control<{ taskId: string; hostPorts: Record<string, number> }>('launchK8smPod', {
      agentId: agent,
      frameworkId: fw.id,
      pod: p,
      kube: kube_,
    });
    summary.pods.push({ namespace: p.metadata.namespace, name: p.metadata.name, agent, taskId: launched.taskId, hostPorts: launched.hostPorts });
  }
  // Never scheduled: host port 8080 is outside every agent's offered ports. The event is the one the
  // k8sm scheduler writes when no offer fits (the reason stays in its V(5) log): `k8smctl diagnose
  // pod api-legacy -n team-a` says why, agent by agent.
  const stuck = pod('team-a', 'api-legacy', 'api', [[8080, 8080]]);
  const created = await call(`${info.kube.url}/api/v1/namespaces/team-a/pods`, { method: 'POST', body: stuck, token, ca });
  if (created.status >= 300 && created.status !== 409) throw new Error(`apiserver POST pod team-a/api-legacy: ${created.status}`);
  const uid = (created.json as { metadata?: { uid?: string } }).metadata?.uid;
  const at = new Date().toISOString();
  await kube('/api/v1/namespaces/team-a/events', 'POST', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `api-legacy.${Date.now().toString(16)}`, namespace: 'team-a' },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'api-legacy', ...(uid ? { uid } : {}) },
    reason: 'FailedScheduling',
    message: 'Error scheduling: no suitable offers for pod/task',
    type: 'Warning',
    source: { component: 'default-scheduler' },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
  });
  summary.pending.push({ namespace: 'team-a', name: 'api-legacy' });
  return summary;
}

export interface OrphanSummary {
  agent: string;
  frameworkId: string;
  executorId: string;
  /** The executor's Mesos container: the MESOS_EXECUTOR_CONTAINER_UUID of its pods' containers. */
  executorContainerId: string;
  /** The agent's executor_shutdown_grace_period, seconds. */
  gracePeriodSeconds: number;
  /** How the shutdown ended: `killed` when the grace period ran out (orphans), `exited` when it did not. */
  end: string;
  /** Containers the executor never reached: still running. */
  running: string[];
  /** The container whose stop was under way when the executor was killed (dockerd finishes it: exited). */
  interrupted?: string;
  /** Pods deleted from the apiserver, as k8sm's scheduler deletes the pods of tasks lost this way (§1.11). */
  deletedPods: string[];
  /** A `--docker-endpoints` file of the stack: agent hostname -> its engine's `tcp://` endpoint. */
  dockerEndpointsFile: string;
}

/** Writes `<stack folder>/docker-endpoints.yaml` (agent hostname: tcp://ip:port), for `--docker-endpoints`. */
export function writeDockerEndpoints(info: StackInfo): string {
  const file = join(info.dir, 'docker-endpoints.yaml');
  writeFileSync(
    file,
    `# agent hostname -> its Docker engine (k8smctl get orphans --docker-endpoints ${file})\n${info.docker.map((d) => `${d.agent}: ${d.host}\n`).join('')}`,
  );
  return file;
}

/**
 * The seeds' orphan scenario on a running stack (`cli.mjs up --orphans`, `cli.mjs orphans`): two
 * more pods of the k8sm framework on one agent (the second, or the only one) whose containers
 * ignore SIGTERM (10 s grace period each), then the agent shuts that k8sm executor down: the
 * simulator's executor stops the pod containers one by one and the agent kills it after its
 * `executor_shutdown_grace_period` (5secs here), so the containers it had not stopped keep running
 * with the dead executor's MESOS_EXECUTOR_CONTAINER_UUID: real orphans on that agent's Docker engine.
 * The tasks end TASK_LOST (REASON_EXECUTOR_TERMINATED) and their pods are deleted, as k8sm's
 * scheduler does ("rogue pod"). Other pods of that executor (the demo's web-1) go the same way.
 */
export async function seedOrphans(info: StackInfo, opts: { agent?: string } = {}): Promise<OrphanSummary> {
  if (!info.mesos?.controlUrl) throw new Error('the stack runs without the Mesos simulator: no orphans');
  const mesos = info.mesos;
  const ca = readFileSync(info.kube.caFile, 'utf8');
  const token = info.kube.admin.token;
  const control = async <T>(method: string, body: unknown): Promise<T> => {
    const r = await call(`${mesos.controlUrl}/${method}`, { method: 'POST', body });
    const j = r.json as { result?: T; error?: string };
    if (r.status !== 200) throw new Error(`simulator ${method}: ${j.error ?? r.status}`);
    return j.result as T;
  };
  const kube = async (path: string, method: string, body?: unknown) => {
    const r = await call(`${info.kube.url}${path}`, { method, body, token, ca });
    if (r.status >= 300 && r.status !== 404 && r.status !== 409)
      throw new Error(`apiserver ${method} ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
  };
  const agents = mesos.agents.map((a) => a.hostname);
  const agent = opts.agent ?? agents[1] ?? agents[0];
  if (!agent || !agents.includes(agent)) throw new Error(`no agent ${opts.agent ?? ''} in the stack (agents: ${agents.join(', ')})`);

  // The k8sm framework (the demo's), else a new one.
  const state = (await call(`${mesos.leaderUrl}/state`, { method: 'GET' })).json as { frameworks?: Array<{ id: string; name: string; active?: boolean }> };
  const fwId =
    state.frameworks?.find((f) => f.name === 'Kubernetes' && f.active !== false)?.id ??
    (
      await control<{ id: string }>('addFramework', {
        name: 'Kubernetes',
        role: '*',
        principal: 'k8sm',
        user: 'root',
        checkpoint: true,
        failoverTimeout: 604800,
      })
    ).id;

  const kube_ = { server: info.kube.url, token, caPem: ca };
  const stamp = Date.now().toString(36).slice(-5);
  const podsByTask = new Map<string, string>();
  let executorId = '';
  for (const i of [0, 1]) {
    const p = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `batch-${stamp}-${i}`, namespace: 'team-b', labels: { app: 'batch' } },
      spec: {
        terminationGracePeriodSeconds: 10,
        containers: [
          {
            name: 'worker',
            image: 'busybox:latest',
            command: ['sh', '-c', "trap '' TERM; while true; do sleep 1; done"],
            resources: { limits: { cpu: '100m', memory: '64Mi' } },
          },
        ],
      },
    };
    await kube('/api/v1/namespaces/team-b/pods', 'POST', p);
    const l = await control<{ taskId: string; executorId: string }>('launchK8smPod', { agentId: agent, frameworkId: fwId, pod: p, kube: kube_ });
    podsByTask.set(l.taskId, `team-b/${p.metadata.name}`);
    executorId = l.executorId;
  }
  // Pods of that executor launched before (the demo's) end the same way.
  const a = mesos.agents.find((x) => x.hostname === agent)!;
  const agentState = (await call(`${a.url ?? `http://${a.ip}:${a.port}`}/slave(1)/state`, { method: 'GET' })).json as {
    frameworks?: Array<{ id: string; executors?: Array<{ id: string; tasks?: Array<{ id: string; name: string }> }> }>;
  };
  for (const t of agentState.frameworks?.find((f) => f.id === fwId)?.executors?.find((e) => e.id === executorId)?.tasks ?? []) {
    const m = /^(.+)\.([^.]+)\.pod$/.exec(t.name);
    if (m && !podsByTask.has(t.id)) podsByTask.set(t.id, `${m[2]}/${m[1]}`);
  }

  const r = await control<{ tasks: string[]; containerId: string; gracePeriodMs: number; end: string; left: string[]; interrupted?: string }>(
    'shutdownExecutor',
    { agentId: agent, executorId, frameworkId: fwId },
  );
  const deletedPods: string[] = [];
  if (r.end !== 'exited') {
    for (const taskId of r.tasks) {
      const pod = podsByTask.get(taskId);
      if (!pod) continue;
      const [ns, name] = pod.split('/') as [string, string];
      await kube(`/api/v1/namespaces/${ns}/pods/${name}?gracePeriodSeconds=0`, 'DELETE');
      deletedPods.push(pod);
    }
  }
  return {
    agent,
    frameworkId: fwId,
    executorId,
    executorContainerId: r.containerId,
    gracePeriodSeconds: r.gracePeriodMs / 1000,
    end: r.end,
    running: r.left,
    ...(r.interrupted ? { interrupted: r.interrupted } : {}),
    deletedPods,
    dockerEndpointsFile: writeDockerEndpoints(info),
  };
}
