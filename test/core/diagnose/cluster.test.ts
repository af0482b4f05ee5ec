/**
 * `diagnose cluster`: every cause on a cluster built to show it, none on a healthy one.
 */
import { describe, expect, test } from '@jest/globals';
import { diagnoseCluster, type ClusterCause } from '../../../src/core/diagnose/index.js';
import { agent, k8smFramework, launch, nodesFor, pod, schedulingEvent, settings, sim, snapshot } from './helpers.js';

const GOOD_FLAGS = { executor_shutdown_grace_period: '30secs' };

async function healthy() {
  const s = sim();
  const fw = k8smFramework(s);
  agent(s, 'a1', { flags: GOOD_FLAGS });
  agent(s, 'a2', { flags: GOOD_FLAGS });
  const web = await launch(s, pod('web', {}, { namespace: 'team-a' }), { agentId: 'a1', frameworkId: fw.id });
  const db = await launch(s, pod('db', {}, { namespace: 'team-a' }), { agentId: 'a2', frameworkId: fw.id });
  return { s, fw, pods: [web, db] };
}

const byReason = (causes: ReadonlyArray<ClusterCause>, id: string) => causes.filter((c) => c.reason === id);

describe('diagnose cluster', () => {
  test('a healthy cluster: no cause', async () => {
    const { s, pods } = await healthy();
    const d = diagnoseCluster(snapshot(s, { pods, agentsAsked: { a1: true, a2: true } }), settings(), s.now());
    expect(d.causes).toEqual([]);
  });

  test('framework-not-registered and offers-held are errors', async () => {
    const { s, fw, pods } = await healthy();
    const o = s.state.addOffer({ frameworkId: fw.id, agentId: 'a2', resources: { cpus: 1, mem: 1024 } });
    const d = diagnoseCluster(snapshot(s, { pods, offersLater: { afterMs: 10_000, ids: [o.id] } }), settings(), s.now());
    expect(byReason(d.causes, 'offers-held')).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('a2 (1 CPU, 1024 MB)') }),
    ]);
    const missing = diagnoseCluster(snapshot(s, { pods }), settings({}, { frameworkName: 'k8sm-prod' }), s.now());
    expect(missing.causes[0]).toMatchObject({
      reason: 'framework-not-registered',
      severity: 'error',
      message: expect.stringContaining('no framework named k8sm-prod'),
    });
  });

  test('scheduler-silent: Pending pods older than --stuck-after without a scheduler event', async () => {
    const { s, pods } = await healthy();
    const quiet = pod('quiet', {}, { now: s.now(), ageSeconds: 600 });
    const heard = pod('heard', {}, { now: s.now(), ageSeconds: 600 });
    const young = pod('young', {}, { now: s.now(), ageSeconds: 5 });
    const d = diagnoseCluster(snapshot(s, { pods: [...pods, quiet, heard, young], events: [schedulingEvent(heard, s.now())] }), settings(), s.now());
    expect(byReason(d.causes, 'scheduler-silent')).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/^1 Pending pod older than 30s has no event from the scheduler \(default\/quiet\)/),
      }),
    ]);
  });

  test("executor-shutdown-grace-short: under 15s, or under a running pod's terminationGracePeriodSeconds", async () => {
    const s = sim();
    const fw = k8smFramework(s);
    agent(s, 'a1', { flags: { executor_shutdown_grace_period: '5secs' } });
    agent(s, 'a2', { flags: { executor_shutdown_grace_period: '30secs' } });
    const slow = pod('slow', {}, { namespace: 'team-a' });
    slow.spec = { ...slow.spec, terminationGracePeriodSeconds: 60 };
    const p = await launch(s, slow, { agentId: 'a2', frameworkId: fw.id });
    const d = diagnoseCluster(snapshot(s, { pods: [p], agentsAsked: { a1: true, a2: true } }), settings(), s.now());
    const c = byReason(d.causes, 'executor-shutdown-grace-short');
    expect(c.map((x) => [x.agent, x.severity])).toEqual([
      ['a1', 'warning'],
      ['a2', 'warning'],
    ]);
    expect(c[0]!.message).toBe(
      "agent a1's executor_shutdown_grace_period is 5secs, shorter than the 15s the k8sm executor allows its kubelet to stop the pods: when the executor is shut down the agent kills it first, and its pod containers are orphaned",
    );
    expect(c[1]!.message).toContain("30secs, shorter than pod team-a/slow's terminationGracePeriodSeconds 60");
    expect(c[1]!.fix).toBe('start the agent with --executor_shutdown_grace_period=120secs (at least 60s)');
  });

  test('executor-id-drift: ids per agent with their task counts', async () => {
    const { s, fw, pods } = await healthy();
    agent(s, 'a3', { flags: GOOD_FLAGS });
    const old = s.state.addExecutor({ frameworkId: fw.id, agentId: 'a3', k8sm: true, id: 'cafe_k8sm-executor' });
    s.state.addTask({ frameworkId: fw.id, agentId: 'a3', executorId: old.id, name: 'old.team-a.pod', resources: { cpus: 0.1, mem: 32 } });
    const d = diagnoseCluster(snapshot(s, { pods }), settings(), s.now());
    const drift = byReason(d.causes, 'executor-id-drift');
    expect(drift).toHaveLength(1);
    expect(drift[0]!.message).toMatch(/run with 2 different ids: \w+_k8sm-executor \(current\) on a1, a2 \(2 tasks\); cafe_k8sm-executor on a3 \(1 task\)/);
  });

  test('agent-no-ports and agent-ports-differ', () => {
    const s = sim();
    k8smFramework(s);
    agent(s, 'a1');
    agent(s, 'a2');
    agent(s, 'a3', { resources: { cpus: 4, mem: 4096, ports: '[31000-31099, 31101-32000]' } });
    agent(s, 'a4', { resources: { cpus: 4, mem: 4096, ports: '[]' } });
    const d = diagnoseCluster(snapshot(s), settings(), s.now());
    expect(byReason(d.causes, 'agent-no-ports').map((c) => c.agent)).toEqual(['a4']);
    expect(byReason(d.causes, 'agent-ports-differ')[0]!.message).toMatch(
      /^agents offer different port ranges: \[31000-32000\] on 2 agents \(a1, a2\); \[31000-31099, 31101-32000\] on a3:/,
    );
  });

  test('agent-without-node (active agents) and node-without-agent', () => {
    const s = sim();
    k8smFramework(s);
    agent(s, 'a1');
    agent(s, 'a2');
    agent(s, 'a3').active = false;
    const nodes = [...nodesFor(s).filter((n) => n.metadata.name === 'a1'), { metadata: { name: 'gone-host' } }];
    const d = diagnoseCluster(snapshot(s, { nodes }), settings(), s.now());
    expect(byReason(d.causes, 'agent-without-node').map((c) => [c.agent, c.severity])).toEqual([['a2', 'error']]);
    expect(byReason(d.causes, 'node-without-agent')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('Node gone-host has no Mesos agent') }),
    ]);
  });

  test('task-without-pod and pod-without-task', async () => {
    const { s, pods } = await healthy();
    const [web, db] = pods;
    const dbTask = db!.metadata.annotations!['k8s.mesosphere.io/taskId']!;
    s.state.updateTask(dbTask, { state: 'TASK_LOST', source: 'SOURCE_AGENT', reason: 'REASON_EXECUTOR_TERMINATED' });
    const d = diagnoseCluster(snapshot(s, { pods: [db!] }), settings(), s.now());
    const webTask = web!.metadata.annotations!['k8s.mesosphere.io/taskId']!;
    expect(byReason(d.causes, 'task-without-pod')).toEqual([
      expect.objectContaining({
        agent: 'a1',
        severity: 'warning',
        message: expect.stringContaining(`task ${webTask} (pod team-a/web) of framework Kubernetes is TASK_RUNNING on a1, but its pod is gone`),
      }),
    ]);
    expect(byReason(d.causes, 'pod-without-task')).toEqual([
      expect.objectContaining({
        agent: 'a2',
        severity: 'error',
        message: `pod team-a/db is Running on a2, but its task ${dbTask} is TASK_LOST: the pod does not run as Kubernetes believes`,
      }),
    ]);
  });

  test('pod-on-unknown-agent: a launched pod bound to an agent this master does not know is a warning, not pod-without-task', async () => {
    const { s, pods } = await healthy();
    const other = pod(
      'elsewhere',
      {
        annotations: { 'k8s.mesosphere.io/bindingHost': 'agent-z', 'k8s.mesosphere.io/slaveId': 'ffff-S9', 'k8s.mesosphere.io/taskId': 'pod.1' },
      },
      { phase: 'Running' },
    );
    const d = diagnoseCluster(snapshot(s, { pods: [...pods, other] }), settings(), s.now());
    expect(d.causes).toEqual([
      expect.objectContaining({
        reason: 'pod-on-unknown-agent',
        severity: 'warning',
        agent: 'agent-z',
        message: expect.stringContaining('pod default/elsewhere is Running on agent-z (agent ffff-S9), an agent this Mesos master does not know'),
      }),
    ]);
  });

  test('agent-not-answering', async () => {
    const { s, pods } = await healthy();
    const d = diagnoseCluster(snapshot(s, { pods, agentsAsked: { a1: true, a2: 'timed out after 10000 ms' } }), settings(), s.now());
    expect(d.causes).toEqual([
      expect.objectContaining({
        reason: 'agent-not-answering',
        agent: 'a2',
        severity: 'error',
        message: expect.stringContaining('(timed out after 10000 ms)'),
      }),
    ]);
  });
});
