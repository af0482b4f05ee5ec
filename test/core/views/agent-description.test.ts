import { agentPortMap, describeAgent, podOfTaskName } from '../../../src/core/views/agent-description.js';
import { agent, framework, k8smExecutor, res, snapshot, task } from './snapshot-fixture.js';

describe('agentPortMap', () => {
  test('stretches of free ports and ports held by each task, across a gap in the ranges', () => {
    const a = agent('a1', { id: 'S1', total: res(4, 4096, '[31000-31005, 31010-31011]'), used: res(1, 128, '[31001-31002, 31010-31010]') });
    const tasks = [task('pod.1', 'web.shop.pod', 'F1', 'S1', { resources: res(0.5, 64, '[31001-31002]') })];
    const map = agentPortMap(a, tasks, [], { F1: 'Kubernetes' });
    expect(map).toEqual([
      { range: { begin: 31000, end: 31000 }, state: 'free' },
      { range: { begin: 31001, end: 31002 }, state: 'used', taskId: 'pod.1', taskName: 'web.shop', framework: 'Kubernetes' },
      { range: { begin: 31003, end: 31005 }, state: 'free' },
      // used according to the master, but no task in the snapshot holds it
      { range: { begin: 31010, end: 31010 }, state: 'used' },
      { range: { begin: 31011, end: 31011 }, state: 'free' },
    ]);
  });
});

describe('describeAgent', () => {
  const fw = framework('F1', 'Kubernetes');
  const base = agent('a1', { id: 'S1', executors: [k8smExecutor('e_k8sm-executor', 'F1', 'S1')] });

  test('lists the live tasks on the agent with their framework, and k8sm-relevant flags in a fixed order', () => {
    const a = {
      ...base,
      detail: {
        reachable: true,
        flags: { work_dir: '/var/lib/mesos', executor_shutdown_grace_period: '30secs', hostname: 'a1' },
        executors: [k8smExecutor('e_k8sm-executor', 'F1', 'S1', { container: 'c-1', directory: '/d' })],
      },
    };
    const snap = snapshot({
      agents: [a],
      frameworks: [fw],
      tasks: [
        task('pod.1', 'web.shop.pod', 'F1', 'S1'),
        task('pod.2', 'x.shop.pod', 'F1', 'S2'),
        task('pod.0', 'gone.shop.pod', 'F1', 'S1', { list: 'completed_tasks', state: 'TASK_FINISHED' }),
      ],
    });
    const d = describeAgent(snap, a);
    expect(d.tasks.map((t) => [t.id, t.frameworkName, t.k8sm])).toEqual([['pod.1', 'Kubernetes', true]]);
    expect(d.flags).toEqual([
      ['executor_shutdown_grace_period', '30secs'],
      ['work_dir', '/var/lib/mesos'],
    ]);
    expect(d.executors[0]!.container).toBe('c-1');
    expect(d.findings).toEqual([]);
  });

  test('warns when the shutdown grace period is shorter than the k8sm executor teardown', () => {
    const a = { ...base, detail: { reachable: true, flags: { executor_shutdown_grace_period: '5secs' } } };
    const d = describeAgent(snapshot({ agents: [a], frameworks: [fw] }), a);
    expect(d.findings.map((f) => [f.rule, f.severity])).toEqual([['agent-shutdown-grace-too-short', 'warning']]);
    expect(d.findings[0]!.message).toMatch(/5secs.*orphaned.*--executor_shutdown_grace_period=30secs/);
  });

  test('an agent that did not answer and an inactive agent are findings', () => {
    const a = { ...base, active: false, detail: { reachable: false, error: 'connection refused' } };
    const d = describeAgent(snapshot({ agents: [a] }), a);
    expect(d.findings.map((f) => f.rule).sort()).toEqual(['agent-inactive', 'agent-unreachable']);
    expect(d.findings.find((f) => f.rule === 'agent-unreachable')!.message).toContain('connection refused');
  });
});

test('podOfTaskName reads k8sm task names', () => {
  expect(podOfTaskName('web-0.shop.pod')).toEqual({ name: 'web-0', namespace: 'shop' });
  expect(podOfTaskName('my.dotted.name.default.pod')).toEqual({ name: 'my.dotted.name', namespace: 'default' });
  expect(podOfTaskName('nginx')).toBeUndefined();
});
