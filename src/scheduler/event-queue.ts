/**
 * The scheduler's Event writes (`Scheduled`, `FailedScheduling`, ...): a few at a time, in order,
 * dropped (the caller logs it) beyond a backlog, so a slow apiserver never piles them up in memory.
 *
 * Events yield to launches: an Event costs the apiserver about what a Binding costs, and on a busy
 * apiserver the executors' Bindings of pods just launched are what makes pods run. While `busy()`
 * (launches not yet bound), Normal events are written at a trickle, one per `busyIntervalMs`
 * (as kube-scheduler's event client has its own QPS limit); once every launch is bound, `idleWriters`
 * at a time. A Normal event that has waited `maxWaitMs` goes without the trickle (`writers` at a
 * time), so a cluster that is always busy still gets its events, in order and that much later, and
 * the queue does not grow without end. Warning events (a pod that fits nowhere) never wait and have
 * room of their own: Normal events that fill their `backlog` never crowd them out. What does not fit
 * is dropped (kube-scheduler's event broadcaster drops too). Stopping flushes without waiting.
 */

export interface EventQueueOptions<T> {
  /** Writes at once while launches are not bound. */
  readonly writers: number;
  /** Writes at once otherwise (default `writers`): a backlog of events drains faster once the bindings are in. */
  readonly idleWriters?: number;
  /** Events of each kind (Warning, Normal) that may wait; one more is refused. */
  readonly backlog: number;
  /** While launches are not bound, a Normal event starts at most once per this many milliseconds. */
  readonly busyIntervalMs: number;
  /** A Normal event that has waited this long is written without the trickle. */
  readonly maxWaitMs: number;
  readonly busy: () => boolean;
  readonly now: () => number;
  /** A one-shot timer; returns a cancel. */
  readonly after: (ms: number, f: () => void) => () => void;
  /** Writes one event; never rejects (the caller logs failures). */
  readonly write: (item: T) => Promise<void>;
}

/** A FIFO with O(1) take (an array and a head index, compacted now and then). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(v: T): void {
    this.items.push(v);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  take(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const v = this.items[this.head]!;
    (this.items as Array<T | undefined>)[this.head] = undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }
}

export class EventQueue<T> {
  private readonly urgent = new Fifo<T>();
  private readonly normal = new Fifo<{ item: T; at: number }>();
  /** When the next Normal event may start while launches are not bound. */
  private nextPacedAt = Number.NEGATIVE_INFINITY;
  private writing = 0;
  private flushing = false;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private drained: Array<() => void> = [];

  constructor(private readonly o: EventQueueOptions<T>) {}

  /** Events waiting or being written. */
  get size(): number {
    return this.urgent.size + this.normal.size + this.writing;
  }

  /** Queues an event; false when the backlog is full (the event is dropped). */
  push(item: T, urgent: boolean): boolean {
    if ((urgent ? this.urgent.size : this.normal.size) >= this.o.backlog) return false;
    if (urgent) this.urgent.push(item);
    else this.normal.push({ item, at: this.o.now() });
    this.pump();
    return true;
  }

  /** Launches were bound (or the queue should look again): writes what may go now. */
  pump(): void {
    const idle = this.o.idleWriters ?? this.o.writers;
    while (this.writing < this.o.writers || (this.writing < idle && (this.flushing || !this.o.busy()))) {
      let next = this.urgent.take();
      if (next === undefined) {
        const head = this.normal.peek();
        if (head === undefined) break;
        if (!this.flushing && this.o.busy()) {
          const now = this.o.now();
          const overdue = head.at + this.o.maxWaitMs;
          if (now < overdue) {
            if (now < this.nextPacedAt) {
              this.armTimer(Math.min(this.nextPacedAt, overdue), now);
              break;
            }
            this.nextPacedAt = now + this.o.busyIntervalMs;
          }
        }
        next = this.normal.take()!.item;
      }
      this.writing++;
      void this.o.write(next).finally(() => {
        this.writing--;
        this.pump();
        if (this.size === 0) for (const f of this.drained.splice(0)) f();
      });
    }
  }

  /** Writes everything left without waiting for launches; resolves when done, or after `ms`. */
  flush(ms: number): Promise<void> {
    this.flushing = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.pump();
    if (this.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const cancel = this.o.after(ms, resolve);
      this.drained.push(() => {
        cancel();
        resolve();
      });
    });
  }

  private armTimer(due: number, now: number): void {
    if (this.cancelTimer && this.timerAt <= due) return;
    this.cancelTimer?.();
    this.timerAt = due;
    this.cancelTimer = this.o.after(Math.max(0, due - now), () => {
      this.cancelTimer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    });
  }
}
