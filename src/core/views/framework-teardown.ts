/**
 * What `delete framework` shows before a Mesos teardown: the framework an id or name means, and
 * its live tasks per agent (what the master will kill).
 */
import { compareStrings } from '../compare.js';
import type { ClusterSnapshot, FrameworkSnapshot } from '../mesos/snapshot.js';
import { isLiveTask } from '../mesos/task-state.js';

export type FrameworkLookup =
  { found: FrameworkSnapshot } | { completed: FrameworkSnapshot } | { ambiguous: FrameworkSnapshot[] } | { missing: true; known: FrameworkSnapshot[] };

/** By id first, then by name among the frameworks still registered; a completed one is reported as such. */
export function findFramework(snap: ClusterSnapshot, idOrName: string): FrameworkLookup {
  const live = snap.frameworks.filter((f) => !f.completed);
  const byId = live.find((f) => f.id === idOrName);
  if (byId) return { found: byId };
  const byName = live.filter((f) => f.name === idOrName);
  if (byName.length === 1) return { found: byName[0]! };
  if (byName.length > 1) return { ambiguous: byName };
  const done = snap.frameworks.find((f) => f.completed && (f.id === idOrName || f.name === idOrName));
  if (done) return { completed: done };
  return { missing: true, known: live };
}

export interface AgentTasks {
  agentId: string;
  hostname: string;
  tasks: Array<{ id: string; name: string; state: string }>;
}

/** The framework's live tasks grouped by agent (agents by hostname, tasks by name). */
export function tasksPerAgent(snap: ClusterSnapshot, frameworkId: string): AgentTasks[] {
  const hostOf = new Map(snap.agents.map((a) => [a.id, a.hostname]));
  const groups = new Map<string, AgentTasks>();
  for (const t of snap.tasks) {
    if (t.frameworkId !== frameworkId || !isLiveTask(t)) continue;
    let g = groups.get(t.agentId);
    if (!g) groups.set(t.agentId, (g = { agentId: t.agentId, hostname: hostOf.get(t.agentId) ?? t.agentId, tasks: [] }));
    g.tasks.push({ id: t.id, name: t.name, state: t.state });
  }
  const out = [...groups.values()].sort((a, b) => compareStrings(a.hostname, b.hostname));
  for (const g of out) g.tasks.sort((a, b) => compareStrings(a.name, b.name));
  return out;
}
