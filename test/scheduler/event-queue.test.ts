import { EventQueue } from '../../src/scheduler/event-queue.js';

/** A queue over a fake clock and timers; writes are held until `finish` is called. */
function setup(o: { writers?: number; idleWriters?: number; backlog?: number; busyIntervalMs?: number; maxWaitMs?: number } = {}) {
  let now = 0;
  let busy = true;
  const timers: Array<{ at: number; f: () => void; cancelled: boolean }> = [];
  const writing: Array<{ item: string; done: () => void }> = [];
  const written: string[] = [];
  const q = new EventQueue<string>({
    writers: o.writers ?? 2,
    ...(o.idleWriters ? { idleWriters: o.idleWriters } : {}),
    backlog: o.backlog ?? 100,
    busyIntervalMs: o.busyIntervalMs ?? 50,
    maxWaitMs: o.maxWaitMs ?? 30_000,
    busy: () => busy,
    now: () => now,
    after: (ms, f) => {
      const t = { at: now + ms, f, cancelled: false };
      timers.push(t);
      return () => (t.cancelled = true);
    },
    write: (item) =>
      new Promise<void>((resolve) =>
        writing.push({
          item,
          done: () => {
            written.push(item);
            resolve();
          },
        }),
      ),
  });
  const settle = () => new Promise((r) => setImmediate(r));
  /** Finishes every write under way, and those that start meanwhile. */
  const finishAll = async () => {
    while (writing.length) {
      writing.shift()!.done();
      await settle();
    }
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.splice(0))
      if (!t.cancelled && t.at <= now) t.f();
      else if (!t.cancelled) timers.push(t);
  };
  return {
    q,
    writing,
    written,
    finishAll,
    advance,
    settle,
    setBusy: (b: boolean) => (busy = b),
  };
}

describe('EventQueue (the scheduler event writes)', () => {
  it('trickles Normal events while launches are not bound, and writes the rest once they are, in order', async () => {
    const s = setup({ busyIntervalMs: 50 });
    s.q.push('a', false);
    s.q.push('b', false);
    s.q.push('c', false);
    s.q.push('d', false);
    expect(s.writing.map((w) => w.item)).toEqual(['a']); // the first at once, the next one 50 ms later
    await s.finishAll();
    s.advance(49);
    expect(s.writing).toHaveLength(0);
    s.advance(1);
    expect(s.writing.map((w) => w.item)).toEqual(['b']);
    await s.finishAll();
    s.setBusy(false);
    s.q.pump();
    expect(s.writing.map((w) => w.item)).toEqual(['c', 'd']); // two writers
    await s.finishAll();
    expect(s.written).toEqual(['a', 'b', 'c', 'd']);
  });

  it('writes more at once when no launch waits for its binding', async () => {
    const s = setup({ writers: 2, idleWriters: 4 });
    for (const x of ['a', 'b', 'c', 'd', 'e', 'f']) s.q.push(x, true);
    expect(s.writing).toHaveLength(2); // launches under way: two writers
    s.setBusy(false);
    s.q.pump();
    expect(s.writing).toHaveLength(4);
    await s.finishAll();
    expect(s.written).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('goes on writing Normal events, one per interval, when launches never stop', async () => {
    const s = setup({ busyIntervalMs: 50 });
    for (let i = 0; i < 100; i++) s.q.push(`e${i}`, false);
    for (let t = 0; t < 1_000; t += 50) {
      await s.finishAll();
      s.advance(50);
    }
    await s.finishAll();
    expect(s.written).toEqual(Array.from({ length: 21 }, (_, i) => `e${i}`)); // at 0, 50, ..., 1000 ms
    expect(s.q.size).toBe(79);
  });

  it('a Normal event that has waited maxWaitMs goes without the trickle (the queue never grows without end)', async () => {
    const s = setup({ busyIntervalMs: 1_000, maxWaitMs: 5_000, writers: 2 });
    for (const x of ['a', 'b', 'c', 'd', 'e']) s.q.push(x, false);
    await s.finishAll(); // 'a' at once
    for (let t = 0; t < 4; t++) {
      s.advance(1_000);
      await s.finishAll(); // the trickle: 'b' at 1 s, 'c' at 2 s, 'd' at 3 s, 'e' at 4 s
    }
    expect(s.written).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (let i = 0; i < 10; i++) s.q.push(`late-${i}`, false);
    s.advance(999);
    await s.finishAll();
    expect(s.written).toHaveLength(5); // the trickle's next slot is at 5 s
    s.advance(1);
    await s.finishAll();
    expect(s.written).toHaveLength(6);
    s.advance(4_000); // the other nine have waited 5 s: two writers, no trickle
    expect(s.writing).toHaveLength(2);
    await s.finishAll();
    expect(s.written).toHaveLength(15);
  });

  it('Warning events have room of their own: Normal events that fill the backlog never crowd them out', async () => {
    const s = setup({ writers: 1, backlog: 3 });
    for (const x of ['n1', 'n2', 'n3', 'n4', 'n5']) s.q.push(x, false); // n1 is written, three wait
    expect(s.q.push('n6', false)).toBe(false);
    expect(s.q.push('failed', true)).toBe(true);
    s.writing.shift()!.done();
    await s.settle();
    expect(s.writing.map((w) => w.item)).toEqual(['failed']);
  });

  it('writes Warning events at once, before Normal ones that wait', async () => {
    const s = setup({ writers: 1 });
    s.q.push('scheduled-1', false);
    s.q.push('scheduled-2', false);
    s.q.push('failed', true);
    expect(s.writing.map((w) => w.item)).toEqual(['scheduled-1']); // the one writer is busy
    s.writing.shift()!.done();
    await s.settle();
    expect(s.writing.map((w) => w.item)).toEqual(['failed']); // before scheduled-2, which is paced
    await s.finishAll();
    expect(s.written).toEqual(['scheduled-1', 'failed']);
  });

  it('drops what does not fit the backlog, and never writes more than `writers` at once', async () => {
    const s = setup({ writers: 2, backlog: 3 });
    s.setBusy(false);
    const pushed = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((x) => s.q.push(x, false));
    // two go at once, three wait, two are refused
    expect(pushed).toEqual([true, true, true, true, true, false, false]);
    expect(s.writing).toHaveLength(2);
    await s.finishAll();
    expect(s.written).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('flush writes what waits without waiting for launches, and resolves when it is written', async () => {
    const s = setup();
    s.q.push('a', false);
    s.q.push('b', false);
    let flushed = false;
    void s.q.flush(2_000).then(() => (flushed = true));
    expect(s.writing.map((w) => w.item)).toEqual(['a', 'b']);
    await s.settle();
    expect(flushed).toBe(false);
    await s.finishAll();
    await s.settle();
    expect(flushed).toBe(true);
    expect(s.q.size).toBe(0);
  });

  it('flush gives up after its time when the apiserver does not answer', async () => {
    const s = setup();
    s.q.push('a', false);
    let flushed = false;
    void s.q.flush(2_000).then(() => (flushed = true));
    s.advance(2_000);
    await s.settle();
    expect(flushed).toBe(true);
    expect(s.written).toEqual([]);
  });
});
