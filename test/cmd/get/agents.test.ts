/** `k8smctl get agents`, in-process with a fake Mesos client from the factory. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k8smctl } from '../harness.js';
import { clientError, fakeFactory, FakeMesos, MASTER_URL } from '../fakes.js';

const M = ['--mesos-master', MASTER_URL];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-cmd-agents-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('get agents', () => {
  test('a table of every agent from the master alone (no agent asked), exit 0', async () => {
    const mesos = new FakeMesos();
    const r = await k8smctl(['get', 'agents', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^HOSTNAME\s+ACTIVE\s+CPUS\s+MEM\(MB\)\s+PORTS USED/);
    expect(lines.slice(1).map((l) => l.split(/\s{3,}/)[0])).toEqual(['agent-1', 'agent-2', 'agent-3']);
    expect(mesos.calls).toEqual([{}]);
    expect(mesos.agentsAsked).toEqual([]);
    expect(mesos.closed).toBe(1);
  });

  test('-o name, --no-headers', async () => {
    const r = await k8smctl(['get', 'agents', '-o', 'name', ...M]);
    expect(r.stdout).toBe('agent/agent-1\nagent/agent-2\nagent/agent-3\n');
    const t = await k8smctl(['get', 'agents', '--no-headers', ...M]);
    expect(t.stdout).not.toMatch(/HOSTNAME/);
    expect(t.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  test('-o wide asks every active agent (agent-3 is inactive); one that does not answer is marked, warned about, exit 1', async () => {
    const mesos = new FakeMesos({ agents: { '7e8f-S1': new Error('cannot reach agent agent-2 at http://127.0.0.3:5051: timed out after 2s') } });
    const r = await k8smctl(['get', 'agents', '-o', 'wide', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(1);
    expect(mesos.agentsAsked.sort()).toEqual(['7e8f-S0', '7e8f-S1']);
    expect(r.stdout).toMatch(/^agent-1\s+true/m);
    expect(r.stdout).toMatch(/^agent-2\s+unreachable/m);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'warning: agent agent-2 (7e8f-S1) did not answer: cannot reach agent agent-2 at http://127.0.0.3:5051: timed out after 2s',
      'warning: 1 of 3 agents did not answer: their rows are partial',
    ]);
  });

  test('named agents: only those are asked; one name with -o json prints the object itself', async () => {
    const mesos = new FakeMesos();
    const r = await k8smctl(['get', 'agents', 'agent-1', '-o', 'json', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(0);
    expect(mesos.agentsAsked).toEqual(['7e8f-S0']);
    const doc = JSON.parse(r.stdout) as { kind: string; hostname: string };
    expect(doc).toMatchObject({ kind: 'MesosAgent', hostname: 'agent-1' });
  });

  test('a name that matches no agent: one error line naming the known agents, exit 1; the others still print', async () => {
    const none = await k8smctl(['get', 'agents', 'nope', ...M]);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('error: agent "nope" not found (known: agent-1, agent-2, agent-3)\n');
    const some = await k8smctl(['get', 'agents', 'agent-3', 'nope', '-o', 'name', ...M]);
    expect(some.code).toBe(1);
    expect(some.stdout).toBe('agent/agent-3\n');
  });
});

describe('get agents: the connection', () => {
  test('the flags become checked client options: the timeout, the secret from its file, the CA bundle', async () => {
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, 'Very-Secret-123\n');
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const factory = fakeFactory();
    const r = await k8smctl(
      [
        'get',
        'agents',
        '--mesos-master',
        'm1:5050,https://m2:5050',
        '--request-timeout',
        '1m30s',
        '--mesos-principal',
        'ops',
        '--mesos-secret-file',
        secretFile,
        '--mesos-ca-file',
        ca,
      ],
      { factory },
    );
    expect(r.code).toBe(0);
    expect(factory.mesosOptions).toHaveLength(1);
    const o = factory.mesosOptions[0]!;
    expect(o).toMatchObject({
      master: { kind: 'urls', urls: ['http://m1:5050', 'https://m2:5050'] },
      requestTimeoutMs: 90_000,
      principal: 'ops',
      secret: 'Very-Secret-123',
      insecureSkipTlsVerify: false,
    });
    expect(String(o.caPem)).toContain('BEGIN CERTIFICATE');
    expect(r.stdout + r.stderr).not.toContain('Very-Secret-123');
  });

  test('the secret from $MESOS_SECRET', async () => {
    const factory = fakeFactory({ env: { MESOS_SECRET: 'from-env-456' } });
    expect((await k8smctl(['get', 'agents', ...M, '--mesos-principal', 'ops'], { factory })).code).toBe(0);
    expect(factory.mesosOptions[0]).toMatchObject({ principal: 'ops', secret: 'from-env-456' });
  });

  test.each([
    [[], 'error: no Mesos master given; pass --mesos-master URL|host:port|zk://host:port/path or set MESOS_MASTER'],
    [[...M, '--request-timeout', 'soon'], 'error: --request-timeout: invalid duration "soon": use e.g. 10s, 500ms, 1m30s'],
    [[...M, '--request-timeout', '0s'], 'error: --request-timeout must be greater than 0'],
    [[...M, '--mesos-principal', 'ops'], 'error: --mesos-principal "ops" needs a secret; pass --mesos-secret-file FILE or set $MESOS_SECRET'],
    [[...M, '--mesos-secret-file', '/nonexistent/secret'], 'error: --mesos-secret-file needs --mesos-principal; pass the principal the secret belongs to'],
    [
      [...M, '--mesos-principal', 'ops', '--mesos-secret-file', '/nonexistent/secret'],
      'error: cannot read --mesos-secret-file /nonexistent/secret: no such file',
    ],
    [[...M, '--mesos-ca-file', '/nonexistent/ca.pem'], 'error: cannot read --mesos-ca-file /nonexistent/ca.pem: no such file'],
    [['--mesos-master', 'ftp://m'], expect.stringMatching(/^error: invalid --mesos-master "ftp:\/\/m": scheme "ftp" is not supported/)],
    [[...M, '-o', 'xml'], expect.stringMatching(/^error: Expected --output=xml to be one of: table, wide, json, yaml, name; see 'k8smctl get agents --help'$/)],
    [[...M, '--bogus'], expect.stringMatching(/^error: Nonexistent flag: --bogus; see 'k8smctl get agents --help'$/)],
    [[...M, ''], 'error: an empty agent name was given; pass agent hostnames or ids as arguments'],
  ])('usage error %j: one line, exit 2, nothing asked', async (args, line) => {
    const mesos = new FakeMesos();
    const r = await k8smctl(['get', 'agents', ...args], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toEqual([line]);
    expect(mesos.calls).toEqual([]);
  });

  test('a CA file without a certificate is a usage error', async () => {
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    const r = await k8smctl(['get', 'agents', ...M, '--mesos-ca-file', notPem]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --mesos-ca-file ${notPem} holds no PEM certificate\n`);
  });
});

describe('get agents: the master fails (typed client errors → one line, hint, exit code)', () => {
  test.each([
    [
      'unreachable master',
      { kind: 'unreachable', reason: 'refused', message: `cannot get /state from Mesos master ${MASTER_URL} (after 3 attempts): connection refused` },
      2,
      `error: cannot get /state from Mesos master ${MASTER_URL} (after 3 attempts): connection refused; check --mesos-master (or $MESOS_MASTER) and that the masters are running`,
    ],
    [
      'no leader',
      { kind: 'no-leader', reason: 'no-leader', message: `no leading Mesos master: ${MASTER_URL}: 503 Service Unavailable, no leader elected` },
      2,
      `error: no leading Mesos master: ${MASTER_URL}: 503 Service Unavailable, no leader elected; check that a quorum of masters is running and connected to ZooKeeper, then retry`,
    ],
    [
      'timeout',
      { kind: 'timeout', reason: 'deadline', message: `cannot get /state from Mesos master ${MASTER_URL}: timed out after 1s` },
      2,
      `error: cannot get /state from Mesos master ${MASTER_URL}: timed out after 1s; the master is slow or unreachable; check it, or raise --request-timeout`,
    ],
    [
      'untrusted certificate',
      {
        kind: 'tls',
        reason: 'certificate',
        message: 'cannot verify the TLS certificate of Mesos master https://m:5050: unable to verify the first certificate',
      },
      2,
      'error: cannot verify the TLS certificate of Mesos master https://m:5050: unable to verify the first certificate; pass --mesos-ca-file with the CA that signed it, or --insecure-skip-tls-verify (insecure)',
    ],
    [
      '401 with a principal',
      {
        kind: 'unauthorized',
        reason: 'credentials-rejected',
        status: 401,
        message: `Mesos master ${MASTER_URL} rejected the credentials of principal "ops" for /state (401 Unauthorized)`,
      },
      2,
      `error: Mesos master ${MASTER_URL} rejected the credentials of principal "ops" for /state (401 Unauthorized); check --mesos-principal and the secret (--mesos-secret-file or $MESOS_SECRET)`,
    ],
    [
      '401 without credentials',
      {
        kind: 'unauthorized',
        reason: 'credentials-missing',
        status: 401,
        message: `Mesos master ${MASTER_URL} requires authentication for /state (401 Unauthorized)`,
      },
      2,
      `error: Mesos master ${MASTER_URL} requires authentication for /state (401 Unauthorized); pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET)`,
    ],
    [
      '403',
      { kind: 'forbidden', status: 403, message: `Mesos master ${MASTER_URL} forbids anonymous requests to read /state (403 Forbidden)` },
      2,
      `error: Mesos master ${MASTER_URL} forbids anonymous requests to read /state (403 Forbidden); pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET), or ask the Mesos operators to grant read access in the ACLs`,
    ],
    [
      'invalid JSON',
      { kind: 'protocol', reason: 'invalid-json', message: `master ${MASTER_URL} returned invalid JSON for /state: empty body` },
      2,
      `error: master ${MASTER_URL} returned invalid JSON for /state: empty body; is it a Mesos server? (a proxy or load balancer in between can cause this)`,
    ],
    [
      'ZooKeeper path without masters',
      { kind: 'no-leader', reason: 'zk-no-node', message: 'no leading Mesos master: zk://z:2181/mesos: ZooKeeper path /mesos does not exist on z:2181' },
      2,
      "error: no leading Mesos master: zk://z:2181/mesos: ZooKeeper path /mesos does not exist on z:2181; check the path in --mesos-master (the masters' --zk flag)",
    ],
  ] as const)('%s', async (_name, init, code, line) => {
    const mesos = new FakeMesos({ fail: clientError({ service: 'mesos-master', ...init }) });
    const r = await k8smctl(['get', 'agents', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
    expect(mesos.closed).toBe(1);
  });

  test('an unreachable ZooKeeper names the zk:// hosts', async () => {
    const mesos = new FakeMesos({
      fail: clientError({ service: 'zookeeper', kind: 'timeout', message: 'cannot reach ZooKeeper z:2181 within 10s to find the Mesos leader' }),
    });
    const r = await k8smctl(['get', 'agents', '--mesos-master', 'zk://z:2181/mesos'], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: cannot reach ZooKeeper z:2181 within 10s to find the Mesos leader; check the zk:// hosts in --mesos-master\n');
  });

  test('--debug adds the stack after the line', async () => {
    const mesos = new FakeMesos({ fail: clientError({ service: 'mesos-master', kind: 'unreachable', message: 'cannot get /state: connection refused' }) });
    const r = await k8smctl(['get', 'agents', ...M, '--debug'], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('error: cannot get /state: connection refused; check --mesos-master (or $MESOS_MASTER) and that the masters are running');
    expect(lines[1]).toMatch(/^ClientError: cannot get \/state: connection refused$/);
    expect(lines.slice(2).some((l) => /^\s+at /.test(l))).toBe(true);
  });

  test('Ctrl-C: an aborted request ends the command quietly with 130 (SIGTERM: 143)', async () => {
    for (const [reason, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const mesos = new FakeMesos({
        fail: clientError({ service: 'mesos-master', kind: 'aborted', message: `request aborted (${reason})`, details: { reason } }),
      });
      const r = await k8smctl(['get', 'agents', ...M], { factory: fakeFactory({ mesos }) });
      expect(r).toEqual({ code, stdout: '', stderr: '' });
    }
  });
});
