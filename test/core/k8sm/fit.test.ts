import fc from 'fast-check';
import type { AgentResources, PerRole } from '../../../src/core/k8sm/agent.js';
import { fitPodOnAgent, k8smPod, resourceReasons, type FitReason, type PodFit } from '../../../src/core/k8sm/fit.js';
import { k8smScheduler, withStaticPods } from '../../../src/core/k8sm/scheduler.js';
import type { SchedulerSettings } from '../../../src/core/k8sm/settings.js';
import { podResourceDemand } from '../../../src/core/k8sm/pod-spec.js';
import { normalizePortRanges, parsePortRanges, portInRanges, type PortRange } from '../../../src/core/ports/port-range.js';

const settings: SchedulerSettings = {
  frameworkRoles: ['*', 'public'],
  defaultPodRoles: ['*'],
  portMapping: 'wildcard',
  executorCpus: 0.25,
  executorMem: 128,
  defaultContainerCpu: 0.25,
  defaultContainerMem: 64,
};
const scheduler = k8smScheduler(settings);

interface PodOpts {
  cpu?: string | number;
  mem?: string;
  ports?: Array<{ containerPort: number; hostPort?: number }>;
  roles?: string;
  mapping?: string;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
}

function pod(o: PodOpts = {}) {
  const limits: Record<string, unknown> = {};
  if (o.cpu !== undefined) limits.cpu = o.cpu;
  if (o.mem !== undefined) limits.memory = o.mem;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      ...(o.roles !== undefined ? { annotations: { 'k8s.mesosphere.io/roles': o.roles } } : {}),
      ...(o.mapping !== undefined ? { labels: { 'k8s.mesosphere.io/portMapping': o.mapping } } : {}),
    },
    spec: {
      ...(o.nodeName !== undefined ? { nodeName: o.nodeName } : {}),
      ...(o.nodeSelector !== undefined ? { nodeSelector: o.nodeSelector } : {}),
      containers: [{ name: 'web', image: 'nginx', ...(o.ports ? { ports: o.ports } : {}), resources: { limits } }],
    },
  };
}

function agent(o: Partial<AgentResources> & { portsText?: string } = {}): AgentResources {
  const { portsText, ...rest } = o;
  return { cpus: { anyRole: 4 }, mem: { anyRole: 8192 }, ports: { anyRole: parsePortRanges(portsText ?? '[31000-32000]') }, executorRunning: false, ...rest };
}

function reasons(fit: PodFit): ReadonlyArray<FitReason> {
  return fit.fits ? [] : fit.reasons;
}

