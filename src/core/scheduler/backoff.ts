/**
 * Per-pod backoff (reference §1.3 `initial-pod-backoff` 1 s, `max-pod-backoff` 60 s; §1.10): a pod
 * that found no offer waits, the wait doubling (k8sm's multiplier is unverified, §5) up to 60 s; a
 * new offer arriving after the failure cuts the wait short.
 */

export const INITIAL_POD_BACKOFF_MS = 1_000;
export const MAX_POD_BACKOFF_MS = 60_000;

export interface PodBackoff {
  /** The current wait. */
  readonly delayMs: number;
  /** When the pod last failed to schedule (ms). */
  readonly failedAt: number;
}

/** The backoff after a (further) failure at `now`. */
export function afterFailure(prev: PodBackoff | undefined, now: number): PodBackoff {
  const delayMs = prev === undefined ? INITIAL_POD_BACKOFF_MS : Math.min(prev.delayMs * 2, MAX_POD_BACKOFF_MS);
  return { delayMs, failedAt: now };
}

/** Whether the pod may be tried now: no backoff, its wait is over, or an offer arrived after it failed. */
export function mayTry(b: PodBackoff | undefined, now: number, lastOfferAt: number): boolean {
  if (b === undefined) return true;
  return now >= b.failedAt + b.delayMs || lastOfferAt > b.failedAt;
}
