/**
 * Public configuration and seed types of the Mesos simulator. Everything here is plain JSON so that
 * a config file for `main.ts` is a `SimConfig` as it stands (TLS may also be given as files there).
 */
import type { PodLike } from './k8sm.js';
import type { ResourceAmounts } from './resources.js';
import type { SchedulerApiConfig } from './scheduler-api.js';

export type { ResourceAmounts } from './resources.js';

export const TASK_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
] as const;
export type TaskStateName = (typeof TASK_STATES)[number];

/** Terminal task states (`protobuf::isTerminalState` in Mesos). */
export const TERMINAL_TASK_STATES: ReadonlySet<TaskStateName> = new Set<TaskStateName>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/** v1 names (the v0 ones, SOURCE_SLAVE / REASON_SLAVE_*, are accepted in seeds and mapped). */
export type TaskStatusSource = 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';

export interface SimConfig {
  /** Number of masters; the first is the leader, the others standbys. Default 1. */
  masters?: number;
  /** Bind address of the masters (and of agents without their own `ip`). Default 127.0.0.1. */
  host?: string;
  /** One bind address per master (e.g. 127.0.1.1, 127.0.1.2) instead of `host` for all. */
  masterHosts?: string[];
  /** Fixed master ports (one per master); default: free ports. */
  masterPorts?: number[];
  /** PEM certificate and key: every master and agent serves HTTPS. */
  tls?: { cert: string; key: string };
  /** HTTP basic auth on every authenticated endpoint (401 + WWW-Authenticate otherwise). */
  auth?: { principal: string; secret: string };
  /** Register the masters in a real ZooKeeper the way Mesos masters do. `timeoutMs`: to connect (default 15000). */
  zk?: { connect: string; path: string; timeoutMs?: number };
  /** Mesos version string. Default 1.11.0. Below 1.7 `/state.json` is served too. */
  version?: string;
  agents: AgentConfig[];
  frameworks?: FrameworkSeed[];
  /** `--cluster` of the masters. */
  clusterName?: string;
  /** Extra master flags (strings), merged over the defaults. */
  masterFlags?: Record<string, string>;
  /** The apiserver k8sm pods are bound in, when a launch does not name one (seeded pods, launchK8smPod, the scheduler API). */
  kube?: { server: string; token: string; caPem?: string };
  /** The master's v1 scheduler API: heartbeats, allocation interval, `--offer_timeout`, status retries, launch mode. */
  schedulerApi?: SchedulerApiConfig;
}

export type DockerEndpoint = { host: string; port: number } | { socketPath: string };

export interface AgentConfig {
  /** Agent ID; default `<leader master id>-S<n>`. */
  id?: string;
  hostname: string;
  /** Bind address of this agent's HTTP server (e.g. 127.0.0.2). Default: the simulator's host. */
  ip?: string;
  /** Agent HTTP port. Default: a free port. */
  port?: number;
  /** Total resources across all roles. `ports` defaults to `[31000-32000]` (Mesos DEFAULT_PORTS). */
  resources: { cpus: number; mem: number; disk?: number; gpus?: number; ports?: string };
  /** Static reservations carved out of `resources`, per role. */
  reserved?: Record<string, { cpus?: number; mem?: number; disk?: number; gpus?: number; ports?: string }>;
  attributes?: Record<string, string | number>;
  /** Agent flags (strings) merged over realistic defaults. */
  flags?: Record<string, string>;
  /** This agent's real Docker engine (for the k8sm executor behaviour). */
  docker?: DockerEndpoint;
}

export interface CommandSeed {
  value?: string;
  /** Unset unless given (the model JSON omits it then; protobuf-JSON shows the default `true`). */
  shell?: boolean;
  arguments?: string[];
  uris?: Array<{ value: string; executable?: boolean; extract?: boolean; cache?: boolean }>;
  environment?: Record<string, string>;
  user?: string;
}

