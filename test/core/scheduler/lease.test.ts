import fc from 'fast-check';
import {
  afterWrite,
  holderOf,
  isLeading,
  JITTER_FACTOR,
  LEASE_DEFAULTS,
  leaseFree,
  leaseTimingsProblem,
  microTime,
  nextTryDelay,
  nextWrite,
  observe,
  releaseWrite,
  untilFree,
  type ElectorState,
  type LeaseSpec,
  type LeaseTimings,
  type LeaseWrite,
  type ObservedLease,
} from '../../../src/core/scheduler/lease.js';

const T: LeaseTimings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
const spec = (holder: string, o: Partial<LeaseSpec> = {}): LeaseSpec => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  acquireTime: microTime(0),
  renewTime: microTime(0),
  leaseTransitions: 3,
  ...o,
});

describe('lease timings (client-go checks)', () => {
  it('accepts kube-scheduler defaults', () => {
    expect(leaseTimingsProblem(LEASE_DEFAULTS)).toBeUndefined();
  });
  it.each([
    [{ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }, /renew-deadline \(10s\) must be less than --leader-elect-lease-duration/],
    [{ leaseDurationMs: 15_000, renewDeadlineMs: 2_400, retryPeriodMs: 2_000 }, /must be greater than 1.2 x --leader-elect-retry-period/],
    [{ leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 100 }, /whole number of seconds/],
    [{ leaseDurationMs: 500, renewDeadlineMs: 200, retryPeriodMs: 100 }, /at least 1s/],
  ])('%j', (t, message) => {
    expect(leaseTimingsProblem(t)).toMatch(message);
  });
  it('accepts a renew deadline just above 1.2 retry periods', () => {
    expect(leaseTimingsProblem({ leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 1_666 })).toBeUndefined();
  });
});

