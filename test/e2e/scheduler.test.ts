/**
 * `k8smctl scheduler run`, the built binary, against the test stack: the Mesos simulator's v1
 * scheduler API and k8sm executor emulation (real containers on the agents' real Docker engines) and
 * the real kube-apiserver. The scheduler only takes pods with its own --scheduler-name, so the other
 * e2e files' pods in the shared apiserver are left alone. (Issue 10, Acceptance.)
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { baseEnv, cliBin, kubeApi, runCli, stack, stackEnv } from './helpers/index.js';

// Each test waits for pods to be placed, launched and Running through the simulator's offer cycles and
// real containers: on a loaded 2-core CI machine that has taken longer than the e2e default of 60 s.
jest.setTimeout(180_000);

const PID = process.pid;
const NS = `sched-${PID}`;
const NAME = `k8smctl-e2e-${PID}`;
const FW = `k8sm-sched-e2e-${PID}`;

interface Running {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startScheduler(extra: string[] = []): Running {
  let err = '';
  const proc = spawn(
    process.execPath,
    [cliBin, 'scheduler', 'run', '--scheduler-name', NAME, '--framework-name', FW, '--km-path', 'file:///opt/k8sm/km', '--port', '0', '-v', '2', ...extra],
    { env: { ...baseEnv(), ...stackEnv() }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  proc.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, stderr: () => err, exited };
}

/**
 * Polls `f` every half second until it gives a value. On giving up, the error carries what
 * `explain` says about the state (task rows, pods, the scheduler's log), so that a failure on a
 * loaded CI machine says which pod stalled where.
 */
async function until<T>(what: string, f: () => Promise<T | undefined>, tries = 120, explain?: () => Promise<string>): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  const detail = explain ? await explain().catch((e: unknown) => `(could not explain: ${String(e)})`) : '';
  throw new Error(`gave up waiting for ${what}${detail ? `\n${detail}` : ''}`);
}

/** This test's pods as the apiserver has them, Mesos's task rows, and the scheduler's log tail. */
async function state(): Promise<string> {
  const pods = await kube<{
    items: Array<{ metadata: { name: string; annotations?: Record<string, string> }; spec: { nodeName?: string }; status: { phase?: string } }>;
  }>(`/api/v1/namespaces/${NS}/pods`);
  const podLines = pods.items.map(
    (p) => `  ${p.metadata.name} node=${p.spec.nodeName ?? '-'} phase=${p.status.phase ?? '-'} task=${p.metadata.annotations?.[`${K8SM}taskId`] ?? '-'}`,
  );
  const taskLines = (await tasks()).map((t) => `  ${t.pod} ${t.task} ${t.agent} ${t.state}`);
  const log = sched.stderr().split('\n').slice(-80).join('\n');
  return ['pods:', ...podLines, 'tasks:', ...taskLines, 'scheduler log (last 80 lines):', log].join('\n');
}

