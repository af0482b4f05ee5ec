/** Fault injection (every kind, targeting, `times`), HTTP basic auth, and HTTPS with a self-signed certificate made by openssl. */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMesosSimulator, type MesosSimulator } from '../../test/stack/mesos-sim/index.js';
import { api, getJson, raw } from './helpers/http-client.js';
import * as ref from './helpers/reference-shapes.js';
import { check } from './helpers/shape.js';

describe('faults', () => {
  let sim: MesosSimulator;
  beforeAll(async () => {
    sim = await startMesosSimulator({
      masters: 2,
      agents: [
        { hostname: 'a1', ip: '127.0.3.1', resources: { cpus: 1, mem: 256 } },
        { hostname: 'a2', ip: '127.0.3.2', resources: { cpus: 1, mem: 256 } },
      ],
    });
  }, 30000);
  afterAll(async () => {
    await sim?.close();
  });
  const leader = () => sim.masters[0]!.url;

  test('slow: the answer comes after the delay; times: 1 slows only the first request', async () => {
    // Fake timers hold the simulator's delay; real I/O still runs (setImmediate stays real).
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate'] });
    try {
      sim.clearRequestLog();
      sim.fault({ kind: 'slow', delayMs: 400, endpoint: '/master/state', times: 1 });
      let answered = false;
      const slow = raw(leader() + '/master/state').finally(() => (answered = true));
      while (jest.getTimerCount() === 0) await new Promise((r) => setImmediate(r)); // the delay has started
      // The fault is used up: the next request is answered while the first still waits.
      expect((await raw(leader() + '/master/state')).status).toBe(200);
      jest.advanceTimersByTime(399);
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(answered).toBe(false);
      jest.advanceTimersByTime(1);
      expect((await slow).status).toBe(200);
      expect(sim.requestLog().map((e) => [e.path, e.status, e.fault])).toEqual([
        ['/master/state', 200, 'slow'],
        ['/master/state', 200, undefined],
      ]);
    } finally {
      jest.useRealTimers();
    }
  });

  test.each([500, 502, 503] as const)('status %i', async (status) => {
    sim.fault({ kind: 'status', status, times: 1 });
    const res = await raw(leader() + '/state');
    expect(res.status).toBe(status);
    expect((await raw(leader() + '/state')).status).toBe(200);
  });

  test('truncate: a prefix of the JSON, then the end of the response', async () => {
    const full = (await raw(leader() + '/state')).body;
    sim.fault({ kind: 'truncate', endpoint: '/state', times: 1 });
    const res = await raw(leader() + '/state');
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(0);
    expect(res.body.length).toBeLessThan(full.length);
    expect(res.body.startsWith('{"version":')).toBe(true);
    expect(() => JSON.parse(res.body)).toThrow();
  });

  test('garbage: 200 with a body that is not JSON', async () => {
    sim.fault({ kind: 'garbage', times: 1 });
    const res = await raw(leader() + '/master/slaves');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(() => JSON.parse(res.body)).toThrow();
  });

  test('hang: accepted and never answered', async () => {
    sim.fault({ kind: 'hang', endpoint: '/master/frameworks', times: 1 });
    await expect(raw(leader() + '/master/frameworks', { timeoutMs: 700 })).rejects.toThrow(/timeout/);
    expect((await raw(leader() + '/master/frameworks')).status).toBe(200);
  });

  test('drop: the socket is destroyed', async () => {
    sim.fault({ kind: 'drop', times: 1 });
    await expect(raw(leader() + '/state')).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  test('targeting by master, agent (ID or hostname) and RegExp endpoint; clearFaults', async () => {
    sim.fault({ kind: 'status', status: 503, master: 1 });
    expect((await raw(sim.masters[1]!.url + '/state')).status).toBe(503);
    expect((await raw(leader() + '/state')).status).toBe(200);
    sim.fault({ kind: 'status', status: 500, agent: 'a2', endpoint: /^\/(slave\(1\)\/)?state$/ });
    expect((await raw(sim.agents[1]!.url + '/slave(1)/state')).status).toBe(500);
    expect((await raw(sim.agents[1]!.url + '/flags')).status).toBe(200);
    expect((await raw(sim.agents[0]!.url + '/state')).status).toBe(200);
    sim.fault({ kind: 'drop', agent: sim.agents[0]!.id });
    await expect(raw(sim.agents[0]!.url + '/state')).rejects.toThrow();
    sim.clearFaults();
    expect((await raw(sim.masters[1]!.url + '/health')).status).toBe(200);
    expect((await raw(sim.agents[1]!.url + '/state')).status).toBe(200);
    expect((await raw(sim.agents[0]!.url + '/state')).status).toBe(200);
  });

  test('the request log records faults (status 0 when nothing was sent)', async () => {
    sim.clearRequestLog();
    sim.fault({ kind: 'drop', endpoint: '/flags', times: 1 });
    await raw(leader() + '/flags').catch(() => undefined);
    sim.fault({ kind: 'status', status: 502, endpoint: '/flags', times: 1 });
    await raw(leader() + '/flags');
    await raw(leader() + '/flags');
    expect(sim.requestLog().map((e) => [e.path, e.status, e.fault])).toEqual([
      ['/flags', 0, 'drop'],
      ['/flags', 502, 'status'],
      ['/flags', 200, undefined],
    ]);
  });

  test('close() ends hanging requests', async () => {
    const s2 = await startMesosSimulator({ agents: [] });
    s2.fault({ kind: 'hang' });
    const pending = raw(s2.leaderUrl() + '/state', { timeoutMs: 20000 });
    while (s2.requestLog().length === 0) await new Promise((r) => setImmediate(r)); // the request hangs
    await s2.close();
    // Ended by close() (the connection is cut), not by the client's own 20 s timeout.
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});

describe('HTTP basic auth', () => {
  let sim: MesosSimulator;
  const auth = { principal: 'ops', secret: 's3cret' };
  beforeAll(async () => {
    sim = await startMesosSimulator({ masters: 2, auth, agents: [{ hostname: 'a', ip: '127.0.3.5', resources: { cpus: 1, mem: 128 } }] });
  }, 30000);
  afterAll(async () => {
    await sim?.close();
  });

  test('401 with WWW-Authenticate without or with wrong credentials, on masters and agents', async () => {
    const cases: Array<[string, string]> = [
      [sim.masters[0]!.url + '/master/state', 'mesos-master-readonly'],
      [sim.masters[0]!.url + '/master/slaves', 'mesos-master-readonly'],
      [sim.masters[1]!.url + '/state', 'mesos-master-readonly'],
      [sim.masters[0]!.url + '/version', 'mesos-master-readonly'],
      [sim.agents[0]!.url + '/slave(1)/state', 'mesos-agent-readonly'],
      [sim.agents[0]!.url + '/flags', 'mesos-agent-readonly'],
    ];
    for (const [url, realm] of cases) {
      const none = await raw(url);
      expect([url, none.status, none.headers['www-authenticate']]).toEqual([url, 401, `Basic realm="${realm}"`]);
      expect((await raw(url, { auth: { principal: 'ops', secret: 'nope' } })).status).toBe(401);
    }
    const post = await api(sim.masters[0]!.url + '/api/v1', { type: 'GET_HEALTH' });
    expect([post.status, post.headers['www-authenticate']]).toEqual([401, 'Basic realm="mesos-master-readwrite"']);
    expect((await raw(sim.masters[0]!.url + '/master/teardown', { method: 'POST', body: 'frameworkId=x' })).status).toBe(401);
  });

  test('with the credentials: 200, and the standby still redirects', async () => {
    expect((await raw(sim.masters[0]!.url + '/master/state', { auth })).status).toBe(200);
    const r = await raw(sim.masters[1]!.url + '/master/state', { auth });
    expect(r.status).toBe(307);
    expect((await api(sim.masters[0]!.url + '/api/v1', { type: 'GET_HEALTH' }, { auth })).status).toBe(200);
    expect((await raw(sim.agents[0]!.url + '/state', { auth })).status).toBe(200);
    const st = await getJson(sim.masters[0]!.url + '/state', { auth });
    expect(st.flags.authenticate_http_readonly).toBe('true');
  });

  test('as in Mesos, /redirect and /health need no credentials', async () => {
    expect((await raw(sim.masters[1]!.url + '/master/redirect')).status).toBe(307);
    expect((await raw(sim.masters[0]!.url + '/redirect')).status).toBe(307);
    expect((await raw(sim.masters[0]!.url + '/health')).status).toBe(200);
    expect((await raw(sim.agents[0]!.url + '/slave(1)/health')).status).toBe(200);
  });
});

describe('TLS', () => {
  let dir: string;
  let sim: MesosSimulator;
  let ca: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mesos-sim-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=mesos-sim',
        '-addext',
        'subjectAltName=IP:127.0.0.1,IP:127.0.3.9,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    sim = await startMesosSimulator({
      masters: 2,
      tls: { cert: ca, key: readFileSync(join(dir, 'key.pem'), 'utf8') },
      agents: [{ hostname: 'a', ip: '127.0.3.9', resources: { cpus: 1, mem: 128 } }],
    });
  }, 30000);
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('masters and agents serve HTTPS; the certificate verifies with its CA', async () => {
    expect(sim.masters[0]!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const st = await getJson(sim.masters[0]!.url + '/master/state', { ca });
    expect(check(st, ref.MASTER_STATE)).toEqual([]);
    expect(sim.agents[0]!.url).toMatch(/^https:/);
    expect((await getJson(sim.agents[0]!.url + '/state', { ca })).hostname).toBe('a');
  });

  test('without the CA the client refuses; plain HTTP is not spoken', async () => {
    await expect(raw(sim.masters[0]!.url + '/state')).rejects.toThrow(/self[- ]signed|certificate/i);
    await expect(raw(sim.masters[0]!.url.replace('https:', 'http:') + '/state', { timeoutMs: 2000 })).rejects.toThrow();
  });

  test('the protocol-relative redirect keeps the scheme with the client', async () => {
    const r = await raw(sim.masters[1]!.url + '/master/state', { ca });
    expect(r.status).toBe(307);
    const location = r.headers.location as string;
    expect(location.startsWith('//127.0.0.1:')).toBe(true);
    expect((await raw(`https:${location}`, { ca })).status).toBe(200);
  });
});
