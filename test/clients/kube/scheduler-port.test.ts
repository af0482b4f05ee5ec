/**
 * The scheduler's port over a real kube-apiserver: with its scheduler name, the pod list (paged) and
 * the watch carry that scheduler's pods only; Nodes are created, merged, and listed.
 */
import { join } from 'node:path';
import { loadKube, type KubeClient } from '../../../src/clients/kube/kube-client.js';
import { apiserverPort, type Json } from '../../../src/scheduler/kube.js';
import { contextName, writeKubeconfig } from '../../stack/kube-access.js';
import { startKubeTestServer, type KubeTestServer } from './kube-server.js';

let k: KubeTestServer;
let kube: KubeClient;
beforeAll(async () => {
  k = await startKubeTestServer();
  const file = writeKubeconfig(join(k.dir, 'port.yaml'), k.url, k.pki.caCert, [{ name: 'admin', context: contextName('admin'), token: k.admin.token }]);
  kube = await loadKube({ kubeconfig: file, env: { HOME: '/nonexistent' } });
}, 180_000);
afterAll(async () => {
  kube?.close();
  await k?.stop();
});

const pod = (name: string, schedulerName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team-s' },
  spec: { ...(schedulerName ? { schedulerName } : {}), containers: [{ name: 'c', image: 'busybox:latest' }] },
});
const create = (p: Json) => kube.requestJson('POST', '/api/v1/namespaces/team-s/pods', { body: p, action: { verb: 'create', resource: 'pods' } });
const names = (pods: Json[]) => pods.map((p) => String((p.metadata as Json).name)).sort();

it("lists and watches the pods of its scheduler name only (other schedulers' pods never reach it)", async () => {
  await kube.requestJson('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-s' } },
    action: { verb: 'create', resource: 'namespaces' },
  });
  for (let i = 0; i < 3; i++) await create(pod(`mine-${i}`, 'k8sm'));
  await create(pod('other', 'another-scheduler'));
  await create(pod('defaulted')); // the apiserver sets default-scheduler

  const port = apiserverPort(kube, { schedulerName: 'k8sm' });
  const pages: Json[][] = [];
  const rv = await port.listPods((p) => pages.push(p));
  expect(names(pages.flat())).toEqual(['mine-0', 'mine-1', 'mine-2']);

  const byDefault = apiserverPort(kube, { schedulerName: 'default-scheduler' });
  const all: Json[] = [];
  await byDefault.listPods((p) => all.push(...p));
  expect(names(all.filter((p) => (p.metadata as Json).namespace === 'team-s'))).toEqual(['defaulted']);

  const ctl = new AbortController();
  const seen: string[] = [];
  const watching = (async () => {
    for await (const ev of port.watchPods(rv, ctl.signal)) {
      seen.push(`${ev.type} ${String((ev.pod.metadata as Json).name)}`);
      if (seen.length === 1) ctl.abort();
    }
  })().catch(() => undefined);
  await create(pod('other-2', 'another-scheduler'));
  await create(pod('mine-3', 'k8sm'));
  await watching;
  expect(seen).toEqual(['ADDED mine-3']);
});

it('the first list, from the watch cache, has the same pods as a consistent read, and a watch starts from its resourceVersion', async () => {
  for (let i = 0; i < 3; i++) await create(pod(`cached-${i}`, 'k8sm-cache'));
  const port = apiserverPort(kube, { schedulerName: 'k8sm-cache' });
  const cached: Json[] = [];
  const consistent: Json[] = [];
  const rv = await port.listPods((p) => cached.push(...p), { fromCache: true });
  await port.listPods((p) => consistent.push(...p));
  expect(names(cached)).toEqual(['cached-0', 'cached-1', 'cached-2']);
  expect(names(cached)).toEqual(names(consistent));
  const ctl = new AbortController();
  const seen: string[] = [];
  const watching = (async () => {
    for await (const ev of port.watchPods(rv, ctl.signal)) {
      seen.push(`${ev.type} ${String((ev.pod.metadata as Json).name)}`);
      ctl.abort();
    }
  })().catch(() => undefined);
  await create(pod('cached-3', 'k8sm-cache'));
  await watching;
  expect(seen).toEqual(['ADDED cached-3']);
});

it('creates a Node, merges labels into it, and lists it', async () => {
  const port = apiserverPort(kube, { schedulerName: 'k8sm' });
  await port.applyNode('agent-9.example', { 'kubernetes.io/hostname': 'agent-9.example', 'k8s.mesosphere.io/attribute-rack': 'r1' });
  await port.applyNode('agent-9.example', { 'k8s.mesosphere.io/attribute-rack': 'r2' });
  const nodes = await port.listNodes();
  expect(nodes.get('agent-9.example')).toEqual({ 'kubernetes.io/hostname': 'agent-9.example', 'k8s.mesosphere.io/attribute-rack': 'r2' });
});