async function kube<T = any>(path: string, opts: { method?: string; body?: unknown } = {}): Promise<T> {
  const r = await kubeApi<T>(path, opts);
  if (r.status >= 300) throw new Error(`apiserver ${opts.method ?? 'GET'} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.body;
}

function pod(
  name: string,
  o: { owner?: string; cpu?: string; ports?: Array<{ containerPort: number; hostPort?: number }>; nodeSelector?: Record<string, string> } = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      ...(o.owner
        ? {
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `00000000-0000-0000-0000-${String(PID).padStart(12, '0')}`, controller: true },
            ],
          }
        : {}),
    },
    spec: {
      schedulerName: NAME,
      terminationGracePeriodSeconds: 1,
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      containers: [
        {
          name: 'c',
          image: 'busybox:latest',
          command: ['sleep', '3600'],
          resources: { limits: { cpu: o.cpu ?? '100m', memory: '32Mi' } },
          ...(o.ports ? { ports: o.ports } : {}),
        },
      ],
    },
  };
}

interface TaskRow {
  pod: string;
  task: string;
  agent: string;
  state: string;
}

/** `k8smctl get tasks -A` rows of this test's namespace (NAMESPACE POD TASK AGENT STATE ...). */
async function tasks(): Promise<TaskRow[]> {
  const r = await runCli(['get', 'tasks', '-A', '--no-headers'], { env: stackEnv() });
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c[0] === NS)
    .map((c) => ({ pod: c[1]!, task: c[2]!, agent: c[3]!, state: c[4]! }));
}

async function containersOf(podName: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of stack().docker) {
    const list = (await (await fetch(`${d.url}/containers/json`)).json()) as Array<{ Names: string[] }>;
    for (const c of list) for (const n of c.Names) if (n.includes(`_${podName}_${NS}_`)) out.push(`${d.agent}:${n}`);
  }
  return out;
}

/** Every port of an agent's `ports` resource text, e.g. `[31000-31099, 31101-32000]`. */
function inRanges(text: string, port: number): boolean {
  return [...text.matchAll(/(\d+)-(\d+)/g)].some((m) => port >= Number(m[1]) && port <= Number(m[2]));
}

interface LivePod {
  metadata: { annotations?: Record<string, string> };
  spec: { nodeName?: string };
  status: { phase?: string };
}

const K8SM = 'k8s.mesosphere.io/';

let sched: Running;

beforeAll(async () => {
  await kube('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
  sched = startScheduler();
  await until('the subscription', async () => (/subscribed frameworkId=/.test(sched.stderr()) ? true : undefined));
}, 120_000);

afterAll(async () => {
  if (sched && sched.proc.exitCode === null) {
    sched.proc.kill('SIGTERM');
    await sched.exited;
  }
  const clean = startScheduler(['--teardown-on-exit']);
  await until('the cleanup subscription', async () => (/subscribed frameworkId=/.test(clean.stderr()) ? true : undefined)).catch(() => undefined);
  clean.proc.kill('SIGTERM');
  await clean.exited;
  await kubeApi(`/api/v1/namespaces/${NS}`, { method: 'DELETE' });
}, 120_000);

describe('scheduler run against the test stack', () => {
  test('places replicas spread, fixed ports never shared, wildcard ports in range; the containers run on the agents', async () => {
    for (let i = 1; i <= 3; i++) await kube(`/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: pod(`web-${i}`, { owner: 'web' }) });
    for (let i = 1; i <= 2; i++)
      await kube(`/api/v1/namespaces/${NS}/pods`, {
        method: 'POST',
        body: pod(`edge-${i}`, { owner: 'edge', ports: [{ containerPort: 80, hostPort: 31555 }] }),
      });
    await kube(`/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: pod('wild', { ports: [{ containerPort: 8080 }, { containerPort: 8081 }] }) });
    const names = ['web-1', 'web-2', 'web-3', 'edge-1', 'edge-2', 'wild'];
    const rows = await until(
      'six running tasks',
      async () => {
        const t = await tasks();
        const running = t.filter((x) => x.state === 'TASK_RUNNING');
        return running.length >= 6 ? running : undefined;
      },
      120,
      state,
    );
    const hostOf = (p: string): string => rows.find((r) => r.pod === p)?.agent ?? `(no task for ${p})`;
    // replicas of one owner spread: web-* on at least two agents, edge-* (same fixed host port) on two different agents
    expect(new Set(['web-1', 'web-2', 'web-3'].map(hostOf)).size).toBeGreaterThanOrEqual(2);
    expect(hostOf('edge-1')).not.toBe(hostOf('edge-2'));
    for (const p of names) expect((await containersOf(p)).length).toBeGreaterThan(0);
    expect(sched.stderr()).toMatch(/launched pod="sched-\d+\/wild"/);

    // In the apiserver: bound by the executor with k8sm's annotations (reference §1.9/§1.10), Running.
    const agents = stack().mesos!.agents;
    const used: string[] = [];
    for (const p of names) {
      const live = await until(
        `${p} Running in the apiserver`,
        async () => {
          const l = await kube<LivePod>(`/api/v1/namespaces/${NS}/pods/${p}`);
          return l.status.phase === 'Running' ? l : undefined;
        },
        120,
        state,
      );
      const row = rows.find((r) => r.pod === p)!;
      const ann = live.metadata.annotations ?? {};
      expect(live.spec.nodeName).toBe(row.agent);
      expect(ann[`${K8SM}bindingHost`]).toBe(row.agent);
      expect(ann[`${K8SM}taskId`]).toBe(row.task);
      expect(ann[`${K8SM}slaveId`]).toBe(agents.find((a) => a.hostname === row.agent)?.id);
      expect(ann[`${K8SM}executorId`]).toMatch(/^[0-9a-f]+_k8sm-executor$/);
      const ranges = agents.find((a) => a.hostname === row.agent)!.resources['ports'] ?? '';
      for (const [k, v] of Object.entries(ann)) {
        if (!k.startsWith(`${K8SM}port_`)) continue;
        expect(inRanges(ranges, Number(v))).toBe(true);
        used.push(`${row.agent}:${v}`);
      }
    }
    // the fixed port as asked, the wildcard ones allocated; no host port given twice on one agent
    expect(used.filter((u) => u.endsWith(':31555')).length).toBe(2);
    expect(used.length).toBe(4);
    expect(new Set(used).size).toBe(used.length);
  });

  test('serves /healthz, /readyz and Prometheus /metrics with its scheduling and process figures', async () => {
    const url = /starting .*http="([^"]+)"/.exec(sched.stderr())![1]!;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const value = (name: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
      if (!line) throw new Error(`no ${name} in /metrics`);
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    // the six pods of the test before, launched and running
    expect(value('k8sm_scheduler_pods_scheduled_total')).toBeGreaterThanOrEqual(6);
    expect(value('k8sm_scheduler_tasks{state="running"}')).toBeGreaterThanOrEqual(6);
    expect(value('k8sm_scheduler_scheduling_latency_seconds_count')).toBeGreaterThanOrEqual(6);
    expect(value('k8sm_scheduler_offers_received_total')).toBeGreaterThanOrEqual(value('k8sm_scheduler_offers_used_total'));
    expect(value('k8sm_scheduler_offers_used_total')).toBeGreaterThan(0);
    for (const name of [
      'k8sm_scheduler_offers_declined_total',
      'k8sm_scheduler_offers_rescinded_total',
      'k8sm_scheduler_pending_pods',
      'k8sm_scheduler_stream_reconnects_total',
      'k8sm_scheduler_pods_failed_total',
    ])
      expect(value(name)).toBeGreaterThanOrEqual(0);
    // the process's own figures, as kube-scheduler exports them
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(1e6);
    expect(value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  test('a pod that cannot fit gets FailedScheduling with the reasons diagnose gives', async () => {
    await kube(`/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: pod('huge', { cpu: '64' }) });
    const ev = await until(
      'the FailedScheduling event',
      async () => {
        const list = await kube<{ items: Array<{ reason: string; message: string; source?: { component?: string }; involvedObject: { name: string } }> }>(
          `/api/v1/namespaces/${NS}/events`,
        );
        return list.items.find((e) => e.involvedObject.name === 'huge' && e.reason === 'FailedScheduling');
      },
      120,
      state,
    );
    expect(ev.source?.component).toBe('default-scheduler');
    expect(ev.message).toMatch(/^0\/\d+ agents can run it: \d+ insufficient cpu \(needs 64 CPU, /);
    const d = await runCli(['diagnose', 'pod', 'huge', '-n', NS, '--framework-name', FW, '--stuck-after', '0s', '-o', 'json'], { env: stackEnv() });
    expect(d.stdout).toContain('insufficient cpu (needs 64 CPU, ');
  });

  test('deleting a pod kills its task and its containers go', async () => {
    await kube(`/api/v1/namespaces/${NS}/pods/web-1`, { method: 'DELETE', body: { gracePeriodSeconds: 0 } });
    await until('the KILL', async () => (/pod deleted: killing its task pod="sched-\d+\/web-1"/.test(sched.stderr()) ? true : undefined), 120, state);
    await until('the containers of web-1 to go', async () => ((await containersOf('web-1')).length === 0 ? true : undefined), 120, state);
  });

  test('SIGTERM leaves the framework registered; a restart reuses its id', async () => {
    const first = /subscribed frameworkId="([^"]+)"/.exec(sched.stderr())![1];
    sched.proc.kill('SIGTERM');
    expect(await sched.exited).toBe(0);
    expect(sched.stderr()).toContain('leaving the framework registered for failover');
    const fws = await runCli(['get', 'frameworks', '-o', 'json'], { env: stackEnv() });
    expect(fws.stdout).toContain(first);
    const before = (await tasks()).filter((t) => t.state === 'TASK_RUNNING');
    sched = startScheduler();
    await until('the second subscription', async () => (/subscribed frameworkId=/.test(sched.stderr()) ? true : undefined));
    expect(/subscribed frameworkId="([^"]+)"/.exec(sched.stderr())![1]).toBe(first);

    // A pod created after the restart is placed (on offers from agents where the executor already
    // runs, with the same ExecutorInfo, else the master answers TASK_ERROR); by then the restarted
    // scheduler has seen the offers, and the pods already bound are not launched a second time.
    // It is pinned to web-2's agent, where the executor runs since before the restart.
    const host = before.find((t) => t.pod === 'web-2')!.agent;
    await kube(`/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: pod('after-restart', { nodeSelector: { 'kubernetes.io/hostname': host } }) });
    const late = await until(
      'after-restart running',
      async () => (await tasks()).find((t) => t.pod === 'after-restart' && t.state === 'TASK_RUNNING'),
      120,
      state,
    );
    expect(late.agent).toBe(host);
    const after = await tasks();
    for (const b of before) expect(after.filter((t) => t.pod === b.pod).map((t) => t.task)).toEqual([b.task]);
    const st = (await (await fetch(`${stack().mesos!.leaderUrl}/state`)).json()) as {
      frameworks: Array<{ name: string; tasks: Array<{ name: string }>; completed_tasks: Array<{ name: string; state: string }> }>;
    };
    const fw = st.frameworks.find((f) => f.name === FW)!;
    const launched = [...fw.tasks, ...fw.completed_tasks].map((t) => t.name).filter((n) => n.endsWith(`.${NS}.pod`));
    expect(launched.filter((n) => n === `web-2.${NS}.pod`)).toHaveLength(1);
    expect(launched.filter((n) => n === `after-restart.${NS}.pod`)).toHaveLength(1);
    expect(fw.completed_tasks.filter((t) => t.state === 'TASK_ERROR')).toEqual([]);
  });
});
