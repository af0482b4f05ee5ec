/**
 * `diagnose pod` and `diagnose cluster` in-process with fake clients: flags, the requests made
 * (one snapshot, one list each, agents only where needed), exit codes, stderr lines, and the text,
 * wide, JSON and YAML outputs. The Mesos answers come from the simulator's own views of a cluster
 * built in memory (GET_STATE and agent /state), the Kubernetes objects are given.
 */
import { describe, expect, test } from '@jest/globals';
import yaml from 'js-yaml';
import { k8smctl } from './harness.js';
import { clientError, FakeKube, FakeMesos, fakeFactory } from './fakes.js';
import { getState } from '../stack/mesos-sim/views/operator.js';
import { renderAgentState } from '../stack/mesos-sim/views/agent.js';
import { renderMasterState } from '../stack/mesos-sim/views/master.js';
import { agent, k8smFramework, launch, nodesFor, pod, schedulingEvent, sim, MASTER_ID, type Sim } from '../core/diagnose/helpers.js';
import type { KubeEvent, KubeNode, KubePod } from '../../src/clients/kube/types.js';

const NOW_S = Date.parse('2026-01-01T00:00:00Z') / 1000;
const MASTER = ['--mesos-master', 'http://127.0.0.1:5050'];

function masterState(s: Sim) {
  const self = { id: MASTER_ID, ip: '127.0.0.1', port: 5050, hostname: '127.0.0.1', pid: 'master@127.0.0.1:5050', version: s.state.version };
  return renderMasterState(s.state, { self, leader: self, startTime: NOW_S - 100, flags: {} }) as Record<string, unknown>;
}

function fakes(
  s: Sim,
  kube: { pods?: KubePod[]; events?: KubeEvent[]; nodes?: KubeNode[] | ReturnType<typeof clientError>; namespace?: string },
  mesosExtra: Partial<ConstructorParameters<typeof FakeMesos>[0]> = {},
) {
  const agents: Record<string, Record<string, unknown> | Error> = {};
  for (const a of s.state.agents.values()) agents[a.id] = renderAgentState(s.state, a, { flags: a.config.flags ?? {} });
  const mesos = new FakeMesos({ master: masterState(s), operator: { type: 'GET_STATE', get_state: getState(s.state) }, agents, ...mesosExtra });
  const k = new FakeKube({
    namespace: kube.namespace ?? 'team-a',
    pods: kube.pods ?? [],
    events: kube.events ?? [],
    nodes: kube.nodes ?? (nodesFor(s) as KubeNode[]),
  });
  return { mesos, kube: k, factory: fakeFactory({ mesos, kube: k }) };
}

/** Three agents (a3 too small), the k8sm framework running web on a1, and a stuck pod api in team-a. */
/** The simulated clock starts 2 minutes before the fake factory's "now" (pods and events are dated from that now). */
async function cluster() {
  const s = sim('1.11.0', NOW_S - 120);
  const fw = k8smFramework(s);
  agent(s, 'a1', { flags: { executor_shutdown_grace_period: '30secs' } });
  agent(s, 'a2', { flags: { executor_shutdown_grace_period: '30secs' } });
  agent(s, 'a3', { resources: { cpus: 1, mem: 1024, ports: '[31000-32000]' }, flags: { executor_shutdown_grace_period: '30secs' } });
  const web = await launch(s, pod('web', { ports: [{ containerPort: 80, hostPort: 31080 }] }, { namespace: 'team-a', now: NOW_S * 1000 }), {
    agentId: 'a1',
    frameworkId: fw.id,
  });
  const api = pod('api', { cpu: '2', ports: [{ containerPort: 443, hostPort: 443 }] }, { namespace: 'team-a', now: NOW_S * 1000, ageSeconds: 300 });
  return { s, fw, web, api, events: [schedulingEvent(api, NOW_S * 1000)] };
}

