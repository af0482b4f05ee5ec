import { connectMesos, type MesosClient } from '../../../src/clients/mesos/mesos-client.js';
import { deadPort, sendJson, startFakeServer, type FakeServer } from './fake-server.js';
import { agentStateJson, masterStateJson, type FakeAgent } from './state-json.js';

const servers: FakeServer[] = [];
const clients: MesosClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(handler: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const s = await startFakeServer(handler);
  servers.push(s);
  return s;
}

/** An agent answering /slave(1)/state and /slave(1)/flags after `delayMs`. */
async function agentServer(id: string, delayMs = 0): Promise<{ server: FakeServer; agent: FakeAgent }> {
  const agent: FakeAgent = { id, hostname: `host-${id}`, hostPort: '' };
  const s = await server((req, res) => {
    setTimeout(() => {
      if (req.url === '/slave(1)/state') sendJson(res, 200, agentStateJson(agent));
      else if (req.url === '/slave(1)/flags') sendJson(res, 200, { flags: { executor_shutdown_grace_period: '5secs' } });
      else sendJson(res, 404, '');
    }, delayMs);
  });
  agent.hostPort = s.hostPort;
  return { server: s, agent };
}

async function masterFor(agents: FakeAgent[]): Promise<FakeServer> {
  const m = await server((req, res) => {
    if (req.url === '/state') sendJson(res, 200, masterStateJson(m.hostPort, agents));
    else sendJson(res, 404, '');
  });
  return m;
}

describe('agent details', () => {
  it('one slow and one dead agent never block or fail the snapshot', async () => {
    const live = await Promise.all(['S0', 'S1', 'S2'].map((id) => agentServer(id)));
    // The live agents hold their answers until the hanging agent has been asked: the snapshot only
    // gets them if the agents are asked at once, not one after another behind the hanging one.
    let hangingAsked!: () => void;
    const asked = new Promise<void>((resolve) => (hangingAsked = resolve));
    const hanging = await server(() => hangingAsked());
    for (const l of live) {
      const answer = l.server.handler;
      l.server.handler = async (req, res, body) => {
        await asked;
        await answer(req, res, body);
      };
    }
    const dead = await deadPort();
    const agents: FakeAgent[] = [
      ...live.map((l) => l.agent),
      { id: 'S3', hostname: 'host-S3', hostPort: hanging.hostPort },
      { id: 'S4', hostname: 'host-S4', hostPort: `127.0.0.1:${dead}` },
      { id: 'S5', hostname: 'host-S5', hostPort: `127.0.0.1:${dead}`, active: false },
    ];
    const m = await masterFor(agents);
    const c = connectMesos({ master: m.url, agentTimeoutMs: 400, retryBackoffMs: 10 });
    clients.push(c);
    const snap = await c.snapshot({ agentDetails: true });

    const byId = new Map(snap.agents.map((a) => [a.id, a]));
    for (const id of ['S0', 'S1', 'S2']) {
      const a = byId.get(id)!;
      expect(a.detail).toMatchObject({ reachable: true, flags: { executor_shutdown_grace_period: '5secs' } });
      expect(a.k8smExecutors).toHaveLength(1);
      expect(a.k8smExecutors[0]!.container).toBe(`container-of-${id}`);
      expect(a.k8smExecutors[0]!.directory).toBe(`/var/lib/mesos/slaves/${id}/runs/container-of-${id}`);
    }
    expect(byId.get('S3')!.detail).toEqual({ reachable: false, error: 'timed out after 400ms' });
    expect(byId.get('S4')!.detail).toEqual({ reachable: false, error: 'connection refused' });
    expect(byId.get('S5')!.detail).toBeUndefined(); // inactive agents are not asked by default
    expect(snap.warnings).toEqual(['agent host-S3 (S3) did not answer: timed out after 400ms', 'agent host-S4 (S4) did not answer: connection refused']);
    // 1 master + 3 live + 1 hanging (a timeout is not retried) + 2 for the dead one (one retry after "refused").
    expect(c.requestCount).toBe(7);
    expect(hanging.requests.map((r) => r.path)).toEqual(['/slave(1)/state']);
    for (const l of live) expect(l.server.requests.map((r) => r.path)).toEqual(['/slave(1)/state']);
  });

  it('respects the concurrency bound', async () => {
    const shared = await agentServer('X', 40);
    const agents: FakeAgent[] = Array.from({ length: 30 }, (_, i) => ({ id: `S${i}`, hostname: `h${i}`, hostPort: shared.agent.hostPort }));
    const m = await masterFor(agents);
    const c = connectMesos({ master: m.url, agentConcurrency: 4 });
    clients.push(c);
    let progress = 0;
    const snap = await c.snapshot({ agentDetails: 'state', onAgentProgress: (done, total) => (progress = done / total) });
    expect(progress).toBe(1);
    expect(shared.server.requests).toHaveLength(30);
    expect(shared.server.maxConcurrent).toBe(4);
    expect(snap.agents.every((a) => a.detail?.reachable)).toBe(true);
    expect(c.requestCount).toBe(31);
  });

  it("'flags' asks only /slave(1)/flags; agentFilter picks the agents", async () => {
    const a = await agentServer('S0');
    const b = await agentServer('S1');
    const m = await masterFor([a.agent, b.agent]);
    const c = connectMesos({ master: m.url });
    clients.push(c);
    const snap = await c.snapshot({ agentDetails: 'flags', agentFilter: (x) => x.id === 'S1' });
    expect(a.server.requests).toEqual([]);
    expect(b.server.requests.map((r) => r.path)).toEqual(['/slave(1)/flags']);
    expect(snap.agents.find((x) => x.id === 'S1')!.detail).toEqual({ reachable: true, flags: { executor_shutdown_grace_period: '5secs' } });
  });

  it('an agent answering garbage or 500 is reported, not fatal', async () => {
    const garbage = await server((_req, res) => sendJson(res, 200, 'not json'));
    const failing = await server((_req, res) => sendJson(res, 500, 'boom'));
    const agents: FakeAgent[] = [
      { id: 'G', hostname: 'g', hostPort: garbage.hostPort },
      { id: 'F', hostname: 'f', hostPort: failing.hostPort },
    ];
    const m = await masterFor(agents);
    const c = connectMesos({ master: m.url, retryBackoffMs: 5 });
    clients.push(c);
    const snap = await c.snapshot({ agentDetails: true });
    expect(snap.agents.find((a) => a.id === 'G')!.detail!.error).toMatch(/^returned invalid JSON for \/slave\(1\)\/state: Unexpected token/);
    expect(snap.agents.find((a) => a.id === 'F')!.detail).toEqual({ reachable: false, error: 'answered 500 Internal Server Error for /slave(1)/state' });
    expect(failing.requests).toHaveLength(2);
  });

  it('agentState/agentFlags for one agent throw a clear error', async () => {
    const a = await agentServer('S0');
    const m = await masterFor([a.agent]);
    const c = connectMesos({ master: m.url, retryBackoffMs: 5 });
    clients.push(c);
    const ref = { id: 'S0', hostname: 'host-S0', pid: `slave(1)@${a.agent.hostPort}` };
    expect((await c.agentState(ref)).executors![0]!.container).toBe('container-of-S0');
    expect(await c.agentFlags(ref)).toEqual({ executor_shutdown_grace_period: '5secs' });
    const dead = await deadPort();
    await expect(c.agentState({ id: 'D', hostname: 'gone', pid: `slave(1)@127.0.0.1:${dead}` })).rejects.toThrow(
      `cannot reach agent gone at http://127.0.0.1:${dead}: connection refused`,
    );
  });
});
