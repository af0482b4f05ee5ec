/**
 * `--request-timeout` bounds the apiserver's requests in every command that has the flag, as kubectl's
 * does: the commands run in-process with the real kube client against an apiserver that accepts the
 * connection and never answers (the Mesos side is the fake one). Before, every command but `version`
 * waited the kube client's own 30 s.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKube } from '../../../src/clients/kube/kube-client.js';
import { k8smctl } from '../../cmd/harness.js';
import { fakeFactory, MASTER_URL } from '../../cmd/fakes.js';
import { engines } from '../../cmd/fake-docker.js';
import { A1, A2, DOCKER, world } from '../../cmd/orphans-world.js';
import type { FakeMesos } from '../../cmd/fakes.js';
import type { DockerEngineApi, DockerEngineOptions } from '../../../src/clients/docker/docker-client.js';
import type { Factory } from '../../../src/lib/factory.js';

let server: Server;
let dir: string;
let kubeconfig: string;
let url: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  // Accepts, reads the request, never answers.
  server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-kube-timeout-'));
  kubeconfig = join(dir, 'kc.yaml');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: c',
      `  cluster: {server: "${url}"}`,
      'users:',
      '- name: u',
      '  user: {token: abc}',
      'contexts:',
      '- name: x',
      '  context: {cluster: c, user: u, namespace: default}',
      'current-context: x',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** The fake factory, but with the real kube client (as processFactory builds it). */
function factory(o: { mesos?: FakeMesos; docker?: (opts: DockerEngineOptions) => DockerEngineApi | undefined } = {}): Factory {
  const f = fakeFactory({ ...(o.mesos ? { mesos: o.mesos } : {}), ...(o.docker ? { docker: o.docker } : {}) });
  return { ...f, kube: (opts) => loadKube({ env: { HOME: '/nonexistent' }, ...opts }) };
}

const M = ['--mesos-master', MASTER_URL];

describe('--request-timeout bounds the apiserver requests', () => {
  test.each([
    ['get tasks', ['get', 'tasks']],
    ['diagnose cluster', ['diagnose', 'cluster']],
    ['diagnose pod', ['diagnose', 'pod']],
  ])('%s: fails after 1s (not 30s), naming 1s and what to do; exit 2', async (_name, words) => {
    const started = Date.now();
    const r = await k8smctl([...words, ...M, '--kubeconfig', kubeconfig, '--request-timeout', '1s'], { factory: factory() });
    const took = Date.now() - started;
    expect(r.stderr).toBe(
      `error: kube-apiserver ${url} (context "x") did not answer: timed out after 1s; the apiserver is slow or unreachable; check it, or raise --request-timeout\n`,
    );
    expect(r.code).toBe(2);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5000);
  });

  test.each([
    ['get orphans', ['get', 'orphans'], 1],
    ['delete orphans', ['delete', 'orphans', '--dry-run'], 0],
  ])('%s: the pods are evidence only, so the timeout of 1s is a warning and the scan goes on', async (_name, words, code) => {
    const w = world();
    const started = Date.now();
    const r = await k8smctl([...words, ...DOCKER, ...M, '--kubeconfig', kubeconfig, '--request-timeout', '1s'], {
      factory: factory({ mesos: w.mesos, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) }),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.stderr).toContain(
      `warning: pods not read (kube-apiserver ${url} (context "x") did not answer: timed out after 1s): no apiserver evidence is shown\n`,
    );
    expect(r.code).toBe(code);
  });
});
