import fc from 'fast-check';
import { allocateHostPorts, type HostPortSpec, type RolePorts } from '../../../src/core/ports/allocate-host-ports.js';
import { hostPortDemand, hostPortFit, hostPortsFit } from '../../../src/core/ports/host-port-demand.js';
import { countPorts, normalizePortRanges, parsePortRanges, portInRanges } from '../../../src/core/ports/port-range.js';

function spec(containerIndex: number, portIndex: number, hostPort: number, protocol = 'TCP'): HostPortSpec {
  return { containerIndex, portIndex, hostPort, protocol };
}
const star = (text: string): RolePorts => ({ role: '*', ranges: parsePortRanges(text) });

describe('allocateHostPorts: fixed', () => {
  it('takes non-zero hostPorts from the offer and ignores hostPort 0', () => {
    const r = allocateHostPorts([spec(0, 0, 31080), spec(0, 1, 0), spec(1, 0, 31443)], [star('[31000-32000]')], 'fixed');
    expect(r.ok).toBe(true);
    expect(r.allocations.map((a) => a.port).sort()).toEqual([31080, 31443]);
  });

  it('fails a port outside every range, gaps included', () => {
    const r = allocateHostPorts([spec(0, 0, 31100), spec(0, 1, 8080)], [star('[31000-31099, 31101-32000]')], 'fixed');
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([
      { type: 'not-offered', port: 31100, spec: spec(0, 0, 31100) },
      { type: 'not-offered', port: 8080, spec: spec(0, 1, 8080) },
    ]);
  });

  it('keys duplicates by host port only, like k8sm: TCP 31053 and UDP 31053 collide', () => {
    const r = allocateHostPorts([spec(0, 0, 31053, 'TCP'), spec(0, 1, 31053, 'UDP')], [star('[31000-32000]')], 'fixed');
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([{ type: 'duplicate', port: 31053, first: spec(0, 0, 31053, 'TCP'), second: spec(0, 1, 31053, 'UDP') }]);
  });

  it('gives a port the first role (in pod role order) whose ranges hold it', () => {
    const offered: RolePorts[] = [
      { role: 'public', ranges: parsePortRanges('[31000-31010]') },
      { role: '', ranges: parsePortRanges('[31011-32000]') },
    ];
    const r = allocateHostPorts([spec(0, 0, 31005), spec(0, 1, 31500)], offered, 'fixed');
    expect(r.allocations.map((a) => [a.port, a.role])).toEqual([
      [31005, 'public'],
      [31500, '*'],
    ]);
  });
});

describe('allocateHostPorts: wildcard', () => {
  it('gives every hostPort-0 spec the lowest free port, after the fixed ones', () => {
    const r = allocateHostPorts([spec(0, 0, 0), spec(0, 1, 31000), spec(1, 0, 0)], [star('[31000-31002]')], 'wildcard');
    expect(r.ok).toBe(true);
    expect(r.allocations.map((a) => [a.spec.containerIndex, a.spec.portIndex, a.port])).toEqual([
      [0, 1, 31000],
      [0, 0, 31001],
      [1, 0, 31002],
    ]);
  });

  it('walks ranges in role order, not numeric order', () => {
    const offered: RolePorts[] = [
      { role: 'public', ranges: parsePortRanges('[40000-40000]') },
      { role: '*', ranges: parsePortRanges('[31000-31001]') },
    ];
    const r = allocateHostPorts([spec(0, 0, 0), spec(0, 1, 0)], offered, 'wildcard');
    expect(r.allocations.map((a) => [a.port, a.role])).toEqual([
      [40000, 'public'],
      [31000, '*'],
    ]);
  });

  it('reports the wildcard ports left without a free port', () => {
    const r = allocateHostPorts([spec(0, 0, 31000), spec(0, 1, 0), spec(0, 2, 0)], [star('[31000-31001]')], 'wildcard');
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([{ type: 'exhausted', specs: [spec(0, 2, 0)], needed: 2, available: 1 }]);
  });
});

// Properties, over a small port universe.
const rangesArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 6 })), { maxLength: 5 })
  .map((xs) => normalizePortRanges(xs.map(([b, l]) => ({ begin: b, end: b + l }))));
