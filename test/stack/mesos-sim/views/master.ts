/**
 * Master JSON endpoints as pure functions of the cluster state (reference §2.1, §2.2), after MESOS
 * `src/master/readonly_handler.cpp` (state, slaves, frameworks: SlaveWriter, SlavesWriter,
 * FullFrameworkWriter, `json(writer, Summary<Framework>)`) and `src/common/http.cpp`.
 *
 * Where the reference and the Mesos source differ, the source wins:
 * - `leader_info` is `json(writer, MasterInfo)`: `id`, `pid`, `port`, `hostname` (+`domain`), not the
 *   full MasterInfo (the full one, with `ip`, `version`, `address`, is what ZooKeeper holds).
 */
import { PRINTED_SINCE, buildInfo, masterCapabilities, versionAtLeast } from '../defaults.js';
import { modelAttributes, modelResources, protoResources, reservationsByRole, sumResources, unreserved, withoutAllocation } from '../resources.js';
import type { AgentRecord, ClusterState, FrameworkRecord, OfferRecord } from '../state.js';
import { type JsonObject, type MasterIdentity, buildFields, labelsModel, masterExecutorModel, taskModel } from './common.js';

export interface MasterViewContext {
  self: MasterIdentity;
  leader: MasterIdentity | null;
  startTime: number;
  electedTime?: number;
  flags: Record<string, string>;
  clusterName?: string;
}

export function offerModel(o: OfferRecord): JsonObject {
  return {
    id: o.id,
    framework_id: o.frameworkId,
    allocation_info: { role: o.role },
    slave_id: o.agentId,
    resources: modelResources(o.resources),
  };
}

/** SlaveWriter: `json(writer, SlaveInfo)` then pid, times, resources, active, version, capabilities. */
export function slaveModel(state: ClusterState, a: AgentRecord): JsonObject {
  const total = a.total;
  const reserved: JsonObject = {};
  for (const [role, res] of reservationsByRole(total)) reserved[role] = modelResources(res);
  const out: JsonObject = { id: a.id, hostname: a.hostname };
  if (versionAtLeast(state.version, PRINTED_SINCE.agentPortAndCapabilities)) out['port'] = a.port;
  Object.assign(out, {
    attributes: modelAttributes(a.attributes),
    pid: a.pid,
    registered_time: a.registeredTime,
  });
  if (a.reregisteredTime !== undefined) out['reregistered_time'] = a.reregisteredTime;
  out['resources'] = modelResources(total);
  out['used_resources'] = modelResources(state.usedResources({ agentId: a.id }));
  out['offered_resources'] = modelResources(state.offeredResources({ agentId: a.id }));
  out['reserved_resources'] = reserved;
  out['unreserved_resources'] = modelResources(unreserved(total));
  out['active'] = a.active;
  if (versionAtLeast(state.version, '1.9.0')) out['deactivated'] = a.deactivated;
  if (a.drainState && versionAtLeast(state.version, '1.9.0')) out['drain_info'] = { state: a.drainState, config: {} };
  out['version'] = a.version;
  if (versionAtLeast(state.version, PRINTED_SINCE.agentPortAndCapabilities)) out['capabilities'] = [...a.capabilities];
  return out;
}

/** `/master/slaves` entries: the slave model plus the protobuf-JSON `*_full` arrays. */
export function slaveFullModel(state: ClusterState, a: AgentRecord): JsonObject {
  const out = slaveModel(state, a);
  const reservedFull: JsonObject = {};
  for (const [role, res] of reservationsByRole(a.total)) reservedFull[role] = protoResources(res) as unknown as JsonObject[];
  out['reserved_resources_full'] = reservedFull;
  out['unreserved_resources_full'] = protoResources(unreserved(a.total)) as unknown as JsonObject[];
  out['used_resources_full'] = protoResources(state.usedResources({ agentId: a.id })) as unknown as JsonObject[];
  out['offered_resources_full'] = protoResources(state.offeredResources({ agentId: a.id })) as unknown as JsonObject[];
  return out;
}

