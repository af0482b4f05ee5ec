/**
 * The per-agent reasons of a pod never launched: each one alone on an agent built for it, with the
 * numbers its message must carry, the fix, and the order (the first one is the headline).
 */
import { describe, expect, test } from '@jest/globals';
import { diagnosePod, type PodDiagnosis } from '../../../src/core/diagnose/index.js';
import { agent, k8smFramework, launch, nodesFor, pod, schedulingEvent, settings, sim, snapshot, type Sim } from './helpers.js';

function verdict(d: PodDiagnosis, host: string) {
  const v = d.agents.find((a) => a.hostname === host);
  if (!v) throw new Error(`no verdict for ${host}`);
  return v.reasons;
}

/** One agent `a1` (4 cpus, 8192 MB, [31000-32000]) unless given, the k8sm framework, and the pod to diagnose. */
function setup(configure?: (s: Sim) => void) {
  const s = sim();
  const fw = k8smFramework(s);
  if (configure) configure(s);
  else agent(s, 'a1');
  return { s, fw };
}

function diagnose(s: Sim, p: ReturnType<typeof pod>, extra: Parameters<typeof snapshot>[1] = {}, set = settings()) {
  const snap = snapshot(s, { pods: [p], events: [schedulingEvent(p, s.now())], ...extra });
  return diagnosePod(p, snap, set, s.now());
}

describe('agent-inactive', () => {
  test('a deactivated agent: no offers for it', () => {
    const { s } = setup((s) => {
      agent(s, 'a1').deactivated = true;
    });
    const r = verdict(diagnose(s, pod('p', {}, { now: s.now() })), 'a1');
    expect(r[0]!.reason).toBe('agent-inactive');
    expect(r[0]!.message).toMatch(/a1 is deactivated.*sends no offers/);
    expect(r[0]!.fix).toMatch(/REACTIVATE_AGENT/);
  });

  test('a disconnected agent, and one being drained', () => {
    const { s } = setup((s) => {
      agent(s, 'a1').active = false;
      agent(s, 'a2');
    });
    const p = pod('p', {}, { now: s.now() });
    const snap = snapshot(s, { pods: [p] });
    snap.mesos.agents.find((a) => a.hostname === 'a2')!.drainState = 'DRAINING';
    const d = diagnosePod(p, snap, settings(), s.now());
    expect(verdict(d, 'a1')[0]!.message).toMatch(/a1 is not connected to the master \(active: false\)/);
    expect(verdict(d, 'a2')[0]!.message).toMatch(/a2 is being drained \(drain_info DRAINING\)/);
    expect(d.summary).toMatch(/^0\/2 agents can run it: 1 disconnected, 1 draining/);
  });

  test('the headline comes first, and the other reasons on that agent follow', () => {
    const { s } = setup((s) => {
      agent(s, 'a1', { resources: { cpus: 1, mem: 512, ports: '[31000-32000]' } }).deactivated = true;
    });
    const r = verdict(diagnose(s, pod('p', { cpu: '2' }, { now: s.now() })), 'a1');
    expect(r.map((x) => x.reason)).toEqual(['agent-inactive', 'insufficient-cpu']);
  });
});

