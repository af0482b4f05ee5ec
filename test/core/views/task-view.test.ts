import { k8smTaskViews } from '../../../src/core/views/task-view.js';
import { agent, framework, res, snapshot, task } from './snapshot-fixture.js';

const snap = snapshot({
  agents: [agent('a1', { id: 'S1' })],
  frameworks: [framework('F1', 'Kubernetes'), framework('F2', 'marathon')],
  tasks: [
    task('pod.A', 'web.shop.pod', 'F1', 'S1', { resources: res(0.5, 128, '[31000-31001, 31005-31005]') }),
    task('pod.B', 'db.shop.pod', 'F1', 'S1'),
    task('pod.C', 'job.batch.pod', 'F1', 'S1'),
    task('pod.D', 'old.shop.pod', 'F1', 'S1', { list: 'completed_tasks', state: 'TASK_KILLED' }),
    task('m.1', 'nginx', 'F2', 'S1'),
  ],
});

describe('k8smTaskViews', () => {
  const pods = [
    { name: 'web-renamed', namespace: 'shop', phase: 'Running', taskId: 'pod.A' },
    { name: 'db', namespace: 'shop', phase: 'Pending' },
    // a later pod of the same name that belongs to another task is not job's pod
    { name: 'job', namespace: 'batch', phase: 'Running', taskId: 'pod.Z' },
  ];

  test('joins by the taskId annotation first, then by the task name; other frameworks are left out', () => {
    const v = k8smTaskViews(snap, pods);
    expect(v.map((t) => [t.task.id, t.namespace, t.podName, t.join, t.pod?.phase])).toEqual([
      ['pod.C', 'batch', 'job', 'none', undefined],
      ['pod.B', 'shop', 'db', 'name', 'Pending'],
      ['pod.A', 'shop', 'web-renamed', 'annotation', 'Running'],
    ]);
  });

  test('host ports, agent hostname and framework name', () => {
    const a = k8smTaskViews(snap, pods).find((t) => t.task.id === 'pod.A')!;
    expect(a.hostPorts).toEqual([31000, 31001, 31005]);
    expect(a.agent).toBe('a1');
    expect(a.framework).toBe('Kubernetes');
  });

  test('namespace filter and completed tasks', () => {
    expect(k8smTaskViews(snap, pods, { namespace: 'batch' }).map((t) => t.task.id)).toEqual(['pod.C']);
    expect(k8smTaskViews(snap, [], { all: true }).map((t) => t.task.id)).toContain('pod.D');
  });
});
