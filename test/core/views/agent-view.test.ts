import { agentViews, findAgent, formatAttributes, selectAgents } from '../../../src/core/views/agent-view.js';
import { agent, framework, k8smExecutor, res, snapshot, task } from './snapshot-fixture.js';

describe('agentViews', () => {
  const fw = framework('F1', 'Kubernetes');
  const other = framework('F2', 'marathon');
  const a1 = agent('a1', { id: 'S1', total: res(4, 8192, '[31000-31099, 31101-32000]'), used: res(1.5, 1024, '[31000-31002]'), attributes: { zone: 'a', rack: 'r1' }, executors: [k8smExecutor('abc_k8sm-executor', 'F1', 'S1')] });
  const a2 = agent('a0', { id: 'S2' });
  const snap = snapshot({
    agents: [a1, a2],
    frameworks: [fw, other],
    tasks: [
      task('pod.1', 'web.shop.pod', 'F1', 'S1'),
      task('pod.2', 'db.shop.pod', 'F1', 'S1', { state: 'TASK_STAGING' }),
      task('pod.3', 'old.shop.pod', 'F1', 'S1', { state: 'TASK_KILLED', list: 'completed_tasks' }),
      task('m.1', 'nginx', 'F2', 'S1'),
    ],
  });
  const views = agentViews(snap);

  test('sorted by hostname', () => expect(views.map((v) => v.hostname)).toEqual(['a0', 'a1']));

  test('ports used, free and total count the gap in the offered ranges', () => {
    const v = views[1]!;
    expect(v.ports).toEqual({ used: 3, free: 997, total: 1000, freeRanges: '[31003-31099, 31101-32000]', offered: '[31000-31099, 31101-32000]' });
  });

  test('cpus and mem used/total, attributes sorted, k8sm executor and live k8sm tasks only', () => {
    const v = views[1]!;
    expect(v.cpus).toEqual({ used: 1.5, total: 4 });
    expect(v.mem).toEqual({ used: 1024, total: 8192 });
    expect(v.attributes).toBe('rack=r1,zone=a');
    expect(v.k8smExecutors).toEqual(['abc_k8sm-executor']);
    expect(v.k8smTasks).toBe(2);
    expect(views[0]!.k8smTasks).toBe(0);
  });

  test('reachability and shutdown grace come from agent details when asked', () => {
    const withDetail = snapshot({ agents: [{ ...a1, detail: { reachable: false, error: 'timeout after 1000 ms' } }, { ...a2, detail: { reachable: true, flags: { executor_shutdown_grace_period: '5secs' } } }] });
    const [v0, v1] = agentViews(withDetail);
    expect(v0!.shutdownGrace).toBe('5secs');
    expect(v1!.reachable).toBe(false);
    expect(v1!.unreachableReason).toContain('timeout');
    expect(views[0]!.reachable).toBeUndefined();
  });
});

describe('findAgent', () => {
  const snap = snapshot({ agents: [agent('web-1.example.com', { id: 'S1' }), agent('web-2.example.com', { id: 'S2' }), agent('db-1.example.com', { id: 'S3' })] });
  test('exact hostname, exact id, unique prefix', () => {
    expect(findAgent(snap, 'web-2.example.com').agent?.id).toBe('S2');
    expect(findAgent(snap, 'S3').agent?.hostname).toBe('db-1.example.com');
    expect(findAgent(snap, 'db').agent?.id).toBe('S3');
  });
  test('an ambiguous prefix names the candidates; an unknown name finds nothing', () => {
    expect(findAgent(snap, 'web')).toEqual({ candidates: ['web-1.example.com', 'web-2.example.com'] });
    expect(findAgent(snap, 'nope')).toEqual({ candidates: [] });
  });
});

test('formatAttributes', () => {
  expect(formatAttributes({})).toBe('');
  expect(formatAttributes({ b: 2, a: 'x' })).toBe('a=x,b=2');
});

describe('selectAgents', () => {
  const views = agentViews(snapshot({ agents: [agent('a1', { id: 'S1' }), agent('a2', { id: 'S2' })] }));
  test('by hostname or id, missing names reported; no names: all', () => {
    expect(selectAgents(views, ['S2', 'nope']).views.map((v) => v.hostname)).toEqual(['a2']);
    expect(selectAgents(views, ['S2', 'nope']).missing).toEqual(['nope']);
    expect(selectAgents(views, []).views).toHaveLength(2);
  });
});
