import { formatPortRanges, type PortRange } from '../ports/port-range.js';
import { formatCpu, formatMem } from '../k8sm/quantity.js';

/** How diagnose words numbers in messages. */

/** `4m20s`, `45s`, `2h5m`, `6d23h`: the two largest units, as kubectl prints ages (`0s` under a second). */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const t = Math.abs(Math.round(ms));
  let s = Math.floor(t / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const two = (a: number, ua: string, b: number, ub: string): string => (b > 0 ? `${a}${ua}${b}${ub}` : `${a}${ua}`);
  if (d > 0) return sign + two(d, 'd', h, 'h');
  if (h > 0) return sign + two(h, 'h', m, 'm');
  if (m > 0) return sign + two(m, 'm', s, 's');
  return `${sign}${s}s`;
}

/** `0.5 CPU`: cores with their unit, as validate prints them. */
export const cpuAmount = (n: number): string => `${formatCpu(n)} CPU`;
/** `64 MB`: memory (Mesos MB) with its unit, as validate prints it. */
export const memAmount = (n: number): string => `${formatMem(n)} MB`;
export const ranges = (r: ReadonlyArray<PortRange>): string => formatPortRanges(r);

/** `a, b and 3 more` (at most `max` names). */
export function listNames(names: ReadonlyArray<string>, max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** `1 agent`, `3 agents`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** An ISO time, or undefined for a missing/invalid one, as epoch milliseconds. */
export function timeMs(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** Seconds since the epoch (Mesos) as an ISO time. */
export function isoOfSeconds(s: number): string {
  return new Date(Math.round(s * 1000)).toISOString();
}
