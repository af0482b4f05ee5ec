/**
 * The Mesos client against the project's Mesos simulator (test/stack/mesos-sim): the same JSON the
 * commands will see, leader changes, standbys, faults, TLS, auth and ZooKeeper registration.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMesos, type MesosClient } from '../../../src/clients/mesos/mesos-client.js';
import type { MesosConnectOptions } from '../../../src/clients/mesos/options.js';
import { describeFailure, oneLine } from '../../../src/lib/outcomes.js';
import { startMesosSimulator, type MesosSimulator, type SimConfig } from '../../stack/mesos-sim/index.js';
import { startTestZooKeeper, type TestZooKeeper } from '../../stack/test-servers.js';
import { makePki } from '../../stack/pki.js';

const sims: MesosSimulator[] = [];
const clients: MesosClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function sim(config: Partial<SimConfig> = {}): Promise<MesosSimulator> {
  const s = await startMesosSimulator({
    agents: [
      {
        hostname: 'agent-1',
        resources: { cpus: 4, mem: 8192, ports: '[31000-31099, 31101-32000]' },
        attributes: { rack: 'r1', zone: 2 },
        flags: { executor_shutdown_grace_period: '5secs' },
      },
      {
        hostname: 'agent-2',
        resources: { cpus: 8, mem: 16384, ports: '[31000-31499, 32000-32999]' },
        reserved: { public: { cpus: 2, mem: 4096, ports: '[32000-32999]' } },
        attributes: { rack: 'r2' },
      },
      { hostname: 'agent-3', resources: { cpus: 2, mem: 2048 } },
    ],
    ...config,
  });
  sims.push(s);
  return s;
}

async function connect(master: string, extra: Partial<MesosConnectOptions> = {}): Promise<MesosClient> {
  const c = connectMesos({ master, retryBackoffMs: 10, requestTimeoutMs: 3000, ...extra });
  clients.push(c);
  return c;
}

/** A k8sm framework with its executor on agent-1 and agent-2, two pods, and a marathon app. */
function seedK8sm(s: MesosSimulator): { k8sm: string; containers: Record<string, string> } {
  const k8sm = s.addFramework({ name: 'Kubernetes', role: '*', principal: 'k8sm', pid: 'scheduler(1)@127.0.0.1:10251' }).id;
  const containers: Record<string, string> = {};
  for (const host of ['agent-1', 'agent-2']) {
    const e = s.addExecutor({ frameworkId: k8sm, agentId: host, k8sm: true });
    containers[host] = e.containerId;
    s.addTask({
      frameworkId: k8sm,
      agentId: host,
      executorId: e.id,
      name: `web-${host}.default.pod`,
      state: 'TASK_RUNNING',
      resources: { cpus: 0.25, mem: 64, ports: '[31000-31000]' },
    });
  }
  const marathon = s.addFramework({ name: 'marathon', roles: ['marathon', '*'] }).id;
  s.addTask({ frameworkId: marathon, agentId: 'agent-3', name: 'app', state: 'TASK_RUNNING', resources: { cpus: 1, mem: 128 } });
  return { k8sm, containers };
}

