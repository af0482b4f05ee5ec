import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { ClientError } from '../clients/errors.js';
import type { KubeClient } from '../clients/kube/kube-client.js';
import {
  afterWrite,
  holderOf,
  isLeading,
  nextTryDelay,
  nextWrite,
  observe,
  leaseFree,
  releaseWrite,
  untilFree,
  type ElectorState,
  type LeaseSpec,
  type LeaseTimings,
  type LeaseWrite,
} from '../core/scheduler/lease.js';
import type { Logger } from './log.js';

/**
 * `scheduler run --leader-elect`: the loop with the apiserver around the decisions of
 * src/core/scheduler/lease.ts. A port (like SchedulerKube) so that tests give it a fake store.
 */

export interface StoredLease {
  readonly spec: LeaseSpec;
  readonly resourceVersion: string;
}

/** Thrown by createLease/updateLease on 409: someone else wrote first. */
export class LeaseConflict extends Error {
  constructor() {
    super('the Lease was written by someone else (409 Conflict)');
    this.name = 'LeaseConflict';
  }
}

export interface LeaseStore {
  /** Undefined when there is no such Lease. */
  getLease(namespace: string, name: string): Promise<StoredLease | undefined>;
  /** The new resourceVersion; LeaseConflict when it exists. */
  createLease(namespace: string, name: string, spec: LeaseSpec): Promise<string>;
  /** Replaces the spec if the Lease is still at `resourceVersion`; the new resourceVersion; LeaseConflict otherwise. */
  updateLease(namespace: string, name: string, spec: LeaseSpec, resourceVersion: string): Promise<string>;
  /**
   * The Lease's changes after `resourceVersion` ('' : from now), undefined when it is deleted, until
   * the signal aborts or the apiserver ends the watch. Optional: without it candidates only read.
   */
  watchLease?(namespace: string, name: string, resourceVersion: string, signal: AbortSignal): AsyncIterable<StoredLease | undefined>;
}

const enc = encodeURIComponent;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function specOf(o: unknown): LeaseSpec {
  const s = (o as { spec?: Record<string, unknown> } | undefined)?.spec ?? {};
  return {
    holderIdentity: str(s.holderIdentity),
    leaseDurationSeconds: num(s.leaseDurationSeconds),
    acquireTime: str(s.acquireTime),
    renewTime: str(s.renewTime),
    leaseTransitions: num(s.leaseTransitions),
  };
}

const rvOf = (o: unknown): string => str((o as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion);

/** The Lease store on the real apiserver (`coordination.k8s.io/v1`). */
export function apiserverLeases(kube: Pick<KubeClient, 'requestJson' | 'watch'>): LeaseStore {
  const base = (ns: string) => `/apis/coordination.k8s.io/v1/namespaces/${enc(ns)}/leases`;
  const body = (ns: string, name: string, spec: LeaseSpec, resourceVersion?: string) => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: ns, ...(resourceVersion ? { resourceVersion } : {}) },
    spec,
  });
  const conflict = (e: unknown): never => {
    if (e instanceof ClientError && e.kind === 'conflict') throw new LeaseConflict();
    throw e;
  };
  return {
    async getLease(ns, name) {
      const o = await kube.requestJson('GET', `${base(ns)}/${enc(name)}`, {
        allowNotFound: true,
        action: { verb: 'get', resource: 'leases', name, namespace: ns },
      });
      return o === undefined ? undefined : { spec: specOf(o), resourceVersion: rvOf(o) };
    },
    async createLease(ns, name, spec) {
      const o = await kube
        .requestJson('POST', base(ns), { body: body(ns, name, spec), action: { verb: 'create', resource: 'leases', name, namespace: ns } })
        .catch(conflict);
      return rvOf(o);
    },
    async updateLease(ns, name, spec, resourceVersion) {
      const o = await kube
        .requestJson('PUT', `${base(ns)}/${enc(name)}`, {
          body: body(ns, name, spec, resourceVersion),
          action: { verb: 'update', resource: 'leases', name, namespace: ns },
        })
        .catch(conflict);
      return rvOf(o);
    },
    async *watchLease(ns, name, resourceVersion, signal) {
      const query = { fieldSelector: `metadata.name=${name}`, ...(resourceVersion ? { resourceVersion } : {}) };
      for await (const ev of kube.watch(base(ns), query, { verb: 'watch', resource: 'leases', namespace: ns }, signal)) {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') yield { spec: specOf(ev.object), resourceVersion: rvOf(ev.object) };
        else if (ev.type === 'DELETED') yield undefined;
        else if (ev.type === 'ERROR')
          throw new Error(`the watch of the lease ended: ${JSON.stringify((ev.object as { message?: unknown }).message ?? 'error')}`);
      }
    },
  };
}

/** kube-scheduler's identity: the host name, '_', a random UUID. */
export function leaderIdentity(host = hostname()): string {
  return `${host}_${randomUUID()}`;
}

export interface LeaderElectorConfig extends LeaseTimings {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
}

