import type {
  AgentSnapshot,
  ClusterSnapshot,
  ExecutorSnapshot,
  FrameworkSnapshot,
  MasterInfo,
  OfferSnapshot,
  TaskSnapshot,
  TaskStatusSnapshot,
} from './snapshot.js';
import { JsonNode } from './json-node.js';
import {
  addResources,
  emptyResources,
  resourcesByRoleFromModel,
  resourcesByRoleFromProtoMap,
  resourcesFromModel,
  resourcesFromProtoArray,
  subtractResources,
} from './resources.js';
import { agentResourceViews, assembleSnapshot, type SnapshotParseOptions } from './assemble-snapshot.js';
import { isLiveTaskState } from './task-state.js';
import { deriveAgentUsage, type OfferOnAgent } from './derived-usage.js';
import { mesosVersionBelow } from './mesos-version.js';

/**
 * Master `/state` (`/master/state`, and the pre-1.7 `/state.json`) → ClusterSnapshot. The model
 * JSON (reference §2.1): agents under `slaves[]` (plus `recovered_slaves[]`, inactive), frameworks
 * with their `tasks`/`unreachable_tasks`/`completed_tasks`, `executors[]` and `offers[]`. When an
 * agent entry carries the protobuf-JSON `*_full` fields (as `/master/slaves` does), they win over
 * the model strings: they are the exact form.
 *
 * Older masters print less, and what they leave out is derived rather than read as zero: before
 * Mesos 0.23 agents have no `used_resources` (nor `offered_resources`): the sum of the live tasks
 * and the executors the document lists on the agent (and of the offers made for it); Mesos 0.19
 * frameworks have no `used_resources` either: their `resources` (what they hold, offers included)
 * minus their offers. A framework's `connected` (Mesos 1.2) stays absent when not printed.
 */
export function parseMasterState(json: unknown, opts: SnapshotParseOptions): ClusterSnapshot {
  const root = JsonNode.root(json, opts.source);
  const master: MasterInfo = {
    url: opts.masterUrl,
    ...defined({
      id: root.optStr('id'),
      pid: root.optStr('pid'),
      hostname: root.optStr('hostname'),
      version: root.optStr('version'),
      leader: root.optStr('leader'),
      cluster: root.optStr('cluster'),
      flags: root.optStringMap('flags'),
    }),
  };

  const agents: ParsedAgent[] = [
    ...root.arr('slaves').map((n) => parseModelAgent(n, true)),
    ...root.arr('recovered_slaves').map((n) => parseModelAgent(n, false)),
  ];

  const frameworks: FrameworkSnapshot[] = [];
  const tasks: TaskSnapshot[] = [];
  const executors: ExecutorSnapshot[] = [];
  const offers: OfferOnAgent[] = [];
  const offerList: OfferSnapshot[] = [];
  const registeredExecutors: ExecutorSnapshot[] = [];
  for (const [key, completed] of [
    ['frameworks', false],
    ['completed_frameworks', true],
  ] as const) {
    for (const f of root.arr(key)) {
      const fw = parseModelFramework(f, completed);
      frameworks.push(fw);
      for (const list of ['tasks', 'unreachable_tasks', 'completed_tasks'] as const) {
        for (const t of f.arr(list)) tasks.push(parseModelTask(t, fw.id, list));
      }
      for (const e of f.arr('executors')) {
        const ex = parseModelExecutor(e, fw.id);
        executors.push(ex);
        if (!completed) registeredExecutors.push(ex);
      }
      if (!completed) {
        const fwOffers = parseModelOffers(f);
        offers.push(...fwOffers);
        for (const o of fwOffers) offerList.push({ id: o.id, frameworkId: fw.id, agentId: o.agentId, resources: o.resources });
      }
    }
  }
  for (const a of agents) {
    if (a.version ? mesosVersionBelow(a.version, '0.25.0') : mesosVersionBelow(master.version, '0.26.0')) a.stateJsonOnly = true;
    if (!a.usedFromTasks) continue;
    const usage = deriveAgentUsage(a.id, tasks, registeredExecutors, offers);
    Object.assign(
      a,
      agentResourceViews({
        total: a.total,
        used: usage.used,
        offered: a.offeredMissing ? usage.offered : a.offered,
        reserved: a.reserved,
        unreserved: a.unreserved,
      }),
    );
    delete a.offeredMissing;
  }
  return assembleSnapshot({ master, agents, frameworks, tasks, executors, offers: offerList }, opts);
}

/** `/master/slaves` → agents only (no frameworks, so no k8sm executors). Prefers `*_full`. */
export function parseMasterSlaves(json: unknown, source: string): AgentSnapshot[] {
  const root = JsonNode.root(json, source);
  return [...root.arr('slaves').map((n) => parseModelAgent(n, true)), ...root.arr('recovered_slaves').map((n) => parseModelAgent(n, false))];
}

