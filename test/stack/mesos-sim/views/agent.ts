/**
 * Agent JSON endpoints as pure functions of the cluster state (reference §2.3), after MESOS
 * `src/slave/http.cpp` (state handler, FrameworkWriter, ExecutorWriter, containers).
 */
import { PRINTED_SINCE, buildInfo, sortedFlags, versionAtLeast } from '../defaults.js';
import { modelAttributes, modelResources, protoResources, reservationsByRole, sumResources, unreserved, withoutAllocation } from '../resources.js';
import type { AgentRecord, ClusterState, ExecutorRecord, FrameworkRecord } from '../state.js';
import { type Json, type JsonObject, allocationRoleOf, buildFields, labelsModel, taskModel } from './common.js';

export interface AgentViewContext {
  /** Hostname of the master this agent follows (the leader), if any. */
  masterHostname?: string;
  flags: Record<string, string>;
}

/** ExecutorWriter: the executor's resources include its live tasks' (`Executor::allocatedResources`). */
export function agentExecutorModel(state: ClusterState, e: ExecutorRecord): JsonObject {
  const live = e.completed ? [] : state.liveTasks({ agentId: e.agentId, frameworkId: e.frameworkId }).filter((t) => (t.executorId || t.id) === e.id);
  const done = state.completedTasks({ agentId: e.agentId, frameworkId: e.frameworkId }).filter((t) => (t.executorId || t.id) === e.id);
  const out: JsonObject = {
    id: e.id,
    name: e.name,
    source: e.source,
    container: e.containerId,
    directory: e.directory,
    resources: modelResources(sumResources(e.resources, ...live.map((t) => t.resources))),
  };
  if (e.resources.length > 0) out['role'] = allocationRoleOf(e.resources, '*');
  if (e.labels) out['labels'] = labelsModel(e.labels);
  if (e.type) out['type'] = e.type;
  out['tasks'] = live.map((t) => taskModel(state, t));
  out['queued_tasks'] = [];
  out['completed_tasks'] = done.map((t) => taskModel(state, t));
  return out;
}

/** FrameworkWriter (agent side). */
export function agentFrameworkModel(state: ClusterState, f: FrameworkRecord, executors: ExecutorRecord[]): JsonObject {
  const out: JsonObject = {
    id: f.id,
    name: f.name,
    user: f.user,
    failover_timeout: f.failoverTimeout,
    checkpoint: f.checkpoint,
    hostname: f.hostname,
  };
  if (f.principal !== undefined) out['principal'] = f.principal;
  if (f.roles) out['roles'] = [...f.roles];
  else out['role'] = f.role ?? '*';
  out['executors'] = executors.filter((e) => !e.completed).map((e) => agentExecutorModel(state, e));
  out['completed_executors'] = executors.filter((e) => e.completed).map((e) => agentExecutorModel(state, e));
  return out;
}

/**
 * The agent's frameworks: those with a live executor here are current; a framework whose executors
 * here have all terminated (or that was torn down) is completed, as the agent removes idle frameworks.
 */
export function agentFrameworks(state: ClusterState, a: AgentRecord): { current: JsonObject[]; completed: JsonObject[] } {
  const current: JsonObject[] = [];
  const completed: JsonObject[] = [];
  for (const f of state.frameworks.values()) {
    const executors = state.executorsOf({ agentId: a.id, frameworkId: f.id });
    if (executors.length === 0) continue;
    const live = executors.some((e) => !e.completed);
    (live && !f.completed ? current : completed).push(agentFrameworkModel(state, f, executors));
  }
  return { current, completed };
}

/** `/slave(1)/state` (`/state`). */
export function renderAgentState(state: ClusterState, a: AgentRecord, ctx: AgentViewContext): JsonObject {
  const total = a.total;
  const reserved: JsonObject = {};
  const reservedFull: JsonObject = {};
  for (const [role, res] of reservationsByRole(total)) {
    reserved[role] = modelResources(res);
    reservedFull[role] = protoResources(res) as unknown as Json[];
  }
  const allocated = withoutAllocation(state.usedResources({ agentId: a.id }));
  const reservedAllocated: JsonObject = {};
  for (const [role, res] of reservationsByRole(allocated)) reservedAllocated[role] = modelResources(res);
  const { current, completed } = agentFrameworks(state, a);
  const out: JsonObject = {
    ...buildFields(a.version, buildInfo(a.version)),
    start_time: a.startTime,
    id: a.id,
    pid: a.pid,
    hostname: a.hostname,
    capabilities: [...a.capabilities],
    resources: modelResources(total),
    reserved_resources: reserved,
    unreserved_resources: modelResources(unreserved(total)),
    reserved_resources_full: reservedFull,
    unreserved_resources_full: protoResources(unreserved(total)) as unknown as Json[],
  };
  if (versionAtLeast(a.version, PRINTED_SINCE.agentAllocated)) {
    out['reserved_resources_allocated'] = reservedAllocated;
    out['unreserved_resources_allocated'] = modelResources(unreserved(allocated));
  }
  if (versionAtLeast(a.version, PRINTED_SINCE.agentResourceProviders)) out['resource_providers'] = [];
  out['attributes'] = modelAttributes(a.attributes);
  if (ctx.masterHostname !== undefined) out['master_hostname'] = ctx.masterHostname;
  out['flags'] = sortedFlags(ctx.flags);
  out['frameworks'] = current;
  out['completed_frameworks'] = completed;
  return out;
}

/** `/slave(1)/flags` (`/flags`). */
export function renderAgentFlags(ctx: AgentViewContext): JsonObject {
  return { flags: sortedFlags(ctx.flags) };
}

/**
 * `/slave(1)/containers`: the Mesos containers (executors) on this agent. Kubelet-created Docker
 * containers are not Mesos containers and never appear here.
 */
export function renderAgentContainers(state: ClusterState, a: AgentRecord): JsonObject[] {
  const now = state.now();
  return state.executorsOf({ agentId: a.id, completed: false }).map((e) => {
    const live = state.liveTasks({ agentId: a.id, frameworkId: e.frameworkId }).filter((t) => (t.executorId || t.id) === e.id);
    const res = sumResources(e.resources, ...live.map((t) => t.resources));
    const cpus = res.filter((r) => r.name === 'cpus').reduce((s, r) => s + (r.scalar ?? 0), 0);
    const mem = res.filter((r) => r.name === 'mem').reduce((s, r) => s + (r.scalar ?? 0), 0);
    return {
      container_id: e.containerId,
      container_status: {
        container_id: { value: e.containerId },
        executor_pid: 10000 + (parseInt(e.containerId.slice(0, 4), 16) % 20000),
        network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: a.ip }] }],
      },
      executor_id: e.id,
      executor_name: e.name,
      framework_id: e.frameworkId,
      source: e.source,
      statistics: {
        cpus_limit: Math.round((cpus + 0.1) * 1000) / 1000,
        cpus_system_time_secs: Math.round((now - e.launchedTime) * 10) / 1000,
        cpus_user_time_secs: Math.round((now - e.launchedTime) * 20) / 1000,
        mem_limit_bytes: Math.round((mem + 32) * 1024 * 1024),
        mem_rss_bytes: Math.round(mem * 0.4 * 1024 * 1024),
        timestamp: now,
      },
    };
  });
}
