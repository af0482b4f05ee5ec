/**
 * k8sm's executor behaviour against a real Docker engine (dockerd started here, busybox imported):
 * kubelet-named containers with the k8s 1.5 labels and MESOS_EXECUTOR_CONTAINER_UUID, the task and
 * its annotations, executor reuse, the orphan bug (the agent's grace period running out before the
 * executor has stopped its pods' containers), the executor start
 * that removes every /k8s_* container, clean shutdown and teardown.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DockerApi } from '../../test/stack/mesos-sim/docker-api.js';
import { startMesosSimulator, type LaunchedPod, type MesosSimulator } from '../../test/stack/mesos-sim/index.js';
import { waitUntil } from '../stack/net.js';
import { startTestDockerEngine, type TestDockerEngine } from '../stack/test-servers.js';
import { api, getJson, raw } from './helpers/http-client.js';
import * as ref from './helpers/reference-shapes.js';
import { check } from './helpers/shape.js';

let dockerd: TestDockerEngine;
let docker: DockerApi;
let sim: MesosSimulator;
let fw: string;

const NAME = /^\/k8s_([^._]+)\.([0-9a-f]+)_([^_]+)_([^_]+)_([0-9a-f-]{36})_([0-9a-f]{8})$/;

const webPod = (name: string, hostPort = 31005) => ({
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: {
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.11',
        ports: [{ containerPort: 80 }, { containerPort: 8080, hostPort, name: 'admin' }],
        resources: { limits: { cpu: '500m', memory: '128Mi' } },
        env: [{ name: 'MODE', value: 'test' }],
      },
      { name: 'sidecar', image: 'busybox' },
    ],
  },
});

async function k8sContainers(): Promise<Array<{ id: string; name: string; state: string; labels: Record<string, string> }>> {
  const list = await docker.listContainers({ all: true });
  return list.filter((c) => (c.Names[0] ?? '').startsWith('/k8s_')).map((c) => ({ id: c.Id, name: c.Names[0] as string, state: c.State, labels: c.Labels }));
}

async function envOf(id: string): Promise<string[]> {
  return (await docker.inspectContainer(id)).Config.Env ?? [];
}

beforeAll(async () => {
  dockerd = await startTestDockerEngine(200); // 127.0.0.201, busybox imported
  docker = new DockerApi({ socketPath: dockerd.socket });
  sim = await startMesosSimulator({
    agents: [
      {
        hostname: 'agent-1',
        ip: '127.0.0.202',
        resources: { cpus: 3, mem: 2048, ports: '[31000-31099, 31101-32000]' },
        docker: { host: dockerd.ip, port: dockerd.port },
        // Room for the well-behaved pods to stop even on a loaded machine.
        flags: { executor_shutdown_grace_period: '10secs' },
      },
    ],
    frameworks: [{ name: 'Kubernetes', principal: 'k8sm', pid: 'scheduler(1)@127.0.0.1:10251', checkpoint: true, failoverTimeout: 4611686018.43 }],
  });
  fw = [...sim.state.frameworks.values()][0]!.id;
}, 90000);

afterAll(async () => {
  await sim?.close();
  await dockerd?.stop();
}, 60000);

describe('launchK8smPod', () => {
  let web: LaunchedPod;

  test('creates the task, the executor and kubelet-named containers', async () => {
    web = await sim.launchK8smPod({ agentId: 'agent-1', frameworkId: fw, pod: webPod('web') });
    expect(web.taskId).toMatch(/^pod\.[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(web.taskName).toBe('web.default.pod');
    expect(web.executorCreated).toBe(true);
    expect(web.executorId).toMatch(/^[0-9a-f]+_k8sm-executor$/);
    // limits: nginx 0.5 CPU / 128 MB, sidecar defaults 0.25 / 64 (§1.6)
    expect([web.cpus, web.mem]).toEqual([0.75, 192]);
    // wildcard: containerPort 80 gets the lowest free port; 8080 keeps its hostPort (§1.4)
    expect(web.hostPorts).toEqual({ 'TCP/80': 31000, 'TCP/8080': 31005 });

    const ctrs = await k8sContainers();
    expect(ctrs).toHaveLength(3);
    const byName = new Map(ctrs.map((c) => [NAME.exec(c.name)?.[1], c]));
    expect([...byName.keys()].sort()).toEqual(['POD', 'nginx', 'sidecar']);
    for (const c of ctrs) {
      const m = NAME.exec(c.name)!;
      expect(m).not.toBeNull();
      expect([m[3], m[4], m[5]]).toEqual(['web', 'default', web.uid]);
      expect(c.state).toBe('running');
      expect(c.labels).toMatchObject({
        'io.kubernetes.pod.name': 'web',
        'io.kubernetes.pod.namespace': 'default',
        'io.kubernetes.pod.uid': web.uid,
        'io.kubernetes.pod.terminationGracePeriod': '30',
        'io.kubernetes.container.name': m[1],
        'io.kubernetes.container.hash': m[2],
        'io.kubernetes.container.restartCount': '0',
      });
      expect(await envOf(c.id)).toContain(`MESOS_EXECUTOR_CONTAINER_UUID=${web.executorContainerId}`);
    }
    const nginx = byName.get('nginx')!;
    expect(JSON.parse(nginx.labels['io.kubernetes.container.ports']!)).toEqual([
      { hostPort: 31000, containerPort: 80, protocol: 'TCP' },
      { name: 'admin', hostPort: 31005, containerPort: 8080, protocol: 'TCP' },
    ]);
    expect(nginx.labels['io.kubernetes.container.terminationMessagePath']).toBe('/dev/termination-log');
    expect(await envOf(nginx.id)).toContain('MODE=test');
    expect(JSON.parse(byName.get('POD')!.labels['io.kubernetes.container.ports']!)).toHaveLength(2);
    expect(byName.get('sidecar')!.labels['io.kubernetes.container.ports']).toBeUndefined();
  }, 60000);

  test('the annotations k8sm writes (§1.9)', () => {
    expect(web.annotations).toMatchObject({
      'k8s.mesosphere.io/bindingHost': 'agent-1',
      'k8s.mesosphere.io/taskId': web.taskId,
      'k8s.mesosphere.io/slaveId': sim.agents[0]!.id,
      'k8s.mesosphere.io/executorId': web.executorId,
      'k8s.mesosphere.io/port_TCP_80': '31000',
      'k8s.mesosphere.io/port_TCP_8080': '31005',
      'k8s.mesosphere.io/portName_TCP_admin': '31005',
    });
    expect(web.annotations['k8s.mesosphere.io/offerId']).toMatch(new RegExp(`^${sim.masters[0]!.id}-O\\d+$`));
  }, 60000);

  test('master and agent state show the task and executor; the executor container ID is the env marker', async () => {
    const st = await getJson(sim.leaderUrl() + '/state');
    expect(check(st, ref.MASTER_STATE)).toEqual([]);
    const f = st.frameworks[0];
    const t = f.tasks.find((x: any) => x.id === web.taskId);
    expect(t).toMatchObject({ name: 'web.default.pod', state: 'TASK_RUNNING', executor_id: web.executorId, slave_id: sim.agents[0]!.id });
    expect(t.resources).toEqual({ cpus: 0.75, gpus: 0, mem: 192, disk: 0, ports: '[31000-31000, 31005-31005]' });
    expect(t.statuses.map((s: any) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    expect(f.executors[0]).toMatchObject({ executor_id: web.executorId, name: 'Kubelet-Executor', resources: { cpus: 0.25, mem: 128 } });
    expect(st.slaves[0].used_resources).toEqual({ cpus: 1, gpus: 0, mem: 320, disk: 0, ports: '[31000-31000, 31005-31005]' });

    const agent = await getJson(sim.agents[0]!.url + '/slave(1)/state');
    expect(check(agent, ref.AGENT_STATE)).toEqual([]);
    const e = agent.frameworks[0].executors[0];
    expect(e).toMatchObject({ id: web.executorId, source: 'kubernetes', container: web.executorContainerId });
    expect(e.directory.endsWith(`/runs/${web.executorContainerId}`)).toBe(true);

    const tasks = JSON.parse((await api(sim.leaderUrl() + '/api/v1', { type: 'GET_TASKS' })).body).get_tasks.tasks;
    const v1 = tasks.find((x: any) => x.task_id.value === web.taskId);
    expect(v1.statuses.map((s: any) => [s.state, s.source, s.message])).toEqual([
      ['TASK_STARTING', 'SOURCE_EXECUTOR', 'create-binding-success'],
      ['TASK_RUNNING', 'SOURCE_EXECUTOR', 'pod-running:web_default'],
    ]);
  }, 60000);

  test('a second pod reuses the executor and leaves the first pod alone; `containers` limits which get one', async () => {
    const db = await sim.launchK8smPod({
      agentId: 'agent-1',
      frameworkId: fw,
      pod: {
        metadata: { name: 'db', namespace: 'data', uid: '11111111-2222-4333-8444-555555555555' },
        spec: { containers: [{ name: 'pg' }, { name: 'exporter' }] },
      },
      containers: ['pg'],
    });
    expect(db.executorCreated).toBe(false);
    expect(db.executorId).toBe(web.executorId);
    expect(db.uid).toBe('11111111-2222-4333-8444-555555555555');
    const names = (await k8sContainers()).map((c) => {
      const m = NAME.exec(c.name)!;
      return `${m[1]}/${m[3]}/${m[4]}`;
    });
    expect(names.filter((n) => n.endsWith('/db/data')).sort()).toEqual(['POD/db/data', 'pg/db/data']);
    expect(names.filter((n) => n.endsWith('/web/default'))).toHaveLength(3);
  }, 60000);

  test('a pod that does not fit fails cleanly: nothing created', async () => {
    const before = (await k8sContainers()).length;
    const tasksBefore = sim.state.tasks.size;
    await expect(
      sim.launchK8smPod({
        agentId: 'agent-1',
        frameworkId: fw,
        pod: { metadata: { name: 'big' }, spec: { containers: [{ name: 'c', resources: { limits: { cpu: '8' } } }] } },
      }),
    ).rejects.toThrow(/lacks .* cpus/);
    await expect(
      sim.launchK8smPod({
        agentId: 'agent-1',
        frameworkId: fw,
        pod: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 1, hostPort: 31100 }] }] } },
      }),
    ).rejects.toThrow(/ports 31100/);
    expect((await k8sContainers()).length).toBe(before);
    expect(sim.state.tasks.size).toBe(tasksBefore);
  }, 60000);
});

describe('executor shutdown and the orphan bug (§1.15)', () => {
  test('the agent kills the executor when its executor_shutdown_grace_period runs out: tasks TASK_LOST, the containers not yet stopped keep running', async () => {
    const agentId = sim.agents[0]!.id;
    const exec = sim.state.executorsOf({ agentId, completed: false })[0]!;
    // A pod whose container ignores SIGTERM, with a grace period longer than the agent's 10 s: its
    // stop is under way when the agent kills the executor, and its infra container is never stopped.
    const stubborn = await sim.launchK8smPod({
      agentId: 'agent-1',
      frameworkId: fw,
      pod: {
        metadata: { name: 'stubborn', namespace: 'default' },
        spec: {
          terminationGracePeriodSeconds: 20,
          containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', "trap '' TERM; while true; do sleep 1; done"] }],
        },
      },
    });
    const stubbornApp = stubborn.docker.find((d) => d.container === 'app')!.id;
    const stubbornInfra = stubborn.docker.find((d) => d.container === 'POD')!.id;
    const before = await k8sContainers();
    const earlier = before.map((c) => c.id).filter((id) => id !== stubbornApp && id !== stubbornInfra);
    expect(earlier.length).toBeGreaterThan(0);

    const res = await sim.shutdownExecutor('agent-1', exec.id);
    expect(res.containerId).toBe(exec.containerId);
    expect(res.gracePeriodMs).toBe(10000);
    expect(res.end).toBe('killed');
    // The earlier pods' containers exit on SIGTERM: stopped and removed in time; the stubborn one was being stopped.
    expect([...res.stopped].sort()).toEqual([...earlier].sort());
    expect(res.interrupted).toBe(stubbornApp);
    expect(res.left).toEqual([stubbornInfra]);

    const st = await getJson(sim.leaderUrl() + '/state');
    const f = st.frameworks[0];
    expect(f.executors).toEqual([]);
    expect(f.tasks).toEqual([]);
    expect(
      f.completed_tasks
        .filter((t: any) => t.state === 'TASK_LOST')
        .map((t: any) => t.id)
        .sort(),
    ).toEqual([...res.tasks].sort());
    expect(res.tasks).toContain(stubborn.taskId);
    expect(st.slaves[0].used_resources).toEqual({ cpus: 0, gpus: 0, mem: 0, disk: 0 });
    const lost = JSON.parse((await api(sim.leaderUrl() + '/api/v1', { type: 'GET_TASKS' })).body).get_tasks.completed_tasks.find(
      (t: any) => t.task_id.value === res.tasks[0],
    );
    expect(lost.statuses.at(-1)).toMatchObject({ state: 'TASK_LOST', source: 'SOURCE_AGENT', reason: 'REASON_EXECUTOR_TERMINATED' });

    const agent = await getJson(sim.agents[0]!.url + '/state');
    expect(agent.frameworks).toEqual([]);
    expect(agent.flags.executor_shutdown_grace_period).toBe('10secs');
    const done = agent.completed_frameworks[0].completed_executors[0];
    expect(done).toMatchObject({ id: exec.id, container: exec.containerId, tasks: [] });
    expect(done.completed_tasks.every((t: any) => t.state === 'TASK_LOST')).toBe(true);

    const after = await k8sContainers();
    expect(after.map((c) => c.id).sort()).toEqual([stubbornApp, stubbornInfra].sort());
    expect(after.find((c) => c.id === stubbornInfra)!.state).toBe('running');
    for (const c of after) expect(await envOf(c.id)).toContain(`MESOS_EXECUTOR_CONTAINER_UUID=${exec.containerId}`);
  }, 60000);

  test('a new executor start removes every /k8s_* container on the engine, orphans included', async () => {
    const orphans = (await k8sContainers()).map((c) => c.id);
    expect(orphans.length).toBeGreaterThan(0);
    const again = await sim.launchK8smPod({ agentId: 'agent-1', frameworkId: fw, pod: webPod('web2', 31006) });
    expect(again.executorCreated).toBe(true);
    const now = await k8sContainers();
    expect(now.filter((c) => orphans.includes(c.id))).toEqual([]);
    expect(now).toHaveLength(3);
    for (const c of now) expect(await envOf(c.id)).toContain(`MESOS_EXECUTOR_CONTAINER_UUID=${again.executorContainerId}`);
  }, 60000);

  test('a shutdown that stops every container in time removes them and ends the tasks TASK_KILLED', async () => {
    const agentId = sim.agents[0]!.id;
    const exec = sim.state.executorsOf({ agentId, completed: false })[0]!;
    const res = await sim.shutdownExecutor('agent-1', exec.id);
    expect(res).toMatchObject({ end: 'exited', left: [], failed: [] });
    expect(await k8sContainers()).toEqual([]);
    for (const id of res.tasks) expect(sim.state.task(id).state).toBe('TASK_KILLED');
    expect(sim.state.task(res.tasks[0]!).statuses.at(-1)).toMatchObject({ source: 'SOURCE_EXECUTOR', message: 'executor-shutdown' });
  }, 60000);

  test("teardown over HTTP removes the framework and its pods' containers", async () => {
    const p = await sim.launchK8smPod({ agentId: 'agent-1', frameworkId: fw, pod: webPod('web3') });
    expect((await k8sContainers()).length).toBe(3);
    const res = await raw(sim.leaderUrl() + '/master/teardown', { method: 'POST', body: `frameworkId=${fw}` });
    expect(res.status).toBe(200);
    await waitUntil('containers removed', async () => ((await k8sContainers()).length === 0 ? true : undefined), { timeoutMs: 20000 });
    expect(sim.state.task(p.taskId).state).toBe('TASK_KILLED');
  }, 60000);
});
