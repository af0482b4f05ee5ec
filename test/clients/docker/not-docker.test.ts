/**
 * An endpoint that answers HTTP 200 but is not a Docker engine (a Mesos agent's port given by mistake,
 * a proxy's HTML page): listing it is one typed error naming the endpoint, never "no containers"
 * (which would let get/delete orphans report a clean agent it never read).
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DockerEngine } from '../../../src/clients/docker/docker-client.js';
import { ClientError } from '../../../src/clients/errors.js';
import { parseEngineUrl } from '../../../src/core/orphans/endpoints.js';

let server: Server;
let body = '';
let type = 'text/html';
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function listError(): Promise<ClientError> {
  const { port } = server.address() as AddressInfo;
  const engine = await DockerEngine.connect({ endpoint: parseEngineUrl(`tcp://127.0.0.1:${port}`, 'template'), timeoutMs: 5000 });
  try {
    await engine.listKubeletContainers();
  } catch (e) {
    expect(e).toBeInstanceOf(ClientError);
    return e as ClientError;
  }
  throw new Error('expected an error');
}

test.each([
  ['an HTML page', 'text/html', '<html>hi</html>'],
  ['a JSON object', 'application/json', '{"version":"1.0.1"}'],
  ['a list of numbers', 'application/json', '[1,2,3]'],
])('%s instead of a container list: a protocol error naming the endpoint', async (_what, t, b) => {
  type = t;
  body = b;
  const e = await listError();
  expect(e.kind).toBe('protocol');
  expect(e.message).toContain(`tcp://127.0.0.1:${(server.address() as AddressInfo).port}`);
  expect(e.message).toMatch(/not a Docker container list/);
});

test('TLS to an engine that speaks plain http: says so in words, not OpenSSL internals', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8smctl-docker-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=x',
    ],
    { stdio: 'ignore' },
  );
  copyFileSync(join(dir, 'cert.pem'), join(dir, 'ca.pem'));
  const { port } = server.address() as AddressInfo;
  const engine = await DockerEngine.connect({
    endpoint: parseEngineUrl(`tcp://127.0.0.1:${port}`, 'template'),
    tls: { verify: true, certPath: dir },
    timeoutMs: 5000,
  });
  const e = (await engine.listKubeletContainers().catch((err: unknown) => err)) as ClientError;
  expect(e).toBeInstanceOf(ClientError);
  rmSync(dir, { recursive: true, force: true });
  expect(e.kind).toBe('tls');
  expect(e.message).toBe(`Docker engine tcp://127.0.0.1:${port}: listing containers: it does not speak TLS (a plain-http engine?)`);
});
