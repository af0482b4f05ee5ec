/**
 * The v1 operator API responses (reference §2.4; `include/mesos/v1/master/master.proto`,
 * `include/mesos/v1/mesos.proto`) as protobuf-JSON, the way stout's `JSON::protobuf` writes it:
 * IDs as `{value}`, enums as names, times as `{nanoseconds}`, bytes as base64; a repeated field
 * only when it has elements, an optional field when set or when it has an explicit default
 * (`failover_timeout`, `checkpoint`, `CommandInfo.shell`, `URI.extract`, `AgentInfo.port`,
 * `IPAddress.protocol`). The top-level lists of GET_* responses are always present (Mesos writes
 * them field by field).
 */
import { buildInfo, masterCapabilities, sortedFlags, versionAtLeast } from '../defaults.js';
import { mesosIpUint32 } from '../ids.js';
import { protoAttribute, protoResources } from '../resources.js';
import type { AgentRecord, ClusterState, ExecutorRecord, FrameworkRecord, OfferRecord, TaskRecord, TaskStatusRecord } from '../state.js';
import type { CommandSeed } from '../types.js';
import type { Json, JsonObject, MasterIdentity } from './common.js';

export const MASTER_CALL_TYPES = [
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_LOGGING_LEVEL',
  'SET_LOGGING_LEVEL',
  'LIST_FILES',
  'READ_FILE',
  'GET_STATE',
  'GET_AGENTS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_OPERATIONS',
  'GET_TASKS',
  'GET_ROLES',
  'GET_WEIGHTS',
  'UPDATE_WEIGHTS',
  'GET_MASTER',
  'SUBSCRIBE',
  'RESERVE_RESOURCES',
  'UNRESERVE_RESOURCES',
  'CREATE_VOLUMES',
  'DESTROY_VOLUMES',
  'GROW_VOLUME',
  'SHRINK_VOLUME',
  'GET_MAINTENANCE_STATUS',
  'GET_MAINTENANCE_SCHEDULE',
  'UPDATE_MAINTENANCE_SCHEDULE',
  'START_MAINTENANCE',
  'STOP_MAINTENANCE',
  'DRAIN_AGENT',
  'DEACTIVATE_AGENT',
  'REACTIVATE_AGENT',
  'GET_QUOTA',
  'UPDATE_QUOTA',
  'SET_QUOTA',
  'REMOVE_QUOTA',
  'TEARDOWN',
  'MARK_AGENT_GONE',
] as const;

export const AGENT_CALL_TYPES = [
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_LOGGING_LEVEL',
  'SET_LOGGING_LEVEL',
  'LIST_FILES',
  'READ_FILE',
  'GET_STATE',
  'GET_CONTAINERS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_OPERATIONS',
  'GET_TASKS',
  'GET_AGENT',
  'GET_RESOURCE_PROVIDERS',
  'LAUNCH_NESTED_CONTAINER',
  'WAIT_NESTED_CONTAINER',
  'KILL_NESTED_CONTAINER',
  'REMOVE_NESTED_CONTAINER',
  'LAUNCH_NESTED_CONTAINER_SESSION',
  'ATTACH_CONTAINER_INPUT',
  'ATTACH_CONTAINER_OUTPUT',
  'LAUNCH_CONTAINER',
  'WAIT_CONTAINER',
  'KILL_CONTAINER',
  'REMOVE_CONTAINER',
  'ADD_RESOURCE_PROVIDER_CONFIG',
  'UPDATE_RESOURCE_PROVIDER_CONFIG',
  'REMOVE_RESOURCE_PROVIDER_CONFIG',
  'MARK_RESOURCE_PROVIDER_GONE',
  'PRUNE_IMAGES',
] as const;

const id = (value: string): JsonObject => ({ value });
export const timeInfo = (seconds: number): JsonObject => ({ nanoseconds: Math.round(seconds * 1e9) });

function labelsProto(labels: Record<string, string>): JsonObject {
  return { labels: Object.entries(labels).map(([key, value]) => ({ key, value })) };
}

/** Puts `value` under `key` unless it is an empty list (stout omits empty repeated fields). */
function putList(out: JsonObject, key: string, value: Json[]): void {
  if (value.length > 0) out[key] = value;
}

export function commandProto(c: CommandSeed): JsonObject {
  const out: JsonObject = {};
  putList(
    out,
    'uris',
    (c.uris ?? []).map((u) => {
      const uri: JsonObject = { value: u.value };
      if (u.executable !== undefined) uri['executable'] = u.executable;
      uri['extract'] = u.extract ?? true;
      if (u.cache !== undefined) uri['cache'] = u.cache;
      return uri;
    }),
  );
  if (c.environment) {
    out['environment'] = { variables: Object.entries(c.environment).map(([name, value]) => ({ name, type: 'VALUE', value })) };
  }
  out['shell'] = c.shell ?? true;
  if (c.value !== undefined) out['value'] = c.value;
  putList(out, 'arguments', [...(c.arguments ?? [])]);
  if (c.user !== undefined) out['user'] = c.user;
  return out;
}

