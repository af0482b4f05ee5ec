/**
 * k8sm's executor behaviour against a real kube-apiserver (v1.20.2, built and cached by the stack's
 * provisioning) on a real etcd, both started here as the test stack starts them (test/stack): the
 * pod is bound to the agent with k8sm's annotations and reported Running, an already bound pod is
 * annotated instead, and a missing pod fails before anything changes.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startMesosSimulator, type MesosSimulator } from '../../test/stack/mesos-sim/index.js';
import { startTestKubeApiserver, type TestKubeApiserver } from '../stack/test-servers.js';
import { raw } from './helpers/http-client.js';

let apiserver: TestKubeApiserver;
let server: string;
let ca: string;
let token: string;
let sim: MesosSimulator;
let fw: string;

const kube = (method: string, path: string, body?: unknown) =>
  raw(server + path, {
    method,
    ca,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  apiserver = await startTestKubeApiserver();
  server = apiserver.url;
  ca = apiserver.caPem;
  token = apiserver.admin.token;
  sim = await startMesosSimulator({
    agents: [{ hostname: 'agent-1', ip: '127.0.0.203', resources: { cpus: 2, mem: 1024 } }],
    frameworks: [{ name: 'Kubernetes' }],
  });
  fw = [...sim.state.frameworks.values()][0]!.id;
}, 120000);

afterAll(async () => {
  await sim?.close();
  await apiserver?.stop();
}, 60000);

const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations: { 'team.example/owner': 'ops' } },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
});

describe('launchK8smPod with a real apiserver', () => {
  test('binds the pod with k8sm annotations and reports it Running', async () => {
    expect((await kube('POST', '/api/v1/namespaces/default/pods', pod('web'))).status).toBe(201);
    const launched = await sim.launchK8smPod({ agentId: 'agent-1', frameworkId: fw, pod: pod('web'), kube: { server, token, caPem: ca } });
    const live = JSON.parse((await kube('GET', '/api/v1/namespaces/default/pods/web')).body);
    expect(launched.uid).toBe(live.metadata.uid);
    expect(live.spec.nodeName).toBe('agent-1');
    expect(live.metadata.annotations).toMatchObject({
      'team.example/owner': 'ops',
      'k8s.mesosphere.io/bindingHost': 'agent-1',
      'k8s.mesosphere.io/taskId': launched.taskId,
      'k8s.mesosphere.io/slaveId': sim.agents[0]!.id,
      'k8s.mesosphere.io/executorId': launched.executorId,
      'k8s.mesosphere.io/port_TCP_80': '31000',
    });
    expect(live.metadata.annotations['k8s.mesosphere.io/offerId']).toBe(launched.annotations['k8s.mesosphere.io/offerId']);
    expect(live.status.phase).toBe('Running');
    expect(live.status.hostIP).toBe('127.0.0.203');
    expect(sim.state.task(launched.taskId).state).toBe('TASK_RUNNING');
  }, 30000);

  test('a pod already bound gets its annotations by merge-patch (no second Binding)', async () => {
    expect((await kube('POST', '/api/v1/namespaces/default/pods', pod('pinned', 'agent-1'))).status).toBe(201);
    const launched = await sim.launchK8smPod({ agentId: 'agent-1', frameworkId: fw, pod: pod('pinned'), kube: { server, token, caPem: ca } });
    const live = JSON.parse((await kube('GET', '/api/v1/namespaces/default/pods/pinned')).body);
    expect(live.metadata.annotations['k8s.mesosphere.io/taskId']).toBe(launched.taskId);
    expect(live.status.phase).toBe('Running');
  }, 30000);

  test("pods seeded in the config are launched at start against the config's apiserver", async () => {
    expect((await kube('POST', '/api/v1/namespaces/default/pods', pod('seeded'))).status).toBe(201);
    const seeded = await startMesosSimulator({
      kube: { server, token, caPem: ca },
      agents: [{ hostname: 'agent-9', ip: '127.0.0.204', resources: { cpus: 1, mem: 512 } }],
      frameworks: [{ name: 'Kubernetes', pods: [{ agentId: 'agent-9', pod: pod('seeded') }] }],
    });
    try {
      const live = JSON.parse((await kube('GET', '/api/v1/namespaces/default/pods/seeded')).body);
      expect(live.spec.nodeName).toBe('agent-9');
      expect(live.status.phase).toBe('Running');
      const task = [...seeded.state.tasks.values()][0]!;
      expect(live.metadata.annotations['k8s.mesosphere.io/taskId']).toBe(task.id);
      expect(task.name).toBe('seeded.default.pod');
    } finally {
      await seeded.close();
    }
  }, 30000);

  test('a pod missing from the apiserver fails before anything is created', async () => {
    const tasks = sim.state.tasks.size;
    await expect(sim.launchK8smPod({ agentId: 'agent-1', frameworkId: fw, pod: pod('ghost'), kube: { server, token, caPem: ca } })).rejects.toThrow(
      /reading pod default\/ghost: HTTP 404/,
    );
    expect(sim.state.tasks.size).toBe(tasks);
  }, 30000);
});