export interface LeaderElectorDeps {
  readonly store: LeaseStore;
  readonly log: Logger;
  /** A monotonic clock (ms): every decision. A wall clock step must not make a leader lead longer, or a candidate take over early. */
  readonly now: () => number;
  /** The wall clock (ms since the epoch), only for the times written in the Lease; default `now`. */
  readonly wall?: () => number;
  /** Resolves after ms; rejects when the signal aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class Timeout extends Error {}

/**
 * Acquires, renews and releases the Lease. `acquire` resolves once leading; `keepLeading` renews
 * every retry period until the signal aborts ('stopped') or a renewal could not be made before the
 * renew deadline ('lost', decided on time: a request still under way then is abandoned).
 */
export class LeaderElector {
  private state: ElectorState = {};
  private lastHolder: string | undefined;

  constructor(
    private readonly cfg: LeaderElectorConfig,
    private readonly d: LeaderElectorDeps,
  ) {}

  private wall(): number {
    return (this.d.wall ?? this.d.now)();
  }

  get lease(): string {
    return `${this.cfg.namespace}/${this.cfg.name}`;
  }

  /** The holder last read ('' for none). */
  get holder(): string {
    return holderOf(this.state.observed);
  }

  leading(): boolean {
    return isLeading(this.state, this.d.now());
  }

  /** `p`, or Timeout once `ms` have passed, or the signal's abort. */
  private within<T>(p: Promise<T>, ms: number, signal: AbortSignal): Promise<T> {
    const ctl = new AbortController();
    const onAbort = (): void => ctl.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const timer = this.d.sleep(Math.max(0, ms), ctl.signal).then(
      () => {
        throw new Timeout(`no answer within ${ms}ms`);
      },
      () => {
        throw new Timeout('stopped');
      },
    );
    p.catch(() => undefined);
    return Promise.race([p, timer]).finally(() => {
      ctl.abort();
      signal.removeEventListener('abort', onAbort);
    });
  }

  private async write(w: LeaseWrite): Promise<string> {
    return w.kind === 'create'
      ? this.d.store.createLease(this.cfg.namespace, this.cfg.name, w.spec)
      : this.d.store.updateLease(this.cfg.namespace, this.cfg.name, w.spec, w.resourceVersion);
  }

  /**
   * One try (client-go's tryAcquireOrRenew): a leader writes on what it wrote last; otherwise (or
   * after a 409) read, and write if the Lease is ours, free or absent. True when we lead after it.
   */
  private async tryOnce(deadlineMs: number, signal: AbortSignal): Promise<boolean> {
    const c = this.cfg;
    if (this.leading() && this.state.observed) {
      const started = this.d.now();
      const w = nextWrite(c.identity, c, this.state.observed, started, this.wall());
      if (w) {
        try {
          const rv = await this.within(this.write(w), deadlineMs - started, signal);
          this.state = afterWrite(c.identity, c, w, rv, started, this.d.now());
          return this.leading();
        } catch (e) {
          if (!(e instanceof LeaseConflict)) throw e;
        }
      }
    }
    const got = await this.within(this.d.store.getLease(c.namespace, c.name), deadlineMs - this.d.now(), signal);
    const seen = this.d.now();
    this.state = { ...this.state, observed: observe(this.state.observed, got, seen) };
    const started = this.d.now();
    const w = nextWrite(c.identity, c, this.state.observed!, started, this.wall());
    if (!w) {
      const holder = this.holder;
      if (holder !== this.lastHolder) {
        this.lastHolder = holder;
        this.d.log.info(0, 'waiting for the lease', { lease: this.lease, holder, identity: c.identity });
      }
      return false;
    }
    try {
      const rv = await this.within(this.write(w), deadlineMs - started, signal);
      this.state = afterWrite(c.identity, c, w, rv, started, this.d.now());
    } catch (e) {
      if (e instanceof LeaseConflict) return false;
      throw e;
    }
    return this.leading();
  }

  /**
   * Tries every retry period (jittered), and at the instant the Lease read expires, until leading
   * (true) or the signal aborts (false). With a store that watches, the Lease is also watched
   * meanwhile: each change is seen when it happens rather than at the next read (a dead leader's
   * Lease is then taken a lease duration after its last renewal, not up to a retry period later),
   * and a released or deleted Lease is tried at once.
   */
  async acquire(signal: AbortSignal): Promise<boolean> {
    const random = this.d.random ?? Math.random;
    const watchCtl = new AbortController();
    const stopWatch = (): void => watchCtl.abort();
    signal.addEventListener('abort', stopWatch, { once: true });
    let watching: Promise<void> | undefined;
    let wake: (() => void) | undefined;
    try {
      while (!signal.aborted) {
        try {
          if (await this.tryOnce(this.d.now() + this.cfg.renewDeadlineMs, signal)) {
            const o = this.state.observed!.spec!;
            this.d.log.info(0, 'acquired the lease', { lease: this.lease, identity: this.cfg.identity, leaseTransitions: o.leaseTransitions });
            return true;
          }
        } catch (e) {
          if (signal.aborted) break;
          this.d.log.warn('cannot read or write the lease', { lease: this.lease, error: errText(e) });
        }
        if (!watching && this.state.observed) watching = this.watchWhileWaiting(watchCtl.signal, () => wake?.());
        // The next jittered try, or the instant the Lease read expires if sooner (never 0: a free Lease that could not be taken waits a retry period).
        const jittered = nextTryDelay(this.cfg, false, random());
        const free = this.state.observed ? untilFree(this.state.observed, this.d.now()) : 0;
        const nap = new AbortController();
        const onStop = (): void => nap.abort();
        signal.addEventListener('abort', onStop, { once: true });
        wake = onStop;
        try {
          await this.d.sleep(free > 0 ? Math.min(jittered, free) : jittered, nap.signal);
        } catch {
          // woken by the watch, or stopped
        } finally {
          wake = undefined;
          signal.removeEventListener('abort', onStop);
        }
      }
      return false;
    } finally {
      watchCtl.abort();
      signal.removeEventListener('abort', stopWatch);
      await watching;
    }
  }

