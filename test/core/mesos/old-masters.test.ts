/**
 * What older masters leave out of `/state`, derived rather than read as zero or false. The documents
 * are written here in the shapes the real captures in ../shared/corpus/mesos-state show (Mesos 0.19
 * and 0.22: no agent `used_resources`/`offered_resources`, command tasks with `executor_id: ""`,
 * 0.19 frameworks with only `resources`; no framework `connected` before 1.2); the captures
 * themselves are served to the built CLI by test/integration/captures.test.ts.
 */
import { parseMasterState } from '../../../src/core/mesos/master-state.js';
import { parseAgentState } from '../../../src/core/mesos/agent-state.js';
import { mergeAgentDetails } from '../../../src/core/mesos/merge-agent-details.js';
import { agentEndpoint, agentStateUrl } from '../../../src/core/mesos/agent-endpoint.js';
import { mesosVersionBelow } from '../../../src/core/mesos/mesos-version.js';
import { isLiveTask } from '../../../src/core/mesos/task-state.js';

const opts = { source: '/state.json of master http://127.0.0.1:5050', masterUrl: 'http://127.0.0.1:5050', fetchedAt: '2026-01-01T00:00:00.000Z' };

const task = (id: string, state: string, slave: string, resources: Record<string, unknown>, executor = '') => ({
  id,
  name: id.split('.')[0],
  framework_id: 'F0',
  executor_id: executor,
  slave_id: slave,
  state,
  resources,
  statuses: [{ state, timestamp: 1428951990.1 }],
});

/** A 0.22 master: agents without used/offered resources, a framework with used_resources but no `connected`. */
function master022(): Record<string, any> {
  return {
    version: '0.22.0',
    pid: 'master@127.0.0.1:5050',
    slaves: [
      {
        id: 'S0',
        pid: 'slave(1)@127.0.0.1:5051',
        hostname: 'a0',
        active: true,
        attributes: {},
        resources: { cpus: 4, mem: 2048, disk: 100, ports: '[31000-32000]' },
      },
      {
        id: 'S1',
        pid: 'slave(1)@127.0.0.2:5051',
        hostname: 'a1',
        active: true,
        attributes: {},
        resources: { cpus: 1, mem: 244, disk: 100, ports: '[31000-32000]' },
      },
    ],
    frameworks: [
      {
        id: 'F0',
        name: 'marathon',
        active: true,
        role: '*',
        resources: { cpus: 1.5, mem: 228, disk: 0, ports: '[31001-31001, 31915-31915]' },
        used_resources: { cpus: 1.5, mem: 228, disk: 0, ports: '[31001-31001, 31915-31915]' },
        offered_resources: { cpus: 0, mem: 0, disk: 0 },
        tasks: [
          task('hello.1', 'TASK_RUNNING', 'S1', { cpus: 1, mem: 100, disk: 0, ports: '[31915-31915]' }),
          // terminal but not yet acknowledged: still listed, no longer holding anything
          task('old.2', 'TASK_KILLED', 'S1', { cpus: 2, mem: 50, disk: 0, ports: '[31500-31500]' }),
          task('web.3', 'TASK_STAGING', 'S0', { cpus: 0.25, mem: 0, disk: 0, ports: '[31001-31001]' }, 'custom-exec'),
        ],
        completed_tasks: [task('done.4', 'TASK_FINISHED', 'S0', { cpus: 3, mem: 1000, disk: 0, ports: '[31002-31002]' })],
        executors: [{ executor_id: 'custom-exec', name: 'my executor', framework_id: 'F0', slave_id: 'S0', resources: { cpus: 0.25, mem: 128, disk: 0 } }],
        offers: [],
      },
    ],
    completed_frameworks: [],
  };
}

describe('masters before 0.23: agent use derived from the tasks and executors listed', () => {
  const snap = parseMasterState(master022(), opts);
  const s0 = snap.agents.find((a) => a.id === 'S0')!;
  const s1 = snap.agents.find((a) => a.id === 'S1')!;

  test('a running task counts with its port; a TASK_KILLED task still listed does not', () => {
    expect(s1.used).toEqual({ cpus: 1, mem: 100, disk: 0, gpus: 0, ports: [{ begin: 31915, end: 31915 }] });
    expect(s1.free.cpus).toBe(0);
    expect(s1.free.mem).toBe(144);
    expect(s1.free.ports).toEqual([
      { begin: 31000, end: 31914 },
      { begin: 31916, end: 32000 },
    ]);
    expect(s1.usedFromTasks).toBe(true);
  });

  test('a custom executor counts next to its staging task; completed tasks do not', () => {
    expect(s0.used).toEqual({ cpus: 0.5, mem: 128, disk: 0, gpus: 0, ports: [{ begin: 31001, end: 31001 }] });
  });

  test('agents with used_resources keep the master figure and are not marked', () => {
    const doc = master022();
    doc.slaves[0].used_resources = { cpus: 3, mem: 3, disk: 0 };
    const s = parseMasterState(doc, opts).agents.find((a) => a.id === 'S0')!;
    expect(s.used.cpus).toBe(3);
    expect(s.usedFromTasks).toBeUndefined();
  });

  test('TASKS counts live tasks only (TASK_KILLED in `tasks` is not live)', () => {
    expect(snap.frameworks[0]!.taskCount).toBe(2);
    expect(isLiveTask({ list: 'tasks', state: 'TASK_KILLED' })).toBe(false);
    expect(isLiveTask({ list: 'tasks', state: 'TASK_STAGING' })).toBe(true);
    expect(isLiveTask({ list: 'completed_tasks', state: 'TASK_RUNNING' })).toBe(false);
  });

  test('a framework without `connected` (before 1.2) is unknown, not disconnected', () => {
    expect(snap.frameworks[0]!.connected).toBeUndefined();
    expect('connected' in snap.frameworks[0]!).toBe(false);
    const doc = master022();
    doc.frameworks[0].connected = false;
    expect(parseMasterState(doc, opts).frameworks[0]!.connected).toBe(false);
  });
});

