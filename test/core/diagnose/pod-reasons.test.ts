/**
 * Pod-level and cluster-level reasons on a pod never launched, its stage, and its summary line
 * (kube-scheduler's style, with numbers).
 */
import { describe, expect, test } from '@jest/globals';
import { diagnosePod } from '../../../src/core/diagnose/index.js';
import { agent, k8smFramework, pod, schedulingEvent, settings, sim, snapshot } from './helpers.js';

const ids = (d: { reasons: ReadonlyArray<{ reason: string }> }) => d.reasons.map((r) => r.reason);

function fiveAgents() {
  const s = sim();
  k8smFramework(s);
  agent(s, 'a1');
  agent(s, 'a2');
  agent(s, 'a3');
  agent(s, 'a4', { resources: { cpus: 1.5, mem: 8192, ports: '[31000-32000, 443-443]' } });
  agent(s, 'a5', { resources: { cpus: 8, mem: 8192, ports: '[443-443, 31000-32000]' } }).deactivated = true;
  return s;
}

describe('summary', () => {
  test("kube-scheduler's line with numbers: 0/5 agents, grouped by headline, most agents first", () => {
    const s = fiveAgents();
    const p = pod('api', { cpu: '2', ports: [{ containerPort: 443, hostPort: 443 }] }, { now: s.now() });
    const d = diagnosePod(p, snapshot(s, { pods: [p], events: [schedulingEvent(p, s.now())] }), settings(), s.now());
    expect(d.stage).toBe('unscheduled');
    expect(d.stuck).toBe(true);
    expect(d.summary).toBe(
      '0/5 agents can run it: 3 host port 443 not offered (ranges [31000-32000]), 1 insufficient cpu (needs 2 CPU, 1.5 CPU free), 1 deactivated',
    );
    expect(d.agents).toHaveLength(5);
    expect(ids(d)).toEqual(['host-port-not-offered', 'insufficient-cpu', 'agent-inactive']);
    expect(d.reasons[0]!.message).toMatch(/^3 agents \(a1, a2, a3\): host port 443 is outside/);
  });

  test('agents of one reason with different figures: "at most"', () => {
    const s = sim();
    k8smFramework(s);
    agent(s, 'a1', { resources: { cpus: 1, mem: 4096 } });
    agent(s, 'a2', { resources: { cpus: 2, mem: 4096 } });
    const p = pod('big', { cpu: '4' }, { now: s.now() });
    const d = diagnosePod(p, snapshot(s, { pods: [p], events: [schedulingEvent(p, s.now())] }), settings(), s.now());
    expect(d.summary).toBe('0/2 agents can run it: 2 insufficient cpu (needs 4 CPU, at most 2 CPU free)');
  });

  test('a young pod: not stuck yet, still explained', () => {
    const s = fiveAgents();
    const p = pod('new', {}, { now: s.now(), ageSeconds: 10 });
    const d = diagnosePod(p, snapshot(s, { pods: [p] }), settings(), s.now());
    expect(d.stage).toBe('young');
    expect(d.stuck).toBe(false);
    expect(d.summary).toMatch(/^Pending for 10s \(stuck after 30s\): 4\/5 agents can run it now \(a1, a2, a3 and 1 more\); 1 deactivated$/);
    expect(ids(d)).not.toContain('scheduler-silent');
  });
});

describe('pod-level reasons', () => {
  test('duplicate-host-port: the same number twice, TCP and UDP alike', () => {
    const s = fiveAgents();
    const p = pod(
      'dns',
      {
        ports: [
          { containerPort: 53, hostPort: 31053, protocol: 'TCP' },
          { containerPort: 53, hostPort: 31053, protocol: 'UDP' },
        ],
      },
      { now: s.now() },
    );
    const d = diagnosePod(p, snapshot(s, { pods: [p], events: [schedulingEvent(p, s.now())] }), settings(), s.now());
    expect(ids(d)).toEqual(['duplicate-host-port']);
    expect(d.reasons[0]!.message).toContain('hostPort 31053 is declared twice in the pod (container main, TCP and UDP: k8sm keys host ports by number only)');
    expect(d.summary).toBe('0/5 agents can run it: hostPort 31053 declared twice in the pod');
    // Every agent row carries a reason: its own, else the pod's.
    expect(d.agents.find((a) => a.hostname === 'a1')!.reasons[0]!.reason).toBe('duplicate-host-port');
    expect(d.agents.find((a) => a.hostname === 'a5')!.reasons[0]!.reason).toBe('agent-inactive');
  });

  test('roles-empty and roles-not-in-framework', () => {
    const s = fiveAgents();
    const empty = pod('e', { annotations: { 'k8s.mesosphere.io/roles': ' , ' } }, { now: s.now() });
    const other = pod('o', { annotations: { 'k8s.mesosphere.io/roles': 'gpu,batch' } }, { now: s.now() });
    const snap = snapshot(s, { pods: [empty, other], events: [schedulingEvent(empty, s.now()), schedulingEvent(other, s.now())] });
    const e = diagnosePod(empty, snap, settings(), s.now());
    expect(ids(e)).toEqual(['roles-empty']);
    expect(e.reasons[0]!.message).toBe(
      'k8s.mesosphere.io/roles is " , ", which lists no role: k8sm gives the pod no role to take resources from, and never schedules it',
    );
    const o = diagnosePod(other, snap, settings(), s.now());
    expect(ids(o)).toEqual(['roles-not-in-framework']);
    expect(o.reasons[0]!.message).toContain('("gpu", "batch"; framework roles: *)');
  });
});