describe('fitPodOnAgent: examples with numbers', () => {
  it('fits: ports per container port, cpu/mem per role, the executor charged on the first pod', () => {
    const p = k8smPod(pod({ cpu: '1', mem: '256Mi', ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 31443 }] }), scheduler);
    const fit = fitPodOnAgent(p, agent(), scheduler);
    expect(fit).toEqual({
      fits: true,
      allocation: {
        hostPorts: [
          { port: expect.objectContaining({ containerPort: 80 }), hostPort: 31000, role: '*' },
          { port: expect.objectContaining({ containerPort: 443 }), hostPort: 31443, role: '*' },
        ],
        cpus: [{ role: '*', amount: 1 }],
        mem: [{ role: '*', amount: 256 }],
        executor: { cpus: [{ role: '*', amount: 0.25 }], mem: [{ role: '*', amount: 128 }] },
      },
    });
  });

  it('splits one request across the pod roles in their order (0.5 cpus(*) + 1.5 cpus(public))', () => {
    const p = k8smPod(pod({ cpu: '2', mem: '64Mi', roles: '*,public' }), scheduler);
    const a = agent({ cpus: { byRole: { '*': 0.5, public: 3 } }, mem: { byRole: { '*': 1024 } }, executorRunning: true });
    const fit = fitPodOnAgent(p, a, scheduler);
    expect(fit.fits && fit.allocation.cpus).toEqual([
      { role: '*', amount: 0.5 },
      { role: 'public', amount: 1.5 },
    ]);
    expect(fit.fits && fit.allocation.executor).toBeUndefined();
  });

  it('reports every reason at once: ports not offered, in use, wildcard short, cpu and memory', () => {
    const ports = [
      { containerPort: 1, hostPort: 8080 },
      { containerPort: 2, hostPort: 31001 },
      { containerPort: 3 },
      { containerPort: 4 },
      { containerPort: 5 },
    ];
    const p = k8smPod(pod({ cpu: '6', mem: '9Gi', ports }), scheduler);
    const a = agent({ portsText: '[31000-31000, 31002-31002]', portsInUse: { anyRole: parsePortRanges('[31001-31001]') } });
    expect(reasons(fitPodOnAgent(p, a, scheduler))).toEqual([
      { id: 'host-port-not-offered', port: 8080, roles: ['*'], offered: parsePortRanges('[31000-31000, 31002-31002]'), otherRoles: [] },
      { id: 'host-port-in-use', port: 31001, role: '*' },
      { id: 'wildcard-ports-short', wildcard: 3, free: 2, fixed: 0, offered: 2, roles: ['*'], byRole: [{ role: '*', ports: 2 }] },
      { id: 'insufficient-cpu', resource: 'cpu', needed: 6, free: 4 },
      { id: 'insufficient-mem', resource: 'mem', needed: 9216, free: 8192 },
    ]);
  });

  it('wildcard short: N ports without hostPort against the M left after the fixed ones', () => {
    const p = k8smPod(pod({ ports: [{ containerPort: 1, hostPort: 31000 }, { containerPort: 2 }, { containerPort: 3 }] }), scheduler);
    expect(reasons(fitPodOnAgent(p, agent({ portsText: '[31000-31001]' }), scheduler))).toEqual([
      { id: 'wildcard-ports-short', wildcard: 2, free: 1, fixed: 1, offered: 2, roles: ['*'], byRole: [{ role: '*', ports: 2 }] },
    ]);
    // Under fixed mapping the same ports consume nothing.
    expect(
      fitPodOnAgent(
        k8smPod(pod({ mapping: 'fixed', ports: [{ containerPort: 1, hostPort: 31000 }, { containerPort: 2 }] }), scheduler),
        agent({ portsText: '[31000-31000]' }),
        scheduler,
      ).fits,
    ).toBe(true);
  });

  it('executor overhead: fits alone, not with the executor and static pods; fits where an executor runs', () => {
    const s = withStaticPods(scheduler, [
      podResourceDemand({ containers: [{ name: 'log', resources: { limits: { cpu: '100m', memory: '64Mi' } } }] }, scheduler.demandDefaults),
    ]);
    expect(s.executor).toEqual({ cpus: 0.35, mem: 192, staticCpus: 0.1, staticMem: 64 });
    const p = k8smPod(pod({ cpu: '0.8', mem: '512Mi' }), s);
    const a = agent({ cpus: { anyRole: 1 }, mem: { anyRole: 1024 } });
    expect(reasons(fitPodOnAgent(p, a, s))).toEqual([{ id: 'executor-overhead', resource: 'cpu', needed: 0.8, executor: 0.35, staticPods: 0.1, left: 0.2 }]);
    expect(fitPodOnAgent(p, { ...a, executorRunning: true }, s).fits).toBe(true);
  });

  it('the executor is charged from the framework roles, after the pod', () => {
    const s = k8smScheduler({ ...settings, frameworkRoles: ['*'] });
    // Only `*` pays for the executor: 1 cpu there, the pod takes 0.9 of it first.
    const a = agent({ cpus: { byRole: { '*': 1, public: 5 } } });
    const p = k8smPod(pod({ cpu: '0.9', mem: '64Mi' }), s);
    expect(reasons(fitPodOnAgent(p, a, s))).toEqual([{ id: 'executor-overhead', resource: 'cpu', needed: 0.9, executor: 0.25, staticPods: 0, left: 0.1 }]);
  });

  it('the executor takes what the pod left of the first framework role, then the next', () => {
    const p = k8smPod(pod({ cpu: '0.9', mem: '64Mi', roles: '*' }), scheduler);
    const fit = fitPodOnAgent(p, agent({ cpus: { byRole: { '*': 1, public: 1 } } }), scheduler);
    expect(fit.fits && fit.allocation.cpus).toEqual([{ role: '*', amount: 0.9 }]);
    expect(fit.fits && fit.allocation.executor?.cpus).toEqual([
      { role: '*', amount: 0.1 },
      { role: 'public', amount: 0.15 },
    ]);
  });

  it('needed against free per role: roles the pod may not use do not count', () => {
    const p = k8smPod(pod({ cpu: '2', mem: '64Mi' }), scheduler);
    const a = agent({ cpus: { byRole: { '*': 1, public: 8 } }, executorRunning: true });
    expect(reasons(fitPodOnAgent(p, a, scheduler))).toEqual([
      { id: 'insufficient-cpu', resource: 'cpu', needed: 2, free: 1, byRole: [{ role: '*', amount: 1 }] },
    ]);
  });

  it('a port reserved for a role the pod does not use is not offered, and says which role has it', () => {
    const p = k8smPod(pod({ ports: [{ containerPort: 80, hostPort: 80 }] }), scheduler);
    const a = agent({ ports: { byRole: { '*': parsePortRanges('[31000-32000]'), public: parsePortRanges('[80-80]') } } });
    expect(reasons(fitPodOnAgent(p, a, scheduler))).toEqual([
      { id: 'host-port-not-offered', port: 80, roles: ['*'], offered: parsePortRanges('[31000-32000]'), otherRoles: ['public'] },
    ]);
    expect(fitPodOnAgent(k8smPod(pod({ roles: 'public', ports: [{ containerPort: 80, hostPort: 80 }] }), scheduler), a, scheduler).fits).toBe(true);
  });

  it('duplicates and no roles', () => {
    const dup = k8smPod(
      pod({
        ports: [
          { containerPort: 53, hostPort: 31053 },
          { containerPort: 54, hostPort: 31053 },
        ],
      }),
      scheduler,
    );
    expect(reasons(fitPodOnAgent(dup, agent(), scheduler))).toEqual([{ id: 'host-port-duplicate', port: 31053, declarations: 2 }]);
    const none = k8smPod(pod({ roles: 'gpu' }), scheduler);
    expect(reasons(fitPodOnAgent(none, agent(), scheduler))).toEqual([{ id: 'no-roles', annotation: 'gpu', dropped: ['gpu'] }]);
  });

  it('node name and node selector against the agent Node labels', () => {
    const p = k8smPod(pod({ nodeName: 'a2', nodeSelector: { 'k8s.mesosphere.io/attribute-rack': 'r1' } }), scheduler);
    const node = { hostname: 'a1', labels: { 'kubernetes.io/hostname': 'a1', 'k8s.mesosphere.io/attribute-rack': 'r2' } };
    expect(reasons(fitPodOnAgent(p, agent({ node }), scheduler))).toEqual([
      { id: 'node-name', nodeName: 'a2', hostname: 'a1' },
      { id: 'node-selector', key: 'k8s.mesosphere.io/attribute-rack', value: 'r1', actual: 'r2' },
    ]);
    expect(fitPodOnAgent(p, agent(), scheduler).fits).toBe(true);
  });
});

