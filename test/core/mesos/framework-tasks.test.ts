import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFrameworkTasks } from '../../../src/core/mesos/master-state.js';
import { podKeyOfTaskName, taskName } from '../../../src/core/scheduler/task.js';
import { CAPTURE_DIR } from '../../stack/mesos-sim/captures/corpus.js';

describe('parseFrameworkTasks (/master/frameworks: a scheduler taking over its framework id)', () => {
  it('reads the live tasks of one framework from a real master capture', () => {
    const json: unknown = JSON.parse(readFileSync(join(CAPTURE_DIR, 'DataDog__dd-agent__tests_checks_fixtures_mesos_master_state.json'), 'utf8'));
    expect(parseFrameworkTasks(json, '20150403-140128-251789322-5050-6047-0000', 'capture')).toEqual([
      {
        id: 'hello.dc130e23-df88-11e4-b9ec-080027fc1312',
        name: 'hello',
        agentId: '20150410-134224-16777343-5050-1778-S0',
        state: 'TASK_RUNNING',
        frameworkId: '20150403-140128-251789322-5050-6047-0000',
        frameworkName: 'marathon',
      },
    ]);
    expect(parseFrameworkTasks(json, 'another-framework', 'capture')).toEqual([]);
    // without an id: every framework's (a new k8sm framework looking for tasks of others)
    expect(parseFrameworkTasks(json, undefined, 'capture').map((t) => [t.id, t.frameworkName])).toEqual([
      ['hello.dc130e23-df88-11e4-b9ec-080027fc1312', 'marathon'],
    ]);
  });

  it('leaves out terminal and completed tasks and other frameworks; agent_id as well as slave_id', () => {
    const json = {
      frameworks: [
        {
          id: 'fw-1',
          tasks: [
            { id: 'pod.a', name: 'web.shop.pod', slave_id: 'S1', state: 'TASK_STAGING' },
            { id: 'pod.b', name: 'db.shop.pod', agent_id: { value: 'S2' }, state: 'TASK_RUNNING' },
            { id: 'pod.c', name: 'old.shop.pod', slave_id: 'S1', state: 'TASK_FINISHED' },
          ],
          completed_tasks: [{ id: 'pod.d', name: 'x.shop.pod', slave_id: 'S1', state: 'TASK_KILLED' }],
        },
        { id: 'fw-2', tasks: [{ id: 'other', name: 'o', slave_id: 'S1', state: 'TASK_RUNNING' }] },
      ],
    };
    expect(parseFrameworkTasks(json, 'fw-1', 'test').map((t) => [t.id, t.agentId, t.state])).toEqual([
      ['pod.a', 'S1', 'TASK_STAGING'],
      ['pod.b', 'S2', 'TASK_RUNNING'],
    ]);
    expect(parseFrameworkTasks(json, undefined, 'test').map((t) => [t.id, t.frameworkId])).toEqual([
      ['pod.a', 'fw-1'],
      ['pod.b', 'fw-1'],
      ['other', 'fw-2'],
    ]);
  });

  it('names the document and the place of a malformed task', () => {
    expect(() => parseFrameworkTasks({ frameworks: [{ id: 'fw-1', tasks: ['x'] }] }, 'fw-1', '/master/frameworks of master http://m:5050')).toThrow(
      /\/master\/frameworks of master http:\/\/m:5050.*frameworks\[0\]\.tasks\[0\].*expected a task/,
    );
  });
});

describe('podKeyOfTaskName', () => {
  it('gives back the namespace/name of taskName, dots in the pod name included', () => {
    for (const [name, ns] of [
      ['web-1', 'shop'],
      ['a.b.c', 'kube-system'],
      ['x', undefined],
    ] as const)
      expect(podKeyOfTaskName(taskName(name, ns))).toBe(`${ns ?? 'default'}/${name}`);
  });
  it('is undefined for names k8sm does not make', () => {
    for (const n of ['hello', 'web.pod', '.shop.pod', 'web..pod', 'web.shop.task']) expect(podKeyOfTaskName(n)).toBeUndefined();
  });
});
