/**
 * A Lease store in memory for `--leader-elect` (src/scheduler/leader.ts): resourceVersion
 * concurrency as the apiserver's (409 → LeaseConflict), every request recorded, and a switch that
 * makes requests hang (an apiserver gone quiet).
 */
import type { LeaseSpec } from '../../src/core/scheduler/lease.js';
import { LeaseConflict, type LeaseStore, type StoredLease } from '../../src/scheduler/leader.js';

export class FakeLeaseStore implements LeaseStore {
  readonly leases = new Map<string, StoredLease>();
  readonly requests: Array<{ op: 'get' | 'create' | 'update'; key: string; spec?: LeaseSpec }> = [];
  /** Requests made while set never answer. */
  hang = false;
  private rv = 100;
  private waiters: Array<() => void> = [];

  put(namespace: string, name: string, spec: LeaseSpec): void {
    this.leases.set(`${namespace}/${name}`, { spec, resourceVersion: String(++this.rv) });
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