describe('Nodes', () => {
  test('node-missing: no Node of the agent hostname', () => {
    const { s } = setup((s) => {
      agent(s, 'a1');
      agent(s, 'a2');
    });
    const nodes = nodesFor(s).filter((n) => n.metadata.name !== 'a2');
    const d = diagnose(s, pod('p', {}, { now: s.now() }), { nodes });
    expect(verdict(d, 'a2')[0]!.reason).toBe('node-missing');
    expect(verdict(d, 'a2')[0]!.message).toMatch(/no Node named a2/);
    expect(verdict(d, 'a1')[0]!.reason).toBe('fits');
  });

  test('Nodes not readable: no Node reasons at all', () => {
    const { s } = setup();
    const d = diagnose(s, pod('p', {}, { now: s.now() }), { nodes: 'none' });
    expect(verdict(d, 'a1')[0]!.reason).toBe('fits');
  });

  test('node-attributes-stale: names the label, the Node value and the agent value', () => {
    const { s } = setup((s) => agent(s, 'a1', { attributes: { rack: 'r2', zone: 'a' } }));
    const nodes = [
      {
        metadata: { name: 'a1', labels: { 'kubernetes.io/hostname': 'a1', 'k8s.mesosphere.io/attribute-rack': 'r1', 'k8s.mesosphere.io/attribute-zone': 'a' } },
      },
    ];
    const r = verdict(diagnose(s, pod('p', {}, { now: s.now() }), { nodes }), 'a1');
    expect(r[0]!.reason).toBe('node-attributes-stale');
    expect(r[0]!.message).toContain('k8s.mesosphere.io/attribute-rack is r1 on the Node, r2 on the agent');
    expect(r[0]!.fix).toContain('kubectl label node a1 k8s.mesosphere.io/attribute-rack=r2 --overwrite');
  });
});

describe('executor-incompatible', () => {
  test('an executor of another id (with its task count), while the newest launch used the current id', async () => {
    const { s, fw } = setup((s) => {
      agent(s, 'a1');
      agent(s, 'a2');
    });
    const old = s.state.addExecutor({ frameworkId: fw.id, agentId: 'a1', k8sm: true, id: 'aaaa_k8sm-executor' });
    s.state.addTask({ frameworkId: fw.id, agentId: 'a1', executorId: old.id, name: 'old-0.default.pod', resources: { cpus: 0.1, mem: 32 } });
    s.state.addTask({ frameworkId: fw.id, agentId: 'a1', executorId: old.id, name: 'old-1.default.pod', resources: { cpus: 0.1, mem: 32 } });
    s.tick(60);
    const web = await launch(s, pod('web', {}, { now: s.now() }), { agentId: 'a2', frameworkId: fw.id });
    const current = web.metadata.annotations!['k8s.mesosphere.io/executorId']!;
    const d = diagnose(s, pod('p', {}, { now: s.now() }));
    const r = verdict(d, 'a1');
    expect(r[0]!.reason).toBe('executor-incompatible');
    expect(r[0]!.message).toContain('with id aaaa_k8sm-executor runs on a1 with 2 tasks');
    expect(r[0]!.message).toContain(`the scheduler uses ${current}`);
    expect(verdict(d, 'a2')[0]!.reason).toBe('fits');
  });

  test('--executor-id names the current one', () => {
    const { s, fw } = setup();
    s.state.addExecutor({ frameworkId: fw.id, agentId: 'a1', k8sm: true, id: 'aaaa_k8sm-executor' });
    const d = diagnose(s, pod('p', {}, { now: s.now() }), {}, settings({}, { executorId: 'bbbb_k8sm-executor' }));
    expect(verdict(d, 'a1')[0]!.message).toMatch(
      /id aaaa_k8sm-executor runs on a1 with 0 tasks, while the scheduler uses bbbb_k8sm-executor \(--executor-id\)/,
    );
  });
});

describe('placement by spec', () => {
  test('node-name-mismatch', () => {
    const { s } = setup((s) => {
      agent(s, 'a1');
      agent(s, 'a2');
    });
    const d = diagnose(s, pod('p', { nodeName: 'a2' }, { now: s.now() }));
    expect(verdict(d, 'a1')[0]).toMatchObject({ reason: 'node-name-mismatch', message: expect.stringContaining('spec.nodeName is a2, not a1') });
    expect(verdict(d, 'a2')[0]!.reason).toBe('fits');
  });

  test('node-selector-mismatch: the key, the value wanted and what the Node has', () => {
    const { s } = setup((s) => {
      agent(s, 'a1', { attributes: { rack: 'r1' } });
      agent(s, 'a2');
    });
    const d = diagnose(s, pod('p', { nodeSelector: { 'k8s.mesosphere.io/attribute-rack': 'r3' } }, { now: s.now() }));
    expect(verdict(d, 'a1')[0]!.message).toBe(
      'nodeSelector k8s.mesosphere.io/attribute-rack=r3 does not match: Node a1 has k8s.mesosphere.io/attribute-rack=r1',
    );
    expect(verdict(d, 'a2')[0]!.message).toBe(
      'nodeSelector k8s.mesosphere.io/attribute-rack=r3 does not match: Node a2 has no label k8s.mesosphere.io/attribute-rack',
    );
  });
});

