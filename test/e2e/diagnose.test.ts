/**
 * `k8smctl diagnose pod` and `diagnose cluster`, run as a user runs them (the built binary), against
 * a Mesos simulator started here (driven through its control API) and the stack's real
 * kube-apiserver (pods, events and Nodes as the k8sm scheduler and executor would write them). One
 * scenario per reason: the reason id, the numbers in its message, and the exit code.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { startMesosSimulator, type MesosSimulator } from '../stack/mesos-sim/index.js';
import { startControlServer } from '../stack/mesos-sim/control.js';
import { baseEnv, cliBin, kubeAccess, kubeApi, projectRoot, runCli, stack } from './helpers/index.js';

const PID = process.pid;
const NS = `diag-${PID}`;
const FW = `k8sm-e2e-${PID}`;
const H = (n: string) => `dx${PID}-${n}`;
const GRACE = { executor_shutdown_grace_period: '30secs' };

let sim: MesosSimulator;
let sim2: MesosSimulator;
let control: { url: string; close(): Promise<void> };
let fwId: string;
const nodes: string[] = [];
const pods: string[] = [];

function ctl<T = unknown>(method: string, args: Record<string, unknown> = {}): Promise<T> {
  const body = JSON.stringify(args);
  return new Promise((resolve, reject) => {
    const req = request(
      `${control.url}/${method}`,
      { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const j = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: T; error?: string };
          if (res.statusCode === 200) resolve(j.result as T);
          else reject(new Error(`simulator ${method}: ${j.error}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function kube<T = any>(path: string, opts: { method?: string; body?: unknown; contentType?: string } = {}): Promise<T> {
  const r = await kubeApi<T>(path, opts);
  if (r.status >= 300) throw new Error(`apiserver ${opts.method ?? 'GET'} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.body;
}

interface PodOpts {
  cpu?: string;
  memory?: string;
  ports?: Array<{ containerPort: number; hostPort?: number; protocol?: string }>;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  containers?: number;
  terminationGracePeriodSeconds?: number;
}

function podSpec(name: string, o: PodOpts = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: name, ...(o.labels ?? {}) }, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: o.terminationGracePeriodSeconds } : {}),
      containers: Array.from({ length: o.containers ?? 1 }, (_, i) => ({
        name: i ? `side${i}` : 'main',
        image: 'busybox:latest',
        command: ['sleep', '3600'],
        ...(i === 0 && o.ports ? { ports: o.ports } : {}),
        ...(i === 0 && (o.cpu || o.memory) ? { resources: { limits: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) } } } : {}),
      })),
    },
  };
}

/** A pod in the apiserver and, unless `silent`, the event the k8sm scheduler writes when it finds no offer. */
async function createPod(name: string, o: PodOpts = {}, silent = false): Promise<{ uid: string; spec: ReturnType<typeof podSpec> }> {
  const spec = podSpec(name, o);
  const created = await kube<{ metadata: { uid: string } }>(`/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: spec });
  pods.push(name);
  if (!silent) {
    const at = new Date().toISOString();
    await kube(`/api/v1/namespaces/${NS}/events`, {
      method: 'POST',
      body: {
        metadata: { name: `${name}.${Date.now()}`, namespace: NS },
        involvedObject: { kind: 'Pod', name, namespace: NS, uid: created.metadata.uid, apiVersion: 'v1' },
        reason: 'FailedScheduling',
        message: 'Error scheduling: no suitable offers for pod/task',
        type: 'Warning',
        source: { component: 'default-scheduler' },
        firstTimestamp: at,
        lastTimestamp: at,
        count: 1,
      },
    });
  }
  return { uid: created.metadata.uid, spec };
}

/** A pod the k8sm way: created, then launched on `agent` by the simulator (bound in the apiserver). */
async function launchPod(name: string, agent: string, o: PodOpts & { until?: 'TASK_STARTING' } = {}) {
  const { spec } = await createPod(name, o, true);
  return ctl<{ taskId: string; executorId: string }>('launchK8smPod', {
    agentId: H(agent),
    frameworkId: fwId,
    pod: spec,
    kube: kubeAccess(),
    ...(o.until ? { until: o.until } : {}),
  });
}

async function createNode(hostname: string, attrs: Record<string, string>) {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': hostname };
  for (const [k, v] of Object.entries(attrs)) labels[`k8s.mesosphere.io/attribute-${k}`] = v;
  await kube('/api/v1/nodes', {
    method: 'POST',
    body: { apiVersion: 'v1', kind: 'Node', metadata: { name: hostname, labels }, spec: { externalID: hostname } },
  });
  nodes.push(hostname);
}

interface Doc {
  pods: Array<{
    namespace: string;
    name: string;
    uid: string;
    phase: string;
    stage: string;
    summary: string;
    reasons: Array<{ reason: string; message: string; fix?: string }>;
    agents: Array<{ id: string; hostname: string; reason: string; message: string }>;
  }>;
  cluster: Array<{ reason: string; message: string; fix?: string; agent?: string }>;
}

function cli(args: string[], master = sim) {
  return runCli(['diagnose', ...args, '--mesos-master', master.leaderUrl()!], { env: { KUBECONFIG: stack().kube.kubeconfig }, timeoutMs: 45_000 });
}

/** `diagnose pod NAME -n NS -o json` with --stuck-after 0s (the pods here are seconds old). */
async function diagnose(name: string, extra: string[] = []) {
  const fw = extra.includes('--framework-name') ? [] : ['--framework-name', FW];
  const r = await cli(['pod', name, '-n', NS, '-o', 'json', '--stuck-after', '0s', ...fw, ...extra]);
  let doc: Doc;
  try {
    doc = JSON.parse(r.stdout) as Doc;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout.slice(0, 300)} ${r.stderr.slice(0, 500)}`);
  }
  const pod = doc.pods.find((p) => p.name === name);
  if (!pod) throw new Error(`no diagnosis of ${name}: ${r.stdout.slice(0, 300)} ${r.stderr}`);
  const agent = (n: string) => pod.agents.find((a) => a.hostname === H(n))!;
  const reason = (id: string) => pod.reasons.find((x) => x.reason === id);
  return { r, doc, pod, agent, reason };
}