  /** Follows the Lease while waiting for it (see acquire); after a broken watch, watches again a retry period later. */
  private async watchWhileWaiting(signal: AbortSignal, wake: () => void): Promise<void> {
    const store = this.d.store;
    if (!store.watchLease) return;
    const c = this.cfg;
    while (!signal.aborted) {
      try {
        for await (const got of store.watchLease(c.namespace, c.name, this.state.observed?.resourceVersion ?? '', signal)) {
          const now = this.d.now();
          const observed = observe(this.state.observed, got, now);
          this.state = { ...this.state, observed };
          if (holderOf(observed) !== c.identity && leaseFree(observed, now)) wake();
        }
      } catch (e) {
        if (signal.aborted) return;
        this.d.log.info(2, 'the watch of the lease broke; reading it every retry period meanwhile', { lease: this.lease, error: errText(e) });
      }
      try {
        await this.d.sleep(c.retryPeriodMs, signal);
      } catch {
        return;
      }
    }
  }

  /**
   * Renews every retry period while leading. 'lost' as soon as the renew deadline passes without a
   * renewal (whatever is under way), 'stopped' when the signal aborts.
   */
  async keepLeading(signal: AbortSignal): Promise<{ end: 'stopped' } | { end: 'lost'; why: string }> {
    let why = 'no renewal';
    let delay = this.cfg.retryPeriodMs;
    for (;;) {
      const until = this.state.leadingUntil ?? 0;
      try {
        await this.d.sleep(Math.min(delay, Math.max(0, until - this.d.now())), signal);
      } catch {
        return { end: 'stopped' };
      }
      if (!this.leading()) return { end: 'lost', why };
      try {
        if (await this.tryOnce(until, signal)) {
          delay = nextTryDelay(this.cfg, true, 0);
          continue;
        }
        if (signal.aborted) return { end: 'stopped' };
        why = this.holder && this.holder !== this.cfg.identity ? `the lease is held by ${this.holder}` : 'the lease could not be renewed';
        // Someone else holds it: we may not lead any more, whatever the deadline says.
        if (this.holder !== this.cfg.identity) {
          this.state = { ...(this.state.observed ? { observed: this.state.observed } : {}) };
          return { end: 'lost', why };
        }
      } catch (e) {
        if (signal.aborted) return { end: 'stopped' };
        why = e instanceof Timeout ? `no answer from the apiserver before the renew deadline` : errText(e);
        this.d.log.warn('cannot renew the lease', { lease: this.lease, error: errText(e) });
      }
      delay = this.cfg.retryPeriodMs;
    }
  }

  /** Gives the Lease up (after the work has stopped): empty holder, 1 s. Best effort, bounded by the renew deadline. */
  async release(): Promise<boolean> {
    const c = this.cfg;
    const started = this.d.now();
    const deadline = started + c.renewDeadlineMs;
    const never = new AbortController().signal;
    // Not leading from here on, whatever the writes do.
    this.state = { ...(this.state.observed ? { observed: this.state.observed } : {}) };
    try {
      // A renewal abandoned when the work stopped may still land first: then the Lease has another
      // resourceVersion (409), and is read again; it is released if it is still ours.
      for (let attempt = 0; attempt < 3; attempt++) {
        const now = this.d.now();
        const w = releaseWrite(c.identity, this.state.observed, this.wall());
        if (!w) return false;
        try {
          const rv = await this.within(this.write(w), deadline - now, never);
          this.state = afterWrite(c.identity, c, w, rv, now, this.d.now());
          this.d.log.info(0, 'released the lease', { lease: this.lease });
          return true;
        } catch (e) {
          if (!(e instanceof LeaseConflict)) throw e;
        }
        const got = await this.within(this.d.store.getLease(c.namespace, c.name), deadline - this.d.now(), never);
        this.state = { observed: observe(this.state.observed, got, this.d.now()) };
      }
      throw new LeaseConflict();
    } catch (e) {
      this.d.log.warn('cannot release the lease', { lease: this.lease, error: errText(e) });
      return false;
    }
  }
}
