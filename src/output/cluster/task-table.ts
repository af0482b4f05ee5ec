import type { TableSpec } from '../objects.js';
import type { TaskView } from '../../core/views/task-view.js';

/** `31000,31001-31003`: host ports, consecutive ones folded. */
export function formatPortList(ports: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ports.length;) {
    let j = i;
    while (j + 1 < ports.length && ports[j + 1] === ports[j]! + 1) j++;
    out.push(j > i ? `${ports[i]}-${ports[j]}` : String(ports[i]));
    i = j + 1;
  }
  return out.join(',');
}

export const TASK_TABLE: TableSpec<TaskView> = {
  columns: [
    { header: 'NAMESPACE', value: (t) => t.namespace },
    { header: 'POD', value: (t) => t.podName },
    { header: 'TASK', value: (t) => t.task.id },
    { header: 'AGENT', value: (t) => t.agent },
    { header: 'STATE', value: (t) => t.task.state },
    { header: 'POD PHASE', value: (t) => (t.pod ? t.pod.phase : 'no pod') },
    { header: 'HOST PORTS', value: (t) => formatPortList(t.hostPorts) },
    { header: 'FRAMEWORK', value: (t) => t.framework, wide: true },
    { header: 'EXECUTOR', value: (t) => t.task.executorId, wide: true },
    { header: 'CPUS', value: (t) => t.task.resources.cpus, wide: true },
    { header: 'MEM(MB)', value: (t) => t.task.resources.mem, wide: true },
    { header: 'NODE', value: (t) => t.pod?.nodeName, wide: true },
  ],
  name: (t) => `task/${t.task.id}`,
  toJSON: (t) => ({
    kind: 'K8smTask',
    apiVersion: 'k8smctl/v1',
    id: t.task.id,
    name: t.task.name,
    namespace: t.namespace,
    pod: t.podName,
    podFound: t.join !== 'none',
    podPhase: t.pod?.phase ?? null,
    podUid: t.pod?.uid ?? null,
    agent: t.agent,
    agentId: t.task.agentId,
    framework: t.framework,
    frameworkId: t.task.frameworkId,
    executorId: t.task.executorId ?? null,
    state: t.task.state,
    hostPorts: t.hostPorts,
    resources: t.task.resources,
    statuses: t.task.statuses,
  }),
};
