/**
 * The pure JSON views, checked field for field against the reference's shapes (helpers/reference-shapes.ts)
 * and for the numbers they must carry: used/offered resources derived from tasks, executors and offers.
 */
import { describe, expect, test } from '@jest/globals';
import { renderAgentContainers, renderAgentFlags, renderAgentState } from '../../test/stack/mesos-sim/views/agent.js';
import { renderMasterFrameworks, renderMasterSlaves, renderMasterState } from '../../test/stack/mesos-sim/views/master.js';
import * as op from '../../test/stack/mesos-sim/views/operator.js';
import * as ref from './helpers/reference-shapes.js';
import { buildScenario } from './helpers/scenario.js';
import { check } from './helpers/shape.js';
import { capturesAvailable, CAPTURE_DIR, loadCaptures } from '../stack/mesos-sim/captures/corpus.js';

const fits = (value: unknown, spec: Parameters<typeof check>[1]) => expect(check(value, spec)).toEqual([]);

describe('the shape checker', () => {
  test('is strict: a missing field, an extra field and a wrong type each fail', () => {
    const v = renderMasterState(buildScenario().state, buildScenario().ctx) as any;
    const { leader: _leader, ...missing } = v;
    expect(check(missing, ref.MASTER_STATE)).toContain('$.leader: missing');
    expect(check({ ...v, surprise: 1 }, ref.MASTER_STATE)).toContain('$.surprise: not a documented field');
    expect(check({ ...v, activated_slaves: '2' }, ref.MASTER_STATE)).toContain('$.activated_slaves: expected an integer, got "2"');
    const badRanges = { ...v, slaves: [{ ...v.slaves[0], resources: { ...v.slaves[0].resources, ports: '31000-32000' } }] };
    expect(check(badRanges, ref.MASTER_STATE).join('\n')).toMatch(/neither a number, a ranges string nor a set string/);
  });
});

