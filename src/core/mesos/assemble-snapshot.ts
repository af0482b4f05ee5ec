import type { AgentSnapshot, ClusterSnapshot, ExecutorSnapshot, FrameworkSnapshot, MasterInfo, OfferSnapshot, Resources, TaskSnapshot } from './snapshot.js';
import { DEFAULT_K8SM_FRAMEWORK_NAME, isK8smExecutor } from './k8sm-identity.js';
import { ANY_ROLE, addResources, emptyResources, portsByRole, subtractResources } from './resources.js';

/** Options every snapshot parser takes. Pure data: the caller supplies the clock. */
export interface SnapshotParseOptions {
  /** Names the response in error messages, e.g. `/state of master http://10.0.0.1:5050`. */
  source: string;
  /** The master URL that answered; becomes `snapshot.master.url`. */
  masterUrl: string;
  /** ISO time of the fetch. */
  fetchedAt: string;
  /** The k8sm scheduler's `--framework-name` (default `Kubernetes`). */
  k8smFrameworkName?: string;
}

/** The resource views of one agent, from what the master reports. */
export interface AgentResourceInput {
  total: Resources;
  used: Resources;
  offered: Resources;
  reserved: Record<string, Resources>;
  /** Absent when the master did not report it: computed as total − Σ reserved. */
  unreserved?: Resources;
}

export function agentResourceViews(
  input: AgentResourceInput,
): Pick<AgentSnapshot, 'total' | 'used' | 'offered' | 'reserved' | 'unreserved' | 'free' | 'portsByRole'> {
  const reserved = { ...input.reserved };
  // A `*` key in the reserved map (some protobuf forms) is the unreserved part, not a reservation.
  const star = reserved[ANY_ROLE];
  delete reserved[ANY_ROLE];
  let unreserved = input.unreserved ?? star;
  if (!unreserved) {
    const allReserved = Object.values(reserved).reduce(addResources, emptyResources());
    unreserved = subtractResources(input.total, allReserved);
  }
  return {
    total: input.total,
    used: input.used,
    offered: input.offered,
    reserved,
    unreserved,
    free: subtractResources(input.total, input.used),
    portsByRole: portsByRole(reserved, unreserved),
  };
}

/** Parsed pieces, before the cross-references (k8sm flags, task ids per executor) are filled in. */
export interface SnapshotParts {
  master: MasterInfo;
  agents: AgentSnapshot[];
  frameworks: FrameworkSnapshot[];
  tasks: TaskSnapshot[];
  executors: ExecutorSnapshot[];
  warnings?: string[];
  offers?: OfferSnapshot[];
}

function executorKey(frameworkId: string, agentId: string, executorId: string): string {
  return `${frameworkId}\u0000${agentId}\u0000${executorId}`;
}

/**
 * Fills the cross-references: executors' task ids and k8sm flag, frameworks' k8sm flag, and each
 * agent's k8sm executors. Works in place on the parts and returns the snapshot.
 */
export function assembleSnapshot(parts: SnapshotParts, opts: SnapshotParseOptions): ClusterSnapshot {
  const k8smName = (opts.k8smFrameworkName ?? DEFAULT_K8SM_FRAMEWORK_NAME).trim() || DEFAULT_K8SM_FRAMEWORK_NAME;

  const taskIdsByExecutor = new Map<string, string[]>();
  for (const t of parts.tasks) {
    if (!t.executorId || t.list === 'completed_tasks') continue;
    const key = executorKey(t.frameworkId, t.agentId, t.executorId);
    const ids = taskIdsByExecutor.get(key) ?? [];
    ids.push(t.id);
    taskIdsByExecutor.set(key, ids);
  }
  for (const e of parts.executors) {
    e.isK8sm = isK8smExecutor(e.name, e.id);
    const ids = taskIdsByExecutor.get(executorKey(e.frameworkId, e.agentId, e.id));
    if (ids) e.taskIds = [...new Set([...e.taskIds, ...ids])];
  }

  const frameworksWithK8smExecutor = new Set(parts.executors.filter((e) => e.isK8sm).map((e) => e.frameworkId));
  for (const f of parts.frameworks) {
    f.isK8sm = frameworksWithK8smExecutor.has(f.id) || f.name === k8smName;
  }
  const k8smFrameworkIds = new Set(parts.frameworks.filter((f) => f.isK8sm).map((f) => f.id));

  const byAgent = new Map<string, ExecutorSnapshot[]>();
  for (const e of parts.executors) {
    if (!e.isK8sm && !k8smFrameworkIds.has(e.frameworkId)) continue;
    const list = byAgent.get(e.agentId) ?? [];
    list.push(e);
    byAgent.set(e.agentId, list);
  }
  for (const a of parts.agents) a.k8smExecutors = byAgent.get(a.id) ?? [];

  return {
    master: parts.master,
    agents: parts.agents,
    frameworks: parts.frameworks,
    tasks: parts.tasks,
    executors: parts.executors,
    fetchedAt: opts.fetchedAt,
    warnings: parts.warnings ?? [],
    ...(parts.offers ? { offers: parts.offers } : {}),
  };
}
