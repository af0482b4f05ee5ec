import fc from 'fast-check';
import { LabelIndex, matchesSelector } from '../../../src/core/manifest/selectors.js';

describe('label selectors', () => {
  it('match when every selector entry is present with the same value; an empty selector matches nothing', () => {
    expect(matchesSelector({ app: 'web' }, { app: 'web', tier: 'front' })).toBe(true);
    expect(matchesSelector({ app: 'web', tier: 'back' }, { app: 'web', tier: 'front' })).toBe(false);
    expect(matchesSelector({}, { app: 'web' })).toBe(false);
    expect(matchesSelector({ version: '1' }, { version: 1 })).toBe(false);
  });

  it('LabelIndex.select agrees with filtering every item, by namespace', () => {
    const labelsArb = fc.dictionary(fc.constantFrom('app', 'tier', 'team'), fc.constantFrom('a', 'b', 'c'));
    fc.assert(
      fc.property(
        fc.array(fc.record({ ns: fc.constantFrom('x', 'y'), labels: labelsArb }), { maxLength: 30 }),
        fc.array(fc.record({ ns: fc.constantFrom('x', 'y'), selector: labelsArb }), { maxLength: 10 }),
        (items, selectors) => {
          const keys = new Set(selectors.flatMap((s) => Object.keys(s.selector)));
          const index = new LabelIndex<(typeof items)[number]>((i) => i.labels, keys);
          for (const i of items) index.add(i.ns, i);
          for (const s of selectors) {
            const expected = items.filter((i) => i.ns === s.ns && matchesSelector(s.selector, i.labels));
            expect(index.select(s.ns, s.selector)).toEqual(expected);
          }
        },
      ),
    );
  });
});
