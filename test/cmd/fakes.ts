/**
 * Fake clients for running commands in-process (test/cmd/**). The fake Mesos client answers from
 * master and agent `/state` documents through the same core parsers and the same agent selection as
 * the real client (only HTTP is left out); failures are the ClientErrors the real clients throw.
 */
import type { DockerEngineApi, DockerEngineOptions } from '../../src/clients/docker/docker-client.js';
import { readFileSync } from 'node:fs';
import { agentsToAsk, type AgentDetailsResult, type AgentRef, type SnapshotOptions } from '../../src/clients/mesos/mesos-client.js';
import type { MesosConnectOptions } from '../../src/clients/mesos/options.js';
import type { KubeLoadOptions, PodListOptions } from '../../src/clients/kube/kube-client.js';
import type { KubeEvent, KubeNamespace, KubeNode, KubePod, KubeVersionInfo } from '../../src/clients/kube/types.js';
import type { MesosVersionAnswer } from '../../src/clients/mesos/mesos-client.js';
import { parseMesosVersion } from '../../src/core/mesos/version-info.js';
import { ClientError, type ClientErrorInit } from '../../src/clients/errors.js';
import { parseMasterState, type FrameworkTask } from '../../src/core/mesos/master-state.js';
import { parseOperatorState } from '../../src/core/mesos/operator-state.js';
import { parseAgentState } from '../../src/core/mesos/agent-state.js';
import { mergeAgentDetails } from '../../src/core/mesos/merge-agent-details.js';
import type { AgentDetail, ClusterSnapshot, OfferSnapshot } from '../../src/core/mesos/snapshot.js';
import type { Factory, KubeApi, MesosApi } from '../../src/lib/factory.js';

export const MASTER_URL = 'http://127.0.0.1:5050';

/** A JSON document from test/core/mesos/fixtures (master-state.json: agent-1..3; agent-state.json: agent-1). */
export function mesosFixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../core/mesos/fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, any>;
}

/** A small agent `/state` for an agent of the master fixture. */
export function agentState(id: string, hostname: string, pid: string, flags: Record<string, string> = {}): Record<string, unknown> {
  return { id, hostname, pid, version: '1.11.0', flags: { executor_shutdown_grace_period: '30secs', ...flags }, frameworks: [], completed_frameworks: [] };
}

export interface FakeMesosOptions {
  /** The master's /state document (default: master-state.json). */
  master?: Record<string, unknown>;
  /** Agent /state documents by agent id, or the error asking that agent ends with. */
  agents?: Record<string, Record<string, unknown> | Error>;
  /** Every snapshot fails with this. */
  fail?: ClientError;
  /** The master's `/version` answer (default: the build fields of the master's /state). */
  version?: Record<string, unknown>;
  /** The master's GET_STATE answer, for snapshots asked with `source: 'operator'` (default: parse `master` as /state). */
  operator?: Record<string, unknown>;
  /** `teardownFramework` fails with this. */
  teardownError?: ClientError;
  /** What `frameworkTasks` answers, by framework id. */
  tasks?: Record<string, FrameworkTask[]>;
  /** What `frameworkOffers` answers (offer ids of the second look), by framework id. */
  offersLater?: Record<string, string[]>;
}

export class FakeMesos implements MesosApi {
  leaderUrl: string | undefined;
  /** The options of every snapshot asked for. */
  readonly calls: SnapshotOptions[] = [];
  /** Agent ids asked for their own state, in order. */
  readonly agentsAsked: string[] = [];
  closed = 0;

  constructor(private readonly o: FakeMesosOptions = {}) {}