describe('roles and ports', () => {
  test('roles-unavailable: the pod roles hold nothing on the agent (one reason, not four)', () => {
    const { s } = setup((s) => {
      agent(s, 'a1');
      agent(s, 'a2', { resources: { cpus: 4, mem: 8192, ports: '[31000-32000]' }, reserved: { public: { cpus: 1, mem: 1024, ports: '[31000-31009]' } } });
    });
    const set = settings({ frameworkRoles: ['*', 'public'] });
    const d = diagnose(
      s,
      pod('p', { annotations: { 'k8s.mesosphere.io/roles': 'public' }, ports: [{ containerPort: 80, hostPort: 31005 }] }, { now: s.now() }),
      {},
      set,
    );
    expect(verdict(d, 'a1')).toEqual([
      expect.objectContaining({ reason: 'roles-unavailable', message: "the pod's roles (public) hold no resources on a1 (its roles: *)" }),
    ]);
    expect(verdict(d, 'a2')[0]!.reason).toBe('fits');
  });

  test('host-port-not-offered: the agent ranges of the pod roles, and a reservation to another role', () => {
    const { s } = setup((s) =>
      agent(s, 'a1', { resources: { cpus: 8, mem: 8192, ports: '[443-443, 31000-31099, 31101-32000]' }, reserved: { public: { ports: '[443-443]' } } }),
    );
    const r = verdict(diagnose(s, pod('p', { ports: [{ containerPort: 443, hostPort: 443 }] }, { now: s.now() })), 'a1');
    expect(r[0]!.reason).toBe('host-port-not-offered');
    expect(r[0]!.message).toBe(
      'host port 443 is outside the ports a1 offers for roles *: [31000-31099, 31101-32000]; a1 reserves it to role public, which the pod may not use',
    );
    const gap = verdict(diagnose(s, pod('q', { ports: [{ containerPort: 1, hostPort: 31100 }] }, { now: s.now() })), 'a1');
    expect(gap[0]!.message).toBe('host port 31100 is outside the ports a1 offers for roles *: [31000-31099, 31101-32000]');
  });

  test('host-port-in-use: names the task and its pod', async () => {
    const { s, fw } = setup();
    const web = await launch(s, pod('web', { ports: [{ containerPort: 8080, hostPort: 31500 }] }, { namespace: 'team-a' }), {
      agentId: 'a1',
      frameworkId: fw.id,
    });
    const taskId = web.metadata.annotations!['k8s.mesosphere.io/taskId'];
    const r = verdict(diagnose(s, pod('p', { ports: [{ containerPort: 1, hostPort: 31500 }] }, { now: s.now() })), 'a1');
    expect(r[0]).toMatchObject({
      reason: 'host-port-in-use',
      message: `host port 31500 is in a1's ranges for role *, but task ${taskId} (pod team-a/web) of framework Kubernetes holds it`,
    });
    expect(r[0]!.fix).toMatch(/^delete pod team-a\/web if it is not needed/);
  });

  test('host-port-in-use: an offer to another framework holds it', () => {
    const { s } = setup();
    const other = s.state.addFramework({ name: 'marathon' });
    s.state.addOffer({ frameworkId: other.id, agentId: 'a1', resources: { cpus: 1, mem: 128, ports: '[31500-31500]' } });
    const r = verdict(diagnose(s, pod('p', { ports: [{ containerPort: 1, hostPort: 31500 }] }, { now: s.now() })), 'a1');
    expect(r[0]!.reason).toBe('host-port-in-use');
    expect(r[0]!.message).toMatch(/an offer \(.*-O\d+\) outstanding to framework marathon holds it/);
  });

  test('wildcard-ports-short: needs N, has M', async () => {
    const { s, fw } = setup((s) => agent(s, 'a1', { resources: { cpus: 4, mem: 8192, ports: '[31000-31003]' } }));
    await launch(s, pod('web', { ports: [{ containerPort: 8080 }] }), { agentId: 'a1', frameworkId: fw.id });
    const p = pod('p', { ports: [{ containerPort: 1 }, { containerPort: 2 }, { containerPort: 3 }, { containerPort: 4 }] }, { now: s.now() });
    const r = verdict(diagnose(s, p), 'a1');
    expect(r[0]!.reason).toBe('wildcard-ports-short');
    expect(r[0]!.message).toBe(
      'the pod needs 4 free ports for its container ports without hostPort (wildcard mapping), but a1 has 3 free for roles * (offered 3; *: 3)',
    );
    // Under fixed mapping the same pod takes no host port and fits.
    const fixed = pod(
      'f',
      { ports: [{ containerPort: 1 }, { containerPort: 2 }, { containerPort: 3 }, { containerPort: 4 }], labels: { 'k8s.mesosphere.io/portMapping': 'fixed' } },
      { now: s.now() },
    );
    expect(verdict(diagnose(s, fixed), 'a1')[0]!.reason).toBe('fits');
  });
});

