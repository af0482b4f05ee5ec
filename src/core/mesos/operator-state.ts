import type { AgentSnapshot, ClusterSnapshot, ExecutorSnapshot, FrameworkSnapshot, OfferSnapshot, TaskSnapshot } from './snapshot.js';
import { isLiveTask } from './task-state.js';
import { JsonNode } from './json-node.js';
import { formatPortRanges, normalizePortRanges } from '../ports/port-range.js';
import { ANY_ROLE, emptyResources, rangesFromProto, resourcesFromProtoArray } from './resources.js';
import { agentResourceViews, assembleSnapshot, type SnapshotParseOptions } from './assemble-snapshot.js';
import { defined, parseLabels, parseStatus } from './master-state.js';

/**
 * v1 operator API `GET_STATE` (POST /api/v1 `{"type":"GET_STATE"}`) → ClusterSnapshot. Accepts
 * the whole response (`{"type":"GET_STATE","get_state":{...}}`) or the bare `get_state` object.
 * Unlike `/state`, task statuses here carry `message`, `reason` and `source`.
 */
export function parseOperatorState(json: unknown, opts: SnapshotParseOptions): ClusterSnapshot {
  let root = JsonNode.root(json, opts.source);
  const type = root.optStr('type');
  if (type !== undefined && type !== 'GET_STATE') root.fail(`is "${type}", expected "GET_STATE"`, 'type');
  root = root.optObj('get_state') ?? root;

  const getAgents = root.optObj('get_agents');
  const agents: AgentSnapshot[] = [
    ...(getAgents?.arr('agents') ?? []).map((a) => parseAgent(a)),
    ...(getAgents?.arr('recovered_agents') ?? []).map((a) => parseAgentInfo(a, a, false)),
  ];

  const getFrameworks = root.optObj('get_frameworks');
  const getTasks = root.optObj('get_tasks');
  const tasks: TaskSnapshot[] = [];
  for (const list of ['tasks', 'unreachable_tasks', 'completed_tasks'] as const) {
    for (const t of getTasks?.arr(list) ?? []) tasks.push(parseTask(t, list));
  }
  const taskCount = new Map<string, number>();
  for (const t of tasks) if (isLiveTask(t)) taskCount.set(t.frameworkId, (taskCount.get(t.frameworkId) ?? 0) + 1);

  const frameworks: FrameworkSnapshot[] = [
    ...(getFrameworks?.arr('frameworks') ?? []).map((f) => parseFramework(f, false, taskCount)),
    ...(getFrameworks?.arr('completed_frameworks') ?? []).map((f) => parseFramework(f, true, taskCount)),
  ];

  const executors: ExecutorSnapshot[] = (root.optObj('get_executors')?.arr('executors') ?? []).map(parseExecutor);
  const offers: OfferSnapshot[] = (getFrameworks?.arr('frameworks') ?? []).flatMap((f) => f.arr('offers').map(parseOffer));

  return assembleSnapshot({ master: { url: opts.masterUrl }, agents, frameworks, tasks, executors, offers }, opts);
}

/** Protobuf-JSON attributes `[{name, type, text|scalar|ranges|set}]` → the model's `{name: value}`. */
export function parseProtoAttributes(nodes: JsonNode[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const a of nodes) {
    const name = a.str('name');
    const text = a.optObj('text');
    const scalar = a.optObj('scalar');
    const ranges = a.optObj('ranges');
    const set = a.optObj('set');
    if (text) out[name] = text.str('value');
    else if (scalar) out[name] = scalar.num('value');
    else if (ranges) out[name] = formatPortRanges(normalizePortRanges(rangesFromProto(ranges)));
    else if (set)
      out[name] = `{${set
        .arr('item')
        .map((i) => (typeof i.value === 'string' ? i.value : i.fail('is not a string, expected a set item')))
        .join(', ')}}`;
  }
  return out;
}

function parseAgent(a: JsonNode): AgentSnapshot {
  if (!a.isObject()) a.fail('is not an object, expected an agent');
  const agent = parseAgentInfo(a.obj('agent_info'), a, a.optBool('active') ?? true);
  const deactivated = a.optBool('deactivated');
  if (deactivated !== undefined) agent.deactivated = deactivated;
  const drainState = a.optObj('drain_info')?.optStr('state');
  if (drainState !== undefined) agent.drainState = drainState;
  agent.usedByRole = resourcesFromProtoArray(a.arr('allocated_resources')).byRole;
  return agent;
}

