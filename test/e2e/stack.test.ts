/**
 * The test stack itself works: the real apiserver with its users and RBAC, the kubeconfigs, the
 * Docker engines with busybox, ZooKeeper with the simulator's leader registered, the simulator's
 * masters, and the helpers e2e tests use.
 */
import { jest } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fourLetterWord as fourLetterWordOf, http, type HttpOptions } from '../stack/net.js';
import { isAlive, strayProcessesOf } from '../stack/proc.js';
import { stackStatus, startStack } from '../stack/stack.js';
import { cacheDir, prereqPaths } from '../stack/prereqs.js';
import { kubeAccess, kubeApi, kubectl, mesosMaster, runCli, runProcess, simControl, stack, stackEnv } from './helpers/index.js';

jest.setTimeout(60_000);

const httpCall = (url: string, opts: Omit<HttpOptions, 'timeoutMs'> = {}) => http(url, { ...opts, timeoutMs: 10_000 });
const fourLetterWord = (host: string, port: number, word: string) => fourLetterWordOf(host, port, word, 5000);

describe('kube-apiserver', () => {
  it('is v1.20.2 and answers the admin token', async () => {
    const r = await kubeApi<{ gitVersion: string; major: string; minor: string }>('/version');
    expect(r.status).toBe(200);
    expect(r.body.gitVersion).toBe('v1.20.2');
    expect(stack().kube.version).toBe('v1.20.2');
  });

  it('rejects a wrong token', async () => {
    const s = stack();
    const r = await http(`${s.kube.url}/api/v1/namespaces`, { token: 'not-a-token', ca: readFileSync(s.kube.caFile) });
    expect(r.status).toBe(401);
  });

  it('has the namespaces team-a and team-b', async () => {
    const r = await kubectl(['get', 'namespaces', '-o', 'name']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['namespace/team-a', 'namespace/team-b']));
  });

  it('forbids the limited user to list pods cluster-wide or in team-b, allows team-a', async () => {
    const all = await kubectl(['get', 'pods', '--all-namespaces'], { user: 'limited' });
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/Forbidden.*User "limited" cannot list resource "pods".*cluster scope/);

    const teamB = await kubectl(['get', 'pods', '-n', 'team-b'], { user: 'limited' });
    expect(teamB.code).toBe(1);
    expect(teamB.stderr).toMatch(/Forbidden/);

    // The limited context's default namespace is team-a.
    const teamA = await kubectl(['get', 'pods', '-o', 'name'], { user: 'limited' });
    expect(teamA.stderr).not.toMatch(/Forbidden/);
    expect(teamA.code).toBe(0);

    const nodes = await kubeApi('/api/v1/nodes', { user: 'limited' });
    expect(nodes.status).toBe(403);
    const pods = await kubeApi('/api/v1/namespaces/team-a/pods', { user: 'limited' });
    expect(pods.status).toBe(200);
  });

  it('the combined kubeconfig has both contexts, admin current, CA embedded, token auth', async () => {
    const s = stack();
    const names = await runProcess('/usr/bin/kubectl', ['--kubeconfig', s.kube.kubeconfig, 'config', 'get-contexts', '-o', 'name']);
    expect(names.stdout.trim().split('\n').sort()).toEqual(['admin@k8sm-test', 'limited@k8sm-test']);
    const current = await runProcess('/usr/bin/kubectl', ['--kubeconfig', s.kube.kubeconfig, 'config', 'current-context']);
    expect(current.stdout.trim()).toBe('admin@k8sm-test');
    const text = readFileSync(s.kube.kubeconfig, 'utf8');
    expect(text).toContain('certificate-authority-data: ');
    expect(text).not.toContain('certificate-authority:');
    expect(text).toContain(`token: ${s.kube.limited.token}`);

    const asLimited = await runProcess('/usr/bin/kubectl', ['--kubeconfig', s.kube.kubeconfig, '--context', 'limited@k8sm-test', 'get', 'pods', '-A']);
    expect(asLimited.code).toBe(1);
    expect(asLimited.stderr).toMatch(/Forbidden/);
  });

  it('accepts the client-certificate kubeconfig (cert-admin in system:masters)', async () => {
    // (`kubectl auth whoami` needs SelfSubjectReview, 1.26+: ask for something only an admin may read.)
    const ns = await runProcess('/usr/bin/kubectl', ['--kubeconfig', stack().kube.certAdminKubeconfig, 'get', 'clusterroles', '-o', 'name']);
    expect(ns.code).toBe(0);
    expect(ns.stdout).toContain('clusterrole.rbac.authorization.k8s.io/cluster-admin');
  });

  it('binds a pod (nothing else would: no scheduler, no kubelet)', async () => {
    const name = `stack-test-${Date.now()}`;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { containers: [{ name: 'c', image: 'busybox:latest', command: ['sleep', '3600'] }] },
    };
    const created = await kubeApi('/api/v1/namespaces/team-b/pods', { method: 'POST', body: pod });
    expect(created.status).toBe(201);
    const bound = await kubeApi(`/api/v1/namespaces/team-b/pods/${name}/binding`, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: 'agent-1' } },
    });
    expect(bound.status).toBe(201);
    const got = await kubeApi<{ spec: { nodeName?: string } }>(`/api/v1/namespaces/team-b/pods/${name}`);
    expect(got.body.spec.nodeName).toBe('agent-1');
    const del = await kubeApi(`/api/v1/namespaces/team-b/pods/${name}?gracePeriodSeconds=0`, { method: 'DELETE' });
    expect(del.status).toBe(200);
  });
});