describe('diagnose pod', () => {
  test('a stuck pod: the summary, reasons with the fix, agents grouped, events; exit 1; one snapshot and one list each', async () => {
    const { s, web, api, events } = await cluster();
    const f = fakes(s, { pods: [web, api] as KubePod[], events: events as KubeEvent[] });
    const r = await k8smctl(['diagnose', 'pod', ...MASTER], { factory: f.factory });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Pod:      team-a/api\n');
    expect(r.stdout).toContain('Summary:  0/3 agents can run it: 3 host port 443 not offered (ranges [31000-32000])\n');
    expect(r.stdout).toMatch(
      /Reasons:\n {2}host-port-not-offered: {2}3 agents \(a1, a2, a3\): host port 443 is outside the ports a1 offers for roles \*: \[31000-32000\]\n {26}fix: use a hostPort inside/,
    );
    expect(r.stdout).toMatch(
      /Agents:\n {2}REASON +FIRST REASON OF +ALSO BLOCKS +DETAIL\n {2}host-port-not-offered +3: a1, a2, a3 +0 +host port 443 not offered \(ranges \[31000-32000\]\)\n {2}insufficient-cpu +0 +1: a3 +insufficient cpu \(needs 2 CPU, 1 CPU free\)\n/,
    );
    expect(r.stdout).toMatch(
      /Events:\n {2}TYPE +REASON +AGE +FROM +MESSAGE\n {2}Warning +FailedScheduling +5s \(x3\) +default-scheduler +Error scheduling: no suitable offers for pod\/task/,
    );
    expect(r.stdout).not.toContain('team-a/web');
    expect(f.mesos.calls).toEqual([{ source: 'operator' }]);
    expect(f.kube.calls).toEqual([{ namespace: 'team-a' }]);
    expect(f.kube.lists).toEqual(['events', 'nodes']);
    expect(f.mesos.detailsAsked).toEqual([]);
    expect(f.mesos.offersAsked).toEqual([]);
  });

  test('the summary and the Agents table count alike: each agent once under its first reason, its other reasons apart', async () => {
    const { s, web, api, events } = await cluster();
    // a1 and a2 have no Node (their first reason), and host port 443 blocks them too; a3 has its Node.
    const nodes = nodesFor(s).filter((n) => n.metadata.name === 'a3') as KubeNode[];
    const r = await k8smctl(['diagnose', 'pod', 'api', ...MASTER], {
      factory: fakes(s, { pods: [web, api] as KubePod[], events: events as KubeEvent[], nodes }).factory,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Summary:  0/3 agents can run it: 2 without a Node, 1 host port 443 not offered (ranges [31000-32000])\n');
    const table = r.stdout.slice(r.stdout.indexOf('Agents:\n'), r.stdout.indexOf('Events:'));
    expect(table.split('\n').map((l) => l.trim().split(/ {2,}/))).toEqual([
      ['Agents:'],
      ['REASON', 'FIRST REASON OF', 'ALSO BLOCKS', 'DETAIL'],
      ['node-missing', '2: a1, a2', '0', 'without a Node'],
      ['host-port-not-offered', '1: a3', '2: a1, a2', 'host port 443 not offered (ranges [31000-32000])'],
      ['insufficient-cpu', '0', '1: a3', 'insufficient cpu (needs 2 CPU, 1 CPU free)'],
      [''],
    ]);
    // Every "N <detail>" of the summary is the FIRST REASON OF count of that detail's row, and they add up to the agents.
    const rows = table
      .split('\n')
      .slice(2, -1)
      .map((l) => l.trim().split(/ {2,}/));
    const first = (detail: string) => Number(rows.find((x) => x[3] === detail)?.[1]?.split(':')[0]);
    expect(first('without a Node')).toBe(2);
    expect(first('host port 443 not offered (ranges [31000-32000])')).toBe(1);
    expect(rows.reduce((n, x) => n + Number(x[1]!.split(':')[0]), 0)).toBe(3);
    // The Reasons section counts by first reason too.
    expect(r.stdout).toMatch(/\n {2}node-missing: +2 agents \(a1, a2\): there is no Node named a1/);
  });

  test('-o wide adds one row per agent', async () => {
    const { s, web, api, events } = await cluster();
    const r = await k8smctl(['diagnose', 'pod', 'api', '-o', 'wide', ...MASTER], {
      factory: fakes(s, { pods: [web, api] as KubePod[], events: events as KubeEvent[] }).factory,
    });
    expect(r.stdout).toMatch(/Per agent:\n {2}AGENT +ID +REASONS +MESSAGE\n {2}a1 +\S+-S0 +host-port-not-offered +host port 443/);
    expect(r.stdout).toMatch(/\n {2}a3 +\S+-S2 +host-port-not-offered,insufficient-cpu +host port 443/);
  });

  test('-o json: exactly {pods, cluster}, every agent with its first reason', async () => {
    const { s, web, api, events } = await cluster();
    const r = await k8smctl(['diagnose', 'pod', '-A', '-o', 'json', ...MASTER], {
      factory: fakes(s, { pods: [web, api] as KubePod[], events: events as KubeEvent[] }).factory,
    });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { pods: Array<Record<string, unknown>>; cluster: unknown[] };
    expect(Object.keys(doc)).toEqual(['pods', 'cluster']);
    expect(doc.cluster).toEqual([]);
    expect(doc.pods).toHaveLength(1);
    const p = doc.pods[0]!;
    expect(Object.keys(p)).toEqual(['namespace', 'name', 'uid', 'phase', 'stage', 'summary', 'reasons', 'agents']);
    expect(p).toMatchObject({ namespace: 'team-a', name: 'api', uid: 'uid-api', phase: 'Pending', stage: 'unscheduled' });
    expect(p['agents']).toEqual([
      {
        id: `${MASTER_ID}-S0`,
        hostname: 'a1',
        reason: 'host-port-not-offered',
        message: 'host port 443 is outside the ports a1 offers for roles *: [31000-32000]',
      },
      {
        id: `${MASTER_ID}-S1`,
        hostname: 'a2',
        reason: 'host-port-not-offered',
        message: 'host port 443 is outside the ports a2 offers for roles *: [31000-32000]',
      },
      {
        id: `${MASTER_ID}-S2`,
        hostname: 'a3',
        reason: 'host-port-not-offered',
        message: 'host port 443 is outside the ports a3 offers for roles *: [31000-32000]',
      },
    ]);
    expect((p['reasons'] as Array<Record<string, string>>).map((x) => Object.keys(x))).toEqual([['reason', 'message', 'fix']]);
  });

  test('-o yaml: the same document', async () => {
    const { s, web, api, events } = await cluster();
    const f = () => fakes(s, { pods: [web, api] as KubePod[], events: events as KubeEvent[] }).factory;
    const j = await k8smctl(['diagnose', 'pod', '-o', 'json', ...MASTER], { factory: f() });
    const y = await k8smctl(['diagnose', 'pod', '-o', 'yaml', ...MASTER], { factory: f() });
    expect(yaml.load(y.stdout)).toEqual(JSON.parse(j.stdout));
  });

  test('nothing stuck: says so, exit 0; a named pod that is fine says why', async () => {
    const { s, web } = await cluster();
    const all = await k8smctl(['diagnose', 'pod', ...MASTER], { factory: fakes(s, { pods: [web] as KubePod[] }).factory });
    expect(all.code).toBe(0);
    expect(all.stdout).toBe('No stuck pods in namespace team-a (1 pods looked at).\n');
    const named = await k8smctl(['diagnose', 'pod', 'web', ...MASTER], { factory: fakes(s, { pods: [web] as KubePod[] }).factory });
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/Summary: +Running on a1 as task pod\.\S+ \(TASK_RUNNING\)/);
  });

  test('a named pod that does not exist: one error line, exit 1, the others still diagnosed', async () => {
    const { s, web, api, events } = await cluster();
    const r = await k8smctl(['diagnose', 'pod', 'nope', 'web', ...MASTER], {
      factory: fakes(s, { pods: [web, api] as KubePod[], events: events as KubeEvent[] }).factory,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: pod "nope" not found in namespace "team-a"\n');
    expect(r.stdout).toContain('Pod:      team-a/web');
  });

  test('a launched pod: only its agent is asked; an agent that does not answer says so (exit 1), never a crash', async () => {
    const { s, fw, web } = await cluster();
    const stuck = await launch(
      s,
      pod('stuck', {}, { namespace: 'team-a', now: NOW_S * 1000, ageSeconds: 200 }),
      { agentId: 'a2', frameworkId: fw.id, until: 'TASK_STARTING' },
      'Pending',
    );
    const f = fakes(s, { pods: [web, stuck] as KubePod[] });
    const a2 = [...s.state.agents.values()].find((a) => a.hostname === 'a2')!;
    const ok = await k8smctl(['diagnose', 'pod', ...MASTER], { factory: f.factory });
    expect(f.mesos.detailsAsked).toEqual([a2.id]);
    expect(ok.code).toBe(1);
    expect(ok.stdout).toMatch(/launch-grace-expiring: +launched on a2 2m ago \(task TASK_STARTING\) but not Running: .*: 3m left/);
    expect(ok.stdout).toMatch(
      /Mesos task:\n {2}ID: +pod\.\S+\n {2}Agent: +a2\n {2}State: +TASK_STARTING\n {2}Executor: +\S+_k8sm-executor\n {2}Sandbox: +\/var\/lib\/mesos\/slaves\//,
    );

    const down = fakes(s, { pods: [web, stuck] as KubePod[] }, {});
    (down.mesos as unknown as { o: { agents: Record<string, unknown> } }).o.agents[a2.id] = new Error('connect ECONNREFUSED 127.0.0.3:5051');
    const r = await k8smctl(['diagnose', 'pod', ...MASTER], { factory: down.factory });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`warning: agent a2 (${a2.id}) did not answer: connect ECONNREFUSED 127.0.0.3:5051\n`);
    expect(r.stdout).toContain('agent-not-answering:');
    expect(r.stdout).toMatch(/ERROR {4}agent-not-answering {2}\(agent a2\)/);
  });

  test('offers held: a second look at the framework offers, only when they could hold pods back', async () => {
    const { s, fw, web, api, events } = await cluster();
    const o = s.state.addOffer({ frameworkId: fw.id, agentId: 'a2', resources: { cpus: 1, mem: 512 } });
    const f = fakes(s, { pods: [web, api] as KubePod[], events: events as KubeEvent[] }, { offersLater: { [fw.id]: [o.id] } });
    const r = await k8smctl(['diagnose', 'pod', '--offer-ttl', '10ms', ...MASTER], { factory: f.factory });
    expect(f.mesos.offersAsked).toEqual([fw.id]);
    expect(r.stdout).toMatch(/offers-held: +the k8sm framework Kubernetes holds 1 offer still outstanding 0s later, .*: a2 \(1 CPU, 512 MB\)/);
    expect(r.stdout).toMatch(/ERROR {4}offers-held\n/);
    const skip = fakes(s, { pods: [web, api] as KubePod[], events: events as KubeEvent[] }, { offersLater: { [fw.id]: [o.id] } });
    await k8smctl(['diagnose', 'pod', '--offer-ttl', '0', ...MASTER], { factory: skip.factory });
    expect(skip.mesos.offersAsked).toEqual([]);
    const none = fakes(s, { pods: [web] as KubePod[] }, { offersLater: { [fw.id]: [o.id] } });
    await k8smctl(['diagnose', 'pod', '--offer-ttl', '10ms', ...MASTER], { factory: none.factory });
    expect(none.mesos.offersAsked).toEqual([]);
  });

  test('Nodes forbidden: a warning, Node checks skipped', async () => {
    const { s, web, api, events } = await cluster();
    const forbidden = clientError({
      kind: 'forbidden',
      service: 'kube-apiserver',
      message: 'kube-apiserver https://k forbids user "limited" to list nodes (403 Forbidden)',
    });
    const r = await k8smctl(['diagnose', 'pod', 'api', ...MASTER], {
      factory: fakes(s, { pods: [web, api] as KubePod[], events: events as KubeEvent[], nodes: forbidden }).factory,
    });
    expect(r.stderr).toBe(
      'warning: Nodes cannot be read (kube-apiserver https://k forbids user "limited" to list nodes (403 Forbidden)): the Node checks are skipped\n',
    );
    expect(r.code).toBe(1);
  });

  test('usage errors name the flag, exit 2; the cluster unreadable exits 2 with one line', async () => {
    const { s } = await cluster();
    const bad = async (args: string[]) => k8smctl(['diagnose', 'pod', ...args, ...MASTER], { factory: fakes(s, {}).factory });
    expect(await bad(['--mesos-framework-roles', 'a,b'])).toMatchObject({
      code: 2,
      stderr: `error: --mesos-framework-roles "a,b": k8sm takes at most two roles, one of them '*'\n`,
    });
    expect(await bad(['--mesos-default-pod-roles', 'gpu'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^error: --mesos-default-pod-roles lists gpu, not in --mesos-framework-roles/),
    });
    expect(await bad(['--stuck-after', 'soon'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: --stuck-after: invalid duration "soon"/) });
    expect(await bad(['--mesos-executor-mem', 'lots'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^error: --mesos-executor-mem "lots" is not a memory size/),
    });
    expect(await bad(['-o', 'table'])).toMatchObject({ code: 2 });
    const down = new FakeMesos({
      fail: clientError({ kind: 'unreachable', service: 'mesos-master', message: 'cannot reach Mesos master http://127.0.0.1:5050: connection refused' }),
    });
    const r = await k8smctl(['diagnose', 'pod', ...MASTER], { factory: fakeFactory({ mesos: down, kube: new FakeKube({}) }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: cannot reach Mesos master http://127.0.0.1:5050: connection refused; check --mesos-master (or $MESOS_MASTER) and that the masters are running\n',
    );
  });
});

describe('the master and the apiserver both failing', () => {
  // The master fails last (a timeout), the apiserver at once (its pods, events and Nodes lists all).
  class SlowMesos extends FakeMesos {
    override async snapshot(opts: Parameters<FakeMesos['snapshot']>[0]) {
      await new Promise((r) => setTimeout(r, 20));
      return super.snapshot(opts);
    }
  }
  const timeout = clientError({
    kind: 'timeout',
    service: 'mesos-master',
    message: 'cannot post to /api/v1 on Mesos master http://127.0.0.1:5050: timed out after 3s',
  });
  const dead = clientError({
    kind: 'unreachable',
    service: 'kube-apiserver',
    message: 'cannot reach kube-apiserver https://k:6443 (context "c"): connection refused',
    details: { cluster: 'prod' },
  });
  const both =
    'warning: cannot reach kube-apiserver https://k:6443 (context "c"): connection refused; check the server of cluster "prod" in the kubeconfig, or pick another --context\n' +
    'error: cannot post to /api/v1 on Mesos master http://127.0.0.1:5050: timed out after 3s; the master is slow or unreachable; check it, or raise --request-timeout\n';

  test.each([['pod'], ['cluster']])('diagnose %s: both reported, once each, exit 2', async (mode) => {
    const r = await k8smctl(['diagnose', mode, ...MASTER], {
      factory: fakeFactory({ mesos: new SlowMesos({ fail: timeout }), kube: new FakeKube({ fail: dead, nodes: dead }) }),
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(both);
  });

  test('only the apiserver fails: its error alone', async () => {
    const { s } = await cluster();
    const f = fakes(s, {});
    const r = await k8smctl(['diagnose', 'pod', ...MASTER], { factory: fakeFactory({ mesos: f.mesos, kube: new FakeKube({ fail: dead }) }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: cannot reach kube-apiserver https://k:6443 (context "c"): connection refused; check the server of cluster "prod" in the kubeconfig, or pick another --context\n',
    );
  });
});

describe('diagnose cluster', () => {
  test('healthy: one line, exit 0; every active agent asked once', async () => {
    const { s, web } = await cluster();
    const f = fakes(s, { pods: [web] as KubePod[] });
    const r = await k8smctl(['diagnose', 'cluster', ...MASTER], { factory: f.factory });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No cause found: framework Kubernetes \(\S+\) registered, 3 agents, 1 k8sm tasks, 1 pods\.\n$/);
    expect(f.mesos.detailsAsked).toHaveLength(3);
    expect(f.kube.calls).toEqual([{ allNamespaces: true }]);
  });

  test('broken: errors and warnings with their fix, exit 1; -o json', async () => {
    const { s, web } = await cluster();
    agent(s, 'a4', { flags: { executor_shutdown_grace_period: '5secs' } });
    const f = () => fakes(s, { pods: [web] as KubePod[], nodes: nodesFor(s).filter((n) => n.metadata.name !== 'a4') as KubeNode[] });
    const r = await k8smctl(['diagnose', 'cluster', ...MASTER], { factory: f().factory });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("WARNING  executor-shutdown-grace-short  (agent a4)\n         agent a4's executor_shutdown_grace_period is 5secs");
    expect(r.stdout).toContain('ERROR    agent-without-node  (agent a4)\n');
    expect(r.stdout).toMatch(/\n1 error, 1 warning\.\n$/);
    const j = await k8smctl(['diagnose', 'cluster', '-o', 'json', ...MASTER], { factory: f().factory });
    const doc = JSON.parse(j.stdout) as { pods: unknown[]; cluster: Array<Record<string, string>> };
    expect(doc.pods).toEqual([]);
    expect(doc.cluster.map((c) => [c.reason, c.agent])).toEqual([
      ['executor-shutdown-grace-short', 'a4'],
      ['agent-without-node', 'a4'],
    ]);
    expect(Object.keys(doc.cluster[0]!)).toEqual(['reason', 'message', 'fix', 'agent']);
  });

  test('warnings only: exit 0; arguments are a usage error', async () => {
    const { s, web } = await cluster();
    agent(s, 'a4', { resources: { cpus: 2, mem: 2048, ports: '[31000-31099, 31101-32000]' }, flags: { executor_shutdown_grace_period: '30secs' } });
    const r = await k8smctl(['diagnose', 'cluster', ...MASTER], { factory: fakes(s, { pods: [web] as KubePod[] }).factory });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('WARNING  agent-ports-differ\n');
    const u = await k8smctl(['diagnose', 'cluster', 'x', ...MASTER], { factory: fakes(s, {}).factory });
    expect(u).toMatchObject({ code: 2, stderr: "error: Unexpected argument: x; see 'k8smctl diagnose cluster --help'\n" });
  });
});