describe('Mesos client against the simulator', () => {
  it('get agents: ONE master request; agents, ports per role, attributes, k8sm executors', async () => {
    const s = await sim();
    const { k8sm } = seedK8sm(s);
    const c = await connect(s.masters[0]!.url);
    const snap = await c.snapshot();
    expect(c.requestCount).toBe(1);
    expect(snap.master.url).toBe(s.masters[0]!.url);
    expect(snap.master.version).toBe('1.11.0');
    expect(snap.agents.map((a) => a.hostname).sort()).toEqual(['agent-1', 'agent-2', 'agent-3']);

    const a1 = snap.agents.find((a) => a.hostname === 'agent-1')!;
    expect(a1.total.ports).toEqual([
      { begin: 31000, end: 31099 },
      { begin: 31101, end: 32000 },
    ]);
    expect(a1.attributes).toEqual({ rack: 'r1', zone: 2 });
    expect(a1.used.ports).toEqual([{ begin: 31000, end: 31000 }]);
    expect(a1.free.ports).toEqual([
      { begin: 31001, end: 31099 },
      { begin: 31101, end: 32000 },
    ]);
    expect(a1.k8smExecutors).toHaveLength(1);
    expect(a1.k8smExecutors[0]).toMatchObject({ name: 'Kubelet-Executor', frameworkId: k8sm, isK8sm: true });
    expect(a1.k8smExecutors[0]!.id).toMatch(/^[0-9a-f]+_k8sm-executor$/);
    expect(a1.k8smExecutors[0]!.taskIds).toHaveLength(1);

    const a2 = snap.agents.find((a) => a.hostname === 'agent-2')!;
    expect(a2.portsByRole).toEqual({ '*': [{ begin: 31000, end: 31499 }], public: [{ begin: 32000, end: 32999 }] });
    expect(a2.reserved['public']).toMatchObject({ cpus: 2, mem: 4096 });
    expect(a2.unreserved).toMatchObject({ cpus: 6, mem: 12288 });

    const a3 = snap.agents.find((a) => a.hostname === 'agent-3')!;
    expect(a3.total.ports).toEqual([{ begin: 31000, end: 32000 }]); // Mesos default ports
    expect(a3.k8smExecutors).toEqual([]);

    expect(snap.frameworks.find((f) => f.id === k8sm)).toMatchObject({ name: 'Kubernetes', isK8sm: true, roles: ['*'], taskCount: 2 });
    expect(snap.frameworks.find((f) => f.name === 'marathon')).toMatchObject({ isK8sm: false, roles: ['marathon', '*'] });
    expect(
      snap.tasks
        .filter((t) => t.frameworkId === k8sm)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['web-agent-1.default.pod', 'web-agent-2.default.pod']);
  });

  it('full snapshot: one master request plus one per agent, with container ids and sandboxes', async () => {
    const s = await sim();
    const { containers } = seedK8sm(s);
    const c = await connect(s.masters[0]!.url);
    const snap = await c.snapshot({ agentDetails: true });
    expect(c.requestCount).toBe(1 + 3);
    expect(snap.warnings).toEqual([]);
    for (const host of ['agent-1', 'agent-2']) {
      const a = snap.agents.find((x) => x.hostname === host)!;
      expect(a.detail!.reachable).toBe(true);
      expect(a.k8smExecutors[0]!.container).toBe(containers[host]);
      expect(a.k8smExecutors[0]!.directory).toMatch(new RegExp(`/runs/${containers[host]}$`));
    }
    expect(snap.agents.find((x) => x.hostname === 'agent-1')!.detail!.flags!['executor_shutdown_grace_period']).toBe('5secs');
    const paths = s.requestLog().map((e) => e.path);
    expect(paths.filter((p) => p.startsWith('/slave(1)/state'))).toHaveLength(3);
  });

  it('a stopped agent: partial snapshot and a warning', async () => {
    const s = await sim();
    seedK8sm(s);
    const c = await connect(s.masters[0]!.url);
    const gone = s.agents.find((a) => a.hostname === 'agent-2')!;
    await s.stopAgent(gone.id); // the master lists it, inactive; its port refuses
    const snap = await c.snapshot({ agentDetails: true, agentFilter: () => true });
    expect(snap.agents.find((a) => a.id === gone.id)!.detail).toEqual({ reachable: false, error: 'connection refused' });
    expect(snap.warnings).toEqual([`agent agent-2 (${gone.id}) did not answer: connection refused`]);
    expect(snap.agents.filter((a) => a.detail?.reachable)).toHaveLength(2);
  });

  it('an agent that hangs does not hold the others up', async () => {
    const s = await sim();
    const slow = s.agents.find((a) => a.hostname === 'agent-3')!;
    s.fault({ kind: 'hang', agent: slow.id });
    const c = await connect(s.masters[0]!.url, { agentTimeoutMs: 300 });
    const snap = await c.snapshot({ agentDetails: 'flags' });
    expect(snap.agents.find((a) => a.id === slow.id)!.detail).toEqual({ reachable: false, error: 'timed out after 300ms' });
    expect(snap.agents.filter((a) => a.detail?.reachable && a.detail.flags)).toHaveLength(2);
    // Asked once: an agent's timeout is not retried, so it costs one agent timeout.
    const askedSlow = s.requestLog().filter((e) => e.server.kind === 'agent' && e.server.id === slow.id);
    expect(askedSlow.map((e) => [e.path, e.fault])).toEqual([['/slave(1)/flags', 'hang']]);
  });

  it('comma list with a standby first: follows its 307 and stays with the leader', async () => {
    const s = await sim({ masters: 3 });
    const [leader, sb1, sb2] = s.masters;
    const c = await connect(`${sb1!.url},${sb2!.url},${leader!.url}`);
    await c.snapshot();
    expect(c.leaderUrl).toBe(leader!.url);
    expect(c.requestCount).toBe(2);
    await c.snapshot();
    expect(c.requestCount).toBe(3);
  });

  it('leader change between requests', async () => {
    const s = await sim({ masters: 2 });
    const c = await connect(`${s.masters[0]!.url},${s.masters[1]!.url}`);
    await c.snapshot();
    expect(c.leaderUrl).toBe(s.masters[0]!.url);
    await s.setLeader(1);
    const snap = await c.snapshot();
    expect(snap.master.url).toBe(s.masters[1]!.url);
    expect(c.leaderUrl).toBe(s.masters[1]!.url);
  });

  it('no leader: one clear line', async () => {
    const s = await sim({ masters: 2 });
    await s.setNoLeader();
    const c = await connect(`${s.masters[0]!.url},${s.masters[1]!.url}`, { retries: 1 });
    let err: unknown;
    try {
      await c.snapshot();
    } catch (e) {
      err = e;
    }
    expect(oneLine(err)).toBe(
      `no leading Mesos master (after 2 attempts): ${s.masters[0]!.url}: 503 Service Unavailable, no leader elected; ${s.masters[1]!.url}: 503 Service Unavailable, no leader elected; check that a quorum of masters is running and connected to ZooKeeper, then retry`,
    );
    expect(err).toMatchObject({ kind: 'no-leader', service: 'mesos-master' });
    expect(describeFailure(err).exitCode).toBe(2);
  });

  it('faults: 5xx retried, slow past the timeout, garbage, truncated, dropped', async () => {
    const s = await sim();
    const url = s.masters[0]!.url;

    s.fault({ kind: 'status', status: 500, endpoint: '/state', times: 2 });
    const c1 = await connect(url);
    await expect(c1.snapshot()).resolves.toMatchObject({ master: { url } });
    expect(c1.requestCount).toBe(3);

    s.clearFaults();
    s.fault({ kind: 'slow', delayMs: 1000, endpoint: '/state' });
    const c2 = await connect(url, { requestTimeoutMs: 200 });
    await expect(c2.snapshot()).rejects.toThrow(`cannot get /state from Mesos master ${url}: timed out after 200ms`);

    s.clearFaults();
    s.fault({ kind: 'garbage', endpoint: '/state' });
    const c3 = await connect(url);
    await expect(c3.snapshot()).rejects.toThrow(new RegExp(`^master ${url} returned invalid JSON for /state: `));

    s.clearFaults();
    s.fault({ kind: 'truncate', endpoint: '/state' });
    const c4 = await connect(url);
    await expect(c4.snapshot()).rejects.toThrow(new RegExp(`^master ${url} returned invalid JSON for /state: `));

    s.clearFaults();
    s.fault({ kind: 'drop', endpoint: '/state' });
    const c5 = await connect(url, { retries: 1 });
    await expect(c5.snapshot()).rejects.toThrow(
      `cannot get /state from Mesos master ${url} (after 2 attempts): connection closed before the response was complete`,
    );
  });

  it('operator API GET_STATE: status messages, reasons and sources', async () => {
    const s = await sim();
    const k8sm = s.addFramework({ name: 'Kubernetes', role: '*' }).id;
    const e = s.addExecutor({ frameworkId: k8sm, agentId: 'agent-1', k8sm: true });
    const t = s.addTask({ frameworkId: k8sm, agentId: 'agent-1', executorId: e.id, name: 'bad.default.pod', state: 'TASK_STAGING' });
    s.setTaskState(t.id, 'TASK_FAILED', { message: 'create-binding-failure', source: 'SOURCE_EXECUTOR', reason: 'REASON_TASK_INVALID' });
    const c = await connect(s.masters[0]!.url);
    const snap = await c.snapshot({ source: 'operator' });
    expect(snap.warnings).toEqual([]);
    const task = snap.tasks.find((x) => x.id === t.id)!;
    expect(task.state).toBe('TASK_FAILED');
    expect(task.statuses[task.statuses.length - 1]).toMatchObject({
      state: 'TASK_FAILED',
      message: 'create-binding-failure',
      source: 'SOURCE_EXECUTOR',
      reason: 'REASON_TASK_INVALID',
    });
    expect(snap.agents).toHaveLength(3);
    expect(snap.agents.find((a) => a.hostname === 'agent-2')!.portsByRole).toEqual({
      '*': [{ begin: 31000, end: 31499 }],
      public: [{ begin: 32000, end: 32999 }],
    });
    expect(snap.agents.find((a) => a.hostname === 'agent-1')!.k8smExecutors.map((x) => x.id)).toEqual([e.id]);
    expect(snap.frameworks.find((f) => f.id === k8sm)!.isK8sm).toBe(true);
  });

  it('/state and GET_STATE agree on agents and frameworks', async () => {
    const s = await sim();
    seedK8sm(s);
    const c = await connect(s.masters[0]!.url);
    const a = await c.snapshot();
    const b = await c.snapshot({ source: 'operator' });
    const agentView = (x: typeof a) =>
      x.agents
        .map((g) => ({ id: g.id, hostname: g.hostname, total: g.total, used: g.used, portsByRole: g.portsByRole, k8sm: g.k8smExecutors.map((e) => e.id) }))
        .sort((p, q) => p.id.localeCompare(q.id));
    expect(agentView(b)).toEqual(agentView(a));
    const fwView = (x: typeof a) => x.frameworks.map((f) => [f.id, f.name, f.isK8sm, f.roles, f.taskCount]).sort();
    expect(fwView(b)).toEqual(fwView(a));
    expect(b.tasks.map((t) => t.id).sort()).toEqual(a.tasks.map((t) => t.id).sort());
  });
});

