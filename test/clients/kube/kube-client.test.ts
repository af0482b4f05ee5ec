import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadKube } from '../../../src/clients/kube/kube-client.js';
import { ClientError } from '../../../src/clients/errors.js';
import { describeFailure, oneLine } from '../../../src/lib/outcomes.js';
import { CLUSTER_NAME, contextName, writeKubeconfig } from '../../stack/kube-access.js';
import { deadPort } from '../mesos/fake-server.js';
import { startKubeTestServer, type KubeTestServer } from './kube-server.js';

let k: KubeTestServer;
let both: string; // admin + limited contexts, admin current
let limitedOnly: string;
beforeAll(async () => {
  k = await startKubeTestServer();
  both = writeKubeconfig(join(k.dir, 'both.yaml'), k.url, k.pki.caCert, [
    { name: 'admin', context: contextName('admin'), token: k.admin.token },
    { name: 'limited', context: contextName('limited'), token: k.limited.token, namespace: 'team-a' },
  ]);
  limitedOnly = writeKubeconfig(join(k.dir, 'limited.yaml'), k.url, k.pki.caCert, [
    { name: 'limited', context: contextName('limited'), token: k.limited.token, namespace: 'team-a' },
  ]);
}, 180_000);
afterAll(async () => {
  await k?.stop();
});

const env = { HOME: '/nonexistent' }; // never read the machine's ~/.kube/config

async function failure(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ClientError);
    return e as ClientError;
  }
  throw new Error('expected an error');
}

function everythingAbout(err: unknown): string {
  const e = err as Error;
  return [oneLine(err), e.stack, inspect(err, { depth: 20, showHidden: true }), JSON.stringify(err)].join('\n');
}

