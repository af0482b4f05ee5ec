import type { PortRange } from '../ports/port-range.js';

/** k8sm's two host-port mapping strategies (KMF `podtask/hostport/mapper.go`). */
export type PortMapping = 'wildcard' | 'fixed';

/** Text or scalar Mesos agent attribute, as k8sm turns them into node labels. */
export type AttributeValue = string | number;

/**
 * One agent as `validate` needs to know it: what it offers in total (not what is free now).
 * Offline the model holds one synthetic agent built from `--ports/--agent-cpus/--agent-mem`.
 */
export interface AgentShape {
  /** Hostname (live) or a label such as `(--ports)` (offline). */
  name: string;
  /** Offered `ports` ranges, all roles merged, sorted, non-overlapping. */
  ports: PortRange[];
  /** Per role (`*` for unreserved) port ranges, when known. */
  portsByRole?: Record<string, PortRange[]>;
  /** Total cpus / mem (MB) when known. */
  cpus?: number;
  mem?: number;
  /** Agent attributes (live only), as `k8s.mesosphere.io/attribute-<name>` labels see them. */
  attributes?: Record<string, AttributeValue>;
  /** A k8sm executor already runs there (live only): the executor overhead is not charged again. */
  k8smExecutor?: boolean;
}

/**
 * The cluster as `validate` models it: a plain data type, filled from flags (offline), from a live
 * Mesos master, or from a saved `get agents -o json` snapshot.
 */
export interface ClusterModel {
  origin: 'flags' | 'mesos' | 'snapshot';
  /** Human description of where the model came from, e.g. `--ports [31000-32000]` or a master URL. */
  source: string;
  agents: AgentShape[];
  /** Number of agents when known (offline: `--agents`; live: agents.length). */
  agentCount?: number;
  /** Whether agent sizes (cpus/mem) are known at all. */
  sizesKnown: boolean;
  /** Default strategy: wildcard when host-port endpoints are on (k8sm default), fixed otherwise. */
  portMapping: PortMapping;
  hostPortEndpoints: boolean;
  /** k8sm scheduler resource settings (defaults from KMF `service.go`). */
  executorCpus: number;
  executorMem: number;
  defaultContainerCpu: number;
  defaultContainerMem: number;
  /** Framework roles (`--mesos-framework-roles`); `*` by default. */
  frameworkRoles: string[];
  /** Default pod roles (`--mesos-default-pod-roles`); `*` by default. */
  defaultPodRoles: string[];
}

export const K8SM_DEFAULTS = {
  ports: '[31000-32000]',
  executorCpus: 0.25,
  executorMem: 128,
  defaultContainerCpu: 0.25,
  defaultContainerMem: 64,
  minContainerCpu: 0.01,
  minContainerMem: 32,
} as const;
