/**
 * What a command gets from the outside world, in one object (kubectl's cmdutil.Factory): the
 * clients, a clock and an abort signal. Commands receive it in `complete` and never build a client
 * themselves, so tests hand them fakes (test/cmd/fakes.ts) and run them in-process.
 *
 * The real clients are imported on first use (dynamic import): `validate` offline never loads the
 * HTTP layer, ZooKeeper or @kubernetes/client-node.
 */
import v8 from 'node:v8';
import type { ClusterSnapshot, OfferSnapshot } from '../core/mesos/snapshot.js';
import type { FrameworkTask } from '../core/mesos/master-state.js';
import type { AgentDetailsResult, AgentRef, MesosVersionAnswer, SnapshotOptions } from '../clients/mesos/mesos-client.js';
import type { MesosConnectOptions } from '../clients/mesos/options.js';
import type { KubeLoadOptions, PodListOptions } from '../clients/kube/kube-client.js';
import type { DockerEngineOptions, DockerEngineApi } from '../clients/docker/docker-client.js';
import type { SchedulerApi, SchedulerConnectOptions } from '../clients/mesos/scheduler-api.js';
import type { SchedulerKube } from '../scheduler/kube.js';
import type { KubeEvent, KubeNamespace, KubeNode, KubePod, KubeVersionInfo } from '../clients/kube/types.js';

/** The Mesos side as commands use it (MesosClient implements it). */
/** `longRunning`'s heap growth over the live set after each full collection, in percent. */
const HEAP_GROWING_PERCENT = 25;

export interface MesosApi {
  /** The leading master's base URL, once a request found it. */
  readonly leaderUrl: string | undefined;
  snapshot(opts?: SnapshotOptions): Promise<ClusterSnapshot>;
  /** The answering master's build (`/version`; `/state` for a master without it). */
  masterVersion(): Promise<MesosVersionAnswer>;
  /** These agents' own `/state` (or `/flags`), concurrently; an agent that does not answer is `reachable: false`. */
  agentDetails(agents: ReadonlyArray<AgentRef>, mode?: 'state' | 'flags', onProgress?: (done: number, total: number) => void): Promise<AgentDetailsResult>;
  /** One framework's outstanding offers (a second look: Mesos prints no offer times). */
  frameworkOffers(frameworkId: string): Promise<OfferSnapshot[]>;
  /** One framework's live tasks (`scheduler run` after a failover: tasks its record lost); every framework's without an id (a new framework: tasks of others). */
  frameworkTasks(frameworkId?: string): Promise<FrameworkTask[]>;
  /** Tears a framework down (operator TEARDOWN, else /master/teardown): the master kills all its tasks. */
  teardownFramework(frameworkId: string): Promise<{ endpoint: string; masterUrl: string }>;
  close(): void;
}

