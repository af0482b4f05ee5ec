/**
 * Leader election on a `coordination.k8s.io/v1` Lease (issue 11, `scheduler run --leader-elect`),
 * with the semantics of client-go's leaderelection as kube-scheduler uses it. Pure: the loop with
 * the apiserver is src/scheduler/leader.ts.
 *
 * - Nobody trusts the times written in the Lease: a candidate notes on its own clock when it first
 *   saw the Lease's current resourceVersion, and takes the Lease only when it is absent, released
 *   (empty holder) or unchanged for `leaseDurationSeconds` since then.
 * - Every write carries the resourceVersion read (optimistic concurrency): a 409 means someone else
 *   wrote, and the candidate reads again.
 * - A leader believes it leads until `renewDeadline` after the START of its last successful write
 *   (a write that started earlier cannot have committed later than it answered, and a candidate
 *   cannot have seen it before it committed). So as long as
 *   `renewDeadline * fastestClockRate < leaseDuration * slowestClockRate`, the old leader has stopped
 *   before anyone may take the Lease over, whatever the clocks' offsets and the requests' latencies.
 *   (client-go measures from the end of its renew loop's wait instead, which is looser.)
 */

/** client-go's JitterFactor: a candidate waits retryPeriod * (1 + random * 1.2) between tries. */
export const JITTER_FACTOR = 1.2;

/** kube-scheduler's defaults. */
export const LEASE_DEFAULTS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;

/** A Lease's spec as the scheduler writes it (the fields client-go's LeaseLock uses). */
export interface LeaseSpec {
  /** Empty: released, anyone may take it. */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  /** MicroTime (RFC 3339 with microseconds). */
  readonly acquireTime: string;
  readonly renewTime: string;
  readonly leaseTransitions: number;
}

export interface LeaseTimings {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

/**
 * What is wrong with these timings, as client-go's checks say it (undefined: nothing). The Lease
 * keeps whole seconds, so the lease duration must be one.
 */
const dur = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

export function leaseTimingsProblem(t: LeaseTimings): string | undefined {
  if (t.leaseDurationMs < 1000 || t.leaseDurationMs % 1000 !== 0)
    return '--leader-elect-lease-duration must be a whole number of seconds, at least 1s (the Lease keeps seconds)';
  if (t.renewDeadlineMs >= t.leaseDurationMs)
    return `--leader-elect-renew-deadline (${dur(t.renewDeadlineMs)}) must be less than --leader-elect-lease-duration (${dur(t.leaseDurationMs)})`;
  if (t.renewDeadlineMs <= JITTER_FACTOR * t.retryPeriodMs)
    return `--leader-elect-renew-deadline (${dur(t.renewDeadlineMs)}) must be greater than ${JITTER_FACTOR} x --leader-elect-retry-period (${dur(t.retryPeriodMs)})`;
  return undefined;
}

/** What a candidate last read of the Lease. */
export interface ObservedLease {
  /** Undefined: there is no Lease. */
  readonly spec?: LeaseSpec;
  readonly resourceVersion?: string;
  /** When this candidate first saw this resourceVersion (its own clock, ms). */
  readonly seenAt: number;
}

export interface ElectorState {
  /** Undefined: not read yet. */
  readonly observed?: ObservedLease;
  /** While leading: the end of leadership unless renewed (own clock, ms). */
  readonly leadingUntil?: number;
}

/** The write to send: create a Lease, or update the one read (with its resourceVersion). */
export type LeaseWrite =
  { readonly kind: 'create'; readonly spec: LeaseSpec } | { readonly kind: 'update'; readonly spec: LeaseSpec; readonly resourceVersion: string };

/** A Kubernetes MicroTime: `2026-12-02T02:53:10.123000Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The observation after reading `got` (undefined: no Lease) at `now`: the time seen is kept while the resourceVersion is the same. */
export function observe(prev: ObservedLease | undefined, got: { spec: LeaseSpec; resourceVersion: string } | undefined, now: number): ObservedLease {
  if (got === undefined) return prev !== undefined && prev.spec === undefined ? prev : { seenAt: now };
  if (prev?.spec !== undefined && prev.resourceVersion === got.resourceVersion) return prev;
  return { spec: got.spec, resourceVersion: got.resourceVersion, seenAt: now };
}

export function isLeading(s: ElectorState, now: number): boolean {
  return s.leadingUntil !== undefined && now < s.leadingUntil;
}

/** The holder of the Lease read ('' when released or absent). */
export function holderOf(o: ObservedLease | undefined): string {
  return o?.spec?.holderIdentity ?? '';
}

/** Absent, released, or unchanged for its duration since this candidate saw it. */
export function leaseFree(o: ObservedLease, now: number): boolean {
  if (o.spec === undefined || o.spec.holderIdentity === '') return true;
  return now >= o.seenAt + o.spec.leaseDurationSeconds * 1000;
}

/**
 * The write `identity` may send at `now` after reading `o`: renew its own Lease (keeping acquireTime
 * and the transition count), take a free one (a transition), create an absent one; undefined when
 * another holder's Lease has not expired. `now` is the candidate's monotonic clock (the decisions);
 * `wallMs`, the wall clock, only dates the record (acquireTime, renewTime) for people to read.
 */
export function nextWrite(identity: string, t: LeaseTimings, o: ObservedLease, now: number, wallMs = now): LeaseWrite | undefined {
  const at = microTime(wallMs);
  const leaseDurationSeconds = t.leaseDurationMs / 1000;
  if (o.spec === undefined)
    return { kind: 'create', spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: at, renewTime: at, leaseTransitions: 0 } };
  const rv = o.resourceVersion ?? '';
  if (o.spec.holderIdentity === identity) return { kind: 'update', resourceVersion: rv, spec: { ...o.spec, leaseDurationSeconds, renewTime: at } };
  if (!leaseFree(o, now)) return undefined;
  return {
    kind: 'update',
    resourceVersion: rv,
    spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: at, renewTime: at, leaseTransitions: o.spec.leaseTransitions + 1 },
  };
}

