/**
 * The Mesos simulator: masters (a leader and standbys) and agents, each on its own HTTP(S) port,
 * serving the documented Mesos JSON from one shared in-memory cluster state, with leader changes,
 * fault injection, ZooKeeper registration and k8sm's executor behaviour against real Docker engines
 * and a real apiserver. See README.md for the API and the choices made where the reference is vague.
 */
import { AgentRouter } from './agent-http.js';
import { DEFAULT_VERSION, defaultAgentFlags, defaultMasterFlags, sortedFlags } from './defaults.js';
import { FaultRegistry, startServer, type SimServer } from './http.js';
import { uuidV4 } from './ids.js';
import { K8smExecutorSim, parseMesosDuration, type LaunchK8smPodOptions, type LaunchedPod, type ShutdownOutcome } from './k8sm.js';
import { MasterRouter, type MasterRuntime } from './master-http.js';
import { SchedulerApiSim } from './scheduler-api.js';
import { formatAttributesFlag, formatResourcesFlag } from './resources.js';
import { ClusterState, SimError, isTerminal, type AgentRecord, type ExecutorRecord, type TaskRecord } from './state.js';
import type {
  AgentConfig,
  ExecutorSeed,
  FaultSpec,
  FrameworkSeed,
  OfferSeed,
  RequestLogEntry,
  SimConfig,
  StatusSeed,
  TaskSeed,
  TaskStateName,
  TaskStatusSource,
} from './types.js';
import type { AgentViewContext } from './views/agent.js';
import { masterInfoProto } from './views/operator.js';
import { ZkRegistrar } from './zk.js';

export * from './types.js';
export { ClusterState, SimError } from './state.js';
export type { SchedulerApiConfig, SchedulerLaunchMode } from './scheduler-api.js';
export type { LaunchK8smPodOptions, LaunchedPod, PodLike, KubeAccess, ShutdownOutcome } from './k8sm.js';

/** What an executor shutdown did: the tasks it ended, the executor's container, and each pod container's fate. */
export interface ExecutorShutdownResult extends ShutdownOutcome {
  tasks: string[];
  containerId: string;
  /** The agent's executor_shutdown_grace_period, ms. */
  gracePeriodMs: number;
}

function emptyOutcome(): ShutdownOutcome {
  return { end: 'exited', stopped: [], left: [], failed: [] };
}

export interface SimMaster {
  index: number;
  id: string;
  url: string;
  host: string;
  port: number;
  pid: string;
}

export interface SimAgent {
  id: string;
  hostname: string;
  url: string;
  ip: string;
  port: number;
  pid: string;
}

interface AgentRuntime {
  record: AgentRecord;
  server?: SimServer;
  flags: Record<string, string>;
}

export class MesosSimulator {
  readonly masters: SimMaster[] = [];
  readonly agents: SimAgent[] = [];
  readonly state: ClusterState;
  readonly version: string;

  private readonly runtimes: MasterRuntime[] = [];
  private readonly servers: SimServer[] = [];
  private readonly agentRuntimes = new Map<string, AgentRuntime>();
  private readonly faults = new FaultRegistry();
  private readonly log: RequestLogEntry[] = [];
  private readonly k8sm: K8smExecutorSim;
  /** The master's v1 scheduler API (`POST /api/v1/scheduler`; see scheduler-api.ts). */
  readonly schedulerApi: SchedulerApiSim;
  private readonly masterRouter: MasterRouter;
  private readonly agentRouter: AgentRouter;
  private readonly shuttingDown = new Set<string>();
  private leader: number | null = 0;
  private zk?: ZkRegistrar;
  private closed = false;

  private constructor(private readonly config: SimConfig) {
    this.version = config.version ?? DEFAULT_VERSION;
    this.masterRouter = new MasterRouter(this.version);
    this.agentRouter = new AgentRouter(this.version);
    const ids = Array.from({ length: Math.max(1, config.masters ?? 1) }, () => uuidV4());
    this.state = new ClusterState({ version: this.version, idPrefix: ids[0] as string });
    this.k8sm = new K8smExecutorSim(this.state);
    this.schedulerApi = new SchedulerApiSim(
      {
        state: this.state,
        k8sm: this.k8sm,
        ...(config.kube ? { kube: config.kube } : {}),
        teardown: (id) => this.teardownNow(id),
        shutdownExecutor: (agentId, executorId, frameworkId) => this.shutdownExecutor(agentId, executorId, { frameworkId }),
      },
      config.schedulerApi,
    );
    for (let i = 0; i < ids.length; i++) {
      const host = config.masterHosts?.[i] ?? config.host ?? '127.0.0.1';
      this.runtimes.push({
        index: i,
        identity: { id: ids[i] as string, ip: host, port: 0, hostname: host, pid: '', version: this.version },
        startTime: this.state.now(),
        flags: {},
      });
    }
  }