export interface FrameworkSeed {
  id?: string;
  name: string;
  user?: string;
  /** Single-role framework (k8sm): `role`. MULTI_ROLE framework: `roles` (adds the MULTI_ROLE capability). */
  role?: string;
  roles?: string[];
  principal?: string;
  hostname?: string;
  webuiUrl?: string;
  failoverTimeout?: number;
  checkpoint?: boolean;
  capabilities?: string[];
  active?: boolean;
  connected?: boolean;
  recovered?: boolean;
  /** libprocess pid of a driver-based scheduler (k8sm used one), e.g. `scheduler(1)@127.0.0.1:10251`. Omitted for HTTP frameworks. */
  pid?: string;
  labels?: Record<string, string>;
  registeredTime?: number;
  reregisteredTime?: number;
  executors?: Array<Omit<ExecutorSeed, 'frameworkId'>>;
  tasks?: Array<Omit<TaskSeed, 'frameworkId'>>;
  offers?: Array<Omit<OfferSeed, 'frameworkId'>>;
  /** Pods launched the k8sm way at start (see MesosSimulator.launchK8smPod), in order. */
  pods?: PodSeed[];
}

export interface PodSeed {
  /** Agent ID or hostname. */
  agentId: string;
  pod: PodLike;
  executorId?: string;
  containers?: string[];
  role?: string;
}

export interface ExecutorSeed {
  frameworkId: string;
  /** Agent ID or hostname. */
  agentId: string;
  id?: string;
  name?: string;
  source?: string;
  command?: CommandSeed;
  resources?: ResourceAmounts;
  /** Role the resources are allocated to; default the framework's role. */
  role?: string;
  /** Mesos ContainerID of this executor run; default a random UUID. */
  containerId?: string;
  labels?: Record<string, string>;
  type?: 'DEFAULT' | 'CUSTOM';
  /** Shape it as k8sm's executor: name Kubelet-Executor, source kubernetes, id `<crc64>_k8sm-executor`, 0.25 cpus / 128 MB. */
  k8sm?: boolean;
}

export interface StatusSeed {
  state: TaskStateName;
  message?: string;
  source?: TaskStatusSource | 'SOURCE_SLAVE';
  reason?: string;
  timestamp?: number;
  healthy?: boolean;
  data?: string;
}

export interface TaskSeed {
  frameworkId: string;
  /** Agent ID or hostname. */
  agentId: string;
  id?: string;
  name?: string;
  /** Executor ID; without one the task is a command task (the agent shows a command executor). */
  executorId?: string;
  state?: TaskStateName;
  resources?: ResourceAmounts;
  role?: string;
  /** Status history; default one status for `state` from the executor. */
  statuses?: StatusSeed[];
  labels?: Record<string, string>;
  user?: string;
  command?: CommandSeed;
  data?: string;
}

export interface OfferSeed {
  frameworkId: string;
  /** Agent ID or hostname. */
  agentId: string;
  resources: ResourceAmounts;
  role?: string;
}

export type FaultKind =
  | { kind: 'slow'; delayMs: number }
  | { kind: 'status'; status: 500 | 502 | 503 }
  | { kind: 'truncate' }
  | { kind: 'garbage' }
  | { kind: 'hang' }
  | { kind: 'drop' };

export type FaultSpec = FaultKind & {
  /** Path (exact, without query) or a RegExp tested against the path. Default: every path. */
  endpoint?: string | RegExp;
  /** Only this master (index). */
  master?: number;
  /** Only this agent (ID or hostname). */
  agent?: string;
  /** Apply to this many matching requests, then stop. Default: until clearFaults(). */
  times?: number;
};

export interface RequestLogEntry {
  time: number;
  method: string;
  /** Path with query string. */
  path: string;
  server: { kind: 'master'; index: number } | { kind: 'agent'; id: string; hostname: string };
  /** HTTP status sent; 0 when nothing was sent (hang, drop). */
  status: number;
  fault?: FaultKind['kind'];
}