describe('Mesos 0.19 frameworks: usage only in `resources`', () => {
  test('used = resources (offers included) minus the offers; the agent is offered what the offers hold', () => {
    const doc = master022();
    doc.version = '0.19.0';
    const f = doc.frameworks[0];
    delete f.used_resources;
    delete f.offered_resources;
    f.resources = { cpus: 2.2, mem: 328, disk: 0, ports: '[31001-31001, 31915-31915, 31100-31199]' };
    f.offers = [{ id: 'O1', framework_id: 'F0', slave_id: 'S0', resources: { cpus: 0.7, mem: 100, disk: 0, ports: '[31100-31199]' } }];
    const snap = parseMasterState(doc, opts);
    expect(snap.frameworks[0]!.used).toEqual({
      cpus: 1.5,
      mem: 228,
      disk: 0,
      gpus: 0,
      ports: [
        { begin: 31001, end: 31001 },
        { begin: 31915, end: 31915 },
      ],
    });
    expect(snap.frameworks[0]!.offered.cpus).toBe(0.7);
    const s0 = snap.agents.find((a) => a.id === 'S0')!;
    expect(s0.offered).toEqual({ cpus: 0.7, mem: 100, disk: 0, gpus: 0, ports: [{ begin: 31100, end: 31199 }] });
    expect(snap.agents.find((a) => a.id === 'S1')!.offered.cpus).toBe(0);
  });
});

describe('the agent state path by version', () => {
  test('agents before 0.25 serve only /state.json; a master before 0.26 names no agent version', () => {
    const doc = master022();
    expect(parseMasterState(doc, opts).agents.every((a) => a.stateJsonOnly)).toBe(true);
    doc.version = '0.27.0';
    doc.slaves[0].version = '0.24.1';
    doc.slaves[1].version = '0.27.0';
    const [a0, a1] = parseMasterState(doc, opts).agents;
    expect([a0!.stateJsonOnly, a1!.stateJsonOnly]).toEqual([true, undefined]);
    doc.version = '1.8.0';
    delete doc.slaves[0].version;
    expect(parseMasterState(doc, opts).agents[0]!.stateJsonOnly).toBeUndefined();
  });

  test('the URL follows', () => {
    expect(agentStateUrl(agentEndpoint({ pid: 'slave(1)@10.0.0.1:5051', hostname: 'h', stateJsonOnly: true }, 'http'))).toBe(
      'http://10.0.0.1:5051/slave(1)/state.json',
    );
    expect(agentStateUrl(agentEndpoint({ pid: 'slave(1)@10.0.0.1:5051', hostname: 'h' }, 'http'))).toBe('http://10.0.0.1:5051/slave(1)/state');
  });

  test('mesosVersionBelow', () => {
    expect(mesosVersionBelow('0.22.0-rc1', '0.25.0')).toBe(true);
    expect(mesosVersionBelow('0.25.0', '0.25.0')).toBe(false);
    expect(mesosVersionBelow('1.10.0', '1.7.0')).toBe(false);
    expect(mesosVersionBelow(undefined, '1.7.0')).toBe(false);
    expect(mesosVersionBelow('dev', '1.7.0')).toBe(false);
  });
});

describe('the agent version from its own /state', () => {
  const agentDoc = { id: 'S1', pid: 'slave(1)@127.0.0.2:5051', hostname: 'a1', version: '0.22.0', flags: { work_dir: '/tmp/mesos' }, frameworks: [] };

  test('fills the version a master before 0.26 does not print', () => {
    const snap = parseMasterState(master022(), opts);
    const detail = parseAgentState(agentDoc, '/slave(1)/state.json of agent a1');
    expect(detail.version).toBe('0.22.0');
    mergeAgentDetails(snap, new Map([['S1', detail]]));
    expect(snap.agents.find((a) => a.id === 'S1')!.version).toBe('0.22.0');
    expect(snap.agents.find((a) => a.id === 'S0')!.version).toBeUndefined();
  });

  test("keeps the master's figure when it has one", () => {
    const doc = master022();
    doc.slaves[1].version = '0.22.1';
    const snap = parseMasterState(doc, opts);
    mergeAgentDetails(snap, new Map([['S1', parseAgentState(agentDoc, 'x')]]));
    expect(snap.agents.find((a) => a.id === 'S1')!.version).toBe('0.22.1');
  });
});
