/**
 * The simulator over real sockets: leader and standby masters (redirects, loop guard, 503 without a
 * leader, leader change), teardown, the v1 operator API and its errors, agent endpoints, runtime
 * changes, and old versions' /state.json.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startMesosSimulator, type MesosSimulator } from '../../test/stack/mesos-sim/index.js';
import { api, getJson, raw } from './helpers/http-client.js';
import * as ref from './helpers/reference-shapes.js';
import { check } from './helpers/shape.js';

const fits = (value: unknown, spec: Parameters<typeof check>[1]) => expect(check(value, spec)).toEqual([]);

let sim: MesosSimulator;
let k8smId: string;

beforeAll(async () => {
  sim = await startMesosSimulator({
    masters: 3,
    masterHosts: ['127.0.1.1', '127.0.1.2', '127.0.1.3'],
    clusterName: 'sim-test',
    agents: [
      {
        hostname: 'agent-1',
        ip: '127.0.2.1',
        resources: { cpus: 4, mem: 8192, disk: 10240, ports: '[31000-31099, 31101-32000]' },
        attributes: { rack: 'r1' },
        flags: { docker_stop_timeout: '10secs' },
      },
      { hostname: 'agent-2', ip: '127.0.2.2', resources: { cpus: 2, mem: 4096 }, reserved: { public: { cpus: 1, mem: 1024, ports: '[31000-31009]' } } },
    ],
    frameworks: [
      {
        name: 'Kubernetes',
        principal: 'k8sm',
        pid: 'scheduler(1)@127.0.0.1:10251',
        failoverTimeout: 4611686018.43,
        checkpoint: true,
        executors: [{ agentId: 'agent-1', k8sm: true }],
      },
      { name: 'other', roles: ['public'], tasks: [{ agentId: 'agent-2', id: 'web.1', resources: { cpus: 0.5, mem: 128, ports: [31001] } }] },
    ],
  });
  k8smId = sim.state.registeredAgents().length ? [...sim.state.frameworks.values()].find((f) => f.name === 'Kubernetes')!.id : '';
}, 30000);

afterAll(async () => {
  await sim?.close();
});

const m = (i: number) => sim.masters[i]!.url;
const leaderHostPort = () => `${sim.masters[sim.leaderIndex()!]!.host}:${sim.masters[sim.leaderIndex()!]!.port}`;

describe('leader and standbys (§2.2)', () => {
  test('the leader serves /state and /master/state with the documented shape', async () => {
    for (const path of ['/state', '/master/state']) {
      const st = await getJson(m(0) + path);
      fits(st, ref.MASTER_STATE);
      expect(st.pid).toBe(sim.masters[0]!.pid);
      expect(st.leader).toBe(sim.masters[0]!.pid);
      expect(st.hostname).toBe('127.0.1.1');
      expect(st.flags.quorum).toBe('2');
    }
    expect(sim.leaderUrl()).toBe(m(0));
  });

  test('standbys answer every leader-only endpoint with 307 to //leader<path?query>', async () => {
    for (const path of [
      '/state',
      '/master/state',
      '/master/slaves?slave_id=x',
      '/slaves',
      '/master/frameworks?framework_id=y',
      '/frameworks',
      '/master/flags',
      '/flags',
    ]) {
      for (const i of [1, 2]) {
        const res = await raw(m(i) + path);
        expect([path, res.status]).toEqual([path, 307]);
        expect(res.headers.location).toBe(`//127.0.1.1:${sim.masters[0]!.port}${path}`);
      }
    }
    const post = await api(m(1) + '/api/v1', { type: 'GET_HEALTH' });
    expect(post.status).toBe(307);
    expect(post.headers.location).toBe(`//${leaderHostPort()}/api/v1`);
    const td = await raw(m(2) + '/master/teardown', { method: 'POST', body: 'frameworkId=x' });
    expect(td.status).toBe(307);
  });

  test('/master/redirect and /redirect: 307 to the leader base URL, protocol-relative, from any master', async () => {
    for (const i of [0, 1, 2]) {
      for (const path of ['/master/redirect', '/redirect']) {
        const res = await raw(m(i) + path);
        expect(res.status).toBe(307);
        expect(res.headers.location).toBe(`//${leaderHostPort()}`);
      }
    }
  });

  test('loop guard: any path below /redirect/ is 404', async () => {
    for (const path of ['/master/redirect/state', '/redirect/x', '/master/redirect/']) {
      expect((await raw(m(1) + path)).status).toBe(404);
      expect((await raw(m(0) + path)).status).toBe(404);
    }
  });

  test('/health and /version answer on every master; unknown paths are 404', async () => {
    expect((await raw(m(1) + '/health')).status).toBe(200);
    expect((await raw(m(1) + '/master/health')).status).toBe(200);
    const v = await getJson(m(2) + '/version');
    expect(v.version).toBe('1.11.0');
    expect((await raw(m(0) + '/nope')).status).toBe(404);
  });

  test('since 1.7 /state.json is gone (404)', async () => {
    expect((await raw(m(0) + '/state.json')).status).toBe(404);
    expect((await raw(m(0) + '/master/state.json')).status).toBe(404);
    expect((await raw(`${sim.agents[0]!.url}/slave(1)/state.json`)).status).toBe(404);
  });

  test('leader change: the old leader redirects to the new one, which shows elected_time', async () => {
    const before = await getJson(m(0) + '/master/state');
    await sim.setLeader(1);
    expect(sim.leaderUrl()).toBe(m(1));
    const old = await raw(m(0) + '/master/state');
    expect(old.status).toBe(307);
    expect(old.headers.location).toBe(`//127.0.1.2:${sim.masters[1]!.port}/master/state`);
    const st = await getJson(m(1) + '/master/state');
    fits(st, ref.MASTER_STATE);
    expect(st.id).toBe(sim.masters[1]!.id);
    expect(st.leader).toBe(sim.masters[1]!.pid);
    expect(st.leader_info).toMatchObject({ id: sim.masters[1]!.id, hostname: '127.0.1.2', port: sim.masters[1]!.port });
    expect(st.elected_time).toBeGreaterThanOrEqual(before.elected_time);
    // same cluster, agents re-registered with the new leader
    expect(st.slaves.map((s: any) => s.id)).toEqual(before.slaves.map((s: any) => s.id));
    expect(st.slaves.every((s: any) => typeof s.reregistered_time === 'number')).toBe(true);
    expect((await getJson(`${sim.agents[0]!.url}/state`)).master_hostname).toBe('127.0.1.2');
    await sim.setLeader(0);
    expect((await raw(m(1) + '/state')).status).toBe(307);
  });

  test('no leader: 503 "No leader elected" on leader-only endpoints and /master/redirect of every master', async () => {
    await sim.setNoLeader();
    try {
      expect(sim.leaderUrl()).toBeUndefined();
      for (const i of [0, 1, 2]) {
        for (const path of ['/master/state', '/state', '/master/redirect', '/redirect', '/master/slaves']) {
          const res = await raw(m(i) + path);
          expect([i, path, res.status, res.body]).toEqual([i, path, 503, 'No leader elected']);
        }
        expect((await api(m(i) + '/api/v1', { type: 'GET_STATE' })).status).toBe(503);
        expect((await raw(m(i) + '/health')).status).toBe(200);
      }
      // agents follow no master
      expect((await getJson(`${sim.agents[0]!.url}/state`)).master_hostname).toBeUndefined();
    } finally {
      await sim.setLeader(0);
    }
    expect((await raw(m(0) + '/state')).status).toBe(200);
  });
});

describe('read-only master endpoints (§2.2)', () => {
  test('/master/slaves with *_full and ?slave_id=', async () => {
    const all = await getJson(m(0) + '/master/slaves');
    fits(all, ref.MASTER_SLAVES);
    expect(all.slaves).toHaveLength(2);
    const id = sim.agents[1]!.id;
    const one = await getJson(`${m(0)}/slaves?slave_id=${encodeURIComponent(id)}`);
    expect(one.slaves.map((s: any) => s.id)).toEqual([id]);
    expect(one.slaves[0].reserved_resources_full.public.map((r: any) => r.name).sort()).toEqual(['cpus', 'mem', 'ports']);
    expect(one.slaves[0].used_resources.ports).toBe('[31001-31001]');
  });

  test('/master/frameworks with ?framework_id=', async () => {
    const all = await getJson(m(0) + '/master/frameworks');
    fits(all, ref.MASTER_FRAMEWORKS);
    const one = await getJson(`${m(0)}/frameworks?framework_id=${k8smId}`);
    expect(one.frameworks.map((f: any) => f.name)).toEqual(['Kubernetes']);
    expect(one.frameworks[0].executors[0].name).toBe('Kubelet-Executor');
  });
});

describe('v1 operator API (§2.4)', () => {
  test.each([
    ['GET_STATE', 'get_state', ref.V1_GET_STATE],
    ['GET_AGENTS', 'get_agents', ref.V1_GET_AGENTS],
    ['GET_FRAMEWORKS', 'get_frameworks', ref.V1_GET_FRAMEWORKS],
    ['GET_EXECUTORS', 'get_executors', ref.V1_GET_EXECUTORS],
    ['GET_TASKS', 'get_tasks', ref.V1_GET_TASKS],
    ['GET_HEALTH', 'get_health', ref.V1_GET_HEALTH],
    ['GET_FLAGS', 'get_flags', ref.V1_GET_FLAGS],
    ['GET_VERSION', 'get_version', ref.V1_GET_VERSION],
  ])('%s answers {type, %s} on /api/v1 and /master/api/v1', async (type, key, spec) => {
    for (const path of ['/api/v1', '/master/api/v1']) {
      const res = await api(m(0) + path, { type });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      fits(JSON.parse(res.body), ref.v1Response(type, spec));
      expect(Object.keys(JSON.parse(res.body))).toEqual(['type', key]);
    }
  });

  test('GET_MASTER gives the MasterInfo with its uint32 ip', async () => {
    const res = JSON.parse((await api(m(0) + '/api/v1', { type: 'GET_MASTER' })).body);
    fits(res.get_master.master_info, ref.ZK_MASTER_INFO);
    expect(res.get_master.master_info.ip).toBe((1 << 24) + (1 << 16) + 127); // 127.0.1.1
  });

  test('errors: method, content types, malformed and unknown calls', async () => {
    const url = m(0) + '/api/v1';
    const get = await raw(url);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const noType = await raw(url, { method: 'POST', body: '{"type":"GET_STATE"}' });
    expect([noType.status, noType.body]).toEqual([400, "Expecting 'Content-Type' to be present"]);
    expect((await raw(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    const bad = await raw(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/^Failed to parse body into JSON: /);
    const unknown = await api(url, { type: 'GET_EVERYTHING' });
    expect([unknown.status, unknown.body]).toEqual([400, "Failed to convert JSON into Call protobuf: Failed to find enum for 'GET_EVERYTHING'"]);
    const missing = await api(url, {});
    expect([missing.status, missing.body]).toEqual([400, "Failed to validate master::Call: Expecting 'type' to be present"]);
    expect((await api(url, { type: 'GET_STATE' }, { headers: { Accept: 'text/html' } })).status).toBe(406);
    const notSimulated = await api(url, { type: 'GET_METRICS' });
    expect(notSimulated.status).toBe(501);
  });
});

describe('teardown (§2.2, §2.4)', () => {
  test('POST /master/teardown: 405, 400, 200; the framework moves to completed_frameworks', async () => {
    const f = sim.addFramework({ name: 'doomed', tasks: [{ agentId: 'agent-1', resources: { cpus: 0.1, mem: 32 } }] });
    const url = m(0) + '/master/teardown';
    expect((await raw(url)).status).toBe(405);
    const missing = await raw(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
    expect([missing.status, missing.body]).toEqual([400, "Missing 'frameworkId' query parameter in the request body"]);
    const unknown = await raw(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'frameworkId=nope' });
    expect([unknown.status, unknown.body]).toEqual([400, 'No framework found with specified ID']);
    // the ID in the URL does not count: it must be in the body
    expect((await raw(`${url}?frameworkId=${f.id}`, { method: 'POST', body: '' })).status).toBe(400);
    const ok = await raw(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `frameworkId=${encodeURIComponent(f.id)}`,
    });
    expect(ok.status).toBe(200);
    const st = await getJson(m(0) + '/state');
    expect(st.frameworks.map((x: any) => x.id)).not.toContain(f.id);
    const done = st.completed_frameworks.find((x: any) => x.id === f.id);
    expect(done.completed_tasks.map((t: any) => t.state)).toEqual(['TASK_KILLED']);
    expect((await raw(url, { method: 'POST', body: `frameworkId=${f.id}` })).status).toBe(400);
  });

  test('v1 TEARDOWN', async () => {
    const f = sim.addFramework({ name: 'doomed-v1' });
    const res = await api(m(0) + '/api/v1', { type: 'TEARDOWN', teardown: { framework_id: { value: f.id } } });
    expect(res.status).toBe(200);
    const again = await api(m(0) + '/api/v1', { type: 'TEARDOWN', teardown: { framework_id: { value: f.id } } });
    expect([again.status, again.body]).toEqual([400, 'No framework found with specified ID']);
    expect((await api(m(0) + '/api/v1', { type: 'TEARDOWN' })).status).toBe(400);
    const frameworks = JSON.parse((await api(m(0) + '/api/v1', { type: 'GET_FRAMEWORKS' })).body).get_frameworks;
    expect(frameworks.completed_frameworks.map((x: any) => x.framework_info.id.value)).toContain(f.id);
  });
});

describe('agents (§2.3)', () => {
  test('/slave(1)/state and /state, with the k8sm executor', async () => {
    const a = sim.agents[0]!;
    for (const path of ['/slave(1)/state', '/state']) {
      const st = await getJson(a.url + path);
      fits(st, ref.AGENT_STATE);
      expect(st.id).toBe(a.id);
      expect(st.pid).toBe(`slave(1)@127.0.2.1:${a.port}`);
      expect(st.master_hostname).toBe('127.0.1.1');
      const e = st.frameworks[0].executors[0];
      expect(e.name).toBe('Kubelet-Executor');
      expect(e.directory).toBe(`/var/lib/mesos/slaves/${a.id}/frameworks/${k8smId}/executors/${e.id}/runs/${e.container}`);
    }
  });

  test('/slave(1)/flags: realistic defaults, config merged over them', async () => {
    const { flags } = await getJson(`${sim.agents[0]!.url}/slave(1)/flags`);
    fits({ flags }, ref.AGENT_FLAGS);
    expect(flags).toMatchObject({
      executor_shutdown_grace_period: '5secs',
      docker_kill_orphans: 'true',
      docker_stop_timeout: '10secs',
      docker_remove_delay: '6hrs',
      containerizers: 'docker,mesos',
      work_dir: '/var/lib/mesos',
      docker_socket: '/var/run/docker.sock',
      resources: 'cpus:4;mem:8192;disk:10240;ports:[31000-31099,31101-32000]',
      attributes: 'rack:r1',
      hostname: 'agent-1',
    });
    expect(flags.master).toBe(`127.0.1.1:${sim.masters[0]!.port}`);
    const f2 = (await getJson(`${sim.agents[1]!.url}/flags`)).flags;
    expect(f2.resources).toBe('cpus:1;mem:3072;ports:[31010-32000];cpus(public):1;mem(public):1024;ports(public):[31000-31009]');
  });

  test('/containers, /health, agent /api/v1', async () => {
    fits(await getJson(`${sim.agents[0]!.url}/slave(1)/containers`), ref.AGENT_CONTAINERS);
    expect((await raw(`${sim.agents[0]!.url}/slave(1)/health`)).status).toBe(200);
    const h = await api(`${sim.agents[0]!.url}/api/v1`, { type: 'GET_HEALTH' });
    expect(JSON.parse(h.body)).toEqual({ type: 'GET_HEALTH', get_health: { healthy: true } });
    const fl = JSON.parse((await api(`${sim.agents[0]!.url}/api/v1`, { type: 'GET_FLAGS' })).body);
    expect(fl.get_flags.flags).toContainEqual({ name: 'executor_shutdown_grace_period', value: '5secs' });
  });
});

describe('runtime changes show in every view', () => {
  test('tasks, states, inactive and removed agents', async () => {
    const f = sim.addFramework({ name: 'batch', user: 'nobody' });
    const t = sim.addTask({ frameworkId: f.id, agentId: 'agent-1', resources: { cpus: 1, mem: 100, ports: [31050] } });
    let st = await getJson(m(0) + '/state');
    expect(st.frameworks.find((x: any) => x.id === f.id).tasks.map((x: any) => x.id)).toEqual([t.id]);
    sim.setTaskState(t.id, 'TASK_FAILED', { message: 'exit 1', reason: 'REASON_COMMAND_EXECUTOR_FAILED' });
    st = await getJson(m(0) + '/state');
    expect(st.frameworks.find((x: any) => x.id === f.id).completed_tasks[0].state).toBe('TASK_FAILED');
    const v1 = JSON.parse((await api(m(0) + '/api/v1', { type: 'GET_TASKS' })).body).get_tasks;
    const failed = v1.completed_tasks.find((x: any) => x.task_id.value === t.id);
    expect(failed.statuses.at(-1)).toMatchObject({
      state: 'TASK_FAILED',
      message: 'exit 1',
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      source: 'SOURCE_EXECUTOR',
    });

    sim.setAgentActive('agent-2', false);
    st = await getJson(m(0) + '/state');
    expect([st.activated_slaves, st.deactivated_slaves]).toEqual([1, 1]);
    sim.setAgentActive('agent-2', true);
  });

  test('a dead agent refuses connections; a removed one also leaves the master', async () => {
    const extra = await startMesosSimulator({
      agents: [
        { hostname: 'x1', resources: { cpus: 1, mem: 1 } },
        { hostname: 'x2', resources: { cpus: 1, mem: 1 } },
      ],
    });
    try {
      await extra.stopAgent('x1');
      await expect(raw(`${extra.agents[0]!.url}/state`)).rejects.toThrow(/ECONNREFUSED/);
      let st = await getJson(`${extra.leaderUrl()}/state`);
      expect(st.slaves.find((s: any) => s.hostname === 'x1').active).toBe(false);
      await extra.removeAgent('x2');
      await expect(raw(`${extra.agents[1]!.url}/state`)).rejects.toThrow(/ECONNREFUSED/);
      st = await getJson(`${extra.leaderUrl()}/state`);
      expect(st.slaves.map((s: any) => s.hostname)).toEqual(['x1']);
      expect(st.unreachable_slaves).toBe(1);
    } finally {
      await extra.close();
    }
  });

  test('the request log names method, path, server and status', async () => {
    sim.clearRequestLog();
    await raw(m(1) + '/master/state?x=1');
    await raw(`${sim.agents[0]!.url}/flags`);
    expect(sim.requestLog().map((e) => [e.method, e.path, e.server, e.status])).toEqual([
      ['GET', '/master/state?x=1', { kind: 'master', index: 1 }, 307],
      ['GET', '/flags', { kind: 'agent', id: sim.agents[0]!.id, hostname: 'agent-1' }, 200],
    ]);
  });
});

describe('k8sm pods without Docker or an apiserver', () => {
  test('seeded pods become k8sm-shaped tasks: pod.<uuid v1>, <pod>.<ns>.pod, host ports as single-port ranges', async () => {
    const s2 = await startMesosSimulator({
      agents: [{ hostname: 'a', resources: { cpus: 2, mem: 1024, ports: '[31000-31010]' } }],
      frameworks: [
        {
          name: 'Kubernetes',
          pods: [
            {
              agentId: 'a',
              pod: {
                metadata: { name: 'web', namespace: 'shop' },
                spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 31010 }] }] },
              },
            },
            { agentId: 'a', pod: { metadata: { name: 'db' }, spec: { containers: [{ name: 'c', resources: { limits: { cpu: '1', memory: '256Mi' } } }] } } },
          ],
        },
      ],
    });
    try {
      const st = await getJson(s2.leaderUrl() + '/state');
      const f = st.frameworks[0];
      expect(f.executors.map((e: any) => e.name)).toEqual(['Kubelet-Executor']);
      const [web, db] = f.tasks;
      expect(web.id).toMatch(/^pod\.[0-9a-f-]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-/);
      expect(web.name).toBe('web.shop.pod');
      expect(web.resources).toEqual({ cpus: 0.25, gpus: 0, mem: 64, disk: 0, ports: '[31000-31000, 31010-31010]' });
      expect(db.name).toBe('db.default.pod');
      expect(db.resources).toEqual({ cpus: 1, gpus: 0, mem: 256, disk: 0 });
      expect(st.slaves[0].used_resources).toEqual({ cpus: 1.5, gpus: 0, mem: 448, disk: 0, ports: '[31000-31000, 31010-31010]' });
    } finally {
      await s2.close();
    }
  });
});

describe('Mesos < 1.7', () => {
  test('serves /state.json and /master/state.json, and the agent /slave(1)/state.json', async () => {
    const old = await startMesosSimulator({ version: '1.6.2', agents: [{ hostname: 'a', resources: { cpus: 1, mem: 128 } }] });
    try {
      for (const p of ['/state.json', '/master/state.json']) {
        const st = await getJson(old.leaderUrl() + p);
        fits(st, ref.MASTER_STATE_PRE_1_9);
        expect(st.version).toBe('1.6.2');
        expect(st.slaves[0].deactivated).toBeUndefined();
      }
      fits(await getJson(`${old.agents[0]!.url}/slave(1)/state.json`), ref.AGENT_STATE);
    } finally {
      await old.close();
    }
  });
});
