import type { AgentSnapshot, ClusterSnapshot, ExecutorSnapshot, FrameworkSnapshot, Resources, TaskSnapshot } from '../../../src/core/mesos/snapshot.js';
import { parsePortRanges, subtractPortRanges } from '../../../src/core/ports/port-range.js';

export const res = (cpus: number, mem: number, ports = ''): Resources => ({ cpus, mem, disk: 0, gpus: 0, ports: ports ? parsePortRanges(ports) : [] });

export function agent(
  hostname: string,
  opts: {
    id?: string;
    pid?: string;
    total?: Resources;
    used?: Resources;
    attributes?: Record<string, string | number>;
    active?: boolean;
    executors?: ExecutorSnapshot[];
    reserved?: Record<string, Resources>;
  } = {},
): AgentSnapshot {
  const total = opts.total ?? res(4, 8192, '[31000-32000]');
  const used = opts.used ?? res(0, 0);
  const free: Resources = { cpus: total.cpus - used.cpus, mem: total.mem - used.mem, disk: 0, gpus: 0, ports: subtractPortRanges(total.ports, used.ports) };
  return {
    id: opts.id ?? `S-${hostname}`,
    hostname,
    pid: opts.pid ?? `slave(1)@127.0.0.2:5051`,
    active: opts.active ?? true,
    attributes: opts.attributes ?? {},
    total,
    used,
    offered: res(0, 0),
    reserved: opts.reserved ?? {},
    unreserved: opts.reserved
      ? {
          ...total,
          ports: subtractPortRanges(
            total.ports,
            Object.values(opts.reserved).flatMap((r) => r.ports),
          ),
        }
      : total,
    free,
    portsByRole: opts.reserved
      ? Object.fromEntries(
          [
            [
              '*',
              subtractPortRanges(
                total.ports,
                Object.values(opts.reserved).flatMap((r) => r.ports),
              ),
            ] as const,
            ...Object.entries(opts.reserved).map(([role, r]) => [role, r.ports] as const),
          ].filter(([, p]) => p.length > 0),
        )
      : { '*': total.ports },
    k8smExecutors: opts.executors ?? [],
  };
}

export function framework(id: string, name: string, opts: Partial<FrameworkSnapshot> = {}): FrameworkSnapshot {
  return {
    id,
    name,
    roles: ['*'],
    active: true,
    connected: true,
    used: res(0, 0),
    offered: res(0, 0),
    taskCount: 0,
    offerCount: 0,
    isK8sm: name === 'Kubernetes',
    completed: false,
    ...opts,
  };
}

export function task(id: string, name: string, frameworkId: string, agentId: string, opts: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return { id, name, frameworkId, agentId, state: 'TASK_RUNNING', resources: res(0.25, 64), statuses: [], list: 'tasks', ...opts };
}

export function k8smExecutor(id: string, frameworkId: string, agentId: string, opts: Partial<ExecutorSnapshot> = {}): ExecutorSnapshot {
  return { id, name: 'Kubelet-Executor', frameworkId, agentId, taskIds: [], isK8sm: true, ...opts };
}

export function snapshot(parts: Partial<ClusterSnapshot>): ClusterSnapshot {
  return {
    master: { url: 'http://127.0.0.1:5050' },
    agents: [],
    frameworks: [],
    tasks: [],
    executors: [],
    fetchedAt: '2026-11-24T00:00:00Z',
    warnings: [],
    ...parts,
  };
}
