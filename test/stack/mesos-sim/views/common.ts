/**
 * JSON pieces shared by the master and agent "model" views, after MESOS `src/common/http.cpp`
 * (`json(JSON::ObjectWriter*, const Task&)`, `... TaskStatus&`, `... ExecutorInfo&`,
 * `... CommandInfo&`, labels) and `src/slave/http.cpp` (ExecutorWriter, FrameworkWriter).
 */
import { PRINTED_SINCE, versionAtLeast, type BuildInfo } from '../defaults.js';
import { modelResources, type Resource } from '../resources.js';
import type { ClusterState, ExecutorRecord, TaskRecord, TaskStatusRecord } from '../state.js';
import type { CommandSeed } from '../types.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Identity of one master as the views need it. */
export interface MasterIdentity {
  id: string;
  ip: string;
  port: number;
  hostname: string;
  pid: string;
  version: string;
}

export function labelsModel(labels: Record<string, string>): Json[] {
  return Object.entries(labels).map(([key, value]) => ({ key, value }));
}

/** `model(ContainerStatus)`: container_id (protobuf) and network_infos with ip_addresses. */
function containerStatusModel(cs: NonNullable<TaskStatusRecord['containerStatus']>): JsonObject {
  return {
    container_id: { value: cs.containerId },
    network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: cs.ip }] }],
  };
}

/** One status in the model JSON: state and timestamp only (+labels, container_status, healthy). No message or reason. */
export function statusModel(s: TaskStatusRecord): JsonObject {
  const out: JsonObject = { state: s.state, timestamp: s.timestamp };
  if (s.containerStatus) out['container_status'] = containerStatusModel(s.containerStatus);
  if (s.healthy !== undefined) out['healthy'] = s.healthy;
  return out;
}

/** The role of an allocation: the first resource's allocation role (MESOS-6636: no mixing). */
export function allocationRoleOf(resources: readonly Resource[], fallback: string): string {
  return resources[0]?.allocationRole ?? fallback;
}

export function taskModel(state: ClusterState, t: TaskRecord): JsonObject {
  const f = state.frameworks.get(t.frameworkId);
  const out: JsonObject = {
    id: t.id,
    name: t.name,
    framework_id: t.frameworkId,
    executor_id: t.executorId,
    slave_id: t.agentId,
    state: t.state,
    resources: modelResources(t.resources),
  };
  if (versionAtLeast(state.version, PRINTED_SINCE.taskRole)) out['role'] = allocationRoleOf(t.resources, f ? state.defaultRole(f) : '*');
  out['statuses'] = t.statuses.map(statusModel);
  if (t.user !== undefined) out['user'] = t.user;
  if (t.labels) out['labels'] = labelsModel(t.labels);
  return out;
}

/** `json(JSON::ObjectWriter*, const CommandInfo&)`. */
export function commandModel(c: CommandSeed): JsonObject {
  const out: JsonObject = {};
  if (c.shell !== undefined) out['shell'] = c.shell;
  if (c.value !== undefined) out['value'] = c.value;
  out['argv'] = [...(c.arguments ?? [])];
  if (c.environment) {
    out['environment'] = {
      variables: Object.entries(c.environment).map(([name, value]) => ({ name, type: 'VALUE', value })),
    };
  }
  out['uris'] = (c.uris ?? []).map((u) => ({ value: u.value, executable: u.executable ?? false }));
  return out;
}

/** The master's executor JSON (`json(writer, ExecutorInfo)` + `slave_id`). */
export function masterExecutorModel(e: ExecutorRecord): JsonObject {
  const out: JsonObject = {
    executor_id: e.id,
    name: e.name,
    framework_id: e.frameworkId,
    command: commandModel(e.command),
    resources: modelResources(e.resources),
  };
  if (e.resources.length > 0) out['role'] = allocationRoleOf(e.resources, '*');
  if (e.labels) out['labels'] = labelsModel(e.labels);
  if (e.type) out['type'] = e.type;
  out['slave_id'] = e.agentId;
  return out;
}

export function buildFields(version: string, b: BuildInfo): JsonObject {
  return {
    version,
    git_sha: b.git_sha,
    git_tag: b.git_tag,
    build_date: b.build_date,
    build_time: b.build_time,
    build_user: b.build_user,
  };
}
