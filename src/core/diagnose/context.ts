import { ATTRIBUTE_LABEL_PREFIX } from '../k8sm/keys.js';
import { nodeLabelsOf } from '../k8sm/node-labels.js';
import { k8smScheduler, type K8smScheduler } from '../k8sm/scheduler.js';
import type { AgentSnapshot, ExecutorSnapshot, FrameworkSnapshot, OfferSnapshot, TaskSnapshot } from '../mesos/snapshot.js';
import { isLiveTask } from '../mesos/task-state.js';
import { agentFree, type AgentFree } from './agent-free.js';
import { timeMs } from './format.js';
import type { AgentVerdict, DiagnoseSettings, DiagnoseSnapshot, EventObject, NodeObject, PodObject } from './model.js';

/**
 * Everything `diagnosePod` needs that does not depend on the pod, worked out once per snapshot
 * (per agent: what is free for k8sm, why it is inactive, its Node, a k8sm executor of another id;
 * the k8sm framework, the executor id it uses now; indexes of tasks, events and Nodes) and kept in
 * a WeakMap, so that diagnosing 1,000 pods reads the snapshot once.
 */

/** Why the master sends no offers for an agent. */
export type Inactive = 'disconnected' | 'deactivated' | 'draining';

export interface AgentContext {
  agent: AgentSnapshot;
  free: AgentFree;
  offersToOthers: ReadonlyArray<OfferSnapshot>;
  tasks: ReadonlyArray<TaskSnapshot>;
  inactive?: Inactive;
  /** The Node named after the agent's hostname; undefined when missing or when Nodes were not read. */
  node?: NodeObject;
  /** `k8s.mesosphere.io/attribute-*` labels that differ between the Node and the agent. */
  staleLabels: ReadonlyArray<{ key: string; node?: string; agent?: string }>;
  /** Live k8sm executors of the framework there with an id other than the current one. */
  otherExecutors: ReadonlyArray<{ id: string; tasks: number }>;
  /** A live k8sm executor of the framework with the current id runs there (its overhead is paid). */
  executorRunning: boolean;
  /** The labels k8sm matches a nodeSelector against: the Node's, else the ones it would write. */
  nodeLabels: Readonly<Record<string, string>>;
}

export type FrameworkState =
  | { kind: 'ok'; framework: FrameworkSnapshot }
  | { kind: 'missing'; others: ReadonlyArray<string>; removed?: FrameworkSnapshot }
  | { kind: 'inactive'; framework: FrameworkSnapshot; sinceMs?: number; failoverLeftMs?: number };

export interface Context {
  snapshot: DiagnoseSnapshot;
  settings: DiagnoseSettings;
  now: number;
  framework: FrameworkState;
  frameworkId: string | undefined;
  scheduler: K8smScheduler;
  /** Executor overhead seen on a running executor (it includes the static pods), when there is one. */
  observedExecutor?: { cpus: number; mem: number };
  executorId: string | undefined;
  executorIdFrom: 'flag' | 'cluster' | 'newest' | undefined;
  agents: ReadonlyArray<AgentContext>;
  agentById: ReadonlyMap<string, AgentContext>;
  agentByHostname: ReadonlyMap<string, AgentContext>;
  tasksById: ReadonlyMap<string, TaskSnapshot>;
  /** The framework's executors (live, as the master and the asked agents list them). */
  executors: ReadonlyArray<ExecutorSnapshot>;
  /** The same by `executorKey(agentId, executorId)`. */
  executorIndex: ReadonlyMap<string, ExecutorSnapshot>;
  nodes: ReadonlyMap<string, NodeObject> | undefined;
  eventsByPod: ReadonlyMap<string, EventObject[]>;
  frameworkNames: ReadonlyMap<string, string>;
  /** The k8sm framework's offers outstanding at both looks (offers-held). */
  heldOffers: ReadonlyArray<OfferSnapshot>;
  verdicts: Map<string, ReadonlyArray<AgentVerdict>>;
}

const cache = new WeakMap<DiagnoseSnapshot, { settings: DiagnoseSettings; now: number; ctx: Context }>();

export function contextOf(snapshot: DiagnoseSnapshot, settings: DiagnoseSettings, now: number): Context {
  const hit = cache.get(snapshot);
  if (hit && hit.settings === settings && hit.now === now) return hit.ctx;
  const ctx = prepare(snapshot, settings, now);
  cache.set(snapshot, { settings, now, ctx });
  return ctx;
}

export function executorKey(agentId: string, executorId: string): string {
  return `${agentId}\u0000${executorId}`;
}