describe('loadKube against a real kube-apiserver', () => {
  it("admin token: pods (one namespace and all), one pod, nodes, a pod's events in time order", async () => {
    const kc = await loadKube({ kubeconfig: both, env });
    expect(kc).toMatchObject({ server: k.url, contextName: contextName('admin'), clusterName: CLUSTER_NAME, userName: 'admin', namespace: 'default' });
    const all = await kc.listPods({ allNamespaces: true });
    expect(all.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort()).toEqual(['team-a/web', 'team-a/worker', 'team-b/api']);
    const teamA = await kc.listPods({ namespace: 'team-a' });
    expect(teamA.map((p) => p.metadata.name).sort()).toEqual(['web', 'worker']);
    expect(await kc.listPods()).toEqual([]); // "default" namespace

    const web = await kc.getPod('web', 'team-a');
    // Wire JSON, as kubectl -o json shows it.
    expect(web.spec.containers[0]!.ports).toEqual([{ containerPort: 8080, hostPort: 31000, protocol: 'TCP' }]);
    expect(web.spec.containers[0]!.resources).toEqual({ limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '250m', memory: '64Mi' } });
    expect(web.metadata.annotations).toEqual({ 'k8s.mesosphere.io/roles': '*' });
    expect(web.spec.nodeSelector).toEqual({ 'k8s.mesosphere.io/attribute-rack': 'r1' });
    expect(web.status?.phase).toBe('Pending');
    expect(typeof web.metadata.creationTimestamp).toBe('string');

    const nodes = await kc.listNodes();
    expect(nodes.map((n) => n.metadata.name)).toEqual(['agent-1']);
    expect(nodes[0]!.metadata.labels).toMatchObject({ 'k8s.mesosphere.io/attribute-rack': 'r1' });

    const events = await kc.listPodEvents({ name: 'web', namespace: 'team-a' });
    expect(events.map((e) => e.message)).toEqual(['first try', 'Error scheduling: no suitable offers for pod/task']);
    expect(events[1]).toMatchObject({ reason: 'FailedScheduling', type: 'Warning', involvedObject: { name: 'web' } });

    expect(await kc.findPod('nope', 'team-a')).toBeUndefined();
    const nf = await failure(kc.getPod('nope', 'team-a'));
    expect(oneLine(nf)).toBe('pod "nope" not found in namespace "team-a"; check the name, or pass -n/--namespace');
    expect(nf).toMatchObject({ kind: 'not-found', service: 'kube-apiserver', status: 404 });
    expect(describeFailure(nf).exitCode).toBe(1);
  });

  it('one client keeps its TLS connections alive: 30 requests, writes among them, do not open 30 connections', async () => {
    // A TCP relay in front of the apiserver counts the connections the client opens.
    const target = new URL(k.url);
    let connections = 0;
    const relay = net.createServer((c) => {
      connections++;
      const up = net.connect(Number(target.port), target.hostname);
      c.pipe(up).pipe(c);
      c.on('error', () => up.destroy());
      up.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const port = (relay.address() as net.AddressInfo).port;
    const viaRelay = writeKubeconfig(join(k.dir, 'relay.yaml'), `https://127.0.0.1:${port}`, k.pki.caCert, [
      { name: 'admin', context: contextName('admin'), token: k.admin.token },
    ]);
    const kc = await loadKube({ kubeconfig: viaRelay, env });
    try {
      for (let i = 0; i < 10; i++) {
        expect((await kc.listPods({ namespace: 'team-a' })).length).toBe(2);
        await kc.requestJson('GET', '/api/v1/namespaces/team-a/pods/web', { action: { verb: 'get', resource: 'pods', namespace: 'team-a' } });
        await kc.requestJson('POST', '/api/v1/namespaces/team-a/configmaps', {
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `keepalive-${i}` }, data: { i: String(i) } },
          action: { verb: 'create', resource: 'configmaps', namespace: 'team-a' },
        });
      }
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      kc.close();
      await new Promise<void>((r) => relay.close(() => r()));
    }
  });

  it('pages through long lists (limit/continue)', async () => {
    const kc = await loadKube({ kubeconfig: both, env, pageSize: 1 });
    const all = await kc.listPods({ allNamespaces: true });
    expect(all).toHaveLength(3);
    expect(kc.requestCount).toBe(3);
  });

  it('a limited user gets a one-line Forbidden error, without its token', async () => {
    const kc = await loadKube({ kubeconfig: both, context: contextName('limited'), env });
    expect(kc.namespace).toBe('team-a'); // from the context
    expect((await kc.listPods()).map((p) => p.metadata.name).sort()).toEqual(['web', 'worker']);

    const err = await failure(kc.listPods({ namespace: 'team-b' }));
    expect(err).toMatchObject({ kind: 'forbidden', status: 403, service: 'kube-apiserver' });
    expect(oneLine(err)).toBe(
      `kube-apiserver ${k.url} forbids user "limited" to list pods in namespace "team-b" (403 Forbidden); ask an admin for RBAC access or use --namespace`,
    );
    expect(describeFailure(err).exitCode).toBe(1);
    expect(everythingAbout(err)).not.toContain(k.limited.token);

    expect(oneLine(await failure(kc.listPods({ allNamespaces: true })))).toBe(
      `kube-apiserver ${k.url} forbids user "limited" to list pods in all namespaces (403 Forbidden); ask an admin for RBAC access or use --namespace`,
    );
    expect(oneLine(await failure(kc.listNodes()))).toBe(
      `kube-apiserver ${k.url} forbids user "limited" to list nodes (403 Forbidden); ask an admin for RBAC access`,
    );
    expect(oneLine(await failure(kc.getPod('api', 'team-b')))).toBe(
      `kube-apiserver ${k.url} forbids user "limited" to get pod "api" in namespace "team-b" (403 Forbidden); ask an admin for RBAC access or use --namespace`,
    );
  });

  it('--namespace overrides the context namespace', async () => {
    const kc = await loadKube({ kubeconfig: limitedOnly, namespace: 'team-b', env });
    expect(kc.namespace).toBe('team-b');
  });

  it('a wrong token: 401, clear', async () => {
    const f = writeKubeconfig(join(k.dir, 'bad-token.yaml'), k.url, k.pki.caCert, [
      { name: 'intruder', context: 'intruder', token: 'not-a-valid-token-0123456789' },
    ]);
    const kc = await loadKube({ kubeconfig: f, env });
    const err = await failure(kc.listPods());
    expect(oneLine(err)).toBe(
      `kube-apiserver ${k.url} rejected the credentials of kubeconfig user "intruder" (context "intruder") (401 Unauthorized); the token or client certificate is wrong or expired; refresh it in the kubeconfig`,
    );
    expect(everythingAbout(err)).not.toContain('not-a-valid-token-0123456789');
  });

  it('client certificate auth', async () => {
    const f = writeKubeconfig(join(k.dir, 'cert.yaml'), k.url, k.pki.caCert, [
      { name: 'cert-admin', context: 'cert', clientCert: k.pki.clientCert, clientKey: k.pki.clientKey },
    ]);
    const kc = await loadKube({ kubeconfig: f, env });
    expect((await kc.listNodes()).map((n) => n.metadata.name)).toEqual(['agent-1']);
  });

  it('exec credential plugin auth', async () => {
    const plugin = join(k.dir, 'plugin.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"${k.admin.token}"}}'\n`,
    );
    chmodSync(plugin, 0o755);
    const f = join(k.dir, 'exec.yaml');
    writeFileSync(
      f,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: c`,
        '  cluster:',
        `    server: ${k.url}`,
        `    certificate-authority: ${k.pki.caCert}`,
        'users:',
        '- name: via-exec',
        '  user:',
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1beta1',
        `      command: ${plugin}`,
        'contexts:',
        '- name: exec',
        '  context: {cluster: c, user: via-exec, namespace: team-b}',
        'current-context: exec',
        '',
      ].join('\n'),
    );
    const kc = await loadKube({ kubeconfig: f, env });
    expect((await kc.listPods()).map((p) => p.metadata.name)).toEqual(['api']);
  });

  it('two contexts: the current one by default, --context picks the other, a bad name is a usage error', async () => {
    expect((await loadKube({ kubeconfig: both, env })).contextName).toBe(contextName('admin'));
    expect((await loadKube({ kubeconfig: both, context: contextName('limited'), env })).userName).toBe('limited');
    const err = await failure(loadKube({ kubeconfig: both, context: 'nope', env }));
    expect(err).toMatchObject({ kind: 'config', reason: 'context-not-found', details: { contexts: ['admin@k8sm-test', 'limited@k8sm-test'] } });
    expect(describeFailure(err).exitCode).toBe(2);
    expect(oneLine(err)).toBe(`context "nope" not found in kubeconfig ${both}; pick one with --context (contexts: admin@k8sm-test, limited@k8sm-test)`);
  });

  it('$KUBECONFIG: a colon list merged kubectl-style (first file wins), missing files skipped', async () => {
    const a = writeKubeconfig(join(k.dir, 'a.yaml'), k.url, k.pki.caCert, [{ name: 'admin', context: 'ctx-a', token: k.admin.token }]);
    const dir = join(k.dir, 'sub');
    mkdirSync(dir, { recursive: true });
    const b = writeKubeconfig(join(dir, 'b.yaml'), 'https://127.0.0.1:1', k.pki.caCert, [
      { name: 'limited', context: 'ctx-b', token: k.limited.token, namespace: 'team-a' },
    ]);
    const kc = await loadKube({ env: { ...env, KUBECONFIG: `${join(k.dir, 'missing.yaml')}:${a}:${b}` } });
    expect(kc.contextName).toBe('ctx-a'); // current-context of the first file that sets one
    expect(kc.server).toBe(k.url); // cluster "k8sm-test" defined by both: the first wins
    const kb = await loadKube({ context: 'ctx-b', env: { ...env, KUBECONFIG: `${a}:${b}` } });
    expect(kb.userName).toBe('limited');
    expect(kb.namespace).toBe('team-a');
    expect((await kb.listPods()).length).toBe(2);

    await expect(loadKube({ env: { ...env, KUBECONFIG: '/nope/1:/nope/2' } })).rejects.toThrow('none of the files in $KUBECONFIG exist: /nope/1, /nope/2');
  });

  it('no kubeconfig at all, or a missing --kubeconfig: usage errors', async () => {
    await expect(loadKube({ env: { HOME: join(k.dir, 'empty-home') } })).rejects.toThrow(
      new ClientError({ kind: 'config', message: `no kubeconfig found (${join(k.dir, 'empty-home', '.kube', 'config')} does not exist)` }),
    );
    const missing = await failure(loadKube({ kubeconfig: join(k.dir, 'nope.yaml'), env }));
    expect(oneLine(missing)).toBe(`kubeconfig ${join(k.dir, 'nope.yaml')} does not exist; check the path given with --kubeconfig`);
    expect(describeFailure(missing).exitCode).toBe(2);
    const broken = join(k.dir, 'broken.yaml');
    writeFileSync(broken, 'clusters: [ {name: x}\n');
    await expect(loadKube({ kubeconfig: broken, env })).rejects.toThrow(new RegExp(`^cannot load kubeconfig ${broken}: `));
    const noCurrent = join(k.dir, 'no-current.yaml');
    writeFileSync(noCurrent, 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
    const err = await failure(loadKube({ kubeconfig: noCurrent, env }));
    expect(oneLine(err)).toBe(`kubeconfig ${noCurrent} has no current-context; pass --context (it has no contexts)`);
  });

  it('an unreachable apiserver names the server', async () => {
    const port = await deadPort();
    const f = writeKubeconfig(join(k.dir, 'dead.yaml'), `https://127.0.0.1:${port}`, k.pki.caCert, [{ name: 'admin', context: 'dead', token: k.admin.token }]);
    const kc = await loadKube({ kubeconfig: f, env });
    const err = await failure(kc.listPods());
    expect(err).toMatchObject({ kind: 'unreachable', reason: 'refused', retryable: true });
    expect(describeFailure(err).exitCode).toBe(2);
    expect(oneLine(err)).toBe(
      `cannot reach kube-apiserver https://127.0.0.1:${port} (context "dead"): connection refused; check the server of cluster "k8sm-test" in the kubeconfig, or pick another --context`,
    );
    expect(everythingAbout(err)).not.toContain(k.admin.token);
  });

  it('a CA that did not sign the apiserver certificate: a TLS verification error', async () => {
    const f = writeKubeconfig(join(k.dir, 'wrong-ca.yaml'), k.url, k.pki.clientCert, [{ name: 'admin', context: 'wrong-ca', token: k.admin.token }]);
    const kc = await loadKube({ kubeconfig: f, env });
    const err = await failure(kc.listPods());
    expect(oneLine(err)).toMatch(
      new RegExp(
        `^cannot verify the TLS certificate of kube-apiserver ${k.url.replace(/\./g, '\\.')} \\(context "wrong-ca"\\): .+; fix certificate-authority of cluster "k8sm-test"`,
      ),
    );
    expect(everythingAbout(err)).not.toContain(k.admin.token);
  });
});