/**
 * The write that gives the Lease up (client-go's ReleaseOnCancel): empty holder, a duration of 1 s,
 * so that a candidate takes it at once. Undefined when the Lease read is not this identity's.
 */
export function releaseWrite(identity: string, o: ObservedLease | undefined, wallMs: number): LeaseWrite | undefined {
  if (o?.spec === undefined || o.spec.holderIdentity !== identity) return undefined;
  const at = microTime(wallMs);
  return {
    kind: 'update',
    resourceVersion: o.resourceVersion ?? '',
    spec: { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: at, renewTime: at, leaseTransitions: o.spec.leaseTransitions },
  };
}

/**
 * The state after a write that succeeded: it started at `startedAt` and answered at `now` with
 * `resourceVersion`. Writing oneself as holder leads until startedAt + renewDeadline.
 */
export function afterWrite(identity: string, t: LeaseTimings, w: LeaseWrite, resourceVersion: string, startedAt: number, now: number): ElectorState {
  const observed: ObservedLease = { spec: w.spec, resourceVersion, seenAt: now };
  return w.spec.holderIdentity === identity ? { observed, leadingUntil: startedAt + t.renewDeadlineMs } : { observed };
}

/** How long to wait before the next try: a leader renews every retry period, a candidate waits it with client-go's jitter (`random` in [0, 1)). */
export function nextTryDelay(t: LeaseTimings, leading: boolean, random: number): number {
  return leading ? t.retryPeriodMs : Math.round(t.retryPeriodMs * (1 + random * JITTER_FACTOR));
}

/**
 * How long until the Lease read is free on this candidate's clock (0: now). A candidate tries again
 * then if that is sooner than its next jittered try, so that a dead leader's Lease is taken as soon as
 * it may be rather than up to a retry period later (client-go only polls; taking it then is as safe).
 */
export function untilFree(o: ObservedLease, now: number): number {
  if (leaseFree(o, now)) return 0;
  return o.seenAt + o.spec!.leaseDurationSeconds * 1000 - now;
}
