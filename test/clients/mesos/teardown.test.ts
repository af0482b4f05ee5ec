/**
 * MesosClient.teardownFramework against the Mesos simulator (delete framework): the v1 operator
 * TEARDOWN on the leader (a standby's 307 followed), the framework completed and its tasks gone
 * afterwards; an unknown id is the master's 400, one line.
 */
import { connectMesos, type MesosClient } from '../../../src/clients/mesos/mesos-client.js';
import { oneLine } from '../../../src/lib/outcomes.js';
import { startMesosSimulator, type MesosSimulator } from '../../stack/mesos-sim/index.js';
import { startFakeServer, type FakeServer } from './fake-server.js';

const sims: MesosSimulator[] = [];
const clients: MesosClient[] = [];
const servers: FakeServer[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all([...sims.splice(0).map((s) => s.close()), ...servers.splice(0).map((s) => s.close())]);
});

async function setup(masters = 1) {
  const s = await startMesosSimulator({
    masters,
    agents: [
      { hostname: 'agent-1', resources: { cpus: 4, mem: 4096 } },
      { hostname: 'agent-2', resources: { cpus: 4, mem: 4096 } },
    ],
  });
  sims.push(s);
  const old = s.addFramework({ name: 'Kubernetes-old', role: '*' }).id;
  for (const host of ['agent-1', 'agent-2']) {
    const e = s.addExecutor({ frameworkId: old, agentId: host, k8sm: true });
    s.addTask({
      frameworkId: old,
      agentId: host,
      executorId: e.id,
      name: `web-${host}.default.pod`,
      state: 'TASK_RUNNING',
      resources: { cpus: 0.25, mem: 64 },
    });
  }
  const other = s.addFramework({ name: 'marathon', role: '*' }).id;
  s.addTask({ frameworkId: other, agentId: 'agent-1', name: 'app', state: 'TASK_RUNNING', resources: { cpus: 0.5, mem: 64 } });
  return { s, old, other };
}

describe('teardownFramework against the simulator', () => {
  it('TEARDOWN through a standby (307 to the leader): the framework is completed, its tasks are no longer running; the others stay', async () => {
    const { s, old, other } = await setup(2);
    const standby = s.masters.find((m) => m.url !== s.leaderUrl())!;
    const c = connectMesos({ master: standby.url, retryBackoffMs: 10, requestTimeoutMs: 3000 });
    clients.push(c);
    const r = await c.teardownFramework(old);
    expect(r.endpoint).toBe('/api/v1 TEARDOWN');
    const snap = await c.snapshot();
    expect(snap.frameworks.find((f) => f.id === old)?.completed).toBe(true);
    expect(snap.tasks.filter((t) => t.frameworkId === old && t.list === 'tasks')).toEqual([]);
    expect(snap.tasks.filter((t) => t.frameworkId === other && t.state === 'TASK_RUNNING')).toHaveLength(1);
  });

  it('an unknown framework id: the master refuses (400), one line naming it', async () => {
    const { s } = await setup();
    const c = connectMesos({ master: s.masters[0]!.url, retryBackoffMs: 10, requestTimeoutMs: 3000 });
    clients.push(c);
    const e = await c.teardownFramework('no-such-framework').catch((err: unknown) => err);
    expect(oneLine(e)).toMatch(/400 Bad Request for \/api\/v1 TEARDOWN: No framework found with specified ID/);
  });

  it('a master without the v1 operator API (404): POST /master/teardown with the form body; a 403 there is one line with the ACL hint', async () => {
    let allow = true;
    const bodies: string[] = [];
    const server = await startFakeServer((req, res, body) => {
      if (req.url === '/api/v1') {
        res.writeHead(404).end();
        return;
      }
      bodies.push(`${req.method} ${req.url} ${String(req.headers['content-type'])} ${body}`);
      res.writeHead(allow ? 200 : 403).end();
    });
    servers.push(server);
    const c = connectMesos({ master: server.url, retryBackoffMs: 10, requestTimeoutMs: 3000 });
    clients.push(c);
    expect(await c.teardownFramework('fw 1')).toEqual({ endpoint: '/master/teardown', masterUrl: server.url });
    expect(bodies).toEqual(['POST /master/teardown application/x-www-form-urlencoded frameworkId=fw+1']);
    allow = false;
    const e = await c.teardownFramework('fw-2').catch((err: unknown) => err);
    expect(oneLine(e)).toBe(
      `Mesos master ${server.url} forbids anonymous requests to tear down framework fw-2 (403 Forbidden); ask the Mesos operators to allow this principal to tear down the framework (ACL teardown_frameworks), or pass --mesos-principal`,
    );
  });

  it('a teardown POST the master fails (500) says it was a post, not a get', async () => {
    const server = await startFakeServer((req, res) => {
      res.writeHead(req.url === '/api/v1' ? 404 : 500).end();
    });
    servers.push(server);
    const c = connectMesos({ master: server.url, retryBackoffMs: 10, requestTimeoutMs: 3000 });
    clients.push(c);
    const e = await c.teardownFramework('fw-3').catch((err: unknown) => err);
    expect((e as Error).message).toMatch(new RegExp(`^cannot post to /master/teardown on Mesos master ${server.url}: answered 500`));
  });
});
