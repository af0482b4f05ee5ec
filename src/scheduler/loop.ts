import pLimit from 'p-limit';
import { ClientError } from '../clients/errors.js';
import type { SchedulerClient, SchedulerSession, V1Event } from '../clients/mesos/scheduler-api.js';
import type { NodeObject, PodObject } from '../core/diagnose/model.js';
import { shapeKey } from '../core/diagnose/agents.js';
import { asRecord } from '../core/json-shapes.js';
import { k8smPod, type K8smPod, type PodAllocation } from '../core/k8sm/fit.js';
import { ANNOTATION, K8SM_PREFIX, MIRROR_ANNOTATION } from '../core/k8sm/keys.js';
import { nodeLabelsOf } from '../core/k8sm/node-labels.js';
import type { K8smScheduler } from '../core/k8sm/scheduler.js';
import {
  acceptCall,
  acknowledgeCall,
  declineCall,
  killCall,
  messageCall,
  needsAcknowledge,
  reconcileCall,
  reviveCall,
  suppressCall,
  teardownCall,
  type SchedulerCall,
} from '../core/mesos/scheduler-calls.js';
import { afterFailure, mayTry, type PodBackoff } from '../core/scheduler/backoff.js';
import type { ExecutorPrototype } from '../core/scheduler/executor.js';
import { failedSchedulingMessage, type AgentView } from '../core/scheduler/failed-scheduling.js';
import { offerIncompatibility, parseOffer, type SchedOffer } from '../core/scheduler/offers.js';
import { placePods, type PendingPod } from '../core/scheduler/placement.js';
import { awaitsScheduling, controllerUidOf, schedulerNameOf } from '../core/scheduler/pods.js';
import { answered, implicitDue, resendDue, startExplicit, type ExplicitReconciliation, type ReconcileTask } from '../core/scheduler/reconcile.js';
import { decideStatus } from '../core/scheduler/status.js';
import { frameworkIdRemoved, subscribeRefusedForGood } from '../core/scheduler/framework-error.js';
import { buildTask, launchablePod, newExecutorResources, podKeyOfTaskName, runningExecutorResources } from '../core/scheduler/task.js';
import type { SchedulerKube, Json } from './kube.js';
import { WatchExpired } from './kube.js';
import type { Logger } from './log.js';
import type { SchedulerMetrics } from './metrics.js';
import { EventQueue } from './event-queue.js';

/**
 * REVIVE when pods arrive while declined offers are filtered (--offer-refuse-seconds): at most once
 * per this period (Mesos' default allocation interval), after a short wait that gathers the pods of
 * one burst into one allocation cycle.
 */
export const REVIVE_MIN_INTERVAL_MS = 1_000;
export const REVIVE_GATHER_MS = 100;
/** A subscription that was up at least this long and ended is made again after RESUBSCRIBE_QUICK_MS, not after the backoff. */
const RESUBSCRIBE_QUICK_AFTER_UP_MS = 1_000;
const RESUBSCRIBE_QUICK_MS = 50;
/** How long a takeover waits for the master's list of the framework's tasks. */
const LIVE_TASKS_TIMEOUT_MS = 10_000;
/** How long an ACCEPT waits for its host's Node to be registered before the offer is declined instead (k8sm's offer TTL is 5 s). */
const NODE_WAIT_MS = 2_000;
/** A Node of a host that got no pod waits at most this long for the launches under way to be bound. */
const NODE_DEFER_MAX_MS = 30_000;
/** An offer declined because its host's Node is not registered yet comes back this soon. */
const NODE_RETRY_REFUSE_SECONDS = 1;
/** How long the start waits for the list of existing Nodes. */
const NODE_LIST_WAIT_MS = 5_000;

/**
 * Event writes at once, and how many may wait before new ones are dropped. Few at a time: an Event
 * costs the apiserver about what a Binding costs, and in a burst of launches the bindings come first
 * (with 8 writers, the Scheduled events of a 2,000-pod backlog nearly doubled the time to bound);
 * the events follow (src/scheduler/event-queue.ts). A waiting event is a few hundred bytes.
 */
const EVENT_WRITERS = 2;
/** Event writes at once when every launch is bound. */
const EVENT_WRITERS_IDLE = 8;
/**
 * While launches wait for their bindings, a Normal event is written once per this interval (20 a
 * second; see EventQueue); the rest follow once every launch is bound. kube-scheduler's own client is
 * limited to 50 requests a second, its events included.
 */
export const EVENT_PACE_MS = 50;
/** A Normal event waits at most this long for the trickle (then `EVENT_WRITERS` at a time). */
const EVENT_MAX_WAIT_MS = 30_000;
/** How long a stopping scheduler waits for its last events to be written (under the 2 s the process gives a command after a signal, src/lib/factory.ts). */
const EVENT_FLUSH_MS = 1_500;
/** ACCEPT calls under way at once (fewer than the client's CALL_CONNECTIONS: a DECLINE always finds a connection). */
const ACCEPT_CALLS = 24;
/** Times a DECLINE is sent before its offers are left to the next subscription. */
const DECLINE_TRIES = 3;
const EVENT_BACKLOG = 20_000;

/**
 * The scheduler loop (issue 10): a pod informer, the Mesos subscription, and the state between them.
 * Every decision is a pure function of src/core/scheduler; this file only keeps state, orders the
 * work (one Mesos event at a time, so nothing is done twice) and talks through its ports.
 */

export const EVENT_SOURCE = 'default-scheduler';

export interface SchedulerConfig {
  /** Pods with this spec.schedulerName (absent = `default-scheduler`) are ours. */
  readonly schedulerName: string;
  readonly frameworkName: string;
  readonly mesosUser: string;
  /** The FrameworkInfo role: the first non-`*` framework role, else `*` (k8sm uses one role, §1.1). */
  readonly frameworkRole: string;
  readonly checkpoint: boolean;
  /** Seconds; <= 0: none (and a stored framework id is removed). */
  readonly failoverTimeoutSeconds: number;
  readonly frameworkWebUri?: string;
  readonly principal?: string;
  readonly offerRefuseSeconds: number;
  /** Implicit reconciliation period; 0 disables it. */
  readonly reconcileIntervalMs: number;
  readonly frameworkStoreNamespace: string;
  readonly teardownOnExit: boolean;
  readonly scheduler: K8smScheduler;
  readonly executor: ExecutorPrototype;
}

export interface SchedulerDeps {
  readonly client: SchedulerClient;
  readonly kube: SchedulerKube;
  readonly log: Logger;
  readonly metrics: SchedulerMetrics;
  readonly now: () => number;
  readonly newTaskId: () => string;
  /** Fires to stop (SIGINT/SIGTERM). */
  readonly signal: AbortSignal;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Timers (the implicit reconciliation and the framework-id refresh); default setInterval. */
  readonly every?: (ms: number, f: () => void) => () => void;
  /**
   * The framework's live tasks as the master lists them (task name `<pod>.<namespace>.pod`). Asked
   * once, when this process takes over a framework id: a pod launched just before a restart is not
   * bound yet, carries no annotation, and would otherwise be launched a second time.
   */
  readonly liveTasks?: (frameworkId: string) => Promise<ReadonlyArray<{ id: string; name: string; agentId: string; state: string }>>;
  /**
   * Every framework's live tasks as the master lists them. Asked once, when the master registered a
   * new framework while pods name k8sm tasks: those tasks are not this framework's (km's framework
   * before a move to this scheduler, a lost or other framework id), and the ones still running under
   * another framework are left alone instead of being reconciled, heard "unknown" and their pods deleted.
   */
  readonly allLiveTasks?: () => Promise<ReadonlyArray<{ id: string; frameworkId: string; frameworkName: string }>>;
  /** A one-shot timer (the revive of new pods); default setTimeout. Returns a cancel. */
  readonly after?: (ms: number, f: () => void) => () => void;
}

export interface RunResult {
  readonly frameworkId?: string;
  /** stopped: a signal; framework-error: the master ended the framework (ERROR event); refused: it refused the SUBSCRIBE for good (`error`). */
  readonly end: 'stopped' | 'framework-error' | 'refused';
  readonly message?: string;
  readonly error?: ClientError;
  /** framework-error of a removed framework (`frameworkIdRemoved`): whether its id left the ConfigMap. */
  readonly idRemoved?: 'forgotten' | 'still-stored';
  /** The ConfigMap that keeps the framework id, `namespace/name`. */
  readonly store?: string;
}

interface Pending extends PendingPod {
  readonly uid: string;
  pod: Json;
  kp: K8smPod;
  readonly since: number;
  backoff?: PodBackoff;
  lastEvent?: { at: number; message: string };
}

