/**
 * Launched pods (k8s.mesosphere.io/bindingHost set) that are not Running, or Running while their
 * Mesos task is not: each reason with what Mesos said (state, source, reason, message).
 */
import { describe, expect, test } from '@jest/globals';
import { diagnosePod, needsDiagnosis } from '../../../src/core/diagnose/index.js';
import { agent, k8smFramework, launch, pod, settings, sim, snapshot, type Sim } from './helpers.js';

async function launched(phase = 'Pending', until: 'TASK_STARTING' | 'TASK_RUNNING' = 'TASK_STARTING') {
  const s = sim();
  const fw = k8smFramework(s);
  agent(s, 'a1');
  agent(s, 'a2');
  const p = await launch(
    s,
    pod('web', {}, { namespace: 'team-a', now: s.now(), ageSeconds: 5 }),
    { agentId: 'a2', frameworkId: fw.id, ...(until === 'TASK_STARTING' ? { until } : {}) },
    phase,
  );
  return { s, fw, p, taskId: p.metadata.annotations!['k8s.mesosphere.io/taskId']! };
}

const run = (s: Sim, p: ReturnType<typeof pod>, extra: Parameters<typeof snapshot>[1] = {}) =>
  diagnosePod(p, snapshot(s, { pods: [p], ...extra }), settings(), s.now());
const ids = (d: { reasons: ReadonlyArray<{ reason: string }> }) => d.reasons.map((r) => r.reason);

describe('the task ended', () => {
  test.each([
    ['TASK_FAILED', 'task-failed', 'create-binding-failure', 'SOURCE_EXECUTOR', undefined, /could not bind the pod/],
    ['TASK_LOST', 'task-lost', 'Executor terminated', 'SOURCE_AGENT', 'REASON_EXECUTOR_TERMINATED', /the executor or agent a2 went away/],
    ['TASK_KILLED', 'task-killed', 'pod-deleted', 'SOURCE_EXECUTOR', undefined, /delete the pod/],
    ['TASK_ERROR', 'task-error', 'Task uses more resources than offered', 'SOURCE_MASTER', 'REASON_TASK_INVALID', /delete the pod/],
  ] as const)('%s: %s with the latest status source, reason and message', async (state, id, message, source, reason, fix) => {
    const { s, p, taskId } = await launched();
    s.tick(30);
    s.state.updateTask(taskId, { state, message, source, ...(reason ? { reason } : {}) });
    s.tick(90);
    const d = run(s, p);
    expect(d.stage).toBe('launched');
    expect(d.stuck).toBe(true);
    expect(ids(d)[0]).toBe(id);
    const r = d.reasons[0]!;
    expect(r.message).toContain(`task ${taskId} on a2 is ${state} since `);
    expect(r.message).toContain(`(1m30s ago): ${message} (source ${source}${reason ? `, reason ${reason}` : ''})`);
    expect(r.fix).toMatch(fix);
    expect(d.summary).toBe(`launched on a2, but task ${taskId} on a2 is ${state} (${message})`);
    expect(d.evidence.task!.statuses.map((x) => x.state)).toEqual(['TASK_STARTING', state]);
  });

  test('the model /state carries no status message: the state alone', async () => {
    const { s, p, taskId } = await launched();
    s.state.updateTask(taskId, { state: 'TASK_FAILED', message: 'create-binding-failure', source: 'SOURCE_EXECUTOR' });
    const d = run(s, p, { source: 'state' });
    expect(d.reasons[0]!.reason).toBe('task-failed');
    expect(d.reasons[0]!.message).toMatch(/is TASK_FAILED since \S+ \(0s ago\)$/);
  });

  test('a Running pod whose task is lost: stage running, stuck', async () => {
    const { s, p, taskId } = await launched('Running', 'TASK_RUNNING');
    expect(run(s, p).stuck).toBe(false);
    s.state.updateTask(taskId, {
      state: 'TASK_LOST',
      source: 'SOURCE_MASTER',
      reason: 'REASON_RECONCILIATION',
      message: 'Reconciliation: Task is unknown to the agent',
    });
    const d = run(s, p);
    expect(d.stage).toBe('running');
    expect(d.stuck).toBe(true);
    expect(d.summary).toBe(`Running in the apiserver, but task ${taskId} on a2 is TASK_LOST (Reconciliation: Task is unknown to the agent)`);
    expect(needsDiagnosis(p, snapshot(s, { pods: [p] }), settings(), s.now())).toBe(true);
  });
});

