import { expect, test } from '@jest/globals';
import { parseDurationMs } from '../../src/lib/duration.js';

test('durations in the usual forms', () => {
  expect(parseDurationMs('1m30s')).toBe(90_000);
  expect(parseDurationMs('500ms')).toBe(500);
  expect(parseDurationMs('2')).toBe(2000);
  expect(() => parseDurationMs('5x')).toThrow('invalid duration "5x": use e.g. 10s, 500ms, 1m30s');
});

test('a duration no timer can hold (over 24 days) is refused with the limit, never turned into 1 ms', () => {
  expect(parseDurationMs('596h')).toBe(596 * 3_600_000);
  expect(() => parseDurationMs('600h')).toThrow('duration "600h" is too long: at most 596h (24 days)');
  expect(() => parseDurationMs('9999999999')).toThrow(/too long/);
});
