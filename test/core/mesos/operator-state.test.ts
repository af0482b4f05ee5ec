import { parseOperatorState } from '../../../src/core/mesos/operator-state.js';
import { fixture, fixtureCopy } from './fixture.js';

const opts = {
  source: 'GET_STATE of master http://127.0.0.1:5050/api/v1',
  masterUrl: 'http://127.0.0.1:5050',
  fetchedAt: '2026-01-01T00:00:00.000Z',
};

describe('parseOperatorState (v1 GET_STATE)', () => {
  const snap = parseOperatorState(fixture('operator-get-state.json'), opts);

  it('reads agents from protobuf-JSON: roles from reservations, revocable ignored, attributes of every type', () => {
    const a = snap.agents.find((x) => x.id === '7e8f-S0')!;
    expect(a).toMatchObject({ hostname: 'agent-1', port: 5051, pid: 'slave(1)@127.0.0.2:5051', active: true, version: '1.11.0' });
    expect(a.registeredTime).toBeCloseTo(1700000002.25, 3);
    expect(a.total).toEqual({
      cpus: 6,
      mem: 8192,
      disk: 10240,
      gpus: 0,
      ports: [
        { begin: 31000, end: 31099 },
        { begin: 31101, end: 32099 },
      ],
    });
    expect(a.unreserved.cpus).toBe(4);
    expect(a.reserved['public']).toEqual({ cpus: 2, mem: 0, disk: 0, gpus: 0, ports: [{ begin: 32000, end: 32099 }] });
    expect(a.portsByRole).toEqual({
      '*': [
        { begin: 31000, end: 31099 },
        { begin: 31101, end: 31999 },
      ],
      public: [{ begin: 32000, end: 32099 }],
    });
    expect(a.used.ports).toEqual([{ begin: 31000, end: 31001 }]);
    expect(a.free.cpus).toBe(5.5);
    expect(a.attributes).toEqual({ rack: 'r1', zone: 2, slots: '[1-4]', disks: '{a, b}' });
    const recovered = snap.agents.find((x) => x.id === '7e8f-S9')!;
    expect(recovered).toMatchObject({ hostname: 'agent-9', active: false, pid: '' });
    expect(recovered.total.cpus).toBe(1);
  });

  it('keeps status message, reason and source (which /state lacks)', () => {
    const failed = snap.tasks.find((t) => t.state === 'TASK_FAILED')!;
    expect(failed.list).toBe('completed_tasks');
    expect(failed.statuses).toEqual([
      {
        state: 'TASK_FAILED',
        timestamp: 1700000030,
        message: 'pods "bad" is forbidden',
        reason: 'REASON_TASK_INVALID',
        source: 'SOURCE_EXECUTOR',
      },
    ]);
    const web = snap.tasks.find((t) => t.name === 'web.default.pod')!;
    expect(web).toMatchObject({
      id: 'pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002',
      frameworkId: 'fw-k8sm-0001',
      executorId: '6704d375c68fee1e_k8sm-executor',
      agentId: '7e8f-S0',
      labels: { 'k8s.mesosphere.io/pod': 'default/web' },
    });
    expect(web.resources.ports).toEqual([{ begin: 31000, end: 31001 }]);
    expect(web.statuses[1]!.message).toBe('pod-running:web_default');
  });

  it('reads frameworks and executors and links them', () => {
    const k = snap.frameworks.find((f) => f.id === 'fw-k8sm-0001')!;
    expect(k).toMatchObject({ name: 'Kubernetes', isK8sm: true, roles: ['*'], taskCount: 1, principal: 'k8sm', completed: false });
    expect(k.registeredTime).toBeCloseTo(1700000010, 3);
    expect(k.used).toEqual({ cpus: 0.5, mem: 192, disk: 0, gpus: 0, ports: [] });
    const m = snap.frameworks.find((f) => f.id === 'fw-marathon-0002')!;
    expect(m).toMatchObject({ isK8sm: false, roles: ['marathon', '*'], taskCount: 0 });
    expect(snap.executors).toEqual([
      expect.objectContaining({
        id: '6704d375c68fee1e_k8sm-executor',
        agentId: '7e8f-S0',
        frameworkId: 'fw-k8sm-0001',
        isK8sm: true,
        taskIds: ['pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002'],
      }),
    ]);
    expect(snap.agents.find((x) => x.id === '7e8f-S0')!.k8smExecutors).toHaveLength(1);
  });

  it('accepts the bare get_state object and an empty one', () => {
    const bare = (fixture('operator-get-state.json') as { get_state: unknown }).get_state;
    expect(parseOperatorState(bare, opts).agents).toHaveLength(2);
    expect(parseOperatorState({ type: 'GET_STATE', get_state: {} }, opts)).toMatchObject({ agents: [], frameworks: [], tasks: [] });
  });

  it('names the field of a wrong type and refuses another call type', () => {
    const bad = fixtureCopy('operator-get-state.json');
    bad.get_state.get_agents.agents[0].total_resources[0].scalar.value = true;
    expect(() => parseOperatorState(bad, opts)).toThrow(
      'unexpected JSON in GET_STATE of master http://127.0.0.1:5050/api/v1: get_state.get_agents.agents[0].total_resources[0].scalar.value is a boolean, expected a number',
    );
    expect(() => parseOperatorState({ type: 'GET_AGENTS', get_agents: {} }, opts)).toThrow(/type is "GET_AGENTS", expected "GET_STATE"/);
  });
});