describe('lease decisions', () => {
  it('writes MicroTime with microseconds', () => {
    expect(microTime(Date.UTC(2026, 11, 2, 2, 53, 10, 123))).toBe('2026-12-02T02:53:10.123000Z');
  });

  it('decides on the monotonic clock and dates the record with the wall clock', () => {
    const o = observe(undefined, { spec: spec('other', { leaseDurationSeconds: 3 }), resourceVersion: '7' }, 50);
    expect(nextWrite('me', T, o, 3_049, Date.UTC(2026, 0, 1))).toBeUndefined();
    const w = nextWrite('me', T, o, 3_050, Date.UTC(2026, 0, 1))!;
    expect(w.spec).toMatchObject({ acquireTime: '2026-01-01T00:00:00.000000Z', renewTime: '2026-01-01T00:00:00.000000Z' });
  });

  it('creates an absent Lease with no transition', () => {
    const o = observe(undefined, undefined, 100);
    expect(nextWrite('me', T, o, 100)).toEqual({
      kind: 'create',
      spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: microTime(100), renewTime: microTime(100), leaseTransitions: 0 },
    });
  });

  it("waits while another holder's Lease has not been unchanged for its duration, measured on the local clock", () => {
    // The renewTime written is far in the past: it is not trusted; only when the version was first seen counts.
    const o = observe(undefined, { spec: spec('other', { renewTime: microTime(-1e9) }), resourceVersion: '7' }, 1_000);
    expect(holderOf(o)).toBe('other');
    expect(nextWrite('me', T, o, 15_999)).toBeUndefined();
    expect(leaseFree(o, 15_999)).toBe(false);
    const w = nextWrite('me', T, o, 16_000)!;
    expect(w).toEqual({
      kind: 'update',
      resourceVersion: '7',
      spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: microTime(16_000), renewTime: microTime(16_000), leaseTransitions: 4 },
    });
  });

  it('keeps the first sighting while the version is unchanged, and restarts it when the holder renews', () => {
    const a = observe(undefined, { spec: spec('other'), resourceVersion: '7' }, 1_000);
    const b = observe(a, { spec: spec('other'), resourceVersion: '7' }, 9_000);
    expect(b.seenAt).toBe(1_000);
    const c = observe(b, { spec: spec('other', { renewTime: microTime(5) }), resourceVersion: '8' }, 12_000);
    expect(c.seenAt).toBe(12_000);
    expect(nextWrite('me', T, c, 16_000)).toBeUndefined();
  });

  it('uses the duration the holder wrote', () => {
    const o = observe(undefined, { spec: spec('other', { leaseDurationSeconds: 3 }), resourceVersion: '7' }, 0);
    expect(leaseFree(o, 2_999)).toBe(false);
    expect(leaseFree(o, 3_000)).toBe(true);
  });

  it('takes a released Lease at once', () => {
    const o = observe(undefined, { spec: spec('', { leaseDurationSeconds: 1 }), resourceVersion: '9' }, 0);
    const w = nextWrite('me', T, o, 0)!;
    expect(w.kind).toBe('update');
    expect(w.spec.holderIdentity).toBe('me');
    expect(w.spec.leaseTransitions).toBe(4);
  });

  it('renews its own Lease keeping acquireTime and transitions, and leads until renewDeadline after the write started', () => {
    const o: ObservedLease = { spec: spec('me', { acquireTime: microTime(50) }), resourceVersion: '9', seenAt: 0 };
    const w = nextWrite('me', T, o, 4_000)!;
    expect(w).toEqual({ kind: 'update', resourceVersion: '9', spec: { ...o.spec!, renewTime: microTime(4_000) } });
    const s = afterWrite('me', T, w, '10', 4_000, 4_300);
    expect(s.leadingUntil).toBe(14_000);
    expect(s.observed).toEqual({ spec: w.spec, resourceVersion: '10', seenAt: 4_300 });
    expect(isLeading(s, 13_999)).toBe(true);
    expect(isLeading(s, 14_000)).toBe(false);
    expect(isLeading({}, 0)).toBe(false);
  });

  it('releases as ReleaseOnCancel does: empty holder, 1 s, transitions kept; only its own Lease', () => {
    const o: ObservedLease = { spec: spec('me'), resourceVersion: '9', seenAt: 0 };
    const w = releaseWrite('me', o, 5_000)!;
    expect(w).toEqual({
      kind: 'update',
      resourceVersion: '9',
      spec: { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: microTime(5_000), renewTime: microTime(5_000), leaseTransitions: 3 },
    });
    expect(afterWrite('me', T, w, '10', 5_000, 5_000).leadingUntil).toBeUndefined();
    expect(releaseWrite('me', { spec: spec('other'), resourceVersion: '9', seenAt: 0 }, 5_000)).toBeUndefined();
    expect(releaseWrite('me', undefined, 5_000)).toBeUndefined();
  });

  it('says how long until a Lease read is free on the local clock', () => {
    const o = observe(undefined, { spec: spec('other', { leaseDurationSeconds: 3 }), resourceVersion: '7' }, 1_000);
    expect(untilFree(o, 1_000)).toBe(3_000);
    expect(untilFree(o, 3_500)).toBe(500);
    expect(untilFree(o, 4_000)).toBe(0);
    expect(untilFree(observe(undefined, undefined, 0), 0)).toBe(0);
    expect(untilFree(observe(undefined, { spec: spec(''), resourceVersion: '8' }, 0), 0)).toBe(0);
  });

  it('renews every retry period, and a candidate waits it with jitter 1.2', () => {
    expect(nextTryDelay(T, true, 0.99)).toBe(2_000);
    expect(nextTryDelay(T, false, 0)).toBe(2_000);
    expect(nextTryDelay(T, false, 0.5)).toBe(2_000 * (1 + 0.5 * JITTER_FACTOR));
  });
});

// ---------------------------------------------------------------------------------------------
// Two electors on a shared store, driven by a random interleaving, with clocks of their own.

interface Clock {
  offset: number;
  rate: number;
}
type Op = { kind: 'get' } | { kind: 'write'; w: LeaseWrite };
type Result = { kind: 'got'; lease?: { spec: LeaseSpec; resourceVersion: string } } | { kind: 'ok'; resourceVersion: string } | { kind: 'conflict' };
interface Request {
  op: Op;
  startedAt: number;
  result?: Result;
}
interface Elector {
  id: string;
  clock: Clock;
  state: ElectorState;
  fresh: boolean;
  pending?: Request;
  /** The current belief interval (real time) and the closed ones. */
  since?: number;
  intervals: Array<[number, number]>;
}