  static async start(config: SimConfig): Promise<MesosSimulator> {
    const sim = new MesosSimulator(config);
    try {
      await sim.startMasters();
      for (const a of config.agents) await sim.startAgent(a);
      const seeded = (config.frameworks ?? []).map((f) => ({ seed: f, id: sim.state.addFramework(f).id }));
      const first = sim.runtimes[0] as MasterRuntime;
      first.electedTime = sim.state.now();
      for (const { seed, id } of seeded) {
        for (const p of seed.pods ?? []) await sim.launchK8smPod({ ...p, frameworkId: id });
      }
      if (config.zk) {
        sim.zk = await ZkRegistrar.connect(config.zk.connect, config.zk.path, config.zk.timeoutMs);
        await sim.zk.makeLeader(
          0,
          sim.runtimes.map((r) => r.index),
          (i) => sim.masterInfoJson(i),
        );
      }
      return sim;
    } catch (e) {
      await sim.close().catch(() => undefined);
      throw e;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Servers

  private async startMasters(): Promise<void> {
    const cfg = this.config;
    for (const rt of this.runtimes) {
      const server = await startServer({
        host: rt.identity.ip,
        port: cfg.masterPorts?.[rt.index] ?? 0,
        ...(cfg.tls ? { tls: cfg.tls } : {}),
        ...(cfg.auth ? { auth: cfg.auth } : {}),
        identity: { kind: 'master', index: rt.index },
        faults: this.faults,
        log: this.log,
        authRealm: (req) => this.masterRouter.authRealm(req),
        handle: (req) =>
          this.masterRouter.handle(
            {
              state: this.state,
              self: rt,
              leader: () => (this.leader === null ? null : (this.runtimes[this.leader] ?? null)),
              ...(cfg.clusterName !== undefined ? { clusterName: cfg.clusterName } : {}),
              teardown: (id) => this.teardownNow(id),
              scheduler: (req) => this.schedulerApi.handle(req),
            },
            req,
          ),
      });
      this.servers.push(server);
      rt.identity.port = server.port;
      rt.identity.pid = `master@${rt.identity.ip}:${server.port}`;
      rt.flags = sortedFlags({
        ...defaultMasterFlags({
          ip: rt.identity.ip,
          port: server.port,
          hostname: rt.identity.hostname,
          ...(cfg.clusterName !== undefined ? { clusterName: cfg.clusterName } : {}),
          ...(cfg.zk ? { zk: cfg.zk } : {}),
          authenticated: cfg.auth !== undefined,
          quorum: Math.floor(this.runtimes.length / 2) + 1,
        }),
        ...(cfg.masterFlags ?? {}),
      });
      this.masters.push({ index: rt.index, id: rt.identity.id, url: server.url, host: server.host, port: server.port, pid: rt.identity.pid });
    }
  }

  private async startAgent(cfg: AgentConfig): Promise<void> {
    const ip = cfg.ip ?? this.config.host ?? '127.0.0.1';
    const holder: { rt?: AgentRuntime } = {};
    const server = await startServer({
      host: ip,
      port: cfg.port ?? 0,
      ...(this.config.tls ? { tls: this.config.tls } : {}),
      ...(this.config.auth ? { auth: this.config.auth } : {}),
      identity: { kind: 'agent', id: cfg.id ?? '', hostname: cfg.hostname },
      faults: this.faults,
      log: this.log,
      authRealm: (req) => this.agentRouter.authRealm(req),
      handle: (req) => {
        const rt = holder.rt as AgentRuntime;
        return this.agentRouter.handle({ state: this.state, agent: rt.record, view: () => this.agentView(rt) }, req);
      },
    });
    this.servers.push(server);
    let record: AgentRecord;
    try {
      record = this.state.addAgent(cfg, { ip, port: server.port });
    } catch (e) {
      await server.close();
      throw e;
    }
    // The log and faults know the agent by its final ID.
    (server.identity as { id: string }).id = record.id;
    const first = this.runtimes[0] as MasterRuntime;
    const flags = {
      ...defaultAgentFlags({
        hostname: record.hostname,
        ip,
        port: server.port,
        master: this.config.zk ? `zk://${this.config.zk.connect}${this.config.zk.path}` : `${first.identity.ip}:${first.identity.port}`,
        resources: formatResourcesFlag(record.total),
        attributes: formatAttributesFlag(record.attributes),
        ...(cfg.docker && 'socketPath' in cfg.docker ? { dockerSocket: cfg.docker.socketPath } : {}),
        authenticated: this.config.auth !== undefined,
      }),
      ...(cfg.flags ?? {}),
    };
    const rt: AgentRuntime = { record, server, flags };
    holder.rt = rt;
    this.agentRuntimes.set(record.id, rt);
    this.agents.push({ id: record.id, hostname: record.hostname, url: server.url, ip, port: server.port, pid: record.pid });
  }

  private agentView(rt: AgentRuntime): AgentViewContext {
    const leader = this.leader === null ? undefined : this.runtimes[this.leader];
    return { flags: rt.flags, ...(leader ? { masterHostname: leader.identity.hostname } : {}) };
  }

  private masterInfoJson(index: number): string {
    return JSON.stringify(masterInfoProto((this.runtimes[index] as MasterRuntime).identity));
  }

  // -------------------------------------------------------------------------------------------
  // Leadership

  /** URL of the leading master, or undefined when there is none. */
  leaderUrl(): string | undefined {
    return this.leader === null ? undefined : this.masters[this.leader]?.url;
  }

  leaderIndex(): number | null {
    return this.leader;
  }

  /**
   * Master `index` becomes the leader; the others are standbys (307 to it). In ZooKeeper the masters
   * ahead of it re-register, so its `json.info_` node becomes the lowest. Agents re-register.
   */
  async setLeader(index: number): Promise<void> {
    const rt = this.runtimes[index];
    if (!rt) throw new SimError(`no master ${index}`);
    if (this.zk)
      await this.zk.makeLeader(
        index,
        this.runtimes.map((r) => r.index),
        (i) => this.masterInfoJson(i),
      );
    if (this.leader !== index) {
      for (const r of this.runtimes) if (r.index !== index) delete r.electedTime;
      rt.electedTime = this.state.now();
      this.leader = index;
      this.state.agentsReregistered();
      // The old leader's scheduler streams break; frameworks subscribe again with the new one.
      this.schedulerApi.breakStreams();
    }
  }

  /** No master is leading: leader-only endpoints and /master/redirect answer 503 everywhere; ZooKeeper holds no master. */
  async setNoLeader(): Promise<void> {
    if (this.zk) await this.zk.unregisterAll();
    for (const r of this.runtimes) delete r.electedTime;
    this.leader = null;
    this.schedulerApi.breakStreams();
  }

  /** The ZooKeeper node of each master (undefined without zk or when unregistered). */
  zkNode(masterIndex: number): string | undefined {
    return this.zk?.node(masterIndex);
  }

  // -------------------------------------------------------------------------------------------
  // State changes

  addFramework(seed: FrameworkSeed): { id: string } {
    return { id: this.state.addFramework(seed).id };
  }

  addExecutor(seed: ExecutorSeed): { id: string; containerId: string; directory: string } {
    const e = this.state.addExecutor(seed);
    return { id: e.id, containerId: e.containerId, directory: e.directory };
  }

  addTask(seed: TaskSeed): { id: string } {
    return { id: this.state.addTask(seed).id };
  }

  addOffer(seed: OfferSeed): { id: string } {
    return { id: this.state.addOffer(seed).id };
  }

  removeOffer(offerId: string): void {
    this.state.removeOffer(offerId);
  }

  /** A status update for a task: its new state, with message/reason/source as the sender put them. */
  setTaskState(taskId: string, state: TaskStateName, opts: Omit<StatusSeed, 'state'> = {}): void {
    this.state.updateTask(taskId, { source: 'SOURCE_EXECUTOR', ...opts, state });
  }

  /** The agent drops out of the master (unreachable); by default its HTTP server stops too. */
  /** A new agent registers (its HTTP server started); returns its agent id. */
  async addAgent(cfg: AgentConfig): Promise<string> {
    await this.startAgent(cfg);
    const id = this.agents[this.agents.length - 1]!.id;
    this.schedulerApi.allocate(new Set([id]));
    return id;
  }

  async removeAgent(agentId: string, opts: { stopServer?: boolean } = {}): Promise<void> {
    this.schedulerApi.agentLost(agentId, true);
    const a = this.state.removeAgent(agentId);
    if (opts.stopServer !== false) await this.stopAgentServer(a.id);
  }

  /** Connected (true) or disconnected (false) as the master sees it. */
  setAgentActive(agentId: string, active: boolean): void {
    if (!active) this.schedulerApi.agentLost(agentId, false);
    this.state.setAgentActive(agentId, active);
  }

  /** DEACTIVATE_AGENT (`deactivated`) or DRAIN_AGENT (`drainState`): the master sends no offers for it. */
  setAgentDeactivated(agentId: string, deactivated: boolean, drainState?: 'DRAINING' | 'DRAINED'): void {
    if (deactivated || drainState) this.schedulerApi.agentLost(agentId, false);
    this.state.setAgentDeactivated(agentId, deactivated, drainState);
  }

  /** The agent process dies: its port refuses connections, the master still lists it, inactive. */
  async stopAgent(agentId: string): Promise<void> {
    const a = this.state.setAgentActive(agentId, false);
    await this.stopAgentServer(a.id);
  }

  private async stopAgentServer(agentId: string): Promise<void> {
    const rt = this.agentRuntimes.get(agentId);
    if (rt?.server) {
      const s = rt.server;
      delete rt.server;
      await s.close();
    }
  }

  /** The agent's executor_shutdown_grace_period in ms (its flag; Mesos' 5 s default when unparsable). */
  executorShutdownGraceMs(agentId: string): number {
    const a = this.state.agent(agentId);
    const flag = this.agentRuntimes.get(a.id)?.flags['executor_shutdown_grace_period'];
    return (flag !== undefined ? parseMesosDuration(flag) : undefined) ?? 5000;
  }

  /**
   * The agent shuts an executor down (reference §1.15, §3.1). The executor stays live in the agent's
   * state while its kubelet stops the pod containers on the agent's Docker engine one by one, each
   * with its pod's grace period, and removes them. If it is done in time it exits and its tasks end
   * TASK_KILLED ("executor-shutdown", from the executor). When the agent's
   * `executor_shutdown_grace_period` runs out first (or the executor's own 15 s), the executor is
   * killed: its tasks end TASK_LOST from the agent with REASON_EXECUTOR_TERMINATED, and the containers
   * it had not stopped keep running (orphans; the one whose stop was under way is stopped by dockerd
   * and stays, exited). Either way executor and tasks move to completed_* lists. Resolves when the
   * executor is gone, with what happened to each container.
   */
  async shutdownExecutor(
    agentId: string,
    executorId: string,
    opts: {
      frameworkId?: string;
      /** Override the end state of the tasks (and message/reason/source) whatever happened. */
      taskState?: TaskStateName;
      message?: string;
      reason?: string;
      source?: TaskStatusSource;
      /** The executor vanishes but its tasks still read live (no status update yet): `executor-gone`. */
      keepTasks?: boolean;
    } = {},
  ): Promise<ExecutorShutdownResult> {
    const executor = this.state.liveExecutor(agentId, executorId, opts.frameworkId);
    const key = `${executor.frameworkId}/${executor.agentId}/${executor.id}`;
    if (this.shuttingDown.has(key)) throw new SimError(`executor ${executorId} is already shutting down`);
    this.shuttingDown.add(key);
    try {
      const graceMs = this.executorShutdownGraceMs(executor.agentId);
      const pods = this.state.tasks
        .where({ agentId: executor.agentId, frameworkId: executor.frameworkId })
        .filter((t) => t.executorId === executor.id && !isTerminal(t.state));
      const outcome = executor.k8sm ? await this.k8sm.shutdownPods(executor.agentId, pods, graceMs) : emptyOutcome();
      const clean = outcome.end === 'exited';
      const { tasks } = this.state.shutdownExecutor(executor.agentId, executor.id, {
        frameworkId: executor.frameworkId,
        ...(opts.keepTasks ? { keepTasks: true } : {}),
        ...(clean
          ? {
              taskState: opts.taskState ?? 'TASK_KILLED',
              source: opts.source ?? 'SOURCE_EXECUTOR',
              ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
              message: opts.message ?? 'executor-shutdown',
            }
          : {
              taskState: opts.taskState ?? 'TASK_LOST',
              source: opts.source ?? 'SOURCE_AGENT',
              reason: opts.reason ?? 'REASON_EXECUTOR_TERMINATED',
              message: opts.message ?? 'Executor terminated',
            }),
      });
      return { tasks: tasks.map((t) => t.id), containerId: executor.containerId, gracePeriodMs: graceMs, ...outcome };
    } finally {
      this.shuttingDown.delete(key);
    }
  }

  /**
   * The executor is live again with the same Mesos container (the agent recovered it after a
   * restart: a checkpointed executor re-registers). Its tasks stay as they are.
   */
  reviveExecutor(agentId: string, executorId: string, frameworkId?: string): { id: string; containerId: string } {
    const e = this.state.reviveExecutor(agentId, executorId, frameworkId);
    return { id: e.id, containerId: e.containerId };
  }

  /**
   * Teardown (as `POST /master/teardown`): the framework and its tasks are gone at once; each agent
   * shuts the framework's executors down as in shutdownExecutor (grace period included, so pod
   * containers can be orphaned). This waits for those shutdowns; over HTTP they run in the background.
   */
  async teardownFramework(frameworkId: string): Promise<void> {
    await this.teardownContainers(this.state.teardownFramework(frameworkId));
  }

  private teardownNow(frameworkId: string): void {
    this.k8sm.track(this.teardownContainers(this.state.teardownFramework(frameworkId)));
  }

  private async teardownContainers(r: { tasks: TaskRecord[]; executors: ExecutorRecord[] }): Promise<void> {
    const byExecutor = r.executors.filter((e) => e.k8sm).map((e) => ({ e, tasks: r.tasks.filter((t) => t.executorId === e.id && t.agentId === e.agentId) }));
    await Promise.all(byExecutor.map(({ e, tasks }) => this.k8sm.shutdownPods(e.agentId, tasks, this.executorShutdownGraceMs(e.agentId))));
    // Tasks without an executor record (seeded by hand) keep the old behaviour: their containers go.
    await this.k8sm.cleanup(r.tasks.filter((t) => !r.executors.some((e) => e.id === t.executorId && e.agentId === t.agentId)));
  }

  /**
   * k8sm's scheduler + executor launching a pod on an agent (see k8sm.ts). Without `kube` (here or
   * in the config) the apiserver is left alone; without the agent's `docker` no containers are made:
   * then it only seeds a k8sm-shaped task (IDs, resources, annotations, statuses).
   */
  launchK8smPod(opts: LaunchK8smPodOptions): Promise<LaunchedPod> {
    const kube = 'kube' in opts ? opts.kube : this.config.kube;
    const { kube: _ignored, ...rest } = opts;
    return this.k8sm.launch({ ...rest, ...(kube ? { kube } : {}) });
  }

  // -------------------------------------------------------------------------------------------
  // Faults and the request log

  fault(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Every request so far (copies), oldest first. */
  requestLog(): RequestLogEntry[] {
    return this.log.map((e) => ({ ...e, server: { ...e.server } }));
  }

  clearRequestLog(): void {
    this.log.length = 0;
  }

  // -------------------------------------------------------------------------------------------

  /** Stops every server (hanging requests included) and removes the ZooKeeper nodes. Docker containers stay. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.schedulerApi.stop();
    await this.k8sm.settle();
    const zk = this.zk;
    delete this.zk;
    await Promise.all(this.servers.map((s) => s.close()));
    if (zk) await zk.close();
  }
}

export function startMesosSimulator(config: SimConfig): Promise<MesosSimulator> {
  return MesosSimulator.start(config);
}
