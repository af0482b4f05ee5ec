/**
 * Fakes for the scheduler loop (test/scheduler, test/cmd): a Mesos v1 scheduler client whose
 * sessions take events from the test and record every call, and an apiserver port holding pods,
 * Nodes, events and ConfigMaps in memory with a pod watch the test feeds.
 */
import { ClientError } from '../../src/clients/errors.js';
import type { SchedulerClient, SchedulerSession, SubscribeOptions, V1Call, V1Event } from '../../src/clients/mesos/scheduler-api.js';
import type { Json, PodWatchEvent, SchedulerKube } from '../../src/scheduler/kube.js';
import { WatchExpired } from '../../src/scheduler/kube.js';

/** An async queue: push values, iterate them; `end()` ends iteration, `fail(e)` throws e to the reader. */
export class Channel<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting: Array<(r: IteratorResult<T>) => void> = [];
  private failWaiting: Array<(e: unknown) => void> = [];
  private done = false;
  private error: Error | undefined;

  push(v: T): void {
    const w = this.waiting.shift();
    this.failWaiting.shift();
    if (w) w({ value: v, done: false });
    else this.items.push(v);
  }

  end(): void {
    this.done = true;
    for (const w of this.waiting.splice(0)) w({ value: undefined as never, done: true });
    this.failWaiting = [];
  }

  fail(e: Error): void {
    this.error = e;
    for (const f of this.failWaiting.splice(0)) f(e);
    this.waiting = [];
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.error !== undefined) return Promise.reject(this.error);
        if (this.done) return Promise.resolve({ value: undefined as never, done: true });
        return new Promise((resolve, reject) => {
          this.waiting.push(resolve);
          this.failWaiting.push(reject);
        });
      },
    };
  }
}

export class FakeSession implements SchedulerSession {
  readonly events$ = new Channel<V1Event>();
  readonly calls: Array<Omit<V1Call, 'framework_id'>> = [];
  closed = false;
  /** Make the next calls of this type fail. */
  failTypes = new Set<string>();
  /** Calls of these types do not answer until `release()` (a slow master). */
  holdTypes = new Set<string>();
  private held: Array<() => void> = [];
  readonly heartbeatIntervalSeconds = 15;
  readonly leader = 'http://127.0.0.1:5050';
  readonly streamId = 'stream-1';

  constructor(
    readonly frameworkId: string,
    private readonly onCall: () => void,
  ) {}

  events(): AsyncIterable<V1Event> {
    return this.events$;
  }

  async call(call: Omit<V1Call, 'framework_id'>): Promise<void> {
    if (this.closed) throw new ClientError({ kind: 'forbidden', reason: 'stream-invalid', service: 'mesos-master', message: 'stream gone' });
    this.calls.push(call);
    this.onCall();
    if (this.holdTypes.has(String(call.type))) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failTypes.has(String(call.type))) throw new ClientError({ kind: 'server', service: 'mesos-master', status: 503, message: 'master busy' });
  }

  /** Answers the held calls. */
  release(): void {
    this.holdTypes.clear();
    for (const r of this.held.splice(0)) r();
  }

  close(): void {
    this.closed = true;
    this.events$.end();
  }
}

export class FakeSchedulerClient implements SchedulerClient {
  readonly subscriptions: SubscribeOptions[] = [];
  readonly sessions: FakeSession[] = [];
  private waiters: Array<() => void> = [];
  private n = 0;

  constructor(private readonly frameworkId = 'fw-0001') {}

  async subscribe(opts: SubscribeOptions): Promise<SchedulerSession> {
    this.subscriptions.push(opts);
    const given = (opts.frameworkInfo.id as { value?: string } | undefined)?.value;
    const s = new FakeSession(given ?? `${this.frameworkId}-${this.n++}`, () => this.wake());
    opts.signal?.addEventListener('abort', () => s.close(), { once: true });
    this.sessions.push(s);
    this.wake();
    return s;
  }

  get session(): FakeSession {
    return this.sessions[this.sessions.length - 1]!;
  }

  /** Every call of every session, in order. */
  get calls(): Array<Omit<V1Call, 'framework_id'>> {
    return this.sessions.flatMap((s) => s.calls);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `pred` holds (checked after every call and subscription); rejects after many turns. */
  async until(pred: () => boolean, what = 'condition'): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (pred()) return;
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), new Promise((r) => setImmediate(r))]);
    }
    if (!pred()) throw new Error(`timed out waiting for ${what}; calls: ${JSON.stringify(this.calls.map((c) => c.type))}`);
  }
}

export class FakeSchedulerKube implements SchedulerKube {
  pods = new Map<string, Json>();
  readonly nodes = new Map<string, Record<string, string>>();
  readonly events: Json[] = [];
  readonly configMaps = new Map<string, Record<string, string>>();
  readonly deleted: string[] = [];
  watch = new Channel<PodWatchEvent>();
  lists = 0;
  private rv = 1;

  constructor(pods: Json[] = []) {
    for (const p of pods) this.pods.set(this.key(p), p);
  }

  private key(p: Json): string {
    const m = p.metadata as { namespace?: string; name: string };
    return `${m.namespace ?? 'default'}/${m.name}`;
  }