describe('Docker engines', () => {
  it('one per agent on its own loopback address, each answering and distinct', async () => {
    const s = stack();
    expect(s.docker.length).toBeGreaterThanOrEqual(3);
    const ids = new Set<string>();
    for (const d of s.docker) {
      expect(d.ip).toBe(`127.0.0.${d.index + 1}`);
      expect(d.agent).toBe(`agent-${d.index}`);
      const ping = await httpCall(`${d.url}/_ping`);
      expect(ping.status).toBe(200);
      expect(ping.body).toBe('OK');
      const info = JSON.parse((await httpCall(`${d.url}/info`)).body) as { ID: string; DockerRootDir: string };
      expect(info.DockerRootDir).toBe(d.dataRoot);
      ids.add(info.ID);
    }
    expect(ids.size).toBe(s.docker.length);
  });

  it('each has busybox:latest', async () => {
    for (const d of stack().docker) {
      const images = JSON.parse((await httpCall(`${d.url}/images/json`)).body) as { RepoTags: string[] | null }[];
      expect(images.flatMap((i) => i.RepoTags ?? [])).toContain('busybox:latest');
    }
  });

  it('runs a busybox container and keeps it to its own engine', async () => {
    const [d1, d2] = stack().docker;
    if (!d1 || !d2) throw new Error('need two engines');
    const name = `stack-test-${Date.now()}`;
    const json = { 'Content-Type': 'application/json' };
    const created = await httpCall(`${d1.url}/containers/create?name=${name}`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        Image: 'busybox:latest',
        Cmd: ['sh', '-c', 'echo hello from busybox'],
        Labels: { 'k8smctl.test': 'stack' },
        HostConfig: { NetworkMode: 'none' },
      }),
    });
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.body) as { Id: string }).Id;
    try {
      expect((await httpCall(`${d1.url}/containers/${id}/start`, { method: 'POST' })).status).toBe(204);
      const waited = JSON.parse((await httpCall(`${d1.url}/containers/${id}/wait`, { method: 'POST' })).body) as { StatusCode: number };
      expect(waited.StatusCode).toBe(0);
      const logs = await httpCall(`${d1.url}/containers/${id}/logs?stdout=1`);
      expect(logs.body).toContain('hello from busybox');
      const filter = encodeURIComponent(JSON.stringify({ label: ['k8smctl.test=stack'] }));
      const onOther = JSON.parse((await httpCall(`${d2.url}/containers/json?all=1&filters=${filter}`)).body) as unknown[];
      expect(onOther).toEqual([]);
    } finally {
      await httpCall(`${d1.url}/containers/${id}?force=1`, { method: 'DELETE' });
    }
  });
});

