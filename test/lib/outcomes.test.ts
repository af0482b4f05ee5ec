/** The one place that words failures and picks exit codes (src/lib/outcomes.ts). */
import { ClientError, type ClientErrorInit } from '../../src/clients/errors.js';
import { UnreachableError, UsageError, UserError } from '../../src/lib/errors.js';
import { describeFailure, exitCodeOf, type Outcome } from '../../src/lib/outcomes.js';
import { MesosFormatError } from '../../src/core/mesos/json-node.js';

const line = (init: ClientErrorInit) => describeFailure(new ClientError(init)).lines[0];

test.each([
  ['ok', 0],
  ['findings', 1],
  ['partial', 1],
  ['failed', 1],
  ['usage', 2],
  ['unreadable', 2],
  ['interrupted', 130],
  ['terminated', 143],
] as Array<[Outcome, number]>)('outcome %s exits %i', (o, code) => expect(exitCodeOf(o)).toBe(code));

test.each([
  ['unreachable', 2],
  ['timeout', 2],
  ['tls', 2],
  ['protocol', 2],
  ['truncated', 2],
  ['too-large', 2],
  ['server', 2],
  ['no-leader', 2],
  ['rejected', 2],
  ['config', 2],
  ['unauthorized', 1],
  ['forbidden', 1],
  ['not-found', 1],
  ['conflict', 1],
] as const)('a client error of kind %s exits %i', (kind, code) => {
  expect(describeFailure(new ClientError({ kind, message: 'm', service: 'mesos-master' })).exitCode).toBe(code);
});

test('hints name the flag to change, by service and reason', () => {
  expect(line({ kind: 'tls', reason: 'not-https', service: 'mesos-master', message: 'TLS handshake with Mesos master https://m failed' })).toBe(
    'error: TLS handshake with Mesos master https://m failed; use an http:// URL in --mesos-master',
  );
  expect(line({ kind: 'forbidden', reason: 'zk-no-auth', service: 'zookeeper', message: 'no' })).toBe(
    'error: no; ZooKeeper ACLs are not supported; pass the master URL as --mesos-master',
  );
  expect(line({ kind: 'tls', service: 'kube-apiserver', message: 'bad cert', details: { cluster: 'prod' } })).toBe(
    'error: bad cert; fix certificate-authority of cluster "prod" in the kubeconfig (or set insecure-skip-tls-verify there, insecure)',
  );
  expect(line({ kind: 'forbidden', service: 'kube-apiserver', message: 'no nodes', details: { namespaced: false } })).toBe(
    'error: no nodes; ask an admin for RBAC access',
  );
  expect(
    line({
      kind: 'config',
      reason: 'no-current-context',
      service: 'kube-apiserver',
      message: 'kubeconfig k has no current-context',
      details: { contexts: [] },
    }),
  ).toBe('error: kubeconfig k has no current-context; pass --context (it has no contexts)');
  expect(
    line({ kind: 'config', reason: 'kubeconfig-not-found', service: 'kube-apiserver', message: 'no kubeconfig found', details: { explicit: false } }),
  ).toBe('error: no kubeconfig found; pass --kubeconfig, set $KUBECONFIG, or create ~/.kube/config');
  expect(line({ kind: 'config', reason: 'kubeconfig-env-empty', service: 'kube-apiserver', message: 'none' })).toBe(
    'error: none; fix $KUBECONFIG or pass --kubeconfig',
  );
  expect(line({ kind: 'not-found', service: 'kube-apiserver', message: 'pod "p" not found in namespace "n"', details: { resource: 'pods' } })).toBe(
    'error: pod "p" not found in namespace "n"; check the name, or pass -n/--namespace',
  );
  // A failure the client layer has no advice for: the facts alone.
  expect(line({ kind: 'rejected', service: 'kube-apiserver', message: 'kube-apiserver answered 422' })).toBe('error: kube-apiserver answered 422');
});

