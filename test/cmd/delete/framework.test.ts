/** `k8smctl delete framework`, in-process with a fake Mesos client. */
import { k8smctl } from '../harness.js';
import { clientError, fakeFactory, FakeMesos, MASTER_URL, mesosFixture } from '../fakes.js';

const M = ['--mesos-master', MASTER_URL];

/** The master fixture with the k8sm framework's scheduler gone (inactive, disconnected). */
function leftover(): FakeMesos {
  const master = mesosFixture('master-state.json');
  const fw = (master['frameworks'] as Array<Record<string, unknown>>).find((f) => f['id'] === 'fw-k8sm-0001')!;
  fw['active'] = false;
  fw['connected'] = false;
  return new FakeMesos({ master });
}

describe('delete framework', () => {
  test('--yes: shows the framework and its tasks per agent, then tears it down; exit 0', async () => {
    const mesos = leftover();
    const r = await k8smctl(['delete', 'framework', 'fw-k8sm-0001', '--yes', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Framework Kubernetes \(fw-k8sm-0001\): inactive, disconnected/m);
    expect(r.stdout).toMatch(/^Tearing it down kills 2 tasks on 2 agents:$/m);
    expect(r.stdout).toMatch(/^ {2}agent-1\s+1\s+web.default.pod$/m);
    expect(r.stdout).toMatch(/^ {2}agent-2\s+1\s+api.team-b.pod$/m);
    expect(r.stdout).toMatch(/^framework Kubernetes \(fw-k8sm-0001\) torn down through \/api\/v1 TEARDOWN of \S+: the master kills its 2 tasks$/m);
    expect(mesos.teardowns).toEqual(['fw-k8sm-0001']);
  });

  test('by name; --dry-run tears nothing down', async () => {
    const mesos = leftover();
    const r = await k8smctl(['delete', 'framework', 'Kubernetes', '--dry-run', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Kubernetes \(fw-k8sm-0001\)/);
    expect(r.stderr).toMatch(/^dry run: nothing was torn down$/m);
    expect(mesos.teardowns).toEqual([]);
  });

  test('the failover timeout reads as a duration, the maximum (2^62 ns, as k8sm registers) as years; one task on one agent', async () => {
    const master = mesosFixture('master-state.json'); // k8sm: failover_timeout 4611686018.42739; marathon: 604800, 1 task
    const mesos = new FakeMesos({ master });
    const k8sm = await k8smctl(['delete', 'framework', 'Kubernetes', '--dry-run', ...M], { factory: fakeFactory({ mesos }) });
    expect(k8sm.stdout).toMatch(/^Framework Kubernetes \(fw-k8sm-0001\): active, connected, failover timeout about 146 years$/m);
    const marathon = await k8smctl(['delete', 'framework', 'marathon', '--dry-run', ...M], { factory: fakeFactory({ mesos }) });
    expect(marathon.stdout).toMatch(/, failover timeout 1w$/m);
    expect(marathon.stdout).toMatch(/^Tearing it down kills 1 task on 1 agent:$/m);
    const no = await k8smctl(['delete', 'framework', 'marathon', ...M], { factory: fakeFactory({ mesos }), tty: true, confirm: () => false });
    expect(no.questions).toEqual(['Tear down framework marathon (fw-marathon-0002) and kill its 1 task?']);
  });

  test('without a terminal and without --yes: refused, exit 2, nothing torn down; on a terminal "no" declines (exit 1)', async () => {
    const mesos = leftover();
    const r = await k8smctl(['delete', 'framework', 'fw-k8sm-0001', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: refusing to tear down framework fw-k8sm-0001 without confirmation: no terminal to ask on, nothing was done; pass --yes/m);
    const no = await k8smctl(['delete', 'framework', 'fw-k8sm-0001', ...M], { factory: fakeFactory({ mesos }), tty: true, confirm: () => false });
    expect(no.questions).toEqual(['Tear down framework Kubernetes (fw-k8sm-0001) and kill its 2 tasks?']);
    expect(no.code).toBe(1);
    expect(mesos.teardowns).toEqual([]);
  });

  test('an active, connected framework: a warning before the confirmation', async () => {
    const mesos = new FakeMesos();
    const r = await k8smctl(['delete', 'framework', 'marathon', '--dry-run', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.stderr).toMatch(/^warning: framework marathon is active.*its scheduler is running, tearing it down stops it for good$/m);
  });

  test('a completed framework: nothing to do, exit 0; an unknown one: exit 1 naming the registered ones', async () => {
    const mesos = leftover();
    const done = await k8smctl(['delete', 'framework', 'fw-old-0000', '--yes', ...M], { factory: fakeFactory({ mesos }) });
    expect(done.code).toBe(0);
    expect(done.stdout).toBe('framework Kubernetes-old (fw-old-0000) is already torn down (completed): nothing to do\n');
    const none = await k8smctl(['delete', 'framework', 'nope', '--yes', ...M], { factory: fakeFactory({ mesos }) });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('error: no framework "nope" is registered with the master (registered: Kubernetes (fw-k8sm-0001), marathon (fw-marathon-0002))\n');
    expect(mesos.teardowns).toEqual([]);
  });

  test('the master refuses the teardown: one line, exit 1', async () => {
    const mesos = new FakeMesos({
      master: mesosFixture('master-state.json'),
      teardownError: clientError({
        kind: 'forbidden',
        reason: 'teardown-forbidden',
        service: 'mesos-master',
        status: 403,
        message: 'Mesos master http://127.0.0.1:5050 forbids anonymous requests to tear down framework fw-k8sm-0001 (403 Forbidden)',
      }),
    });
    const r = await k8smctl(['delete', 'framework', 'fw-k8sm-0001', '--yes', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: Mesos master http:\/\/127.0.0.1:5050 forbids anonymous requests to tear down framework fw-k8sm-0001 \(403 Forbidden\); ask the Mesos operators to allow this principal to tear down the framework \(ACL teardown_frameworks\)/m,
    );
  });

  test.each([
    ['timeout', 'cannot post to /master/teardown on Mesos master http://127.0.0.1:5050: timed out after 10s'],
    ['unreachable', 'cannot post to /master/teardown on Mesos master http://127.0.0.1:5050: connection closed before the response was complete'],
    ['server', 'cannot post to /master/teardown on Mesos master http://127.0.0.1:5050: answered 500 Internal Server Error'],
  ] as const)('the teardown request fails (%s) after the master was read: the outcome is unknown, say so and how to check; exit 1', async (kind, message) => {
    const mesos = new FakeMesos({ master: mesosFixture('master-state.json'), teardownError: clientError({ kind, service: 'mesos-master', message }) });
    const r = await k8smctl(['delete', 'framework', 'fw-k8sm-0001', '--yes', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([
      `error: tearing down framework Kubernetes (fw-k8sm-0001) may or may not have happened: ${message}; check with 'k8smctl get frameworks', and run this again if it is still registered`,
    ]);
  });

  test('no framework argument: usage error', async () => {
    const r = await k8smctl(['delete', 'framework', ...M]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Missing 1 required arg/);
  });
});