/** The part of node-zookeeper-client (CommonJS, untyped) these tests use. */
interface ZkClient {
  connect(): void;
  close(): void;
  once(event: 'connected', cb: () => void): void;
  getChildren(path: string, cb: (err: Error | null, children: string[]) => void): void;
  getData(path: string, cb: (err: Error | null, data: Buffer | undefined) => void): void;
}
const zookeeper = createRequire(import.meta.url)('node-zookeeper-client') as {
  createClient(connect: string, opts?: { sessionTimeout?: number; retries?: number }): ZkClient;
};

async function withZk<T>(fn: (c: ZkClient) => Promise<T>): Promise<T> {
  const c = zookeeper.createClient(stack().zookeeper.connect, { sessionTimeout: 5000, retries: 1 });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('ZooKeeper: no connection in 10 s')), 10_000);
    c.once('connected', () => {
      clearTimeout(t);
      resolve();
    });
    c.connect();
  });
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

const zkCall = <T>(f: (cb: (err: Error | null, v: T) => void) => void) => new Promise<T>((resolve, reject) => f((err, v) => (err ? reject(err) : resolve(v))));

describe('ZooKeeper', () => {
  it('answers ruok', async () => {
    const z = stack().zookeeper;
    expect(await fourLetterWord(z.host, z.port, 'ruok')).toBe('imok');
  });

  it("holds the simulator's masters under /mesos, the leader's node lowest", async () => {
    const s = stack();
    const mesos = s.mesos!;
    expect(s.mesos?.zkUrl).toBe(`zk://${s.zookeeper.connect}/mesos`);
    const infos = await withZk(async (c) => {
      const children = (await zkCall<string[]>((cb) => c.getChildren('/mesos', cb))).filter((n) => n.startsWith('json.info_')).sort();
      return Promise.all(
        children.map(
          async (n) =>
            JSON.parse((await zkCall<Buffer | undefined>((cb) => c.getData(`/mesos/${n}`, cb)))!.toString('utf8')) as {
              port: number;
              address?: { ip: string; port: number };
            },
        ),
      );
    });
    expect(infos.length).toBe(mesos.masters.length);
    const leader = mesos.masters.find((m) => m.leader)!;
    expect(infos[0]!.port).toBe(leader.port);
  });
});