/** A pod placed on an offer, until its ACCEPT is sent (pod and kp are let go then). */
interface Launch {
  readonly key: string;
  readonly uid: string;
  readonly since: number;
  /** What the Scheduled event names. */
  readonly ref: Json;
  readonly taskId: string;
  readonly allocation: PodAllocation;
  /** The ExecutorInfo resources of the executor already on the host (when this launch does not start it). */
  readonly running?: ReadonlyArray<Json>;
  pod?: Json;
  kp?: K8smPod;
}

interface TaskRec {
  readonly taskId: string;
  readonly podKey: string;
  readonly podUid: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly owner?: string;
  phase: 'launched' | 'bound' | 'running';
  deleted: boolean;
  /** The ACCEPT call failed: the master may not know the task (reconciled; a terminal answer requeues the pod). */
  unconfirmed?: boolean;
}

const meta = (pod: Json): Record<string, unknown> => asRecord(pod.metadata) ?? {};
const specOf = (pod: Json): Record<string, unknown> => asRecord(pod.spec) ?? {};
const annotationsOf = (pod: Json): Record<string, unknown> => asRecord(meta(pod).annotations) ?? {};

export function podKeyOf(pod: Json): string {
  const m = meta(pod);
  return `${typeof m.namespace === 'string' && m.namespace ? m.namespace : 'default'}/${String(m.name)}`;
}

/** What k8sm's task recovery needs on a pod (`podtask.RecoverFrom`, §1.9). */
const RECOVERY_KEYS = [ANNOTATION.bindingHost, ANNOTATION.taskId, ANNOTATION.slaveId, ANNOTATION.offerId] as const;

/**
 * What the loop needs of a pod it will not launch: its identity, owner, phase, scheduler and node,
 * deletion, and the k8sm and mirror annotations (recovery, §1.12). Everything the loop reads of a
 * pod outside `pending` is in here.
 */
export function slimPod(pod: Json): Json {
  const m = meta(pod);
  const spec = specOf(pod);
  const ann: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(annotationsOf(pod))) if (k.startsWith(K8SM_PREFIX) || k === MIRROR_ANNOTATION) ann[k] = v;
  const refs = Array.isArray(m.ownerReferences) ? m.ownerReferences.filter((r) => asRecord(r)?.controller === true) : undefined;
  const phase = asRecord(pod.status)?.phase;
  return {
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      ...(m.resourceVersion !== undefined ? { resourceVersion: m.resourceVersion } : {}),
      ...(m.deletionTimestamp !== undefined ? { deletionTimestamp: m.deletionTimestamp } : {}),
      ...(Object.keys(ann).length ? { annotations: ann } : {}),
      ...(refs?.length ? { ownerReferences: refs } : {}),
    },
    spec: {
      ...(spec.schedulerName !== undefined ? { schedulerName: spec.schedulerName } : {}),
      ...(spec.nodeName !== undefined ? { nodeName: spec.nodeName } : {}),
    },
    ...(phase !== undefined ? { status: { phase } } : {}),
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `p`, or a rejection after `ms` ("no answer within N s"). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
      timer.unref?.();
    }),
  ]).finally(() => clearTimeout(timer));
}