/** Drops undefined values so optional fields stay absent (not `key: undefined`). */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Model attributes: `{name: number|string}` (ranges and sets are printed as strings). */
export function parseModelAttributes(node: JsonNode | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (!node) return out;
  for (const [k, v] of node.entries()) {
    if (typeof v.value === 'string' || typeof v.value === 'number') out[k] = v.value;
    else v.fail('is not a string or number, expected an attribute value');
  }
  return out;
}

/** An agent as parsed, before usage missing from old masters is derived. */
type ParsedAgent = AgentSnapshot & { offeredMissing?: boolean };

function parseModelAgent(n: JsonNode, registered: boolean): ParsedAgent {
  if (!n.isObject()) n.fail('is not an object, expected an agent');
  const id = n.str('id');
  const total = resourcesFromModel(n.optObj('resources'));
  // Before Mesos 0.23 the master printed neither: derived from tasks, executors and offers.
  const usedMissing = !n.has('used_resources_full') && !n.has('used_resources');
  const offeredMissing = !n.has('offered_resources_full') && !n.has('offered_resources');
  const used = n.has('used_resources_full') ? resourcesFromProtoArray(n.arr('used_resources_full')).total : resourcesFromModel(n.optObj('used_resources'));
  const offered = n.has('offered_resources_full')
    ? resourcesFromProtoArray(n.arr('offered_resources_full')).total
    : resourcesFromModel(n.optObj('offered_resources'));
  const usedByRole = n.has('used_resources_full') ? resourcesFromProtoArray(n.arr('used_resources_full')).byRole : undefined;
  const drainState = n.optObj('drain_info')?.optStr('state');
  const reserved = n.has('reserved_resources_full')
    ? resourcesByRoleFromProtoMap(n.optObj('reserved_resources_full'))
    : resourcesByRoleFromModel(n.optObj('reserved_resources'));
  const unreserved = n.has('unreserved_resources_full')
    ? resourcesFromProtoArray(n.arr('unreserved_resources_full')).total
    : n.has('unreserved_resources')
      ? resourcesFromModel(n.optObj('unreserved_resources'))
      : undefined;
  return {
    id,
    hostname: n.optStr('hostname') ?? id,
    pid: n.optStr('pid') ?? '',
    ...defined({
      port: n.optNum('port'),
      version: n.optStr('version'),
      registeredTime: n.optNum('registered_time'),
    }),
    active: registered ? (n.optBool('active') ?? true) : false,
    attributes: parseModelAttributes(n.optObj('attributes')),
    ...agentResourceViews({ total, used, offered, reserved, ...(unreserved ? { unreserved } : {}) }),
    ...(usedMissing ? { usedFromTasks: true } : {}),
    ...(usedMissing && offeredMissing ? { offeredMissing: true } : {}),
    k8smExecutors: [],
    ...defined({ deactivated: n.optBool('deactivated'), drainState, usedByRole }),
  };
}

/** A framework's outstanding offers, with the agent each is for. */
function parseModelOffers(f: JsonNode): Array<OfferOnAgent & { id: string }> {
  return f.arr('offers').map((o) => {
    if (!o.isObject()) o.fail('is not an object, expected an offer');
    return { id: o.optId('id') ?? '', agentId: o.optId('slave_id') ?? o.optId('agent_id') ?? '', resources: resourcesFromModel(o.optObj('resources')) };
  });
}

/**
 * `/master/frameworks?framework_id=ID` (or `/state`) → the outstanding offers of that framework
 * (none when it is not registered): what a second look needs to tell an offer held for long from
 * a new one, as Mesos prints no offer times.
 */
export function parseFrameworkOffers(json: unknown, frameworkId: string, source: string): OfferSnapshot[] {
  const root = JsonNode.root(json, source);
  const out: OfferSnapshot[] = [];
  for (const f of root.arr('frameworks')) {
    if (!f.isObject()) f.fail('is not an object, expected a framework');
    if (f.optId('id') !== frameworkId) continue;
    for (const o of parseModelOffers(f)) out.push({ id: o.id, frameworkId, agentId: o.agentId, resources: o.resources });
  }
  return out;
}

/** One live task of a framework as `/master/frameworks` shows it. */
export interface FrameworkTask {
  readonly id: string;
  readonly name: string;
  readonly agentId: string;
  readonly state: string;
  /** The framework running it (its id and name). */
  readonly frameworkId: string;
  readonly frameworkName: string;
}

/**
 * `/master/frameworks?framework_id=ID` (or `/state`) → that framework's live tasks (terminal ones
 * and `completed_tasks` left out; none when it is not registered): after a scheduler failover, the
 * tasks a pod may still have that the scheduler's own record lost.
 */
