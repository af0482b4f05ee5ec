/** `MesosClient.masterVersion` (k8smctl version) against small local masters. */
import { readFileSync } from 'node:fs';
import { connectMesos, type MesosClient } from '../../../src/clients/mesos/mesos-client.js';
import { ClientError } from '../../../src/clients/errors.js';
import { sendJson, startFakeServer, type FakeServer } from './fake-server.js';
import { masterStateJson } from './state-json.js';

const servers: FakeServer[] = [];
const clients: MesosClient[] = [];
async function master(routes: Record<string, unknown>): Promise<FakeServer> {
  const s = await startFakeServer((req, res) => {
    const path = req.url ?? '';
    if (path in routes) sendJson(res, 200, typeof routes[path] === 'function' ? (routes[path] as (s: FakeServer) => unknown)(s) : routes[path]);
    else sendJson(res, 404, '');
  });
  servers.push(s);
  return s;
}
function connect(url: string): MesosClient {
  const c = connectMesos({ master: url, retryBackoffMs: 10, requestTimeoutMs: 2000 });
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const VERSION = {
  build_date: '2020-11-24 06:24:52',
  build_time: 1606199092,
  build_user: '',
  git_sha: 'f2d6c0ba3e44b1fc4d0cc1b1d77aeb1b02bfb8f3',
  git_tag: '1.11.0',
  version: '1.11.0',
};

test('reads /version: one request, the build fields (an empty build_user left out)', async () => {
  const s = await master({ '/version': VERSION });
  const v = await connect(s.url).masterVersion();
  expect(v).toEqual({
    info: { version: '1.11.0', gitSha: VERSION.git_sha, gitTag: '1.11.0', buildDate: '2020-11-24 06:24:52' },
    endpoint: '/version',
    masterUrl: s.url,
  });
  expect(s.requests.map((r) => r.path)).toEqual(['/version']);
});

test('a master without /version: the version from /state, then from /state.json (Mesos before 1.7)', async () => {
  const withState = await master({ '/state': (s: FakeServer) => masterStateJson(s.hostPort, []) });
  expect((await connect(withState.url).masterVersion()).info).toEqual({ version: '1.11.0' });
  expect(withState.requests.map((r) => r.path)).toEqual(['/version', '/state']);

  // A real 1.5 master's /state (DC/OS fixture): git_sha and build_date, empty build_user.
  const real = JSON.parse(
    readFileSync(new URL('../../../../shared/corpus/mesos-state/dcos__dcos-go__dcos_nodeutil_fixture_state.json', import.meta.url), 'utf8'),
  ) as unknown;
  const legacy = await master({ '/state.json': real });
  const v = await connect(legacy.url).masterVersion();
  expect(v.info).toEqual({ version: '1.5.0', gitSha: '09df58e9a83dbebf1ae8b32c28cb450294d92612', buildDate: '2017-10-10 20:35:00' });
  expect(v.endpoint).toBe('/state.json');
  expect(legacy.requests.map((r) => r.path)).toEqual(['/version', '/state', '/state.json']);
});

test('an answer without a version is a protocol error naming the endpoint', async () => {
  const s = await master({ '/version': { git_sha: 'x' } });
  const e = await connect(s.url)
    .masterVersion()
    .catch((err: unknown) => err);
  expect(e).toBeInstanceOf(ClientError);
  expect((e as ClientError).kind).toBe('protocol');
  expect((e as ClientError).message).toBe(`unexpected JSON in /version of master ${s.url}: version is missing`);
});