/** The Kubernetes side as commands use it (KubeClient implements it). */
export interface KubeApi {
  /** The namespace used when none is given: --namespace, the context's, or `default`. */
  readonly namespace: string;
  listPods(opts?: PodListOptions): Promise<KubePod[]>;
  listNamespaces(): Promise<KubeNamespace[]>;
  /** The apiserver's `/version`. */
  serverVersion(): Promise<KubeVersionInfo>;
  /** Events of a namespace or of all namespaces, in one list. */
  listEvents(opts?: PodListOptions): Promise<KubeEvent[]>;
  listNodes(opts?: { labelSelector?: string }): Promise<KubeNode[]>;
  close(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface Factory {
  /** A Mesos client for these (checked) connection options. Contacts nothing until asked. */
  mesos(opts: MesosConnectOptions): Promise<MesosApi>;
  /** A Kubernetes client from the kubeconfig (kubectl's loading rules). */
  kube(opts: KubeLoadOptions): Promise<KubeApi>;
  /** One agent's Docker engine (the orphan commands); dockerode is loaded on first use. */
  docker(opts: DockerEngineOptions): Promise<DockerEngineApi>;
  readonly clock: Clock;
  /** Fires on SIGINT/SIGTERM (reason 'SIGINT' or 'SIGTERM'); clients abort their requests. */
  readonly signal: AbortSignal;
  /** The environment (MESOS_SECRET, KUBECONFIG...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** k8smctl's version (SARIF's tool.driver.version), from the package oclif loaded. */
  readonly version: string;
  /**
   * `scheduler run`'s clients: the Mesos v1 scheduler API and the apiserver port of the loop. Not
   * wired to `signal`: the loop winds down itself on a signal (declines, leaves or tears down).
   */
  schedulerClient?(opts: SchedulerConnectOptions): Promise<SchedulerApi>;
  /** With `schedulerName`, the pods listed and watched are that scheduler's only. */
  schedulerKube?(opts: KubeLoadOptions, sel?: { schedulerName?: string }): Promise<SchedulerKube>;
  /**
   * Ends the process with `code` after `afterMs` even if requests are still under way (`scheduler run`
   * after losing its lease: a request to an apiserver that went quiet must not hold a supervisor's
   * restart up for its timeout). Absent in tests.
   */
  exitSoon?(code: number, afterMs: number): void;
  /**
   * The process will run for long (`scheduler run`): its heap is kept close to what it holds. Absent
   * in tests (they run commands in the test process).
   */
  longRunning?(): void;
}

/** How long an interrupted command may take to wind down before the process exits anyway. */
const GRACE_MS = 2000;

/**
 * The process's factory: real clients, the system clock, and an abort signal wired to SIGINT and
 * SIGTERM. The signal handlers are installed when a command first reads `signal` (the cluster
 * commands, whose clients watch it); a command that never does keeps Node's default, immediate
 * Ctrl-C. A second signal, or a command that does not stop within 2 s, exits at once.
 */
export function processFactory(version: string, env: Readonly<Record<string, string | undefined>> = process.env): Factory {
  let controller: AbortController | undefined;
  const signal = (): AbortSignal => {
    if (!controller) {
      const c = new AbortController();
      controller = c;
      const on = (name: 'SIGINT' | 'SIGTERM', code: number) => () => {
        if (c.signal.aborted) process.exit(code);
        c.abort(name);
        setTimeout(() => process.exit(code), GRACE_MS).unref();
      };
      process.on('SIGINT', on('SIGINT', 130));
      process.on('SIGTERM', on('SIGTERM', 143));
    }
    return controller.signal;
  };
  const clock: Clock = { now: () => Date.now() };
  return {
    async mesos(opts) {
      const { connectMesos } = await import('../clients/mesos/mesos-client.js');
      return connectMesos({ now: () => clock.now(), signal: signal(), ...opts });
    },
    async kube(opts) {
      const { loadKube } = await import('../clients/kube/kube-client.js');
      return loadKube({ env, signal: signal(), ...opts });
    },
    async docker(opts) {
      const { DockerEngine } = await import('../clients/docker/docker-client.js');
      return DockerEngine.connect(opts);
    },
    async schedulerClient(opts) {
      const { connectScheduler } = await import('../clients/mesos/scheduler-api.js');
      return connectScheduler(opts);
    },
    async schedulerKube(opts, sel) {
      const { loadKube } = await import('../clients/kube/kube-client.js');
      const { apiserverPort } = await import('../scheduler/kube.js');
      return apiserverPort(await loadKube({ env, ...opts }), sel);
    },
    exitSoon(code, afterMs) {
      setTimeout(() => process.exit(code), afterMs).unref();
    },
    longRunning() {
      // V8 lets the old generation grow to several times what survives a full collection before it
      // collects again: a scheduler holding ~150 MB of pods and tasks at the peak of a 10,000-pod
      // backlog grew to 500-600 MB resident. Growing by a quarter over the live set after each
      // collection kept it near 300 MB for a little more GC time (docs/PERFORMANCE.md). Read by V8 at
      // every collection, so setting it now takes effect.
      v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    },
    clock,
    get signal() {
      return signal();
    },
    env,
    version,
  };
}
