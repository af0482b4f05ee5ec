/**
 * A running pod's labels are kept for the Service rules past its file: as parsed when every value
 * is a short string (a copy of its own), else a copy holding the string values only.
 */
import { keptLabels } from '../../../src/core/rules/service-view.js';
import { SharedStrings } from '../../../src/core/own-string.js';

describe('keptLabels', () => {
  test('short string values: the parsed object itself', () => {
    const labels = { app: 'web', tier: 'frontend' };
    expect(keptLabels(labels, new SharedStrings())).toBe(labels);
    const none = {};
    expect(keptLabels(none, new SharedStrings())).toBe(none);
  });

  test('a value of 13 characters or more, or one that is not a string: a copy of the string values', () => {
    const long = { app: 'a-rather-long-name', tier: 'web' };
    const kept = keptLabels(long, new SharedStrings());
    expect(kept).not.toBe(long);
    expect(kept).toEqual({ app: 'a-rather-long-name', tier: 'web' });
    const mixed = { app: 'web', replicas: 3, on: true, tier: 'api' };
    const copy = keptLabels(mixed, new SharedStrings());
    expect(copy).toEqual({ app: 'web', tier: 'api' });
    expect(Object.keys(copy)).toEqual(['app', 'tier']);
  });

  test('equal long values are one string', () => {
    const strings = new SharedStrings();
    const a = keptLabels({ app: `a-rather-long-${'name'}` }, strings);
    const b = keptLabels({ app: `a-rather-long-${'name'}` }, strings);
    expect(a.app).toBe(b.app);
  });
});
