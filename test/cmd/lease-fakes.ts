/**
 * A Lease store in memory for `--leader-elect` (src/scheduler/leader.ts): resourceVersion
 * concurrency as the apiserver's (409 → LeaseConflict), every request recorded, and a switch that
 * makes requests hang (an apiserver gone quiet).
 */
import type { LeaseSpec } from '../../src/core/scheduler/lease.js';
import { LeaseConflict, type LeaseStore, type StoredLease } from '../../src/scheduler/leader.js';
import { Channel } from './scheduler-fakes.js';

export class FakeLeaseStore implements LeaseStore {
  /** Set by `new FakeLeaseStore({ watch: true })`: every later change is told to the watchers. */
  readonly watchLease?: (namespace: string, name: string, resourceVersion: string, signal: AbortSignal) => AsyncIterable<StoredLease | undefined>;
  private readonly watchers = new Set<{ key: string; ch: Channel<StoredLease | undefined> }>();
  watches = 0;

  constructor(o: { watch?: boolean } = {}) {
    if (o.watch)
      this.watchLease = (namespace, name, _rv, signal) => {
        const w = { key: `${namespace}/${name}`, ch: new Channel<StoredLease | undefined>() };
        this.watchers.add(w);
        this.watches++;
        signal.addEventListener(
          'abort',
          () => {
            this.watchers.delete(w);
            w.ch.end();
          },
          { once: true },
        );
        return w.ch;
      };
  }

  readonly leases = new Map<string, StoredLease>();
  readonly requests: Array<{ op: 'get' | 'create' | 'update'; key: string; spec?: LeaseSpec }> = [];
  /** Requests made while set never answer. */
  hang = false;
  private rv = 100;
  private waiters: Array<() => void> = [];

  put(namespace: string, name: string, spec: LeaseSpec): void {
    const key = `${namespace}/${name}`;
    const l = { spec, resourceVersion: String(++this.rv) };
    this.leases.set(key, l);
    for (const w of this.watchers) if (w.key === key) w.ch.push({ spec: { ...spec }, resourceVersion: l.resourceVersion });
  }

  get(namespace: string, name: string): StoredLease | undefined {
    return this.leases.get(`${namespace}/${name}`);
  }

  private async record(op: 'get' | 'create' | 'update', key: string, spec?: LeaseSpec): Promise<void> {
    this.requests.push({ op, key, ...(spec ? { spec } : {}) });
    for (const w of this.waiters.splice(0)) w();
    if (this.hang) await new Promise<never>(() => undefined);
  }

  /** Resolves once `pred` holds, checked after every request. */
  async until(pred: () => boolean): Promise<void> {
    while (!pred()) await new Promise<void>((r) => this.waiters.push(r));
  }

  async getLease(namespace: string, name: string): Promise<StoredLease | undefined> {
    const key = `${namespace}/${name}`;
    await this.record('get', key);
    const l = this.leases.get(key);
    return l && { spec: { ...l.spec }, resourceVersion: l.resourceVersion };
  }

  async createLease(namespace: string, name: string, spec: LeaseSpec): Promise<string> {
    const key = `${namespace}/${name}`;
    await this.record('create', key, spec);
    if (this.leases.has(key)) throw new LeaseConflict();
    this.put(namespace, name, spec);
    return this.leases.get(key)!.resourceVersion;
  }

  async updateLease(namespace: string, name: string, spec: LeaseSpec, resourceVersion: string): Promise<string> {
    const key = `${namespace}/${name}`;
    await this.record('update', key, spec);
    if (this.leases.get(key)?.resourceVersion !== resourceVersion) throw new LeaseConflict();
    this.put(namespace, name, spec);
    return this.leases.get(key)!.resourceVersion;
  }
}
