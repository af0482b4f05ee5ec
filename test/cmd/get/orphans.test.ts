/** `k8smctl get orphans`, in-process with fake Mesos, apiserver and Docker engines. */
import { ClientError } from '../../../src/clients/errors.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k8smctl } from '../harness.js';
import { clientError, fakeFactory, FakeMesos, MASTER_URL, mesosFixture } from '../fakes.js';
import { engines } from '../fake-docker.js';
import { A1, A2, agent1State, DOCKER, world } from '../orphans-world.js';

const M = ['--mesos-master', MASTER_URL];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-cmd-orphans-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Doc {
  summary: Record<string, number>;
  containers: Array<{
    containerName: string;
    class: string;
    reason: string;
    unprovenReason: string | null;
    evidence: Array<{ kind: string }>;
    hostPorts: number[];
  }>;
  unreadable: Array<{ agent: string; what: string; error: string }>;
  leftovers: { frameworks: unknown[]; tasksWithoutFramework: unknown[]; tasksWithoutPod: unknown[] };
}

describe('get orphans', () => {
  test('classification table: live, orphans with proof and evidence, unproven without the marker or with its task running; exit 1', async () => {
    const w = world();
    const f = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
    const r = await k8smctl(['get', 'orphans', '-o', 'json', ...DOCKER, ...M], { factory: f });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    const byName = new Map(doc.containers.map((c) => [c.containerName.split('_')[1]!.split('.')[0] + '/' + c.containerName.split('_')[2], c]));
    expect(byName.get('app/web')).toMatchObject({ class: 'live' });
    expect(byName.get('app/old')).toMatchObject({ class: 'orphan', hostPorts: [31001] });
    // The master fixture still lists the pod's task old.default.pod as finished on agent-1.
    expect(
      byName
        .get('app/old')!
        .evidence.map((e) => e.kind)
        .sort(),
    ).toEqual(['executor-completed', 'pod-deleted', 'task-terminal']);
    expect(byName.get('POD/old')).toMatchObject({ class: 'orphan' });
    expect(byName.get('app/plain')).toMatchObject({ class: 'unproven', unprovenReason: 'no-marker' });
    expect(byName.get('app/api')).toMatchObject({ class: 'unproven', unprovenReason: 'task-running' });
    expect(doc.summary).toEqual({ orphan: 2, live: 1, unproven: 2, unreadableAgents: 0 });
    // One list per engine, one inspect per kubelet container.
    expect(w.e1.counters).toEqual({ list: 1, inspect: 4, stop: 0, remove: 0 });
    expect(w.e2.counters).toEqual({ list: 1, inspect: 1, stop: 0, remove: 0 });
    expect(r.stderr).toMatch(/^2 orphaned containers: 'k8smctl delete orphans' stops and removes them after showing the plan$/m);
  });

  test('table columns, and the Mesos-level leftovers: an inactive framework with tasks, a task whose pod is gone', async () => {
    const w = world();
    const master = mesosFixture('master-state.json');
    const fw = (master['frameworks'] as Array<Record<string, unknown>>).find((x) => x['id'] === 'fw-k8sm-0001')!;
    Object.assign(fw, { active: false, connected: false, failover_timeout: 604800, unregistered_time: Date.parse('2025-12-31T00:00:00Z') / 1000 });
    const mesos = new FakeMesos({ master, agents: w.agents });
    const f = fakeFactory({ mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
    const r = await k8smctl(['get', 'orphans', ...DOCKER, ...M], { factory: f });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^AGENT\s+CONTAINER\s+NAME\s+POD\s+EXECUTOR CONTAINER\s+CLASS\s+REASON\s+AGE\s+STATE\s+HOST PORTS$/);
    const orphan = lines.find((l) => l.includes('bbbb02'))!;
    expect(orphan).toMatch(
      /^agent-1\s+bbbb02000000\s+k8s_app\S+\s+default\/old\s+exec-dead\s+orphan\s+executor container exec-dead is not running on agent-1.*\s+60m\s+running\s+31001$/,
    );
    const leftovers = r.stdout.slice(r.stdout.indexOf('\nMesos-level leftovers:\n'));
    expect(leftovers.trimEnd().split('\n').slice(2)).toEqual([
      "  framework Kubernetes (fw-k8sm-0001) is inactive with 2 tasks still running; the master tears it down in 6d (failover timeout 1w); 'k8smctl delete framework fw-k8sm-0001' tears it down",
      '  k8sm task pod.2c7b8d3f-8a3f-11ee-b9d1-0242ac120002 is TASK_STAGING on agent agent-2 but its pod team-b/api no longer exists',
    ]);
    expect(r.code).toBe(1);
  });

  test('-o wide adds the evidence and the grace period; -o yaml is the same document as json', async () => {
    const w = world();
    const f = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
    const wide = await k8smctl(['get', 'orphans', '-o', 'wide', '--agent', 'agent-1', ...DOCKER, ...M], { factory: f });
    expect(wide.stdout.split('\n')[0]).toMatch(/\s+HOST PORTS\s+EVIDENCE\s+GRACE$/);
    expect(wide.stdout).toMatch(/bbbb02000000 .* executor 0000dead_k8sm-executor completed at 2025-12-31T23:00:00.000Z; pod deleted; task \S+ TASK_\w+\s+7s$/m);
    const yaml = await k8smctl(['get', 'orphans', '-o', 'yaml', '--agent', 'agent-1', ...DOCKER, ...M], { factory: f });
    expect(yaml.stdout).toMatch(/^kind: OrphanReport$/m);
    expect(yaml.stdout).toMatch(/^ {2}orphan: 2$/m);
  });

  test('no orphan: exit 0', async () => {
    const w = world();
    w.e1.containers.delete('bbbb02'.padEnd(64, '0'));
    w.e1.containers.delete('bbbb03'.padEnd(64, '0'));
    const f = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
    const r = await k8smctl(['get', 'orphans', '--agent', 'agent-1', ...DOCKER, ...M], { factory: f });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/live/);
    expect(r.stdout).not.toMatch(/orphan\s/);
    expect(w.e2.counters.list).toBe(0);
  });

  test('an engine that never answers is reported unreadable after the deadline while the other answers; exit 1', async () => {
    const w = world({ agent2: { hang: true } });
    w.e1.containers.clear();
    const f = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
    const r = await k8smctl(['get', 'orphans', '-o', 'json', '--docker-timeout', '200ms', ...DOCKER, ...M], { factory: f });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.unreadable).toEqual([expect.objectContaining({ agent: 'agent-2', what: 'engine', error: expect.stringMatching(/no answer within 0.2s/) })]);
    expect(r.stderr).toMatch(
      /^warning: agent agent-2: Docker engine unreadable, its containers are not checked: .*no answer within 0.2s; the engine is slow or unreachable; check it, or raise --docker-timeout$/m,
    );
    expect(w.e1.counters.list).toBe(1);
  });

  test('an endpoint that is not a Docker engine: reported unreadable with what to check, never a clean agent; exit 1', async () => {
    const listError = new ClientError({
      kind: 'protocol',
      reason: 'not-docker',
      service: 'docker-engine',
      message: 'Docker engine tcp://127.0.0.3:5051: listing containers: the answer is not a Docker container list',
    });
    const w = world({ agent2: { listError } });
    w.e1.containers.clear();
    const f = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
    const r = await k8smctl(['get', 'orphans', ...DOCKER, ...M], { factory: f });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^warning: agent agent-2: Docker engine unreadable, its containers are not checked: .*not a Docker container list; is it a Docker engine\? check its endpoint \(--docker-endpoints, --docker-endpoint\)$/m,
    );
  });

  test('an agent whose /state does not answer: its containers are unproven, never orphans; exit 1', async () => {
    const w = world({ agents: { '7e8f-S0': new Error('cannot reach agent agent-1: connection refused') } });
    const f = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
    const r = await k8smctl(['get', 'orphans', '-o', 'json', '--agent', 'agent-1', ...DOCKER, ...M], { factory: f });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.containers.map((c) => c.class)).toEqual(['unproven', 'unproven', 'unproven', 'unproven']);
    expect(doc.containers.every((c) => c.unprovenReason === 'agent-unreadable')).toBe(true);
    expect(doc.unreadable).toEqual([expect.objectContaining({ agent: 'agent-1', what: 'agent-state' })]);
  });

  test('an agent whose /state and engine both fail counts once; the closing warning says so; exit 1', async () => {
    const listError = new ClientError({ kind: 'unreachable', service: 'docker-engine', message: 'Docker engine tcp://127.0.0.3:2375: connection refused' });
    const w = world({ agent2: { listError }, agents: { '7e8f-S0': agent1State(), '7e8f-S1': new Error('connection refused') } });
    const f = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
    const r = await k8smctl(['get', 'orphans', '-o', 'json', ...DOCKER, ...M], { factory: f });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.unreadable.map((u) => [u.agent, u.what])).toEqual([
      ['agent-2', 'engine'],
      ['agent-2', 'agent-state'],
    ]);
    expect(doc.summary['unreadableAgents']).toBe(1);
    expect(r.stderr).toMatch(/^warning: 1 agent could not be checked \(see the warnings\): orphans there are not known$/m);
  });

  test('no engine could be read: "orphans unknown", never "No kubelet containers found."; both agents counted once; exit 1', async () => {
    const listError = new ClientError({ kind: 'protocol', service: 'docker-engine', message: 'the answer is not a Docker container list' });
    const w = world({ agent1: { listError }, agent2: { listError }, agents: { '7e8f-S0': new Error('refused'), '7e8f-S1': new Error('refused') } });
    const f = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
    const r = await k8smctl(['get', 'orphans', ...DOCKER, ...M], { factory: f });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/CONTAINER/); // no table; the Mesos-level leftovers still show
    expect(r.stderr).not.toMatch(/No kubelet containers found/);
    expect(r.stderr).toMatch(
      /^No agent's Docker engine could be read: orphans unknown \(see the warnings above\)\.\nwarning: 2 agents could not be checked \(see the warnings\): orphans there are not known\n$/m,
    );
    const json = await k8smctl(['get', 'orphans', '-o', 'json', ...DOCKER, ...M], { factory: f });
    expect((JSON.parse(json.stdout) as Doc).summary).toEqual({ orphan: 0, live: 0, unproven: 0, unreadableAgents: 2 });
  });

  test('without the apiserver: a warning, the proof still stands (no pod evidence)', async () => {
    const w = world();
    const f = fakeFactory({
      mesos: w.mesos,
      kube: clientError({ kind: 'config', service: 'kube-apiserver', reason: 'kubeconfig-not-found', message: 'no kubeconfig found' }),
      docker: engines({ [A1]: w.e1, [A2]: w.e2 }),
    });
    const r = await k8smctl(['get', 'orphans', '-o', 'json', '--agent', 'agent-1', ...DOCKER, ...M], { factory: f });
    expect(r.stderr).toMatch(/^warning: pods not read \(no kubeconfig found\): no apiserver evidence is shown$/m);
    const doc = JSON.parse(r.stdout) as Doc;
    const old = doc.containers.find((c) => c.containerName.includes('_old_') && c.containerName.startsWith('k8s_app'))!;
    expect(old.class).toBe('orphan');
    expect(old.evidence.map((e) => e.kind)).toEqual(['executor-completed', 'task-terminal']);
  });

  test('an agent with no way to reach its engine is unreadable (no map entry, no template, not this machine)', async () => {
    const w = world();
    const f = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({}) });
    const r = await k8smctl(['get', 'orphans', '--agent', 'agent-1', ...M], { factory: f });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/warning: agent agent-1: Docker engine unreadable.*no Docker endpoint for agent agent-1/);
  });

  test('the local engine (DOCKER_HOST) answers for the agent this runs on only when --agent names it', async () => {
    const w = world();
    const master = mesosFixture('master-state.json');
    // agent-1 runs here: its pid is on this machine's loopback address.
    (master['slaves'] as Array<Record<string, unknown>>).find((a) => a['id'] === '7e8f-S0')!['pid'] = 'slave(1)@127.0.0.1:5051';
    const local = 'tcp://127.0.0.9:2375';
    const mk = () =>
      fakeFactory({ mesos: new FakeMesos({ master, agents: w.agents }), kube: w.kube, docker: engines({ [local]: w.e1 }), env: { DOCKER_HOST: local } });
    const all = await k8smctl(['get', 'orphans', ...M], { factory: mk() });
    expect(all.stderr).toMatch(/warning: agent agent-1: Docker engine unreadable.*no Docker endpoint for agent agent-1/);
    expect(w.e1.counters.list).toBe(0);
    const named = await k8smctl(['get', 'orphans', '--agent', 'agent-1', '-o', 'json', ...M], { factory: mk() });
    expect(w.e1.counters.list).toBe(1);
    expect((JSON.parse(named.stdout) as Doc).summary).toMatchObject({ orphan: 2, unreadableAgents: 0 });
  });

  test('--docker-endpoints map wins over the template', async () => {
    const w = world();
    const map = join(dir, 'engines.yaml');
    writeFileSync(map, `agent-1: ${A1}\n7e8f-S1: tcp://10.9.9.9:2375\n`);
    const asked: string[] = [];
    const f = fakeFactory({
      mesos: w.mesos,
      kube: w.kube,
      docker: (o) => {
        asked.push(o.endpoint.url);
        return o.endpoint.url === A1 ? w.e1 : undefined;
      },
    });
    const r = await k8smctl(['get', 'orphans', '--docker-endpoints', map, '--docker-endpoint', 'tcp://{hostname}:1', ...M], { factory: f });
    expect(asked.sort()).toEqual(['tcp://10.9.9.9:2375', A1]);
    expect(r.stderr).toMatch(/agent agent-2: Docker engine unreadable, its containers are not checked: no fake Docker engine for tcp:\/\/10.9.9.9:2375/);
  });

  describe('usage errors: one line, exit 2, no engine asked', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['unknown placeholder', ['--docker-endpoint', 'tcp://{host}:2375'], /^error: --docker-endpoint: unknown placeholder \{host\}/],
      ['bad scheme', ['--docker-endpoint', 'http2://{ip}'], /^error: --docker-endpoint: .*use unix:\/\/, tcp:\/\/ or ssh:\/\//],
      [
        'missing map file',
        ['--docker-endpoints', '/nonexistent/engines.yaml'],
        /^error: --docker-endpoints: cannot read \/nonexistent\/engines.yaml: no such file$/m,
      ],
      ['bad duration', ['--docker-timeout', 'soon'], /^error: --docker-timeout: invalid duration "soon"/],
      ['cert path without TLS', ['--docker-cert-path', '/tmp'], /^error: --docker-cert-path needs --docker-tls-verify/],
      ['TLS without certificates', ['--docker-tls-verify', '--docker-cert-path', '/nonexistent'], /^error: TLS is on but cannot read \/nonexistent\/ca.pem/],
      ['unknown agent', ['--agent', 'nope', ...DOCKER], /^error: --agent "nope" matches no agent \(known: agent-1, agent-2, agent-3\)$/m],
    ];
    test.each(cases)('%s', async (_n, args, re) => {
      const w = world();
      const f = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
      const r = await k8smctl(['get', 'orphans', ...args, ...M], { factory: f });
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
      expect(w.e1.counters.list + w.e2.counters.list).toBe(0);
    });

    test('a map file that is not a map names the file; a bad endpoint in it names the agent', async () => {
      const list = join(dir, 'list.yaml');
      writeFileSync(list, '- tcp://a:1\n');
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, 'agent-1: ftp://x\n');
      const a = await k8smctl(['get', 'orphans', '--docker-endpoints', list, ...M]);
      expect(a.code).toBe(2);
      expect(a.stderr).toBe(`error: --docker-endpoints: ${list} holds a list: it needs a map of agent hostname or id to endpoint\n`);
      const b = await k8smctl(['get', 'orphans', '--docker-endpoints', bad, ...M]);
      expect(b.code).toBe(2);
      expect(b.stderr).toMatch(/^error: --docker-endpoints: .*bad.yaml: agent "agent-1": "ftp:\/\/x" has scheme ftp/);
    });
  });

  test('an unreadable master: exit 2', async () => {
    const w = world();
    const mesos = new FakeMesos({
      fail: clientError({ kind: 'unreachable', service: 'mesos-master', message: 'cannot reach Mesos master http://127.0.0.1:5050: connection refused' }),
    });
    const r = await k8smctl(['get', 'orphans', ...DOCKER, ...M], { factory: fakeFactory({ mesos, kube: w.kube, docker: engines({ [A1]: w.e1 }) }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: cannot reach Mesos master/);
  });
});