describe('Mesos simulator', () => {
  it('the leader answers /state, the standby redirects to it (307, protocol-relative)', async () => {
    const mesos = stack().mesos!;
    expect(mesos.masters).toHaveLength(2);
    const leader = mesos.masters.find((m) => m.leader)!;
    const standby = mesos.masters.find((m) => !m.leader)!;
    expect(mesosMaster('leader')).toBe(leader.url);
    expect(mesosMaster('list')).toBe(`${mesos.masters[0]!.url},${mesos.masters[1]!.url}`);

    const state = await httpCall(`${leader.url}/state`);
    expect(state.status).toBe(200);
    expect(JSON.parse(state.body)).toEqual(expect.objectContaining({ leader: `master@127.0.0.1:${leader.port}` }));

    const redirected = await httpCall(`${standby.url}/state`);
    expect(redirected.status).toBe(307);
    expect(redirected.headers.location).toBe(`//127.0.0.1:${leader.port}/state`);
  });

  it('has one agent per Docker engine, with the configured port ranges, attributes and reservation', async () => {
    const s = stack();
    const mesos = s.mesos!;
    const r = await httpCall(`${mesos.leaderUrl}/master/slaves`);
    const slaves = (
      JSON.parse(r.body) as {
        slaves: {
          hostname: string;
          pid: string;
          resources: { ports: string };
          attributes: Record<string, string>;
          reserved_resources: Record<string, unknown>;
        }[];
      }
    ).slaves;
    expect(slaves.map((a) => a.hostname).sort()).toEqual(s.docker.map((d) => d.agent).sort());
    const byName = new Map(slaves.map((a) => [a.hostname, a]));
    expect(byName.get('agent-1')!.resources.ports).toBe('[31000-32000]');
    expect(byName.get('agent-1')!.pid).toBe(`slave(1)@127.0.0.2:${mesos.agents[0]!.port}`);
    expect(byName.get('agent-2')!.resources.ports).toBe('[31000-31099, 31101-32000]');
    expect(byName.get('agent-2')!.attributes).toEqual({ rack: 'r1', zone: 'a' });
    expect(Object.keys(byName.get('agent-3')!.reserved_resources)).toEqual(['public']);
    for (const a of mesos.agents) {
      const st = await httpCall(`${a.url}/slave(1)/state`);
      expect(st.status).toBe(200);
      expect((JSON.parse(st.body) as { hostname: string }).hostname).toBe(a.hostname);
    }
  });

  it('has a control API', async () => {
    const log = await simControl<unknown[]>('requestLog');
    expect(Array.isArray(log)).toBe(true);
  });

  it("launches a k8sm pod: bound in the real apiserver, its containers on the agent's real Docker engine", async () => {
    const s = stack();
    const engine = s.docker[1]!;
    const name = `stack-k8sm-${Date.now()}`;
    const { id: frameworkId } = await simControl<{ id: string }>('addFramework', { name: `stack-test-${name}`, role: '*', user: 'root' });
    try {
      const created = await kubeApi<{ metadata: { uid: string } }>('/api/v1/namespaces/team-b/pods', {
        method: 'POST',
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name },
          // `sleep` as PID 1 ignores SIGTERM: a short grace period lets the executor stop it within the agent's 5 s at teardown.
          spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox:latest', command: ['sleep', '3600'] }] },
        },
      });
      expect(created.status).toBe(201);
      const pod = created.body;
      const launched = await simControl<{ hostname: string; docker: { id: string }[] }>('launchK8smPod', {
        agentId: engine.agent,
        frameworkId,
        pod,
        kube: kubeAccess(),
      });
      expect(launched.hostname).toBe(engine.agent);
      const got = await kubeApi<{ spec: { nodeName?: string } }>(`/api/v1/namespaces/team-b/pods/${name}`);
      expect(got.body.spec.nodeName).toBe(engine.agent);
      const filter = encodeURIComponent(JSON.stringify({ label: [`io.kubernetes.pod.name=${name}`] }));
      const onEngine = JSON.parse((await httpCall(`${engine.url}/containers/json?filters=${filter}`)).body) as { Names: string[] }[];
      expect(onEngine.map((c) => c.Names[0]).sort()).toEqual(
        [
          expect.stringMatching(new RegExp(`^/k8s_POD\\.[0-9a-f]+_${name}_team-b_`)),
          expect.stringMatching(new RegExp(`^/k8s_app\\.[0-9a-f]+_${name}_team-b_`)),
        ].sort(),
      );
      const elsewhere = JSON.parse((await httpCall(`${s.docker[0]!.url}/containers/json?all=1&filters=${filter}`)).body) as unknown[];
      expect(elsewhere).toEqual([]);
    } finally {
      await simControl('teardownFramework', { frameworkId });
      await kubeApi(`/api/v1/namespaces/team-b/pods/${name}?gracePeriodSeconds=0`, { method: 'DELETE' });
    }
    const filter = encodeURIComponent(JSON.stringify({ label: [`io.kubernetes.pod.name=${name}`] }));
    const left = JSON.parse((await httpCall(`${engine.url}/containers/json?all=1&filters=${filter}`)).body) as unknown[];
    expect(left).toEqual([]);
  });
});

