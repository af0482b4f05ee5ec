import type { PortRange } from '../ports/port-range.js';
import type { AttributeValue } from '../k8sm/node-labels.js';
import type { SchedulerSettings } from '../k8sm/settings.js';

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
 * Mesos master, or from a saved `get agents -o json` snapshot, with the k8sm scheduler's settings.
 */
export interface ClusterModel extends SchedulerSettings {
  origin: 'flags' | 'mesos' | 'snapshot';
  /** Human description of where the model came from, e.g. `--ports [31000-32000]` or a master URL. */
  source: string;
  agents: AgentShape[];
  /** Number of agents when known (offline: `--agents`; live: agents.length). */
  agentCount?: number;
  /** Whether agent sizes (cpus/mem) are known at all. */
  sizesKnown: boolean;
  /** The k8sm controller-manager's --host-port-endpoints: service endpoints at HostIP:HostPort (reference §1.16). */
  hostPortEndpoints: boolean;
}
