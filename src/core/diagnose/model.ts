import type { ClusterSnapshot } from '../mesos/snapshot.js';
import type { K8smScheduler } from '../k8sm/scheduler.js';

/**
 * What `diagnosePod` and `diagnoseCluster` read and return. Plain data: the command gathers the
 * snapshot (one master request, one list each of pods, events and Nodes, agents' `/state` only
 * where a verdict needs it) and renders the result; everything in between is pure.
 *
 * The Kubernetes objects are typed structurally for the fields read here (the apiserver's wire
 * JSON, as `kubectl get -o json` shows it), so core does not depend on the clients.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
}

export interface ContainerStateDetail {
  reason?: string;
  message?: string;
  exitCode?: number;
  startedAt?: string;
  finishedAt?: string;
}

export interface ContainerStatusObject {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: ContainerStateDetail; running?: ContainerStateDetail; terminated?: ContainerStateDetail };
  lastState?: { waiting?: ContainerStateDetail; running?: ContainerStateDetail; terminated?: ContainerStateDetail };
}

export interface PodObject {
  metadata: ObjectMeta;
  spec: {
    nodeName?: string;
    nodeSelector?: Record<string, string>;
    schedulerName?: string;
    terminationGracePeriodSeconds?: number;
    containers: ReadonlyArray<unknown>;
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    containerStatuses?: ReadonlyArray<ContainerStatusObject>;
  };
}

export interface EventObject {
  metadata: ObjectMeta;
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string };
}

export interface NodeObject {
  metadata: ObjectMeta;
}

export interface DiagnoseSnapshot {
  /**
   * The master's state in one request (GET_STATE where the master has the v1 API: task statuses
   * with source, reason and message), offers included, plus the `/state` of the agents asked
   * (`agent.detail`).
   */
  mesos: ClusterSnapshot;
  /** Pods of the scope (a namespace, or all namespaces). */
  pods: ReadonlyArray<PodObject>;
  /** Events of the same scope (about pods); undefined when they could not be read (scheduler-silent is then not judged). */
  events: ReadonlyArray<EventObject> | undefined;
  /** Every Node; undefined when they could not be read (Node checks are then skipped). */
  nodes: ReadonlyArray<NodeObject> | undefined;
  /**
   * A second look at the k8sm framework's offers, `afterMs` after the snapshot: the ids still
   * outstanding. Mesos prints no offer times, so only two looks tell a held offer from a new one.
   */
  offersLater?: { afterMs: number; ids: ReadonlyArray<string> };
}

export interface DiagnoseSettings {
  /** The k8sm scheduler's settings, prepared (`k8smScheduler`): roles, defaults, executor overhead. */
  scheduler: K8smScheduler;
  /** `--framework-name` of the k8sm scheduler (default `Kubernetes`). */
  frameworkName: string;
  /** A Pending pod never launched is stuck once this old (`--stuck-after`, default 30 s). */
  stuckAfterMs: number;
  /** `--mesos-launch-grace-period` (default 5 m): the executor deletes a launched pod not Running by then. */
  launchGraceMs: number;
  /** The scheduler's `offer-ttl` (default 5 s). */
  offerTtlMs: number;
  /** The executor id the scheduler uses now, when known (`--executor-id`); else inferred from the cluster. */
  executorId?: string;
}

/** k8sm's defaults for the settings that are not scheduler flags of `K8smScheduler`. */
export const DIAGNOSE_DEFAULTS = {
  frameworkName: 'Kubernetes',
  stuckAfterMs: 30_000,
  launchGraceMs: 5 * 60_000,
  offerTtlMs: 5_000,
  /** k8sm's `max-pod-backoff` (§1.3). */
  maxPodBackoffMs: 60_000,
} as const;

export type Stage = 'unscheduled' | 'launched' | 'running' | 'young';

/** One reason, as JSON prints it. */
export interface Reason {
  reason: string;
  message: string;
  fix?: string;
}

/** One agent's verdict for a pod never launched: every reason it cannot take the pod there (the first is the headline), or `fits`. */
export interface AgentVerdict {
  id: string;
  hostname: string;
  reasons: ReadonlyArray<Reason & { short: string; group: string }>;
}

export interface EventLine {
  type: string;
  reason: string;
  from: string;
  age: string;
  count: number;
  message: string;
}

export interface StatusLine {
  state: string;
  at: string;
  source?: string;
  reason?: string;
  message?: string;
}

export interface PodDiagnosis {
  namespace: string;
  name: string;
  uid: string;
  phase: string;
  stage: Stage;
  /** Needs attention: stuck by the definition (a named pod that is fine says so and is not). */
  stuck: boolean;
  summary: string;
  /** Pod-level, cluster-level and launch reasons, and one entry per agent headline (with the count of agents). */
  reasons: ReadonlyArray<Reason>;
  /** Every agent with its reasons (never-launched pods only; empty otherwise). */
  agents: ReadonlyArray<AgentVerdict>;
  evidence: {
    events: ReadonlyArray<EventLine>;
    task?: { id: string; agent: string; state: string; executor?: string; sandbox?: string; statuses: ReadonlyArray<StatusLine> };
    containers: ReadonlyArray<string>;
  };
}

export type Severity = 'error' | 'warning';

export interface ClusterCause extends Reason {
  severity: Severity;
  agent?: string;
}

export interface ClusterDiagnosis {
  causes: ReadonlyArray<ClusterCause>;
}
