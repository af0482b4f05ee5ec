/** `k8smctl version`, in-process with fake clients from the factory. */
import { load } from 'js-yaml';
import { k8smctl } from './harness.js';
import { clientError, fakeFactory, FakeKube, FakeMesos, MASTER_URL } from './fakes.js';
import { clientVersion } from '../../src/cmd/version/options.js';

const M = ['--mesos-master', MASTER_URL];
/** No kubeconfig where kubectl looks, none named: no apiserver configured. */
const noKubeconfig = () =>
  clientError({
    kind: 'config',
    service: 'kube-apiserver',
    reason: 'kubeconfig-not-found',
    message: 'no kubeconfig found (/root/.kube/config does not exist)',
    details: { explicit: false },
  });
const refused = (service: 'mesos-master' | 'kube-apiserver', target: string) =>
  clientError({
    kind: 'unreachable',
    reason: 'refused',
    service,
    target,
    message: `cannot reach ${service === 'mesos-master' ? 'Mesos master' : 'kube-apiserver'} ${target}: connection refused`,
  });

describe('version', () => {
  test('--client: the client version only, no server asked, exit 0', async () => {
    const f = fakeFactory({ version: '0.1.0' });
    const r = await k8smctl(['version', '--client', ...M], { factory: f });
    expect(r).toEqual({ code: 0, stdout: 'Client Version: v0.1.0\n', stderr: '' });
    expect(f.mesosOptions).toEqual([]);
    expect(f.kubeOptions).toEqual([]);
  });

  test('nothing configured (no master, no kubeconfig): the client version, exit 0', async () => {
    const r = await k8smctl(['version'], { factory: fakeFactory({ version: '0.1.0', kube: noKubeconfig() }) });
    expect(r).toEqual({ code: 0, stdout: 'Client Version: v0.1.0\n', stderr: '' });
  });

  test('with a master and a kubeconfig: both servers, in text', async () => {
    const mesos = new FakeMesos();
    const kube = new FakeKube();
    const f = fakeFactory({ version: '0.1.0', mesos, kube });
    const r = await k8smctl(['version', ...M, '--context', 'prod', '--request-timeout', '3s'], { factory: f });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Client Version: v0.1.0\nServer Version: v1.20.2\nMesos Master Version: 1.11.0 (${MASTER_URL})\n`);
    expect(f.kubeOptions).toEqual([{ context: 'prod', requestTimeoutMs: 3000 }]);
    expect(f.mesosOptions[0]?.requestTimeoutMs).toBe(3000);
    expect(mesos.closed).toBe(1);
    expect(kube.closed).toBe(1);
  });

  test("-o json: kubectl's shape (clientVersion, serverVersion as the apiserver sent it, mesosMasterVersion)", async () => {
    const server = {
      major: '1',
      minor: '20',
      gitVersion: 'v1.20.2',
      gitCommit: 'faecb196',
      gitTreeState: 'clean',
      buildDate: '2021-01-13T13:20:00Z',
      goVersion: 'go1.15.5',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
    const mesos = new FakeMesos({
      version: { build_date: '2020-11-24 06:24:52', build_time: 1606199092, build_user: '', git_sha: 'f2d6c0ba', git_tag: '1.11.0', version: '1.11.0' },
    });
    const r = await k8smctl(['version', '-o', 'json', ...M], { factory: fakeFactory({ version: '0.1.0', mesos, kube: new FakeKube({ version: server }) }) });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      clientVersion: { ...clientVersion('0.1.0'), major: '0', minor: '1', gitVersion: 'v0.1.0' },
      serverVersion: server,
      mesosMasterVersion: { version: '1.11.0', gitSha: 'f2d6c0ba', gitTag: '1.11.0', buildDate: '2020-11-24 06:24:52', master: MASTER_URL },
    });
    expect(doc.clientVersion.nodeVersion).toBe(process.version);
    expect(Object.keys(doc)).toEqual(['clientVersion', 'serverVersion', 'mesosMasterVersion']);
  });

  test('-o yaml prints the same document', async () => {
    const f = () => fakeFactory({ version: '0.1.0', kube: noKubeconfig() });
    const y = await k8smctl(['version', '-o', 'yaml', ...M], { factory: f() });
    const j = await k8smctl(['version', '-o', 'json', ...M], { factory: f() });
    expect(y.code).toBe(0);
    expect(y.stdout).toMatch(/^clientVersion:\n {2}major: '0'\n/);
    expect(load(y.stdout)).toEqual(JSON.parse(j.stdout));
  });

  test('an unreachable master: the client (and apiserver) version still printed, the master named on stderr, exit 1 as kubectl version', async () => {
    const mesos = new FakeMesos({ fail: refused('mesos-master', MASTER_URL) });
    const r = await k8smctl(['version', ...M], { factory: fakeFactory({ version: '0.1.0', mesos }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('Client Version: v0.1.0\nServer Version: v1.20.2\n');
    expect(r.stderr).toBe(
      `error: cannot reach Mesos master ${MASTER_URL}: connection refused; check --mesos-master (or $MESOS_MASTER) and that the masters are running\n`,
    );
  });

  test('both unreachable, -o json: the JSON has the client version only, both servers named on stderr, exit 1', async () => {
    const mesos = new FakeMesos({ fail: refused('mesos-master', MASTER_URL) });
    const kube = new FakeKube({ fail: refused('kube-apiserver', 'https://127.0.0.1:6443') });
    const r = await k8smctl(['version', '-o', 'json', ...M], { factory: fakeFactory({ version: '0.1.0', mesos, kube }) });
    expect(r.code).toBe(1);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['clientVersion']);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('error: cannot reach kube-apiserver https://127.0.0.1:6443: connection refused');
    expect(lines[1]).toMatch(/^error: cannot reach Mesos master/);
  });

  test('a kubeconfig named with --kubeconfig that does not exist is an error, not "not configured"', async () => {
    const kube = clientError({
      kind: 'config',
      service: 'kube-apiserver',
      reason: 'kubeconfig-not-found',
      message: 'kubeconfig /nope does not exist',
      details: { path: '/nope', explicit: true },
    });
    const r = await k8smctl(['version', '--kubeconfig', '/nope'], { factory: fakeFactory({ version: '0.1.0', kube }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('Client Version: v0.1.0\n');
    expect(r.stderr).toBe('error: kubeconfig /nope does not exist; check the path given with --kubeconfig\n');
  });

  test('bad flags are usage errors (exit 2), nothing asked', async () => {
    const f = fakeFactory();
    const o = await k8smctl(['version', '-o', 'wide'], { factory: f });
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/^error: Expected --output=wide to be one of: json, yaml; see 'k8smctl version --help'\n$/);
    const t = await k8smctl(['version', ...M, '--request-timeout', '0s'], { factory: f });
    expect(t).toMatchObject({ code: 2, stdout: '', stderr: 'error: --request-timeout must be greater than 0\n' });
    const long = await k8smctl(['version', ...M, '--request-timeout', '600h'], { factory: f });
    expect(long).toMatchObject({ code: 2, stdout: '', stderr: 'error: --request-timeout: duration "600h" is too long: at most 596h (24 days)\n' });
    expect(f.mesosOptions).toEqual([]);
  });
});