describe('the task or its executor is gone', () => {
  test('task-missing: the annotated task id is unknown to Mesos', async () => {
    const { s, p } = await launched();
    const ghost = {
      ...p,
      metadata: { ...p.metadata, annotations: { ...p.metadata.annotations!, 'k8s.mesosphere.io/taskId': 'pod.00000000-0000-11ef-0000-000000000000' } },
    };
    const d = run(s, ghost);
    expect(ids(d)).toEqual(['task-missing']);
    expect(d.reasons[0]!.message).toBe(
      "the pod's task pod.00000000-0000-11ef-0000-000000000000 (annotation k8s.mesosphere.io/taskId) on a2 is unknown to the Mesos master: neither running nor among the completed tasks it remembers",
    );
  });

  test('executor-gone: the task reads live, its executor is no longer on the agent', async () => {
    const { s, p, taskId } = await launched('Running', 'TASK_RUNNING');
    const executorId = p.metadata.annotations!['k8s.mesosphere.io/executorId']!;
    s.state.shutdownExecutor('a2', executorId, { keepTasks: true });
    const d = run(s, p, { agentsAsked: { a2: true } });
    expect(ids(d)).toEqual(['executor-gone']);
    expect(d.reasons[0]!.message).toBe(
      `task ${taskId} is TASK_RUNNING, but its executor ${executorId} is no longer on agent a2 (the agent lists no such executor)`,
    );
    expect(d.stage).toBe('running');
  });

  test('agent-not-answering: its rows say so', async () => {
    const { s, p } = await launched();
    const d = run(s, p, { agentsAsked: { a2: 'connect ECONNREFUSED 127.0.0.3:5051' } });
    expect(ids(d)[0]).toBe('agent-not-answering');
    expect(d.reasons[0]!.message).toBe('agent a2 did not answer (connect ECONNREFUSED 127.0.0.3:5051): its executors and containers cannot be checked');
    expect(d.stuck).toBe(true);
  });
});

describe('launched, not Running', () => {
  test('launch-grace-expiring: how much of the 5m is left, and the sandbox from the agent', async () => {
    const { s, p, taskId } = await launched();
    s.tick(80);
    const d = run(s, p, { agentsAsked: { a2: true } });
    expect(d.stage).toBe('launched');
    expect(d.stuck).toBe(true);
    expect(ids(d)).toEqual(['launch-grace-expiring']);
    expect(d.reasons[0]!.message).toBe(
      'launched on a2 1m20s ago (task TASK_STARTING) but not Running: the executor deletes a pod that is not Running within --mesos-launch-grace-period (5m): 3m40s left',
    );
    expect(d.evidence.task).toMatchObject({
      id: taskId,
      agent: 'a2',
      state: 'TASK_STARTING',
      sandbox: expect.stringMatching(/\/executors\/.*_k8sm-executor\/runs\/[0-9a-f-]+$/),
    });
    expect(d.reasons[0]!.fix).toContain('/executor.log');
    s.tick(300);
    expect(run(s, p).reasons[0]!.message).toMatch(/past --mesos-launch-grace-period \(5m\) by 1m20s: the executor deletes it$/);
  });

  test('a pod launched a moment ago is not stuck yet', async () => {
    const { s, p } = await launched();
    s.tick(10);
    const d = run(s, p);
    expect(d.stuck).toBe(false);
    expect(d.reasons).toEqual([]);
    expect(d.summary).toMatch(/^launched on a2 10s ago, not Running; the executor deletes it in 4m50s$/);
  });

  test('container-waiting: image pull and crash loop, with the message, as kubectl describe shows them', async () => {
    const { s, p } = await launched();
    s.tick(45);
    const waiting = {
      ...p,
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'main',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.local/web:1.2"' } },
          },
        ],
      },
    };
    const d = run(s, waiting);
    expect(ids(d)).toEqual(['container-waiting', 'launch-grace-expiring']);
    expect(d.reasons[0]!.message).toBe('container main is waiting: ImagePullBackOff: Back-off pulling image "registry.local/web:1.2", restarts 0');
    expect(d.reasons[0]!.fix).toMatch(/check the image name and tag of container main/);
    expect(d.summary).toMatch(/^launched on a2 45s ago, not Running: container main waiting \(ImagePullBackOff\); the executor deletes it in 4m15s$/);
    expect(d.evidence.containers).toEqual(['main: Waiting (ImagePullBackOff): Back-off pulling image "registry.local/web:1.2", ready false, restarts 0']);

    const crash = {
      ...p,
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'main',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container' } },
            lastState: { terminated: { reason: 'Error', exitCode: 2 } },
          },
        ],
      },
    };
    const c = run(s, crash);
    expect(c.reasons[0]!.message).toBe(
      'container main is waiting: CrashLoopBackOff: back-off 1m20s restarting failed container, restarts 4; last run ended Error with exit code 2',
    );
    expect(c.reasons[0]!.fix).toBe('read why it exits: kubectl logs web -n team-a -c main --previous');
  });
});