export function executorInfoProto(e: ExecutorRecord): JsonObject {
  const out: JsonObject = {};
  if (e.type) out['type'] = e.type;
  out['executor_id'] = id(e.id);
  out['framework_id'] = id(e.frameworkId);
  out['command'] = commandProto(e.command);
  putList(out, 'resources', protoResources(e.resources) as unknown as Json[]);
  out['name'] = e.name;
  out['source'] = e.source;
  if (e.labels) out['labels'] = labelsProto(e.labels);
  return out;
}

/** TaskStatus as the master keeps it (data cleared, MESOS-1746). */
export function taskStatusProto(t: TaskRecord, s: TaskStatusRecord): JsonObject {
  const out: JsonObject = { task_id: id(t.id), state: s.state };
  if (s.message !== undefined) out['message'] = s.message;
  if (s.source !== undefined) out['source'] = s.source;
  if (s.reason !== undefined) out['reason'] = s.reason;
  out['agent_id'] = id(s.agentId);
  if (s.executorId !== undefined) out['executor_id'] = id(s.executorId);
  out['timestamp'] = s.timestamp;
  if (s.uuid !== undefined) out['uuid'] = s.uuid;
  if (s.healthy !== undefined) out['healthy'] = s.healthy;
  if (s.containerStatus) {
    out['container_status'] = {
      container_id: id(s.containerStatus.containerId),
      network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: s.containerStatus.ip }] }],
    };
  }
  return out;
}

export function taskProto(t: TaskRecord): JsonObject {
  const out: JsonObject = { name: t.name, task_id: id(t.id), framework_id: id(t.frameworkId) };
  if (t.executorId) out['executor_id'] = id(t.executorId);
  out['agent_id'] = id(t.agentId);
  out['state'] = t.state;
  putList(out, 'resources', protoResources(t.resources) as unknown as Json[]);
  putList(
    out,
    'statuses',
    t.statuses.map((s) => taskStatusProto(t, s)),
  );
  const last = t.statuses[t.statuses.length - 1];
  if (last) {
    out['status_update_state'] = last.state;
    if (last.uuid !== undefined) out['status_update_uuid'] = last.uuid;
  }
  if (t.labels) out['labels'] = labelsProto(t.labels);
  if (t.user !== undefined) out['user'] = t.user;
  return out;
}

export function frameworkInfoProto(f: FrameworkRecord): JsonObject {
  const out: JsonObject = {
    user: f.user,
    name: f.name,
    id: id(f.id),
    failover_timeout: f.failoverTimeout,
    checkpoint: f.checkpoint,
  };
  if (f.roles) putList(out, 'roles', [...f.roles]);
  else if (f.role !== undefined) out['role'] = f.role;
  if (f.hostname) out['hostname'] = f.hostname;
  if (f.principal !== undefined) out['principal'] = f.principal;
  if (f.webuiUrl) out['webui_url'] = f.webuiUrl;
  putList(
    out,
    'capabilities',
    f.capabilities.map((type) => ({ type })),
  );
  if (f.labels) out['labels'] = labelsProto(f.labels);
  return out;
}

export function agentInfoProto(a: AgentRecord): JsonObject {
  const out: JsonObject = { hostname: a.hostname, port: a.port };
  putList(out, 'resources', protoResources(a.total) as unknown as Json[]);
  putList(
    out,
    'attributes',
    a.attributes.map((x) => protoAttribute(x) as JsonObject),
  );
  out['id'] = id(a.id);
  return out;
}

export function offerProto(state: ClusterState, o: OfferRecord): JsonObject {
  const a = state.agents.get(o.agentId);
  const out: JsonObject = { id: id(o.id), framework_id: id(o.frameworkId), agent_id: id(o.agentId) };
  if (a) {
    out['hostname'] = a.hostname;
    out['url'] = { scheme: 'http', address: { hostname: a.hostname, ip: a.ip, port: a.port }, path: '/slave(1)' };
  }
  putList(out, 'resources', protoResources(o.resources) as unknown as Json[]);
  if (a)
    putList(
      out,
      'attributes',
      a.attributes.map((x) => protoAttribute(x) as JsonObject),
    );
  putList(
    out,
    'executor_ids',
    state
      .executorsOf({ agentId: o.agentId, frameworkId: o.frameworkId, completed: false })
      .filter((e) => !e.commandExecutor)
      .map((e) => id(e.id)),
  );
  out['allocation_info'] = { role: o.role };
  return out;
}

