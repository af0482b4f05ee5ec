import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { connectMesos, type MesosClient } from '../../../src/clients/mesos/mesos-client.js';
import { describeFailure, oneLine } from '../../../src/lib/outcomes.js';
import { mesosConnectOptions, type MesosFlags } from '../../../src/cmd/shared/mesos.js';
import { makePki } from '../../stack/pki.js';
import type { PkiInfo } from '../../stack/types.js';
import { deadPort, sendJson, startFakeServer, type FakeServer } from './fake-server.js';
import { agentStateJson, masterStateJson, type FakeAgent } from './state-json.js';

const PRINCIPAL = 'ops';
const SECRET = 's3cr3t-Very-Private';
const GOOD = `Basic ${Buffer.from(`${PRINCIPAL}:${SECRET}`).toString('base64')}`;

let dir: string;
let pki: PkiInfo;
let secretFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-mesos-tls-'));
  pki = await makePki(join(dir, 'pki'), []);
  secretFile = join(dir, 'secret');
  writeFileSync(secretFile, `${SECRET}\n`);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const servers: FakeServer[] = [];
const clients: MesosClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function connect(opts: Parameters<typeof connectMesos>[0]): Promise<MesosClient> {
  const c = connectMesos({ retryBackoffMs: 5, ...opts });
  clients.push(c);
  return c;
}

/** A master (and agent, same server) that wants basic auth. */
async function authServer(tls = false): Promise<FakeServer> {
  const agent: FakeAgent = { id: 'S0', hostname: 'agent-0', hostPort: '' };
  const s = await startFakeServer(
    (req, res) => {
      if (req.headers.authorization !== GOOD) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="mesos"' });
        res.end();
        return;
      }
      if (req.url === '/state') sendJson(res, 200, masterStateJson(s.hostPort, [agent]));
      else if (req.url === '/slave(1)/state') sendJson(res, 200, agentStateJson(agent));
      else sendJson(res, 404, '');
    },
    tls ? { certFile: pki.mesosCert, keyFile: pki.mesosKey } : undefined,
  );
  agent.hostPort = s.hostPort;
  servers.push(s);
  return s;
}

/** Everything a user or a log could see of an error. */
function everythingAbout(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  return [oneLine(err), e.stack, inspect(err, { depth: 20, showHidden: true }), JSON.stringify(err), String(e.cause)].join('\n');
}

/** The connection flags as the commands complete them (secret and CA files read there). */
function flags(master: string, more: Partial<MesosFlags> = {}): MesosFlags {
  return { 'mesos-master': master, 'insecure-skip-tls-verify': false, 'request-timeout': '10s', ...more };
}

