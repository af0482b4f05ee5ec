/** `k8smctl delete orphans`, in-process with fake Mesos, apiserver and Docker engines. */
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k8smctl } from '../harness.js';
import { clientError, fakeFactory, MASTER_URL } from '../fakes.js';
import { engines } from '../fake-docker.js';
import { A1, A2, agent1State, DOCKER, world } from '../orphans-world.js';

const M = ['--mesos-master', MASTER_URL];
const ORPHAN_APP = 'bbbb02'.padEnd(64, '0');
const ORPHAN_INFRA = 'bbbb03'.padEnd(64, '0');
const LIVE = 'aaaa01'.padEnd(64, '0');
const PLAIN = 'cccc04'.padEnd(64, '0');

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-cmd-delete-orphans-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(o: Parameters<typeof world>[0] = {}) {
  const w = world(o);
  const audit = join(dir, `audit-${++n}`, 'audit.log');
  const factory = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }) });
  return { ...w, audit, factory, args: ['delete', 'orphans', ...DOCKER, ...M, '--audit-log', audit] };
}

function auditLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('delete orphans', () => {
  test('--yes: the plan with the proof, then exactly the orphans stopped (their grace period) and removed; live and unproven stay; audit log; exit 0', async () => {
    const s = setup();
    const r = await k8smctl([...s.args, '--yes'], { factory: s.factory });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Will stop and remove 2 orphaned containers:$/m);
    expect(r.stdout).toMatch(
      /^agent-1\s+bbbb02000000\s+k8s_app\S+\s+default\/old\s+exec-dead\s+7s\s+executor container exec-dead is not running on agent-1.*; executor 0000dead_k8sm-executor completed at /m,
    );
    // The orphan app keeps its own 7s label; the infra container has none: 30s.
    expect(s.e1.actions.sort()).toEqual(['remove bbbb02000000', 'remove bbbb03000000', 'stop bbbb02000000 7', 'stop bbbb03000000 30']);
    expect([...s.e1.containers.keys()].sort()).toEqual([LIVE, PLAIN]);
    expect(s.e2.actions).toEqual([]);
    expect(r.stdout).toMatch(/^agent-1\s+bbbb02000000\s+\S+\s+default\/old\s+removed\s+stopped \(grace 7s\) and removed$/m);
    // Without a terminal: one progress line per container.
    expect(r.stderr).toMatch(/^\[\d\/2\] agent-1 bbbb02000000 k8s_app\S+: removed \(stopped \(grace 7s\) and removed\)$/m);
    expect(r.stderr).toMatch(/^2 containers stopped and removed, 0 skipped, 0 failed; audit log: /m);
    const lines = auditLines(s.audit);
    expect(lines.filter((l) => l['action'] === 'stop').map((l) => [l['containerId'], l['result']])).toEqual(
      expect.arrayContaining([
        [ORPHAN_APP, 'ok'],
        [ORPHAN_INFRA, 'ok'],
      ]),
    );
    expect(lines.filter((l) => l['action'] === 'remove')).toHaveLength(2);
    expect(lines.find((l) => l['action'] === 'plan')).toMatchObject({
      agent: 'agent-1',
      executorContainer: 'exec-dead',
      proof: expect.stringMatching(/exec-dead/),
    });

    // Idempotent: a second run finds nothing to do, exit 0, touches nothing.
    const again = await k8smctl([...s.args, '--yes'], { factory: s.factory });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('No orphaned containers: nothing to do.\n');
    expect(s.e1.actions).toHaveLength(4);
  });

  test('--dry-run prints the plan and changes nothing (no stop, no remove, no audit log)', async () => {
    const s = setup();
    const r = await k8smctl([...s.args, '--dry-run'], { factory: s.factory });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Will stop and remove 2 orphaned container/);
    expect(r.stderr).toMatch(/^dry run: nothing was stopped$/m);
    expect(s.e1.actions).toEqual([]);
    expect(s.e1.containers.size).toBe(4);
    expect(existsSync(s.audit)).toBe(false);
  });

  test('without a terminal and without --yes: refused, exit 2, nothing killed', async () => {
    const s = setup();
    const r = await k8smctl(s.args, { factory: s.factory });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: refusing to stop and remove 2 orphaned containers without confirmation: no terminal to ask on, nothing was done; pass --yes to confirm, or --dry-run to see the plan only$/m,
    );
    expect(s.e1.actions).toEqual([]);
    expect(r.stderr).not.toMatch(/\(y\/N\)/);
  });

  test('one orphan: singular wording in the plan, the question and the summary; get orphans says "it"', async () => {
    const s = setup();
    s.e1.containers.delete(ORPHAN_INFRA);
    const get = await k8smctl(['get', 'orphans', ...DOCKER, ...M], { factory: s.factory });
    expect(get.stderr).toMatch(/^1 orphaned container: 'k8smctl delete orphans' stops and removes it after showing the plan$/m);
    const no = await k8smctl(s.args, { factory: s.factory, tty: true, confirm: () => false });
    expect(no.stdout).toMatch(/^Will stop and remove 1 orphaned container:$/m);
    expect(no.questions).toEqual(['Stop and remove this container on agent agent-1?']);
    const yes = await k8smctl([...s.args, '--yes'], { factory: s.factory });
    expect(yes.stderr).toMatch(/^1 container stopped and removed, 0 skipped, 0 failed; audit log: /m);
  });

  test('on a terminal it asks; "no" stops nothing (exit 1), "yes" goes ahead', async () => {
    const s = setup();
    const no = await k8smctl(s.args, { factory: s.factory, tty: true, confirm: () => false });
    expect(no.questions).toEqual(['Stop and remove these 2 containers on 1 agent?']);
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(/declined: nothing was stopped/);
    expect(s.e1.actions).toEqual([]);
    const yes = await k8smctl(s.args, { factory: s.factory, tty: true, confirm: () => true });
    expect(yes.code).toBe(0);
    expect(s.e1.containers.size).toBe(2);
    // On a terminal the progress is a bar redrawn in place, not a line per container.
    expect(yes.stderr).toContain('\r\x1b[2K[########################] 2/2 ');
    expect(yes.stderr).not.toMatch(/^\[1\/2\]/m);
  });

  test('reverify: an executor that comes back between plan and act saves its containers (skipped, reported)', async () => {
    const s = setup();
    const e1 = s.e1;
    // While the operator reads the plan, the executor run exec-dead is back on agent-1.
    const r = await k8smctl(s.args, {
      factory: s.factory,
      tty: true,
      confirm: () => {
        s.agents['7e8f-S0'] = agent1State('exec-dead');
        return true;
      },
    });
    expect(r.code).toBe(0);
    expect(e1.actions).toEqual([]);
    expect(e1.containers.size).toBe(4);
    expect(r.stdout).toMatch(/^agent-1\s+bbbb02000000\s+\S+\s+default\/old\s+skipped\s+executor came back: executor 6704d375c68fee1e_k8sm-executor runs it$/m);
    expect(r.stderr).toMatch(/0 containers stopped and removed, 2 skipped, 0 failed/);
  });

  test('a container removed between plan and act is reported gone; a 409 on remove is a failure saying what is left (exit 1)', async () => {
    const conflict = clientError({
      kind: 'conflict',
      service: 'docker-engine',
      status: 409,
      message: `Docker engine ${A1}: removing bbbb02000000: removal of container is already in progress`,
    });
    const s = setup({ agent1: { removeError: { [ORPHAN_APP]: conflict } } });
    const e1 = s.e1;
    let inspects = 0;
    const orig = e1.inspect.bind(e1);
    e1.inspect = async (id: string) => {
      if (++inspects > 4 && id === ORPHAN_INFRA) e1.containers.delete(ORPHAN_INFRA);
      return orig(id);
    };
    const r = await k8smctl([...s.args, '--yes', '--agent', 'agent-1'], { factory: s.factory });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bbbb03000000\s+\S+\s+default\/old\s+gone\s+gone before it was stopped/);
    expect(r.stdout).toMatch(
      /bbbb02000000\s+\S+\s+default\/old\s+failed\s+stopped; remove refused \(409\): removing bbbb02000000: removal of container is already in progress/,
    );
    expect(r.stderr).toMatch(/^error: 1 orphaned container left: agent-1\/bbbb02000000; run 'k8smctl delete orphans' again once the cause is fixed$/m);
    expect(e1.actions).toEqual(['stop bbbb02000000 7', 'remove bbbb02000000']);
    expect(auditLines(s.audit).find((l) => l['action'] === 'remove')).toMatchObject({ result: 'failed', containerId: ORPHAN_APP });
  });

  test('a 404 on stop (gone mid-run) is not a failure', async () => {
    const gone = clientError({
      kind: 'not-found',
      service: 'docker-engine',
      status: 404,
      message: `Docker engine ${A1}: stopping bbbb02000000: No such container`,
    });
    const s = setup({ agent1: { stopError: { [ORPHAN_APP]: gone } } });
    const r = await k8smctl([...s.args, '--yes', '--agent', 'agent-1'], { factory: s.factory });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bbbb02000000\s+\S+\s+default\/old\s+gone\s+gone while it was being stopped/);
    expect(r.stdout).toMatch(/bbbb03000000\s+\S+\s+default\/old\s+removed/);
  });

  test('an engine that cannot be reached again when acting: its containers are listed as left, nothing else is touched (exit 1)', async () => {
    const w = world();
    let calls = 0;
    const factory = fakeFactory({
      mesos: w.mesos,
      kube: w.kube,
      docker: (o) => {
        if (o.endpoint.url !== A1) return undefined;
        return ++calls === 1 ? w.e1 : undefined;
      },
    });
    const r = await k8smctl(['delete', 'orphans', ...DOCKER, ...M, '--agent', 'agent-1', '--yes', '--audit-log', join(dir, 'left', 'audit.log')], { factory });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bbbb02000000\s+\S+\s+default\/old\s+failed\s+not acted on: no fake Docker engine for tcp:\/\/127.0.0.2:2375/);
    expect(r.stderr).toMatch(/^error: 2 orphaned containers left: agent-1\/bbbb03000000, agent-1\/bbbb02000000; /m);
    expect(w.e1.actions).toEqual([]);
  });

  test('a grace period of weeks: the engine deadline stays one a timer can hold (never a 1 ms timeout)', async () => {
    const s = setup();
    const timeouts: number[] = [];
    const docker = s.factory.docker.bind(s.factory);
    s.factory.docker = (opts) => (timeouts.push(opts.timeoutMs), docker(opts));
    const r = await k8smctl([...s.args, '--yes', '--grace-period', '596h', '--docker-timeout', '596h', '--keep-stopped'], { factory: s.factory });
    expect(r.code).toBe(0);
    expect(s.e1.actions.sort()).toEqual([`stop bbbb02000000 ${596 * 3600}`, `stop bbbb03000000 ${596 * 3600}`]);
    expect(timeouts.length).toBeGreaterThan(0);
    expect(Math.max(...timeouts)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  test('interrupted (SIGINT) while acting: exit 130, no error line, and every container the audit log confirms has its outcome there', async () => {
    const ac = new AbortController();
    const w = world();
    const stop = w.e1.stop.bind(w.e1);
    w.e1.stop = (id, seconds) => (ac.abort('SIGINT'), stop(id, seconds)); // Ctrl-C while the first stop runs
    const audit = join(dir, `audit-${++n}`, 'audit.log');
    const factory = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }), signal: ac.signal });
    const r = await k8smctl(['delete', 'orphans', ...DOCKER, ...M, '--audit-log', audit, '--yes'], { factory });
    expect(r.code).toBe(130);
    expect(r.stderr).not.toMatch(/^error:/m);
    const lines = auditLines(audit);
    const confirmed = lines.filter((l) => l['action'] === 'plan' && l['result'] === 'confirmed').map((l) => l['containerId']);
    const ended = lines.filter((l) => l['action'] !== 'plan').map((l) => l['containerId']);
    for (const id of confirmed) expect(ended).toContain(id);
    // What the log says was stopped is what the engine did.
    const stopped = lines.filter((l) => l['action'] === 'stop' && l['result'] === 'ok').map((l) => String(l['containerId']).slice(0, 12));
    expect(w.e1.actions.filter((a) => a.startsWith('stop')).map((a) => a.split(' ')[1])).toEqual(expect.arrayContaining(stopped));
    expect(stopped.length).toBe(w.e1.actions.filter((a) => a.startsWith('stop')).length);
  });

  test('a signal during a stop is in the audit log at once (the process exits within seconds, maybe before the stop ends)', async () => {
    const ac = new AbortController();
    const w = world();
    const audit = join(dir, `audit-${++n}`, 'audit.log');
    let atSignal: Array<Record<string, unknown>> = [];
    let stopped = '';
    const stop = w.e1.stop.bind(w.e1);
    w.e1.stop = (id, seconds) => {
      if (!stopped) {
        stopped = id;
        ac.abort('SIGTERM');
        atSignal = auditLines(audit); // what a process that exits now leaves behind
      }
      return stop(id, seconds);
    };
    const factory = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }), signal: ac.signal });
    const r = await k8smctl(['delete', 'orphans', ...DOCKER, ...M, '--audit-log', audit, '--yes'], { factory });
    expect(r.code).toBe(143);
    expect(atSignal).toContainEqual(
      expect.objectContaining({ containerId: stopped, action: 'stop', result: 'interrupted', detail: expect.stringMatching(/under way at SIGTERM/) }),
    );
  });

  test('--grace-period overrides the label; --keep-stopped stops without removing', async () => {
    const s = setup();
    const r = await k8smctl([...s.args, '--yes', '--grace-period', '2s', '--keep-stopped'], { factory: s.factory });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Will stop 2 orphaned containers:$/m);
    expect(s.e1.actions.sort()).toEqual(['stop bbbb02000000 2', 'stop bbbb03000000 2']);
    expect(s.e1.containers.get(ORPHAN_APP)!.state).toBe('exited');
    // Stopped orphans stay orphans (proof unchanged), so a second run stops nothing new and removes them.
    const again = await k8smctl([...s.args, '--yes'], { factory: s.factory });
    expect(again.code).toBe(0);
    expect(s.e1.containers.size).toBe(2);
  });

  test('an engine that times out while the other answers: the others are acted on, exit 1 says an agent was not checked', async () => {
    const s = setup({ agent2: { hang: true } });
    const r = await k8smctl([...s.args, '--yes', '--docker-timeout', '200ms'], { factory: s.factory });
    expect(r.code).toBe(1);
    expect(s.e1.containers.size).toBe(2);
    expect(r.stderr).toMatch(/^warning: agent agent-2: Docker engine unreadable/m);
    expect(r.stderr).toMatch(/^warning: 1 agent could not be checked \(see the warnings\): orphans there are not known$/m);
  });

  test('an agent whose /state and engine both fail is one agent not checked; --request-timeout reaches the kube client', async () => {
    const listError = clientError({ kind: 'unreachable', service: 'docker-engine', message: 'Docker engine tcp://127.0.0.3:2375: connection refused' });
    const s = setup({ agent2: { listError }, agents: { '7e8f-S0': agent1State(), '7e8f-S1': new Error('connection refused') } });
    const r = await k8smctl([...s.args, '--dry-run', '--request-timeout', '4s'], { factory: s.factory });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^warning: 1 agent could not be checked \(see the warnings\): orphans there are not known$/m);
    expect(s.factory.kubeOptions).toEqual([expect.objectContaining({ requestTimeoutMs: 4000 })]);
  });

  test('no engine could be read: says so (not "no orphans"), nothing stopped, both agents counted; exit 1', async () => {
    const listError = clientError({ kind: 'protocol', service: 'docker-engine', message: 'the answer is not a Docker container list' });
    const s = setup({ agent1: { listError }, agent2: { listError }, agents: { '7e8f-S0': new Error('refused'), '7e8f-S1': new Error('refused') } });
    const r = await k8smctl([...s.args, '--yes'], { factory: s.factory });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("No agent's Docker engine could be read: orphans unknown (see the warnings above); nothing was stopped.\n");
    expect(r.stderr).toMatch(/^warning: 2 agents could not be checked \(see the warnings\): orphans there are not known$/m);
    expect(s.e1.actions).toEqual([]);
  });

  test('an audit log that cannot be written: usage error, nothing stopped', async () => {
    const s = setup();
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const args = ['delete', 'orphans', ...DOCKER, ...M, '--audit-log', join(file, 'audit.log')];
    const r = await k8smctl([...args, '--yes'], { factory: s.factory });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: audit log: cannot open .*: a parent is not a directory; nothing was stopped; pass --audit-log FILE with a writable path$/m,
    );
    expect(s.e1.actions).toEqual([]);
  });

  test('the audit log defaults to $XDG_STATE_HOME/k8smctl/audit.log', async () => {
    const w = world();
    const xdg = join(dir, 'xdg');
    const factory = fakeFactory({ mesos: w.mesos, kube: w.kube, docker: engines({ [A1]: w.e1, [A2]: w.e2 }), env: { XDG_STATE_HOME: xdg } });
    const r = await k8smctl(['delete', 'orphans', ...DOCKER, ...M, '--yes', '--agent', 'agent-1'], { factory });
    expect(r.code).toBe(0);
    expect(auditLines(join(xdg, 'k8smctl', 'audit.log')).length).toBeGreaterThanOrEqual(6);
  });
});