export function agentProto(state: ClusterState, a: AgentRecord): JsonObject {
  const out: JsonObject = {
    agent_info: agentInfoProto(a),
    active: a.active,
    version: a.version,
    pid: a.pid,
    registered_time: timeInfo(a.registeredTime),
  };
  if (a.reregisteredTime !== undefined) out['reregistered_time'] = timeInfo(a.reregisteredTime);
  putList(out, 'total_resources', protoResources(a.total) as unknown as Json[]);
  putList(out, 'allocated_resources', protoResources(state.usedResources({ agentId: a.id })) as unknown as Json[]);
  putList(out, 'offered_resources', protoResources(state.offeredResources({ agentId: a.id })) as unknown as Json[]);
  putList(
    out,
    'capabilities',
    a.capabilities.map((type) => ({ type })),
  );
  if (versionAtLeast(state.version, '1.9.0')) out['deactivated'] = a.deactivated;
  if (a.drainState && versionAtLeast(state.version, '1.9.0')) out['drain_info'] = { state: a.drainState, config: {} };
  return out;
}

export function frameworkProto(state: ClusterState, f: FrameworkRecord): JsonObject {
  const out: JsonObject = {
    framework_info: frameworkInfoProto(f),
    active: f.active,
    connected: f.connected,
    recovered: f.recovered,
    registered_time: timeInfo(f.registeredTime),
  };
  if (f.reregisteredTime !== f.registeredTime) out['reregistered_time'] = timeInfo(f.reregisteredTime);
  if (f.unregisteredTime > 0) out['unregistered_time'] = timeInfo(f.unregisteredTime);
  if (!f.completed) {
    putList(
      out,
      'offers',
      state.offersOf({ frameworkId: f.id }).map((o) => offerProto(state, o)),
    );
    putList(out, 'allocated_resources', protoResources(state.usedResources({ frameworkId: f.id })) as unknown as Json[]);
    putList(out, 'offered_resources', protoResources(state.offeredResources({ frameworkId: f.id })) as unknown as Json[]);
  }
  return out;
}

export function getAgents(state: ClusterState): JsonObject {
  return { agents: state.registeredAgents().map((a) => agentProto(state, a)), recovered_agents: [] };
}

export function getFrameworks(state: ClusterState): JsonObject {
  const all = [...state.frameworks.values()];
  return {
    frameworks: all.filter((f) => !f.completed).map((f) => frameworkProto(state, f)),
    completed_frameworks: all.filter((f) => f.completed).map((f) => frameworkProto(state, f)),
  };
}

export function getExecutors(state: ClusterState): JsonObject {
  return {
    executors: state
      .executorsOf({ completed: false })
      .filter((e) => !e.commandExecutor && !state.agents.get(e.agentId)?.removed && !state.frameworks.get(e.frameworkId)?.completed)
      .map((e) => ({ executor_info: executorInfoProto(e), agent_id: id(e.agentId) })),
  };
}

export function getTasks(state: ClusterState): JsonObject {
  return {
    pending_tasks: [],
    tasks: state.liveTasks().map(taskProto),
    unreachable_tasks: state.unreachableTasks().map(taskProto),
    completed_tasks: state.completedTasks().map(taskProto),
    orphan_tasks: [],
  };
}

export function getState(state: ClusterState): JsonObject {
  return {
    get_tasks: getTasks(state),
    get_executors: getExecutors(state),
    get_frameworks: getFrameworks(state),
    get_agents: getAgents(state),
  };
}

export function getHealth(): JsonObject {
  return { healthy: true };
}

export function getFlags(flags: Record<string, string>): JsonObject {
  return { flags: Object.entries(sortedFlags(flags)).map(([name, value]) => ({ name, value })) };
}

export function getVersion(version: string): JsonObject {
  const b = buildInfo(version);
  return {
    version_info: {
      version,
      build_date: b.build_date,
      build_time: b.build_time,
      build_user: b.build_user,
      git_sha: b.git_sha,
      git_tag: b.git_tag,
    },
  };
}

/**
 * MasterInfo as protobuf-JSON: what GET_MASTER returns and what a master writes into its
 * ZooKeeper `json.info_*` node (`JSON::protobuf(masterInfo)` in `src/master/contender/zookeeper.cpp`).
 * `ip` is the network-order uint32 (MESOS-1201).
 */
export function masterInfoProto(m: MasterIdentity): JsonObject {
  const out: JsonObject = {
    id: m.id,
    ip: mesosIpUint32(m.ip),
    port: m.port,
    pid: m.pid,
    hostname: m.hostname,
    version: m.version,
    address: { hostname: m.hostname, ip: m.ip, port: m.port },
  };
  putList(
    out,
    'capabilities',
    masterCapabilities(m.version).map((type) => ({ type })),
  );
  return out;
}

export function getMaster(m: MasterIdentity, startTime: number, electedTime?: number): JsonObject {
  const out: JsonObject = { master_info: masterInfoProto(m), start_time: startTime };
  if (electedTime !== undefined) out['elected_time'] = electedTime;
  return out;
}
