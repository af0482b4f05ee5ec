import { connectMesos, type MesosClient } from '../../../src/clients/mesos/mesos-client.js';
import { ClientError } from '../../../src/clients/errors.js';
import { describeFailure, oneLine } from '../../../src/lib/outcomes.js';
import { deadPort, redirectTo, sendJson, startFakeServer, type FakeServer } from './fake-server.js';
import { masterStateJson } from './state-json.js';

const servers: FakeServer[] = [];
const clients: MesosClient[] = [];
async function server(...args: Parameters<typeof startFakeServer>): Promise<FakeServer> {
  const s = await startFakeServer(...args);
  servers.push(s);
  return s;
}
async function connect(master: string, extra: Partial<Parameters<typeof connectMesos>[0]> = {}): Promise<MesosClient> {
  const c = connectMesos({ master, retryBackoffMs: 10, requestTimeoutMs: 2000, ...extra });
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A leading master serving /state (and /state.json when `legacy`). */
async function leader(opts: { legacy?: boolean } = {}): Promise<FakeServer> {
  const s = await server((req, res) => {
    const path = req.url ?? '';
    if ((!opts.legacy && path === '/state') || (opts.legacy && path === '/state.json')) {
      sendJson(res, 200, masterStateJson(s.hostPort, []));
    } else sendJson(res, 404, '');
  });
  return s;
}

/** A standby: 307 to `target` with a protocol-relative Location, like Mesos. */
async function standby(target: () => string): Promise<FakeServer> {
  return server((req, res) => redirectTo(res, target(), req.url ?? '/'));
}

async function errorOf(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ClientError);
    return e as ClientError;
  }
  throw new Error('expected an error');
}

