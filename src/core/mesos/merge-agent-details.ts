import type { AgentDetail, ClusterSnapshot, ExecutorSnapshot } from './snapshot.js';

/**
 * Puts what the agents said into the snapshot (in place): each agent's `detail`; the executors'
 * `container`/`directory` (only agents know them); executors only the agent knows are added; a
 * warning per agent that did not answer. Agents without an entry in `details` are left alone.
 */
export function mergeAgentDetails(snapshot: ClusterSnapshot, details: ReadonlyMap<string, AgentDetail>): ClusterSnapshot {
  const key = (e: Pick<ExecutorSnapshot, 'frameworkId' | 'agentId' | 'id'>): string => `${e.frameworkId}\u0000${e.agentId}\u0000${e.id}`;
  const known = new Map(snapshot.executors.map((e) => [key(e), e]));
  const k8smFrameworks = new Set(snapshot.frameworks.filter((f) => f.isK8sm).map((f) => f.id));

  for (const agent of snapshot.agents) {
    const detail = details.get(agent.id);
    if (!detail) continue;
    agent.detail = detail;
    // Masters up to 0.25 print no agent version; the agent's own /state does.
    if (!agent.version && detail.version) agent.version = detail.version;
    if (!detail.reachable) {
      snapshot.warnings.push(`agent ${agent.hostname} (${agent.id}) did not answer: ${detail.error ?? 'unknown error'}`);
      continue;
    }
    for (const e of detail.executors ?? []) {
      // The agent's /state may omit its own id; the master's id is the authority.
      if (!e.agentId) e.agentId = agent.id;
      const master = known.get(key(e));
      if (master) {
        if (e.container !== undefined) master.container = e.container;
        if (e.directory !== undefined) master.directory = e.directory;
        if (e.source !== undefined && master.source === undefined) master.source = e.source;
        master.taskIds = [...new Set([...master.taskIds, ...e.taskIds])];
      } else {
        const copy: ExecutorSnapshot = { ...e, taskIds: [...e.taskIds] };
        snapshot.executors.push(copy);
        known.set(key(copy), copy);
        if (copy.isK8sm && !k8smFrameworks.has(copy.frameworkId)) {
          const fw = snapshot.frameworks.find((f) => f.id === copy.frameworkId);
          if (fw) fw.isK8sm = true;
          k8smFrameworks.add(copy.frameworkId);
        }
        if (copy.isK8sm || k8smFrameworks.has(copy.frameworkId)) agent.k8smExecutors.push(copy);
      }
    }
  }
  return snapshot;
}