describe('helpers', () => {
  it('runCli runs the built binary with the given environment', async () => {
    const r = await runCli(['--version'], { env: stackEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^k8smctl\/\d+\.\d+\.\d+ /);
    expect(r.timedOut).toBe(false);
  });

  it('a command past its timeout is killed with all it started, not waited for', async () => {
    const r = await runProcess('/bin/sh', ['-c', 'sleep 30 & echo $!; wait'], { timeoutMs: 1000 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(r.signal).toBe('SIGKILL');
    const sleeper = Number(r.stdout.trim());
    expect(sleeper).toBeGreaterThan(1);
    // The whole process group was sent SIGKILL: nothing left to wait for. A kill is delivered
    // asynchronously, so give the kernel a moment (at most 5 s) to finish the sleeper.
    for (let i = 0; i < 50 && isAlive(sleeper); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isAlive(sleeper)).toBe(false);
  });

  it('stdin is passed and closed; the test runner KUBECONFIG does not leak', async () => {
    const r = await runProcess('/bin/sh', ['-c', 'cat; echo "[${KUBECONFIG-unset}]"'], { stdin: 'from stdin\n' });
    expect(r.stdout).toBe('from stdin\n[unset]\n');
    const withEnv = await runProcess('/bin/sh', ['-c', 'echo "$KUBECONFIG"'], { env: stackEnv({ user: 'limited' }) });
    expect(withEnv.stdout.trim()).toBe(stack().kube.limited.kubeconfig);
  });
});

describe('startStack and stopStack', () => {
  const cacheVar = process.env.K8SMCTL_CACHE;
  let scratch = '';
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'k8smctl-stack-test-'));
  });
  afterEach(() => {
    if (cacheVar === undefined) delete process.env.K8SMCTL_CACHE;
    else process.env.K8SMCTL_CACHE = cacheVar;
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a missing piece is one line pointing at stack:provision, before anything starts', async () => {
    process.env.K8SMCTL_CACHE = join(scratch, 'empty-cache');
    await expect(startStack({ tmpRoot: scratch })).rejects.toThrow(
      /^test stack: kube-apiserver v1\.20\.2 is not built \(.*kube-apiserver missing\); run `npm run stack:provision` \(as root\) first$/,
    );
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('a failed start stops everything already started and says which server failed', async () => {
    // A cache whose kube-apiserver exits at once, the real busybox rootfs.
    const cache = join(scratch, 'cache');
    const fake = join(cache, relative(cacheDir(), prereqPaths().apiserver));
    mkdirSync(dirname(fake), { recursive: true });
    writeFileSync(fake, '#!/bin/sh\necho "fake apiserver: refusing to start" >&2\nexit 3\n', { mode: 0o755 });
    copyFileSync(join(cacheVar || join(homedir(), '.cache', 'k8smctl'), 'busybox-rootfs.tar'), join(cache, 'busybox-rootfs.tar'));
    process.env.K8SMCTL_CACHE = cache;
    const tmpRoot = join(scratch, 'stacks');
    mkdirSync(tmpRoot);
    const err = await startStack({ agents: 1, mesos: false, tmpRoot }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      /^kube-apiserver at https:\/\/127\.0\.0\.1:\d+: exited: fake apiserver: refusing to start \(log .*-failed-logs\/kube-apiserver\.log\)$/,
    );
    const left = readdirSync(tmpRoot);
    expect(left.filter((d) => !d.endsWith('-failed-logs'))).toEqual([]);
    // Nothing runs from the removed folder: no etcd, dockerd, containerd, ZooKeeper left behind.
    const stackDir = join(tmpRoot, left[0]!.replace(/-failed-logs$/, ''));
    expect(strayProcessesOf(stackDir)).toEqual([]);
  });

  it('status of the running stack: every process alive and answering', async () => {
    const st = await stackStatus(stack());
    expect(st.checks).toEqual(expect.objectContaining({ 'kube-apiserver': true, etcd: true, zookeeper: true, 'docker-1': true, 'mesos-master-1': true }));
    expect(st.up).toBe(true);
    expect(st.processes.map((p) => p.name)).toEqual(expect.arrayContaining(['etcd', 'kube-apiserver', 'zookeeper', 'dockerd-1', 'containerd-1', 'mesos-sim']));
  });
});