describe('finding the leading master', () => {
  it('plain URL: one request for a snapshot', async () => {
    const m = await leader();
    const c = await connect(m.url);
    const snap = await c.snapshot();
    expect(snap.master).toMatchObject({ url: m.url, pid: `master@${m.hostPort}`, version: '1.11.0' });
    expect(c.requestCount).toBe(1);
    expect(c.leaderUrl).toBe(m.url);
    expect(m.requests.map((r) => r.path)).toEqual(['/state']);
  });

  it('bare host:port means http', async () => {
    const m = await leader();
    const c = await connect(m.hostPort);
    expect((await c.snapshot()).master.url).toBe(m.url);
  });

  it("comma list: skips a dead master, follows a standby's protocol-relative 307, then goes straight to the leader", async () => {
    const m = await leader();
    const sb = await standby(() => m.hostPort);
    const dead = await deadPort();
    const c = await connect(`127.0.0.1:${dead},${sb.url},${m.url}`);
    const snap = await c.snapshot();
    expect(snap.master.url).toBe(m.url);
    expect(c.leaderUrl).toBe(m.url);
    expect(c.requestCount).toBe(3); // dead + standby + leader
    await c.snapshot();
    expect(c.requestCount).toBe(4); // straight to the leader
    expect(sb.requests).toHaveLength(1);
  });

  it('redirect loop: a clear error naming the hops', async () => {
    const late: { b?: FakeServer } = {};
    const a = await standby(() => late.b!.hostPort);
    const b = (late.b = await standby(() => a.hostPort));
    const c = await connect(a.url);
    const err = await errorOf(c.snapshot());
    expect(err).toMatchObject({ kind: 'protocol', reason: 'redirect-loop', service: 'mesos-master', retryable: false });
    expect(describeFailure(err).exitCode).toBe(2);
    expect(err.message).toBe(`cannot get /state from Mesos master ${a.url}: redirects in a loop: ${a.url} -> ${b.url} -> ${a.url}`);
    expect(oneLine(err)).toMatch(/; the masters disagree about the leader/);
  });

  it('redirect chain longer than the hop limit', async () => {
    const m = await leader();
    let next = m.hostPort;
    const chain: FakeServer[] = [];
    for (let i = 0; i < 4; i++) {
      const target = next;
      const s = await standby(() => target);
      chain.push(s);
      next = s.hostPort;
    }
    const c = await connect(chain[3]!.url, { maxRedirects: 2 });
    const err = await errorOf(c.snapshot());
    expect(err.message).toMatch(/^cannot get \/state from Mesos master http:\/\/127\.0\.0\.1:\d+: more than 2 redirects: /);
    expect(err.reason).toBe('too-many-redirects');
    const ok = await connect(chain[3]!.url, { maxRedirects: 4 });
    expect((await ok.snapshot()).master.url).toBe(m.url);
  });

  it('503 from every master: "no leading Mesos master", after bounded retries', async () => {
    const a = await server((_req, res) => sendJson(res, 503, 'No leader elected'));
    const b = await server((_req, res) => sendJson(res, 503, ''));
    const c = await connect(`${a.url},${b.url}`, { retries: 2 });
    const err = await errorOf(c.snapshot());
    expect(err.message).toBe(
      `no leading Mesos master (after 3 attempts): ${a.url}: 503 Service Unavailable, no leader elected; ${b.url}: 503 Service Unavailable, no leader elected`,
    );
    expect(err).toMatchObject({ kind: 'no-leader', retryable: true, details: { masters: [a.url, b.url] } });
    expect(describeFailure(err).exitCode).toBe(2);
    expect(a.requests).toHaveLength(3);
  });

  it('an election that ends during the retries succeeds', async () => {
    let calls = 0;
    const m = await server((_req, res) => {
      calls++;
      if (calls < 3) sendJson(res, 503, '');
      else sendJson(res, 200, masterStateJson('127.0.0.1:1', []));
    });
    const c = await connect(m.url);
    await c.snapshot();
    expect(calls).toBe(3);
  });

  it('leader change between requests: the old leader now redirects, or is gone', async () => {
    const b = await leader();
    let aLeads = true;
    const a = await server((req, res) => {
      if (aLeads) sendJson(res, 200, masterStateJson('127.0.0.1:1', []));
      else redirectTo(res, b.hostPort, req.url ?? '/');
    });
    const c = await connect(`${a.url},${b.url}`);
    await c.snapshot();
    expect(c.leaderUrl).toBe(a.url);
    aLeads = false;
    await c.snapshot();
    expect(c.leaderUrl).toBe(b.url);

    // Now b dies and a leads again: the client walks the list again.
    await b.close();
    aLeads = true;
    const snap = await c.snapshot();
    expect(snap.master.url).toBe(a.url);
    expect(c.leaderUrl).toBe(a.url);
  });

  it('falls back from /state to /state.json (Mesos before 1.7) and remembers it', async () => {
    const m = await leader({ legacy: true });
    const c = await connect(m.url);
    await c.snapshot();
    await c.snapshot();
    expect(m.requests.map((r) => r.path)).toEqual(['/state', '/state.json', '/state.json']);
  });

  it('not a Mesos master: 404 for both', async () => {
    const m = await server((_req, res) => sendJson(res, 404, 'nope'));
    const c = await connect(m.url);
    const err = await errorOf(c.snapshot());
    expect(err.message).toBe(`Mesos master ${m.url} has neither /state nor /state.json (404 Not Found)`);
    expect(oneLine(err)).toMatch(/; is --mesos-master a Mesos master\?$/);
  });

  it('dead master: connection refused, retried, one line', async () => {
    const port = await deadPort();
    const c = await connect(`127.0.0.1:${port}`, { retries: 1 });
    const err = await errorOf(c.snapshot());
    expect(err.message).toBe(`cannot get /state from Mesos master http://127.0.0.1:${port} (after 2 attempts): connection refused`);
    expect(err).toMatchObject({ kind: 'unreachable', reason: 'refused', retryable: true });
    expect(oneLine(err)).toMatch(/; check --mesos-master \(or \$MESOS_MASTER\) and that the masters are running$/);
    expect(c.requestCount).toBe(2);
  });

  it('slow master past the timeout: a clear error, and the timeout is not retried', async () => {
    const m = await server(() => undefined); // never answers
    const c = await connect(m.url, { requestTimeoutMs: 300, retries: 2 });
    const err = await errorOf(c.snapshot());
    expect(err.message).toBe(`cannot get /state from Mesos master ${m.url}: timed out after 300ms`);
    expect(err).toMatchObject({ kind: 'timeout', reason: 'deadline' });
    expect(oneLine(err)).toMatch(/; the master is slow or unreachable; check it, or raise --request-timeout$/);
    // Timeouts are not retried (retries: 2 would make three): one request, so one timeout to wait.
    expect(m.requests.map((r) => r.path)).toEqual(['/state']);
    expect(c.requestCount).toBe(1);
  });

  it('a master that trickles its body is cut at the deadline too', async () => {
    const m = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"slaves": [');
      const t = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(t));
    });
    const c = await connect(m.url, { requestTimeoutMs: 400 });
    expect((await errorOf(c.snapshot())).message).toMatch(/timed out after 400ms$/);
  });

  it('garbage and truncated JSON: one line naming the master and the endpoint', async () => {
    const g = await server((_req, res) => sendJson(res, 200, '<html>proxy error</html>'));
    const c = await connect(g.url);
    const err = await errorOf(c.snapshot());
    expect(err.message).toMatch(new RegExp(`^master ${g.url} returned invalid JSON for /state: Unexpected token`));
    expect(err.message).not.toContain('\n');
    expect(err).toMatchObject({ kind: 'protocol', reason: 'invalid-json' });
    expect(describeFailure(err).exitCode).toBe(2);

    const t = await server((_req, res) => sendJson(res, 200, '{"slaves": [{"id": "S0", "hostn'));
    const c2 = await connect(t.url);
    expect((await errorOf(c2.snapshot())).message).toMatch(
      new RegExp(`^master ${t.url} returned invalid JSON for /state: (Unexpected end of JSON input|Unterminated string in JSON)`),
    );

    const e = await server((_req, res) => sendJson(res, 200, ''));
    const c3 = await connect(e.url);
    expect((await errorOf(c3.snapshot())).message).toBe(`master ${e.url} returned invalid JSON for /state: empty body`);
  });

  it('connection dropped mid-body: retried, then a clear error', async () => {
    const m = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 1000 });
      res.write('{"slaves": [');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const c = await connect(m.url, { retries: 1 });
    const err = await errorOf(c.snapshot());
    expect(err.message).toBe(`cannot get /state from Mesos master ${m.url} (after 2 attempts): connection closed before the response was complete`);
    expect(err).toMatchObject({ kind: 'truncated', retryable: true });
    expect(m.requests).toHaveLength(2);
  });

  it('5xx is retried with backoff; 4xx is not', async () => {
    let n = 0;
    const flaky = await server((_req, res) => {
      n++;
      if (n <= 2) sendJson(res, 500, 'oops');
      else sendJson(res, 200, masterStateJson('127.0.0.1:1', []));
    });
    const c = await connect(flaky.url, { retries: 2 });
    await c.snapshot();
    expect(flaky.requests).toHaveLength(3);

    const always = await server((_req, res) => sendJson(res, 502, 'bad gateway'));
    const c2 = await connect(always.url, { retries: 2 });
    const e502 = await errorOf(c2.snapshot());
    expect(e502.message).toBe(`cannot get /state from Mesos master ${always.url} (after 3 attempts): answered 502 Bad Gateway`);
    expect(e502).toMatchObject({ kind: 'server', details: { attempts: 3 } }); // the hint does not say "retry" again

    const bad = await server((_req, res) => sendJson(res, 400, 'Bad request: nope'));
    const c3 = await connect(bad.url);
    const e400 = await errorOf(c3.snapshot());
    expect(e400.message).toBe(`Mesos master ${bad.url} answered 400 Bad Request for /state: Bad request: nope`);
    expect(e400).toMatchObject({ kind: 'rejected', status: 400 });
    expect(bad.requests).toHaveLength(1);
  });

  it('caps the response size', async () => {
    const big = await server((_req, res) => sendJson(res, 200, { pad: 'x'.repeat(10_000) }));
    const c = await connect(big.url, { maxResponseBytes: 1000, retries: 0 });
    expect((await errorOf(c.snapshot())).message).toBe(`cannot get /state from Mesos master ${big.url}: response larger than 1000 bytes`);
  });

  it('wrong JSON shape: names the endpoint, the master and the field', async () => {
    const m = await server((_req, res) => sendJson(res, 200, { slaves: [{ id: 'S0', resources: { cpus: 'four' } }] }));
    const c = await connect(m.url);
    const err = await errorOf(c.snapshot());
    expect(err.message).toBe(`unexpected JSON in /state of master ${m.url}: slaves[0].resources.cpus is a string, expected a number`);
    expect(err).toMatchObject({ kind: 'protocol', reason: 'unexpected-shape' });
  });

  it('rejects bad specs before any request', () => {
    expect(() => connectMesos({ master: '' })).toThrow('no Mesos master given');
    expect(() => connectMesos({ master: 'ftp://x' })).toThrow(/scheme "ftp" is not supported/);
  });
});

