/**
 * Tasks launched through the simulator's scheduler API make kubelet-named containers on the
 * agent's real Docker engine (dockerd started here, busybox imported): the infra container and one
 * per pod container, with the executor's MESOS_EXECUTOR_CONTAINER_UUID; KILL removes them;
 * SHUTDOWN of the executor stops the rest through the kubelet emulation.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DockerApi } from '../../test/stack/mesos-sim/docker-api.js';
import { startMesosSimulator, type MesosSimulator } from '../../test/stack/mesos-sim/index.js';
import { startTestDockerEngine, type TestDockerEngine } from '../stack/test-servers.js';
import { getJson } from './helpers/http-client.js';
import { call, subscribe, type RawSubscription } from './helpers/scheduler-stream.js';

let dockerd: TestDockerEngine;
let docker: DockerApi;
let sim: MesosSimulator;
let s: RawSubscription;
let send: (c: Record<string, unknown>) => ReturnType<typeof call>;

beforeAll(async () => {
  dockerd = await startTestDockerEngine(210); // 127.0.0.211
  docker = new DockerApi({ socketPath: dockerd.socket });
  sim = await startMesosSimulator({
    agents: [
      {
        hostname: 'agent-1',
        ip: '127.0.0.212',
        resources: { cpus: 3, mem: 2048 },
        docker: { host: dockerd.ip, port: dockerd.port },
        flags: { executor_shutdown_grace_period: '10secs' },
      },
    ],
    schedulerApi: { heartbeatIntervalSeconds: 5, allocationIntervalMs: 50, launch: 'k8sm' },
  });
  const base = sim.leaderUrl()!;
  s = await subscribe(`${base}/api/v1/scheduler`, { user: 'root', name: 'Kubernetes', failover_timeout: 60 });
  const fid = (await s.next('SUBSCRIBED')).subscribed.framework_id.value as string;
  send = (c) => call(`${base}/api/v1/scheduler`, s.streamId, { framework_id: { value: fid }, ...c });
}, 90000);

afterAll(async () => {
  s?.close();
  await sim?.close();
  await dockerd?.stop();
}, 60000);

async function k8sContainers(): Promise<Array<{ id: string; name: string; labels: Record<string, string> }>> {
  const list = await docker.listContainers({ all: true });
  return list.filter((c) => (c.Names[0] ?? '').startsWith('/k8s_')).map((c) => ({ id: c.Id, name: c.Names[0] as string, labels: c.Labels }));
}

const scalar = (n: string, v: number) => ({ name: n, type: 'SCALAR', scalar: { value: v }, role: '*' });

function k8smTask(name: string, agentId: string, taskId: string) {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations: { 'k8s.mesosphere.io/taskId': taskId } },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: 'busybox' }] },
  };
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

describe('scheduler API launches on a real Docker engine', () => {
  test('the pod containers carry the executor container id; KILL removes them; SHUTDOWN stops the rest', async () => {
    const offer = (await s.next('OFFERS')).offers.offers[0];
    const agentId = offer.agent_id.value as string;
    await send({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [k8smTask('one', agentId, 'pod.d1'), k8smTask('two', agentId, 'pod.d2')] } }],
      },
    });
    for (const id of ['pod.d1', 'pod.d2']) {
      const starting = await s.next('UPDATE', (e) => e.update.status.task_id.value === id);
      expect(starting.update.status.state).toBe('TASK_STARTING');
      await send({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: agentId }, task_id: { value: id }, uuid: starting.update.status.uuid } });
      const running = await s.next('UPDATE', (e) => e.update.status.task_id.value === id && e.update.status.state === 'TASK_RUNNING');
      await send({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: agentId }, task_id: { value: id }, uuid: running.update.status.uuid } });
    }
    const agentState = await getJson(`${sim.agents[0]!.url}/state`);
    const executor = agentState.frameworks[0].executors[0];
    expect(executor.id).toBe('e1_k8sm-executor');
    const containers = await k8sContainers();
    expect(containers.map((c) => c.labels['io.kubernetes.pod.name'] + '/' + c.labels['io.kubernetes.container.name']).sort()).toEqual([
      'one/POD',
      'one/web',
      'two/POD',
      'two/web',
    ]);
    for (const c of containers) expect((await docker.inspectContainer(c.id)).Config.Env).toContain(`MESOS_EXECUTOR_CONTAINER_UUID=${executor.container}`);

    await send({ type: 'KILL', kill: { task_id: { value: 'pod.d1' } } });
    const killed = await s.next('UPDATE', (e) => e.update.status.state === 'TASK_KILLED');
    expect(killed.update.status.task_id.value).toBe('pod.d1');
    expect((await k8sContainers()).map((c) => c.labels['io.kubernetes.pod.name'])).toEqual(['two', 'two']);

    await send({ type: 'SHUTDOWN', shutdown: { executor_id: { value: 'e1_k8sm-executor' }, agent_id: { value: agentId } } });
    const ended = await s.next('UPDATE', (e) => e.update.status.task_id.value === 'pod.d2' && e.update.status.state !== 'TASK_RUNNING');
    expect(ended.update.status).toMatchObject({ state: 'TASK_KILLED', message: 'executor-shutdown' });
    expect(await k8sContainers()).toEqual([]);
  });
});
