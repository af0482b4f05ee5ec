/**
 * The scheduler's first pod list, asked from the apiserver's watch cache (`resourceVersion=0`, as
 * informers list) and read as it arrives: items handed over while the answer still comes, pages
 * followed by `continue` (without a resourceVersion, which the apiserver refuses beside it), and a
 * cut or broken answer reported as one clear error, never taken as a shorter list.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKube, type KubeClient } from '../../../src/clients/kube/kube-client.js';
import { apiserverPort, type Json } from '../../../src/scheduler/kube.js';

let server: Server;
let dir: string;
let kube: KubeClient;
const seen: URLSearchParams[] = [];
let answer: (q: URLSearchParams, res: ServerResponse) => void = () => undefined;

const pod = (i: number) => ({
  metadata: { name: `p-${i}`, namespace: 'default', annotations: { note: `a "quoted" } ] value ${i}` } },
  spec: { containers: [{ name: 'c' }] },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-list-stream-'));
  server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    seen.push(q);
    answer(q, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const file = join(dir, 'kc.yaml');
  const { port } = server.address() as AddressInfo;
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${port}"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
  );
  kube = await loadKube({ kubeconfig: file, env: { HOME: '/nonexistent' } });
});
afterAll(async () => {
  kube?.close();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => (seen.length = 0));

/** Writes `text` in pieces of `size` bytes, waiting for `gate()` between pieces. */
async function writeSlowly(res: ServerResponse, text: string, size: number, gate: () => Promise<void>): Promise<void> {
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += size) {
    res.write(buf.subarray(i, i + size));
    await gate();
  }
}

it('asks the watch cache, hands the items over while the answer still comes, and follows continue without a resourceVersion', async () => {
  const first = JSON.stringify({
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '100', continue: 'next-page' },
    items: Array.from({ length: 300 }, (_, i) => pod(i)),
  });
  let handed = 0;
  let handedBeforeEnd = 0;
  answer = (q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (q.get('continue') === 'next-page') {
      res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '101' }, items: [pod(300)] }));
      return;
    }
    void writeSlowly(res, first, 4096, () => new Promise((r) => setTimeout(r, 2))).then(() => {
      handedBeforeEnd = handed;
      res.end();
    });
  };
  const port = apiserverPort(kube, { schedulerName: 'k8sm' });
  const names: string[] = [];
  const rv = await port.listPods(
    (page) => {
      handed += page.length;
      for (const p of page) names.push(String((p.metadata as Json).name));
    },
    { fromCache: true },
  );
  expect(names).toEqual(Array.from({ length: 301 }, (_, i) => `p-${i}`));
  expect(rv).toBe('101');
  expect(handedBeforeEnd).toBeGreaterThan(0); // items taken in before the answer's last byte
  expect(seen[0]!.get('resourceVersion')).toBe('0');
  expect(seen[0]!.get('fieldSelector')).toBe('spec.schedulerName=k8sm');
  expect(seen[1]!.get('continue')).toBe('next-page');
  expect(seen[1]!.has('resourceVersion')).toBe(false);
});

it('a relist is a consistent read (no resourceVersion)', async () => {
  answer = (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: [pod(1)] }));
  };
  const got: Json[] = [];
  expect(await apiserverPort(kube).listPods((p) => got.push(...p))).toBe('7');
  expect(got).toHaveLength(1);
  expect(seen[0]!.has('resourceVersion')).toBe(false);
});

it('an answer cut short is an error that names the apiserver, not a shorter list', async () => {
  answer = (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a"}},{"metadata":{"na');
  };
  await expect(apiserverPort(kube).listPods(() => undefined, { fromCache: true })).rejects.toMatchObject({
    service: 'kube-apiserver',
    message: expect.stringMatching(/truncated/),
  });
});

it('an answer that is not a list of objects is an error, and a refusal keeps its status', async () => {
  answer = (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"kind":"PodList","metadata":{},"items":["a"]}');
  };
  await expect(apiserverPort(kube).listPods(() => undefined, { fromCache: true })).rejects.toMatchObject({ service: 'kube-apiserver' });
  answer = (_q, res) => {
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ kind: 'Status', status: 'Failure', message: 'pods is forbidden: User "x" cannot list resource "pods"', reason: 'Forbidden', code: 403 }),
    );
  };
  await expect(apiserverPort(kube).listPods(() => undefined, { fromCache: true })).rejects.toMatchObject({ status: 403, kind: 'forbidden' });
});

it('a list stops when its signal is aborted (a scheduler told to stop does not wait for the rest of a long list)', async () => {
  let timer: NodeJS.Timeout | undefined;
  answer = (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"kind":"PodList","metadata":{"resourceVersion":"5"},"items":[');
    let i = 0;
    timer = setInterval(() => res.write(`${i++ ? ',' : ''}${JSON.stringify(pod(i))}`), 5);
  };
  const ctl = new AbortController();
  let got = 0;
  const listing = apiserverPort(kube).listPods(
    (p) => {
      got += p.length;
      if (got >= 3) ctl.abort();
    },
    { fromCache: true, signal: ctl.signal },
  );
  await expect(listing).rejects.toMatchObject({ kind: 'aborted' });
  clearInterval(timer);
  expect(got).toBeGreaterThanOrEqual(3);
});