describe('cluster-level reasons on the pod', () => {
  test('framework-not-registered: no framework of that name', () => {
    const s = sim();
    agent(s, 'a1');
    s.state.addFramework({ name: 'marathon' });
    const p = pod('p', {}, { now: s.now() });
    const d = diagnosePod(p, snapshot(s, { pods: [p] }), settings(), s.now());
    expect(ids(d)[0]).toBe('framework-not-registered');
    expect(d.reasons[0]!.message).toBe('no framework named Kubernetes is registered with the Mesos master (registered: marathon): nothing places k8sm pods');
    expect(d.summary).toMatch(/; the k8sm framework Kubernetes is not registered$/);
    expect(ids(d)).not.toContain('scheduler-silent');
  });

  test('framework-not-registered: disconnected, with the failover timeout left', () => {
    const s = sim();
    agent(s, 'a1');
    k8smFramework(s, { connected: false, active: false, failoverTimeout: 3600 });
    s.tick(600);
    const p = pod('p', {}, { now: s.now() });
    const d = diagnosePod(p, snapshot(s, { pods: [p] }), settings(), s.now());
    expect(d.reasons[0]!.message).toMatch(
      /^the k8sm framework Kubernetes \(.*-0000\) is disconnected since .* \(10m\); its failover timeout \(1h\) leaves 50m before Mesos tears it down/,
    );
    expect(d.reasons[0]!.fix).toMatch(/within 50m$/);
  });

  test('scheduler-silent: no event from the scheduler, and the schedulerName', () => {
    const s = fiveAgents();
    const p = pod('p', { schedulerName: 'my-scheduler' }, { now: s.now(), ageSeconds: 300 });
    const d = diagnosePod(p, snapshot(s, { pods: [p] }), settings(), s.now());
    expect(ids(d)).toContain('scheduler-silent');
    expect(d.reasons.find((r) => r.reason === 'scheduler-silent')!.message).toBe(
      'no event from the scheduler about this pod in the 5m since it was created; its spec.schedulerName is my-scheduler, so a scheduler of that name must place it: the k8sm scheduler is down, or does not watch this pod',
    );
  });

  test('offers-held: offers of the k8sm framework still there at the second look', () => {
    const s = fiveAgents();
    const fw = [...s.state.frameworks.values()][0]!;
    const o = s.state.addOffer({ frameworkId: fw.id, agentId: 'a2', resources: { cpus: 4, mem: 8192, ports: '[31000-32000]' } });
    const p = pod('p', { cpu: '2' }, { now: s.now() });
    const d = diagnosePod(
      p,
      snapshot(s, { pods: [p], events: [schedulingEvent(p, s.now())], offersLater: { afterMs: 10_000, ids: [o.id] } }),
      settings(),
      s.now(),
    );
    const held = d.reasons.find((r) => r.reason === 'offers-held')!;
    expect(held.message).toBe(
      "the k8sm framework Kubernetes holds 1 offer still outstanding 10s later, far past k8sm's 5s offer TTL (k8sm's offer leak): a2 (4 CPU, 8192 MB, ports [31000-32000]); those resources reach no one",
    );
    expect(d.summary).toMatch(/; k8sm holds 1 offer past their TTL$/);
    // The k8sm framework's own offer counts as free for it: a2 fits.
    expect(d.agents.find((a) => a.hostname === 'a2')!.reasons[0]!.reason).toBe('fits');
    // Offers gone at the second look are not held.
    const later = diagnosePod(
      p,
      snapshot(s, { pods: [p], events: [schedulingEvent(p, s.now())], offersLater: { afterMs: 10_000, ids: [] } }),
      settings(),
      s.now(),
    );
    expect(ids(later)).not.toContain('offers-held');
  });

  test('fits-somewhere: which agents, and the backoff', () => {
    const s = fiveAgents();
    const p = pod('p', { cpu: '3' }, { now: s.now() });
    const d = diagnosePod(p, snapshot(s, { pods: [p], events: [schedulingEvent(p, s.now())] }), settings(), s.now());
    const f = d.reasons.find((r) => r.reason === 'fits-somewhere')!;
    expect(f.message).toBe(
      '3 agents can take the pod now (a1, a2, a3): k8sm retries a pod that found no offer after a backoff of up to 1m (sooner when a fitting offer arrives)',
    );
    expect(d.summary).toBe('3/5 agents can run it now (a1, a2, a3); 1 insufficient cpu (needs 3 CPU, 1.5 CPU free), 1 deactivated');
  });
});

describe('pods that are fine', () => {
  test('Running without k8sm annotations, completed, and being deleted: not stuck', () => {
    const s = fiveAgents();
    for (const [p, summary] of [
      [pod('r', {}, { phase: 'Running' }), /^phase Running; not launched by k8sm/],
      [pod('c', {}, { phase: 'Succeeded' }), /^completed \(phase Succeeded\)/],
      [{ ...pod('x'), metadata: { ...pod('x').metadata, deletionTimestamp: '2023-11-14T22:00:00Z' } }, /^being deleted since/],
    ] as const) {
      const d = diagnosePod(p, snapshot(s, { pods: [p] }), settings(), s.now());
      expect(d.stuck).toBe(false);
      expect(d.summary).toMatch(summary);
      expect(d.reasons).toEqual([]);
    }
  });
});