describe('operator API source', () => {
  it('GET_STATE gives status messages; POSTs JSON to /api/v1', async () => {
    const m = await server((req, res, body) => {
      if (req.url === '/api/v1' && req.method === 'POST' && JSON.parse(body).type === 'GET_STATE') {
        sendJson(res, 200, {
          type: 'GET_STATE',
          get_state: {
            get_tasks: {
              tasks: [
                {
                  task_id: { value: 'pod.1' },
                  framework_id: { value: 'fw' },
                  agent_id: { value: 'S0' },
                  name: 'p.default.pod',
                  state: 'TASK_FAILED',
                  statuses: [{ state: 'TASK_FAILED', message: 'create-binding-failure', source: 'SOURCE_EXECUTOR' }],
                },
              ],
            },
          },
        });
      } else sendJson(res, 404, '');
    });
    const c = await connect(m.url, { stateSource: 'operator' });
    const snap = await c.snapshot();
    expect(snap.tasks[0]!.statuses[0]).toEqual({ state: 'TASK_FAILED', message: 'create-binding-failure', source: 'SOURCE_EXECUTOR' });
    expect(snap.warnings).toEqual([]);
  });

  it('falls back to /state with a warning when the master has no v1 API', async () => {
    const m = await leader();
    const c = await connect(m.url);
    const snap = await c.snapshot({ source: 'operator' });
    expect(snap.warnings).toEqual([
      `master ${m.url} has no v1 operator API (404 Not Found for /api/v1); used /state instead (task status messages and reasons are not available)`,
    ]);
    expect(m.requests.map((r) => r.path)).toEqual(['/api/v1', '/state']);
  });
});

