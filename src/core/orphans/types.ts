/**
 * What the orphan check works on: kubelet containers as the agent's Docker engine shows them, the
 * agent's own `/state` (read now), and the cluster (master snapshot, pods). Plain data, no I/O.
 */
import type { AgentDetail, FrameworkSnapshot, TaskSnapshot } from '../mesos/snapshot.js';

/** A kubelet container of an agent's Docker engine (list entry, plus the env once inspected). */
export interface KubeletContainer {
  id: string;
  /** Without the leading `/`. */
  name: string;
  labels: Readonly<Record<string, string>>;
  /** Docker state: running, exited, created, paused, restarting, dead... */
  state: string;
  /** Unix seconds. */
  created?: number;
  /** `Config.Env` from inspect; undefined when it was not (or could not be) inspected. */
  env?: readonly string[];
  /** Why inspect failed (one line), when it did. */
  inspectError?: string;
}

/** An agent as read now: its Mesos `/state` (or why it could not be read). */
export interface AgentReading {
  id: string;
  hostname: string;
  /** The agent's `/slave(1)/state`; `reachable: false` with `error` when it did not answer. */
  detail: AgentDetail;
}

/** A pod as the apiserver has it now. */
export interface PodFacts {
  namespace: string;
  name: string;
  uid?: string;
  nodeName?: string;
  /** Annotation `k8s.mesosphere.io/taskId`. */
  taskId?: string;
}

/** The cluster as read for the check. */
export interface ClusterFacts {
  frameworks: ReadonlyArray<FrameworkSnapshot>;
  tasks: ReadonlyArray<TaskSnapshot>;
  /** Every pod of every namespace; undefined when the apiserver was not read (no pod evidence then). */
  pods?: ReadonlyArray<PodFacts>;
}

export type OrphanClass = 'orphan' | 'live' | 'unproven';

/** Why a container is unproven. */
export type UnprovenReason = 'agent-unreadable' | 'not-inspected' | 'no-marker' | 'executor-container-unknown' | 'task-running';

/** Evidence beyond the proof, when present. */
export type OrphanEvidence =
  | { kind: 'executor-completed'; executorId: string; frameworkId: string; endedAt?: number }
  | { kind: 'pod-deleted' }
  | { kind: 'pod-bound-elsewhere'; nodeName: string }
  | { kind: 'pod-other-uid'; uid: string }
  | { kind: 'task-terminal'; taskId: string; state: string };

export interface ContainerPod {
  namespace: string;
  name: string;
  uid?: string;
}

export interface Classification {
  agentId: string;
  hostname: string;
  container: KubeletContainer;
  pod?: ContainerPod;
  /** `MESOS_EXECUTOR_CONTAINER_UUID` of the container, when inspected and present. */
  marker?: string;
  class: OrphanClass;
  /** live: the executor that runs it; unproven: why; orphan: the proof in words. */
  reason: string;
  unprovenReason?: UnprovenReason;
  /** live: the executor running the container's marker. */
  executorId?: string;
  evidence: OrphanEvidence[];
  /** Host ports the container holds (running only; from `io.kubernetes.container.ports`). */
  hostPorts: number[];
  /** Seconds: the container's `io.kubernetes.pod.terminationGracePeriod` label, else 30. */
  gracePeriodSeconds: number;
}
