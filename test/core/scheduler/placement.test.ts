import fc from 'fast-check';
import { portInRanges } from '../../../src/core/ports/port-range.js';
import { placePods, type Placement } from '../../../src/core/scheduler/placement.js';
import type { SchedOffer } from '../../../src/core/scheduler/offers.js';
import { offer, pending, scheduler } from './helpers.js';

const EXEC = 'abc_k8sm-executor';
const S = scheduler();

function sum(p: ReadonlyArray<{ amount: number }>): number {
  return p.reduce((n, x) => n + x.amount, 0);
}

/** Everything taken from an offer by its placements, per resource. */
function takenFrom(o: SchedOffer, placements: ReadonlyArray<Placement>): { cpus: number; mem: number; ports: number[] } {
  let cpus = 0;
  let mem = 0;
  const ports: number[] = [];
  for (const p of placements) {
    if (p.offer.id !== o.id) continue;
    cpus += sum(p.allocation.cpus) + sum(p.allocation.executor?.cpus ?? []);
    mem += sum(p.allocation.mem) + sum(p.allocation.executor?.mem ?? []);
    ports.push(...p.allocation.hostPorts.map((h) => h.hostPort));
  }
  return { cpus, mem, ports };
}

describe('placePods', () => {
  it('puts several pods in one offer and charges the executor once per host', () => {
    const pods = [1, 2, 3].map((i) => pending({ name: `p${i}`, cpu: '500m', mem: '100Mi' }, S));
    const r = placePods(pods, [offer({ id: 'o1', host: 'h1', cpus: 2, mem: 1024 })], { scheduler: S, executorId: EXEC });
    expect(r.placements.map((p) => p.pod.key)).toEqual(['default/p1', 'default/p2', 'default/p3']);
    expect(r.placements.filter((p) => p.allocation.executor).length).toBe(1);
    expect(r.left[0]!.cpus['*']).toBeCloseTo(2 - 1.5 - 0.25);
  });

  it('charges no executor where this scheduler executor already runs', () => {
    const r = placePods([pending({ name: 'p', cpu: '1', mem: '100Mi' }, S)], [offer({ id: 'o1', host: 'h1', cpus: 1, mem: 200, executorIds: [EXEC] })], {
      scheduler: S,
      executorId: EXEC,
    });
    expect(r.placements).toHaveLength(1);
    expect(r.placements[0]!.allocation.executor).toBeUndefined();
  });

  it('is all-or-nothing per pod: a pod that does not fit takes nothing', () => {
    const big = pending({ name: 'big', cpu: '3', mem: '100Mi' }, S);
    const small = pending({ name: 'small', cpu: '1', mem: '100Mi' }, S);
    const r = placePods([big, small], [offer({ id: 'o1', host: 'h1', cpus: 2, mem: 1024 })], { scheduler: S, executorId: EXEC });
    expect(r.unplaced.map((p) => p.key)).toEqual(['default/big']);
    expect(r.placements.map((p) => p.pod.key)).toEqual(['default/small']);
  });

  it('never gives one fixed host port twice on a host, and places the second replica elsewhere', () => {
    const pods = [1, 2, 3].map((i) => pending({ name: `web${i}`, owner: 'rs', cpu: '100m', mem: '32Mi', hostPorts: [31005] }, S));
    const r = placePods(pods, [offer({ id: 'o1', host: 'h1' }), offer({ id: 'o2', host: 'h2' })], { scheduler: S, executorId: EXEC });
    expect(r.placements.map((p) => p.offer.hostname).sort()).toEqual(['h1', 'h2']);
    expect(r.unplaced.map((p) => p.key)).toEqual(['default/web3']);
  });

  it('spreads replicas of one owner over agents (fewest siblings first)', () => {
    const pods = Array.from({ length: 6 }, (_, i) => pending({ name: `r${i}`, owner: 'rs-a', cpu: '100m', mem: '32Mi' }, S));
    const offers = ['h1', 'h2', 'h3'].map((h) => offer({ id: `o-${h}`, host: h }));
    const r = placePods(pods, offers, { scheduler: S, executorId: EXEC, siblings: (owner, host) => (owner === 'rs-a' && host === 'h1' ? 2 : 0) });
    const count = (h: string): number => r.placements.filter((p) => p.offer.hostname === h).length;
    // h1 already runs 2: the new ones go to h2 and h3 first, so the three hosts end up within one of each other.
    expect(count('h1') + 2).toBeLessThanOrEqual(count('h2') + 1);
    expect(Math.abs(count('h2') - count('h3'))).toBeLessThanOrEqual(1);
  });

  it('honours nodeSelector on attribute labels, nodeName and the roles annotation', () => {
    const S2 = scheduler({ frameworkRoles: ['*', 'public'], defaultPodRoles: ['*'] });
    const offers = [
      offer({ id: 'o1', host: 'h1', attributes: { rack: 'r1' } }),
      offer({ id: 'o2', host: 'h2', roles: { public: { cpus: 2, mem: 1024, ports: '[31000-31010]' }, '*': { cpus: 0.5, mem: 256 } } }),
    ];
    const sel = pending({ name: 'sel', nodeSelector: { 'k8s.mesosphere.io/attribute-rack': 'r1' } }, S2);
    const named = pending({ name: 'named', nodeName: 'h2' }, S2);
    const pub = pending({ name: 'pub', cpu: '1', annotations: { 'k8s.mesosphere.io/roles': 'public' } }, S2);
    const r = placePods([sel, named, pub], offers, { scheduler: S2, executorId: EXEC });
    const host = (k: string): string | undefined => r.placements.find((p) => p.pod.key === `default/${k}`)?.offer.hostname;
    expect(host('sel')).toBe('h1');
    expect(host('named')).toBe('h2');
    expect(host('pub')).toBe('h2');
    expect(r.placements.find((p) => p.pod.key === 'default/pub')!.allocation.cpus).toEqual([{ role: 'public', amount: 1 }]);
  });

  describe('properties', () => {
    const podArb = fc.record({
      cpu: fc.integer({ min: 10, max: 2000 }),
      mem: fc.integer({ min: 32, max: 1024 }),
      ports: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 31000, max: 31020 })), { maxLength: 3 }),
      owner: fc.constantFrom('a', 'b', undefined),
    });
    const offerArb = fc.record({
      host: fc.constantFrom('h1', 'h2', 'h3', 'h4'),
      cpus: fc.integer({ min: 0, max: 40 }).map((x) => x / 10),
      mem: fc.integer({ min: 0, max: 4096 }),
      ports: fc.constantFrom('[31000-31005]', '[31000-31020]', '[31010-31012]'),
      running: fc.boolean(),
    });

    it('never exceeds an offer, never reuses a port, charges the executor once per host', () => {
      fc.assert(
        fc.property(fc.array(podArb, { maxLength: 25 }), fc.array(offerArb, { minLength: 1, maxLength: 6 }), (podSpecs, offerSpecs) => {
          const pods = podSpecs.map((p, i) =>
            pending({ name: `p${i}`, cpu: `${p.cpu}m`, mem: `${p.mem}Mi`, hostPorts: p.ports, ...(p.owner ? { owner: p.owner } : {}) }, S),
          );
          // Ports are checked per offer (these offers of one host may overlap, which a master never sends).
          const runningHosts = new Set<string>(offerSpecs.filter((o) => o.running).map((o) => o.host));
          const offers = offerSpecs.map((o, i) =>
            offer({ id: `o${i}`, host: o.host, cpus: o.cpus, mem: o.mem, ports: o.ports, executorIds: runningHosts.has(o.host) ? [EXEC] : [] }),
          );
          const r = placePods(pods, offers, { scheduler: S, executorId: EXEC });
          expect(r.placements.length + r.unplaced.length).toBe(pods.length);
          for (const o of offers) {
            const t = takenFrom(o, r.placements);
            expect(t.cpus).toBeLessThanOrEqual((o.cpus['*'] ?? 0) + 1e-6);
            expect(t.mem).toBeLessThanOrEqual((o.mem['*'] ?? 0) + 1e-6);
            expect(new Set(t.ports).size).toBe(t.ports.length);
            for (const p of t.ports) expect(portInRanges(o.ports['*'] ?? [], p)).toBe(true);
          }
          const charged = new Map<string, number>();
          for (const p of r.placements) if (p.allocation.executor) charged.set(p.offer.hostname, (charged.get(p.offer.hostname) ?? 0) + 1);
          for (const [host, n] of charged) {
            expect(n).toBe(1);
            expect(runningHosts.has(host)).toBe(false);
          }
        }),
        { numRuns: 200 },
      );
    });

    it('spreads siblings: with room everywhere, hosts differ by at most one replica', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 6 }), (replicas, hosts) => {
          const pods = Array.from({ length: replicas }, (_, i) => pending({ name: `r${i}`, owner: 'rs', cpu: '10m', mem: '32Mi' }, S));
          const offers = Array.from({ length: hosts }, (_, i) => offer({ id: `o${i}`, host: `h${i}`, cpus: 100, mem: 100_000 }));
          const r = placePods(pods, offers, { scheduler: S, executorId: EXEC });
          expect(r.unplaced).toHaveLength(0);
          const counts = offers.map((o) => r.placements.filter((p) => p.offer.id === o.id).length);
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        }),
      );
    });
  });
});