export function parseFrameworkTasks(json: unknown, frameworkId: string | undefined, source: string): FrameworkTask[] {
  const root = JsonNode.root(json, source);
  const out: FrameworkTask[] = [];
  for (const f of root.arr('frameworks')) {
    if (!f.isObject()) f.fail('is not an object, expected a framework');
    const id = f.optId('id') ?? '';
    if (frameworkId !== undefined && id !== frameworkId) continue;
    const frameworkName = f.optStr('name') ?? '';
    for (const t of f.arr('tasks')) {
      if (!t.isObject()) t.fail('is not an object, expected a task');
      const state = t.optStr('state') ?? '';
      if (!isLiveTaskState(state)) continue;
      out.push({
        id: t.str('id'),
        name: t.optStr('name') ?? '',
        agentId: t.optId('slave_id') ?? t.optId('agent_id') ?? '',
        state,
        frameworkId: id,
        frameworkName,
      });
    }
  }
  return out;
}

function parseRoles(n: JsonNode): string[] {
  const roles = n.arr('roles').map((r) => (typeof r.value === 'string' ? r.value : r.fail('is not a string, expected a role')));
  if (roles.length) return roles;
  const role = n.optStr('role');
  return role ? [role] : [];
}

function parseModelFramework(f: JsonNode, completed: boolean): FrameworkSnapshot {
  if (!f.isObject()) f.fail('is not an object, expected a framework');
  const unregistered = f.optNum('unregistered_time');
  const offered = f.has('offered_resources')
    ? resourcesFromModel(f.optObj('offered_resources'))
    : parseModelOffers(f).reduce((sum, o) => addResources(sum, o.resources), emptyResources());
  // Mesos 0.19 printed only `resources`: everything the framework holds, offers included.
  const used = f.has('used_resources') ? resourcesFromModel(f.optObj('used_resources')) : subtractResources(resourcesFromModel(f.optObj('resources')), offered);
  return {
    id: f.str('id'),
    name: f.optStr('name') ?? '',
    ...defined({
      user: f.optStr('user'),
      hostname: f.optStr('hostname'),
      principal: f.optStr('principal'),
      webuiUrl: f.optStr('webui_url') || undefined,
      recovered: f.optBool('recovered'),
      checkpoint: f.optBool('checkpoint'),
      failoverTimeout: f.optNum('failover_timeout'),
      registeredTime: f.optNum('registered_time'),
      unregisteredTime: unregistered ? unregistered : undefined,
      connected: f.optBool('connected'),
    }),
    roles: parseRoles(f),
    active: f.optBool('active') ?? false,
    used,
    offered,
    taskCount: f.arr('tasks').filter((t) => t.isObject() && isLiveTaskState(t.optStr('state') ?? '')).length,
    offerCount: f.arr('offers').length,
    isK8sm: false,
    completed,
  };
}

/** Task labels: the model prints `[{key, value}]`; protobuf-JSON `{labels: [{key, value}]}`. */
export function parseLabels(n: JsonNode, key: string): Record<string, string> | undefined {
  const l = n.opt(key);
  if (!l) return undefined;
  const list = Array.isArray(l.value) ? n.arr(key) : l.isObject() ? l.arr('labels') : l.fail('is not a list of labels');
  const out: Record<string, string> = {};
  for (const e of list) out[e.str('key')] = e.optStr('value') ?? '';
  return out;
}

export function parseStatus(s: JsonNode): TaskStatusSnapshot {
  if (!s.isObject()) s.fail('is not an object, expected a task status');
  const out: TaskStatusSnapshot = { state: s.str('state') };
  const timestamp = s.optSeconds('timestamp');
  if (timestamp !== undefined) out.timestamp = timestamp;
  const message = s.optStr('message');
  if (message !== undefined) out.message = message;
  const reason = s.optStr('reason');
  if (reason !== undefined) out.reason = reason;
  const source = s.optStr('source');
  if (source !== undefined) out.source = source;
  return out;
}

function parseModelTask(t: JsonNode, frameworkId: string, list: TaskSnapshot['list']): TaskSnapshot {
  if (!t.isObject()) t.fail('is not an object, expected a task');
  const task: TaskSnapshot = {
    id: t.id('id'),
    name: t.optStr('name') ?? '',
    frameworkId: t.optId('framework_id') ?? frameworkId,
    agentId: t.optId('slave_id') ?? t.optId('agent_id') ?? '',
    state: t.optStr('state') ?? 'TASK_UNKNOWN',
    resources: resourcesFromModel(t.optObj('resources')),
    statuses: t.arr('statuses').map(parseStatus),
    list,
  };
  const executorId = t.optId('executor_id');
  if (executorId) task.executorId = executorId;
  const labels = parseLabels(t, 'labels');
  if (labels) task.labels = labels;
  return task;
}

function parseModelExecutor(e: JsonNode, frameworkId: string): ExecutorSnapshot {
  if (!e.isObject()) e.fail('is not an object, expected an executor');
  return {
    id: e.optId('executor_id') ?? e.id('id'),
    name: e.optStr('name') ?? '',
    frameworkId: e.optId('framework_id') ?? frameworkId,
    agentId: e.optId('slave_id') ?? e.optId('agent_id') ?? '',
    ...defined({ source: e.optStr('source') || undefined }),
    resources: resourcesFromModel(e.optObj('resources')),
    taskIds: [],
    isK8sm: false,
  };
}
