/**
 * An apiserver served over plain http (the insecure port k8sm clusters often used, e.g. http://127.0.0.1:8080):
 * kubectl talks to it; so must k8smctl, instead of a misleading "cannot use the credentials" refusal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKube } from '../../../src/clients/kube/kube-client.js';

let server: Server;
let dir: string;
const seen: { url: string; auth: string | undefined; port: number | undefined }[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-plain-http-'));
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization, port: req.socket.remotePort });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'web', namespace: 'default' } }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfig(user: string): string {
  const { port } = server.address() as AddressInfo;
  const file = join(dir, `kc-${seen.length}-${Math.random()}.yaml`);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: plain',
      `  cluster: {server: "http://127.0.0.1:${port}"}`,
      'users:',
      `- name: u`,
      `  user: ${user}`,
      'contexts:',
      '- name: x',
      '  context: {cluster: plain, user: u}',
      'current-context: x',
      '',
    ].join('\n'),
  );
  return file;
}

it('lists pods from an http:// apiserver without credentials', async () => {
  const kube = await loadKube({ kubeconfig: kubeconfig('{}'), env: { HOME: '/nonexistent' } });
  const pods = await kube.listPods();
  expect(pods.map((p) => p.metadata?.name)).toEqual(['web']);
});

it('sends the token to an http:// apiserver, as kubectl does', async () => {
  const kube = await loadKube({ kubeconfig: kubeconfig('{token: t0ken}'), env: { HOME: '/nonexistent' } });
  await kube.listPods();
  expect(seen.at(-1)?.auth).toBe('Bearer t0ken');
});

it('keeps its connection to an http:// apiserver alive across requests', async () => {
  const kube = await loadKube({ kubeconfig: kubeconfig('{}'), env: { HOME: '/nonexistent' } });
  const from = seen.length;
  for (let i = 0; i < 10; i++) await kube.listPods();
  expect(new Set(seen.slice(from).map((s) => s.port)).size).toBe(1);
  kube.close();
});
