/**
 * Tasks launched through the simulator's scheduler API run through the k8sm executor emulation
 * against a real kube-apiserver (started here as the test stack starts it): `k8sm` binds the pod
 * with the annotations the scheduler put in TaskInfo.data and reports it Running (TASK_STARTING
 * then TASK_RUNNING), KILL deletes the pod; `bind-only` binds and leaves the pod alone otherwise.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { startMesosSimulator, type MesosSimulator } from '../../test/stack/mesos-sim/index.js';
import { startTestKubeApiserver, type TestKubeApiserver } from '../stack/test-servers.js';
import { raw } from './helpers/http-client.js';
import { call, subscribe, type RawSubscription } from './helpers/scheduler-stream.js';

let apiserver: TestKubeApiserver;
const sims: MesosSimulator[] = [];
const subs: RawSubscription[] = [];

const kube = (method: string, path: string, body?: unknown) =>
  raw(apiserver.url + path, {
    method,
    ca: apiserver.caPem,
    headers: { Authorization: `Bearer ${apiserver.admin.token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  apiserver = await startTestKubeApiserver();
}, 120000);
afterEach(async () => {
  for (const s of subs.splice(0)) s.close();
  await Promise.all(sims.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await apiserver?.stop();
}, 60000);

async function start(launch: 'k8sm' | 'bind-only') {
  const sim = await startMesosSimulator({
    agents: [{ hostname: 'agent-1', resources: { cpus: 2, mem: 1024 } }],
    kube: { server: apiserver.url, token: apiserver.admin.token, caPem: apiserver.caPem },
    schedulerApi: { heartbeatIntervalSeconds: 5, allocationIntervalMs: 50, launch },
  });
  sims.push(sim);
  const base = sim.leaderUrl()!;
  const s = await subscribe(`${base}/api/v1/scheduler`, { user: 'root', name: 'Kubernetes', failover_timeout: 60 });
  subs.push(s);
  const offers = await s.next('OFFERS');
  const fid = (await s.next('SUBSCRIBED')).subscribed.framework_id.value as string;
  const offer = offers.offers.offers[0];
  const send = (c: Record<string, unknown>) => call(`${base}/api/v1/scheduler`, s.streamId, { framework_id: { value: fid }, ...c });
  return { sim, s, offer, send };
}

/** A TaskInfo as k8sm builds it: the pod with the scheduler's annotations in data, on the Kubelet-Executor. */
function k8smTask(name: string, agentId: string, taskId: string) {
  const annotations = {
    'k8s.mesosphere.io/bindingHost': 'agent-1',
    'k8s.mesosphere.io/taskId': taskId,
    'k8s.mesosphere.io/slaveId': agentId,
    'k8s.mesosphere.io/executorId': 'e1_k8sm-executor',
  };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', annotations }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
  const scalar = (n: string, v: number) => ({ name: n, type: 'SCALAR', scalar: { value: v }, role: '*' });
  return {
    name: `${name}.default.pod`,
    task_id: { value: taskId },
    agent_id: { value: agentId },
    resources: [scalar('cpus', 0.25), scalar('mem', 64)],
    executor: {
      executor_id: { value: 'e1_k8sm-executor' },
      name: 'Kubelet-Executor',
      source: 'kubernetes',
      command: { value: './km', shell: false, arguments: ['minion'] },
      resources: [scalar('cpus', 0.25), scalar('mem', 128)],
    },
    data: Buffer.from(JSON.stringify(pod)).toString('base64'),
  };
}