describe('master /state (§2.1)', () => {
  const s = buildScenario();
  const st = renderMasterState(s.state, s.ctx) as any;

  test('has every documented field with its type, and nothing else', () => fits(st, ref.MASTER_STATE));

  test('leader, counts and compatibility arrays', () => {
    expect(st.leader).toBe('master@127.0.0.1:5050');
    expect(st.leader_info).toEqual({ id: s.ctx.self.id, pid: 'master@127.0.0.1:5050', port: 5050, hostname: '127.0.0.1' });
    expect(st.activated_slaves).toBe(2);
    expect(st.orphan_tasks).toEqual([]);
    expect(st.unregistered_frameworks).toEqual([]);
    expect(st.cluster).toBe('test');
  });

  test('agent resources: totals, reservations, ranges strings with gaps (§2.1)', () => {
    const a = st.slaves.find((x: any) => x.hostname === 'agent-1');
    expect(a.resources).toEqual({ cpus: 4, gpus: 0, mem: 8192, disk: 40960, ports: '[31000-31099, 31101-32000]' });
    expect(a.reserved_resources).toEqual({ public: { cpus: 1, gpus: 0, mem: 1024, disk: 0, ports: '[31000-31009]' } });
    expect(a.unreserved_resources).toEqual({ cpus: 3, gpus: 0, mem: 7168, disk: 40960, ports: '[31010-31099, 31101-32000]' });
    expect(a.attributes).toEqual({ rack: 'r1', zone: 2 });
    expect(a.pid).toBe('slave(1)@127.0.0.2:5051');
    expect(a.id).toBe(s.agentA);
  });

  test('used_resources = live tasks + executors; offered_resources = offers', () => {
    const a = st.slaves.find((x: any) => x.hostname === 'agent-1');
    // executor 0.25/128 + web 0.5/128 + db 0.25/64 (single-port ranges for the host ports)
    expect(a.used_resources).toEqual({ cpus: 1, gpus: 0, mem: 320, disk: 0, ports: '[31099-31099, 31101-31101]' });
    expect(a.offered_resources).toEqual({ cpus: 1, gpus: 0, mem: 1024, disk: 0, ports: '[31200-31299]' });
    const b = st.slaves.find((x: any) => x.hostname === 'agent-2');
    expect(b.used_resources).toEqual({ cpus: 1, gpus: 0, mem: 512, disk: 0 }); // finished and torn-down tasks hold nothing
  });

  test('frameworks: the k8sm framework with its executor and tasks', () => {
    const f = st.frameworks.find((x: any) => x.name === 'Kubernetes');
    expect(f.id).toMatch(/^[0-9a-f-]{36}-0000$/);
    expect(f.pid).toBe('scheduler(1)@127.0.0.1:10251');
    expect(f.role).toBe('*');
    expect(f.roles).toBeUndefined();
    expect(f.used_resources).toEqual({ cpus: 1, gpus: 0, mem: 320, disk: 0, ports: '[31099-31099, 31101-31101]' });
    expect(f.resources).toEqual(f.used_resources);
    expect(f.executors).toHaveLength(1);
    const e = f.executors[0];
    expect(e.name).toBe('Kubelet-Executor');
    expect(e.executor_id).toMatch(/^[0-9a-f]+_k8sm-executor$/);
    expect(e.slave_id).toBe(s.agentA);
    const web = f.tasks.find((t: any) => t.name === 'web.default.pod');
    expect(web.id).toBe(s.podTask);
    expect(web.state).toBe('TASK_RUNNING');
    expect(web.executor_id).toBe(e.executor_id);
    expect(web.resources.ports).toBe('[31099-31099, 31101-31101]');
    expect(web.statuses.map((x: any) => x.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    // §2.1: "The status message and reason are not included here."
    for (const x of web.statuses)
      expect(Object.keys(x).sort()).toEqual(x.container_status ? ['container_status', 'state', 'timestamp'] : ['state', 'timestamp']);
    expect(web.statuses[1].container_status.container_id.value).toBe(s.state.executorsOf({ agentId: s.agentA })[0]?.containerId);
  });

  test('MULTI_ROLE framework: roles, command task with an empty executor_id, offers, completed tasks', () => {
    const f = st.frameworks.find((x: any) => x.name === 'marathon');
    expect(f.roles).toEqual(['*', 'public']);
    expect(f.role).toBeUndefined();
    expect(f.capabilities).toContain('MULTI_ROLE');
    expect(f.pid).toBeUndefined(); // an HTTP framework
    const cmd = f.tasks.find((t: any) => t.id === s.commandTask);
    expect(cmd.executor_id).toBe('');
    expect(cmd.labels).toEqual([{ key: 'team', value: 'web' }]);
    expect(f.executors).toEqual([]); // the master does not list command executors
    expect(f.completed_tasks.map((t: any) => [t.id, t.state])).toEqual([[s.finishedTask, 'TASK_FINISHED']]);
    expect(f.offers).toHaveLength(1);
    expect(f.offers[0].allocation_info).toEqual({ role: '*' });
    expect(f.offered_resources.ports).toBe('[31200-31299]');
  });

  test('a torn-down framework is in completed_frameworks with its tasks killed', () => {
    expect(st.frameworks.map((f: any) => f.id)).not.toContain(s.oldFramework);
    const f = st.completed_frameworks.find((x: any) => x.id === s.oldFramework);
    expect(f.active).toBe(false);
    expect(f.connected).toBe(false);
    expect(f.unregistered_time).toBeGreaterThan(0);
    expect(f.tasks).toEqual([]);
    expect(f.completed_tasks.map((t: any) => t.state)).toEqual(['TASK_KILLED']);
  });

  test('versions: `deactivated` from 1.9, offer_constraints from 1.11', () => {
    const old = renderMasterState(buildScenario('1.6.1').state, s.ctx) as any;
    expect(old.slaves[0].deactivated).toBeUndefined();
    expect(old.frameworks[0].offer_constraints).toBeUndefined();
    expect(old.capabilities).toEqual(['AGENT_UPDATE']);
  });
});

describe('/master/slaves and /master/frameworks (§2.2)', () => {
  const s = buildScenario();

  test('slaves carry the *_full protobuf-JSON arrays', () => {
    const v = renderMasterSlaves(s.state) as any;
    fits(v, ref.MASTER_SLAVES);
    const a = v.slaves.find((x: any) => x.hostname === 'agent-1');
    expect(a.reserved_resources_full.public).toContainEqual({
      name: 'ports',
      type: 'RANGES',
      ranges: { range: [{ begin: 31000, end: 31009 }] },
      role: 'public',
      reservations: [{ type: 'STATIC', role: 'public' }],
    });
    expect(a.unreserved_resources_full).toContainEqual({
      name: 'ports',
      type: 'RANGES',
      ranges: {
        range: [
          { begin: 31010, end: 31099 },
          { begin: 31101, end: 32000 },
        ],
      },
      role: '*',
    });
    expect(a.used_resources_full).toContainEqual({
      name: 'ports',
      type: 'RANGES',
      ranges: {
        range: [
          { begin: 31099, end: 31099 },
          { begin: 31101, end: 31101 },
        ],
      },
      role: '*',
      allocation_info: { role: '*' },
    });
    expect(a.offered_resources_full.map((r: any) => r.name).sort()).toEqual(['cpus', 'mem', 'ports']);
  });

  test('?slave_id= selects one agent', () => {
    const v = renderMasterSlaves(s.state, { slaveId: s.agentB }) as any;
    expect(v.slaves.map((x: any) => x.id)).toEqual([s.agentB]);
    expect((renderMasterSlaves(s.state, { slaveId: 'nope' }) as any).slaves).toEqual([]);
  });

  test('frameworks, ?framework_id= selects', () => {
    fits(renderMasterFrameworks(s.state), ref.MASTER_FRAMEWORKS);
    const one = renderMasterFrameworks(s.state, { frameworkId: s.k8sm }) as any;
    expect(one.frameworks.map((f: any) => f.id)).toEqual([s.k8sm]);
    expect(one.completed_frameworks).toEqual([]);
    const old = renderMasterFrameworks(s.state, { frameworkId: s.oldFramework }) as any;
    expect(old.frameworks).toEqual([]);
    expect(old.completed_frameworks.map((f: any) => f.id)).toEqual([s.oldFramework]);
  });
});

describe('agent endpoints (§2.3)', () => {
  const s = buildScenario();
  const agent = s.state.agent('agent-1');
  const flags = { executor_shutdown_grace_period: '5secs', docker_stop_timeout: '0ns', work_dir: '/var/lib/mesos' };

  test('/slave(1)/state has every documented field', () => {
    const v = renderAgentState(s.state, agent, { flags, masterHostname: '127.0.0.1' }) as any;
    fits(v, ref.AGENT_STATE);
    expect(v.master_hostname).toBe('127.0.0.1');
    expect(v.reserved_resources_allocated).toEqual({});
    expect(v.unreserved_resources_allocated).toEqual({ cpus: 1, gpus: 0, mem: 320, disk: 0, ports: '[31099-31099, 31101-31101]' });
  });

  test("the k8sm executor: container ID, sandbox directory, resources including its tasks'", () => {
    const v = renderAgentState(s.state, agent, { flags }) as any;
    const f = v.frameworks.find((x: any) => x.id === s.k8sm);
    const e = f.executors[0];
    const rec = s.state.executorsOf({ agentId: agent.id })[0]!;
    expect(e.id).toBe(s.executorId);
    expect(e.source).toBe('kubernetes');
    expect(e.container).toBe(rec.containerId);
    expect(e.directory).toBe(`/var/lib/mesos/slaves/${agent.id}/frameworks/${s.k8sm}/executors/${s.executorId}/runs/${rec.containerId}`);
    expect(e.resources).toEqual({ cpus: 1, gpus: 0, mem: 320, disk: 0, ports: '[31099-31099, 31101-31101]' });
    expect(e.tasks.map((t: any) => t.id).sort()).toEqual([s.podTask, s.podTask2].sort());
    expect(v.master_hostname).toBeUndefined();
  });

  test('command tasks run in a command executor the agent shows (not the master)', () => {
    const v = renderAgentState(s.state, s.state.agent('agent-2'), { flags }) as any;
    fits(v, ref.AGENT_STATE);
    const f = v.frameworks.find((x: any) => x.id === s.marathon);
    const cmd = f.executors.find((e: any) => e.id === s.commandTask);
    expect(cmd.name).toMatch(/^Command Executor \(Task: app\.1\)/);
    expect(f.completed_executors.map((e: any) => e.id)).toEqual([s.finishedTask]);
    expect(f.completed_executors[0].completed_tasks[0].state).toBe('TASK_FINISHED');
    // the torn-down framework is a completed framework on the agent
    const old = v.completed_frameworks.find((x: any) => x.id === s.oldFramework);
    expect(old.executors).toEqual([]);
    expect(old.completed_executors[0].completed_tasks[0].state).toBe('TASK_KILLED');
  });

  test('/flags and /containers', () => {
    fits(renderAgentFlags({ flags }), ref.AGENT_FLAGS);
    const c = renderAgentContainers(s.state, agent);
    fits(c, ref.AGENT_CONTAINERS);
    expect(c.map((x: any) => x.executor_name)).toEqual(['Kubelet-Executor']);
  });
});

describe('v1 operator API (§2.4): protobuf-JSON', () => {
  const s = buildScenario();

  test('GET_STATE has every documented part', () => fits(op.getState(s.state), ref.V1_GET_STATE));
  test('GET_AGENTS, GET_FRAMEWORKS, GET_EXECUTORS, GET_TASKS', () => {
    fits(op.getAgents(s.state), ref.V1_GET_AGENTS);
    fits(op.getFrameworks(s.state), ref.V1_GET_FRAMEWORKS);
    fits(op.getExecutors(s.state), ref.V1_GET_EXECUTORS);
    fits(op.getTasks(s.state), ref.V1_GET_TASKS);
    fits(op.getHealth(), ref.V1_GET_HEALTH);
    fits(op.getFlags({ b: '2', a: '1' }), ref.V1_GET_FLAGS);
    fits(op.getVersion('1.11.0'), ref.V1_GET_VERSION);
  });

  test('IDs are {value}, enums are names, statuses keep message/source/reason/uuid', () => {
    const tasks = op.getTasks(s.state) as any;
    const web = tasks.tasks.find((t: any) => t.task_id.value === s.podTask);
    expect(web.framework_id).toEqual({ value: s.k8sm });
    expect(web.agent_id).toEqual({ value: s.agentA });
    expect(web.executor_id).toEqual({ value: s.executorId });
    expect(web.state).toBe('TASK_RUNNING');
    expect(web.status_update_state).toBe('TASK_RUNNING');
    const running = web.statuses[1];
    expect(running).toMatchObject({ state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', message: 'pod-running:web_default' });
    expect(Buffer.from(running.uuid, 'base64')).toHaveLength(16);
    expect(web.resources).toContainEqual({
      name: 'ports',
      type: 'RANGES',
      ranges: {
        range: [
          { begin: 31099, end: 31099 },
          { begin: 31101, end: 31101 },
        ],
      },
      role: '*',
      allocation_info: { role: '*' },
    });
    const cmd = tasks.tasks.find((t: any) => t.task_id.value === s.commandTask);
    expect(cmd.executor_id).toBeUndefined();
    expect(tasks.completed_tasks.map((t: any) => t.state).sort()).toEqual(['TASK_FINISHED', 'TASK_KILLED']);
    const killed = tasks.completed_tasks.find((t: any) => t.state === 'TASK_KILLED');
    expect(killed.statuses.at(-1)).toMatchObject({ source: 'SOURCE_MASTER', reason: 'REASON_FRAMEWORK_REMOVED' });
  });

  test('agents: agent_info, times in nanoseconds, total and allocated resources', () => {
    const v = op.getAgents(s.state) as any;
    const a = v.agents.find((x: any) => x.agent_info.hostname === 'agent-1');
    expect(a.agent_info.id).toEqual({ value: s.agentA });
    expect(a.agent_info.attributes).toContainEqual({ name: 'zone', type: 'SCALAR', scalar: { value: 2 } });
    expect(a.agent_info.attributes).toContainEqual({ name: 'rack', type: 'TEXT', text: { value: 'r1' } });
    expect(Number.isInteger(a.registered_time.nanoseconds)).toBe(true);
    expect(a.capabilities).toContainEqual({ type: 'MULTI_ROLE' });
    expect(a.allocated_resources.find((r: any) => r.name === 'cpus').scalar.value).toBe(1);
    const b = v.agents.find((x: any) => x.agent_info.hostname === 'agent-2');
    expect(b.offered_resources).toBeUndefined(); // stout omits empty repeated fields
  });

  test('frameworks: framework_info with its defaults (failover_timeout, checkpoint), offers, completed', () => {
    const v = op.getFrameworks(s.state) as any;
    const k = v.frameworks.find((f: any) => f.framework_info.name === 'Kubernetes');
    expect(k.framework_info).toMatchObject({
      user: 'root',
      id: { value: s.k8sm },
      failover_timeout: 4611686018.43,
      checkpoint: true,
      role: '*',
      principal: 'k8sm',
    });
    const m = v.frameworks.find((f: any) => f.framework_info.name === 'marathon');
    expect(m.framework_info.roles).toEqual(['*', 'public']);
    expect(m.framework_info.checkpoint).toBe(false);
    expect(m.offers[0].executor_ids).toBeUndefined();
    expect(m.offers[0].hostname).toBe('agent-1');
    expect(v.completed_frameworks.map((f: any) => f.framework_info.id.value)).toEqual([s.oldFramework]);
  });

  test('executors: CommandInfo shows its shell default, k8sm identity', () => {
    const v = op.getExecutors(s.state) as any;
    expect(v.executors).toHaveLength(1);
    const e = v.executors[0];
    expect(e.agent_id).toEqual({ value: s.agentA });
    expect(e.executor_info).toMatchObject({ name: 'Kubelet-Executor', source: 'kubernetes', executor_id: { value: s.executorId } });
    expect(e.executor_info.command.shell).toBe(false);
    expect(e.executor_info.command.uris[0].extract).toBe(true);
  });

  test('MasterInfo (GET_MASTER and ZooKeeper) carries the network-order uint32 ip', () => {
    const mi = op.masterInfoProto({ ...s.ctx.self, ip: '127.0.0.1' }) as any;
    fits(mi, ref.ZK_MASTER_INFO);
    expect(mi.ip).toBe(16777343);
    expect(mi.address).toEqual({ hostname: '127.0.0.1', ip: '127.0.0.1', port: 5050 });
  });
});

describe('state changes keep the accounting right', () => {
  test('a task that ends frees its resources; an executor shut down frees its own', () => {
    const s = buildScenario();
    const st = s.state;
    const used = () => (renderMasterState(st, s.ctx) as any).slaves.find((x: any) => x.hostname === 'agent-1').used_resources;
    st.updateTask(s.podTask2, { state: 'TASK_KILLED', source: 'SOURCE_EXECUTOR', message: 'pod-deleted' });
    expect(used()).toEqual({ cpus: 0.75, gpus: 0, mem: 256, disk: 0, ports: '[31099-31099, 31101-31101]' });
    const { tasks } = st.shutdownExecutor('agent-1', s.executorId);
    expect(tasks.map((t) => t.id)).toEqual([s.podTask]);
    expect(st.task(s.podTask).state).toBe('TASK_LOST');
    expect(used()).toEqual({ cpus: 0, gpus: 0, mem: 0, disk: 0 });
  });

  test('seeds cannot exceed an agent: resources, ports outside its ranges, ports in use', () => {
    const s = buildScenario();
    expect(() => s.state.addTask({ frameworkId: s.marathon, agentId: 'agent-2', resources: { cpus: 5, mem: 1 } })).toThrow(/lacks/);
    expect(() => s.state.addTask({ frameworkId: s.marathon, agentId: 'agent-1', resources: { cpus: 0.1, mem: 1, ports: [31100] } })).toThrow(/ports 31100/);
    expect(() => s.state.addTask({ frameworkId: s.marathon, agentId: 'agent-1', resources: { cpus: 0.1, mem: 1, ports: [31101] } })).toThrow(/in use/);
  });

  test('a removed agent is unreachable: its tasks too', () => {
    const s = buildScenario();
    s.state.removeAgent('agent-2');
    const st = renderMasterState(s.state, s.ctx) as any;
    expect(st.slaves.map((x: any) => x.hostname)).toEqual(['agent-1']);
    expect(st.unreachable_slaves).toBe(1);
    const m = st.frameworks.find((f: any) => f.id === s.marathon);
    expect(m.unreachable_tasks.map((t: any) => [t.id, t.state])).toEqual([[s.commandTask, 'TASK_UNREACHABLE']]);
    expect(m.tasks).toEqual([]);
  });
});

/**
 * Real clusters (../shared/corpus/mesos-state): every capture fits the shape of its version
 * (reference-shapes.ts `masterStateAt`/`agentStateAt`, field for field both ways), and the
 * simulator, set to a captured 1.x version, prints what that version printed.
 */
describe('real Mesos captures (../shared/corpus/mesos-state)', () => {
  const available = capturesAvailable();
  if (!available) {
    test.skip(`${CAPTURE_DIR} is absent`, () => undefined);
    return;
  }
  const captures = loadCaptures().filter((c) => c.kind !== 'other');
  /** Fields edited upstream (SOURCES.md: anonymised or edited): not what a Mesos printed. */
  const EDITED_UPSTREAM: Record<string, RegExp> = {
    // host names instead of IPs in the pids ("hostnames anonymised upstream")
    'kubernetes__kubernetes__pkg_cloudprovider_providers_mesos_client_test.go.TEST_STATE_JSON.json': /^\$\.(pid|leader|slaves\[\d\]\.pid): /,
    // the later edit: an IPv6 agent and scheduler pid, and a task with "ports": "[]"
    'mesosphere__mesos-dns__factories_fake.json': /^\$\.(slaves\[3\]\.pid|frameworks\[0\]|frameworks\[3\]): /,
  };

  test.each(captures.map((c) => [c.file, c] as const))('%s fits the shape of its version', (file, c) => {
    const problems = check(c.json, c.kind === 'master' ? ref.masterStateAt(c.version) : ref.agentStateAt(c.version));
    const edited = EDITED_UPSTREAM[file];
    expect(problems.filter((p) => !edited?.test(p))).toEqual([]);
    if (edited) expect(problems.length).toBeGreaterThan(0); // the exemption is still needed
  });

  test('the version shapes are strict: a field a version did not print, or left out where it did, fails', () => {
    const c = captures.find((x) => x.version === '1.2.0' && x.kind === 'master')!;
    const fw = c.json.frameworks[0];
    const { connected: _c, ...withoutConnected } = fw;
    expect(check({ ...c.json, frameworks: [withoutConnected] }, ref.masterStateAt('1.2.0')).join('\n')).toMatch(/connected: missing/);
    expect(check({ ...c.json, frameworks: [fw] }, ref.masterStateAt('1.0.1')).join('\n')).toMatch(/connected: not a documented field/);
    const old = captures.find((x) => x.version === '0.22.0' && x.kind === 'master')!;
    expect(
      check({ ...old.json, slaves: [{ ...old.json.slaves[0], used_resources: { cpus: 0, mem: 0, disk: 0 } }] }, ref.masterStateAt('0.22.0')).join('\n'),
    ).toMatch(/used_resources: not a documented field/);
  });

  const versions = [...new Set(captures.map((c) => c.version))].filter((v) => Number(v.split('.')[0]) >= 1);
  test.each(versions)('the simulator at %s prints the fields that version printed', (version) => {
    const s = buildScenario(version);
    expect(check(renderMasterState(s.state, s.ctx), ref.masterStateAt(version))).toEqual([]);
    const agent = s.state.agents.get(s.agentA)!;
    expect(check(renderAgentState(s.state, agent, { flags: { work_dir: '/var/lib/mesos' }, masterHostname: '127.0.0.1' }), ref.agentStateAt(version))).toEqual(
      [],
    );
  });
});