  async snapshot(opts: SnapshotOptions = {}): Promise<ClusterSnapshot> {
    this.calls.push(opts);
    if (this.o.fail) throw this.o.fail;
    this.leaderUrl = MASTER_URL;
    const parseOpts = { source: `/state of master ${MASTER_URL}`, masterUrl: MASTER_URL, fetchedAt: '2026-01-01T00:00:00.000Z' };
    const snap =
      opts.source === 'operator' && this.o.operator
        ? parseOperatorState(this.o.operator, parseOpts)
        : parseMasterState(this.o.master ?? mesosFixture('master-state.json'), parseOpts);
    if (opts.agentDetails) {
      const details = new Map<string, AgentDetail>();
      const asked = agentsToAsk(snap.agents, opts);
      for (const a of asked) {
        this.agentsAsked.push(a.id);
        const doc = this.o.agents?.[a.id] ?? (a.id === '7e8f-S0' ? mesosFixture('agent-state.json') : agentState(a.id, a.hostname, a.pid ?? ''));
        details.set(a.id, doc instanceof Error ? { reachable: false, error: doc.message } : parseAgentState(doc, `/slave(1)/state of agent ${a.hostname}`));
      }
      mergeAgentDetails(snap, details);
      opts.onAgentProgress?.(asked.length, asked.length);
    }
    return snap;
  }

  async masterVersion(): Promise<MesosVersionAnswer> {
    if (this.o.fail) throw this.o.fail;
    this.leaderUrl = MASTER_URL;
    const doc = this.o.version ?? this.o.master ?? mesosFixture('master-state.json');
    return { info: parseMesosVersion(doc, `/version of master ${MASTER_URL}`), endpoint: '/version', masterUrl: MASTER_URL };
  }

  /** Agent ids asked by `agentDetails`, in order. */
  readonly detailsAsked: string[] = [];
  /** Framework ids whose offers were looked at again. */
  readonly offersAsked: string[] = [];

  async agentDetails(agents: ReadonlyArray<AgentRef>): Promise<AgentDetailsResult> {
    const details = new Map<string, AgentDetail>();
    const warnings: string[] = [];
    for (const a of agents) {
      this.detailsAsked.push(a.id);
      const doc = this.o.agents?.[a.id] ?? agentState(a.id, a.hostname, a.pid ?? '');
      if (doc instanceof Error) {
        details.set(a.id, { reachable: false, error: doc.message });
        warnings.push(`agent ${a.hostname} (${a.id}) did not answer: ${doc.message}`);
      } else details.set(a.id, parseAgentState(doc, `/slave(1)/state of agent ${a.hostname}`));
    }
    return { details, warnings };
  }

  async frameworkTasks(frameworkId: string): Promise<FrameworkTask[]> {
    if (this.o.fail) throw this.o.fail;
    return this.o.tasks?.[frameworkId] ?? [];
  }

  async frameworkOffers(frameworkId: string): Promise<OfferSnapshot[]> {
    if (this.o.fail) throw this.o.fail;
    this.offersAsked.push(frameworkId);
    return (this.o.offersLater?.[frameworkId] ?? []).map((id) => ({
      id,
      frameworkId,
      agentId: '',
      resources: { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] },
    }));
  }

  /** Framework ids torn down, in order. */
  readonly teardowns: string[] = [];

  async teardownFramework(frameworkId: string): Promise<{ endpoint: string; masterUrl: string }> {
    if (this.o.fail) throw this.o.fail;
    if (this.o.teardownError) throw this.o.teardownError;
    this.teardowns.push(frameworkId);
    return { endpoint: '/api/v1 TEARDOWN', masterUrl: MASTER_URL };
  }

  close(): void {
    this.closed++;
  }
}

export interface FakeKubeOptions {
  namespace?: string;
  pods?: KubePod[];
  /** listPods fails with this (for every call, or only for all-namespaces lists). */
  fail?: ClientError;
  failAllNamespaces?: ClientError;
  /** Namespaces listNamespaces answers (default: those of the pods, and default). */
  namespaces?: string[];
  /** What serverVersion answers (default: v1.20.2). */
  version?: KubeVersionInfo;
  /** Events listEvents answers (filtered by namespace like pods). */
  events?: KubeEvent[];
  /** Nodes listNodes answers, or the error it fails with. */
  nodes?: KubeNode[] | ClientError;
}

export class FakeKube implements KubeApi {
  readonly namespace: string;
  readonly calls: PodListOptions[] = [];
  closed = 0;

