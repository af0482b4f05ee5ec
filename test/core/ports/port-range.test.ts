import fc from 'fast-check';
import {
  countPorts,
  formatPortRanges,
  intersectPortRanges,
  isNormalized,
  normalizePortRanges,
  parsePortRanges,
  portInRanges,
  PortRangeSyntaxError,
  subtractPortRanges,
  subtractPorts,
  type PortRange,
} from '../../../src/core/ports/port-range.js';

describe('parsePortRanges', () => {
  it.each([
    ['[31000-32000]', [{ begin: 31000, end: 32000 }]],
    ['31000-32000', [{ begin: 31000, end: 32000 }]],
    [
      '[31000-31099, 31101-32000]',
      [
        { begin: 31000, end: 31099 },
        { begin: 31101, end: 32000 },
      ],
    ],
    [
      '  [ 31000 - 31099 ,31101-32000 ]  ',
      [
        { begin: 31000, end: 31099 },
        { begin: 31101, end: 32000 },
      ],
    ],
    ['[8080-8080]', [{ begin: 8080, end: 8080 }]],
    ['8080', [{ begin: 8080, end: 8080 }]],
    ['[1-65535]', [{ begin: 1, end: 65535 }]],
    ['[]', []],
  ])('reads %s', (text, expected) => {
    expect(parsePortRanges(text)).toEqual(expected);
  });

  it('sorts and merges overlapping and adjacent ranges', () => {
    expect(parsePortRanges('[32001-32100, 31000-31500, 31400-32000]')).toEqual([{ begin: 31000, end: 32100 }]);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['ports', 'not a port'],
    ['[31000-32000', 'closing'],
    ['31000-32000]', 'opening'],
    ['[32000-31000]', 'begins after it ends'],
    ['[0-100]', 'outside 1-65535'],
    ['[31000-65536]', 'outside 1-65535'],
    ['[31000-32000,]', 'empty entry'],
    ['[31000--32000]', 'not a port'],
    ['[-5]', 'not a port'],
    ['[31000-32000][1-2]', 'brackets'],
    ['[3.5-10]', 'not a port'],
  ])('rejects %j saying what is wrong', (text, problem) => {
    let err: unknown;
    try {
      parsePortRanges(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PortRangeSyntaxError);
    expect((err as Error).message).toContain(problem);
    expect((err as Error).message).toContain('[31000-32000]'); // shows the valid form
  });
});

describe('range helpers', () => {
  const r = parsePortRanges('[31000-31099, 31101-32000]');
  it('formats the Mesos way', () => {
    expect(formatPortRanges(r)).toBe('[31000-31099, 31101-32000]');
    expect(formatPortRanges([{ begin: 8080, end: 8080 }])).toBe('[8080-8080]');
    expect(formatPortRanges([])).toBe('[]');
  });
  it('finds ports, and the gap is not offered', () => {
    expect(portInRanges(r, 31000)).toBe(true);
    expect(portInRanges(r, 31099)).toBe(true);
    expect(portInRanges(r, 31100)).toBe(false);
    expect(portInRanges(r, 32000)).toBe(true);
    expect(portInRanges(r, 32001)).toBe(false);
    expect(portInRanges([], 1)).toBe(false);
  });
  it('counts, subtracts and intersects', () => {
    expect(countPorts(r)).toBe(1000);
    expect(subtractPorts(r, [31000, 31500, 32000])).toEqual([
      { begin: 31001, end: 31099 },
      { begin: 31101, end: 31499 },
      { begin: 31501, end: 31999 },
    ]);
    expect(intersectPortRanges(r, [{ begin: 31050, end: 31150 }])).toEqual([
      { begin: 31050, end: 31099 },
      { begin: 31101, end: 31150 },
    ]);
  });
});

// Small port universe so that collisions, adjacency and gaps are frequent.
const rangeArb = fc
  .tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 40 }))
  .map(([b, len]): PortRange => ({ begin: b, end: Math.min(65535, b + len) }));
const rangesArb = fc.array(rangeArb, { maxLength: 12 });

function naiveSet(ranges: PortRange[]): Set<number> {
  const s = new Set<number>();
  for (const r of ranges) for (let p = r.begin; p <= r.end; p++) s.add(p);
  return s;
}

describe('port range properties', () => {
  it('parse(format(r)) returns normalized r, and format(parse(text)) is a fixed point', () => {
    fc.assert(
      fc.property(rangesArb, (ranges) => {
        const n = normalizePortRanges(ranges);
        const text = formatPortRanges(n);
        expect(parsePortRanges(text)).toEqual(n);
        expect(formatPortRanges(parsePortRanges(text))).toBe(text);
        // The unbracketed form and extra spaces read the same.
        if (n.length > 0) expect(parsePortRanges(` ${text.slice(1, -1).replace(/, /g, ' ,  ')} `)).toEqual(n);
      }),
    );
  });

  it('normalize is idempotent, keeps the same ports and yields normalized ranges', () => {
    fc.assert(
      fc.property(rangesArb, (ranges) => {
        const n = normalizePortRanges(ranges);
        expect(normalizePortRanges(n)).toEqual(n);
        expect(isNormalized(n)).toBe(true);
        expect(naiveSet(n)).toEqual(naiveSet(ranges));
        expect(countPorts(n)).toBe(naiveSet(ranges).size);
      }),
    );
  });

  it('portInRanges agrees with a naive check', () => {
    fc.assert(
      fc.property(rangesArb, fc.integer({ min: 1, max: 400 }), (ranges, port) => {
        expect(portInRanges(normalizePortRanges(ranges), port)).toBe(naiveSet(ranges).has(port));
      }),
    );
  });

  it('subtract and intersect agree with set difference and intersection', () => {
    fc.assert(
      fc.property(rangesArb, rangesArb, (a, b) => {
        const na = normalizePortRanges(a);
        const nb = normalizePortRanges(b);
        const sa = naiveSet(a);
        const sb = naiveSet(b);
        const diff = subtractPortRanges(na, nb);
        const inter = intersectPortRanges(na, nb);
        expect(isNormalized(diff)).toBe(true);
        expect(isNormalized(inter)).toBe(true);
        expect(naiveSet(diff)).toEqual(new Set([...sa].filter((p) => !sb.has(p))));
        expect(naiveSet(inter)).toEqual(new Set([...sa].filter((p) => sb.has(p))));
      }),
    );
  });

  it('never accepts garbage silently: it returns valid ranges or throws PortRangeSyntaxError', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('[', ']', '-', ',', ' ', '0', '1', '5', '9', 'x') }), (text) => {
        try {
          const out = parsePortRanges(text);
          for (const r of out) {
            expect(r.begin).toBeGreaterThanOrEqual(1);
            expect(r.end).toBeLessThanOrEqual(65535);
            expect(r.begin).toBeLessThanOrEqual(r.end);
          }
          expect(isNormalized(out)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(PortRangeSyntaxError);
        }
      }),
    );
  });
});
