/**
 * The Mesos-level leftovers an operator meets with orphans: frameworks inactive or disconnected
 * with tasks still running (and how long their failover timeout has left), live tasks whose
 * framework is gone, and k8sm tasks whose pod no longer exists.
 */
import { isLiveTask } from '../mesos/task-state.js';
import { podOfTaskName } from '../views/agent-description.js';
import type { ClusterFacts } from './types.js';

export interface IdleFramework {
  id: string;
  name: string;
  active: boolean;
  connected?: boolean;
  tasks: number;
  failoverTimeoutSeconds?: number;
  /** Seconds until the master tears it down; absent when the master does not say when it left. */
  failoverRemainingSeconds?: number;
}

export interface LeftoverTask {
  taskId: string;
  name: string;
  frameworkId: string;
  agentId: string;
  state: string;
  pod?: { namespace: string; name: string };
}

export interface MesosLeftovers {
  frameworks: IdleFramework[];
  tasksWithoutFramework: LeftoverTask[];
  /** Empty when the pods were not read. */
  tasksWithoutPod: LeftoverTask[];
}

export function mesosLeftovers(cluster: ClusterFacts, nowSeconds: number): MesosLeftovers {
  const byId = new Map(cluster.frameworks.map((f) => [f.id, f]));
  const live = cluster.tasks.filter((t) => isLiveTask(t));
  const frameworks: IdleFramework[] = [];
  for (const f of cluster.frameworks) {
    if (f.completed) continue;
    if (f.active && f.connected !== false) continue;
    const tasks = live.filter((t) => t.frameworkId === f.id).length;
    if (tasks === 0) continue;
    const remaining =
      f.failoverTimeout !== undefined && f.unregisteredTime !== undefined ? Math.max(0, f.unregisteredTime + f.failoverTimeout - nowSeconds) : undefined;
    frameworks.push({
      id: f.id,
      name: f.name,
      active: f.active,
      ...(f.connected !== undefined ? { connected: f.connected } : {}),
      tasks,
      ...(f.failoverTimeout !== undefined ? { failoverTimeoutSeconds: f.failoverTimeout } : {}),
      ...(remaining !== undefined ? { failoverRemainingSeconds: Math.round(remaining) } : {}),
    });
  }
  const task = (t: (typeof live)[number]): LeftoverTask => {
    const pod = podOfTaskName(t.name);
    return { taskId: t.id, name: t.name, frameworkId: t.frameworkId, agentId: t.agentId, state: t.state, ...(pod ? { pod } : {}) };
  };
  const tasksWithoutFramework = live.filter((t) => byId.get(t.frameworkId)?.completed !== false).map(task);
  const tasksWithoutPod: LeftoverTask[] = [];
  if (cluster.pods) {
    const byTaskId = new Set(cluster.pods.flatMap((p) => (p.taskId ? [p.taskId] : [])));
    const byName = new Set(cluster.pods.map((p) => `${p.namespace}/${p.name}`));
    for (const t of live) {
      const f = byId.get(t.frameworkId);
      if (!f || f.completed || !f.isK8sm) continue; // a task without its framework is listed above
      const pod = podOfTaskName(t.name);
      if (!pod || byTaskId.has(t.id) || byName.has(`${pod.namespace}/${pod.name}`)) continue;
      tasksWithoutPod.push(task(t));
    }
  }
  return { frameworks, tasksWithoutFramework, tasksWithoutPod };
}