describe('HTTP basic auth', () => {
  it('sends the principal and the secret from --mesos-secret-file, to the master and the agents', async () => {
    const s = await authServer();
    const c = await connect(await mesosConnectOptions(flags(s.url, { 'mesos-principal': PRINCIPAL, 'mesos-secret-file': secretFile }), {}));
    const snap = await c.snapshot({ agentDetails: true });
    expect(snap.agents[0]!.detail!.reachable).toBe(true);
    expect(s.requests.every((r) => r.authorization === GOOD)).toBe(true);
  });

  it('takes the secret from $MESOS_SECRET', async () => {
    const s = await authServer();
    const c = await connect(await mesosConnectOptions(flags(s.url, { 'mesos-principal': PRINCIPAL }), { MESOS_SECRET: SECRET }));
    await c.snapshot();
    expect(s.requests[0]!.authorization).toBe(GOOD);
  });

  it('401: a clear error that never contains the secret', async () => {
    const s = await authServer();
    const wrong = 'wrong-but-also-secret';
    const debug: string[] = [];
    const c = await connect({ master: s.url, principal: PRINCIPAL, secret: wrong, debug: (l) => debug.push(l) });
    let err: unknown;
    try {
      await c.snapshot();
    } catch (e) {
      err = e;
    }
    expect(oneLine(err)).toBe(
      `Mesos master ${s.url} rejected the credentials of principal "ops" for /state (401 Unauthorized); check --mesos-principal and the secret (--mesos-secret-file or $MESOS_SECRET)`,
    );
    const all = everythingAbout(err) + debug.join('\n');
    expect(all).not.toContain(wrong);
    expect(all).not.toContain(Buffer.from(`${PRINCIPAL}:${wrong}`).toString('base64'));
    expect(s.requests).toHaveLength(1); // 4xx is not retried
    expect(err).toMatchObject({ kind: 'unauthorized', reason: 'credentials-rejected', status: 401 });
    expect(describeFailure(err).exitCode).toBe(1); // refused, not unreachable
  });

  it('401 without credentials says how to give them', async () => {
    const s = await authServer();
    const c = await connect({ master: s.url });
    let err: unknown;
    try {
      await c.snapshot();
    } catch (e) {
      err = e;
    }
    expect(oneLine(err)).toBe(
      `Mesos master ${s.url} requires authentication for /state (401 Unauthorized); pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET)`,
    );
  });

  it('transport errors keep the secret out of message, cause and stack', async () => {
    const port = await deadPort();
    const debug: string[] = [];
    const c = await connect({ master: `127.0.0.1:${port}`, principal: PRINCIPAL, secret: SECRET, retries: 0, debug: (l) => debug.push(l) });
    let err: unknown;
    try {
      await c.snapshot();
    } catch (e) {
      err = e;
    }
    const all = everythingAbout(err) + debug.join('\n');
    expect(all).toContain('connection refused');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(GOOD.slice(6));
    expect(all).not.toMatch(/authorization/i);
  });

  it('usage errors for incomplete credentials', async () => {
    await expect(mesosConnectOptions(flags('m:5050', { 'mesos-principal': PRINCIPAL }), {})).rejects.toThrow('--mesos-principal "ops" needs a secret');
    await expect(mesosConnectOptions(flags('m:5050', { 'mesos-principal': PRINCIPAL, 'mesos-secret-file': join(dir, 'missing') }), {})).rejects.toThrow(
      `cannot read --mesos-secret-file ${join(dir, 'missing')}: no such file`,
    );
    await expect(mesosConnectOptions(flags('m:5050', { 'mesos-secret-file': secretFile }), {})).rejects.toThrow('--mesos-secret-file needs --mesos-principal');
  });
});

describe('TLS', () => {
  it('verifies with --mesos-ca-file, for the master and the agents', async () => {
    const s = await authServer(true);
    const c = await connect(await mesosConnectOptions(flags(s.url, { 'mesos-principal': PRINCIPAL, 'mesos-ca-file': pki.caCert }), { MESOS_SECRET: SECRET }));
    const snap = await c.snapshot({ agentDetails: true });
    expect(snap.master.url).toBe(s.url);
    expect(snap.agents[0]!.detail).toMatchObject({ reachable: true });
  });

  it('without the CA: a verification error that says what to do, not retried', async () => {
    const s = await authServer(true);
    const c = await connect({ master: s.url, principal: PRINCIPAL, secret: SECRET });
    let err: unknown;
    try {
      await c.snapshot();
    } catch (e) {
      err = e;
    }
    expect(oneLine(err)).toMatch(
      new RegExp(
        `^cannot verify the TLS certificate of Mesos master ${s.url.replace(/\./g, '\\.')}: unable to verify the first certificate; pass --mesos-ca-file with the CA that signed it, or --insecure-skip-tls-verify \\(insecure\\)$`,
      ),
    );
    expect(everythingAbout(err)).not.toContain(SECRET);
    expect(s.requests).toHaveLength(0);
  });

  it('--insecure-skip-tls-verify accepts the certificate', async () => {
    const s = await authServer(true);
    const c = await connect({ master: s.url, principal: PRINCIPAL, secret: SECRET, insecureSkipTlsVerify: true });
    await expect(c.snapshot()).resolves.toMatchObject({ master: { url: s.url } });
  });

  it('https:// to a plain http master says so', async () => {
    const s = await authServer(false);
    const c = await connect({ master: s.url.replace('http:', 'https:'), caPem: readFileSync(pki.caCert) });
    await expect(c.snapshot()).rejects.toThrow(`TLS handshake with Mesos master ${s.url.replace('http:', 'https:')} failed: it does not seem to speak https`);
  });

  it('a CA file that is not PEM is a usage error', async () => {
    await expect(mesosConnectOptions(flags('m:5050', { 'mesos-ca-file': secretFile }), {})).rejects.toThrow(
      `--mesos-ca-file ${secretFile} holds no PEM certificate`,
    );
  });
});