/** What a Node is written from: an offer's host and attributes. */
type NodeSource = Pick<SchedOffer, 'hostname' | 'attributes'>;

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class SchedulerLoop {
  private session: SchedulerSession | undefined;
  private frameworkId: string | undefined;
  private stopping = false;
  private suppressed = false;
  private synced = false;
  private lastOfferAt = 0;
  /** Offers were declined (or the rest of an accepted one) since the last REVIVE: Mesos filters them for --offer-refuse-seconds. */
  private refusedSinceRevive = false;
  private lastReviveAt = Number.NEGATIVE_INFINITY;
  private cancelRevive: (() => void) | undefined;
  /** The SUPPRESS/REVIVE chain (controlCall), and a count of its calls (a failed SUPPRESS undoes its flag only if nothing came after it). */
  private control: Promise<unknown> = Promise.resolve();
  private controlEpoch = 0;
  /** ACCEPT/DECLINE calls under way: the event loop does not wait for them (offers are answered at once, status updates are not held up); stop waits. */
  private readonly inflight = new Set<Promise<unknown>>();
  /** Event writes: a few at a time, after the bindings, and dropped (logged) beyond a backlog. */
  private readonly events: EventQueue<{ namespace: string; ev: Json; podKey: string; reason: string }>;
  /** ACCEPT calls under way at once (each builds its TaskInfos when it goes). */
  private readonly acceptLimit = pLimit(ACCEPT_CALLS);
  private readonly subCtl = new AbortController();
  private readonly pending = new Map<string, Pending>();
  private readonly allPods = new Map<string, Json>();
  private readonly podByTaskId = new Map<string, string>();
  private readonly tasks = new Map<string, TaskRec>();
  private readonly taskByPod = new Map<string, string>();
  private readonly forgotten = new Set<string>();
  /** The master registered this framework anew at the first subscription (`setAsideForeignTasks`). */
  private newFramework = false;
  private foreignChecked = false;
  /** Tasks pods name that run under another framework: never reconciled, killed, or taken into the registry. */
  private readonly foreign = new Set<string>();
  private readonly siblings = new Map<string, Map<string, number>>();
  private readonly agents = new Map<string, AgentView>();
  private readonly nodeLabels = new Map<string, Record<string, string>>();
  private readonly executorResources = new Map<string, ReadonlyArray<Json>>();
  private readonly pendingKills = new Map<string, string>();
  private readonly phaseCounts: Record<TaskRec['phase'], number> = { launched: 0, bound: 0, running: 0 };
  /** The explicit reconciliation waiting for answers (§1.12), and the implicit one's times. */
  private explicit: ExplicitReconciliation | undefined;
  private firstSubscribedAt: number | undefined;
  private lastImplicitAt: number | undefined;
  /** Pods with some of k8sm's recovery annotations but not all (left alone, reported once per uid). */
  private readonly partialPods = new Map<string, string>();
  private readonly partialReported = new Set<string>();
  /** Pods whose launch failed, and their backoff for the next launch (dropped once one binds, or the pod goes). */
  private readonly relaunchBackoff = new Map<string, { uid: string; backoff: PodBackoff }>();
  /** After a takeover, the read of the master's live tasks under way (offers are declined until it is in). */
  private adopting: Promise<void> | undefined;
  private takeoverPending = false;
  private onFirstSync: () => void = () => {};
  private readonly firstSync = new Promise<void>((resolve) => (this.onFirstSync = resolve));
  /** Node registrations under way, by hostname (an ACCEPT on a host waits for its Node). */
  private readonly nodeWrites = new Map<string, Promise<void>>();
  /** Hosts offered while launches were under way whose Node is written once every launch is bound. */
  private readonly deferredNodes = new Map<string, NodeSource & { since: number }>();

  constructor(
    private readonly cfg: SchedulerConfig,
    private readonly d: SchedulerDeps,
  ) {
    for (const state of Object.keys(this.phaseCounts)) d.metrics.tasksByState.set({ state }, 0);
    this.events = new EventQueue({
      writers: EVENT_WRITERS,
      idleWriters: EVENT_WRITERS_IDLE,
      backlog: EVENT_BACKLOG,
      busyIntervalMs: EVENT_PACE_MS,
      maxWaitMs: EVENT_MAX_WAIT_MS,
      busy: () => this.phaseCounts.launched > 0,
      now: d.now,
      after: (ms, f) => this.after(ms, f),
      write: ({ namespace, ev, podKey, reason }) =>
        d.kube.createEvent(namespace, ev).catch((e: unknown) => d.log.warn('cannot record an event', { pod: podKey, reason, error: errText(e) })),
    });
  }

  /** A one-shot timer (deps' `after`, else an unref'd setTimeout); returns a cancel. */
  private after(ms: number, f: () => void): () => void {
    if (this.d.after) return this.d.after(ms, f);
    const t = setTimeout(f, ms);
    t.unref?.();
    return () => clearTimeout(t);
  }

  /** Subscribed and the pod list read. */
  get ready(): boolean {
    return this.session !== undefined && this.synced;
  }

  /** For tests and the debug log: pods waiting, tasks known. */
  pendingKeys(): string[] {
    return [...this.pending.keys()];
  }

  taskList(): ReadonlyArray<Readonly<TaskRec>> {
    return [...this.tasks.values()];
  }

  get suppressedNow(): boolean {
    return this.suppressed;
  }

  private get storeName(): string {
    const slug =
      this.cfg.frameworkName
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'framework';
    return `k8sm-framework-${slug}`.slice(0, 253);
  }

  // ---------------------------------------------------------------------------------------------
  // Framework id in the apiserver (§1.13, a ConfigMap instead of etcd)

  /**
   * The stored framework id. A read that fails (the apiserver down or refusing) is tried again with
   * backoff, 1 s doubling to 15 s, until it answers or the scheduler stops: going on without the id
   * would register a new framework, leave the old one's tasks behind, and the explicit reconciliation
   * would then hear "unknown" for every pod's task and delete the pods.
   */
  private async loadFrameworkId(): Promise<string | undefined> {
    const ns = this.cfg.frameworkStoreNamespace;
    if (this.cfg.failoverTimeoutSeconds <= 0) {
      try {
        await this.d.kube.deleteConfigMap(ns, this.storeName);
      } catch (e) {
        this.d.log.warn('cannot remove the stored framework id', { configMap: `${ns}/${this.storeName}`, error: errText(e) });
      }
      return undefined;
    }
    let delay = 0;
    for (;;) {
      let data: Record<string, string> | undefined;
      try {
        data = await this.d.kube.getConfigMap(ns, this.storeName);
      } catch (e) {
        if (this.stopping) return undefined;
        delay = Math.min(Math.max(1000, delay * 2), 15_000);
        this.d.log.warn('cannot read the stored framework id: trying again (a new framework would leave its tasks behind)', {
          configMap: `${ns}/${this.storeName}`,
          error: errText(e),
          afterMs: delay,
        });
        try {
          await this.d.sleep(delay, this.subCtl.signal);
        } catch {
          return undefined;
        }
        continue;
      }
      if (!data?.frameworkId) return undefined;
      const id = data.frameworkId;
      const at = Date.parse(data.updated ?? '');
      if (!Number.isFinite(at) || this.d.now() - at > this.cfg.failoverTimeoutSeconds * 1000) {
        this.d.log.info(0, 'stored framework id is older than the failover timeout: registering a new framework', { frameworkId: id, updated: data.updated });
        return undefined;
      }
      return id;
    }
  }

  /** The write of the framework id under way (a removal waits for it). */
  private storing: Promise<void> = Promise.resolve();
  /** The master said the framework id is gone: never written again. */
  private idRemoved = false;

  private storeFrameworkId(): Promise<void> {
    const p = this.storing.then(() => this.writeFrameworkId());
    this.storing = p;
    return p;
  }

  private async writeFrameworkId(): Promise<void> {
    if (!this.frameworkId || this.cfg.failoverTimeoutSeconds <= 0 || this.idRemoved) return;
    try {
      await this.d.kube.putConfigMap(this.cfg.frameworkStoreNamespace, this.storeName, {
        frameworkId: this.frameworkId,
        frameworkName: this.cfg.frameworkName,
        updated: new Date(this.d.now()).toISOString(),
        failoverTimeoutSeconds: String(this.cfg.failoverTimeoutSeconds),
      });
    } catch (e) {
      this.d.log.warn('cannot store the framework id', { configMap: `${this.cfg.frameworkStoreNamespace}/${this.storeName}`, error: errText(e) });
    }
  }

  /**
   * The master removed the framework (`frameworkIdRemoved`): its id is taken out of the ConfigMap (when
   * it still holds that id), so that the next start registers a new framework instead of being refused
   * again. True when the ConfigMap no longer holds it.
   */
  private async forgetFrameworkId(id: string): Promise<boolean> {
    this.idRemoved = true;
    const ns = this.cfg.frameworkStoreNamespace;
    try {
      await this.storing;
      const data = await this.d.kube.getConfigMap(ns, this.storeName);
      if (data?.frameworkId === id) await this.d.kube.deleteConfigMap(ns, this.storeName);
      this.d.log.info(0, 'the removed framework id is no longer stored: the next start registers a new framework', {
        frameworkId: id,
        configMap: `${ns}/${this.storeName}`,
      });
      return true;
    } catch (e) {
      this.d.log.warn('cannot remove the stored framework id', { configMap: `${ns}/${this.storeName}`, error: errText(e) });
      return false;
    }
  }

  private frameworkInfo(): Record<string, unknown> {
    const c = this.cfg;
    return {
      user: c.mesosUser,
      name: c.frameworkName,
      role: c.frameworkRole,
      checkpoint: c.checkpoint,
      ...(c.failoverTimeoutSeconds > 0 ? { failover_timeout: c.failoverTimeoutSeconds } : {}),
      ...(c.frameworkWebUri ? { webui_url: c.frameworkWebUri } : {}),
      ...(c.principal ? { principal: c.principal } : {}),
      ...(this.frameworkId ? { id: { value: this.frameworkId } } : {}),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Run

  async run(): Promise<RunResult> {
    const onStop = (): void => this.stop();
    if (this.d.signal.aborted) return { end: 'stopped' };
    this.d.signal.addEventListener('abort', onStop, { once: true });
    const stopTimers: Array<() => void> = [];
    const every =
      this.d.every ??
      ((ms: number, f: () => void) => {
        const t = setInterval(f, ms);
        t.unref?.();
        return () => clearInterval(t);
      });
    try {
      this.frameworkId = await this.loadFrameworkId();
      if (this.stopping) return { end: 'stopped' };
      const informer = this.informer();
      // The task registry is rebuilt from the pods' k8sm annotations before any offer is taken (§1.12):
      // subscribe only once the first pod list is in (the informer retries a failing apiserver).
      // The Nodes are read beside it (bounded): a host whose Node already has the labels needs no write.
      await Promise.race([
        Promise.all([this.firstSync, this.primeNodes()]),
        new Promise<void>((resolve) => this.subCtl.signal.addEventListener('abort', () => resolve(), { once: true })),
      ]);
      if (this.stopping) {
        await informer;
        return { end: 'stopped' };
      }
      stopTimers.push(every(1_000, () => this.reconcileTick()));
      stopTimers.push(every(30_000, () => void this.storeFrameworkId()));
      let delay = 0;
      let subscribed = false;
      let result: RunResult | undefined;
      while (!this.stopping) {
        let upSince: number | undefined;
        let ended: unknown;
        try {
          // A framework id taken over (stored by an earlier run): read its live tasks once (again if the first try was cut short).
          if (!subscribed) this.takeoverPending = this.frameworkId !== undefined;
          const takeover = this.takeoverPending;
          const session = await this.d.client.subscribe({ frameworkInfo: this.frameworkInfo(), signal: this.subCtl.signal });
          if (subscribed) this.d.metrics.streamReconnects.inc();
          // A framework the master registered anew: the tasks the pods name belong to another one.
          if (!subscribed && this.frameworkId !== session.frameworkId) this.newFramework = true;
          subscribed = true;
          // (The backoff is not reset here: a master that ends every stream as soon as it is up, e.g. with
          // a record that is not RecordIO, gets the backoff too; a stream that was up a while resets it below.)
          if (this.frameworkId && this.frameworkId !== session.frameworkId)
            this.d.log.warn('the master gave another framework id than the stored one', { stored: this.frameworkId, given: session.frameworkId });
          this.frameworkId = session.frameworkId;
          this.session = session;
          upSince = this.d.now();
          this.suppressed = false;
          this.refusedSinceRevive = false;
          this.firstSubscribedAt ??= this.d.now();
          this.d.log.info(0, 'subscribed', { frameworkId: session.frameworkId, master: session.leader, executorId: this.cfg.executor.id });
          // Not awaited: events (offers) wait while this handler runs, and an apiserver that is down
          // would hold them; the id is written again every 30 s.
          void this.storeFrameworkId();
          // The master's task list is read beside the event loop: offers that come meanwhile are
          // declined at once (none held, none used before the list is in), then offers are revived.
          if (takeover) {
            const adopting = this.adoptLiveTasks(session.frameworkId).then((adopted) => {
              if (this.adopting !== adopting || this.session !== session) return;
              this.adopting = undefined;
              this.takeoverPending = false;
              if (adopted.length) {
                this.explicit = startExplicit([...(this.explicit?.waiting.values() ?? []), ...adopted], this.d.now());
                this.send(reconcileCall(adopted));
              }
              if (this.pending.size > 0) this.sendRevive("the framework's tasks are known: offers revived");
            });
            this.adopting = adopting;
          }
          await this.afterSubscribe();
          for await (const ev of session.events()) {
            this.onEvent(ev);
            if (this.stopping) break;
          }
          this.session = undefined;
          this.adopting = undefined;
          if (this.stopping) break;
          ended = new Error('the master ended the subscription stream');
        } catch (e) {
          this.session = undefined;
          this.adopting = undefined;
          if (this.stopping) break;
          if (e instanceof ClientError && e.reason === 'framework-error') {
            this.d.log.error('the master ended the framework', { error: e.message });
            const said = e.details['message'];
            const removed = this.frameworkId !== undefined && frameworkIdRemoved(typeof said === 'string' ? said : e.message);
            const forgotten = removed && (await this.forgetFrameworkId(this.frameworkId!));
            result = {
              ...(this.frameworkId ? { frameworkId: this.frameworkId } : {}),
              end: 'framework-error',
              message: e.message,
              ...(removed ? { idRemoved: forgotten ? 'forgotten' : 'still-stored', store: `${this.cfg.frameworkStoreNamespace}/${this.storeName}` } : {}),
            };
            break;
          }
          if (upSince === undefined && e instanceof ClientError && subscribeRefusedForGood(e.reason)) {
            this.d.log.error('the master refused the subscription', { error: e.message });
            result = { ...(this.frameworkId ? { frameworkId: this.frameworkId } : {}), end: 'refused', message: e.message, error: e };
            break;
          }
          ended = e;
        }
        // A stream that was up for a while (a leader change, a dropped connection): subscribe again at
        // once; a subscription that fails, or a stream that ends as soon as it is up: backoff, 1 s doubling to 15 s.
        const wasUp = upSince !== undefined && this.d.now() - upSince >= RESUBSCRIBE_QUICK_AFTER_UP_MS;
        delay = wasUp ? RESUBSCRIBE_QUICK_MS : Math.min(Math.max(1000, delay * 2), 15_000);
        this.d.log.warn('subscription ended, subscribing again', { error: errText(ended), afterMs: delay });
        try {
          await this.d.sleep(delay, this.subCtl.signal);
        } catch {
          break;
        }
      }
      this.stop();
      await informer;
      return result ?? { ...(this.frameworkId ? { frameworkId: this.frameworkId } : {}), end: 'stopped' };
    } finally {
      for (const s of stopTimers) s();
      this.d.signal.removeEventListener('abort', onStop);
    }
  }

  /** Stop launching; finish the event at hand (its unused offers are declined); teardown when asked; hang up. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.cancelRevive?.();
    this.cancelRevive = undefined;
    const session = this.session;
    // Every call under way (events are handled at once; their calls are tracked in `inflight`).
    const settled = Promise.all([...this.inflight]);
    void settled.then(async () => {
      // The teardown first: events still waiting may take up to EVENT_FLUSH_MS, and the process exits
      // 2 s after the signal whatever is left (src/lib/factory.ts).
      if (session && this.cfg.teardownOnExit) {
        this.d.log.info(0, 'tearing down the framework (--teardown-on-exit)', { frameworkId: this.frameworkId });
        // On the session captured above: the event loop lets go of `this.session` as soon as an event
        // comes after the stop (offers, status updates of the last launches).
        await this.call(teardownCall(), session);
        try {
          await this.d.kube.deleteConfigMap(this.cfg.frameworkStoreNamespace, this.storeName);
        } catch (e) {
          this.d.log.warn('cannot remove the stored framework id', { error: errText(e) });
        }
      }
      await this.events.flush(EVENT_FLUSH_MS);
      if (session && !this.cfg.teardownOnExit) {
        this.d.log.info(0, 'leaving the framework registered for failover', {
          frameworkId: this.frameworkId,
          failoverTimeoutSeconds: this.cfg.failoverTimeoutSeconds,
        });
      }
      session?.close();
      this.subCtl.abort();
    });
  }

  private async afterSubscribe(): Promise<void> {
    if (this.newFramework && !this.foreignChecked) await this.setAsideForeignTasks();
    // Explicit reconciliation (§1.12): every task of the registry, and every pod that names a task and an agent.
    const known = new Map<string, ReconcileTask>();
    for (const t of this.tasks.values()) known.set(t.taskId, { taskId: t.taskId, agentId: t.agentId });
    for (const [taskId, key] of this.podByTaskId) {
      if (known.has(taskId) || this.foreign.has(taskId)) continue;
      const agentId = annotationsOf(this.allPods.get(key) ?? {})[ANNOTATION.slaveId];
      if (typeof agentId === 'string' && agentId) known.set(taskId, { taskId, agentId });
    }
    const list = [...known.values()];
    this.explicit = startExplicit(list, this.d.now());
    if (list.length) {
      this.d.metrics.reconciliations.inc({ kind: 'explicit' });
      this.d.log.info(1, 'reconciling the known tasks', { tasks: list.length });
      await this.call(reconcileCall(list));
    }
    for (const [taskId, agentId] of this.pendingKills) {
      if (await this.call(killCall(taskId, agentId))) this.pendingKills.delete(taskId);
    }
    // Nothing pending: no offers. Pods pending: clear whatever refusal filters a master kept across the break.
    if (this.pending.size === 0) this.suppress();
    else this.sendRevive('subscribed with pods pending: offers revived');
  }

  /**
   * A new framework (no stored id, or the master gave another): every task the pods name is another
   * framework's. k8sm would reconcile them, hear "unknown" (TASK_LOST, REASON_RECONCILIATION) and delete
   * the pods: right for tasks that ended with their framework, wrong for pods running under km's
   * framework (a move from km scheduler, whose id was in etcd) or under a framework whose id was lost.
   * Tasks the master still runs under another framework are set aside (never reconciled, killed or
   * their pods deleted); the others are reconciled as k8sm does. When the master's task list cannot be
   * read, every such task is set aside.
   */
  private async setAsideForeignTasks(): Promise<void> {
    this.foreignChecked = true;
    if (!this.d.allLiveTasks || this.podByTaskId.size === 0) return;
    let live: ReadonlyArray<{ id: string; frameworkId: string; frameworkName: string }> | undefined;
    try {
      live = await within(this.d.allLiveTasks(), LIVE_TASKS_TIMEOUT_MS);
    } catch (e) {
      this.d.log.warn("cannot list the master's tasks: the pods that name tasks of an earlier framework are left alone", { error: errText(e) });
    }
    const elsewhere = live && new Map(live.filter((t) => t.frameworkId !== this.frameworkId).map((t) => [t.id, t]));
    const frameworks = new Map<string, number>();
    for (const taskId of this.podByTaskId.keys()) {
      const other = elsewhere?.get(taskId);
      if (elsewhere && !other) continue;
      this.foreign.add(taskId);
      const rec = this.tasks.get(taskId);
      if (rec) this.forgetTask(rec);
      const name = other ? `${other.frameworkName} (${other.frameworkId})` : 'unknown';
      frameworks.set(name, (frameworks.get(name) ?? 0) + 1);
    }
    if (this.foreign.size)
      this.d.log.warn('pods run tasks of another framework: left alone (not reconciled, killed or deleted)', {
        pods: this.foreign.size,
        frameworks: [...frameworks].map(([f, n]) => `${f}: ${n}`).join(', '),
        takeOver: `to schedule them as this framework, stop, store that framework's id in ConfigMap ${this.cfg.frameworkStoreNamespace}/${this.storeName} (data frameworkId, updated), start again`,
      });
  }

  /**
   * After taking over a framework id: the master's live tasks of pods that have none in the registry
   * (launched, not yet bound, when the last scheduler stopped) are registered as launched and their pods
   * are not scheduled again; the explicit reconciliation then asks after them with the others.
   */
  private async adoptLiveTasks(frameworkId: string): Promise<ReconcileTask[]> {
    const adopted: ReconcileTask[] = [];
    if (!this.d.liveTasks) return adopted;
    let live: ReadonlyArray<{ id: string; name: string; agentId: string; state: string }>;
    try {
      // Bounded: the subscription (and every offer) waits for this read.
      live = await within(this.d.liveTasks(frameworkId), LIVE_TASKS_TIMEOUT_MS);
    } catch (e) {
      this.d.log.warn("cannot list the framework's tasks: a pod launched just before the restart and not yet bound may be launched again", {
        error: errText(e),
      });
      return adopted;
    }
    for (const t of live) {
      if (this.tasks.has(t.id) || this.forgotten.has(t.id)) continue;
      const key = podKeyOfTaskName(t.name);
      const pod = key !== undefined ? this.allPods.get(key) : undefined;
      if (key === undefined || pod === undefined || this.taskByPod.has(key)) continue;
      const owner = controllerUidOf(pod);
      this.addTask({
        taskId: t.id,
        podKey: key,
        podUid: str(meta(pod).uid),
        agentId: t.agentId,
        hostname: this.agentHostname(t.agentId),
        ...(owner ? { owner } : {}),
        phase: 'launched',
        deleted: false,
        unconfirmed: true,
      });
      this.dropPending(key);
      adopted.push({ taskId: t.id, agentId: t.agentId });
      this.d.log.info(1, 'a task of the pod runs since before the restart: not launched again', { pod: key, task: t.id, state: t.state });
    }
    return adopted;
  }

  private agentHostname(agentId: string): string {
    return this.agents.get(agentId)?.hostname ?? '';
  }

  /** Once a second: the explicit reconciliation's tasks that have not answered are asked again (backoff); the implicit one when due. */
  reconcileTick(): void {
    if (!this.session || this.stopping) return;
    const now = this.d.now();
    const again = resendDue(this.explicit, now);
    if (again) {
      this.explicit = again.next;
      this.d.metrics.reconciliations.inc({ kind: 'explicit' });
      this.d.log.info(1, 'reconciling again: tasks have not answered', { tasks: again.resend.length, round: again.next.rounds });
      this.send(reconcileCall(again.resend));
      return;
    }
    if (
      implicitDue({
        now,
        intervalMs: this.cfg.reconcileIntervalMs,
        firstSubscribedAt: this.firstSubscribedAt,
        lastImplicitAt: this.lastImplicitAt,
        explicit: this.explicit,
      })
    ) {
      this.lastImplicitAt = now;
      this.d.metrics.reconciliations.inc({ kind: 'implicit' });
      this.d.log.info(2, 'implicit reconciliation');
      this.send(reconcileCall([]));
    }
  }

  private async call(c: SchedulerCall, s: SchedulerSession | undefined = this.session): Promise<boolean> {
    if (!s) return false;
    try {
      await s.call(c);
      this.d.log.info(5, 'call', { type: c.type });
      return true;
    } catch (e) {
      this.d.log.warn('call failed', { type: c.type, error: errText(e) });
      return false;
    }
  }

  /**
   * SUPPRESS and REVIVE go out one after the other, in the order decided: calls travel on separate
   * connections, and a SUPPRESS that overtook the REVIVE after it would leave pods pending with offers
   * suppressed. (They do not wait for the ACCEPT/DECLINE calls under way: a REVIVE is sent after
   * them, on a pool of open connections, and waiting for the master's answers to a burst of ACCEPTs
   * delayed the next offers by seconds under load.)
   */
  private controlCall(c: SchedulerCall, after: (ok: boolean) => void): void {
    const p = this.control.then(() => this.call(c)).then(after);
    this.control = p;
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private suppress(): void {
    if (this.suppressed || !this.session || this.stopping) return;
    this.suppressed = true;
    const epoch = ++this.controlEpoch;
    this.controlCall(suppressCall(), (ok) => {
      if (ok) this.d.log.info(2, 'nothing pending: offers suppressed');
      else if (epoch === this.controlEpoch) this.suppressed = false;
    });
  }

  /**
   * A pod arrived while offers are suppressed: REVIVE at once after a quiet second, else at most once
   * per REVIVE_MIN_INTERVAL_MS (pods that come one after another while each cycle empties the queue
   * made SUPPRESS and REVIVE alternate several times a second, each REVIVE bringing every agent's offer).
   */
  private revive(): void {
    if (!this.suppressed || !this.session || this.stopping || this.cancelRevive) return;
    const wait = this.lastReviveAt + REVIVE_MIN_INTERVAL_MS - this.d.now();
    const go = (): void => {
      this.cancelRevive = undefined;
      if (!this.suppressed || !this.session || this.stopping || this.pending.size === 0) return;
      this.suppressed = false;
      this.sendRevive('pods pending: offers revived');
    };
    if (wait <= 0) go();
    else this.cancelRevive = this.after(Math.max(wait, REVIVE_GATHER_MS), go);
  }

  private sendRevive(why: string): void {
    this.cancelRevive?.();
    this.cancelRevive = undefined;
    this.lastReviveAt = this.d.now();
    this.refusedSinceRevive = false;
    ++this.controlEpoch;
    this.controlCall(reviveCall(), (ok) => {
      if (ok) this.d.log.info(2, why);
    });
  }

  /**
   * A pod arrived while offers are not suppressed: when this framework refused offers since the last
   * REVIVE, Mesos holds them back for --offer-refuse-seconds, and the pod would wait that long (k8sm's
   * behaviour). Instead, REVIVE (which clears the refusal filters) soon, at most once per
   * REVIVE_MIN_INTERVAL_MS, so that a burst of pods is placed in one cycle.
   */
  private reviveForArrival(): void {
    if (this.suppressed || !this.session || this.stopping || !this.refusedSinceRevive || this.cancelRevive) return;
    const wait = Math.max(REVIVE_GATHER_MS, this.lastReviveAt + REVIVE_MIN_INTERVAL_MS - this.d.now());
    this.cancelRevive = this.after(wait, () => {
      this.cancelRevive = undefined;
      if (this.suppressed || !this.session || this.stopping || !this.refusedSinceRevive) return;
      if (![...this.pending.values()].some((p) => p.backoff === undefined)) return;
      this.sendRevive('new pods pending: refused offers revived');
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Pods

  private async informer(): Promise<void> {
    const ctl = this.subCtl;
    let delay = 0;
    // The first list may come from the apiserver's watch cache (as informers list); a relist after
    // the watch expired or failed is a consistent read, so that nothing seen is undone by an older copy.
    let fromCache = true;
    while (!this.stopping) {
      try {
        // Each page is taken in as it comes and let go: no list of every pod of the cluster is held.
        const seen = new Set<string>();
        // Only the very first try: a retry of a list cut short after some pods were taken in reads consistently.
        const cached = fromCache;
        fromCache = false;
        let rv = await this.d.kube.listPods(
          (page) => {
            for (const p of page) {
              seen.add(podKeyOf(p));
              this.onPod('ADDED', p);
            }
          },
          { fromCache: cached, signal: ctl.signal },
        );
        this.resync(seen);
        delay = 0;
        this.synced = true;
        this.onFirstSync();
        while (!this.stopping) {
          for await (const ev of this.d.kube.watchPods(rv, ctl.signal)) {
            const v = meta(ev.pod).resourceVersion;
            if (typeof v === 'string') rv = v;
            // A bookmark only moves the resourceVersion on, so that a watch the apiserver ends while this
            // scheduler's pods are quiet starts again from where it was, not from a version long gone (a 410
            // and a full consistent list).
            if (ev.type === 'BOOKMARK') continue;
            this.onPod(ev.type, ev.pod);
          }
        }
      } catch (e) {
        if (this.stopping) break;
        if (e instanceof WatchExpired) {
          this.d.log.info(2, 'pod watch expired: listing again');
          continue;
        }
        delay = Math.min(Math.max(1000, delay * 2), 15_000);
        this.d.log.warn('pod list/watch failed', { error: errText(e), afterMs: delay });
        try {
          await this.d.sleep(delay, ctl.signal);
        } catch {
          break;
        }
      }
    }
  }

  /** After a (re)list: the pods it did not have are gone (their tasks killed). */
  private resync(keys: ReadonlySet<string>): void {
    for (const k of [...this.allPods.keys()]) if (!keys.has(k)) this.onPod('DELETED', this.allPods.get(k)!);
    for (const t of [...this.tasks.values()]) if (!keys.has(t.podKey)) this.killTaskOf(t.podKey, undefined);
  }

  private ours(pod: Json): boolean {
    return schedulerNameOf(pod) === this.cfg.schedulerName;
  }

  private eligible(pod: Json): boolean {
    return awaitsScheduling(pod, this.cfg.schedulerName);
  }

  /**
   * Whether the loop keeps the pod's whole JSON: only while it may be launched (pending, or launched
   * and not yet bound: a failed launch schedules it again from this copy). Every other pod of the
   * cluster is kept as `slimPod` (a scheduler sees every pod; whole copies of 40,000 pods were most of its memory).
   */
  private keepWhole(key: string, pod: Json): boolean {
    if (this.eligible(pod)) return true;
    const taskId = this.taskByPod.get(key);
    return taskId !== undefined && this.tasks.get(taskId)?.phase === 'launched';
  }

  /**
   * A pod of ours with some of k8sm's recovery annotations (bindingHost, taskId, slaveId, offerId)
   * but not all: k8sm deleted such pods at start (§1.12, its data-loss bug). Here it is left alone
   * (not scheduled: its task may still run; not deleted) and reported once: a warning, an event on
   * the pod, and the k8sm_scheduler_partial_annotation_pods gauge.
   */
  private checkPartial(key: string, uid: string, pod: Json): void {
    const ann = annotationsOf(pod);
    const have = RECOVERY_KEYS.filter((k) => typeof ann[k] === 'string' && ann[k] !== '');
    const partial = this.ours(pod) && ann[MIRROR_ANNOTATION] === undefined && have.length > 0 && have.length < RECOVERY_KEYS.length;
    if (!partial) {
      if (this.partialPods.delete(key)) this.d.metrics.partialAnnotationPods.set(this.partialPods.size);
      return;
    }
    this.partialPods.set(key, uid);
    this.d.metrics.partialAnnotationPods.set(this.partialPods.size);
    if (this.partialReported.has(uid)) return;
    this.partialReported.add(uid);
    if (this.partialReported.size > 20_000) this.partialReported.delete(this.partialReported.values().next().value!);
    const missing = RECOVERY_KEYS.filter((k) => !have.includes(k));
    const message = `has k8sm annotations ${have.join(', ')} but not ${missing.join(', ')}: left alone (not scheduled, since a task of it may run; not deleted, as k8sm did). Remove its k8s.mesosphere.io/ annotations to have it scheduled, or delete it`;
    this.d.log.warn('pod with partial k8sm annotations left alone', { pod: key, have: have.join(','), missing: missing.join(',') });
    this.event(pod, 'Warning', 'PartialK8smAnnotations', `Pod ${key} ${message}`);
  }

  /** One change of a pod (the informer's; also the initial list). */
  onPod(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Json): void {
    const key = podKeyOf(pod);
    const uid = str(meta(pod).uid);
    const ann = annotationsOf(pod);
    const taskId = typeof ann[ANNOTATION.taskId] === 'string' ? (ann[ANNOTATION.taskId] as string) : undefined;
    if (type === 'DELETED') {
      this.allPods.delete(key);
      if (this.partialPods.delete(key)) this.d.metrics.partialAnnotationPods.set(this.partialPods.size);
      this.relaunchBackoff.delete(key);
      if (taskId) this.podByTaskId.delete(taskId);
      this.dropPending(key);
      this.killTaskOf(key, uid);
      return;
    }
    const kept = this.keepWhole(key, pod) ? launchablePod(pod) : slimPod(pod);
    this.allPods.set(key, kept);
    // Only this scheduler's pods name its tasks (another --scheduler-name is another framework).
    if (taskId && this.ours(pod)) this.podByTaskId.set(taskId, key);
    else if (taskId && this.podByTaskId.get(taskId) === key) this.podByTaskId.delete(taskId);
    this.checkPartial(key, uid, pod);
    if (meta(pod).deletionTimestamp !== undefined) {
      this.dropPending(key);
      this.killTaskOf(key, uid);
      return;
    }
    // A pod k8sm launched before (this scheduler's earlier run): known as a task again (§1.12).
    if (taskId && !this.tasks.has(taskId) && !this.forgotten.has(taskId) && !this.foreign.has(taskId) && this.ours(pod)) {
      const host = ann[ANNOTATION.bindingHost];
      const agentId = ann[ANNOTATION.slaveId];
      if (typeof host === 'string' && typeof agentId === 'string') {
        const phase = asRecord(pod.status)?.phase === 'Running' ? 'running' : 'bound';
        this.addTask({
          taskId,
          podKey: key,
          podUid: uid,
          agentId,
          hostname: host,
          ...(controllerUidOf(pod) ? { owner: controllerUidOf(pod)! } : {}),
          phase,
          deleted: false,
        });
      }
    }
    if (this.eligible(pod) && !this.taskByPod.has(key)) this.addPending(key, uid, kept);
    else this.dropPending(key);
  }

  private addPending(key: string, uid: string, pod: Json, backoff?: PodBackoff): void {
    const had = this.pending.get(key);
    const kp = k8smPod(pod, this.cfg.scheduler);
    if (had && had.uid === uid) {
      had.pod = pod;
      had.kp = kp;
      return;
    }
    const owner = controllerUidOf(pod);
    this.pending.set(key, { key, uid, pod, kp, since: this.d.now(), ...(owner ? { owner } : {}), ...(backoff ? { backoff } : {}) });
    this.d.metrics.pendingPods.set(this.pending.size);
    this.d.log.info(4, 'pod pending', { pod: key });
    if (this.suppressed) this.revive();
    else this.reviveForArrival();
  }

  private dropPending(key: string): void {
    if (this.pending.delete(key)) this.d.metrics.pendingPods.set(this.pending.size);
  }

  /** A pod going away: KILL its task (once; §1.10 step 8). */
  private killTaskOf(key: string, uid: string | undefined): void {
    const taskId = this.taskByPod.get(key);
    if (!taskId) return;
    const t = this.tasks.get(taskId)!;
    if (t.deleted || (uid !== undefined && uid !== '' && t.podUid !== '' && t.podUid !== uid)) return;
    t.deleted = true;
    this.d.log.info(1, 'pod deleted: killing its task', { pod: key, task: taskId });
    if (this.session) {
      void this.call(killCall(taskId, t.agentId)).then((ok) => {
        if (!ok) this.pendingKills.set(taskId, t.agentId);
      });
    } else this.pendingKills.set(taskId, t.agentId);
  }

  private addTask(t: TaskRec): void {
    this.tasks.set(t.taskId, t);
    this.taskByPod.set(t.podKey, t.taskId);
    if (t.owner !== undefined) {
      let m = this.siblings.get(t.owner);
      if (!m) this.siblings.set(t.owner, (m = new Map<string, number>()));
      m.set(t.hostname, (m.get(t.hostname) ?? 0) + 1);
    }
    this.countPhase(t.phase, +1);
  }

  private forgetTask(t: TaskRec): void {
    this.tasks.delete(t.taskId);
    if (this.taskByPod.get(t.podKey) === t.taskId) this.taskByPod.delete(t.podKey);
    this.forgotten.add(t.taskId);
    if (this.forgotten.size > 20_000) this.forgotten.delete(this.forgotten.values().next().value!);
    if (t.owner !== undefined) {
      const m = this.siblings.get(t.owner);
      const n = (m?.get(t.hostname) ?? 0) - 1;
      if (m && n > 0) m.set(t.hostname, n);
      else m?.delete(t.hostname);
    }
    this.countPhase(t.phase, -1);
  }

  /** The tasks-by-state gauge, kept by count (a recount of every task on each change was quadratic). */
  private countPhase(phase: TaskRec['phase'], by: number): void {
    this.phaseCounts[phase] += by;
    this.d.metrics.tasksByState.set({ state: phase }, this.phaseCounts[phase]);
    // Every launch bound: the events and the Node writes that waited for them go.
    if (phase === 'launched' && this.phaseCounts.launched === 0) {
      this.events.pump();
      for (const o of this.deferredNodes.values()) void this.ensureNode(o);
      this.deferredNodes.clear();
    }
  }

  private setPhase(t: TaskRec, phase: TaskRec['phase']): void {
    if (t.phase === phase) return;
    this.countPhase(t.phase, -1);
    t.phase = phase;
    this.countPhase(phase, +1);
  }

  // ---------------------------------------------------------------------------------------------
  // Mesos events

  /** One event, handled at once (calls it makes are tracked in `inflight`, not waited for). */
  private onEvent(ev: V1Event): void {
    switch (ev.type) {
      case 'OFFERS':
        this.onOffers(ev.offers?.offers ?? []);
        return;
      case 'RESCIND':
        this.d.metrics.offersRescinded.inc();
        this.d.log.info(3, 'offer rescinded (none is held)', { offer: ev.rescind?.offer_id.value });
        return;
      case 'UPDATE':
        if (ev.update?.status) this.onUpdate(ev.update.status);
        return;
      case 'FAILURE': {
        const agentId = ev.failure?.agent_id?.value;
        if (agentId && !ev.failure?.executor_id) this.agents.delete(agentId);
        if (agentId && ev.failure?.executor_id) {
          const host = [...this.agents.values()].find((a) => a.agentId === agentId)?.hostname;
          if (host) this.executorResources.delete(host);
        }
        this.d.log.info(1, 'failure', { agent: agentId, executor: ev.failure?.executor_id?.value, status: ev.failure?.status });
        return;
      }
      case 'MESSAGE':
        this.d.log.info(3, 'executor message', { agent: ev.message?.agent_id.value, executor: ev.message?.executor_id.value });
        return;
      case 'HEARTBEAT':
        this.d.log.info(6, 'heartbeat');
        return;
      default:
        this.d.log.info(4, 'event ignored', { type: ev.type });
    }
  }

  /**
   * Creates or updates the host's Node from the offer (k8sm's labels, §1.8) when it is not known with
   * these labels; resolves when done (failures are logged: the launch goes ahead, as before).
   * Registrations run in the background: the cycle places pods at once (on the labels the offer
   * implies) and only an ACCEPT on a host being registered waits for its Node.
   */
  /** The existing Nodes' labels, read once before subscribing (at most NODE_LIST_WAIT_MS; a failure only costs writes). */
  private async primeNodes(): Promise<void> {
    try {
      const nodes = await within(this.d.kube.listNodes(), NODE_LIST_WAIT_MS);
      for (const [name, labels] of nodes) if (!this.nodeLabels.has(name) && !this.nodeWrites.has(name)) this.nodeLabels.set(name, labels);
      this.d.log.info(2, 'nodes read', { nodes: nodes.size });
    } catch (e) {
      this.d.log.info(1, 'cannot read the Nodes: each host Node is written from its first offer', { error: errText(e) });
    }
  }

  /** The labels the offer implies when the host's Node is missing or lacks some of them; undefined when it has them all. */
  private nodeWant(o: NodeSource): Record<string, string> | undefined {
    const want = nodeLabelsOf(o.hostname, o.attributes);
    const have = this.nodeLabels.get(o.hostname);
    return have && Object.keys(want).every((k) => have[k] === want[k]) ? undefined : want;
  }

  private ensureNode(o: NodeSource): Promise<void> {
    const want = this.nodeWant(o);
    if (!want) return Promise.resolve();
    const have = this.nodeLabels.get(o.hostname);
    const under = this.nodeWrites.get(o.hostname);
    if (under) return under;
    const p = this.d.kube.applyNode(o.hostname, want).then(
      () => {
        this.nodeLabels.set(o.hostname, { ...(have ?? {}), ...want });
        this.d.log.info(2, 'node registered', { node: o.hostname });
      },
      (e: unknown) => this.d.log.warn('cannot register the node', { node: o.hostname, error: errText(e) }),
    );
    const done = p.finally(() => this.nodeWrites.delete(o.hostname));
    this.nodeWrites.set(o.hostname, done);
    return done;
  }

  private onOffers(list: ReadonlyArray<Json>): void {
    const now = this.d.now();
    this.lastOfferAt = now;
    this.d.metrics.offersReceived.inc(list.length);
    const decline: string[] = [];
    const offers: SchedOffer[] = [];
    for (const j of list) {
      const o = parseOffer(j);
      if (o) offers.push(o);
      else {
        const id = asRecord(j.id)?.value;
        if (typeof id === 'string') decline.push(id);
      }
    }
    if (this.stopping || this.adopting) {
      // Stopping, or the framework's task list not read yet after a takeover: nothing is launched, nothing held.
      this.track(this.declineNow([...decline, ...offers.map((o) => o.id)]));
      if (!this.stopping) this.refusedSinceRevive = true;
      return;
    }
    const compatible: SchedOffer[] = [];
    // Hosts whose Node this cycle is to write (missing, or lacking labels the offer implies).
    const toWrite = new Set<string>();
    for (const o of offers) {
      // A Node being registered, or to be registered from this offer, counts as there, with the labels the offer implies.
      const want = this.nodeWrites.has(o.hostname) ? nodeLabelsOf(o.hostname, o.attributes) : this.nodeWant(o);
      if (want && !this.nodeWrites.has(o.hostname)) toWrite.add(o.hostname);
      const labels = want ?? this.nodeLabels.get(o.hostname);
      const why = offerIncompatibility(o, this.cfg.executor.id, labels);
      if (why) {
        this.d.log.info(3, 'Declining incompatible offer', { offer: o.id, host: o.hostname, reason: why.id, detail: why.message });
        decline.push(o.id);
      } else compatible.push(o);
      this.agents.set(o.agentId, {
        agentId: o.agentId,
        hostname: o.hostname,
        attributes: o.attributes,
        cpus: o.cpus,
        mem: o.mem,
        ports: o.ports,
        executorIds: o.executorIds,
      });
    }

    const candidates = [...this.pending.values()].filter((p) => mayTry(p.backoff, now, this.lastOfferAt));
    const result = placePods(candidates, compatible, {
      scheduler: this.cfg.scheduler,
      executorId: this.cfg.executor.id,
      hostsWithExecutor: new Set(this.executorResources.keys()),
      nodeLabels: (h) => this.nodeLabels.get(h),
      siblings: (owner, host) => this.siblings.get(owner)?.get(host) ?? 0,
    });
    for (const l of result.left) {
      const o = l.offer;
      this.agents.set(o.agentId, {
        agentId: o.agentId,
        hostname: o.hostname,
        attributes: o.attributes,
        cpus: l.cpus,
        mem: l.mem,
        ports: l.ports,
        executorIds: o.executorIds,
      });
    }

    // Every offered host's Node is written (k8sm registers one per offer's host). Those of the hosts this
    // cycle launches on at once, since their ACCEPTs wait for them; the others once every launch is
    // bound, like the Scheduled events (1,000 Node writes at a backlog's start held its first launches
    // back, and took the apiserver from the bindings).
    const nodeReady = new Map<string, Promise<void>>();
    for (const pl of result.placements)
      if (!nodeReady.has(pl.offer.hostname)) {
        this.deferredNodes.delete(pl.offer.hostname);
        nodeReady.set(pl.offer.hostname, this.ensureNode(pl.offer));
      }
    // A Node deferred for NODE_DEFER_MAX_MS is written anyway (a cluster that is always launching).
    const launching = result.placements.length > 0 || this.phaseCounts.launched > 0;
    for (const o of offers)
      if (!nodeReady.has(o.hostname) && toWrite.has(o.hostname)) {
        const since = this.deferredNodes.get(o.hostname)?.since ?? now;
        if (launching && now - since < NODE_DEFER_MAX_MS) this.deferredNodes.set(o.hostname, { hostname: o.hostname, attributes: o.attributes, since });
        else {
          this.deferredNodes.delete(o.hostname);
          void this.ensureNode(o);
        }
      }

    const byOffer = new Map<string, { offer: SchedOffer; launches: Launch[] }>();
    for (const pl of result.placements) {
      const p = pl.pod;
      const taskId = `pod.${this.d.newTaskId()}`;
      const host = pl.offer.hostname;
      // An executor of ours this process did not launch (a restart): repeat its ExecutorInfo's resources.
      if (!pl.allocation.executor && !this.executorResources.has(host) && pl.offer.executorIds.includes(this.cfg.executor.id))
        this.executorResources.set(host, runningExecutorResources(pl.offer, this.cfg.scheduler.executor, this.cfg.scheduler.frameworkRoles));
      const running = pl.allocation.executor ? undefined : this.executorResources.get(host);
      if (pl.allocation.executor) this.executorResources.set(host, newExecutorResources(pl.offer, pl.allocation));
      this.pending.delete(p.key);
      this.addTask({
        taskId,
        podKey: p.key,
        podUid: p.uid,
        agentId: pl.offer.agentId,
        hostname: host,
        ...(p.owner !== undefined ? { owner: p.owner } : {}),
        phase: 'launched',
        deleted: false,
      });
      let e = byOffer.get(pl.offer.id);
      if (!e) byOffer.set(pl.offer.id, (e = { offer: pl.offer, launches: [] }));
      const m = meta(p.pod);
      e.launches.push({
        key: p.key,
        uid: p.uid,
        since: p.since,
        ref: { metadata: { name: m.name, namespace: m.namespace, uid: m.uid, ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}) } },
        taskId,
        allocation: pl.allocation,
        ...(running ? { running } : {}),
        pod: p.pod,
        kp: p.kp,
      });
    }
    for (const o of compatible) if (!byOffer.has(o.id)) decline.push(o.id);
    // Declines, and the unused rest of accepted offers, are filtered by the master for --offer-refuse-seconds.
    if (decline.length > 0 || byOffer.size > 0) this.refusedSinceRevive = true;

    const calls: Array<Promise<unknown>> = [this.declineNow(decline)];
    for (const { offer, launches } of byOffer.values()) {
      // A Node being registered is waited for at most NODE_WAIT_MS: an apiserver that is down must not hold the offer.
      const ready = nodeReady.has(offer.hostname) ? within(nodeReady.get(offer.hostname)!, NODE_WAIT_MS).catch(() => undefined) : Promise.resolve();
      calls.push(
        ready.then(async () => {
          if (!this.nodeLabels.has(offer.hostname)) {
            // The Node could not be registered (k8sm skips such offers): decline, and the pods wait again.
            for (const l of launches) {
              const t = this.tasks.get(l.taskId);
              if (t) this.forgetTask(t);
              const pod = this.allPods.get(l.key);
              if (pod && this.eligible(pod) && !this.taskByPod.has(l.key)) this.addPending(l.key, l.uid, pod);
            }
            // Refused for a second only: the Node is likely registered by then (a busy apiserver at start).
            await this.declineNow([offer.id], NODE_RETRY_REFUSE_SECONDS);
            return;
          }
          // The TaskInfos (pod JSON, base64 data) are built when the ACCEPT goes out, a few ACCEPTs at a
          // time, and let go once sent: a 10,000-pod cycle built them all at once and held them until
          // every ACCEPT was answered.
          const ok = await this.acceptLimit(() => {
            const infos = launches.map((l) => {
              const built = buildTask({
                pod: l.pod!,
                kp: l.kp!,
                offer,
                allocation: l.allocation,
                taskId: l.taskId,
                executor: this.cfg.executor,
                ...(l.running ? { runningExecutorResources: l.running } : {}),
              }).taskInfo;
              delete l.pod;
              delete l.kp;
              return built;
            });
            return this.call(acceptCall([offer.id], infos, this.cfg.offerRefuseSeconds));
          });
          if (ok) {
            this.d.metrics.offersUsed.inc();
            for (const l of launches) {
              this.d.metrics.podsScheduled.inc();
              this.d.metrics.schedulingLatency.observe(Math.max(0, this.d.now() - l.since) / 1000);
              this.d.log.info(1, 'launched', { pod: l.key, task: l.taskId, host: offer.hostname });
              this.event(l.ref, 'Normal', 'Scheduled', `Successfully assigned ${l.key} to ${offer.hostname}`);
            }
            return;
          }
          // The master may or may not have the tasks: reconcile; a terminal answer schedules the pod again.
          for (const l of launches) {
            const t = this.tasks.get(l.taskId);
            if (t) t.unconfirmed = true;
          }
          void this.call(reconcileCall(launches.map((l) => ({ taskId: l.taskId, agentId: offer.agentId }))));
          // And the offer is declined: an ACCEPT that never reached the master (a connection closed
          // before the answer) left it outstanding, resources no one else is offered; a master that
          // did take the ACCEPT ignores a DECLINE of an offer it no longer has.
          await this.declineNow([offer.id]);
        }),
      );
    }
    // Answered now; the next event is handled while the master takes the calls.
    this.track(Promise.all(calls));

    if (result.unplaced.length > 0) this.failed(result.unplaced, now);
    this.d.log.info(2, 'offers answered', {
      offers: list.length,
      used: byOffer.size,
      declined: decline.length,
      tried: candidates.length,
      launched: result.placements.length,
      unplaced: result.unplaced.length,
      pending: this.pending.size,
      ms: this.d.now() - now,
    });
    this.d.metrics.pendingPods.set(this.pending.size);
    if (this.pending.size === 0) this.suppress();
  }

  /**
   * DECLINE, tried again while the same subscription lasts (up to DECLINE_TRIES times, 1 s apart): a
   * DECLINE that never reached the master leaves its offers outstanding until the framework
   * subscribes again (Mesos has no offer timeout by default), resources no one else is offered.
   */
  /** A call under way that the event loop does not wait for (stop does). */
  private track(p: Promise<unknown>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async declineNow(ids: ReadonlyArray<string>, refuseSeconds = this.cfg.offerRefuseSeconds): Promise<void> {
    if (ids.length === 0) return;
    const session = this.session;
    for (let i = 1; ; i++) {
      if (await this.call(declineCall(ids, refuseSeconds))) {
        this.d.metrics.offersDeclined.inc(ids.length);
        return;
      }
      if (i >= DECLINE_TRIES || this.session !== session || !session) return;
      await new Promise<void>((resolve) => this.after(1_000, resolve));
      if (this.session !== session) return;
    }
  }

  /** Pods no offer took: backoff, and a FailedScheduling event with diagnose's reasons (rate-limited per pod). */
  private failed(pods: ReadonlyArray<Pending>, now: number): void {
    const nodes: NodeObject[] = [...this.nodeLabels].map(([name, labels]) => ({ metadata: { name, labels } }));
    const agents = [...this.agents.values()];
    // Nodes being registered, or to be, count as there, with the labels their offers imply.
    for (const a of agents)
      if (!this.nodeLabels.has(a.hostname) && (this.nodeWrites.has(a.hostname) || this.deferredNodes.has(a.hostname)))
        nodes.push({ metadata: { name: a.hostname, labels: nodeLabelsOf(a.hostname, a.attributes) } });
    const byShape = new Map<string, string>();
    for (const p of pods) {
      p.backoff = afterFailure(p.backoff, now);
      this.d.metrics.podsFailed.inc();
      const last = p.lastEvent;
      if (last && now - last.at < 5_000) continue;
      const shape = shapeKey(p.kp);
      let message = byShape.get(shape);
      if (message === undefined) {
        message = failedSchedulingMessage(
          p.pod as unknown as PodObject,
          agents,
          nodes,
          {
            scheduler: this.cfg.scheduler,
            frameworkName: this.cfg.frameworkName,
            frameworkId: this.frameworkId ?? '',
            executorId: this.cfg.executor.id,
            roles: [this.cfg.frameworkRole],
          },
          now,
        );
        byShape.set(shape, message);
      }
      if (last && last.message === message && now - last.at < 60_000) continue;
      p.lastEvent = { at: now, message };
      this.d.log.info(2, 'no offer fits the pod', { pod: p.key, why: message });
      this.event(p.pod, 'Warning', 'FailedScheduling', message);
    }
  }

  private event(pod: Json, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const m = meta(pod);
    const namespace = typeof m.namespace === 'string' && m.namespace ? m.namespace : 'default';
    const ts = new Date(this.d.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const ev: Json = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${String(m.name)}.${this.d.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`, namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace,
        name: m.name,
        uid: m.uid,
        ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
      },
      reason,
      message,
      type,
      source: { component: EVENT_SOURCE },
      reportingComponent: EVENT_SOURCE,
      reportingInstance: this.cfg.frameworkName,
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
    };
    // Only strings are kept for the write (not the pod): a waiting event holds nothing else.
    const podKey = `${namespace}/${String(m.name)}`;
    if (!this.events.push({ namespace, ev, podKey, reason }, type === 'Warning'))
      this.d.log.info(2, 'event dropped: the apiserver is behind', { pod: podKey, reason });
  }

  private onUpdate(status: NonNullable<V1Event['update']>['status']): void {
    const taskId = status.task_id.value;
    this.explicit = answered(this.explicit, taskId);
    const rec = this.tasks.get(taskId);
    const podKey = this.podByTaskId.get(taskId);
    const d = decideStatus(
      {
        state: status.state,
        ...(status.source !== undefined ? { source: status.source } : {}),
        ...(status.reason !== undefined ? { reason: status.reason } : {}),
        ...(status.message !== undefined ? { message: status.message } : {}),
        ...(status.uuid !== undefined ? { uuid: status.uuid } : {}),
      },
      rec,
      podKey !== undefined && this.allPods.has(podKey),
    );
    this.d.log.info(3, 'status', { task: taskId, state: status.state, source: status.source, reason: status.reason, message: status.message });
    const agentId = status.agent_id?.value ?? rec?.agentId;
    if (rec) {
      if (d.next === 'bound' || d.next === 'running') {
        this.setPhase(rec, d.next);
        rec.unconfirmed = false;
        this.relaunchBackoff.delete(rec.podKey);
      } else if (d.next === 'forget') {
        this.forgetTask(rec);
        // A task whose launch is not confirmed (its ACCEPT failed, or adopted from the master's list after a
        // restart) that Mesos ends or does not know: the pod, if still unbound, is scheduled again (never deleted).
        const requeue = d.requeue || rec.unconfirmed === true;
        if (requeue && !rec.deleted) {
          const pod = this.allPods.get(rec.podKey);
          if (pod && this.eligible(pod)) {
            this.d.log.info(1, 'launch failed before binding: scheduling the pod again', { pod: rec.podKey, task: taskId, state: status.state });
            // Backoff across launches (1 s doubling to 60 s; offers do not cut it short), so that an
            // apiserver the executors cannot bind through does not get a launch per offer cycle.
            const prev = this.relaunchBackoff.get(rec.podKey);
            const backoff = afterFailure(prev?.uid === rec.podUid ? prev.backoff : undefined, this.d.now(), true);
            this.relaunchBackoff.set(rec.podKey, { uid: rec.podUid, backoff });
            this.addPending(rec.podKey, rec.podUid, pod, backoff);
          }
        } else if (d.deletePod && !rec.unconfirmed) {
          const [ns, name] = rec.podKey.split('/') as [string, string];
          this.d.log.info(0, 'deleting rogue pod', { pod: rec.podKey, task: taskId, state: status.state, reason: status.reason, message: status.message });
          const gone = this.allPods.get(rec.podKey);
          if (gone)
            this.event(
              gone,
              'Warning',
              'TaskLost',
              `Task ${taskId} of pod ${rec.podKey} on ${rec.hostname || rec.agentId} is gone (${[status.state, status.source, status.reason, status.message].filter(Boolean).join(', ')}): deleting the pod so that its controller makes a new one, as k8sm does`,
            );
          this.d.kube.deletePod(ns, name).catch((e: unknown) => this.d.log.warn('cannot delete the pod', { pod: rec.podKey, error: errText(e) }));
        }
      }
    } else if (d.adopt && podKey) {
      const pod = this.allPods.get(podKey)!;
      const ann = annotationsOf(pod);
      const owner = controllerUidOf(pod);
      this.addTask({
        taskId,
        podKey,
        podUid: str(meta(pod).uid),
        agentId: agentId ?? str(ann[ANNOTATION.slaveId]),
        hostname: str(ann[ANNOTATION.bindingHost]),
        ...(owner ? { owner } : {}),
        phase: d.next === 'running' ? 'running' : 'bound',
        deleted: false,
      });
    }
    // The calls go out without holding up the next event (an UPDATE per task state: waiting for each
    // ACKNOWLEDGE's answer serialised every status and the offers behind them on the master's latency).
    if (d.kill) {
      this.d.log.info(0, 'killing a task no pod explains', { task: taskId, agent: agentId, state: status.state });
      this.send(killCall(taskId, agentId));
    }
    if (d.reconcile) this.send(reconcileCall([{ taskId, ...(agentId ? { agentId } : {}) }]));
    if (d.tellExecutorLost && agentId && status.executor_id) {
      const exec = asRecord(status.executor_id)?.value;
      if (typeof exec === 'string') this.send(messageCall(agentId, exec, `task-lost:${taskId}`));
    }
    if (needsAcknowledge(status) && status.agent_id) this.send(acknowledgeCall(status));
  }

  /** A call the loop does not wait for (stop waits for it). */
  private send(c: SchedulerCall): void {
    const p = this.call(c);
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }
}