const createPod = async (name: string) =>
  expect(
    (
      await kube('POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      })
    ).status,
  ).toBe(201);

describe('k8sm launches through the scheduler API', () => {
  test('k8sm: the pod is bound with the annotations from TaskInfo.data and Running; STARTING then RUNNING; KILL deletes it', async () => {
    await createPod('sched-web');
    const { sim, s, offer, send } = await start('k8sm');
    const task = k8smTask('sched-web', offer.agent_id.value, 'pod.a1');
    expect((await send({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } })).status).toBe(
      202,
    );
    const starting = await s.next('UPDATE', (e) => e.update.status.state === 'TASK_STARTING');
    expect(starting.update.status).toMatchObject({ message: 'create-binding-success', source: 'SOURCE_EXECUTOR', executor_id: { value: 'e1_k8sm-executor' } });
    await send({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: offer.agent_id, task_id: { value: 'pod.a1' }, uuid: starting.update.status.uuid } });
    const running = await s.next('UPDATE', (e) => e.update.status.state === 'TASK_RUNNING');
    expect(running.update.status.message).toBe('pod-running:sched-web_default');
    const live = JSON.parse((await kube('GET', '/api/v1/namespaces/default/pods/sched-web')).body);
    expect(live.spec.nodeName).toBe('agent-1');
    expect(live.metadata.annotations).toMatchObject({ 'k8s.mesosphere.io/taskId': 'pod.a1', 'k8s.mesosphere.io/executorId': 'e1_k8sm-executor' });
    expect(live.status.phase).toBe('Running');
    const st = JSON.parse((await raw(`${sim.leaderUrl()}/state`)).body);
    const fw = st.frameworks[0];
    expect(fw.executors.map((e: any) => [e.executor_id, e.name, e.command.value, e.resources.mem])).toEqual([
      ['e1_k8sm-executor', 'Kubelet-Executor', './km', 128],
    ]);
    expect(fw.used_resources).toMatchObject({ cpus: 0.5, mem: 192 });

    await send({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: offer.agent_id, task_id: { value: 'pod.a1' }, uuid: running.update.status.uuid } });
    await send({ type: 'KILL', kill: { task_id: { value: 'pod.a1' } } });
    const killed = await s.next('UPDATE', (e) => e.update.status.state === 'TASK_KILLED');
    expect(killed.update.status.message).toBe('pod-deleted');
    expect((await kube('GET', '/api/v1/namespaces/default/pods/sched-web')).status).toBe(404);
  });

  test('bind-only: bound, nothing else; a pod the apiserver does not have fails the task with its answer; bindings noted once', async () => {
    await createPod('sched-bind');
    const { sim, s, offer, send } = await start('bind-only');
    // Noting starts with the first call.
    expect(sim.schedulerApi.takeBoundPods('default')).toEqual([]);
    const before = Date.now();
    const ok = k8smTask('sched-bind', offer.agent_id.value, 'pod.b1');
    const missing = k8smTask('sched-missing', offer.agent_id.value, 'pod.b2');
    await send({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [ok, missing] } }] } });
    const failed = await s.next('UPDATE', (e) => e.update.status.state === 'TASK_FAILED');
    expect(failed.update.status.task_id.value).toBe('pod.b2');
    expect(failed.update.status.message).toMatch(/^binding pod default\/sched-missing to agent-1: HTTP 404/);
    await s.next('UPDATE', (e) => e.update.status.task_id.value === 'pod.b1' && e.update.status.state === 'TASK_STARTING');
    const live = JSON.parse((await kube('GET', '/api/v1/namespaces/default/pods/sched-bind')).body);
    expect(live.spec.nodeName).toBe('agent-1');
    expect(live.status.phase).toBe('Pending');
    // The binding is noted with the time its answer came and its launch's (the refused one is not), and handed over once.
    const noted = sim.schedulerApi.takeBoundPods('default');
    expect(noted.map(([n]) => n)).toEqual(['sched-bind']);
    const [, boundAt, launchedAt] = noted[0]!;
    expect(launchedAt).toBeGreaterThanOrEqual(before);
    expect(boundAt).toBeGreaterThanOrEqual(launchedAt);
    expect(boundAt).toBeLessThanOrEqual(Date.now());
    expect(sim.schedulerApi.takeBoundPods('default')).toEqual([]);
    expect(sim.schedulerApi.takeBoundPods('other')).toEqual([]);
  });
});
