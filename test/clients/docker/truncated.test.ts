/**
 * An engine (or a proxy in front of it) that sends the headers and part of the body, then closes:
 * the call fails at once as `truncated` ("connection closed before the response was complete", as
 * the other clients word it), not after the deadline as an engine that never answered.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { DockerEngine } from '../../../src/clients/docker/docker-client.js';
import { ClientError } from '../../../src/clients/errors.js';
import { parseEngineUrl } from '../../../src/core/orphans/endpoints.js';

const LIST = JSON.stringify([{ Id: 'a'.repeat(64), Names: ['/k8s_app_web_default_uid_0'], Labels: {}, State: 'running', Created: 1 }]);

/** What the server does with the next request: cut the body in half, or answer it whole. */
let mode: 'cut' | 'whole' = 'cut';
let server: Server;
beforeAll(async () => {
  server = createServer((s) => {
    let head = '';
    let answered = false;
    s.on('data', (d: Buffer) => {
      head += d.toString('latin1');
      if (answered || !head.includes('\r\n\r\n')) return;
      answered = true;
      const headers = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${LIST.length}\r\n${mode === 'whole' ? 'Connection: close\r\n' : ''}\r\n`;
      if (mode === 'whole') s.end(headers + LIST);
      else {
        s.write(headers + LIST.slice(0, LIST.length / 2));
        setTimeout(() => s.destroy(), 50);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function engine(): Promise<DockerEngine> {
  const { port } = server.address() as AddressInfo;
  return DockerEngine.connect({ endpoint: parseEngineUrl(`tcp://127.0.0.1:${port}`, 'template'), timeoutMs: 20_000 });
}

test('half a body, then the connection closes: a truncated error at once, not a timeout', async () => {
  mode = 'cut';
  const e = await engine();
  const started = Date.now();
  const err = await e.listKubeletContainers().then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(Date.now() - started).toBeLessThan(2000);
  expect(err).toBeInstanceOf(ClientError);
  expect(err).toMatchObject({ kind: 'truncated', service: 'docker-engine' });
  expect((err as ClientError).message).toMatch(
    /^Docker engine tcp:\/\/127\.0\.0\.1:\d+: listing containers: connection closed before the response was complete$/,
  );
  // An inspect cut short is the same (404 stays "gone", anything else a failure).
  await expect(e.inspect('a'.repeat(64))).rejects.toMatchObject({ kind: 'truncated' });
});

test('a whole answer on a connection the engine then closes is read as usual', async () => {
  mode = 'whole';
  const e = await engine();
  expect((await e.listKubeletContainers()).map((c) => c.name)).toEqual(['k8s_app_web_default_uid_0']);
  expect((await e.listKubeletContainers()).length).toBe(1);
});
