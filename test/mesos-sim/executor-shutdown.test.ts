/**
 * The k8sm executor's shutdown follows the agent's executor_shutdown_grace_period (reference §1.15,
 * §3.1): its kubelet stops the pod containers one by one on the agent's real Docker engine, each
 * with its pod's grace period, and the agent kills the executor when its grace period runs out:
 * what was not stopped by then keeps running. With containers that ignore SIGTERM, 3secs leaves
 * orphans, 30secs none. The sequencing itself is checked without Docker first.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DockerApi } from '../../test/stack/mesos-sim/docker-api.js';
import { startMesosSimulator, type LaunchedPod, type MesosSimulator } from '../../test/stack/mesos-sim/index.js';
import { parseMesosDuration, stopOneByOne, type StopStep } from '../../test/stack/mesos-sim/k8sm.js';
import { startTestDockerEngine, type TestDockerEngine } from '../stack/test-servers.js';
import { getJson } from './helpers/http-client.js';

describe('parseMesosDuration (the agent flag format)', () => {
  test.each([
    ['5secs', 5000],
    ['3secs', 3000],
    ['30secs', 30000],
    ['500ms', 500],
    ['2.5secs', 2500],
    ['1mins', 60000],
    ['1hrs', 3600000],
  ])('%s is %d ms', (v, ms) => expect(parseMesosDuration(v)).toBe(ms));
  test.each(['5', '5s', 'secs', ''])('%j is not a duration', (v) => expect(parseMesosDuration(v)).toBeUndefined());
});

describe('stopOneByOne', () => {
  /** Steps whose stops the test finishes by hand, and a deadline it fires by hand. */
  function harness(ids: string[]) {
    const started: Array<{ id: string; signal: AbortSignal; done: (ok: boolean) => void }> = [];
    let fire: (why: 'killed' | 'gave-up') => void = () => undefined;
    const deadline = new Promise<'killed' | 'gave-up'>((r) => (fire = r));
    const steps: StopStep[] = ids.map((id) => ({ id, graceSeconds: 2 }));
    const run = stopOneByOne(
      steps,
      (step, signal) =>
        new Promise<void>((resolve, reject) => started.push({ id: step.id, signal, done: (ok) => (ok ? resolve() : reject(new Error('HTTP 500 boom'))) })),
      deadline,
    );
    const next = async (): Promise<(typeof started)[number]> => {
      for (let i = 0; i < 50 && started.length === 0; i++) await Promise.resolve();
      return started.shift()!;
    };
    return { run, next, fire };
  }

  test('one at a time, in order; everything stopped in time: exited', async () => {
    const h = harness(['a', 'b', 'c']);
    for (const id of ['a', 'b', 'c']) {
      const s = await h.next();
      expect(s.id).toBe(id);
      s.done(true);
    }
    await expect(h.run).resolves.toEqual({ end: 'exited', stopped: ['a', 'b', 'c'], left: [], failed: [] });
  });

  test('the deadline during a stop: that stop is abandoned (aborted), the rest is left, nothing more is asked', async () => {
    const h = harness(['a', 'b', 'c', 'd']);
    (await h.next()).done(true);
    const b = await h.next();
    h.fire('killed');
    const out = await h.run;
    expect(out).toEqual({ end: 'killed', stopped: ['a'], interrupted: 'b', left: ['c', 'd'], failed: [] });
    expect(b.signal.aborted).toBe(true);
    expect(await h.next()).toBeUndefined();
  });

  test('a failed stop is reported and the next container is still stopped', async () => {
    const h = harness(['a', 'b']);
    (await h.next()).done(false);
    (await h.next()).done(true);
    await expect(h.run).resolves.toEqual({ end: 'exited', stopped: ['b'], left: [], failed: ['a: HTTP 500 boom'] });
  });

  test('the executor giving up (its own 15 s) ends it the same way', async () => {
    const h = harness(['a', 'b']);
    await h.next();
    h.fire('gave-up');
    await expect(h.run).resolves.toMatchObject({ end: 'gave-up', stopped: [], interrupted: 'a', left: ['b'] });
  });
});

