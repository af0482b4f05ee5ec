/**
 * The core and the simulator agree: where `diagnosePod` says `fits` on an agent, the simulator's
 * k8sm launch of that pod there (its own resource checks: scalars from the role's reservation then
 * unreserved, ports inside the agent's free ranges, the executor on a first pod) is accepted; where
 * it names a resource or port reason, the launch is refused. Random agents (sizes, port ranges with
 * gaps, a `public` reservation), random load (k8sm pods, another framework's task) and random pods.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { diagnosePod } from '../../../src/core/diagnose/index.js';
import { SimError } from '../../stack/mesos-sim/state.js';
import { agent, k8smFramework, launch, pod, schedulingEvent, settings, sim, snapshot } from './helpers.js';

const RESOURCE_REASONS = new Set([
  'roles-unavailable',
  'host-port-not-offered',
  'host-port-in-use',
  'wildcard-ports-short',
  'insufficient-cpu',
  'insufficient-mem',
  'executor-overhead',
]);

const BASE = 31000;
/** Port ranges in [31000, 31039] with gaps: `[31000-31004, 31010-31012]`. */
const rangesArb = fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { minLength: 1, maxLength: 12 }).map((ps) => {
  const sorted = [...ps].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p === last[1] + 1) last[1] = p;
    else out.push([p, p]);
  }
  return out.map(([a, b]) => `${BASE + a}-${BASE + b}`);
});

const podArb = fc.record({
  cpuMilli: fc.integer({ min: 1, max: 40 }).map((n) => n * 50),
  memMi: fc.integer({ min: 2, max: 64 }).map((n) => n * 16),
  secondContainer: fc.boolean(),
  fixed: fc.uniqueArray(fc.integer({ min: 0, max: 45 }), { maxLength: 3 }),
  wildcard: fc.integer({ min: 0, max: 4 }),
  mapping: fc.constantFrom('wildcard', 'fixed'),
  publicRole: fc.boolean(),
});

const clusterArb = fc.record({
  cpus: fc.integer({ min: 2, max: 16 }).map((n) => n / 4),
  mem: fc.integer({ min: 4, max: 64 }).map((n) => n * 64),
  ports: rangesArb,
  reserve: fc.option(
    fc.record({
      cpus: fc.integer({ min: 1, max: 4 }).map((n) => n / 4),
      mem: fc.integer({ min: 1, max: 4 }).map((n) => n * 64),
      portCount: fc.integer({ min: 0, max: 3 }),
    }),
    { nil: undefined },
  ),
  k8smPods: fc.array(
    fc.record({
      cpuMilli: fc.integer({ min: 1, max: 6 }).map((n) => n * 50),
      memMi: fc.integer({ min: 2, max: 8 }).map((n) => n * 16),
      wildcard: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 2 },
  ),
  otherTask: fc.option(fc.record({ cpus: fc.integer({ min: 1, max: 4 }).map((n) => n / 4), mem: fc.integer({ min: 1, max: 4 }).map((n) => n * 32) }), {
    nil: undefined,
  }),
  source: fc.constantFrom<'operator' | 'state'>('operator', 'state'),
});

describe('diagnosePod and the simulator agree', () => {
  test('fits ⇔ the simulator accepts the launch; a resource or port reason ⇔ it refuses', async () => {
    let fits = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(clusterArb, podArb, async (c, p) => {
        const s = sim();
        const firstRange = c.ports[0]!.split('-').map(Number) as [number, number];
        const reservedPorts =
          c.reserve && c.reserve.portCount > 0 ? `[${firstRange[0]}-${Math.min(firstRange[1], firstRange[0] + c.reserve.portCount - 1)}]` : undefined;
        try {
          agent(s, 'a1', {
            resources: { cpus: c.cpus, mem: c.mem, ports: `[${c.ports.join(', ')}]` },
            ...(c.reserve && c.reserve.cpus <= c.cpus && c.reserve.mem <= c.mem
              ? { reserved: { public: { cpus: c.reserve.cpus, mem: c.reserve.mem, ...(reservedPorts ? { ports: reservedPorts } : {}) } } }
              : {}),
          });
        } catch (e) {
          if (e instanceof SimError) return; // an impossible reservation: nothing to check
          throw e;
        }
        const fw = k8smFramework(s, { role: '*' });
        // Load: k8sm pods (the first starts the executor), another framework's task; what does not fit is skipped.
        for (const [i, lp] of c.k8smPods.entries()) {
          const ports = Array.from({ length: lp.wildcard }, (_, j) => ({ containerPort: 9000 + j }));
          try {
            await launch(s, pod(`load-${i}`, { cpu: `${lp.cpuMilli}m`, memory: `${lp.memMi}Mi`, ports }), { agentId: 'a1', frameworkId: fw.id });
          } catch (e) {
            if (!(e instanceof SimError)) throw e;
          }
        }
        if (c.otherTask) {
          const other = s.state.addFramework({ name: 'marathon' });
          try {
            s.state.addTask({ frameworkId: other.id, agentId: 'a1', resources: c.otherTask });
          } catch (e) {
            if (!(e instanceof SimError)) throw e;
          }
        }

        const specPorts = [
          ...p.fixed.map((f, i) => ({ containerPort: 8000 + i, hostPort: BASE + f })),
          ...Array.from({ length: p.wildcard }, (_, j) => ({ containerPort: 9000 + j })),
        ];
        const subject = pod(
          'subject',
          {
            cpu: `${p.cpuMilli}m`,
            memory: `${p.memMi}Mi`,
            containers: p.secondContainer ? 2 : 1,
            ports: specPorts,
            ...(p.mapping === 'fixed' ? { labels: { 'k8s.mesosphere.io/portMapping': 'fixed' } } : {}),
            ...(p.publicRole ? { annotations: { 'k8s.mesosphere.io/roles': 'public,*' } } : {}),
          },
          { now: s.now() },
        );
        // The simulator charges a launch (pod and executor) to one role, from that role's
        // reservation then unreserved: k8sm with framework roles `*` (pod roles `*`), or `*,public`
        // with pod roles `public,*` (the executor then comes from the same two pools).
        const set = settings({ frameworkRoles: p.publicRole ? ['*', 'public'] : ['*'] });
        const d = diagnosePod(subject, snapshot(s, { pods: [subject], events: [schedulingEvent(subject, s.now())], source: c.source }), set, s.now());
        const verdict = d.agents[0]!.reasons.map((r) => r.reason);
        let accepted: boolean;
        try {
          await launch(s, subject, { agentId: 'a1', frameworkId: fw.id, role: p.publicRole ? 'public' : '*' });
          accepted = true;
        } catch (e) {
          if (!(e instanceof SimError)) throw e;
          accepted = false;
        }
        if (verdict[0] === 'fits') {
          fits++;
          expect({ verdict, accepted }).toEqual({ verdict, accepted: true });
        } else {
          expect(verdict.some((r) => RESOURCE_REASONS.has(r))).toBe(true);
          refused++;
          expect({ verdict, accepted }).toEqual({ verdict, accepted: false });
        }
      }),
      { numRuns: 300 },
    );
    // Both sides of the property were exercised.
    expect(fits).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
