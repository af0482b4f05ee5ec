import fc from 'fast-check';
import {
  answered,
  IMPLICIT_FIRST_DELAY_MS,
  implicitDue,
  RECONCILE_MAX_BACKOFF_MS,
  resendDue,
  startExplicit,
  type ExplicitReconciliation,
} from '../../../src/core/scheduler/reconcile.js';

describe('explicit reconciliation', () => {
  it('asks again with backoff 1 s, 2 s, 4 s ... up to 2 min for the tasks that have not answered, until all have', () => {
    let r = startExplicit([{ taskId: 'pod.a', agentId: 'S1' }, { taskId: 'pod.b', agentId: 'S2' }, { taskId: 'pod.c' }], 0);
    expect(r?.nextAt).toBe(1_000);
    expect(resendDue(r, 999)).toBeUndefined();
    r = answered(r, 'pod.a');
    r = answered(r, 'pod.unrelated');
    const first = resendDue(r, 1_000)!;
    expect(first.resend).toEqual([{ taskId: 'pod.b', agentId: 'S2' }, { taskId: 'pod.c' }]);
    expect(first.next.nextAt).toBe(3_000);
    const gaps: number[] = [];
    let s: ExplicitReconciliation = first.next;
    for (let i = 0; i < 10; i++) {
      const d = resendDue(s, s.nextAt)!;
      gaps.push(d.next.nextAt - s.nextAt);
      s = d.next;
    }
    expect(gaps).toEqual([4_000, 8_000, 16_000, 32_000, 64_000, 120_000, 120_000, 120_000, 120_000, 120_000]);
    expect(s.rounds).toBe(12);
    expect(answered(answered(s, 'pod.b'), 'pod.c')).toBeUndefined();
  });

  it('has nothing to ask with no tasks', () => {
    expect(startExplicit([], 0)).toBeUndefined();
    expect(resendDue(undefined, 10_000)).toBeUndefined();
  });

  it('property: a task that answered is never asked again, and the wait never exceeds the maximum', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.oneof(fc.record({ answer: fc.nat(25) }), fc.record({ tick: fc.nat(200_000) })), { maxLength: 60 }),
        (ids, steps) => {
          let r = startExplicit(
            ids.map((taskId) => ({ taskId })),
            0,
          );
          const done = new Set<string>();
          let now = 0;
          for (const st of steps) {
            if ('answer' in st) {
              const id = ids[st.answer % ids.length]!;
              done.add(id);
              r = answered(r, id);
            } else {
              now += st.tick;
              const d = resendDue(r, now);
              if (d) {
                for (const t of d.resend) if (done.has(t.taskId)) return false;
                if (d.next.nextAt - now > RECONCILE_MAX_BACKOFF_MS) return false;
                r = d.next;
              }
            }
          }
          return r === undefined ? done.size === ids.length : [...r.waiting.keys()].every((k) => !done.has(k));
        },
      ),
    );
  });
});

describe('implicit reconciliation', () => {
  const base = { intervalMs: 300_000, firstSubscribedAt: 10_000, lastImplicitAt: undefined, explicit: undefined };
  it('runs first 15 s after the first subscription, then every interval', () => {
    expect(implicitDue({ ...base, now: 10_000 + IMPLICIT_FIRST_DELAY_MS - 1 })).toBe(false);
    expect(implicitDue({ ...base, now: 10_000 + IMPLICIT_FIRST_DELAY_MS })).toBe(true);
    expect(implicitDue({ ...base, lastImplicitAt: 25_000, now: 324_999 })).toBe(false);
    expect(implicitDue({ ...base, lastImplicitAt: 25_000, now: 325_000 })).toBe(true);
  });
  it('never while an explicit one waits for answers, never when disabled or before any subscription', () => {
    const explicit = startExplicit([{ taskId: 'pod.a' }], 0);
    expect(implicitDue({ ...base, explicit, now: 1e9 })).toBe(false);
    expect(implicitDue({ ...base, intervalMs: 0, now: 1e9 })).toBe(false);
    expect(implicitDue({ ...base, firstSubscribedAt: undefined, now: 1e9 })).toBe(false);
  });
});