/** FullFrameworkWriter. */
export function frameworkModel(state: ClusterState, f: FrameworkRecord): JsonObject {
  const used = f.completed ? [] : state.usedResources({ frameworkId: f.id });
  const offered = f.completed ? [] : state.offeredResources({ frameworkId: f.id });
  const out: JsonObject = { id: f.id, name: f.name };
  if (f.pid !== undefined) out['pid'] = f.pid;
  out['used_resources'] = modelResources(used);
  out['offered_resources'] = modelResources(offered);
  out['capabilities'] = [...f.capabilities];
  out['hostname'] = f.hostname;
  out['webui_url'] = f.webuiUrl;
  out['active'] = f.active;
  if (versionAtLeast(state.version, PRINTED_SINCE.frameworkConnected)) {
    out['connected'] = f.connected;
    out['recovered'] = f.recovered;
  }
  out['user'] = f.user;
  out['failover_timeout'] = f.failoverTimeout;
  out['checkpoint'] = f.checkpoint;
  out['registered_time'] = f.registeredTime;
  out['unregistered_time'] = f.unregisteredTime;
  if (f.principal !== undefined) out['principal'] = f.principal;
  out['resources'] = modelResources(withoutAllocation(sumResources(used, offered)));
  if (f.reregisteredTime !== f.registeredTime) out['reregistered_time'] = f.reregisteredTime;
  if (f.roles) out['roles'] = [...f.roles];
  else out['role'] = f.role ?? '*';
  out['tasks'] = f.completed ? [] : state.liveTasks({ frameworkId: f.id }).map((t) => taskModel(state, t));
  if (versionAtLeast(state.version, PRINTED_SINCE.unreachableTasks)) {
    out['unreachable_tasks'] = state.unreachableTasks({ frameworkId: f.id }).map((t) => taskModel(state, t));
  }
  out['completed_tasks'] = state.completedTasks({ frameworkId: f.id }).map((t) => taskModel(state, t));
  out['offers'] = state.offersOf({ frameworkId: f.id }).map(offerModel);
  out['executors'] = f.completed
    ? []
    : state
        .executorsOf({ frameworkId: f.id, completed: false })
        .filter((e) => !e.commandExecutor && !state.agents.get(e.agentId)?.removed)
        .map(masterExecutorModel);
  if (f.labels) out['labels'] = labelsModel(f.labels);
  if (versionAtLeast(state.version, '1.11.0')) out['offer_constraints'] = {};
  return out;
}

function activeFrameworks(state: ClusterState, frameworkId?: string): FrameworkRecord[] {
  return [...state.frameworks.values()].filter((f) => !f.completed && (frameworkId === undefined || f.id === frameworkId));
}

function completedFrameworks(state: ClusterState, frameworkId?: string): FrameworkRecord[] {
  return [...state.frameworks.values()].filter((f) => f.completed && (frameworkId === undefined || f.id === frameworkId));
}

/** `json(writer, MasterInfo)`: what `leader_info` holds. */
export function leaderInfoModel(m: MasterIdentity): JsonObject {
  return { id: m.id, pid: m.pid, port: m.port, hostname: m.hostname };
}

/** `/state` (`/master/state`), as served by the leading master. */
export function renderMasterState(state: ClusterState, ctx: MasterViewContext): JsonObject {
  const agents = state.registeredAgents();
  const out: JsonObject = {
    ...buildFields(state.version, buildInfo(state.version)),
    start_time: ctx.startTime,
  };
  if (ctx.electedTime !== undefined) out['elected_time'] = ctx.electedTime;
  out['id'] = ctx.self.id;
  out['pid'] = ctx.self.pid;
  out['hostname'] = ctx.self.hostname;
  if (versionAtLeast(state.version, PRINTED_SINCE.masterCapabilities)) out['capabilities'] = masterCapabilities(state.version);
  out['activated_slaves'] = agents.filter((a) => a.active).length;
  out['deactivated_slaves'] = agents.filter((a) => !a.active).length;
  const unreachableAgents = versionAtLeast(state.version, PRINTED_SINCE.unreachableAgents);
  if (unreachableAgents) out['unreachable_slaves'] = [...state.agents.values()].filter((a) => a.removed).length;
  if (ctx.leader) {
    out['leader'] = ctx.leader.pid;
    if (versionAtLeast(state.version, PRINTED_SINCE.leaderInfo)) out['leader_info'] = leaderInfoModel(ctx.leader);
  }
  if (ctx.clusterName !== undefined) out['cluster'] = ctx.clusterName;
  out['flags'] = { ...ctx.flags };
  out['slaves'] = agents.map((a) => slaveModel(state, a));
  if (unreachableAgents) out['recovered_slaves'] = [];
  out['frameworks'] = activeFrameworks(state).map((f) => frameworkModel(state, f));
  out['completed_frameworks'] = completedFrameworks(state).map((f) => frameworkModel(state, f));
  out['orphan_tasks'] = [];
  out['unregistered_frameworks'] = [];
  return out;
}

/** `/master/slaves` (`/slaves`), `?slave_id=` selects one agent. */
export function renderMasterSlaves(state: ClusterState, query: { slaveId?: string } = {}): JsonObject {
  return {
    slaves: state
      .registeredAgents()
      .filter((a) => query.slaveId === undefined || a.id === query.slaveId)
      .map((a) => slaveFullModel(state, a)),
    recovered_slaves: [],
  };
}

/** `/master/frameworks` (`/frameworks`), `?framework_id=` selects one framework. */
export function renderMasterFrameworks(state: ClusterState, query: { frameworkId?: string } = {}): JsonObject {
  return {
    frameworks: activeFrameworks(state, query.frameworkId).map((f) => frameworkModel(state, f)),
    completed_frameworks: completedFrameworks(state, query.frameworkId).map((f) => frameworkModel(state, f)),
    unregistered_frameworks: [],
  };
}
