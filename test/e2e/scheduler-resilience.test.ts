/**
 * `k8smctl scheduler run` (the built binary) through what a Mesos cluster does to a scheduler (issue 11),
 * each mechanism on its own: master failover (zk://), the subscription stream dropped, no leader for a
 * while, a SIGKILLed scheduler restarted, a pod with partial k8sm annotations, a task the executor lost.
 * A private simulator (two masters in the stack's real ZooKeeper, bind-only launches) binds the pods in
 * the stack's real apiserver; the shared stack's masters are left alone. Checked from both sides: the
 * pods (bound, events) and the master (one live task per pod, the same framework id throughout).
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMesosSimulator, type MesosSimulator } from '../stack/mesos-sim/index.js';
import { baseEnv, cliBin, kubeAccess, kubeApi, stack, stackEnv } from './helpers/index.js';
import { startKubeFaultProxy, type KubeFaultProxy } from './helpers/kube-fault-proxy.js';

jest.setTimeout(180_000);

const PID = process.pid;
const NS = `sched-res-${PID}`;
const NAME = `k8smctl-res-${PID}`;
const FW = `k8sm-res-${PID}`;

let sim: MesosSimulator;
let proxy: KubeFaultProxy;
let zkUrl: string;
let dir: string;

interface Running {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startScheduler(): Running {
  let err = '';
  const proc = spawn(
    process.execPath,
    [
      cliBin,
      'scheduler',
      'run',
      '--scheduler-name',
      NAME,
      '--framework-name',
      FW,
      '--km-path',
      'file:///opt/k8sm/km',
      '--port',
      '0',
      '-v',
      '2',
      '--mesos-master',
      zkUrl,
    ],
    // the scheduler reaches the apiserver through a proxy that can fail on demand
    { env: { ...baseEnv(), ...stackEnv(), KUBECONFIG: proxy.kubeconfig }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  proc.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, stderr: () => err, exited };
}

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, tries = 240): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  // What the scheduler said last, to tell why.
  throw new Error(`gave up waiting for ${what}; the scheduler's last lines:\n${(sched?.stderr() ?? '').split('\n').slice(-30).join('\n')}`);
}

const subscriptions = (s: Running): string[] => [...s.stderr().matchAll(/subscribed frameworkId="([^"]+)"/g)].map((m) => m[1]!);

function pod(name: string, annotations?: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, ...(annotations ? { annotations } : {}) },
    spec: {
      schedulerName: NAME,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: 'registry.local/web:1', resources: { limits: { cpu: '100m', memory: '32Mi' } } }],
    },
  };
}

async function create(name: string, annotations?: Record<string, string>): Promise<void> {
  const r = await kubeApi(`/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: pod(name, annotations) });
  if (r.status >= 300) throw new Error(`creating ${name}: ${r.status} ${r.text.slice(0, 200)}`);
}

async function nodeOf(name: string): Promise<string | undefined> {
  const r = await kubeApi<{ spec?: { nodeName?: string } }>(`/api/v1/namespaces/${NS}/pods/${name}`);
  return r.status === 200 ? r.body.spec?.nodeName || undefined : undefined;
}

/** The framework's tasks as the master has them: live ones by pod name. */
function liveTasksByPod(frameworkId: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of sim.state.tasks.values()) {
    if (
      t.frameworkId !== frameworkId ||
      ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE'].includes(t.state)
    )
      continue;
    const podName = t.name.replace(/\.[^.]+\.pod$/, '');
    out.set(podName, [...(out.get(podName) ?? []), t.id]);
  }
  return out;
}

let sched: Running;
let frameworkId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-sched-res-'));
  const zkPath = `/k8smctl-sched-res-${PID}`;
  zkUrl = `zk://${stack().zookeeper.connect}${zkPath}`;
  sim = await startMesosSimulator({
    masters: 2,
    zk: { connect: stack().zookeeper.connect, path: zkPath },
    agents: ['res-a', 'res-b', 'res-c'].map((hostname) => ({ hostname, resources: { cpus: 4, mem: 8192, ports: '[31000-32000]' } })),
    kube: kubeAccess(),
    schedulerApi: { launch: 'bind-only', heartbeatIntervalSeconds: 1 },
  });
  const ns = await kubeApi('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
  expect(ns.status).toBeLessThan(300);
  writeFileSync(join(dir, 'note'), 'scheduler resilience e2e\n');
  proxy = await startKubeFaultProxy();
  sched = startScheduler();
  frameworkId = await until('the subscription', () => subscriptions(sched)[0]);
}, 120_000);

