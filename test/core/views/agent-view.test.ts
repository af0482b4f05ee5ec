import { agentViews, findAgent, formatAttributes, formatPortsByRole, selectAgents } from '../../../src/core/views/agent-view.js';
import { parsePortRanges } from '../../../src/core/ports/port-range.js';
import { agent, framework, k8smExecutor, res, snapshot, task } from './snapshot-fixture.js';

describe('agentViews', () => {
  const fw = framework('F1', 'Kubernetes');
  const other = framework('F2', 'marathon');
  const a1 = agent('a1', {
    id: 'S1',
    total: res(4, 8192, '[31000-31099, 31101-32000]'),
    used: res(1.5, 1024, '[31000-31002]'),
    attributes: { zone: 'a', rack: 'r1' },
    executors: [k8smExecutor('abc_k8sm-executor', 'F1', 'S1')],
  });
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
    const withDetail = snapshot({
      agents: [
        { ...a1, detail: { reachable: false, error: 'timeout after 1000 ms' } },
        { ...a2, detail: { reachable: true, flags: { executor_shutdown_grace_period: '5secs' } } },
      ],
    });
    const [v0, v1] = agentViews(withDetail);
    expect(v0!.shutdownGrace).toBe('5secs');
    expect(v1!.reachable).toBe(false);
    expect(v1!.unreachableReason).toContain('timeout');
    expect(views[0]!.reachable).toBeUndefined();
  });
});

describe('findAgent', () => {
  const snap = snapshot({
    agents: [agent('web-1.example.com', { id: 'S1' }), agent('web-2.example.com', { id: 'S2' }), agent('db-1.example.com', { id: 'S3' })],
  });
  test('exact hostname, exact id, unique prefix', () => {
    expect(findAgent(snap, 'web-2.example.com').agent?.id).toBe('S2');
    expect(findAgent(snap, 'S3').agent?.hostname).toBe('db-1.example.com');
    expect(findAgent(snap, 'db').agent?.id).toBe('S3');
  });
  test('an ambiguous prefix names the candidates; an unknown name finds nothing', () => {
    expect(findAgent(snap, 'web')).toEqual({ candidates: ['web-1.example.com (S1)', 'web-2.example.com (S2)'] });
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
  test('by hostname:port, the name -o name prints for agents sharing a host', () => {
    const twins = agentViews(
      snapshot({ agents: [agent('h', { id: 'S1', pid: 'slave(1)@10.0.0.1:5051' }), agent('h', { id: 'S2', pid: 'slave(1)@10.0.0.1:5052' })] }),
    );
    expect(selectAgents(twins, ['h:5052']).views.map((v) => v.id)).toEqual(['S2']);
    expect(selectAgents(twins, ['h']).views.map((v) => v.id)).toEqual(['S1', 'S2']);
  });
});

describe('two agents on one host (different ports)', () => {
  const snap = snapshot({
    agents: [
      agent('10.141.141.10', { id: 'S-5052', pid: 'slave(1)@10.141.141.10:5052' }),
      agent('10.141.141.10', { id: 'S-5051', pid: 'slave(1)@10.141.141.10:5051' }),
      agent('solo', { id: 'S9' }),
    ],
  });
  test('each gets a distinct name, hostname:port, sorted by it; a host of its own keeps its hostname', () => {
    expect(agentViews(snap).map((v) => v.name)).toEqual(['10.141.141.10:5051', '10.141.141.10:5052', 'solo']);
  });
  test('describe finds each by that name; the shared hostname is ambiguous and names both', () => {
    expect(findAgent(snap, '10.141.141.10:5052').agent?.id).toBe('S-5052');
    expect(findAgent(snap, '10.141.141.10')).toEqual({ candidates: ['10.141.141.10:5051 (S-5051)', '10.141.141.10:5052 (S-5052)'] });
  });
});

test('offered ports by role: reserved ranges say to which role', () => {
  const r = (s: string) => parsePortRanges(s);
  expect(formatPortsByRole({ '*': r('[31000-32000]') })).toBe('[31000-32000]');
  expect(formatPortsByRole({ slave_public: r('[1-21, 23-5050, 5052-32000]') })).toBe('[1-21, 23-5050, 5052-32000] (reserved to slave_public)');
  expect(formatPortsByRole({ public: r('[80-80, 443-443]'), '*': r('[31000-32000]') })).toBe('[31000-32000]; [80-80, 443-443] (reserved to public)');
  expect(formatPortsByRole({})).toBe('[]');
  const views = agentViews(
    snapshot({
      agents: [
        agent('pub', {
          total: { cpus: 4, mem: 1, disk: 0, gpus: 0, ports: r('[5000-6000]') },
          reserved: { agent_master: { cpus: 4, mem: 1, disk: 0, gpus: 0, ports: r('[5000-6000]') } },
        }),
      ],
    }),
  );
  expect(views[0]!.ports.offered).toBe('[5000-6000] (reserved to agent_master)');
});
