/**
 * A small k8sm workload on a running stack, so that a person who ran `npm run stack:up` has
 * something to look at with every command: a k8sm framework ("Kubernetes") running three pods (real
 * pods in the apiserver, bound and Running; real kubelet-named containers on the agents' Docker
 * engines; tasks holding host ports), another framework with a command task, and a pod that stays
 * Pending because its host port is offered by no agent. Seeded through the simulator's control API
 * and the apiserver, as the k8sm executor would do it.
 */
import { readFileSync } from 'node:fs';
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
  // Never scheduled: host port 8080 is outside every agent's offered ports.
  const stuck = pod('team-a', 'api-legacy', 'api', [[8080, 8080]]);
  await kube('/api/v1/namespaces/team-a/pods', 'POST', stuck);
  summary.pending.push({ namespace: 'team-a', name: 'api-legacy' });
  return summary;
}