afterAll(async () => {
  if (sched && sched.proc.exitCode === null) {
    sched.proc.kill('SIGTERM');
    await sched.exited;
  }
  await sim?.close();
  await proxy?.close();
  await kubeApi(`/api/v1/namespaces/${NS}`, { method: 'DELETE' });
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('scheduler run through master failover, stream loss and restarts', () => {
  test('master failover: it follows the new leader (zk://) with the same framework id, and places pods there', async () => {
    await create('before-failover');
    await until('before-failover bound', () => nodeOf('before-failover'));
    await sim.setLeader(1);
    await until('a second subscription', () => (subscriptions(sched).length >= 2 ? true : undefined));
    expect(new Set(subscriptions(sched))).toEqual(new Set([frameworkId]));
    await create('after-failover');
    await until('after-failover bound', () => nodeOf('after-failover'));
    expect(sched.stderr()).toMatch(/subscription ended, subscribing again/);
  });

  test('stream dropped, then no leader for a while: it subscribes again once there is one, same id, nothing launched twice', async () => {
    const before = subscriptions(sched).length;
    sim.schedulerApi.breakStreams();
    await until('a subscription after the break', () => (subscriptions(sched).length > before ? true : undefined));
    await sim.setNoLeader();
    await create('during-no-leader');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await nodeOf('during-no-leader')).toBeUndefined();
    await sim.setLeader(0);
    await until('during-no-leader bound', () => nodeOf('during-no-leader'));
    expect(new Set(subscriptions(sched))).toEqual(new Set([frameworkId]));
    for (const [p, ids] of liveTasksByPod(frameworkId)) expect([p, ids.length]).toEqual([p, 1]);
  });

  test('SIGKILL and a restart: the same framework id, the running pods not launched again, new pods placed', async () => {
    const live = liveTasksByPod(frameworkId);
    sched.proc.kill('SIGKILL');
    await sched.exited;
    sched = startScheduler();
    await until('the subscription after the restart', () => subscriptions(sched)[0]);
    expect(subscriptions(sched)[0]).toBe(frameworkId);
    // the explicit reconciliation of the tasks the pods' annotations name
    // (before-failover, after-failover, during-no-leader: three bound pods name a task and an agent)
    const reconciled = await until('the reconciliation', () => /reconciling the known tasks tasks=(\d+)/.exec(sched.stderr())?.[1]);
    expect(Number(reconciled)).toBe(3);
    await create('after-restart');
    await until('after-restart bound', () => nodeOf('after-restart'));
    const now = liveTasksByPod(frameworkId);
    for (const [p, ids] of live) expect(now.get(p)).toEqual(ids);
    expect(now.get('after-restart')).toHaveLength(1);
  });

  test('a pod with partial k8sm annotations is reported and left alone: not scheduled, not deleted', async () => {
    await create('half', { 'k8s.mesosphere.io/taskId': 'pod.00000000-0000-1000-8000-000000000001' });
    const ev = await until('the PartialK8smAnnotations event', async () => {
      const list = await kubeApi<{ items: Array<{ reason: string; message: string; involvedObject: { name: string } }> }>(`/api/v1/namespaces/${NS}/events`);
      return list.body.items.find((e) => e.involvedObject.name === 'half' && e.reason === 'PartialK8smAnnotations');
    });
    expect(ev.message).toMatch(/^Pod sched-res-\d+\/half has k8sm annotations k8s\.mesosphere\.io\/taskId but not .*left alone/);
    await new Promise((r) => setTimeout(r, 2000));
    const r = await kubeApi<{ spec: { nodeName?: string } }>(`/api/v1/namespaces/${NS}/pods/half`);
    expect(r.status).toBe(200);
    expect(r.body.spec.nodeName).toBeUndefined();
    expect(liveTasksByPod(frameworkId).has('half')).toBe(false);
  });

  test('the apiserver answering 503, then 429, then down: the scheduler backs off, keeps its subscription, and places what was created meanwhile once it answers', async () => {
    const before = sched.stderr().length;
    proxy.errors(4000, 503);
    await create('during-503');
    await new Promise((r) => setTimeout(r, 4500));
    proxy.errors(3000, 429);
    await create('during-429');
    await new Promise((r) => setTimeout(r, 3500));
    proxy.down(3000);
    await create('during-down');
    for (const p of ['during-503', 'during-429', 'during-down']) await until(`${p} bound`, () => nodeOf(p));
    const said = sched.stderr().slice(before);
    expect(proxy.failed[503]).toBeGreaterThan(0);
    expect(proxy.failed[429]).toBeGreaterThan(0);
    expect(said).toMatch(/pod list\/watch failed .*afterMs=\d+/);
    // one live task per pod, the same framework, and still the process that started
    expect(sched.proc.exitCode).toBeNull();
    for (const [p, ids] of liveTasksByPod(frameworkId)) expect([p, ids.length]).toEqual([p, 1]);
    expect(new Set(subscriptions(sched))).toEqual(new Set([frameworkId]));
  });

  test('a task its executor lost: the pod is deleted (k8sm: its controller makes a new one) with a TaskLost event that says why', async () => {
    const [taskId] = liveTasksByPod(frameworkId).get('after-restart')!;
    sim.setTaskState(taskId!, 'TASK_LOST', { source: 'SOURCE_AGENT', reason: 'REASON_EXECUTOR_TERMINATED', message: 'executor terminated' });
    await until('the pod deleted', async () => ((await kubeApi(`/api/v1/namespaces/${NS}/pods/after-restart`)).status === 404 ? true : undefined));
    const list = await kubeApi<{ items: Array<{ reason: string; message: string; involvedObject: { name: string } }> }>(`/api/v1/namespaces/${NS}/events`);
    const ev = list.body.items.find((e) => e.involvedObject.name === 'after-restart' && e.reason === 'TaskLost');
    expect(ev?.message).toContain(`Task ${taskId} of pod ${NS}/after-restart`);
    expect(ev?.message).toContain('REASON_EXECUTOR_TERMINATED');
  });
});