beforeAll(async () => {
  const info = stack();
  const fast = (hostname: string, extra: Record<string, unknown> = {}) => ({
    hostname: H(hostname),
    resources: { cpus: 4, mem: 8192, ports: '[31000-32000]' },
    flags: GRACE,
    ...extra,
  });
  sim = await startMesosSimulator({
    agents: [
      fast('ok1', { attributes: { rack: 'r1' } }),
      fast('ok2', { attributes: { rack: 'r2' } }),
      fast('inactive'),
      fast('nonode'),
      fast('stale', { attributes: { rack: 'r2' } }),
      fast('oldexec'),
      fast('small', { resources: { cpus: 1, mem: 1024, ports: '[31000-32000]' }, flags: { executor_shutdown_grace_period: '5secs' } }),
      fast('fewports', { resources: { cpus: 4, mem: 8192, ports: '[31000-31001]' } }),
      fast('public', {
        resources: { cpus: 4, mem: 8192, ports: '[80-80, 443-443, 31000-32000]' },
        reserved: { public: { cpus: 1, mem: 1024, ports: '[80-80, 443-443]' } },
      }),
      fast('exgone'),
      fast('down'),
      fast('noports', { resources: { cpus: 4, mem: 8192, ports: '[]' } }),
    ],
    frameworks: [
      { name: FW, role: '*', principal: 'k8sm', user: 'root', failoverTimeout: 604800, checkpoint: true },
      { name: `marathon-${PID}`, role: '*' },
    ],
  });
  control = await startControlServer(sim, 0);
  fwId = (await ((await fetch(`${sim.leaderUrl()}/master/frameworks`)).json() as Promise<{ frameworks: Array<{ id: string; name: string }> }>)).frameworks.find(
    (f) => f.name === FW,
  )!.id;
  expect(info.kube.url).toMatch(/^https:/);
  await kube('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
  for (const [n, attrs] of [
    ['ok1', { rack: 'r1' }],
    ['ok2', { rack: 'r2' }],
    ['inactive', {}],
    ['stale', { rack: 'r1' }],
    ['oldexec', {}],
    ['small', {}],
    ['fewports', {}],
    ['public', {}],
    ['exgone', {}],
    ['down', {}],
    ['noports', {}],
    // A Node whose agent is gone.
    ['ghost', {}],
  ] as const)
    await createNode(H(n), attrs);
  await ctl('setAgentDeactivated', { agentId: H('inactive'), deactivated: true });
  // A k8sm scheduler of another name that lost its connection to the master (failover timeout 1h).
  await ctl('addFramework', { name: `${FW}-down`, role: '*', principal: 'k8sm', failoverTimeout: 3600, active: false, connected: false });
  // An executor of another id, with a task, before the scheduler's current one launches a pod.
  await ctl('addExecutor', { frameworkId: fwId, agentId: H('oldexec'), k8sm: true, id: 'cafe0123456789ab_k8sm-executor' });
  await ctl('addTask', {
    frameworkId: fwId,
    agentId: H('oldexec'),
    executorId: 'cafe0123456789ab_k8sm-executor',
    name: `old.${NS}.pod`,
    resources: { cpus: 0.5, mem: 256 },
  });
  await new Promise((r) => setTimeout(r, 1100));
  await launchPod('web', 'ok2', { ports: [{ containerPort: 80, hostPort: 31080 }] });
}, 120_000);

afterAll(async () => {
  for (const p of pods) await kubeApi(`/api/v1/namespaces/${NS}/pods/${p}?gracePeriodSeconds=0`, { method: 'DELETE' }).catch(() => undefined);
  for (const n of nodes) await kubeApi(`/api/v1/nodes/${n}`, { method: 'DELETE' }).catch(() => undefined);
  await control?.close();
  await sim?.close();
  await sim2?.close();
});

describe('diagnose pod: per-agent reasons of a pod never launched', () => {
  let d: Awaited<ReturnType<typeof diagnose>>;
  beforeAll(async () => {
    await createPod('p-small', { cpu: '250m', memory: '64Mi' });
    sim.clearRequestLog();
    d = await diagnose('p-small');
  });

  test('fits, and the request budget: one master request, no agent asked', () => {
    expect(d.r.code).toBe(1); // stuck (Pending, older than --stuck-after 0s) though it fits
    expect(d.agent('ok1')).toMatchObject({
      reason: 'fits',
      message: `${H('ok1')} can take the pod now: 0.25 CPU (*), 64 MB (*), plus the executor (first pod there)`,
    });
    const log = sim.requestLog();
    expect(log.filter((e) => e.server.kind === 'master').map((e) => `${e.method} ${e.path}`)).toEqual(['POST /api/v1']);
    expect(log.filter((e) => e.server.kind === 'agent')).toEqual([]);
  });

  test('agent-inactive', () => {
    expect(d.agent('inactive')).toMatchObject({
      reason: 'agent-inactive',
      message: `agent ${H('inactive')} is deactivated (maintenance, or DEACTIVATE_AGENT): the master sends no offers for it, so k8sm cannot place the pod there`,
    });
  });

  test('node-missing', () => {
    expect(d.agent('nonode')).toMatchObject({
      reason: 'node-missing',
      message: `there is no Node named ${H('nonode')} in the apiserver: k8sm declines this agent's offers as incompatible until one exists`,
    });
  });

  test('node-attributes-stale', () => {
    expect(d.agent('stale').reason).toBe('node-attributes-stale');
    expect(d.agent('stale').message).toContain('k8s.mesosphere.io/attribute-rack is r1 on the Node, r2 on the agent');
  });

  test('executor-incompatible: the old id and its task count', () => {
    expect(d.agent('oldexec').reason).toBe('executor-incompatible');
    expect(d.agent('oldexec').message).toMatch(
      new RegExp(`with id cafe0123456789ab_k8sm-executor runs on ${H('oldexec')} with 1 task, while the scheduler uses [0-9a-f]+_k8sm-executor`),
    );
  });

  test('executor-overhead on a 1-cpu agent: fits alone, not with the executor', async () => {
    await createPod('p-overhead', { cpu: '900m', memory: '128Mi' });
    const x = await diagnose('p-overhead');
    expect(x.agent('small').reason).toBe('executor-overhead');
    expect(x.agent('small').message).toContain("charges the executor's 0.25 CPU with a host's first pod: 0.1 CPU left");
    expect(x.r.code).toBe(1);
  });

  test('insufficient-cpu and insufficient-mem: needed vs free', async () => {
    await createPod('p-big', { cpu: '2', memory: '2Gi' });
    const x = await diagnose('p-big');
    expect(x.agent('small').reason).toBe('insufficient-cpu');
    expect(x.agent('small').message).toBe(
      `the pod needs 2 CPU (the sum of its containers' limits, k8sm's defaults for those without), ${H('small')} has 1 CPU free for roles *`,
    );
    const text = await cli(['pod', 'p-big', '-n', NS, '--stuck-after', '0s', '--framework-name', FW, '-o', 'wide']);
    expect(text.stdout).toMatch(new RegExp(`${H('small')} +\\S+ +insufficient-cpu,insufficient-mem +the pod needs 2 CPU`));
    expect(text.stdout).toMatch(/insufficient-mem +0 +1: \S+small +insufficient memory \(needs 2048 MB, 1024 MB free\)/);
  });

  test('host-port-not-offered: the ranges, and a port reserved to another role', async () => {
    await createPod('p-443', { ports: [{ containerPort: 443, hostPort: 443 }] });
    const x = await diagnose('p-443');
    expect(x.agent('ok1')).toMatchObject({
      reason: 'host-port-not-offered',
      message: `host port 443 is outside the ports ${H('ok1')} offers for roles *: [31000-32000]`,
    });
    expect(x.agent('public').message).toBe(
      `host port 443 is outside the ports ${H('public')} offers for roles *: [31000-32000]; ${H('public')} reserves it to role public, which the pod may not use`,
    );
    expect(x.pod.summary).toMatch(/^0\/12 agents can run it: \d+ host port 443 not offered \(ranges \[31000-32000\]\), /);
    expect(x.r.code).toBe(1);
  });

  test('host-port-in-use: the task and the pod that hold it', async () => {
    await createPod('p-31080', { ports: [{ containerPort: 80, hostPort: 31080 }] });
    const x = await diagnose('p-31080');
    expect(x.agent('ok2').reason).toBe('host-port-in-use');
    expect(x.agent('ok2').message).toMatch(
      new RegExp(`^host port 31080 is in ${H('ok2')}'s ranges for role \\*, but task pod\\.\\S+ \\(pod ${NS}/web\\) of framework ${FW} holds it$`),
    );
  });

  test('wildcard-ports-short: needs 3, has 2', async () => {
    await createPod('p-wild', { ports: [{ containerPort: 1 }, { containerPort: 2 }, { containerPort: 3 }] });
    const x = await diagnose('p-wild');
    expect(x.agent('fewports')).toMatchObject({
      reason: 'wildcard-ports-short',
      message: `the pod needs 3 free ports for its container ports without hostPort (wildcard mapping), but ${H('fewports')} has 2 free for roles * (offered 2; *: 2)`,
    });
  });

  test('node-name-mismatch', async () => {
    await createPod('p-pinned', { nodeName: H('ok2') });
    const x = await diagnose('p-pinned');
    expect(x.agent('ok1')).toMatchObject({
      reason: 'node-name-mismatch',
      message: `the pod's spec.nodeName is ${H('ok2')}, not ${H('ok1')}: k8sm places it on that host only`,
    });
  });

  test('node-selector-mismatch', async () => {
    await createPod('p-rack', { nodeSelector: { 'k8s.mesosphere.io/attribute-rack': 'r9' } });
    const x = await diagnose('p-rack');
    expect(x.agent('ok1')).toMatchObject({
      reason: 'node-selector-mismatch',
      message: `nodeSelector k8s.mesosphere.io/attribute-rack=r9 does not match: Node ${H('ok1')} has k8s.mesosphere.io/attribute-rack=r1`,
    });
  });

  test('roles-unavailable: the pod roles hold nothing there', async () => {
    await createPod('p-public', { annotations: { 'k8s.mesosphere.io/roles': 'public' } });
    const x = await diagnose('p-public', ['--mesos-framework-roles', '*,public']);
    expect(x.agent('ok1')).toMatchObject({ reason: 'roles-unavailable', message: `the pod's roles (public) hold no resources on ${H('ok1')} (its roles: *)` });
    expect(x.agent('public').reason).toBe('fits');
  });
});

describe('diagnose pod: pod-level and cluster-level reasons', () => {
  test('duplicate-host-port', async () => {
    await createPod('p-dup', {
      ports: [
        { containerPort: 53, hostPort: 31053, protocol: 'TCP' },
        { containerPort: 53, hostPort: 31053, protocol: 'UDP' },
      ],
    });
    const x = await diagnose('p-dup');
    expect(x.reason('duplicate-host-port')!.message).toContain(
      'hostPort 31053 is declared twice in the pod (container main, TCP and UDP: k8sm keys host ports by number only)',
    );
    expect(x.pod.summary).toBe('0/12 agents can run it: hostPort 31053 declared twice in the pod');
    expect(x.r.code).toBe(1);
  });

  test('roles-empty and roles-not-in-framework', async () => {
    await createPod('p-noroles', { annotations: { 'k8s.mesosphere.io/roles': ',' } });
    await createPod('p-gpu', { annotations: { 'k8s.mesosphere.io/roles': 'gpu' } });
    expect((await diagnose('p-noroles')).reason('roles-empty')!.message).toBe(
      'k8s.mesosphere.io/roles is ",", which lists no role: k8sm gives the pod no role to take resources from, and never schedules it',
    );
    expect((await diagnose('p-gpu')).reason('roles-not-in-framework')!.message).toContain('("gpu"; framework roles: *)');
  });

  test('framework-not-registered: no framework of that name (exit 1)', async () => {
    const x = await diagnose('p-small', ['--framework-name', `nosuch-${PID}`]);
    expect(x.reason('framework-not-registered')!.message).toMatch(
      new RegExp(`^no framework named nosuch-${PID} is registered with the Mesos master \\(registered: .*${FW}`),
    );
    expect(x.doc.cluster.map((c) => c.reason)).toEqual(['framework-not-registered']);
    expect(x.r.code).toBe(1);
  });

  test('framework-not-registered: a disconnected framework, since when and the failover timeout left (exit 1)', async () => {
    await createPod('p-fwdown', { cpu: '250m', memory: '64Mi' });
    const x = await diagnose('p-fwdown', ['--framework-name', `${FW}-down`]);
    const r = x.reason('framework-not-registered')!;
    const dur = '((?:\\d+h)?(?:\\d+m)?(?:\\d+s)?)';
    const m = new RegExp(
      `^the k8sm framework ${FW}-down \\(\\S+\\) is disconnected since (\\d{4}-\\d\\d-\\d\\dT\\S+Z) \\(${dur}\\); its failover timeout \\(1h\\) leaves ${dur} before Mesos tears it down and kills its 0 tasks: no offers reach it and nothing places pods$`,
    ).exec(r.message);
    expect(m).not.toBeNull();
    const seconds = (d: string) => [...d.matchAll(/(\d+)([hms])/g)].reduce((t, [, n, u]) => t + Number(n) * (u === 'h' ? 3600 : u === 'm' ? 60 : 1), 0);
    // Disconnected for a while (since the set-up), and what is left is the rest of the hour.
    expect(Date.now() - Date.parse(m![1]!)).toBeGreaterThanOrEqual(seconds(m![2]!) * 1000);
    expect(Math.abs(seconds(m![2]!) + seconds(m![3]!) - 3600)).toBeLessThanOrEqual(1);
    expect(r.fix).toBe(`restart the k8sm scheduler (it re-registers with its framework id from etcd) within ${m![3]}`);
    expect(x.r.code).toBe(1);
  });

  test('scheduler-silent: no event from the scheduler', async () => {
    await createPod('p-quiet', {}, true);
    const x = await diagnose('p-quiet');
    expect(x.reason('scheduler-silent')!.message).toMatch(
      /^no event from the scheduler about this pod in the \d+s since it was created: the k8sm scheduler is down, or does not watch this pod$/,
    );
  });

  test('fits-somewhere: which agents can take it now', async () => {
    const x = await diagnose('p-small');
    expect(x.reason('fits-somewhere')!.message).toMatch(
      /^\d+ agents can take the pod now \(.*\): k8sm retries a pod that found no offer after a backoff of up to 1m/,
    );
    expect(x.pod.summary).toMatch(/^\d+\/12 agents can run it now \(/);
  });

  test('offers-held: an offer still there twice the offer TTL later (one extra master request)', async () => {
    const offer = await ctl<{ id: string }>('addOffer', { frameworkId: fwId, agentId: H('ok1'), resources: { cpus: 1, mem: 512 } });
    try {
      sim.clearRequestLog();
      const x = await diagnose('p-443', ['--offer-ttl', '1s']);
      expect(x.reason('offers-held')!.message).toBe(
        `the k8sm framework ${FW} holds 1 offer still outstanding 2s later, far past k8sm's 1s offer TTL (k8sm's offer leak): ${H('ok1')} (1 CPU, 512 MB); those resources reach no one`,
      );
      expect(x.doc.cluster.map((c) => c.reason)).toContain('offers-held');
      const masters = sim
        .requestLog()
        .filter((e) => e.server.kind === 'master')
        .map((e) => e.path);
      expect(masters).toEqual(['/api/v1', `/master/frameworks?framework_id=${fwId}`]);
    } finally {
      await ctl('removeOffer', { offerId: offer.id });
    }
  });
});

describe('diagnose pod: launched pods', () => {
  test.each([
    ['TASK_FAILED', 'task-failed', 'create-binding-failure', 'SOURCE_EXECUTOR', undefined],
    ['TASK_LOST', 'task-lost', 'Executor terminated', 'SOURCE_AGENT', 'REASON_EXECUTOR_TERMINATED'],
    ['TASK_KILLED', 'task-killed', 'pod-deleted', 'SOURCE_EXECUTOR', undefined],
    ['TASK_ERROR', 'task-error', 'Task uses more resources than offered', 'SOURCE_MASTER', 'REASON_TASK_INVALID'],
  ] as const)('%s: %s with the latest status source, reason and message (GET_STATE)', async (state, id, message, source, reason) => {
    const name = `p-${id}`;
    const l = await launchPod(name, 'ok1', { until: 'TASK_STARTING' });
    await ctl('setTaskState', { taskId: l.taskId, state, message, source, ...(reason ? { reason } : {}) });
    const x = await diagnose(name);
    expect(x.pod.stage).toBe('launched');
    expect(x.pod.reasons[0]!.reason).toBe(id);
    expect(x.pod.reasons[0]!.message).toMatch(
      new RegExp(
        `^task ${l.taskId.replace(/\./g, '\\.')} on ${H('ok1')} is ${state} since \\S+ \\(\\d+s ago\\): ${message} \\(source ${source}${reason ? `, reason ${reason}` : ''}\\)$`,
      ),
    );
    expect(x.r.code).toBe(1);
  });

  test('task-missing: the annotated task is unknown to Mesos', async () => {
    await createPod(
      'p-ghost',
      { annotations: { 'k8s.mesosphere.io/bindingHost': H('ok1'), 'k8s.mesosphere.io/taskId': 'pod.00000000-0000-11ef-0000-000000000000' } },
      true,
    );
    const x = await diagnose('p-ghost');
    expect(x.pod.reasons[0]).toMatchObject({
      reason: 'task-missing',
      message: `the pod's task pod.00000000-0000-11ef-0000-000000000000 (annotation k8s.mesosphere.io/taskId) on ${H('ok1')} is unknown to the Mesos master: neither running nor among the completed tasks it remembers`,
    });
  });

  test('a Running pod whose task was killed: stage running, stuck', async () => {
    const l = await launchPod('p-running', 'ok1');
    await ctl('setTaskState', { taskId: l.taskId, state: 'TASK_KILLED', source: 'SOURCE_EXECUTOR', message: 'task-killed' });
    const x = await diagnose('p-running');
    expect(x.pod).toMatchObject({ phase: 'Running', stage: 'running' });
    expect(x.pod.summary).toBe(`Running in the apiserver, but task ${l.taskId} on ${H('ok1')} is TASK_KILLED (task-killed)`);
    expect(x.r.code).toBe(1);
  });

  test('executor-gone: the task reads live, its executor is gone from the agent (that agent alone asked)', async () => {
    const l = await launchPod('p-exgone', 'exgone');
    await ctl('shutdownExecutor', { agentId: H('exgone'), executorId: l.executorId, leaveContainers: false, keepTasks: true });
    sim.clearRequestLog();
    const x = await diagnose('p-exgone');
    expect(x.pod.reasons[0]).toMatchObject({
      reason: 'executor-gone',
      message: `task ${l.taskId} is TASK_RUNNING, but its executor ${l.executorId} is no longer on agent ${H('exgone')} (the agent lists no such executor)`,
    });
    const agents = sim.requestLog().filter((e) => e.server.kind === 'agent');
    expect(agents.map((e) => (e.server as { hostname: string }).hostname)).toEqual([H('exgone')]);
  });

  test('launch-grace-expiring: how much of the 5m is left', async () => {
    await launchPod('p-starting', 'ok1', { until: 'TASK_STARTING' });
    const x = await diagnose('p-starting');
    expect(x.pod.stage).toBe('launched');
    expect(x.reason('launch-grace-expiring')!.message).toMatch(
      new RegExp(
        `^launched on ${H('ok1')} \\d+s ago \\(task TASK_STARTING\\) but not Running: the executor deletes a pod that is not Running within --mesos-launch-grace-period \\(5m\\): 4m\\d+s left$`,
      ),
    );
    // With a 1 s grace, the launch must be more than a second old: on a fast machine both runs took less.
    await new Promise((r) => setTimeout(r, 2000));
    const short = await diagnose('p-starting', ['--mesos-launch-grace-period', '1s']);
    expect(short.reason('launch-grace-expiring')!.message).toMatch(/past --mesos-launch-grace-period \(1s\) by \d+s: the executor deletes it$/);
  });

  test('container-waiting: the container status from the apiserver, as kubectl describe shows it', async () => {
    await launchPod('p-pull', 'ok1', { until: 'TASK_STARTING' });
    await kube(`/api/v1/namespaces/${NS}/pods/p-pull/status`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: {
        status: {
          containerStatuses: [
            {
              name: 'main',
              ready: false,
              restartCount: 0,
              image: 'registry.local/web:1.2',
              imageID: '',
              state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.local/web:1.2"' } },
            },
          ],
        },
      },
    });
    const x = await diagnose('p-pull');
    expect(x.pod.reasons[0]).toMatchObject({
      reason: 'container-waiting',
      message: 'container main is waiting: ImagePullBackOff: Back-off pulling image "registry.local/web:1.2", restarts 0',
    });
    const text = await cli(['pod', 'p-pull', '-n', NS, '--stuck-after', '0s', '--framework-name', FW]);
    expect(text.stdout).toContain('Containers:  main: Waiting (ImagePullBackOff): Back-off pulling image "registry.local/web:1.2", ready false, restarts 0');
  });

  test('agent-not-answering: its rows say so, exit 1, never a crash', async () => {
    await launchPod('p-down', 'down', { until: 'TASK_STARTING' });
    await ctl('stopAgent', { agentId: H('down') });
    const x = await diagnose('p-down');
    expect(x.pod.reasons[0]!.reason).toBe('agent-not-answering');
    expect(x.pod.reasons[0]!.message).toMatch(new RegExp(`^agent ${H('down')} did not answer \\(.*\\): its executors and containers cannot be checked$`));
    expect(x.r.stderr).toMatch(new RegExp(`warning: agent ${H('down')} \\(\\S+\\) did not answer: `));
    expect(x.r.code).toBe(1);
  });

  test('every stuck pod of the namespace in text, and a usage error exits 2', async () => {
    const r = await cli(['pod', '-n', NS, '--stuck-after', '0s', '--framework-name', FW]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Pod:      ${NS}/p-443\n`);
    expect(r.stdout).not.toContain(`Pod:      ${NS}/web\n`);
    const u = await cli(['pod', '--stuck-after', 'never']);
    expect(u.code).toBe(2);
    expect(u.stderr).toBe('error: --stuck-after: invalid duration "never": use e.g. 10s, 500ms, 1m30s\n');
  });
});

describe('a large output to a reader that is slow to read it', () => {
  test('is written out whole: no "timed out" after 10 s, no stack trace, the exit code kept', async () => {
    // 30 stuck pods, each with a row per agent: well over what a pipe holds (64 KiB).
    for (let i = 0; i < 30; i++) await createPod(`p-bulk-${i}`, { ports: [{ containerPort: 443, hostPort: 443 }] });
    // stdout is not read for 12 s: the command's output fills the pipe and waits longer than the
    // 10 s oclif's flush() allows (which used to end in an unhandled "timed out" and a cut output).
    const child = spawn(
      process.execPath,
      [cliBin, 'diagnose', 'pod', '-n', NS, '-o', 'json', '--stuck-after', '0s', '--framework-name', FW, '--mesos-master', sim.leaderUrl()!],
      { cwd: projectRoot, env: { ...baseEnv(), KUBECONFIG: stack().kube.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    const err: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const out: Buffer[] = [];
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 12_000));
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stdout.resume();
    const code = await closed;
    const text = Buffer.concat(out).toString('utf8');
    // Only the warning lines of the agents that do not answer (the stopped agent above), no stack trace.
    const stderr = Buffer.concat(err).toString('utf8');
    expect(stderr).not.toMatch(/timed out|^\s+at /m);
    for (const line of stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^warning: agent \S+ \(\S+\) did not answer: /);
    expect(text.length).toBeGreaterThan(64 * 1024);
    expect((JSON.parse(text) as Doc).pods.map((p) => p.name)).toContain('p-bulk-29');
    expect(code).toBe(1);
  }, 90_000);
});

describe('diagnose cluster', () => {
  test('a healthy cluster: no error, exit 0', async () => {
    sim2 = await startMesosSimulator({
      agents: [
        { hostname: H('h1'), resources: { cpus: 4, mem: 8192, ports: '[31000-32000]' }, flags: GRACE },
        { hostname: H('h2'), resources: { cpus: 4, mem: 8192, ports: '[31000-32000]' }, flags: GRACE },
      ],
      frameworks: [{ name: `${FW}-ok`, role: '*', failoverTimeout: 604800 }],
    });
    const fw = (await ((await fetch(`${sim2.leaderUrl()}/master/frameworks`)).json() as Promise<{ frameworks: Array<{ id: string }> }>)).frameworks[0]!.id;
    await createNode(H('h1'), {});
    await createNode(H('h2'), {});
    const { spec } = await createPod('p-healthy', {}, true);
    await sim2.launchK8smPod({ agentId: H('h1'), frameworkId: fw, pod: spec, kube: kubeAccess() });
    // --stuck-after 1h: Pending pods other e2e files create meanwhile in the shared apiserver are not this cluster's doing.
    const r = await runCli(['diagnose', 'cluster', '--framework-name', `${FW}-ok`, '--stuck-after', '1h', '--mesos-master', sim2.leaderUrl()!], {
      env: { KUBECONFIG: stack().kube.kubeconfig },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^ERROR/m);
    expect(r.stdout).not.toContain(H('h1'));
    expect(r.stdout).not.toContain(H('h2'));
  });

  test('a broken cluster: each cause with its numbers, exit 1', async () => {
    // A Running pod that asks for 120 s to stop, on an agent that gives its executor 30 s.
    await launchPod('p-slowstop', 'ok2', { terminationGracePeriodSeconds: 120 });
    const r = await runCli(['diagnose', 'cluster', '--framework-name', FW, '--stuck-after', '1h', '-o', 'json', '--mesos-master', sim.leaderUrl()!], {
      env: { KUBECONFIG: stack().kube.kubeconfig },
    });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    const mine = doc.cluster.filter((c) => (c.agent ?? '').startsWith(`dx${PID}-`) || c.message.includes(FW) || c.message.includes(`dx${PID}-`));
    const by = (id: string) => mine.filter((c) => c.reason === id);
    expect(by('executor-id-drift')[0]!.message).toMatch(/run with 2 different ids: .*cafe0123456789ab_k8sm-executor on \S+oldexec \(1 task\)/);
    expect(by('agent-without-node').map((c) => c.agent)).toEqual([H('nonode')]);
    expect(by('executor-shutdown-grace-short')).toEqual([
      expect.objectContaining({
        agent: H('ok2'),
        message: expect.stringContaining(`executor_shutdown_grace_period is 30secs, shorter than pod ${NS}/p-slowstop's terminationGracePeriodSeconds 120`),
      }),
      expect.objectContaining({ agent: H('small'), message: expect.stringContaining('executor_shutdown_grace_period is 5secs, shorter than the 15s') }),
    ]);
    expect(by('agent-no-ports')).toEqual([
      expect.objectContaining({
        agent: H('noports'),
        message: `agent ${H('noports')} has no ports resource: no pod with a hostPort, nor (under wildcard mapping) with any container port, can run there`,
      }),
    ]);
    // (the Nodes of the healthy cluster's agents above have no agent here either)
    expect(by('node-without-agent').map((c) => c.message)).toContain(`Node ${H('ghost')} has no Mesos agent of that hostname: pods bound to it never run`);
    expect(by('node-without-agent').map((c) => c.message)).not.toContain(`Node ${H('ok1')} has no Mesos agent of that hostname: pods bound to it never run`);
    expect(by('task-without-pod').map((c) => c.message)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^task \\S+ \\(pod ${NS}/old\\) of framework ${FW} is TASK_RUNNING on ${H('oldexec')}, but its pod is gone from the apiserver: it holds 0\\.5 CPU, 256 MB until it is killed$`,
        ),
      ),
    ]);
    expect(by('agent-ports-differ')[0]!.message).toMatch(/^agents offer different port ranges: \[31000-32000\] on \d+ agents/);
    expect(by('pod-without-task').map((c) => c.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^pod ${NS}/p-task-failed is Pending on \\S+ok1, but its task pod\\.\\S+ is TASK_FAILED`))]),
    );
    expect(by('agent-not-answering')).toEqual([]); // the stopped agent is inactive: not asked
    const text = await runCli(['diagnose', 'cluster', '--framework-name', FW, '--stuck-after', '1h', '--mesos-master', sim.leaderUrl()!], {
      env: { KUBECONFIG: stack().kube.kubeconfig },
    });
    expect(text.stdout).toMatch(
      new RegExp(`ERROR    agent-without-node  \\(agent ${H('nonode')}\\)\\n         agent ${H('nonode')} has no Node in the apiserver`),
    );
    expect(text.stdout).toMatch(/\n\d+ errors?, \d+ warnings?\.\n$/);
  });

  test('framework-not-registered', async () => {
    const r = await runCli(
      ['diagnose', 'cluster', '--framework-name', `nosuch-${PID}`, '--stuck-after', '1h', '-o', 'yaml', '--mesos-master', sim.leaderUrl()!],
      { env: { KUBECONFIG: stack().kube.kubeconfig } },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`- reason: framework-not-registered\\n {4}message: '?no framework named nosuch-${PID} is registered`));
  });
});