  constructor(private readonly o: FakeKubeOptions = {}) {
    this.namespace = o.namespace ?? 'default';
  }

  async listPods(opts: PodListOptions = {}): Promise<KubePod[]> {
    this.calls.push(opts);
    if (this.o.fail) throw this.o.fail;
    if (opts.allNamespaces && this.o.failAllNamespaces) throw this.o.failAllNamespaces;
    const ns = opts.allNamespaces ? undefined : (opts.namespace ?? this.namespace);
    return (this.o.pods ?? []).filter((p) => ns === undefined || (p.metadata.namespace ?? 'default') === ns);
  }

  async listNamespaces(): Promise<KubeNamespace[]> {
    if (this.o.fail) throw this.o.fail;
    const names = this.o.namespaces ?? [...new Set(['default', ...(this.o.pods ?? []).map((p) => p.metadata.namespace ?? 'default')])];
    return names.map((name) => ({ metadata: { name }, status: { phase: 'Active' } }));
  }

  async serverVersion(): Promise<KubeVersionInfo> {
    if (this.o.fail) throw this.o.fail;
    return this.o.version ?? { major: '1', minor: '20', gitVersion: 'v1.20.2', platform: 'linux/amd64' };
  }

  /** Every list asked for, in order (`pods`, `events`, `nodes`). */
  readonly lists: string[] = [];

  async listEvents(opts: PodListOptions = {}): Promise<KubeEvent[]> {
    this.lists.push('events');
    if (this.o.fail) throw this.o.fail;
    const ns = opts.allNamespaces ? undefined : (opts.namespace ?? this.namespace);
    return (this.o.events ?? []).filter((e) => ns === undefined || (e.metadata.namespace ?? 'default') === ns);
  }

  async listNodes(): Promise<KubeNode[]> {
    this.lists.push('nodes');
    if (this.o.nodes instanceof ClientError) throw this.o.nodes;
    return this.o.nodes ?? [];
  }

  close(): void {
    this.closed++;
  }
}

export interface FakeFactory extends Factory {
  /** The connection options each `mesos()` call got. */
  mesosOptions: MesosConnectOptions[];
  kubeOptions: KubeLoadOptions[];
}

/** A factory handing out the given fakes (or failing with the given errors, as loadKube does for a bad kubeconfig). */
export function fakeFactory(
  o: {
    mesos?: FakeMesos;
    kube?: FakeKube | ClientError;
    env?: Record<string, string>;
    version?: string;
    signal?: AbortSignal;
    /** The engine for an endpoint (orphan commands). */
    docker?: (opts: DockerEngineOptions) => DockerEngineApi | undefined;
  } = {},
): FakeFactory {
  const f: FakeFactory = {
    mesosOptions: [],
    kubeOptions: [],
    async mesos(opts) {
      f.mesosOptions.push(opts);
      return o.mesos ?? new FakeMesos();
    },
    async kube(opts) {
      f.kubeOptions.push(opts);
      if (o.kube instanceof ClientError) throw o.kube;
      return o.kube ?? new FakeKube();
    },
    async docker(opts) {
      const d = o.docker?.(opts);
      if (!d) throw new ClientError({ kind: 'unreachable', service: 'docker-engine', message: `no fake Docker engine for ${opts.endpoint.url}` });
      return d;
    },
    clock: { now: () => Date.parse('2026-01-01T00:00:00Z') },
    signal: o.signal ?? new AbortController().signal,
    env: o.env ?? {},
    version: o.version ?? '9.9.9-test',
  };
  return f;
}

/** A ClientError as the real clients throw it. */
export function clientError(init: ClientErrorInit): ClientError {
  return new ClientError(init);
}

/** A pod as the apiserver lists it. */
export function pod(name: string, namespace: string, extra: { taskId?: string; phase?: string; nodeName?: string } = {}): KubePod {
  return {
    metadata: { name, namespace, uid: `uid-${name}`, ...(extra.taskId ? { annotations: { 'k8s.mesosphere.io/taskId': extra.taskId } } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
    status: { phase: extra.phase ?? 'Running' },
  };
}