type Step =
  | { kind: 'advance'; ms: number }
  | { kind: 'act'; who: number }
  | { kind: 'abandon'; who: number }
  | { kind: 'late'; which: number }
  | { kind: 'release'; who: number }
  /** A watch event: a version already written (the latest, or an older one late) reaches the elector. */
  | { kind: 'watch'; who: number; back: number };

class World {
  real = 0;
  store: { spec: LeaseSpec; resourceVersion: string } | undefined;
  /** Every version written, oldest first. */
  readonly history: Array<{ spec: LeaseSpec; resourceVersion: string }> = [];
  private rv = 0;
  readonly electors: Elector[];
  /** Requests whose caller gave up on them; they may still reach the store. */
  readonly zombies: Request[] = [];

  constructor(
    readonly t: LeaseTimings,
    clocks: Clock[],
  ) {
    this.electors = clocks.map((clock, i) => ({ id: `e${i}`, clock, state: {}, fresh: false, intervals: [] }));
  }

  local(e: Elector): number {
    return e.clock.offset + this.real * e.clock.rate;
  }

  /** The real time at which e's clock shows `l`. */
  realAt(e: Elector, l: number): number {
    return (l - e.clock.offset) / e.clock.rate;
  }

  /** Closes belief intervals whose end (on the elector's own clock) has passed. */
  settle(): void {
    for (const e of this.electors) {
      if (e.since === undefined) continue;
      const end = this.realAt(e, e.state.leadingUntil ?? Number.NEGATIVE_INFINITY);
      if (this.real >= end) {
        e.intervals.push([e.since, end]);
        e.since = undefined;
      }
    }
  }

  apply(op: Op): Result {
    if (op.kind === 'get') return { kind: 'got', ...(this.store ? { lease: { ...this.store } } : {}) };
    const w = op.w;
    if (w.kind === 'create') {
      if (this.store) return { kind: 'conflict' };
    } else if (this.store?.resourceVersion !== w.resourceVersion) return { kind: 'conflict' };
    this.store = { spec: w.spec, resourceVersion: String(++this.rv) };
    this.history.push(this.store);
    return { kind: 'ok', resourceVersion: this.store.resourceVersion };
  }

  step(s: Step): void {
    if (s.kind === 'advance') this.real += s.ms;
    else if (s.kind === 'watch') {
      const e = this.electors[s.who]!;
      const v = this.history[this.history.length - 1 - (s.back % Math.max(1, this.history.length))];
      if (v) e.state = { ...e.state, observed: observe(e.state.observed, { ...v }, this.local(e)) };
    } else if (s.kind === 'late') {
      const z = this.zombies.splice(s.which % Math.max(1, this.zombies.length), 1)[0];
      if (z && !z.result) z.result = this.apply(z.op);
    } else {
      const e = this.electors[s.who]!;
      if (s.kind === 'abandon') {
        if (e.pending) this.zombies.push(e.pending);
        e.pending = undefined;
        e.fresh = false;
      } else if (s.kind === 'release') this.release(e);
      else this.act(e);
    }
    this.settle();
  }

  private release(e: Elector): void {
    const now = this.local(e);
    if (!isLeading(e.state, now)) return;
    // Stop leading first, then write.
    if (e.since !== undefined) e.intervals.push([e.since, this.real]);
    e.since = undefined;
    if (e.pending) this.zombies.push(e.pending);
    const w = releaseWrite(e.id, e.state.observed, now);
    e.state = { ...(e.state.observed ? { observed: e.state.observed } : {}) };
    e.pending = w ? { op: { kind: 'write', w }, startedAt: now } : undefined;
    e.fresh = false;
  }