// Properties over random pods and agents (roles `*` and `public`, the pod uses both or one).
fc.configureGlobal({ numRuns: 400 });
const ROLES = ['*', 'public'] as const;
const rangesArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 8 })), { maxLength: 6 })
  .map((xs) => normalizePortRanges(xs.map(([b, l]) => ({ begin: b, end: b + l }))));
const amountArb = fc.integer({ min: 0, max: 40 }).map((n) => n / 10);
const perRoleNumberArb = fc.oneof(
  amountArb.map((anyRole): PerRole<number> => ({ anyRole })),
  fc.tuple(amountArb, amountArb).map(([a, b]): PerRole<number> => ({ byRole: { '*': a, public: b } })),
);
const portsArb = fc.oneof(
  rangesArb.map((anyRole): PerRole<PortRange[]> => ({ anyRole })),
  fc
    .tuple(rangesArb, fc.integer({ min: 0, max: 50 }))
    .map(([r, split]): PerRole<PortRange[]> => ({ byRole: { '*': r.filter((x) => x.begin < split), public: r.filter((x) => x.begin >= split) } })),
);
const agentArb = fc.record({
  cpus: perRoleNumberArb,
  mem: perRoleNumberArb.map((x) =>
    'anyRole' in x ? { anyRole: x.anyRole * 1000 } : { byRole: { '*': x.byRole['*']! * 1000, public: x.byRole.public! * 1000 } },
  ),
  ports: portsArb,
  executorRunning: fc.boolean(),
});
const podArb = fc.record({
  cpu: fc.integer({ min: 1, max: 30 }).map((n) => n / 10),
  mem: fc.integer({ min: 32, max: 3000 }).map((n) => `${n}Mi`),
  ports: fc
    .array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 45 })), { maxLength: 5 })
    .map((hs) => hs.map((h, i) => ({ containerPort: 100 + i, hostPort: h }))),
  roles: fc.constantFrom(undefined, '*', 'public', 'public,*', '*,public'),
  mapping: fc.constantFrom(undefined, 'fixed', 'wildcard'),
});
const schedulerArb = fc
  .record({
    frameworkRoles: fc.constantFrom(['*'], ['*', 'public'], ['public', '*']),
    executorCpus: fc.constantFrom(0, 0.25, 1),
    executorMem: fc.constantFrom(0, 128),
  })
  .map((o) => k8smScheduler({ ...settings, ...o }));

