/** `k8smctl get frameworks` and `get tasks`, in-process with fake Mesos and Kubernetes clients. */
import { k8smctl } from '../harness.js';
import { clientError, fakeFactory, FakeKube, FakeMesos, MASTER_URL, pod } from '../fakes.js';

const M = ['--mesos-master', MASTER_URL];

describe('get frameworks', () => {
  test('one row per framework, k8sm marked; --k8sm -o name; --completed', async () => {
    const r = await k8smctl(['get', 'frameworks', ...M]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Kubernetes\s+fw-k8sm-0001\s+true\s+true\s/m);
    expect(r.stdout).toMatch(/^marathon\s+fw-marathon-0002\s.*\sno$/m);
    expect((await k8smctl(['get', 'frameworks', '--k8sm', '-o', 'name', ...M])).stdout).toBe('framework/fw-k8sm-0001\n');
    expect((await k8smctl(['get', 'frameworks', '--completed', '-o', 'name', ...M])).stdout).toContain('framework/fw-old-0000\n');
  });

  test('an unreachable master: exit 2, one line', async () => {
    const mesos = new FakeMesos({
      fail: clientError({ service: 'mesos-master', kind: 'unreachable', message: `cannot get /state from Mesos master ${MASTER_URL}: connection refused` }),
    });
    const r = await k8smctl(['get', 'frameworks', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('arguments are not accepted', async () => {
    const r = await k8smctl(['get', 'frameworks', 'x', ...M]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Unexpected argument: x; see 'k8smctl get frameworks --help'\n$/);
  });
});

describe('get tasks', () => {
  const pods = [pod('web', 'default', { taskId: 'pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002', phase: 'Running' }), pod('api', 'team-b', { phase: 'Pending' })];

  test('k8sm tasks of the context namespace joined with their pods (by the taskId annotation)', async () => {
    const kube = new FakeKube({ pods });
    const factory = fakeFactory({ kube });
    const r = await k8smctl(['get', 'tasks', ...M, '--context', 'ops', '--kubeconfig', '/k/config'], { factory });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+POD\s+TASK\s+AGENT\s+STATE\s+POD PHASE\s+HOST PORTS$/);
    expect(lines.slice(1).map((l) => l.split(/\s{3,}/))).toEqual([
      ['default', 'web', 'pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002', 'agent-1', 'TASK_RUNNING', 'Running', '31000-31001'],
    ]);
    expect(kube.calls).toEqual([{ namespace: 'default' }]);
    // --request-timeout (default 10s) bounds the apiserver's requests too.
    expect(factory.kubeOptions).toEqual([{ kubeconfig: '/k/config', context: 'ops', requestTimeoutMs: 10_000 }]);
    expect(kube.closed).toBe(1);
  });

  test('-A: every namespace; a pod without the taskId annotation is found by the task name', async () => {
    const r = await k8smctl(['get', 'tasks', '-A', ...M], { factory: fakeFactory({ kube: new FakeKube({ pods }) }) });
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s{3,}/));
    expect(rows.map((x) => [x[0], x[1], x[5]])).toEqual([
      ['default', 'web', 'Running'],
      ['team-b', 'api', 'Pending'],
    ]);
    const names = await k8smctl(['get', 'tasks', '-A', '-o', 'name', ...M], { factory: fakeFactory({ kube: new FakeKube({ pods }) }) });
    expect(names.stdout).toBe('task/pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002\ntask/pod.2c7b8d3f-8a3f-11ee-b9d1-0242ac120002\n');
  });

  test('no task in the namespace: the message on stderr, exit 0', async () => {
    const r = await k8smctl(['get', 'tasks', '-n', 'empty', ...M], { factory: fakeFactory({ kube: new FakeKube({ namespace: 'empty', pods }) }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('No k8sm tasks found in empty namespace.\n');
  });

  test('Forbidden to list all namespaces: one line with the RBAC hint, exit 1', async () => {
    const forbidden = clientError({
      service: 'kube-apiserver',
      kind: 'forbidden',
      status: 403,
      message: 'kube-apiserver https://k:6443 forbids user "limited" to list pods in all namespaces (403 Forbidden)',
      details: { namespaced: true },
    });
    const r = await k8smctl(['get', 'tasks', '-A', ...M], { factory: fakeFactory({ kube: new FakeKube({ pods, failAllNamespaces: forbidden }) }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: kube-apiserver https://k:6443 forbids user "limited" to list pods in all namespaces (403 Forbidden); ask an admin for RBAC access or use --namespace\n',
    );
  });

  test('401 from the apiserver: exit 1; an unreachable apiserver: exit 2 naming the cluster', async () => {
    const unauthorized = clientError({
      service: 'kube-apiserver',
      kind: 'unauthorized',
      status: 401,
      message: 'kube-apiserver https://k:6443 rejected the credentials of kubeconfig user "u" (context "c") (401 Unauthorized)',
    });
    const r401 = await k8smctl(['get', 'tasks', ...M], { factory: fakeFactory({ kube: new FakeKube({ fail: unauthorized }) }) });
    expect(r401.code).toBe(1);
    expect(r401.stderr).toMatch(/\(401 Unauthorized\); the token or client certificate is wrong or expired; refresh it in the kubeconfig\n$/);
    const dead = clientError({
      service: 'kube-apiserver',
      kind: 'unreachable',
      message: 'cannot reach kube-apiserver https://k:6443 (context "c"): connection refused',
      details: { cluster: 'prod' },
    });
    const r2 = await k8smctl(['get', 'tasks', ...M], { factory: fakeFactory({ kube: new FakeKube({ fail: dead }) }) });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toBe(
      'error: cannot reach kube-apiserver https://k:6443 (context "c"): connection refused; check the server of cluster "prod" in the kubeconfig, or pick another --context\n',
    );
  });

  test('the master and the apiserver both fail: the error of the one that decides the exit, a warning for the other', async () => {
    // The master fails last (a timeout), the apiserver at once: both are reported, not only the first.
    class SlowMesos extends FakeMesos {
      override async snapshot(opts: Parameters<FakeMesos['snapshot']>[0]) {
        await new Promise((r) => setTimeout(r, 20));
        return super.snapshot(opts);
      }
    }
    const timeout = clientError({ service: 'mesos-master', kind: 'timeout', message: `cannot get /state from Mesos master ${MASTER_URL}: timed out after 3s` });
    const dead = clientError({
      service: 'kube-apiserver',
      kind: 'unreachable',
      message: 'cannot reach kube-apiserver https://k:6443 (context "c"): connection refused',
      details: { cluster: 'prod' },
    });
    const r = await k8smctl(['get', 'tasks', ...M], { factory: fakeFactory({ mesos: new SlowMesos({ fail: timeout }), kube: new FakeKube({ fail: dead }) }) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'warning: cannot reach kube-apiserver https://k:6443 (context "c"): connection refused; check the server of cluster "prod" in the kubeconfig, or pick another --context\n' +
        `error: cannot get /state from Mesos master ${MASTER_URL}: timed out after 3s; the master is slow or unreachable; check it, or raise --request-timeout\n`,
    );
    // The worse exit decides: an unreachable master (2) over a 401 from the apiserver (1), whichever failed first.
    const unauthorized = clientError({
      service: 'kube-apiserver',
      kind: 'unauthorized',
      status: 401,
      message: 'kube-apiserver https://k:6443 rejected the credentials of kubeconfig user "u" (context "c") (401 Unauthorized)',
    });
    const r401 = await k8smctl(['get', 'tasks', ...M], {
      factory: fakeFactory({ mesos: new SlowMesos({ fail: timeout }), kube: new FakeKube({ fail: unauthorized }) }),
    });
    expect(r401.code).toBe(2);
    expect(r401.stderr.split('\n')).toEqual([
      'warning: kube-apiserver https://k:6443 rejected the credentials of kubeconfig user "u" (context "c") (401 Unauthorized); the token or client certificate is wrong or expired; refresh it in the kubeconfig',
      expect.stringMatching(/^error: cannot get \/state from Mesos master .*: timed out after 3s; /),
      '',
    ]);
    // Only the apiserver fails: its error alone, its own exit code.
    const onlyKube = await k8smctl(['get', 'tasks', ...M], { factory: fakeFactory({ kube: new FakeKube({ fail: unauthorized }) }) });
    expect(onlyKube.code).toBe(1);
    expect(onlyKube.stderr).not.toContain('warning:');
    // Interrupted: nothing printed, the interruption's exit code, no warning for the other.
    const aborted = clientError({ service: 'mesos-master', kind: 'aborted', message: 'interrupted', details: { reason: 'SIGINT' } });
    const ri = await k8smctl(['get', 'tasks', ...M], { factory: fakeFactory({ mesos: new FakeMesos({ fail: aborted }), kube: new FakeKube({ fail: dead }) }) });
    expect(ri).toMatchObject({ code: 130, stderr: '' });
  });

  test('a context the kubeconfig does not have: usage error naming the contexts, exit 2, Mesos never asked', async () => {
    const mesos = new FakeMesos();
    const noContext = clientError({
      service: 'kube-apiserver',
      kind: 'config',
      reason: 'context-not-found',
      message: 'context "nope" not found in kubeconfig /k/config',
      details: { contexts: ['admin', 'limited'] },
    });
    const r = await k8smctl(['get', 'tasks', '--context', 'nope', ...M], { factory: fakeFactory({ mesos, kube: noContext }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: context "nope" not found in kubeconfig /k/config; pick one with --context (contexts: admin, limited)\n');
    expect(mesos.calls).toEqual([]);
  });
});