  /** One move of the elector's program: start a request, let it reach the store, or take its answer. */
  private act(e: Elector): void {
    const now = this.local(e);
    const p = e.pending;
    if (p && !p.result) {
      p.result = this.apply(p.op);
      return;
    }
    if (p && p.result) {
      e.pending = undefined;
      const r = p.result;
      if (r.kind === 'got') {
        e.state = { ...e.state, observed: observe(e.state.observed, r.lease, now) };
        e.fresh = true;
      } else if (r.kind === 'ok' && p.op.kind === 'write') {
        const wasLeading = isLeading(e.state, now);
        e.state = afterWrite(e.id, this.t, p.op.w, r.resourceVersion, p.startedAt, now);
        if (isLeading(e.state, now) && !wasLeading) e.since = this.real;
      } else e.fresh = false;
      return;
    }
    // Start the next request.
    if (isLeading(e.state, now) && e.state.observed) {
      const w = nextWrite(e.id, this.t, e.state.observed, now);
      if (w) e.pending = { op: { kind: 'write', w }, startedAt: now };
    } else if (e.fresh && e.state.observed) {
      const w = nextWrite(e.id, this.t, e.state.observed, now);
      e.pending = w ? { op: { kind: 'write', w }, startedAt: now } : { op: { kind: 'get' }, startedAt: now };
    } else e.pending = { op: { kind: 'get' }, startedAt: now };
    e.fresh = false;
  }

  /** All belief intervals, the open ones closed where the elector's own clock ends them. */
  intervals(): Array<{ who: string; from: number; to: number }> {
    return this.electors.flatMap((e) => [
      ...e.intervals.map(([from, to]) => ({ who: e.id, from, to })),
      ...(e.since !== undefined ? [{ who: e.id, from: e.since, to: this.realAt(e, e.state.leadingUntil!) }] : []),
    ]);
  }

  overlap(): string | undefined {
    const all = this.intervals();
    for (const a of all)
      for (const b of all) if (a.who < b.who && a.from < b.to && b.from < a.to) return `${a.who} [${a.from}, ${a.to}) and ${b.who} [${b.from}, ${b.to})`;
    return undefined;
  }

  leaders(): number {
    return this.intervals().length;
  }
}

/** Clock rates within 1 ± EPS of real time. */
const EPS = 0.05;

const timingsArb = fc
  .integer({ min: 1, max: 5 })
  .chain((secs) => {
    const lease = secs * 1000;
    const maxRenew = Math.floor((lease * (1 - EPS)) / (1 + EPS)) - 1;
    return fc.record({
      leaseDurationMs: fc.constant(lease),
      renewDeadlineMs: fc.integer({ min: Math.min(100, maxRenew), max: maxRenew }),
    });
  })
  .chain((t) =>
    fc.record({
      leaseDurationMs: fc.constant(t.leaseDurationMs),
      renewDeadlineMs: fc.constant(t.renewDeadlineMs),
      retryPeriodMs: fc.constant(Math.floor(t.renewDeadlineMs / 1.25)),
    }),
  );

const clockArb = fc.record({
  offset: fc.integer({ min: -1e9, max: 1e9 }),
  rate: fc.double({ min: 1 - EPS, max: 1 + EPS, noNaN: true }),
});

