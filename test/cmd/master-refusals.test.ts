/**
 * A server that refuses to be read (401, 403, ZooKeeper NO_AUTH) is an unreadable master (or
 * cluster): one line saying what to give, exit 2, as the commands' help says and as for an
 * unreachable one. A refused operation (a teardown) stays a refusal: exit 1.
 */
import { describe, expect, test } from '@jest/globals';
import { k8smctl } from './harness.js';
import { clientError, fakeFactory, FakeKube, FakeMesos, MASTER_URL } from './fakes.js';

const M = ['--mesos-master', MASTER_URL];

const missing = clientError({
  service: 'mesos-master',
  kind: 'unauthorized',
  reason: 'credentials-missing',
  status: 401,
  message: `Mesos master ${MASTER_URL} requires authentication for /state (401 Unauthorized)`,
});
const MISSING_LINE = `error: Mesos master ${MASTER_URL} requires authentication for /state (401 Unauthorized); pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET)\n`;

describe('a Mesos master that refuses to be read: exit 2', () => {
  test.each([
    [['get', 'agents']],
    [['get', 'frameworks']],
    [['get', 'tasks']],
    [['describe', 'agent', 'agent-1']],
    [['delete', 'framework', 'fw-k8sm-0001', '--yes']],
    [['diagnose', 'cluster']],
    [['diagnose', 'pod']],
    [['get', 'orphans']],
    [['delete', 'orphans', '--yes']],
  ])('%j, 401 without credentials: what to pass', async (cmd) => {
    const mesos = new FakeMesos({ fail: missing });
    const r = await k8smctl([...cmd, ...M], { factory: fakeFactory({ mesos }) });
    expect(r.stderr).toBe(MISSING_LINE);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(mesos.teardowns).toEqual([]);
  });

  test('401 with a principal: check it and the secret', async () => {
    const mesos = new FakeMesos({
      fail: clientError({
        service: 'mesos-master',
        kind: 'unauthorized',
        reason: 'credentials-rejected',
        status: 401,
        message: `Mesos master ${MASTER_URL} rejected the credentials of principal "ops" for /state (401 Unauthorized)`,
        details: { principal: 'ops' },
      }),
    });
    const r = await k8smctl(['get', 'agents', ...M, '--mesos-principal', 'ops'], { factory: fakeFactory({ mesos, env: { MESOS_SECRET: 's3cret' } }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: Mesos master ${MASTER_URL} rejected the credentials of principal "ops" for /state (401 Unauthorized); check --mesos-principal and the secret (--mesos-secret-file or $MESOS_SECRET)\n`,
    );
    expect(r.stderr).not.toContain('s3cret');
  });

  test('403: anonymous, give credentials; with a principal, ask for read access for it', async () => {
    const anonymous = new FakeMesos({
      fail: clientError({
        service: 'mesos-master',
        kind: 'forbidden',
        status: 403,
        message: `Mesos master ${MASTER_URL} forbids anonymous requests to read /state (403 Forbidden)`,
      }),
    });
    const a = await k8smctl(['get', 'frameworks', ...M], { factory: fakeFactory({ mesos: anonymous }) });
    expect(a.code).toBe(2);
    expect(a.stderr).toBe(
      `error: Mesos master ${MASTER_URL} forbids anonymous requests to read /state (403 Forbidden); pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET), or ask the Mesos operators to grant read access in the ACLs\n`,
    );
    const named = new FakeMesos({
      fail: clientError({
        service: 'mesos-master',
        kind: 'forbidden',
        status: 403,
        message: `Mesos master ${MASTER_URL} forbids principal "ops" to read /state (403 Forbidden)`,
        details: { principal: 'ops' },
      }),
    });
    const n = await k8smctl(['get', 'frameworks', ...M, '--mesos-principal', 'ops'], { factory: fakeFactory({ mesos: named, env: { MESOS_SECRET: 'x' } }) });
    expect(n.code).toBe(2);
    expect(n.stderr).toBe(
      `error: Mesos master ${MASTER_URL} forbids principal "ops" to read /state (403 Forbidden); ask the Mesos operators to grant principal "ops" read access in the ACLs\n`,
    );
  });

  test('a ZooKeeper that refuses to be read (NO_AUTH): exit 2, pass the master URL instead', async () => {
    const mesos = new FakeMesos({
      fail: clientError({
        service: 'zookeeper',
        kind: 'forbidden',
        reason: 'zk-no-auth',
        target: 'zk://z:2181/mesos',
        message: 'ZooKeeper z:2181 refuses to let k8smctl read /mesos (NO_AUTH)',
      }),
    });
    const r = await k8smctl(['get', 'agents', '--mesos-master', 'zk://z:2181/mesos'], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: ZooKeeper z:2181 refuses to let k8smctl read /mesos (NO_AUTH); ZooKeeper ACLs are not supported; pass the master URL as --mesos-master\n',
    );
  });

  test('--debug still shows the refusal it came from', async () => {
    const r = await k8smctl(['get', 'agents', ...M, '--debug'], { factory: fakeFactory({ mesos: new FakeMesos({ fail: missing }) }) });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(MISSING_LINE.trimEnd());
    expect(r.stderr).toMatch(/^caused by: ClientError: Mesos master .* \(401 Unauthorized\)/m);
  });

  test('a refused teardown (the master was read) stays a refusal: exit 1', async () => {
    const mesos = new FakeMesos({
      teardownError: clientError({
        kind: 'unauthorized',
        reason: 'credentials-missing',
        service: 'mesos-master',
        status: 401,
        message: `Mesos master ${MASTER_URL} requires authentication for /master/teardown (401 Unauthorized)`,
      }),
    });
    const r = await k8smctl(['delete', 'framework', 'fw-k8sm-0001', '--yes', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: Mesos master .* \/master\/teardown \(401 Unauthorized\); pass --mesos-principal with --mesos-secret-file \(or \$MESOS_SECRET\)$/m,
    );
  });
});

describe('diagnose: an apiserver that refuses to list the pods is a cluster that cannot be read (exit 2)', () => {
  test('401: refresh the credentials in the kubeconfig', async () => {
    const kube = new FakeKube({
      fail: clientError({
        service: 'kube-apiserver',
        kind: 'unauthorized',
        reason: 'credentials-rejected',
        status: 401,
        message: 'kube-apiserver https://k:6443 rejected the credentials of kubeconfig user "u" (context "c") (401 Unauthorized)',
      }),
    });
    for (const cmd of [
      ['diagnose', 'cluster'],
      ['diagnose', 'pod'],
    ]) {
      const r = await k8smctl([...cmd, ...M], { factory: fakeFactory({ kube }) });
      expect(r.stderr).toBe(
        'error: kube-apiserver https://k:6443 rejected the credentials of kubeconfig user "u" (context "c") (401 Unauthorized); the token or client certificate is wrong or expired; refresh it in the kubeconfig\n',
      );
      expect(r.code).toBe(2);
    }
  });

  test('403 on the pods of a namespace: RBAC, or another --namespace', async () => {
    const kube = new FakeKube({
      fail: clientError({
        service: 'kube-apiserver',
        kind: 'forbidden',
        status: 403,
        message: 'kube-apiserver https://k:6443 forbids user "limited" to list pods in namespace "team-a" (403 Forbidden)',
        details: { namespaced: true },
      }),
    });
    const r = await k8smctl(['diagnose', 'pod', '-n', 'team-a', ...M], { factory: fakeFactory({ kube }) });
    expect(r.stderr).toBe(
      'error: kube-apiserver https://k:6443 forbids user "limited" to list pods in namespace "team-a" (403 Forbidden); ask an admin for RBAC access or use --namespace\n',
    );
    expect(r.code).toBe(2);
  });
});
