/**
 * Orphan classification (issue 9; reference §1.15, §3.2): a kubelet container is an orphan only
 * with proof: its MESOS_EXECUTOR_CONTAINER_UUID names an executor container that no live executor
 * on that agent runs (read from the agent's own /state now), and its pod's task does not run there.
 * A container whose executor runs is live, whatever else looks wrong. Anything that cannot be
 * proven (no marker, not inspected, the agent's state unreadable, a live executor whose container
 * the agent does not print, the pod's task still running) is unproven and never killed.
 */
import { isLiveTask } from '../mesos/task-state.js';
import type { TaskSnapshot } from '../mesos/snapshot.js';
import { podOfTaskName } from '../views/agent-description.js';
import { gracePeriodOf, hostPortsOf, markerOf, podOfContainer, EXECUTOR_MARKER_ENV } from './kubelet-container.js';
import type { AgentReading, Classification, ClusterFacts, ContainerPod, KubeletContainer, OrphanEvidence } from './types.js';

/** The Mesos tasks of a pod on an agent: by the pod's taskId annotation, else by the task name `<pod>.<ns>.pod`. */
function podTasksOnAgent(pod: ContainerPod, agentId: string, cluster: ClusterFacts): TaskSnapshot[] {
  const annotated = cluster.pods?.find((p) => p.namespace === pod.namespace && p.name === pod.name)?.taskId;
  return cluster.tasks.filter((t) => {
    if (t.agentId !== agentId) return false;
    if (annotated !== undefined && t.id === annotated) return true;
    const p = podOfTaskName(t.name);
    return p !== undefined && p.name === pod.name && p.namespace === pod.namespace;
  });
}

function latestStatusTime(t: TaskSnapshot): number {
  return Math.max(0, ...t.statuses.map((s) => s.timestamp ?? 0));
}

export function classifyContainer(container: KubeletContainer, agent: AgentReading, cluster: ClusterFacts): Classification {
  const pod = podOfContainer(container);
  const base = {
    agentId: agent.id,
    hostname: agent.hostname,
    container,
    ...(pod ? { pod } : {}),
    evidence: [] as OrphanEvidence[],
    hostPorts: container.state === 'running' ? hostPortsOf(container.labels) : [],
    gracePeriodSeconds: gracePeriodOf(container.labels),
  };
  const detail = agent.detail;
  if (!detail.reachable) {
    return { ...base, class: 'unproven', unprovenReason: 'agent-unreadable', reason: `agent state unreadable: ${detail.error ?? 'no answer'}` };
  }
  if (container.env === undefined) {
    return { ...base, class: 'unproven', unprovenReason: 'not-inspected', reason: `not inspected: ${container.inspectError ?? 'no inspect answer'}` };
  }
  const marker = markerOf(container.env);
  if (marker === undefined) {
    return { ...base, class: 'unproven', unprovenReason: 'no-marker', reason: `no ${EXECUTOR_MARKER_ENV} (not started by a k8sm executor)` };
  }
  const withMarker = { ...base, marker };
  const live = detail.executors ?? [];
  const runner = live.find((e) => e.container === marker);
  if (runner) return { ...withMarker, class: 'live', executorId: runner.id, reason: `executor ${runner.id} runs it` };
  const unknown = live.find((e) => e.isK8sm && !e.container);
  if (unknown) {
    return {
      ...withMarker,
      class: 'unproven',
      unprovenReason: 'executor-container-unknown',
      reason: `live k8sm executor ${unknown.id} has no container id in the agent's state`,
    };
  }
  const tasks = pod ? podTasksOnAgent(pod, agent.id, cluster) : [];
  const running = tasks.find((t) => isLiveTask(t));
  if (running) {
    return { ...withMarker, class: 'unproven', unprovenReason: 'task-running', reason: `task ${running.id} of its pod is ${running.state} on this agent` };
  }

  const evidence: OrphanEvidence[] = [];
  const completed = (detail.completedExecutors ?? []).find((e) => e.container === marker);
  if (completed) {
    evidence.push({
      kind: 'executor-completed',
      executorId: completed.id,
      frameworkId: completed.frameworkId,
      ...(completed.endedAt !== undefined ? { endedAt: completed.endedAt } : {}),
    });
  }
  if (pod && cluster.pods) {
    const now = cluster.pods.find((p) => p.namespace === pod.namespace && p.name === pod.name);
    if (!now) evidence.push({ kind: 'pod-deleted' });
    else {
      if (pod.uid && now.uid && now.uid !== pod.uid) evidence.push({ kind: 'pod-other-uid', uid: now.uid });
      if (now.nodeName && now.nodeName !== agent.hostname) evidence.push({ kind: 'pod-bound-elsewhere', nodeName: now.nodeName });
    }
  }
  const terminal = tasks.filter((t) => !isLiveTask(t)).sort((a, b) => latestStatusTime(b) - latestStatusTime(a))[0];
  if (terminal) evidence.push({ kind: 'task-terminal', taskId: terminal.id, state: terminal.state });

  return {
    ...withMarker,
    class: 'orphan',
    evidence,
    reason: `executor container ${marker} is not running on ${agent.hostname}${pod ? ` and no task of ${pod.namespace}/${pod.name} runs there` : ''}`,
  };
}

/** Every container of every agent; containers of an agent missing from `agents` are unproven (unreadable). */
export function classifyAll(
  containers: ReadonlyArray<{ agentId: string; hostname: string; containers: ReadonlyArray<KubeletContainer> }>,
  agents: ReadonlyMap<string, AgentReading>,
  cluster: ClusterFacts,
): Classification[] {
  const out: Classification[] = [];
  for (const group of containers) {
    const reading = agents.get(group.agentId) ?? {
      id: group.agentId,
      hostname: group.hostname,
      detail: { reachable: false, error: 'not read' },
    };
    for (const c of group.containers) out.push(classifyContainer(c, reading, cluster));
  }
  return out;
}

/** Words for one piece of evidence (tables and plans). */
export function describeEvidence(e: OrphanEvidence): string {
  switch (e.kind) {
    case 'executor-completed':
      return `executor ${e.executorId} completed${e.endedAt !== undefined ? ` at ${new Date(e.endedAt * 1000).toISOString()}` : ''}`;
    case 'pod-deleted':
      return 'pod deleted';
    case 'pod-bound-elsewhere':
      return `pod bound to ${e.nodeName}`;
    case 'pod-other-uid':
      return `pod now has uid ${e.uid}`;
    case 'task-terminal':
      return `task ${e.taskId} ${e.state}`;
  }
}
