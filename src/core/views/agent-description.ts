import type { Finding } from '../finding.js';
import type { AgentSnapshot, ClusterSnapshot, ExecutorSnapshot, Resources, TaskSnapshot } from '../mesos/snapshot.js';
import type { PortRange } from '../ports/port-range.js';
import { agentFlagFindings, K8SM_RELEVANT_AGENT_FLAGS } from '../agents/agent-flag-findings.js';
import { isLiveTask } from './agent-view.js';
import { compareStrings } from '../compare.js';

/** One stretch of an agent's offered ports: free, or held by one task (or by something unknown). */
export interface PortStretch {
  range: PortRange;
  state: 'used' | 'free';
  taskId?: string;
  /** Pod `<name>.<namespace>` for k8sm tasks (from the task name `<pod>.<ns>.pod`), else the task name. */
  taskName?: string;
  framework?: string;
}

export interface AgentDescription {
  agent: AgentSnapshot;
  frameworkNames: Record<string, string>;
  portMap: PortStretch[];
  tasks: Array<TaskSnapshot & { frameworkName: string; k8sm: boolean }>;
  executors: ExecutorSnapshot[];
  /** The agent flags that matter to k8sm, in a fixed order (only those the agent reported). */
  flags: Array<[string, string]>;
  findings: Finding[];
}

/**
 * An executor's name as the port map shows it. Mesos names a command executor
 * `Command Executor (Task: <task id>) (Command: sh -c '<the whole command>')`: the task id is in the
 * TASK column already and the command can be any length, so it reads `command executor`. Other
 * names longer than 60 characters are cut.
 */
export function shortExecutorName(name: string): string {
  if (/^Command Executor \(Task: /.test(name)) return 'command executor';
  return name.length > 60 ? `${name.slice(0, 57)}...` : name;
}

/** k8sm names tasks `<pod>.<namespace>.pod`. */
export function podOfTaskName(name: string): { name: string; namespace: string } | undefined {
  const m = /^(.+)\.([^.]+)\.pod$/.exec(name);
  return m ? { name: m[1]!, namespace: m[2]! } : undefined;
}

interface PortOwner {
  id: string;
  /** What the NAME column shows. */
  name: string;
  frameworkId: string;
}

function portOwners(tasks: ReadonlyArray<TaskSnapshot>, executors: ReadonlyArray<ExecutorSnapshot>): Map<number, PortOwner> {
  const owners = new Map<number, PortOwner>();
  const add = (res: Resources | undefined, owner: PortOwner) => {
    for (const r of res?.ports ?? []) for (let p = r.begin; p <= r.end && p - r.begin < 65536; p++) owners.set(p, owner);
  };
  // An agent reports an executor's resources including its tasks': tasks go last so they win.
  for (const e of executors) add(e.resources, { id: e.id, name: shortExecutorName(e.name), frameworkId: e.frameworkId });
  for (const t of tasks) {
    const pod = podOfTaskName(t.name);
    add(t.resources, { id: t.id, name: pod ? `${pod.name}.${pod.namespace}` : t.name, frameworkId: t.frameworkId });
  }
  return owners;
}

/**
 * The offered ranges cut into stretches: used by the same task, used by something this snapshot
 * cannot name (`used` without taskId), or free.
 */
export function agentPortMap(
  agent: AgentSnapshot,
  tasks: ReadonlyArray<TaskSnapshot>,
  executors: ReadonlyArray<ExecutorSnapshot>,
  frameworkNames: Record<string, string>,
): PortStretch[] {
  const owners = portOwners(tasks, executors);
  const usedSet = new Set<number>();
  for (const r of agent.used.ports) for (let p = r.begin; p <= r.end; p++) usedSet.add(p);
  const out: PortStretch[] = [];
  for (const r of agent.total.ports) {
    let cur: PortStretch | undefined;
    for (let p = r.begin; p <= r.end; p++) {
      const owner = owners.get(p);
      const state: PortStretch['state'] = owner || usedSet.has(p) ? 'used' : 'free';
      const same = cur && cur.state === state && cur.taskId === owner?.id && cur.range.end === p - 1;
      if (same) {
        cur!.range.end = p;
        continue;
      }
      cur = { range: { begin: p, end: p }, state };
      if (owner) {
        cur.taskId = owner.id;
        cur.taskName = owner.name;
        cur.framework = frameworkNames[owner.frameworkId] ?? owner.frameworkId;
      }
      out.push(cur);
    }
  }
  return out;
}

export function describeAgent(snap: ClusterSnapshot, agent: AgentSnapshot): AgentDescription {
  const frameworkNames: Record<string, string> = {};
  const k8sm = new Set<string>();
  for (const f of snap.frameworks) {
    frameworkNames[f.id] = f.name;
    if (f.isK8sm) k8sm.add(f.id);
  }
  const tasks = snap.tasks
    .filter((t) => t.agentId === agent.id && isLiveTask(t))
    .map((t) => ({ ...t, frameworkName: frameworkNames[t.frameworkId] ?? t.frameworkId, k8sm: k8sm.has(t.frameworkId) }))
    .sort((a, b) => compareStrings(a.name, b.name));
  const executors = agent.detail?.executors ?? snap.executors.filter((e) => e.agentId === agent.id);
  const flags: Array<[string, string]> = [];
  const findings: Finding[] = [];
  if (agent.detail?.flags) {
    for (const name of K8SM_RELEVANT_AGENT_FLAGS) {
      const v = agent.detail.flags[name];
      if (v !== undefined) flags.push([name, v]);
    }
    findings.push(...agentFlagFindings(agent.hostname, agent.detail.flags));
  }
  if (agent.detail && !agent.detail.reachable) {
    findings.push({
      rule: 'agent-unreachable',
      severity: 'warning',
      object: `agent/${agent.hostname}`,
      message: `the agent did not answer (${agent.detail.error ?? 'no answer'}): its flags, executors and sandboxes are not shown; check that the agent process runs and that ${agent.pid || agent.hostname} is reachable from here`,
    });
  }
  if (!agent.active) {
    findings.push({
      rule: 'agent-inactive',
      severity: 'warning',
      object: `agent/${agent.hostname}`,
      message: 'the master marks this agent inactive: it sends no offers, so k8sm cannot launch pods there; check the agent and the master log',
    });
  }
  return { agent, frameworkNames, portMap: agentPortMap(agent, tasks, executors, frameworkNames), tasks, executors, flags, findings };
}