const offeredArb = fc
  .tuple(rangesArb, fc.integer({ min: 0, max: 70 }))
  .map(([ranges, split]): RolePorts[] => [
    // Two roles with disjoint ranges, the second listed first to exercise role order.
    { role: 'public', ranges: ranges.filter((r) => r.begin >= split) },
    { role: '*', ranges: ranges.filter((r) => r.begin < split) },
  ]);
const specsArb = fc
  .array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 70 })), { maxLength: 10 })
  .map((ports) => ports.map((p, i) => spec(i >> 1, i & 1, p)));
const strategyArb = fc.constantFrom<'fixed' | 'wildcard'>('fixed', 'wildcard');

function walk(offered: RolePorts[]): number[] {
  const out: number[] = [];
  for (const rp of offered) for (const r of rp.ranges) for (let p = r.begin; p <= r.end; p++) out.push(p);
  return out;
}

describe('allocateHostPorts properties', () => {
  it('allocates only offered ports, each at most once, fixed ones at their hostPort', () => {
    fc.assert(
      fc.property(specsArb, offeredArb, strategyArb, (specs, offered, strategy) => {
        const r = allocateHostPorts(specs, offered, strategy);
        const all = normalizePortRanges(offered.flatMap((o) => o.ranges));
        const ports = r.allocations.map((a) => a.port);
        expect(new Set(ports).size).toBe(ports.length);
        for (const a of r.allocations) {
          expect(portInRanges(all, a.port)).toBe(true);
          if (a.spec.hostPort !== 0) expect(a.port).toBe(a.spec.hostPort);
        }
        expect(r.ok).toBe(r.failures.length === 0);
      }),
    );
  });

  it('fixed mapping never allocates a port for hostPort 0', () => {
    fc.assert(
      fc.property(specsArb, offeredArb, (specs, offered) => {
        const r = allocateHostPorts(specs, offered, 'fixed');
        expect(r.allocations.every((a) => a.spec.hostPort !== 0)).toBe(true);
        expect(r.failures.every((f) => f.type !== 'exhausted')).toBe(true);
      }),
    );
  });

  it('wildcard hands out the lowest free ports in walk order, in spec order', () => {
    fc.assert(
      fc.property(specsArb, offeredArb, (specs, offered) => {
        const r = allocateHostPorts(specs, offered, 'wildcard');
        const fixedTaken = new Set(r.allocations.filter((a) => a.spec.hostPort !== 0).map((a) => a.port));
        const free = walk(offered).filter((p) => !fixedTaken.has(p));
        const wild = r.allocations.filter((a) => a.spec.hostPort === 0);
        const wildSpecs = specs.filter((s) => s.hostPort === 0);
        expect(wild.map((a) => a.port)).toEqual(free.slice(0, wild.length));
        expect(wild.map((a) => a.spec)).toEqual(wildSpecs.slice(0, wild.length));
        expect(wild.length).toBe(Math.min(wildSpecs.length, free.length));
      }),
    );
  });

  it('hostPortFit (the fast check the rules use) agrees with the allocator', () => {
    fc.assert(
      fc.property(specsArb, offeredArb, strategyArb, (specs, offered, strategy) => {
        const r = allocateHostPorts(specs, offered, strategy);
        const demand = hostPortDemand(specs);
        const ranges = normalizePortRanges(offered.flatMap((o) => o.ranges));
        const fit = hostPortFit(demand, strategy, ranges, countPorts(ranges));
        const nonDuplicateFailures = r.failures.filter((f) => f.type !== 'duplicate');
        expect(fit.fits).toBe(nonDuplicateFailures.length === 0);
        const wild = strategy === 'wildcard' ? demand.wildcard.length : 0;
        expect(hostPortsFit([...demand.fixed.keys()], wild, ranges, countPorts(ranges))).toBe(fit.fits);
        expect([...fit.notOffered].sort()).toEqual(
          r.failures.flatMap((f) => (f.type === 'not-offered' ? [f.port] : [])).sort(),
        );
        expect(demand.duplicates.length).toBe(r.failures.filter((f) => f.type === 'duplicate').length);
      }),
    );
  });
});
