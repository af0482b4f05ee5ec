import fc from 'fast-check';
import {
  allocateHostPorts,
  hostPortDemand,
  hostPortReasons,
  portOffer,
  type HostPortAllocation,
  type HostPortDemand,
  type PortGrant,
  type PortOffer,
} from '../../../src/core/k8sm/host-ports.js';
import type { PerRole } from '../../../src/core/k8sm/agent.js';
import type { PortMapping } from '../../../src/core/k8sm/settings.js';
import { normalizePortRanges, parsePortRanges, portInRanges, type PortRange } from '../../../src/core/ports/port-range.js';

interface Spec {
  containerIndex: number;
  portIndex: number;
  hostPort: number;
  protocol: string;
}

function spec(containerIndex: number, portIndex: number, hostPort: number, protocol = 'TCP'): Spec {
  return { containerIndex, portIndex, hostPort, protocol };
}

const star = (text: string): PortOffer => portOffer({ anyRole: parsePortRanges(text) }, ['*']);

function ok(r: HostPortAllocation): { fixed: ReadonlyArray<PortGrant>; wildcard: ReadonlyArray<PortGrant> } {
  if (!r.ok) throw new Error(`expected an allocation, got ${JSON.stringify(r.reasons)}`);
  return r;
}

describe('host-port allocation: fixed mapping', () => {
  it('takes non-zero hostPorts from the offer and ignores hostPort 0', () => {
    const d = hostPortDemand([spec(0, 0, 31080), spec(0, 1, 0), spec(1, 0, 31443)]);
    const r = ok(allocateHostPorts(d, 'fixed', star('[31000-32000]')));
    expect(r.fixed.map((g) => g.port)).toEqual([31080, 31443]);
    expect(r.wildcard).toEqual([]);
  });

  it('fails a port outside every range, gaps included', () => {
    const d = hostPortDemand([spec(0, 0, 31100), spec(0, 1, 8080)]);
    const r = allocateHostPorts(d, 'fixed', star('[31000-31099, 31101-32000]'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reasons).toEqual([
      { id: 'host-port-not-offered', port: 31100, roles: ['*'], offered: parsePortRanges('[31000-31099, 31101-32000]'), otherRoles: [] },
      { id: 'host-port-not-offered', port: 8080, roles: ['*'], offered: parsePortRanges('[31000-31099, 31101-32000]'), otherRoles: [] },
    ]);
  });

  it('keys duplicates by host port only, like k8sm: TCP 31053 and UDP 31053 collide', () => {
    const d = hostPortDemand([spec(0, 0, 31053, 'TCP'), spec(0, 1, 31053, 'UDP')]);
    expect(d.duplicates).toEqual([{ port: 31053, first: spec(0, 0, 31053, 'TCP'), second: spec(0, 1, 31053, 'UDP') }]);
    const r = allocateHostPorts(d, 'fixed', star('[31000-32000]'));
    expect(!r.ok && r.reasons).toEqual([{ id: 'host-port-duplicate', port: 31053, declarations: 2 }]);
  });

  it('gives a port the first role (in pod role order) whose ranges hold it; the empty role is *', () => {
    const offer = portOffer({ byRole: { '': parsePortRanges('[31011-32000]'), public: parsePortRanges('[31000-31010]') } }, ['public', '*']);
    const r = ok(allocateHostPorts(hostPortDemand([spec(0, 0, 31005), spec(0, 1, 31500)]), 'fixed', offer));
    expect(r.fixed.map((a) => [a.port, a.role])).toEqual([
      [31005, 'public'],
      [31500, '*'],
    ]);
  });

  it('says when a port is held by a running task, or offered only to a role the pod may not use', () => {
    const offer = portOffer({ byRole: { '*': parsePortRanges('[31000-31009, 31011-32000]'), public: parsePortRanges('[80-80]') } }, ['*'], {
      byRole: { '*': parsePortRanges('[31010-31010]') },
    });
    const r = allocateHostPorts(hostPortDemand([spec(0, 0, 31010), spec(0, 1, 80)]), 'fixed', offer);
    expect(!r.ok && r.reasons).toEqual([
      { id: 'host-port-in-use', port: 31010, role: '*' },
      { id: 'host-port-not-offered', port: 80, roles: ['*'], offered: offer.ranges, otherRoles: ['public'] },
    ]);
  });
});

describe('host-port allocation: wildcard mapping', () => {
  it('gives every hostPort-0 port the lowest free port, after the fixed ones', () => {
    const d = hostPortDemand([spec(0, 0, 0), spec(0, 1, 31000), spec(1, 0, 0)]);
    const r = ok(allocateHostPorts(d, 'wildcard', star('[31000-31002]')));
    expect(r.fixed.map((g, i) => [d.fixedSpecs[i]!.containerIndex, d.fixedSpecs[i]!.portIndex, g.port])).toEqual([[0, 1, 31000]]);
    expect(r.wildcard.map((g, i) => [d.wildcardSpecs[i]!.containerIndex, d.wildcardSpecs[i]!.portIndex, g.port])).toEqual([
      [0, 0, 31001],
      [1, 0, 31002],
    ]);
  });

  it('walks ranges in role order, not numeric order', () => {
    const offer = portOffer({ byRole: { '*': parsePortRanges('[31000-31001]'), public: parsePortRanges('[40000-40000]') } }, ['public', '*']);
    const r = ok(allocateHostPorts(hostPortDemand([spec(0, 0, 0), spec(0, 1, 0)]), 'wildcard', offer));
    expect(r.wildcard.map((a) => [a.port, a.role])).toEqual([
      [40000, 'public'],
      [31000, '*'],
    ]);
  });

  it('reports how many wildcard ports are short, with the numbers', () => {
    const d = hostPortDemand([spec(0, 0, 31000), spec(0, 1, 0), spec(0, 2, 0)]);
    const r = allocateHostPorts(d, 'wildcard', star('[31000-31001]'));
    expect(!r.ok && r.reasons).toEqual([
      { id: 'wildcard-ports-short', wildcard: 2, free: 1, fixed: 1, offered: 2, roles: ['*'], byRole: [{ role: '*', ports: 2 }] },
    ]);
    // The ports left without one are those after the first `free` wildcard ports.
    expect(d.wildcardSpecs.slice(1)).toEqual([spec(0, 2, 0)]);
  });
});

// Properties, over a small port universe (ports 1-45, dense ranges, so that fixed ports often land
// in them): three roles, of which the pod uses two.
fc.configureGlobal({ numRuns: 500 });
const rangesArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 8 })), { maxLength: 8 })
  .map((xs) => normalizePortRanges(xs.map(([b, l]) => ({ begin: b, end: b + l }))));