const stepArb = (n: number): fc.Arbitrary<Step> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 6000 })) }),
    },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('act' as const), who: fc.integer({ min: 0, max: n - 1 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('abandon' as const), who: fc.integer({ min: 0, max: n - 1 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('late' as const), which: fc.nat(5) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), who: fc.integer({ min: 0, max: n - 1 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('watch' as const), who: fc.integer({ min: 0, max: n - 1 }), back: fc.oneof(fc.constant(0), fc.nat(3)) }),
    },
  );

describe('two electors on a shared store', () => {
  it('never both believe they lead at the same instant, with clock rates within 5% and renewDeadline * 1.05 < leaseDuration * 0.95 (reads, writes and watch events late, lost or out of order)', () => {
    let someoneLed = 0;
    fc.assert(
      fc.property(
        timingsArb,
        fc.array(clockArb, { minLength: 2, maxLength: 2 }),
        fc.array(stepArb(2), { minLength: 50, maxLength: 400, size: 'max' }),
        (t, clocks, steps) => {
          expect(leaseTimingsProblem(t)).toBeUndefined();
          const w = new World(t, clocks);
          for (const s of steps) {
            w.step(s);
            const bad = w.overlap();
            if (bad) throw new Error(`both lead: ${bad}`);
          }
          if (w.leaders() > 1) someoneLed++;
        },
      ),
      { numRuns: 1000 },
    );
    // The interleavings did exercise takeovers, not only idle electors.
    expect(someoneLed).toBeGreaterThan(10);
  });

  it('the check finds two leaders when a clock runs slower than the bound allows (renew 2 s, lease 3 s, one clock at half speed)', () => {
    const w = new World({ leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 1_000 }, [
      { offset: 0, rate: 0.5 },
      { offset: 0, rate: 1 },
    ]);
    const script: Step[] = [
      { kind: 'act', who: 0 }, // e0: GET
      { kind: 'act', who: 0 },
      { kind: 'act', who: 0 }, // absent
      { kind: 'act', who: 0 }, // create
      { kind: 'act', who: 0 },
      { kind: 'act', who: 0 }, // e0 leads until its clock shows 2 s: real 4 s
      { kind: 'act', who: 1 }, // e1: GET, sees e0's Lease at real 0
      { kind: 'act', who: 1 },
      { kind: 'act', who: 1 },
      { kind: 'advance', ms: 3_000 },
      { kind: 'act', who: 1 }, // expired on e1's clock: takes it
      { kind: 'act', who: 1 },
      { kind: 'act', who: 1 }, // e1 leads from real 3 s
    ];
    for (const s of script) w.step(s);
    expect(w.overlap()).toBe('e0 [0, 4000) and e1 [3000, 5000)');
  });

  it('a leader that keeps renewing is never taken over, however long the candidate watches', () => {
    const w = new World({ leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 }, [
      { offset: 0, rate: 1 },
      { offset: -7e5, rate: 1.01 },
    ]);
    const run = (who: number, times: number) => {
      for (let i = 0; i < times; i++) w.step({ kind: 'act', who });
    };
    run(0, 6);
    for (let i = 0; i < 40; i++) {
      w.step({ kind: 'advance', ms: 500 });
      run(0, 3); // renews
      for (let j = 0; j < 3; j++) {
        run(1, 1); // reads, and never decides to write
        expect(w.electors[1]!.pending?.op.kind ?? 'get').toBe('get');
      }
    }
    expect(w.store?.spec.holderIdentity).toBe('e0');
    expect(w.store?.spec.leaseTransitions).toBe(0);
    expect(w.intervals()).toHaveLength(1);
  });

  it('a SIGKILLed leader (never acts again) is replaced once its Lease is unchanged for the duration; a released one at once', () => {
    const t = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 };
    const w = new World(t, [
      { offset: 0, rate: 1 },
      { offset: 5e6, rate: 1 },
    ]);
    const run = (who: number, times: number) => {
      for (let i = 0; i < times; i++) w.step({ kind: 'act', who });
    };
    run(0, 6);
    run(1, 3); // sees e0's Lease
    run(1, 3); // not expired: starts another GET
    expect(w.store?.spec.holderIdentity).toBe('e0');
    w.step({ kind: 'advance', ms: 2_999 });
    run(1, 3);
    run(1, 1); // still e0's: another GET
    expect(w.electors[1]!.pending?.op.kind).toBe('get');
    w.step({ kind: 'advance', ms: 1 });
    run(1, 2); // the GET answers: unchanged since real 0
    run(1, 3); // writes
    expect(w.store?.spec.holderIdentity).toBe('e1');
    expect(w.store?.spec.leaseTransitions).toBe(1);
    expect(w.overlap()).toBeUndefined();
    // e1 releases; e0 takes it without waiting.
    w.step({ kind: 'release', who: 1 });
    run(1, 2);
    expect(w.store?.spec.holderIdentity).toBe('');
    run(0, 6);
    expect(w.store?.spec.holderIdentity).toBe('e0');
    expect(w.overlap()).toBeUndefined();
  });
});
