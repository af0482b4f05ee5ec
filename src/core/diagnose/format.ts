import { formatDuration as durationText } from '../../lib/duration.js';
import { formatPortRanges, type PortRange } from '../ports/port-range.js';
import { formatCpu, formatMem } from '../k8sm/quantity.js';

/** How diagnose words numbers in messages. */

/**
 * `45s`, `4m20s`, `2h30m`, `1w2d`: the tool's formatter (src/lib/duration.ts), with `0s` under a
 * second, as kubectl prints ages.
 */
export function formatDuration(ms: number): string {
  return Math.abs(ms) < 1000 ? '0s' : durationText(ms);
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
