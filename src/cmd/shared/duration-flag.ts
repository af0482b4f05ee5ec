import { parseDurationMs } from '../../lib/duration.js';
import { UsageError } from '../../lib/errors.js';

/**
 * A duration flag's value in milliseconds (`10s`, `500ms`, `1m30s`, `2h`, or bare seconds). Every
 * problem is a one-line usage error naming the flag: not a duration, too long (for a Node timer, or `maxMs`), or
 * not greater than 0 (0 allowed only with `allowZero`).
 */
export function durationFlagMs(flag: string, text: string, allowZero = false, maxMs?: number): number {
  let ms: number;
  try {
    ms = parseDurationMs(text, maxMs);
  } catch (e) {
    throw new UsageError(`--${flag}: ${(e as Error).message}`);
  }
  if (ms < 0 || (!allowZero && ms === 0)) throw new UsageError(`--${flag} must be greater than 0${allowZero ? ' (or 0)' : ''}`);
  return ms;
}