  /** Adds or changes a pod and tells the watch. */
  put(p: Json): void {
    const k = this.key(p);
    const type = this.pods.has(k) ? 'MODIFIED' : 'ADDED';
    (p.metadata as Record<string, unknown>).resourceVersion = String(++this.rv);
    this.pods.set(k, p);
    this.watch.push({ type, pod: p });
  }

  remove(namespace: string, name: string): void {
    const p = this.pods.get(`${namespace}/${name}`);
    if (!p) return;
    this.pods.delete(`${namespace}/${name}`);
    this.watch.push({ type: 'DELETED', pod: p });
  }

  /** The watch answers 410: the loop lists again. */
  expire(): void {
    const old = this.watch;
    this.watch = new Channel<PodWatchEvent>();
    old.fail(new WatchExpired());
  }

  /** The next this-many lists fail (an apiserver that is down). */
  listFailures = 0;
  /** Node registrations of these hosts fail. */
  readonly failNodes = new Set<string>();
  /** Node and ConfigMap writes never answer (an apiserver that went quiet). */
  hangWrites = false;

  /** Pods per page of a list (the real port pages by 500). */
  listPageSize = 2;

  /** Whether each list asked for the watch cache (`fromCache`), in order. */
  readonly listsFromCache: boolean[] = [];

  async listPods(onPage: (pods: Json[]) => void, o: { fromCache?: boolean } = {}): Promise<string> {
    this.lists++;
    this.listsFromCache.push(o.fromCache === true);
    if (this.listFailures > 0) {
      this.listFailures--;
      throw new Error('apiserver: 503 Service Unavailable');
    }
    const all = [...this.pods.values()];
    const rv = String(this.rv);
    for (let i = 0; i < all.length || i === 0; i += this.listPageSize) {
      onPage(all.slice(i, i + this.listPageSize));
      await Promise.resolve();
    }
    return rv;
  }

  /** The resourceVersion each watch started from, in order. */
  readonly watchFrom: string[] = [];
  private readonly endedWatches = new WeakSet<Channel<PodWatchEvent>>();

  /** A bookmark on the watch: nothing changed up to `rv`. */
  bookmark(rv: string): void {
    this.watch.push({ type: 'BOOKMARK', pod: { metadata: { resourceVersion: rv } } });
  }

  /** The apiserver ends the watch (its timeout): the loop watches again. */
  endWatch(): void {
    const old = this.watch;
    this.watch = new Channel<PodWatchEvent>();
    this.endedWatches.add(old);
    old.end();
  }

  async *watchPods(rv: string, signal: AbortSignal): AsyncIterable<PodWatchEvent> {
    this.watchFrom.push(rv);
    const ch = this.watch;
    signal.addEventListener('abort', () => ch.end(), { once: true });
    for await (const ev of ch) yield ev;
    if (this.endedWatches.has(ch)) return;
    if (!signal.aborted) await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
  }

  /** Node writes made (applyNode calls). */
  nodeWriteCount = 0;

  async listNodes(): Promise<Map<string, Record<string, string>>> {
    return new Map([...this.nodes].map(([k, v]) => [k, { ...v }]));
  }

  /** The Nodes written, in the order the writes were asked. */
  readonly nodeWriteOrder: string[] = [];

  async applyNode(name: string, labels: Record<string, string>): Promise<void> {
    this.nodeWriteCount++;
    this.nodeWriteOrder.push(name);
    if (this.hangWrites) await new Promise<never>(() => {});
    if (this.failNodes.has(name)) throw new Error(`apiserver: 500 creating Node ${name}`);
    this.nodes.set(name, { ...(this.nodes.get(name) ?? {}), ...labels });
  }

  /** When set, event writes wait for `releaseEvents()` (a slow apiserver); `eventWritesAtOnce` is the most seen waiting. */
  holdEvents = false;
  eventWritesAtOnce = 0;
  private eventWrites = 0;
  private heldEvents: Array<() => void> = [];

  async createEvent(_ns: string, event: Json): Promise<void> {
    this.eventWrites++;
    this.eventWritesAtOnce = Math.max(this.eventWritesAtOnce, this.eventWrites);
    if (this.holdEvents) await new Promise<void>((resolve) => this.heldEvents.push(resolve));
    this.eventWrites--;
    this.events.push(event);
  }

  releaseEvents(): void {
    this.holdEvents = false;
    for (const r of this.heldEvents.splice(0)) r();
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    this.deleted.push(`${namespace}/${name}`);
    this.remove(namespace, name);
  }

  /** The next this-many ConfigMap reads fail (an apiserver that is down). */
  configMapReadFailures = 0;

  async getConfigMap(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    if (this.configMapReadFailures > 0) {
      this.configMapReadFailures--;
      throw new Error('apiserver: connection refused');
    }
    return this.configMaps.get(`${namespace}/${name}`);
  }

  async putConfigMap(namespace: string, name: string, data: Record<string, string>): Promise<void> {
    if (this.hangWrites) await new Promise<never>(() => {});
    this.configMaps.set(`${namespace}/${name}`, { ...data });
  }

  async deleteConfigMap(namespace: string, name: string): Promise<void> {
    this.configMaps.delete(`${namespace}/${name}`);
  }
}
