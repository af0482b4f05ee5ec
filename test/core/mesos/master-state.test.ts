import { parseMasterSlaves, parseMasterState } from '../../../src/core/mesos/master-state.js';
import { MesosFormatError } from '../../../src/core/mesos/json-node.js';
import { fixture, fixtureCopy } from './fixture.js';

const opts = {
  source: '/state of master http://127.0.0.1:5050',
  masterUrl: 'http://127.0.0.1:5050',
  fetchedAt: '2026-01-01T00:00:00.000Z',
};

describe('parseMasterState', () => {
  const snap = parseMasterState(fixture('master-state.json'), opts);

  it('reads the master', () => {
    expect(snap.master).toEqual({
      url: 'http://127.0.0.1:5050',
      id: '5f3c2d1a-0000-4000-8000-000000000001',
      pid: 'master@127.0.0.1:5050',
      hostname: '127.0.0.1',
      version: '1.11.0',
      leader: 'master@127.0.0.1:5050',
      cluster: 'test-cluster',
      flags: { authenticate_http_readonly: 'false', port: '5050', quorum: '1', zk_session_timeout: '10secs' },
    });
    expect(snap.fetchedAt).toBe(opts.fetchedAt);
    expect(snap.warnings).toEqual([]);
  });

  it('reads agents: totals, used, free ports with gaps, attributes; revocable ignored', () => {
    const a1 = snap.agents.find((a) => a.id === '7e8f-S0')!;
    expect(a1.hostname).toBe('agent-1');
    expect(a1.pid).toBe('slave(1)@127.0.0.2:5051');
    expect(a1.port).toBe(5051);
    expect(a1.active).toBe(true);
    expect(a1.attributes).toEqual({ rack: 'r1', zone: 2, ssd: 'true' });
    expect(a1.total).toEqual({
      cpus: 4,
      mem: 8192,
      disk: 10240,
      gpus: 0,
      ports: [
        { begin: 31000, end: 31099 },
        { begin: 31101, end: 32000 },
      ],
    });
    expect(a1.used.cpus).toBe(1.35);
    expect(a1.free.cpus).toBe(2.65);
    expect(a1.free.mem).toBe(8192 - 448);
    expect(a1.free.ports).toEqual([
      { begin: 31002, end: 31099 },
      { begin: 31101, end: 32000 },
    ]);
    expect(a1.reserved).toEqual({});
    expect(a1.portsByRole).toEqual({ '*': a1.total.ports });
  });

  it('splits reservations by role and keeps ports per role', () => {
    const a2 = snap.agents.find((a) => a.id === '7e8f-S1')!;
    expect(Object.keys(a2.reserved)).toEqual(['public']);
    expect(a2.reserved['public']!.cpus).toBe(2);
    expect(a2.unreserved.cpus).toBe(6);
    expect(a2.portsByRole).toEqual({
      '*': [{ begin: 31000, end: 31499 }],
      public: [{ begin: 32000, end: 32999 }],
    });
    expect(a2.offered.cpus).toBe(7.5);
    // Offered resources stay free: free = total - used.
    expect(a2.free.ports).toEqual([
      { begin: 31000, end: 31499 },
      { begin: 32001, end: 32999 },
    ]);
    expect(snap.agents.find((a) => a.id === '7e8f-S2')!.active).toBe(false);
  });

  it('finds k8sm frameworks and executors and hangs the executors on their agents', () => {
    const k8sm = snap.frameworks.find((f) => f.id === 'fw-k8sm-0001')!;
    expect(k8sm).toMatchObject({
      name: 'Kubernetes',
      isK8sm: true,
      active: true,
      connected: true,
      roles: ['*'],
      user: 'root',
      principal: 'k8sm',
      checkpoint: true,
      taskCount: 2,
      offerCount: 1,
      completed: false,
      webuiUrl: 'http://scheduler-host:10251',
    });
    expect(k8sm.unregisteredTime).toBeUndefined();
    expect(k8sm.used.ports).toEqual([
      { begin: 31000, end: 31001 },
      { begin: 32000, end: 32000 },
    ]);
    const marathon = snap.frameworks.find((f) => f.id === 'fw-marathon-0002')!;
    expect(marathon.isK8sm).toBe(false);
    expect(marathon.roles).toEqual(['marathon', '*']);
    const old = snap.frameworks.find((f) => f.id === 'fw-old-0000')!;
    expect(old).toMatchObject({ completed: true, isK8sm: false, unregisteredTime: 1600000500 });

    expect(snap.executors).toHaveLength(2);
    const e0 = snap.executors.find((e) => e.agentId === '7e8f-S0')!;
    expect(e0).toMatchObject({
      id: '6704d375c68fee1e_k8sm-executor',
      name: 'Kubelet-Executor',
      frameworkId: 'fw-k8sm-0001',
      source: 'kubernetes',
      isK8sm: true,
      // completed tasks do not count as the executor's tasks
      taskIds: ['pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002'],
    });
    expect(e0.container).toBeUndefined();
    expect(snap.agents.find((a) => a.id === '7e8f-S0')!.k8smExecutors).toEqual([e0]);
    expect(snap.agents.find((a) => a.id === '7e8f-S2')!.k8smExecutors).toEqual([]);
  });

  it('reads tasks from all three lists', () => {
    expect(snap.tasks.map((t) => [t.id, t.list])).toEqual([
      ['pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002', 'tasks'],
      ['pod.2c7b8d3f-8a3f-11ee-b9d1-0242ac120002', 'tasks'],
      ['pod.00000000-8a3f-11ee-b9d1-0242ac120002', 'completed_tasks'],
      ['app.abc', 'tasks'],
      ['app.lost', 'unreachable_tasks'],
    ]);
    const web = snap.tasks[0]!;
    expect(web).toEqual({
      id: 'pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002',
      name: 'web.default.pod',
      frameworkId: 'fw-k8sm-0001',
      executorId: '6704d375c68fee1e_k8sm-executor',
      agentId: '7e8f-S0',
      state: 'TASK_RUNNING',
      resources: { cpus: 0.25, mem: 64, disk: 0, gpus: 0, ports: [{ begin: 31000, end: 31001 }] },
      statuses: [
        { state: 'TASK_STARTING', timestamp: 1700000020.5 },
        { state: 'TASK_RUNNING', timestamp: 1700000025.75 },
      ],
      labels: { 'k8s.mesosphere.io/pod': 'default/web' },
      list: 'tasks',
    });
    // A command task's empty executor_id means "no executor".
    expect(snap.tasks.find((t) => t.id === 'app.abc')!.executorId).toBeUndefined();
    // Falls back to the framework's id when the task omits it.
    expect(snap.tasks.find((t) => t.id === 'app.lost')!.frameworkId).toBe('fw-marathon-0002');
  });

  it('honours a configured k8sm framework name', () => {
    const s = parseMasterState(fixture('master-state.json'), { ...opts, k8smFrameworkName: 'marathon' });
    expect(s.frameworks.find((f) => f.name === 'marathon')!.isK8sm).toBe(true);
  });

  it('reads the old /state.json (0.28: no reservations, no gpus, role string)', () => {
    const s = parseMasterState(fixture('old-state.json'), { ...opts, source: '/state.json of master x' });
    const a = s.agents[0]!;
    expect(a.total).toEqual({ cpus: 4.1, mem: 2823, disk: 460276, gpus: 0, ports: [{ begin: 31000, end: 32000 }] });
    expect(a.unreserved).toEqual(a.total);
    expect(a.free.ports).toEqual([
      { begin: 31000, end: 31001 },
      { begin: 31005, end: 32000 },
    ]);
    // Named differently from "Kubernetes", still k8sm: it runs a Kubelet-Executor.
    expect(s.frameworks[0]!.isK8sm).toBe(true);
    expect(a.k8smExecutors.map((e) => e.id)).toEqual(['abc_k8sm-executor']);
  });

  it('tolerates unknown fields and missing optional ones', () => {
    const s = parseMasterState({ slaves: [{ id: 'S0', surprise: { x: [1] } }], something_new: 1 }, opts);
    expect(s.agents[0]).toMatchObject({ id: 'S0', hostname: 'S0', pid: '', active: true, attributes: {} });
    expect(s.frameworks).toEqual([]);
    expect(s.master).toEqual({ url: opts.masterUrl });
  });

  it('reports a wrong type as one line naming the response and the field', () => {
    const bad = fixtureCopy('master-state.json');
    bad.slaves[1].resources.cpus = '8';
    expect(() => parseMasterState(bad, opts)).toThrow(new MesosFormatError(opts.source, 'slaves[1].resources.cpus', 'is a string, expected a number'));
    expect(() => parseMasterState(bad, opts)).toThrow(
      'unexpected JSON in /state of master http://127.0.0.1:5050: slaves[1].resources.cpus is a string, expected a number',
    );
    const badPorts = fixtureCopy('master-state.json');
    badPorts.slaves[0].used_resources.ports = '31000-31001';
    expect(() => parseMasterState(badPorts, opts)).toThrow(/slaves\[0\]\.used_resources\.ports "31000-31001" is not a Mesos range list/);
    const badTasks = fixtureCopy('master-state.json');
    badTasks.frameworks[0].tasks = {};
    expect(() => parseMasterState(badTasks, opts)).toThrow(/frameworks\[0\]\.tasks is an object, expected an array/);
    expect(() => parseMasterState([], opts)).toThrow(/top level is an array, expected an object/);
    expect(() => parseMasterState({ slaves: [{ hostname: 'h' }] }, opts)).toThrow(/slaves\[0\]\.id is missing/);
    try {
      parseMasterState(bad, opts);
    } catch (e) {
      expect((e as MesosFormatError).outcome).toBe('unreadable');
    }
  });
});