/** Disjoint per-role ranges, as Mesos keeps them: `public` and `*` (the pod's, `public` first) and `other` (not the pod's). */
const agentPortsArb = fc.tuple(rangesArb, fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })).map(([ranges, a, b]) => {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  return {
    byRole: {
      public: ranges.filter((r) => r.begin >= hi),
      '*': ranges.filter((r) => r.begin < lo),
      other: ranges.filter((r) => r.begin >= lo && r.begin < hi),
    },
  };
});
const POD_ROLES = ['public', '*'];
const specsArb = fc
  .array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 45 })), { maxLength: 10 })
  .map((ports) => ports.map((p, i) => spec(i >> 1, i & 1, p)));
const mappingArb = fc.constantFrom<PortMapping>('fixed', 'wildcard');

function walk(offer: PortOffer): number[] {
  const out: number[] = [];
  for (const rp of offer.byRole) for (const r of rp.ranges) for (let p = r.begin; p <= r.end; p++) out.push(p);
  return out;
}

function grants(r: HostPortAllocation): PortGrant[] {
  return r.ok ? [...r.fixed, ...r.wildcard] : [];
}

describe('host-port allocation properties', () => {
  it('never hands out a port outside the offered ranges of the pod roles, nor one port twice; fixed ports as themselves', () => {
    fc.assert(
      fc.property(specsArb, agentPortsArb, mappingArb, (specs, ports, mapping) => {
        const d = hostPortDemand(specs);
        const r = allocateHostPorts(d, mapping, portOffer(ports, POD_ROLES));
        const given = grants(r);
        expect(new Set(given.map((g) => g.port)).size).toBe(given.length);
        for (const g of given) {
          expect(POD_ROLES).toContain(g.role);
          expect(portInRanges(ports.byRole[g.role as 'public' | '*'], g.port)).toBe(true);
        }
        if (r.ok) expect(r.fixed.map((g) => g.port)).toEqual(d.fixed);
      }),
    );
  });

  it('allocates exactly when there is no reason, and then every port the pod needs', () => {
    fc.assert(
      fc.property(specsArb, agentPortsArb, mappingArb, (specs, ports, mapping) => {
        const d = hostPortDemand(specs);
        const offer = portOffer(ports, POD_ROLES);
        const reasons = hostPortReasons(d, mapping, offer);
        const r = allocateHostPorts(d, mapping, offer);
        expect(r.ok).toBe(reasons.length === 0);
        if (r.ok) {
          expect(r.fixed).toHaveLength(d.fixed.length);
          expect(r.wildcard).toHaveLength(mapping === 'wildcard' ? d.wildcard : 0);
        } else {
          expect(r.reasons).toEqual(reasons);
        }
      }),
    );
  });

  it('reports each fixed port outside the offered ranges and each duplicate, whatever else fails', () => {
    fc.assert(
      fc.property(specsArb, agentPortsArb, mappingArb, (specs, ports, mapping) => {
        const d = hostPortDemand(specs);
        const offer = portOffer(ports, POD_ROLES);
        const reasons = hostPortReasons(d, mapping, offer);
        const notOffered = reasons.flatMap((x) => (x.id === 'host-port-not-offered' ? [x.port] : []));
        expect(notOffered).toEqual(d.fixed.filter((p) => !portInRanges(offer.ranges, p)));
        for (const x of reasons) if (x.id === 'host-port-not-offered') expect(x.otherRoles.length > 0).toBe(portInRanges(ports.byRole.other, x.port));
        const dups = reasons.flatMap((x) => (x.id === 'host-port-duplicate' ? [x] : []));
        expect(dups.reduce((n, x) => n + x.declarations - 1, 0)).toBe(d.duplicates.length);
      }),
    );
  });

  it('fixed mapping never hands out a port for hostPort 0, nor reports wildcard ports short', () => {
    fc.assert(
      fc.property(specsArb, agentPortsArb, (specs, ports) => {
        const r = allocateHostPorts(hostPortDemand(specs), 'fixed', portOffer(ports, POD_ROLES));
        if (r.ok) expect(r.wildcard).toEqual([]);
        else expect(r.reasons.every((x) => x.id !== 'wildcard-ports-short')).toBe(true);
      }),
    );
  });

  it('wildcard hands out the lowest free ports in walk order (role order), or says how many are short', () => {
    fc.assert(
      fc.property(specsArb, agentPortsArb, (specs, ports) => {
        const d = hostPortDemand(specs);
        const offer = portOffer(ports, POD_ROLES);
        const offeredFixed = new Set(d.fixed.filter((p) => portInRanges(offer.ranges, p)));
        const free = walk(offer).filter((p) => !offeredFixed.has(p));
        const r = allocateHostPorts(d, 'wildcard', offer);
        if (r.ok) expect(r.wildcard.map((g) => g.port)).toEqual(free.slice(0, d.wildcard));
        const short = r.ok ? undefined : r.reasons.find((x) => x.id === 'wildcard-ports-short');
        expect(short !== undefined).toBe(d.wildcard > free.length);
        if (short?.id === 'wildcard-ports-short') expect(short).toMatchObject({ wildcard: d.wildcard, free: free.length, fixed: offeredFixed.size });
      }),
    );
  });

  it('is monotone: more free ports never turn an allocation into a failure', () => {
    fc.assert(
      fc.property(specsArb, agentPortsArb, rangesArb, fc.constantFrom('public', '*'), mappingArb, (specs, ports, extra, role, mapping) => {
        const d = hostPortDemand(specs);
        const more: PerRole<PortRange[]> = { byRole: { ...ports.byRole, [role]: normalizePortRanges([...ports.byRole[role], ...extra]) } };
        if (allocateHostPorts(d, mapping, portOffer(ports, POD_ROLES)).ok) expect(allocateHostPorts(d, mapping, portOffer(more, POD_ROLES)).ok).toBe(true);
      }),
    );
  });

  it('a demand counts distinct fixed ports in declaration order, wildcard ports, and repeats', () => {
    fc.assert(
      fc.property(specsArb, (specs) => {
        const d = hostPortDemand(specs);
        const counts: HostPortDemand = {
          fixed: [...new Set(specs.filter((s) => s.hostPort !== 0).map((s) => s.hostPort))],
          wildcard: specs.filter((s) => s.hostPort === 0).length,
          duplicated: d.duplicates.map((x) => x.port),
        };
        expect({ fixed: d.fixed, wildcard: d.wildcard, duplicated: d.duplicated }).toEqual(counts);
        expect(d.fixedSpecs.map((s) => s.hostPort)).toEqual(d.fixed);
      }),
    );
  });
});
