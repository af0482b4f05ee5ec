/**
 * get orphans / delete orphans with the real clients (processFactory: dockerode loaded lazily, the
 * Mesos client) against a real dockerd and the Mesos simulator: a live pod container, an orphaned
 * pod (app + infra container), a kubelet container without the marker, and an agent whose engine
 * refuses connections. delete removes exactly the orphans; a second run has nothing to do.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processFactory } from '../../src/lib/factory.js';
import { DockerApi } from '../stack/mesos-sim/docker-api.js';
import { startMesosSimulator, type MesosSimulator } from '../stack/mesos-sim/index.js';
import { startTestDockerEngine, type TestDockerEngine } from '../stack/test-servers.js';
import { k8smctl } from '../cmd/harness.js';

let dockerd: TestDockerEngine;
let docker: DockerApi;
let sim: MesosSimulator;
let dir: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-orphan-cmds-'));
  [dockerd, sim] = await Promise.all([
    startTestDockerEngine(240),
    startMesosSimulator({
      agents: [
        { hostname: 'agent-1', resources: { cpus: 4, mem: 4096 } },
        { hostname: 'agent-2', resources: { cpus: 4, mem: 4096 } },
      ],
    }),
  ]);
  docker = new DockerApi({ socketPath: dockerd.socket });
  const k8sm = sim.addFramework({ name: 'Kubernetes', role: '*' }).id;
  const live = sim.addExecutor({ frameworkId: k8sm, agentId: 'agent-1', k8sm: true });
  sim.addTask({
    frameworkId: k8sm,
    agentId: 'agent-1',
    executorId: live.id,
    name: 'web.default.pod',
    state: 'TASK_RUNNING',
    resources: { cpus: 0.25, mem: 64 },
  });
  const make = async (key: string, name: string, pod: string, env: string[]) => {
    ids[key] = await docker.createContainer(name, {
      Image: 'busybox:latest',
      Cmd: ['/bin/sleep', '600'],
      Env: env,
      Labels: {
        'io.kubernetes.pod.name': pod,
        'io.kubernetes.pod.namespace': 'default',
        'io.kubernetes.pod.uid': `u-${pod}`,
        'io.kubernetes.pod.terminationGracePeriod': '1',
      },
      HostConfig: { NetworkMode: 'none' },
    });
    await docker.startContainer(ids[key]);
  };
  await make('live', 'k8s_app.1a_web_default_u-web_0badf00d', 'web', [`MESOS_EXECUTOR_CONTAINER_UUID=${live.containerId}`]);
  await make('orphan', 'k8s_app.1a_old_default_u-old_0badf00d', 'old', ['MESOS_EXECUTOR_CONTAINER_UUID=gone-executor-run']);
  await make('infra', 'k8s_POD.2b_old_default_u-old_0badf00d', 'old', ['MESOS_EXECUTOR_CONTAINER_UUID=gone-executor-run']);
  await make('plain', 'k8s_app.1a_plain_default_u-plain_0badf00d', 'plain', []);
  writeFileSync(join(dir, 'engines.yaml'), `agent-1: tcp://${dockerd.ip}:${dockerd.port}\nagent-2: tcp://127.0.0.1:1\n`);
}, 120000);

afterAll(async () => {
  await Promise.all([dockerd?.stop(), sim?.close()]);
  rmSync(dir, { recursive: true, force: true });
}, 60000);

function run(args: string[]) {
  const factory = processFactory('0.0.0-test', { HOME: dir, KUBECONFIG: join(dir, 'no-kubeconfig') });
  return k8smctl([...args, '--mesos-master', sim.masters[0]!.url, '--docker-endpoints', join(dir, 'engines.yaml')], { factory });
}

describe('orphan commands with the real clients', () => {
  test('get orphans classifies every container; the refused engine is reported; exit 1', async () => {
    const r = await run(['get', 'orphans', '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      containers: Array<{ containerId: string; class: string; unprovenReason: string | null }>;
      unreadable: Array<{ agent: string }>;
    };
    const cls = Object.fromEntries(doc.containers.map((c) => [c.containerId, c.class]));
    expect(cls).toEqual({ [ids['live']!]: 'live', [ids['orphan']!]: 'orphan', [ids['infra']!]: 'orphan', [ids['plain']!]: 'unproven' });
    expect(doc.unreadable.map((u) => u.agent)).toEqual(['agent-2']);
    expect(r.stderr).toMatch(/^warning: agent agent-2: Docker engine unreadable, its containers are not checked: /m);
    expect(r.stderr).toMatch(/^warning: pods not read/m);
  }, 60000);

  test('delete orphans --yes removes exactly the orphans; a second run has nothing to do', async () => {
    const audit = join(dir, 'audit.log');
    const r = await run(['delete', 'orphans', '--yes', '--agent', 'agent-1', '--audit-log', audit]);
    expect(r.stderr).toMatch(/2 containers stopped and removed, 0 skipped, 0 failed/);
    expect(r.code).toBe(0);
    const left = (await docker.listContainers({ all: true })).map((c) => c.Id).sort();
    expect(left).toEqual([ids['live']!, ids['plain']!].sort());
    const running = (await docker.listContainers()).map((c) => c.Id).sort();
    expect(running).toEqual(left);
    expect(readFileSync(audit, 'utf8').trimEnd().split('\n').length).toBeGreaterThanOrEqual(6);
    const again = await run(['delete', 'orphans', '--yes', '--agent', 'agent-1', '--audit-log', audit]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('No orphaned containers: nothing to do.\n');
  }, 60000);
});