function amount(x: PerRole<number>, role: string): number {
  return 'anyRole' in x ? x.anyRole : (x.byRole[role] ?? 0);
}

describe('fitPodOnAgent properties', () => {
  it('fits exactly when there is no reason; an allocation stays within what is free, per role', () => {
    fc.assert(
      fc.property(podArb, agentArb, schedulerArb, (o, a, s) => {
        const p = k8smPod(pod(o), s);
        const fit = fitPodOnAgent(p, a, s);
        if (!fit.fits) {
          expect(fit.reasons.length).toBeGreaterThan(0);
          return;
        }
        expect(resourceReasons(p.resources, p.roles.list, a, s)).toEqual([]);
        const al = fit.allocation;
        for (const [key, list, need, ex] of [
          ['cpus', al.cpus, p.resources.cpus, s.executor.cpus],
          ['mem', al.mem, p.resources.mem, s.executor.mem],
        ] as const) {
          const taken = new Map<string, number>();
          for (const x of [...list, ...(al.executor?.[key] ?? [])]) taken.set(x.role, (taken.get(x.role) ?? 0) + x.amount);
          for (const [role, t] of taken) expect(t).toBeLessThanOrEqual(('anyRole' in a[key] ? amount(a[key], '*') : amount(a[key], role)) + 1e-6);
          for (const x of list) expect(p.roles.list.includes(x.role) || 'anyRole' in a[key]).toBe(true);
          expect(list.reduce((n, x) => n + x.amount, 0)).toBeCloseTo(need, 5);
          if (al.executor !== undefined) expect(al.executor[key].reduce((n, x) => n + x.amount, 0)).toBeCloseTo(ex, 5);
        }
        expect(al.executor === undefined).toBe(a.executorRunning);
        const ports = al.hostPorts.map((h) => h.hostPort);
        expect(new Set(ports).size).toBe(ports.length);
        for (const h of al.hostPorts) {
          if (h.port.hostPort !== 0) expect(h.hostPort).toBe(h.port.hostPort);
          const free = 'anyRole' in a.ports ? a.ports.anyRole : a.ports.byRole[h.role]!;
          expect(portInRanges(free, h.hostPort)).toBe(true);
        }
      }),
    );
  });

  it('is monotone: more free cpu, memory or ports, or a running executor, never turn a fit into no fit', () => {
    fc.assert(
      fc.property(podArb, agentArb, schedulerArb, amountArb, rangesArb, fc.constantFrom(...ROLES), (o, a, s, more, extra, role) => {
        const p = k8smPod(pod(o), s);
        if (!fitPodOnAgent(p, a, s).fits) return;
        const grow = (x: PerRole<number>, by: number): PerRole<number> =>
          'anyRole' in x ? { anyRole: x.anyRole + by } : { byRole: { ...x.byRole, [role]: (x.byRole[role] ?? 0) + by } };
        const ports: PerRole<PortRange[]> =
          'anyRole' in a.ports
            ? { anyRole: normalizePortRanges([...a.ports.anyRole, ...extra]) }
            : { byRole: { ...a.ports.byRole, [role]: normalizePortRanges([...(a.ports.byRole[role] ?? []), ...extra]) } };
        const bigger: AgentResources = { cpus: grow(a.cpus, more), mem: grow(a.mem, more * 1000), ports, executorRunning: true };
        expect(fitPodOnAgent(p, bigger, s).fits).toBe(true);
        expect(fitPodOnAgent(p, { ...a, executorRunning: true }, s).fits).toBe(true);
      }),
    );
  });

  it('reasons carry their numbers: what is needed exceeds what is free', () => {
    fc.assert(
      fc.property(podArb, agentArb, schedulerArb, (o, a, s) => {
        const p = k8smPod(pod(o), s);
        for (const r of reasons(fitPodOnAgent(p, a, s))) {
          if (r.id === 'insufficient-cpu' || r.id === 'insufficient-mem') expect(r.needed).toBeGreaterThan(r.free);
          if (r.id === 'executor-overhead') {
            expect(r.executor).toBeGreaterThan(r.left);
            expect(a.executorRunning).toBe(false);
          }
          if (r.id === 'wildcard-ports-short') expect(r.wildcard).toBeGreaterThan(r.free);
        }
      }),
    );
  });
});
