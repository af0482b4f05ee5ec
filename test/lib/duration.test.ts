import { expect, test } from '@jest/globals';
import { formatDuration, MAX_GO_DURATION_MS, parseDurationMs } from '../../src/lib/duration.js';

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

test("a duration only sent on (km's --failover-timeout) takes a Go duration's range: a year, km's 146 years", () => {
  expect(parseDurationMs('8760h', MAX_GO_DURATION_MS)).toBe(8760 * 3_600_000);
  expect(parseDurationMs('4611686018', MAX_GO_DURATION_MS)).toBe(4_611_686_018_000);
  expect(() => parseDurationMs('2562048h', MAX_GO_DURATION_MS)).toThrow('duration "2562048h" is too long: at most 2562047h (about 292 years)');
});

test('durations for people: the two largest units, ms under a second, years past two', () => {
  expect(formatDuration(0)).toBe('0s');
  expect(formatDuration(0.2)).toBe('0s');
  expect(formatDuration(500)).toBe('500ms');
  expect(formatDuration(45_000)).toBe('45s');
  expect(formatDuration(90_600)).toBe('1m30s');
  expect(formatDuration(2.5 * 3_600_000)).toBe('2h30m');
  expect(formatDuration(7200_000)).toBe('2h');
  expect(formatDuration(604_800_000)).toBe('1w');
  expect(formatDuration(604_800_000 + 3_600_000)).toBe('1w');
  expect(formatDuration(17 * 86_400_000)).toBe('2w3d');
  expect(formatDuration(-90_000)).toBe('-1m30s');
  // k8sm registers with 2^62 ns, which the master reports as 4611686018.42739 s.
  expect(formatDuration(4611686018.42739 * 1000)).toBe('about 146 years');
  expect(formatDuration(Infinity)).toBe('unlimited');
});