/** An Offer (protobuf-JSON): its agent, and its resources with the split by reservation role. */
function parseOffer(o: JsonNode): OfferSnapshot {
  if (!o.isObject()) o.fail('is not an object, expected an offer');
  const res = resourcesFromProtoArray(o.arr('resources'));
  return { id: o.id('id'), frameworkId: o.id('framework_id'), agentId: o.id('agent_id'), resources: res.total, byRole: res.byRole };
}

/** `info` is the AgentInfo; `outer` the GET_AGENTS entry (or the AgentInfo itself for recovered agents). */
function parseAgentInfo(info: JsonNode, outer: JsonNode, active: boolean): AgentSnapshot {
  if (!info.isObject()) info.fail('is not an object, expected an AgentInfo');
  const id = info.id('id');
  const totalSplit = resourcesFromProtoArray(outer.has('total_resources') ? outer.arr('total_resources') : info.arr('resources'));
  const used = resourcesFromProtoArray(outer === info ? [] : outer.arr('allocated_resources')).total;
  const offered = resourcesFromProtoArray(outer === info ? [] : outer.arr('offered_resources')).total;
  const reserved = { ...totalSplit.byRole };
  const unreserved = reserved[ANY_ROLE] ?? emptyResources();
  delete reserved[ANY_ROLE];
  return {
    id,
    hostname: info.optStr('hostname') ?? id,
    pid: outer === info ? '' : (outer.optStr('pid') ?? ''),
    ...defined({
      port: info.optNum('port'),
      version: outer === info ? undefined : outer.optStr('version'),
      registeredTime: outer === info ? undefined : outer.optSeconds('registered_time'),
    }),
    active,
    attributes: parseProtoAttributes(info.arr('attributes')),
    ...agentResourceViews({ total: totalSplit.total, used, offered, reserved, unreserved }),
    k8smExecutors: [],
  };
}

function parseFramework(f: JsonNode, completed: boolean, taskCount: Map<string, number>): FrameworkSnapshot {
  if (!f.isObject()) f.fail('is not an object, expected a framework');
  const info = f.obj('framework_info');
  const id = info.id('id');
  const roles = info.arr('roles').map((r) => (typeof r.value === 'string' ? r.value : r.fail('is not a string, expected a role')));
  const role = info.optStr('role');
  return {
    id,
    name: info.optStr('name') ?? '',
    ...defined({
      user: info.optStr('user'),
      hostname: info.optStr('hostname'),
      principal: info.optStr('principal'),
      webuiUrl: info.optStr('webui_url') || undefined,
      recovered: f.optBool('recovered'),
      checkpoint: info.optBool('checkpoint'),
      failoverTimeout: info.optNum('failover_timeout'),
      registeredTime: f.optSeconds('registered_time'),
      unregisteredTime: f.optSeconds('unregistered_time'),
    }),
    roles: roles.length ? roles : role ? [role] : [],
    active: f.optBool('active') ?? false,
    connected: f.optBool('connected') ?? false,
    used: resourcesFromProtoArray(f.arr('allocated_resources')).total,
    offered: resourcesFromProtoArray(f.arr('offered_resources')).total,
    taskCount: taskCount.get(id) ?? 0,
    offerCount: f.arr('offers').length,
    isK8sm: false,
    completed,
  };
}

function parseTask(t: JsonNode, list: TaskSnapshot['list']): TaskSnapshot {
  if (!t.isObject()) t.fail('is not an object, expected a task');
  const executorId = t.optId('executor_id');
  const labels = parseLabels(t, 'labels');
  return {
    id: t.id('task_id'),
    name: t.optStr('name') ?? '',
    frameworkId: t.id('framework_id'),
    ...(executorId ? { executorId } : {}),
    agentId: t.optId('agent_id') ?? '',
    state: t.optStr('state') ?? 'TASK_UNKNOWN',
    resources: resourcesFromProtoArray(t.arr('resources')).total,
    statuses: t.arr('statuses').map(parseStatus),
    ...(labels ? { labels } : {}),
    list,
  };
}

function parseExecutor(e: JsonNode): ExecutorSnapshot {
  if (!e.isObject()) e.fail('is not an object, expected an executor');
  const info = e.obj('executor_info');
  return {
    id: info.id('executor_id'),
    name: info.optStr('name') ?? '',
    frameworkId: info.optId('framework_id') ?? '',
    agentId: e.id('agent_id'),
    ...defined({ source: info.optStr('source') || undefined }),
    resources: resourcesFromProtoArray(info.arr('resources')).total,
    taskIds: [],
    isK8sm: false,
  };
}
