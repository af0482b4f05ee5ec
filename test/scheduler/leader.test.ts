/**
 * The leader elector's loop (src/scheduler/leader.ts) on a fake Lease store and a fake clock: it
 * takes an absent or expired Lease, waits while another holder renews, renews its own every retry
 * period, stops leading when it cannot renew before the deadline (even while a request hangs) or
 * when someone else holds the Lease, and releases as ReleaseOnCancel does.
 */
import { microTime, type LeaseSpec } from '../../src/core/scheduler/lease.js';
import { apiserverLeases, LeaderElector, leaderIdentity, LeaseConflict } from '../../src/scheduler/leader.js';
import type { Logger } from '../../src/scheduler/log.js';
import { ClientError } from '../../src/clients/errors.js';
import { FakeLeaseStore } from '../cmd/lease-fakes.js';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** Time that moves only when the test says so; sleeps wake in order. */
class FakeTime {
  now = 1_000_000;
  private timers: Array<{ at: number; resolve: () => void }> = [];

  sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new Error('aborted'));
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== t);
        reject(new Error('aborted'));
      };
      const t = {
        at: this.now + ms,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(t);
      signal.addEventListener('abort', onAbort, { once: true });
    });

  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.now = Math.max(this.now, due.at);
      this.timers = this.timers.filter((t) => t !== due);
      due.resolve();
    }
    this.now = end;
    await flush();
  }
}

function logger(): Logger & { lines: Array<{ msg: string; kv?: Record<string, unknown> }> } {
  const lines: Array<{ msg: string; kv?: Record<string, unknown> }> = [];
  const add = (msg: string, kv?: Record<string, unknown>) => lines.push({ msg, ...(kv ? { kv } : {}) });
  return { lines, info: (_v, msg, kv) => add(msg, kv), warn: add, error: add, enabled: () => true };
}

const NS = 'kube-system';
const NAME = 'k8sm-scheduler-kubernetes';
const TIMINGS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

function setup(identity = 'me', o: { watch?: boolean } = {}) {
  const store = new FakeLeaseStore(o);
  const time = new FakeTime();
  const log = logger();
  const elector = new LeaderElector(
    { ...TIMINGS, namespace: NS, name: NAME, identity },
    { store, log, now: () => time.now, sleep: time.sleep, random: () => 0 },
  );
  return { store, time, log, elector };
}

const other = (o: Partial<LeaseSpec> = {}): LeaseSpec => ({
  holderIdentity: 'other',
  leaseDurationSeconds: 15,
  acquireTime: microTime(0),
  renewTime: microTime(0),
  leaseTransitions: 2,
  ...o,
});

