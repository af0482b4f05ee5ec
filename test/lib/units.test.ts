import { parseDurationMs } from '../../src/lib/duration.js';
import fc from 'fast-check';
import { byteSizeFlagValue, formatByteSize, parseByteSize } from '../../src/lib/byte-size.js';
import { UsageError } from '../../src/lib/errors.js';
import { oneLine } from '../../src/lib/outcomes.js';
import { colorEnabled } from '../../src/lib/io.js';

test.each([
  ['10s', 10000],
  ['500ms', 500],
  ['1m30s', 90000],
  ['2h', 7200000],
  ['3', 3000],
])('duration %s = %d ms', (t, ms) => expect(parseDurationMs(t)).toBe(ms));
test.each(['', 'soon', '10 s', '1x'])('duration %j is rejected', (t) => expect(() => parseDurationMs(t)).toThrow(/invalid duration/));

test.each([
  ['10Mi', 10485760],
  ['1Gi', 1073741824],
  ['500K', 500000],
  ['2MB', 2000000],
  ['123', 123],
])('size %s = %d bytes', (t, n) => expect(parseByteSize(t)).toBe(n));
test('sizes print in binary units', () => {
  expect(formatByteSize(20 * 1024 * 1024)).toBe('20Mi');
  expect(formatByteSize(1536)).toBe('1.5Ki');
  expect(formatByteSize(12)).toBe('12 bytes');
});
test('a suggested --max-file-size value reads back as a size at least as large (never "310 bytes", which the flag refuses)', () => {
  expect(byteSizeFlagValue(310)).toBe('310');
  expect(byteSizeFlagValue(6006)).toBe('5.9Ki');
  expect(byteSizeFlagValue(6042)).toBe('6Ki'); // 5.9004Ki, rounded up
  expect(byteSizeFlagValue(6 * 1024 ** 2)).toBe('6Mi');
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (n) => {
      expect(parseByteSize(byteSizeFlagValue(n))).toBeGreaterThanOrEqual(n);
    }),
  );
});

test('errors print as one line with their hint', () => {
  expect(oneLine(new UsageError('bad --ports', 'use [a-b]'))).toBe('bad --ports; use [a-b]');
  expect(oneLine(new Error('Nonexistent flag: --x\nSee more help with --help'))).toBe('Nonexistent flag: --x');
});

test('colours: only on a TTY, never with NO_COLOR or --no-color, FORCE_COLOR forces', () => {
  expect(colorEnabled(true, false, {})).toBe(true);
  expect(colorEnabled(false, false, {})).toBe(false);
  expect(colorEnabled(true, true, {})).toBe(false);
  expect(colorEnabled(true, false, { NO_COLOR: '1' })).toBe(false);
  expect(colorEnabled(false, false, { FORCE_COLOR: '1' })).toBe(true);
  expect(colorEnabled(true, false, { TERM: 'dumb' })).toBe(false);
});
