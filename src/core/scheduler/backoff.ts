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
  /**
   * The pod was launched and the launch failed (the executor could not bind it: an apiserver
   * answering 429/5xx, say): a new offer does not cut this wait short, or a failing apiserver would
   * get a launch per offer cycle.
   */
  readonly launchFailed?: boolean;
}

/** The backoff after a (further) failure at `now`; `launchFailed` for a failed launch (see PodBackoff). */
export function afterFailure(prev: PodBackoff | undefined, now: number, launchFailed = false): PodBackoff {
  const delayMs = prev === undefined ? INITIAL_POD_BACKOFF_MS : Math.min(prev.delayMs * 2, MAX_POD_BACKOFF_MS);
  return { delayMs, failedAt: now, ...(launchFailed ? { launchFailed: true } : {}) };
}

/** Whether the pod may be tried now: no backoff, its wait is over, or (not after a failed launch) an offer arrived after it failed. */
export function mayTry(b: PodBackoff | undefined, now: number, lastOfferAt: number): boolean {
  if (b === undefined) return true;
  return now >= b.failedAt + b.delayMs || (!b.launchFailed && lastOfferAt > b.failedAt);
}