describe('exact reservations from /master/slaves', () => {
  it('adds one request and takes ports per role from the *_full forms', async () => {
    const m = await server((req, res) => {
      if (req.url === '/state') {
        sendJson(res, 200, {
          slaves: [
            {
              id: 'S0',
              hostname: 'a',
              resources: { cpus: 4, mem: 1024, disk: 0, gpus: 0, ports: '[31000-32000]' },
              reserved_resources: { public: { cpus: 1, mem: 0, disk: 0, gpus: 0, ports: '[31500-32000]' } },
              unreserved_resources: { cpus: 3, mem: 1024, disk: 0, gpus: 0, ports: '[31000-31499]' },
            },
          ],
        });
      } else if (req.url === '/master/slaves') {
        sendJson(res, 200, {
          slaves: [
            {
              id: 'S0',
              hostname: 'a',
              resources: { cpus: 4, mem: 1024, disk: 0, gpus: 0, ports: '[31000-32000]' },
              reserved_resources_full: {
                public: [
                  { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31500, end: 31999 }] }, reservations: [{ type: 'STATIC', role: 'public' }] },
                ],
                'public/web': [
                  {
                    name: 'ports',
                    type: 'RANGES',
                    ranges: { range: [{ begin: 32000, end: 32000 }] },
                    reservations: [{ role: 'public' }, { role: 'public/web' }],
                  },
                ],
              },
              unreserved_resources_full: [{ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31499 }] } }],
              used_resources_full: [],
              offered_resources_full: [],
            },
          ],
        });
      } else sendJson(res, 404, '');
    });
    const c = await connect(m.url);
    const plain = await c.snapshot();
    expect(plain.agents[0]!.portsByRole).toEqual({ '*': [{ begin: 31000, end: 31499 }], public: [{ begin: 31500, end: 32000 }] });
    const exact = await c.snapshot({ exactReservations: true });
    expect(exact.agents[0]!.portsByRole).toEqual({
      '*': [{ begin: 31000, end: 31499 }],
      public: [{ begin: 31500, end: 31999 }],
      'public/web': [{ begin: 32000, end: 32000 }],
    });
    expect(m.requests.map((r) => r.path)).toEqual(['/state', '/state', '/master/slaves']);
  });
});
