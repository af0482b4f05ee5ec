/**
 * Parses `10s`, `500ms`, `1m`, `1m30s`, `2h`, or a bare number of seconds into milliseconds; at most
 * `maxMs` (by default what a Node timer holds; MAX_GO_DURATION_MS for a duration only sent on, never waited).
 */
export function parseDurationMs(text: string, maxMs: number = MAX_TIMER_MS): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return checkedMs(Math.round(Number(s) * 1000), text, maxMs);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length) throw new Error(`invalid duration "${text}": use e.g. 10s, 500ms, 1m30s`);
  return checkedMs(Math.round(total), text, maxMs);
}

/** The longest delay a Node timer holds (2^31-1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The longest Go duration (2^63-1 ns, about 292 years): what km's duration flags take. */
export const MAX_GO_DURATION_MS = Math.floor((2 ** 63 - 1) / 1e6);

function checkedMs(ms: number, text: string, maxMs: number): number {
  if (ms > maxMs)
    throw new Error(
      `duration "${text}" is too long: at most ${maxMs === MAX_TIMER_MS ? '596h (24 days)' : `${Math.floor(maxMs / 3_600_000)}h (${formatDuration(maxMs)})`}`,
    );
  return ms;
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];
const YEAR_MS = 365.25 * 86_400_000;

/**
 * A duration for people: `45s`, `4m20s`, `2h30m`, `1w`, `3w2d` (the two largest units, cut, not
 * rounded), `500ms` under a second, and `about 146 years` from two years on (Mesos frameworks
 * such as k8sm register with a failover timeout of 2^62 ns: "never"). A negative one gets a `-`.
 */
export function formatDuration(ms: number): string {
  if (Number.isNaN(ms)) return '<unknown>';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === Infinity) return 'unlimited';
  if (ms >= 2 * YEAR_MS) return `about ${Math.round(ms / YEAR_MS)} years`;
  if (ms < 1000) return ms > 0 && Math.round(ms) > 0 ? `${Math.round(ms)}ms` : '0s';
  let rest = Math.floor(ms / 1000) * 1000;
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length) parts.push(n > 0 ? `${n}${unit}` : '');
    if (parts.length === 2) break;
  }
  return parts.join('');
}
