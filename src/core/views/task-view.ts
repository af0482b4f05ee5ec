import type { ClusterSnapshot, TaskSnapshot } from '../mesos/snapshot.js';
import { podOfTaskName } from './agent-description.js';
import { compareStrings } from '../compare.js';

/** What the task join needs of a Kubernetes pod. */
export interface PodRef {
  name: string;
  namespace: string;
  uid?: string;
  phase?: string;
  nodeName?: string;
  /** Annotation `k8s.mesosphere.io/taskId` written by the k8sm executor. */
  taskId?: string;
  /** Annotation `k8s.mesosphere.io/bindingHost`. */
  bindingHost?: string;
}

export interface TaskView {
  task: TaskSnapshot;
  /** The pod the task runs (joined by the taskId annotation, else by the task name). */
  pod?: PodRef;
  podName: string;
  namespace: string;
  agent: string;
  framework: string;
  hostPorts: number[];
  /** How the pod was found: `annotation`, `name`, or `none` (no such pod in the apiserver). */
  join: 'annotation' | 'name' | 'none';
}

function hostPorts(t: TaskSnapshot): number[] {
  const out: number[] = [];
  for (const r of t.resources.ports) for (let p = r.begin; p <= r.end && out.length < 1024; p++) out.push(p);
  return out;
}

/**
 * k8sm tasks (of frameworks that look like k8sm) joined with their pods. `pods` undefined means the
 * apiserver was not asked; `namespace` keeps only tasks of that namespace. Live tasks by default;
 * `all` adds completed and unreachable ones.
 */
export function k8smTaskViews(snap: ClusterSnapshot, pods: ReadonlyArray<PodRef> | undefined, opts: { namespace?: string; all?: boolean } = {}): TaskView[] {
  const frameworks = new Map(snap.frameworks.filter((f) => f.isK8sm).map((f) => [f.id, f.name]));
  const agents = new Map(snap.agents.map((a) => [a.id, a.hostname]));
  const byTaskId = new Map<string, PodRef>();
  const byName = new Map<string, PodRef>();
  for (const p of pods ?? []) {
    if (p.taskId) byTaskId.set(p.taskId, p);
    byName.set(`${p.namespace}/${p.name}`, p);
  }
  const out: TaskView[] = [];
  for (const t of snap.tasks) {
    const framework = frameworks.get(t.frameworkId);
    if (framework === undefined) continue;
    if (!opts.all && t.list !== 'tasks') continue;
    const fromName = podOfTaskName(t.name);
    let pod = byTaskId.get(t.id);
    let join: TaskView['join'] = pod ? 'annotation' : 'none';
    if (!pod && fromName) {
      const candidate = byName.get(`${fromName.namespace}/${fromName.name}`);
      // A pod of the same name that names another task is a later pod, not this task's.
      if (candidate && (!candidate.taskId || candidate.taskId === t.id)) {
        pod = candidate;
        join = 'name';
      }
    }
    const namespace = pod?.namespace ?? fromName?.namespace ?? '';
    if (opts.namespace !== undefined && namespace !== opts.namespace) continue;
    out.push({
      task: t,
      ...(pod ? { pod } : {}),
      podName: pod?.name ?? fromName?.name ?? t.name,
      namespace,
      agent: agents.get(t.agentId) ?? t.agentId,
      framework,
      hostPorts: hostPorts(t),
      join,
    });
  }
  return out.sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.podName, b.podName) || compareStrings(a.task.id, b.task.id));
}
