import fc from 'fast-check';
import { parseMesosRangeString } from '../../../src/core/mesos/ranges.js';
import { countPorts, formatPortRanges, normalizePortRanges, subtractPortRanges, type PortRange } from '../../../src/core/ports/port-range.js';

// The Mesos parser with the set operations snapshots use (from ports/port-range.ts).
const normalizeRanges = normalizePortRanges;
const unionRanges = (a: PortRange[], b: PortRange[]) => normalizePortRanges([...a, ...b]);
const subtractRanges = (a: PortRange[], b: PortRange[]) => subtractPortRanges(normalizePortRanges(a), normalizePortRanges(b));
const formatMesosRanges = (a: PortRange[]) => formatPortRanges(normalizePortRanges(a));

describe('parseMesosRangeString', () => {
  it('reads the master/agent model form with gaps', () => {
    expect(parseMesosRangeString('[31000-31099, 31101-32000]')).toEqual([
      { begin: 31000, end: 31099 },
      { begin: 31101, end: 32000 },
    ]);
  });
  it('reads single ports, an empty list and odd spacing, and normalises', () => {
    expect(parseMesosRangeString('[80-80]')).toEqual([{ begin: 80, end: 80 }]);
    expect(parseMesosRangeString('[]')).toEqual([]);
    expect(parseMesosRangeString(' [ 5 - 6 ,1-2,3-4 ] ')).toEqual([{ begin: 1, end: 6 }]);
  });
  it('rejects what is not a range list, saying why', () => {
    expect(() => parseMesosRangeString('31000-32000')).toThrow('is not a Mesos range list like "[31000-32000]"');
    expect(() => parseMesosRangeString('[a-b]')).toThrow('bad entry "a-b"');
    expect(() => parseMesosRangeString('[20-10]')).toThrow('bad entry "20-10"');
    expect(() => parseMesosRangeString('[1-2,]')).toThrow('bad entry ""');
  });
});

describe('range arithmetic', () => {
  it('subtracts used ports from total', () => {
    const total = parseMesosRangeString('[31000-31099, 31101-32000]');
    expect(
      subtractRanges(total, [
        { begin: 31000, end: 31001 },
        { begin: 31500, end: 31500 },
      ]),
    ).toEqual([
      { begin: 31002, end: 31099 },
      { begin: 31101, end: 31499 },
      { begin: 31501, end: 32000 },
    ]);
    expect(subtractRanges(total, total)).toEqual([]);
    expect(countPorts(total)).toBe(100 + 900);
    expect(formatMesosRanges(total)).toBe('[31000-31099, 31101-32000]');
  });

  const range = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 20 })).map(([b, len]) => ({ begin: b, end: b + len }));
  const ranges = fc.array(range, { maxLength: 8 });
  const members = (rs: { begin: number; end: number }[]): Set<number> => {
    const s = new Set<number>();
    for (const r of rs) for (let p = r.begin; p <= r.end; p++) s.add(p);
    return s;
  };

  it('set semantics hold (property)', () => {
    fc.assert(
      fc.property(ranges, ranges, (a, b) => {
        const A = members(a);
        const B = members(b);
        expect(members(unionRanges(a, b))).toEqual(new Set([...A, ...B]));
        expect(members(subtractRanges(a, b))).toEqual(new Set([...A].filter((p) => !B.has(p))));
        const n = normalizeRanges(a);
        for (let i = 1; i < n.length; i++) expect(n[i]!.begin).toBeGreaterThan(n[i - 1]!.end + 1);
        expect(countPorts(normalizePortRanges(a))).toBe(A.size);
        expect(parseMesosRangeString(formatMesosRanges(a))).toEqual(n);
      }),
    );
  });
});