describe('against real Docker engines: 3secs leaves orphans, 30secs none', () => {
  let short: TestDockerEngine;
  let long: TestDockerEngine;
  let sim: MesosSimulator;
  let fw: string;
  const pods: Record<string, LaunchedPod[]> = { 'agent-3s': [], 'agent-30s': [] };

  // Busybox ignoring SIGTERM: every `docker stop` of it takes the pod's whole grace period.
  const stubborn = (name: string) => ({
    metadata: { name, namespace: 'default' },
    spec: {
      terminationGracePeriodSeconds: 2,
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', "trap '' TERM; while true; do sleep 1; done"] }],
    },
  });

  async function kubeletContainers(d: DockerApi): Promise<Array<{ id: string; name: string; state: string; labels: Record<string, string> }>> {
    const list = await d.listContainers({ all: true });
    return list.filter((c) => (c.Names[0] ?? '').startsWith('/k8s_')).map((c) => ({ id: c.Id, name: c.Names[0] as string, state: c.State, labels: c.Labels }));
  }

  beforeAll(async () => {
    [short, long] = await Promise.all([startTestDockerEngine(220), startTestDockerEngine(221)]);
    sim = await startMesosSimulator({
      agents: [
        {
          hostname: 'agent-3s',
          ip: '127.0.0.223',
          resources: { cpus: 4, mem: 4096 },
          docker: { host: short.ip, port: short.port },
          flags: { executor_shutdown_grace_period: '3secs' },
        },
        {
          hostname: 'agent-30s',
          ip: '127.0.0.224',
          resources: { cpus: 4, mem: 4096 },
          docker: { host: long.ip, port: long.port },
          flags: { executor_shutdown_grace_period: '30secs' },
        },
      ],
      frameworks: [{ name: 'Kubernetes', principal: 'k8sm', pid: 'scheduler(1)@127.0.0.1:10251', checkpoint: true }],
    });
    fw = [...sim.state.frameworks.values()][0]!.id;
    for (const agent of ['agent-3s', 'agent-30s']) {
      for (const name of ['stubborn-a', 'stubborn-b']) pods[agent]!.push(await sim.launchK8smPod({ agentId: agent, frameworkId: fw, pod: stubborn(name) }));
    }
  }, 120000);

  afterAll(async () => {
    await sim?.close();
    await Promise.all([short?.stop(), long?.stop()]);
  }, 60000);

  test('each agent reports its own flag in /flags and /state', async () => {
    for (const [i, want] of [
      [0, '3secs'],
      [1, '30secs'],
    ] as const) {
      const a = sim.agents[i]!;
      expect((await getJson(`${a.url}/flags`)).flags.executor_shutdown_grace_period).toBe(want);
      expect((await getJson(`${a.url}/slave(1)/state`)).flags.executor_shutdown_grace_period).toBe(want);
    }
    expect(sim.executorShutdownGraceMs('agent-3s')).toBe(3000);
  });

  test('3secs: the agent kills the executor; the containers it had not stopped keep running, with the marker and the kubelet labels', async () => {
    const d = new DockerApi({ host: short.ip, port: short.port });
    const mine = pods['agent-3s']!;
    const all = mine.flatMap((p) => p.docker.map((c) => c.id));
    const res = await sim.shutdownExecutor('agent-3s', mine[0]!.executorId);
    expect(res.end).toBe('killed');
    expect(res.gracePeriodMs).toBe(3000);
    expect(res.failed).toEqual([]);
    // 2 pods x (app 2 s + infra) cannot be stopped one by one in 3 s.
    expect(res.left.length).toBeGreaterThan(0);
    expect([...res.stopped, ...(res.interrupted ? [res.interrupted] : []), ...res.left].sort()).toEqual([...all].sort());

    const now = await kubeletContainers(d);
    // Stopped ones are removed; the one under way is finished by dockerd (it stays); the rest run.
    expect(now.map((c) => c.id).sort()).toEqual([...res.left, ...(res.interrupted ? [res.interrupted] : [])].sort());
    for (const id of res.left) {
      const c = now.find((x) => x.id === id)!;
      expect(c.state).toBe('running');
      const pod = mine.find((p) => p.docker.some((x) => x.id === id))!;
      expect(c.labels).toMatchObject({ 'io.kubernetes.pod.name': pod.name, 'io.kubernetes.pod.uid': pod.uid, 'io.kubernetes.pod.terminationGracePeriod': '2' });
      expect((await d.inspectContainer(id)).Config.Env).toContain(`MESOS_EXECUTOR_CONTAINER_UUID=${res.containerId}`);
    }

    // Mesos: the executor is completed, its tasks TASK_LOST from the agent.
    const agent = await getJson(`${sim.agents[0]!.url}/slave(1)/state`);
    expect(agent.frameworks).toEqual([]);
    const done = agent.completed_frameworks[0].completed_executors.find((e: any) => e.container === res.containerId);
    expect(done.completed_tasks.map((t: any) => t.state)).toEqual(['TASK_LOST', 'TASK_LOST']);
    for (const id of res.tasks)
      expect(sim.state.task(id).statuses.at(-1)).toMatchObject({ state: 'TASK_LOST', source: 'SOURCE_AGENT', reason: 'REASON_EXECUTOR_TERMINATED' });
  }, 60000);

  test('a completed executor can come back (agent recovery): live again with the same container', async () => {
    const exec = pods['agent-3s']![0]!;
    const back = sim.reviveExecutor('agent-3s', exec.executorId);
    expect(back.containerId).toBe(exec.executorContainerId);
    const agent = await getJson(`${sim.agents[0]!.url}/slave(1)/state`);
    expect(agent.frameworks[0].executors.map((e: any) => e.container)).toEqual([exec.executorContainerId]);
    expect(() => sim.reviveExecutor('agent-3s', exec.executorId)).toThrow(/no completed executor/);
  });

  test('30secs: every container is stopped and removed before the agent would kill the executor; tasks TASK_KILLED', async () => {
    const d = new DockerApi({ host: long.ip, port: long.port });
    const mine = pods['agent-30s']!;
    const res = await sim.shutdownExecutor('agent-30s', mine[0]!.executorId);
    expect(res).toMatchObject({ end: 'exited', left: [], failed: [], gracePeriodMs: 30000 });
    expect(res.interrupted).toBeUndefined();
    expect(res.stopped).toHaveLength(4);
    expect(await kubeletContainers(d)).toEqual([]);
    for (const id of res.tasks)
      expect(sim.state.task(id).statuses.at(-1)).toMatchObject({ state: 'TASK_KILLED', source: 'SOURCE_EXECUTOR', message: 'executor-shutdown' });
  }, 60000);
});