describe('simulator over TLS with basic auth', () => {
  let dir: string;
  let pki: Awaited<ReturnType<typeof makePki>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8smctl-sim-tls-'));
    pki = await makePki(join(dir, 'pki'), []);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies the CA, authenticates masters and agents, keeps the secret out of errors', async () => {
    const secret = 'sim-secret-value';
    const caPem = readFileSync(pki.caCert);
    const s = await sim({
      tls: { cert: readFileSync(pki.mesosCert, 'utf8'), key: readFileSync(pki.mesosKey, 'utf8') },
      auth: { principal: 'ops', secret: 'sim-secret-value' },
    });
    expect(s.masters[0]!.url).toMatch(/^https:/);
    const ok = await connect(s.masters[0]!.url, { principal: 'ops', secret, caPem });
    const snap = await ok.snapshot({ agentDetails: true });
    expect(snap.agents.every((a) => a.detail?.reachable)).toBe(true);

    const bad = await connect(s.masters[0]!.url, { principal: 'ops', secret: 'wrong-secret-xyz', caPem });
    let err: unknown;
    try {
      await bad.snapshot();
    } catch (e) {
      err = e;
    }
    expect(oneLine(err)).toBe(
      `Mesos master ${s.masters[0]!.url} rejected the credentials of principal "ops" for /state (401 Unauthorized); check --mesos-principal and the secret (--mesos-secret-file or $MESOS_SECRET)`,
    );
    expect(JSON.stringify(err) + String((err as Error).stack)).not.toContain('wrong-secret-xyz');

    const untrusted = await connect(s.masters[0]!.url, { principal: 'ops', secret });
    await expect(untrusted.snapshot()).rejects.toThrow(/^cannot verify the TLS certificate of Mesos master https:/);
    const insecure = await connect(s.masters[0]!.url, { principal: 'ops', secret, insecureSkipTlsVerify: true });
    await expect(insecure.snapshot()).resolves.toBeDefined();
  });
});

describe('simulator registered in a real ZooKeeper', () => {
  let zk: TestZooKeeper;
  beforeAll(async () => {
    zk = await startTestZooKeeper();
  }, 60_000);
  afterAll(async () => {
    await zk?.stop();
  });

  it('zk:// finds the leader, follows a leader change, and reports no leader', async () => {
    const s = await sim({ masters: 2, zk: { connect: zk.connect, path: '/mesos-sim-client' } });
    const c = await connect(`zk://${zk.connect}/mesos-sim-client`, { retries: 1 });
    const first = await c.snapshot();
    expect(first.master.url).toBe(s.masters[0]!.url);
    expect(c.leaderUrl).toBe(s.masters[0]!.url);

    await s.setLeader(1);
    const second = await c.snapshot();
    expect(second.master.url).toBe(s.masters[1]!.url);

    await s.setNoLeader();
    await expect(c.snapshot()).rejects.toThrow(/^no leading Mesos master \(after 2 attempts\): /);
  });
});
