/**
 * The shape of a running test stack, as written to `stack.json` (`.stack/stack.json` for
 * `npm run stack:up`, `<dir>/stack.json` for the e2e global setup). Everything a test, a benchmark or a
 * person needs to reach the servers: URLs, credentials, files, and the PIDs that `stopStack` stops.
 */

export const STACK_INFO_VERSION = 1;

/** One server process the stack started (stopped by this PID, never by name). */
export interface StackProcess {
  /** `etcd`, `kube-apiserver`, `dockerd-1`, `containerd-1`, `zookeeper`, `mesos-sim`. */
  name: string;
  pid: number;
  /** stdout+stderr of the process. */
  log: string;
}

export interface KubeUser {
  /** User name the apiserver authenticates (`admin`, `limited`). */
  name: string;
  token: string;
  groups: string[];
  /** kubeconfig with only this user (one context, current). */
  kubeconfig: string;
  /** Context name in both this file and the combined kubeconfig. */
  context: string;
}

export interface KubeInfo {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** `v1.20.2` */
  version: string;
  /** CA that signed the apiserver's serving cert (PEM file). */
  caFile: string;
  admin: KubeUser;
  /** May get/list/watch pods in `team-a` only (Role + RoleBinding); nothing cluster-wide. */
  limited: KubeUser;
  /** Two contexts (`admin@k8sm-test`, `limited@k8sm-test`), current-context admin. */
  kubeconfig: string;
  /** One context `cert-admin@k8sm-test`: client-certificate auth (user cert-admin, group system:masters). */
  certAdminKubeconfig: string;
  clusterName: string;
  namespaces: string[];
  /** The namespace the limited user may read pods in (`team-a`; its context's default namespace). */
  limitedNamespace: string;
  etcdUrl: string;
}

export interface DockerEngineInfo {
  /** 1-based, matching the agent. */
  index: number;
  /** The agent this engine belongs to (`agent-1`). */
  agent: string;
  /** 127.0.0.(index+1)... the loopback address the engine listens on (127.0.0.2 for engine 1). */
  ip: string;
  port: number;
  /** `tcp://127.0.0.2:2375` (DOCKER_HOST form) */
  host: string;
  /** `http://127.0.0.2:2375` */
  url: string;
  /** Unix socket path (`unix://` + socket is a DOCKER_HOST too). */
  socket: string;
  dataRoot: string;
  /** Image tags present after start (`busybox:latest`). */
  images: string[];
}

export interface ZooKeeperInfo {
  /** `127.0.0.1:<port>` */
  connect: string;
  host: string;
  port: number;
  dataDir: string;
}

export interface MesosMasterInfo {
  /** `http://127.0.0.1:<port>` */
  url: string;
  host: string;
  port: number;
  /** true for the master that leads at start. */
  leader: boolean;
}

export interface MesosAgentInfo {
  /** `agent-1` */
  hostname: string;
  /** Agent ID as the simulator reports it (`<master id>-S0`). */
  id?: string;
  ip: string;
  port: number;
  /** `http://127.0.0.2:<port>`, if the simulator reported one. */
  url?: string;
  /** The Docker engine (index into `docker`) the agent runs containers on. */
  dockerIndex: number;
  /** The resources/attributes the stack configured (Mesos text forms). */
  resources: Record<string, string>;
  /** Static reservations per role, e.g. `{ public: { cpus: 2, mem: 2048, ports: '[80-80, 443-443]' } }`. */
  reserved?: Record<string, Record<string, number | string>>;
  attributes: Record<string, string>;
}

export interface MesosInfo {
  masters: MesosMasterInfo[];
  /** URL of the leader at start. */
  leaderUrl: string;
  /** Every master, comma separated (a valid `--mesos-master`). */
  masterList: string;
  /** `zk://127.0.0.1:<port>/mesos` */
  zkUrl: string;
  /** ZooKeeper path the masters register under (`/mesos`). */
  zkPath: string;
  agents: MesosAgentInfo[];
  /** The simulator's control API (leader change, faults, seeding, k8sm launches): POST <url>/<method>. */
  controlUrl?: string;
  /** Mesos version the simulator reports (`1.11.0`). */
  version: string;
  /** The simulator's config file and what its CLI printed on start (endpoints JSON). */
  configFile: string;
  endpoints: unknown;
}

export interface PkiInfo {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  /** A serving cert for the Mesos simulator's TLS tests: SAN IP:127.0.0.1, localhost, the agents' IPs. */
  mesosCert: string;
  mesosKey: string;
  /** Client cert/key of user `cert-admin` in group `system:masters` (client-certificate auth). */
  clientCert: string;
  clientKey: string;
}

export interface StackInfo {
  version: typeof STACK_INFO_VERSION;
  /** ISO time the stack finished starting. */
  startedAt: string;
  /** Wall time from `startStack` call to ready, ms. */
  startMs: number;
  /** Per-phase timings (ms from start to ready), to keep start-up honest. */
  timings: Record<string, number>;
  /** The one temp folder holding all data, logs and config. Removed by `stopStack`. */
  dir: string;
  logsDir: string;
  /** Where this info is written. */
  infoFile: string;
  pki: PkiInfo;
  kube: KubeInfo;
  docker: DockerEngineInfo[];
  zookeeper: ZooKeeperInfo;
  /** Absent when the stack was started without the simulator (`mesos: false`). */
  mesos?: MesosInfo;
  processes: StackProcess[];
  /** Ready-to-use environment for k8smctl (`KUBECONFIG`, `MESOS_MASTER`, ...). */
  env: Record<string, string>;
}

export interface StartStackOptions {
  /** Number of Docker engines/agents (default 3, at most 250). */
  agents?: number;
  /** Where to write stack.json (default `<dir>/stack.json`). */
  infoFile?: string;
  /** Parent of the temp folder (default os.tmpdir()). Keep it short: unix socket paths are limited. */
  tmpRoot?: string;
  /** Start the Mesos simulator (default true). */
  mesos?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Project root (default: found from this file). */
  projectRoot?: string;
  /** Give up waiting for any one server after this long (default 60 s). */
  readyTimeoutMs?: number;
}