test('a server error (5xx) says the fault is on the server, and what to do: retry (unless the client already did), check its logs', () => {
  expect(
    line({
      kind: 'server',
      service: 'kube-apiserver',
      status: 500,
      message: 'kube-apiserver http://k:6443 answered 500 Internal Server Error to list pods in all namespaces',
    }),
  ).toBe(
    'error: kube-apiserver http://k:6443 answered 500 Internal Server Error to list pods in all namespaces; the apiserver failed on its side; retry, and check its logs if it keeps failing',
  );
  // A master read is retried: no second "retry" after "(after 3 attempts)".
  expect(
    line({
      kind: 'server',
      service: 'mesos-master',
      message: 'cannot get /state from Mesos master http://m:5050 (after 3 attempts): answered 500 Internal Server Error',
      details: { masters: ['http://m:5050'], attempts: 3 },
    }),
  ).toBe(
    'error: cannot get /state from Mesos master http://m:5050 (after 3 attempts): answered 500 Internal Server Error; the master failed on its side; check its logs',
  );
  expect(
    line({
      kind: 'server',
      service: 'mesos-master',
      message: 'cannot get /state from Mesos master http://m:5050: answered 500 Internal Server Error',
      details: { masters: ['http://m:5050'] },
    }),
  ).toBe(
    'error: cannot get /state from Mesos master http://m:5050: answered 500 Internal Server Error; the master failed on its side; retry, and check its logs if it keeps failing',
  );
  expect(line({ kind: 'server', service: 'mesos-agent', message: 'agent a1 answered 500 Internal Server Error for /state' })).toBe(
    'error: agent a1 answered 500 Internal Server Error for /state; the agent failed on its side; retry, and check its logs if it keeps failing',
  );
});

test('command-layer errors keep their outcome and hint', () => {
  expect(describeFailure(new UsageError('bad flag', 'use --x'))).toEqual({ lines: ['error: bad flag; use --x'], exitCode: 2, outcome: 'usage' });
  expect(describeFailure(new UnreachableError('no file')).exitCode).toBe(2);
  expect(describeFailure(new UserError('agent "x" not found', { outcome: 'failed' })).exitCode).toBe(1);
  // a Mesos answer of the wrong shape: the cluster could not be read
  expect(describeFailure(new MesosFormatError('/state of master http://m:5050', 'slaves', 'is a string, expected an array')).exitCode).toBe(2);
});

test('oclif parse errors are usage errors pointing at the help; a closed stdout and --help are not errors', () => {
  const parse = Object.assign(new Error('Nonexistent flag: --x\nSee more help with --help'), { oclif: { exit: 2 } });
  expect(describeFailure(parse, { commandId: 'get agents' })).toEqual({
    lines: ["error: Nonexistent flag: --x; see 'k8smctl get agents --help'"],
    exitCode: 2,
    outcome: 'usage',
  });
  expect(describeFailure(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toEqual({ lines: [], exitCode: 0, outcome: 'closed-pipe' });
  expect(describeFailure(Object.assign(new Error('help'), { oclif: { exit: 0 } })).exitCode).toBe(0);
});

test('an unexpected error is one line and exit 1; --debug adds the stack and the cause', () => {
  const e = new Error('boom', { cause: new Error('deeper') });
  expect(describeFailure(e).lines).toEqual(['error: boom']);
  const debug = describeFailure(e, { debug: true });
  expect(debug.exitCode).toBe(1);
  expect(debug.lines[1]).toMatch(/^Error: boom\n\s+at /);
  expect(debug.lines[2]).toMatch(/^caused by: Error: deeper/);
});

test('a SUBSCRIBE the master refused for good says what to change (scheduler run)', () => {
  const base = { service: 'mesos-master' as const, message: 'Mesos master http://m:5050 answered 403 Forbidden to SUBSCRIBE' };
  expect(line({ ...base, kind: 'forbidden', reason: 'subscribe-forbidden', details: { principal: 'k8sm' } })).toBe(
    'error: Mesos master http://m:5050 answered 403 Forbidden to SUBSCRIBE; ask the Mesos operators to let principal "k8sm" register frameworks (ACL register_frameworks) with --mesos-framework-roles, or check --mesos-principal',
  );
  expect(line({ ...base, kind: 'rejected', reason: 'subscribe-refused' })).toMatch(
    /; the master refused the framework's settings: check what it says against --mesos-framework-roles/,
  );
  expect(line({ ...base, kind: 'unauthorized', reason: 'credentials-rejected' })).toMatch(/; check --mesos-principal and the secret/);
});
