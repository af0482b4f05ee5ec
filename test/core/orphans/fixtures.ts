import { emptyResources } from '../../../src/core/mesos/resources.js';
import type { ExecutorSnapshot, FrameworkSnapshot, TaskSnapshot } from '../../../src/core/mesos/snapshot.js';
import type { KubeletContainer } from '../../../src/core/orphans/index.js';

export function executor(id: string, container: string | undefined, agentId = 'a1', frameworkId = 'fw'): ExecutorSnapshot {
  return { id, name: 'Kubelet-Executor', frameworkId, agentId, ...(container !== undefined ? { container } : {}), taskIds: [], isK8sm: true };
}

export function task(id: string, pod: string, ns: string, state: string, agentId = 'a1', frameworkId = 'fw', ts = 100): TaskSnapshot {
  return {
    id,
    name: `${pod}.${ns}.pod`,
    frameworkId,
    agentId,
    state,
    resources: emptyResources(),
    statuses: [{ state, timestamp: ts }],
    list: state === 'TASK_RUNNING' || state === 'TASK_STAGING' ? 'tasks' : 'completed_tasks',
  };
}

export function framework(id: string, over: Partial<FrameworkSnapshot> = {}): FrameworkSnapshot {
  return {
    id,
    name: 'Kubernetes',
    roles: ['*'],
    active: true,
    used: emptyResources(),
    offered: emptyResources(),
    taskCount: 0,
    offerCount: 0,
    isK8sm: true,
    completed: false,
    ...over,
  };
}

export function container(
  id: string,
  pod: string,
  ns: string,
  uid: string,
  marker: string | undefined,
  over: Partial<KubeletContainer> = {},
): KubeletContainer {
  return {
    id,
    name: `k8s_app.1a2b3c_${pod}_${ns}_${uid}_0badf00d`,
    labels: {
      'io.kubernetes.pod.name': pod,
      'io.kubernetes.pod.namespace': ns,
      'io.kubernetes.pod.uid': uid,
      'io.kubernetes.pod.terminationGracePeriod': '7',
      'io.kubernetes.container.ports': JSON.stringify([{ hostPort: 31005, containerPort: 80, protocol: 'TCP' }]),
    },
    state: 'running',
    created: 1000,
    env: marker === undefined ? ['PATH=/bin'] : ['PATH=/bin', `MESOS_EXECUTOR_CONTAINER_UUID=${marker}`],
    ...over,
  };
}