describe('LeaderElector', () => {
  it('creates an absent Lease and leads', async () => {
    const { store, elector, log } = setup();
    expect(await elector.acquire(new AbortController().signal)).toBe(true);
    expect(store.get(NS, NAME)?.spec).toMatchObject({ holderIdentity: 'me', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(elector.leading()).toBe(true);
    expect(log.lines.map((l) => l.msg)).toEqual(['acquired the lease']);
  });

  it('waits while another holder renews, logs the holder once, and takes the Lease when it stops changing for the duration', async () => {
    const { store, time, elector, log } = setup();
    store.put(NS, NAME, other());
    let got: boolean | undefined;
    void elector.acquire(new AbortController().signal).then((g) => (got = g));
    await time.advance(0);
    for (let i = 0; i < 10; i++) {
      await time.advance(5_000);
      store.put(NS, NAME, other({ renewTime: microTime(i) })); // the holder renews
    }
    expect(got).toBeUndefined();
    expect(log.lines.filter((l) => l.msg === 'waiting for the lease')).toEqual([
      { msg: 'waiting for the lease', kv: { lease: `${NS}/${NAME}`, holder: 'other', identity: 'me' } },
    ]);
    // The holder stops renewing: the candidate saw the last change on its read 2 s later, and takes
    // the Lease at the instant it has been unchanged for 15 s since then (not at its next read).
    await time.advance(16_999);
    expect(got).toBeUndefined();
    await time.advance(1);
    expect(got).toBe(true);
    expect(store.get(NS, NAME)?.spec).toMatchObject({ holderIdentity: 'me', leaseTransitions: 3 });
  });

  it('keeps trying every retry period, not in a tight loop, when the apiserver fails after the Lease expired', async () => {
    const { store, time, elector, log } = setup();
    store.put(NS, NAME, other({ leaseDurationSeconds: 3 }));
    const ctl = new AbortController();
    void elector.acquire(ctl.signal);
    await time.advance(2_000); // two reads: unchanged
    store.getLease = () => Promise.reject(new Error('connection refused'));
    const before = store.requests.length;
    await time.advance(10_000);
    const failures = log.lines.filter((l) => l.msg === 'cannot read or write the lease').length;
    expect(failures).toBeGreaterThanOrEqual(4);
    expect(failures).toBeLessThanOrEqual(6);
    expect(store.requests.length).toBe(before);
    ctl.abort();
  });

  it("with a watch, sees each renewal when it happens and takes a dead leader's Lease exactly a lease duration after its last renewal", async () => {
    const { store, time, elector } = setup('me', { watch: true });
    store.put(NS, NAME, other());
    let got: boolean | undefined;
    void elector.acquire(new AbortController().signal).then((g) => (got = g));
    await time.advance(0);
    expect(store.watches).toBe(1);
    // Renewals between the candidate's reads (at 0, 2 s, 4 s...): the last one at 4.5 s.
    for (const t of [500, 2_500, 4_500]) {
      await time.advance(t - (time.now - 1_000_000));
      store.put(NS, NAME, other({ renewTime: microTime(t) }));
    }
    await time.advance(19_500 - 4_500 - 1);
    expect(got).toBeUndefined();
    await time.advance(1);
    expect(got).toBe(true);
    expect(store.get(NS, NAME)?.spec.holderIdentity).toBe('me');
  });

  it('with a watch, takes a released Lease at once, not at its next read', async () => {
    const { store, time, elector } = setup('me', { watch: true });
    store.put(NS, NAME, other());
    let got: boolean | undefined;
    void elector.acquire(new AbortController().signal).then((g) => (got = g));
    await time.advance(300);
    store.put(NS, NAME, other({ holderIdentity: '', leaseDurationSeconds: 1 }));
    await time.advance(0);
    expect(got).toBe(true);
    expect(time.now).toBe(1_000_300);
  });

  it('takes a released Lease on its next try', async () => {
    const { store, time, elector } = setup();
    store.put(NS, NAME, other());
    let got: boolean | undefined;
    void elector.acquire(new AbortController().signal).then((g) => (got = g));
    await time.advance(0);
    store.put(NS, NAME, other({ holderIdentity: '', leaseDurationSeconds: 1 }));
    await time.advance(2_000 - 1);
    expect(got).toBeUndefined();
    await time.advance(1);
    expect(got).toBe(true);
  });

  it('gives up acquiring when the signal aborts', async () => {
    const { store, time, elector } = setup();
    store.put(NS, NAME, other());
    const ctl = new AbortController();
    const p = elector.acquire(ctl.signal);
    await time.advance(3_000);
    ctl.abort();
    expect(await p).toBe(false);
  });

  it('renews every retry period without reading, and stops when asked', async () => {
    const { store, time, elector } = setup();
    await elector.acquire(new AbortController().signal);
    const ctl = new AbortController();
    const p = elector.keepLeading(ctl.signal);
    const before = store.requests.length;
    await time.advance(10_000);
    const renewals = store.requests.slice(before);
    expect(renewals.map((r) => r.op)).toEqual(['update', 'update', 'update', 'update', 'update']);
    expect(renewals.every((r) => r.spec?.holderIdentity === 'me')).toBe(true);
    expect(elector.leading()).toBe(true);
    ctl.abort();
    expect(await p).toEqual({ end: 'stopped' });
  });

  it('is lost at the renew deadline while the apiserver does not answer', async () => {
    const { store, time, elector } = setup();
    await elector.acquire(new AbortController().signal);
    store.hang = true;
    let end: unknown;
    void elector.keepLeading(new AbortController().signal).then((e) => (end = e));
    await time.advance(9_999);
    expect(end).toBeUndefined();
    expect(elector.leading()).toBe(true);
    await time.advance(1);
    expect(end).toEqual({ end: 'lost', why: 'no answer from the apiserver before the renew deadline' });
    expect(elector.leading()).toBe(false);
  });

  it('is lost at once when someone else has taken the Lease, and reads again after a 409', async () => {
    const { store, time, elector } = setup();
    await elector.acquire(new AbortController().signal);
    let end: unknown;
    void elector.keepLeading(new AbortController().signal).then((e) => (end = e));
    store.put(NS, NAME, other());
    await time.advance(2_000);
    expect(store.requests.slice(-2).map((r) => r.op)).toEqual(['update', 'get']);
    expect(end).toEqual({ end: 'lost', why: 'the lease is held by other' });
    expect(elector.leading()).toBe(false);
  });

  it('releases with an empty holder and a 1 s duration, keeping the transitions', async () => {
    const { store, elector } = setup();
    store.put(NS, NAME, other({ holderIdentity: '' }));
    await elector.acquire(new AbortController().signal);
    expect(await elector.release()).toBe(true);
    expect(store.get(NS, NAME)?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 3 });
    expect(elector.leading()).toBe(false);
    // Not ours any more: nothing to release.
    expect(await elector.release()).toBe(false);
  });

  it('releases after a renewal it had given up on landed first (409: read again, still ours)', async () => {
    const { store, elector } = setup();
    await elector.acquire(new AbortController().signal);
    const mine = store.get(NS, NAME)!.spec;
    store.put(NS, NAME, { ...mine, renewTime: microTime(42) }); // the late renewal: same holder, another resourceVersion
    expect(await elector.release()).toBe(true);
    expect(store.requests.slice(-3).map((r) => r.op)).toEqual(['update', 'get', 'update']);
    expect(store.get(NS, NAME)?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });

  it('does not release a Lease someone else has taken meanwhile', async () => {
    const { store, elector, log } = setup();
    await elector.acquire(new AbortController().signal);
    store.put(NS, NAME, other());
    expect(await elector.release()).toBe(false);
    expect(store.get(NS, NAME)?.spec.holderIdentity).toBe('other');
    expect(log.lines.map((l) => l.msg)).not.toContain('cannot release the lease');
  });

  it('has an identity of the host name, "_" and a uuid', () => {
    expect(leaderIdentity('node-1')).toMatch(/^node-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(leaderIdentity('n')).not.toBe(leaderIdentity('n'));
  });
});

describe('apiserverLeases', () => {
  it('speaks coordination.k8s.io/v1 with the resourceVersion, and turns 409 into LeaseConflict', async () => {
    const calls: Array<{ method: string; path: string; body?: unknown }> = [];
    let conflict = false;
    const watched: Array<{ path: string; query: Record<string, string> }> = [];
    const store = apiserverLeases({
      async *watch(path, query) {
        watched.push({ path, query });
        yield { type: 'BOOKMARK', object: {} };
        yield {
          type: 'MODIFIED',
          object: { metadata: { resourceVersion: '43' }, spec: { holderIdentity: 'x', leaseDurationSeconds: 15, leaseTransitions: 1 } },
        };
        yield { type: 'DELETED', object: {} };
        yield { type: 'ERROR', object: { message: 'too old' } };
      },
      requestJson: async (method, path, o) => {
        calls.push({ method, path, ...(o.body !== undefined ? { body: o.body } : {}) });
        if (conflict) throw new ClientError({ kind: 'conflict', service: 'kube-apiserver', status: 409, message: 'conflict' });
        if (method === 'GET') return o.allowNotFound ? undefined : {};
        return { metadata: { resourceVersion: '42' } };
      },
    });
    expect(await store.getLease(NS, NAME)).toBeUndefined();
    const spec = other();
    expect(await store.createLease(NS, NAME, spec)).toBe('42');
    expect(await store.updateLease(NS, NAME, spec, '41')).toBe('42');
    expect(calls).toEqual([
      { method: 'GET', path: `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${NAME}` },
      {
        method: 'POST',
        path: `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`,
        body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: NAME, namespace: NS }, spec },
      },
      {
        method: 'PUT',
        path: `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${NAME}`,
        body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: NAME, namespace: NS, resourceVersion: '41' }, spec },
      },
    ]);
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const l of store.watchLease!(NS, NAME, '41', new AbortController().signal)) seen.push(l);
      })(),
    ).rejects.toThrow('the watch of the lease ended: "too old"');
    expect(watched).toEqual([
      { path: `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`, query: { fieldSelector: `metadata.name=${NAME}`, resourceVersion: '41' } },
    ]);
    expect(seen).toEqual([
      { spec: { holderIdentity: 'x', leaseDurationSeconds: 15, acquireTime: '', renewTime: '', leaseTransitions: 1 }, resourceVersion: '43' },
      undefined,
    ]);
    conflict = true;
    await expect(store.updateLease(NS, NAME, spec, '41')).rejects.toBeInstanceOf(LeaseConflict);
    await expect(store.createLease(NS, NAME, spec)).rejects.toBeInstanceOf(LeaseConflict);
  });
});
