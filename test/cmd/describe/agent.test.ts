/** `k8smctl describe agent`, in-process with a fake Mesos client. */
import { k8smctl } from '../harness.js';
import { clientError, fakeFactory, FakeMesos, MASTER_URL } from '../fakes.js';

const M = ['--mesos-master', MASTER_URL];

describe('describe agent', () => {
  test("the master state plus the agent's own state and flags; only that agent is asked; exit 0", async () => {
    const mesos = new FakeMesos();
    const r = await k8smctl(['describe', 'agent', 'agent-1', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(mesos.agentsAsked).toEqual(['7e8f-S0']);
    expect(r.stdout).toMatch(/^Name:\s+agent-1$/m);
    expect(r.stdout).toMatch(/31000-31001\s+used\s+pod\.1b6a7c2e\S*\s+web\.default\s+Kubernetes/);
    expect(r.stdout).toMatch(/executor_shutdown_grace_period:\s+5secs/);
  });

  test('the short shutdown grace finding says how to clean up today, with commands that exist', async () => {
    const r = await k8smctl(['describe', 'agent', 'agent-1', ...M]);
    const finding = r.stdout.split('\n').find((l) => l.includes('agent-shutdown-grace-too-short'))!;
    expect(finding).toContain('--executor_shutdown_grace_period=30secs');
    expect(finding).toContain("'docker ps -a --filter name=k8s_' lists the kubelet containers");
    expect(finding).toContain(
      "whose MESOS_EXECUTOR_CONTAINER_UUID ('docker inspect') is the container of no k8sm executor that 'k8smctl describe agent' lists",
    );
    expect(finding).not.toMatch(/k8smctl (delete|get) orphans/);
  });

  test('by agent id and by hostname; several names, in the order given', async () => {
    const mesos = new FakeMesos();
    const r = await k8smctl(['describe', 'agent', '7e8f-S2', 'agent-2', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(0);
    expect([...r.stdout.matchAll(/^Name:\s+(\S+)$/gm)].map((m) => m[1])).toEqual(['agent-3', 'agent-2']);
    expect(mesos.agentsAsked).toEqual(['7e8f-S2', '7e8f-S1']);
  });

  test('an agent that does not answer: what the master knows is shown, a warning, exit 1', async () => {
    const mesos = new FakeMesos({ agents: { '7e8f-S1': new Error('connection refused') } });
    const r = await k8smctl(['describe', 'agent', 'agent-2', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Name:\s+agent-2$/m);
    expect(r.stderr).toBe('warning: agent agent-2 (7e8f-S1) did not answer: connection refused\n');
  });

  test('an unknown agent names the known ones, exit 1, and no agent is asked', async () => {
    const mesos = new FakeMesos();
    const r = await k8smctl(['describe', 'agent', 'agent-z', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: agent "agent-z" not found; known agents: agent-1, agent-2, agent-3\n');
    expect(mesos.agentsAsked).toEqual([]);
  });

  test('an ambiguous prefix lists the candidates, exit 1', async () => {
    const r = await k8smctl(['describe', 'agent', 'agent', ...M]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: agent "agent" is ambiguous: agent-1 \(7e8f-S0\), agent-2 \(7e8f-S1\), agent-3 \(7e8f-S2\); /);
  });

  test('no name is a usage error, nothing asked', async () => {
    const mesos = new FakeMesos();
    const r = await k8smctl(['describe', 'agent', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: Missing 1 required arg: name; see 'k8smctl describe agent --help'\n");
    expect(mesos.calls).toEqual([]);
  });

  test('a master refusing the credentials: an unreadable master, exit 2 with the hint', async () => {
    const mesos = new FakeMesos({
      fail: clientError({
        service: 'mesos-master',
        kind: 'unauthorized',
        reason: 'credentials-missing',
        status: 401,
        message: `Mesos master ${MASTER_URL} requires authentication for /state (401 Unauthorized)`,
      }),
    });
    const r = await k8smctl(['describe', 'agent', 'agent-1', ...M], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/; pass --mesos-principal with --mesos-secret-file \(or \$MESOS_SECRET\)\n$/);
  });
});