export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function frameworkState(snapshot: DiagnoseSnapshot, name: string, now: number): FrameworkState {
  const all = snapshot.mesos.frameworks.filter((f) => f.name === name);
  const live = all.filter((f) => !f.completed);
  // Several registrations of one name: the active one, else the one with most tasks.
  const pick = live.find((f) => f.active && f.connected !== false) ?? [...live].sort((a, b) => b.taskCount - a.taskCount)[0];
  if (!pick) {
    const others = [...new Set(snapshot.mesos.frameworks.filter((f) => !f.completed).map((f) => f.name))].sort();
    const removed = all.filter((f) => f.completed).sort((a, b) => (b.unregisteredTime ?? 0) - (a.unregisteredTime ?? 0))[0];
    return { kind: 'missing', others, ...(removed ? { removed } : {}) };
  }
  if (pick.active && pick.connected !== false) return { kind: 'ok', framework: pick };
  const since = pick.unregisteredTime !== undefined && pick.unregisteredTime > 0 ? pick.unregisteredTime * 1000 : undefined;
  const timeout = pick.failoverTimeout;
  const failoverLeftMs = since !== undefined && timeout !== undefined ? timeout * 1000 - (now - since) : undefined;
  return { kind: 'inactive', framework: pick, ...(since !== undefined ? { sinceMs: since } : {}), ...(failoverLeftMs !== undefined ? { failoverLeftMs } : {}) };
}

/** When an executor's tasks were launched last: the latest first status of its live tasks. */
function lastLaunch(e: ExecutorSnapshot, tasksById: ReadonlyMap<string, TaskSnapshot>): number {
  let best = -1;
  for (const id of e.taskIds) {
    const t = tasksById.get(id);
    const first = t?.statuses[0]?.timestamp;
    if (first !== undefined && first > best) best = first;
  }
  return best;
}

/**
 * The executor id the k8sm scheduler uses now (an id hashes the executor-affecting scheduler
 * flags, §1.1): `--executor-id` when given; the only id its executors have; else the id of the
 * executor that launched a task last (the scheduler launched it, so that is its current config).
 */
function currentExecutorId(
  settings: DiagnoseSettings,
  executors: ReadonlyArray<ExecutorSnapshot>,
  tasksById: ReadonlyMap<string, TaskSnapshot>,
): { id?: string; from?: Context['executorIdFrom'] } {
  if (settings.executorId) return { id: settings.executorId, from: 'flag' };
  const ids = [...new Set(executors.filter((e) => e.isK8sm).map((e) => e.id))];
  if (ids.length === 0) return {};
  if (ids.length === 1) return { id: ids[0]!, from: 'cluster' };
  let best: { id: string; at: number } | undefined;
  for (const e of executors) {
    if (!e.isK8sm) continue;
    const at = lastLaunch(e, tasksById);
    if (!best || at > best.at || (at === best.at && e.id < best.id)) best = { id: e.id, at };
  }
  return { id: best!.id, from: 'newest' };
}

function inactiveOf(a: AgentSnapshot): Inactive | undefined {
  if (a.deactivated) return 'deactivated';
  if (a.drainState === 'DRAINING' || a.drainState === 'DRAINED') return 'draining';
  if (!a.active) return 'disconnected';
  return undefined;
}

function staleAttributeLabels(a: AgentSnapshot, node: NodeObject): Array<{ key: string; node?: string; agent?: string }> {
  const want = nodeLabelsOf(a.hostname, a.attributes);
  const have = node.metadata.labels ?? {};
  const out: Array<{ key: string; node?: string; agent?: string }> = [];
  const keys = new Set([...Object.keys(want), ...Object.keys(have)].filter((k) => k.startsWith(ATTRIBUTE_LABEL_PREFIX)));
  for (const key of [...keys].sort()) {
    const w = want[key];
    const h = have[key];
    if (w === h) continue;
    out.push({ key, ...(h !== undefined ? { node: h } : {}), ...(w !== undefined ? { agent: w } : {}) });
  }
  return out;
}

function eventTimeMs(e: EventObject): number {
  return timeMs(e.lastTimestamp) ?? timeMs(e.eventTime) ?? timeMs(e.firstTimestamp) ?? timeMs(e.metadata.creationTimestamp) ?? 0;
}

