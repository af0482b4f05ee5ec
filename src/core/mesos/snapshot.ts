import type { PortRange } from '../ports/port-range.js';

/**
 * The typed cluster snapshot the Mesos clients produce (from master `/state`, `/master/slaves`,
 * operator API `GET_STATE`, agent `/slave(1)/state` and `/flags`). Plain data: every command and
 * core function reads this, none of them talks HTTP.
 */
export interface Resources {
  cpus: number;
  mem: number; // MB
  disk: number; // MB
  gpus: number;
  ports: PortRange[];
}

export interface TaskStatusSnapshot {
  state: string;
  timestamp?: number; // seconds
  message?: string;
  reason?: string;
  source?: string;
}

export interface TaskSnapshot {
  id: string;
  name: string;
  frameworkId: string;
  executorId?: string;
  agentId: string;
  state: string;
  resources: Resources;
  statuses: TaskStatusSnapshot[];
  labels?: Record<string, string>;
  /** Which list of the framework the task came from. */
  list: 'tasks' | 'unreachable_tasks' | 'completed_tasks';
}

export interface ExecutorSnapshot {
  id: string;
  name: string;
  frameworkId: string;
  agentId: string;
  source?: string;
  /** Mesos ContainerID of the executor run (agent `/state` only); equals k8sm's MESOS_EXECUTOR_CONTAINER_UUID. */
  container?: string;
  /** Sandbox run directory (agent `/state` only). */
  directory?: string;
  resources?: Resources;
  taskIds: string[];
  /** name == `Kubelet-Executor` or id ends in `_k8sm-executor`. */
  isK8sm: boolean;
}

export interface FrameworkSnapshot {
  id: string;
  name: string;
  user?: string;
  hostname?: string;
  principal?: string;
  webuiUrl?: string;
  roles: string[];
  active: boolean;
  /** Whether the scheduler is connected; absent when the master does not say (before Mesos 1.2). */
  connected?: boolean;
  recovered?: boolean;
  checkpoint?: boolean;
  failoverTimeout?: number;
  registeredTime?: number;
  unregisteredTime?: number;
  /** In use: `used_resources`; before it existed (Mesos 0.19) `resources` minus what is offered. */
  used: Resources;
  offered: Resources;
  /** Live tasks (`tasks` entries not in a terminal state). */
  taskCount: number;
  offerCount: number;
  /** Looks like a k8sm scheduler: has a Kubelet-Executor executor or is named as the k8sm framework. */
  isK8sm: boolean;
  completed: boolean;
}

export interface AgentSnapshot {
  id: string;
  hostname: string;
  pid: string;
  port?: number;
  active: boolean;
  version?: string;
  registeredTime?: number;
  attributes: Record<string, string | number>;
  total: Resources;
  used: Resources;
  /**
   * `used` was not reported by the master (no `used_resources` before Mesos 0.23): it is the sum of
   * the live tasks and the executors the master lists on this agent.
   */
  usedFromTasks?: boolean;
  offered: Resources;
  /** Reserved resources per role. */
  reserved: Record<string, Resources>;
  unreserved: Resources;
  /** total - used (offered resources are still free for the framework holding the offer). */
  free: Resources;
  /** Offered `ports` per role (`*` = unreserved). */
  portsByRole: Record<string, PortRange[]>;
  /** Executors of k8sm frameworks running on this agent. */
  k8smExecutors: ExecutorSnapshot[];
  /**
   * The agent serves its state only as `/slave(1)/state.json` (Mesos before 0.25, which had no
   * `/state`). Decided from the agent's version, else from the master's (masters before 0.26 print
   * no agent versions; `.json` answers on 0.24 and 0.25 agents alike).
   */
  stateJsonOnly?: boolean;
  /** Filled when the agent itself was queried (`/slave(1)/state`, `/slave(1)/flags`). */
  detail?: AgentDetail;
  /** Deactivated by an operator (DEACTIVATE_AGENT, maintenance); printed since Mesos 1.9. */
  deactivated?: boolean;
  /** `drain_info.state` (`DRAINING`, `DRAINED`) of an agent being drained (Mesos 1.9+). */
  drainState?: string;
  /**
   * `used` per reservation role (`*` = unreserved), when the master says how it splits (GET_STATE
   * `allocated_resources`, `/master/slaves` `used_resources_full`); absent from the model `/state`.
   */
  usedByRole?: Record<string, Resources>;
}

/** An outstanding offer (a framework's `offers[]`). */
export interface OfferSnapshot {
  id: string;
  frameworkId: string;
  agentId: string;
  resources: Resources;
  /** Per reservation role, when the source gives the split (protobuf-JSON resources). */
  byRole?: Record<string, Resources>;
}

export interface AgentDetail {
  reachable: boolean;
  /** One-line reason when the agent did not answer. */
  error?: string;
  /** The Mesos version the agent reports in its own `/state`. */
  version?: string;
  flags?: Record<string, string>;
  executors?: ExecutorSnapshot[];
  /** Executors the agent still lists as completed (`completed_executors`), with when their last task ended. */
  completedExecutors?: CompletedExecutorSnapshot[];
}

/** A completed executor of the agent's `/state` (orphan proof: the executor run a container names is over). */
export interface CompletedExecutorSnapshot {
  id: string;
  name: string;
  frameworkId: string;
  /** Mesos ContainerID of the run (= MESOS_EXECUTOR_CONTAINER_UUID). */
  container?: string;
  /** Latest status timestamp of its tasks (seconds), the best the agent says about when it ended. */
  endedAt?: number;
  isK8sm: boolean;
}

export interface MasterInfo {
  /** URL that answered (the leader). */
  url: string;
  id?: string;
  pid?: string;
  hostname?: string;
  version?: string;
  leader?: string;
  cluster?: string;
  flags?: Record<string, string>;
}

export interface ClusterSnapshot {
  master: MasterInfo;
  agents: AgentSnapshot[];
  frameworks: FrameworkSnapshot[];
  tasks: TaskSnapshot[];
  /** Executors known to the master (and agents, when queried). */
  executors: ExecutorSnapshot[];
  /** ISO time the snapshot was taken. */
  fetchedAt: string;
  /** Partial failures (an agent that did not answer, ...): the data is still usable. */
  warnings: string[];
  /** Outstanding offers of the registered frameworks (absent when the parser did not read them). */
  offers?: OfferSnapshot[];
}