describe('cpu and memory', () => {
  test('insufficient-cpu and insufficient-mem: needed with defaults vs free for the pod roles', async () => {
    const { s, fw } = setup((s) => agent(s, 'a1', { resources: { cpus: 2, mem: 1024, ports: '[31000-32000]' } }));
    await launch(s, pod('web', { cpu: '500m', memory: '256Mi' }), { agentId: 'a1', frameworkId: fw.id });
    // free: 2 - 0.5 - 0.25 (executor) = 1.25 cpus; 1024 - 256 - 128 = 640 MB
    const p = pod('p', { cpu: '2', containers: 2, memory: '512Mi' }, { now: s.now() }); // 2 + 0.25 (default) cpus, 512 + 64 MB
    const r = verdict(diagnose(s, p), 'a1');
    expect(r.map((x) => x.reason)).toEqual(['insufficient-cpu']);
    expect(r[0]!.message).toBe(
      "the pod needs 2.25 CPU (the sum of its containers' limits, k8sm's defaults for those without), a1 has 1.25 CPU free for roles *",
    );
    // Every figure with its unit, as validate prints them (the short is also the FailedScheduling event's).
    expect(r[0]!.short).toBe('insufficient cpu (needs 2.25 CPU, 1.25 CPU free)');
    expect(r[0]!.fix).toContain('k8sm charges limits, 0.25 CPU each when unset');
    const m = verdict(diagnose(s, pod('m', { memory: '1Gi' }, { now: s.now() })), 'a1');
    expect(m[0]!.message).toBe(
      "the pod needs 1024 MB of memory (the sum of its containers' limits, k8sm's defaults for those without), a1 has 640 MB free for roles *",
    );
    expect(m[0]!.short).toBe('insufficient memory (needs 1024 MB, 640 MB free)');
    expect(m[0]!.fix).toContain('k8sm charges limits, 64 MB each when unset');
    // The fix names the scheduler's own defaults (--default-container-cpu-limit / -mem-limit).
    const big = verdict(diagnose(s, p, {}, settings({ defaultContainerCpu: 0.5, defaultContainerMem: 128 })), 'a1');
    expect(big[0]!.fix).toContain('k8sm charges limits, 0.5 CPU each when unset');
  });

  test('per role: what each of the pod roles has free', () => {
    const { s } = setup((s) => agent(s, 'a1', { resources: { cpus: 2, mem: 4096, ports: '[31000-32000]' }, reserved: { public: { cpus: 0.5, mem: 512 } } }));
    const set = settings({ frameworkRoles: ['*', 'public'], defaultPodRoles: ['public', '*'] });
    const r = verdict(diagnose(s, pod('p', { cpu: '3' }, { now: s.now() }), {}, set), 'a1');
    expect(r[0]!.message).toContain('a1 has 2 CPU free for roles public,* (public: 0.5 CPU, *: 1.5 CPU)');
  });

  test('executor-overhead: fits alone, not with the 0.25 cpus / 128 MB of a first pod', () => {
    const { s } = setup((s) => agent(s, 'a1', { resources: { cpus: 1, mem: 1024, ports: '[31000-32000]' } }));
    const r = verdict(diagnose(s, pod('p', { cpu: '900m', memory: '512Mi' }, { now: s.now() })), 'a1');
    expect(r.map((x) => x.reason)).toEqual(['executor-overhead']);
    expect(r[0]!.message).toBe(
      "the pod's 0.9 CPU fit on a1, but no k8sm executor runs there yet and k8sm charges the executor's 0.25 CPU with a host's first pod: 0.1 CPU left in the framework roles after the pod",
    );
    expect(r[0]!.fix).toMatch(/by 0\.15 CPU,/);
    expect(r[0]!.short).toBe('no room for the executor (needs 0.9 CPU + 0.25 CPU, 1 CPU free)');
  });

  test('executor-overhead: static pods, as a running executor of the framework shows them', () => {
    const { s, fw } = setup((s) => {
      agent(s, 'a1', { resources: { cpus: 1, mem: 4096, ports: '[31000-32000]' } });
      agent(s, 'a2');
    });
    // The executor on a2 takes 0.75 cpus: 0.25 of its own plus 0.5 of static pods.
    const ex = s.state.addExecutor({ frameworkId: fw.id, agentId: 'a2', k8sm: true, resources: { cpus: 0.75, mem: 256 } });
    s.state.addTask({ frameworkId: fw.id, agentId: 'a2', executorId: ex.id, resources: { cpus: 0.1, mem: 32 } });
    const r = verdict(diagnose(s, pod('p', { cpu: '500m' }, { now: s.now() })), 'a1');
    expect(r[0]!.reason).toBe('executor-overhead');
    expect(r[0]!.message).toContain("charges the executor's 0.75 CPU (0.25 CPU + 0.5 CPU for static pods) with a host's first pod: 0.5 CPU left");
  });

  test('fits: the allocation, and the executor with a first pod', () => {
    const { s } = setup();
    const r = verdict(
      diagnose(s, pod('p', { cpu: '500m', memory: '128Mi', ports: [{ containerPort: 80, hostPort: 31080 }, { containerPort: 81 }] }, { now: s.now() })),
      'a1',
    );
    expect(r).toEqual([
      expect.objectContaining({
        reason: 'fits',
        message: 'a1 can take the pod now: 0.5 CPU (*), 128 MB (*), host ports 31080, 31000, plus the executor (first pod there)',
      }),
    ]);
  });
});

describe('the /state source (no GET_STATE)', () => {
  test('reads the same verdicts from the model JSON (used split by role estimated)', async () => {
    const { s, fw } = setup((s) => agent(s, 'a1', { resources: { cpus: 2, mem: 1024, ports: '[31000-32000]' } }));
    await launch(s, pod('web', { cpu: '500m', memory: '256Mi', ports: [{ containerPort: 1, hostPort: 31500 }] }), { agentId: 'a1', frameworkId: fw.id });
    const p = pod('p', { cpu: '2', ports: [{ containerPort: 1, hostPort: 31500 }] }, { now: s.now() });
    const r = verdict(diagnose(s, p, { source: 'state' }), 'a1');
    expect(r.map((x) => x.reason)).toEqual(['host-port-in-use', 'insufficient-cpu']);
    expect(r[1]!.message).toContain('a1 has 1.25 CPU free');
  });
});