describe('parseMasterSlaves (*_full)', () => {
  it('prefers the protobuf-JSON forms: refined reservations, exact ports per role', () => {
    const [a] = parseMasterSlaves(fixture('master-slaves-full.json'), '/master/slaves of master x');
    expect(a!.reserved['public']!.ports).toEqual([
      { begin: 32000, end: 32499 },
      { begin: 32501, end: 32999 },
    ]);
    expect(a!.reserved['public/web']!.ports).toEqual([{ begin: 32500, end: 32500 }]);
    expect(a!.portsByRole).toEqual({
      '*': [{ begin: 31000, end: 31499 }],
      public: [
        { begin: 32000, end: 32499 },
        { begin: 32501, end: 32999 },
      ],
      'public/web': [{ begin: 32500, end: 32500 }],
    });
    expect(a!.used).toEqual({ cpus: 0.5, mem: 0, disk: 0, gpus: 0, ports: [{ begin: 32000, end: 32000 }] });
    expect(a!.unreserved.cpus).toBe(6);
    expect(a!.k8smExecutors).toEqual([]);
  });
  it('names the field of a bad protobuf range', () => {
    const bad = fixtureCopy('master-slaves-full.json');
    bad.slaves[0].used_resources_full[1].ranges.range[0].end = 'x';
    expect(() => parseMasterSlaves(bad, '/master/slaves of master x')).toThrow(
      'unexpected JSON in /master/slaves of master x: slaves[0].used_resources_full[1].ranges.range[0].end is not a non-negative integer',
    );
  });
});