function prepare(snapshot: DiagnoseSnapshot, settings: DiagnoseSettings, now: number): Context {
  const mesos = snapshot.mesos;
  const framework = frameworkState(snapshot, settings.frameworkName, now);
  const fw = framework.kind === 'missing' ? undefined : framework.framework;
  const frameworkId = fw?.id;

  const tasksById = new Map<string, TaskSnapshot>();
  const tasksByAgent = new Map<string, TaskSnapshot[]>();
  for (const t of mesos.tasks) {
    const had = tasksById.get(t.id);
    // A task id may appear in several lists (a re-registered task): the live entry wins.
    if (!had || (!isLiveTask(had) && isLiveTask(t))) tasksById.set(t.id, t);
    if (!isLiveTask(t)) continue;
    const list = tasksByAgent.get(t.agentId);
    if (list) list.push(t);
    else tasksByAgent.set(t.agentId, [t]);
  }

  // The framework's executors: the master's list, plus what asked agents say (the agent wins for its own).
  const asked = new Map(mesos.agents.filter((a) => a.detail?.reachable).map((a) => [a.id, a]));
  const executors = mesos.executors.filter((e) => e.frameworkId === frameworkId && agentListsExecutor(asked.get(e.agentId), e));
  const current = currentExecutorId(settings, executors, tasksById);

  // The executor's resources as k8sm charges them (executor + static pods), when one runs with the current id.
  const running = executors.find((e) => e.id === current.id && e.resources && (e.resources.cpus > 0 || e.resources.mem > 0));
  let scheduler = settings.scheduler;
  let observedExecutor: Context['observedExecutor'];
  if (running?.resources) {
    observedExecutor = { cpus: running.resources.cpus, mem: running.resources.mem };
    const s = settings.scheduler.settings;
    const staticCpus = Math.max(0, observedExecutor.cpus - s.executorCpus);
    const staticMem = Math.max(0, observedExecutor.mem - s.executorMem);
    const base = { ...s, executorCpus: Math.min(s.executorCpus, observedExecutor.cpus), executorMem: Math.min(s.executorMem, observedExecutor.mem) };
    scheduler = k8smScheduler(base, staticCpus > 0 || staticMem > 0 ? [{ cpus: staticCpus, mem: staticMem }] : []);
  }

  const offersByAgentToOthers = new Map<string, OfferSnapshot[]>();
  for (const o of mesos.offers ?? []) {
    if (o.frameworkId === frameworkId) continue;
    const list = offersByAgentToOthers.get(o.agentId);
    if (list) list.push(o);
    else offersByAgentToOthers.set(o.agentId, [o]);
  }

  const nodes = snapshot.nodes ? new Map(snapshot.nodes.map((n) => [n.metadata.name, n])) : undefined;
  const executorsByAgent = new Map<string, ExecutorSnapshot[]>();
  for (const e of executors) {
    if (!e.isK8sm) continue;
    const list = executorsByAgent.get(e.agentId);
    if (list) list.push(e);
    else executorsByAgent.set(e.agentId, [e]);
  }

  const agents: AgentContext[] = [];
  for (const a of mesos.agents) {
    const offersToOthers = offersByAgentToOthers.get(a.id) ?? [];
    const node = nodes?.get(a.hostname);
    const mine = executorsByAgent.get(a.id) ?? [];
    const inactive = inactiveOf(a);
    agents.push({
      agent: a,
      free: agentFree(a, offersToOthers),
      offersToOthers,
      tasks: tasksByAgent.get(a.id) ?? [],
      ...(inactive ? { inactive } : {}),
      ...(node ? { node } : {}),
      staleLabels: node ? staleAttributeLabels(a, node) : [],
      otherExecutors: current.id === undefined ? [] : mine.filter((e) => e.id !== current.id).map((e) => ({ id: e.id, tasks: e.taskIds.length })),
      executorRunning: mine.some((e) => e.id === current.id),
      nodeLabels: node?.metadata.labels ?? nodeLabelsOf(a.hostname, a.attributes),
    });
  }

  const eventsByPod = new Map<string, EventObject[]>();
  for (const e of snapshot.events ?? []) {
    const io = e.involvedObject;
    if (io.kind !== undefined && io.kind !== 'Pod') continue;
    if (!io.name) continue;
    const key = podKey(io.namespace ?? e.metadata.namespace ?? 'default', io.name);
    const list = eventsByPod.get(key);
    if (list) list.push(e);
    else eventsByPod.set(key, [e]);
  }
  for (const list of eventsByPod.values()) list.sort((x, y) => eventTimeMs(x) - eventTimeMs(y));

  let heldOffers: OfferSnapshot[] = [];
  if (snapshot.offersLater && frameworkId !== undefined) {
    const later = new Set(snapshot.offersLater.ids);
    heldOffers = (mesos.offers ?? []).filter((o) => o.frameworkId === frameworkId && later.has(o.id));
  }

  return {
    snapshot,
    settings,
    now,
    framework,
    frameworkId,
    scheduler,
    ...(observedExecutor ? { observedExecutor } : {}),
    executorId: current.id,
    executorIdFrom: current.from,
    agents,
    agentById: new Map(agents.map((a) => [a.agent.id, a])),
    agentByHostname: new Map(agents.map((a) => [a.agent.hostname, a])),
    tasksById,
    executors,
    executorIndex: new Map(executors.map((e) => [executorKey(e.agentId, e.id), e])),
    nodes,
    eventsByPod,
    frameworkNames: new Map(mesos.frameworks.map((f) => [f.id, f.name])),
    heldOffers,
    verdicts: new Map(),
  };
}

/** Whether an executor the master lists is on its agent too (true when the agent was not asked). */
function agentListsExecutor(asked: AgentSnapshot | undefined, e: ExecutorSnapshot): boolean {
  const listed = asked?.detail?.executors;
  return listed === undefined || listed.some((x) => x.id === e.id && x.frameworkId === e.frameworkId);
}

export { eventTimeMs };

/** The pod's events, oldest first. */
export function eventsOf(ctx: Context, pod: PodObject): ReadonlyArray<EventObject> {
  const list = ctx.eventsByPod.get(podKey(pod.metadata.namespace ?? 'default', pod.metadata.name)) ?? [];
  const uid = pod.metadata.uid;
  // Events of an earlier pod of the same name are not this pod's.
  return uid ? list.filter((e) => !e.involvedObject.uid || e.involvedObject.uid === uid) : list;
}
