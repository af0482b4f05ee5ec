/** Minimal master `/state` documents shaped like the reference (§2.1), for the client tests. */
export interface FakeAgent {
  id: string;
  hostname: string;
  /** where the agent's endpoints answer */
  hostPort: string;
  active?: boolean;
}

export function masterStateJson(masterHostPort: string, agents: FakeAgent[]): Record<string, unknown> {
  return {
    version: '1.11.0',
    id: 'master-id',
    pid: `master@${masterHostPort}`,
    hostname: masterHostPort.split(':')[0],
    leader: `master@${masterHostPort}`,
    flags: { port: masterHostPort.split(':')[1] },
    slaves: agents.map((a) => ({
      id: a.id,
      hostname: a.hostname,
      port: Number(a.hostPort.split(':')[1]),
      pid: `slave(1)@${a.hostPort}`,
      attributes: {},
      resources: { cpus: 4, mem: 4096, disk: 0, gpus: 0, ports: '[31000-32000]' },
      used_resources: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
      offered_resources: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
      reserved_resources: {},
      unreserved_resources: { cpus: 4, mem: 4096, disk: 0, gpus: 0, ports: '[31000-32000]' },
      active: a.active ?? true,
      version: '1.11.0',
    })),
    recovered_slaves: [],
    frameworks: [
      {
        id: 'fw-k8sm',
        name: 'Kubernetes',
        active: true,
        connected: true,
        role: '*',
        used_resources: {},
        offered_resources: {},
        tasks: [],
        unreachable_tasks: [],
        completed_tasks: [],
        offers: [],
        executors: agents.map((a) => ({
          executor_id: 'abc_k8sm-executor',
          name: 'Kubelet-Executor',
          framework_id: 'fw-k8sm',
          slave_id: a.id,
          resources: { cpus: 0.25, mem: 128 },
        })),
      },
    ],
    completed_frameworks: [],
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

export function agentStateJson(agent: FakeAgent): Record<string, unknown> {
  return {
    id: agent.id,
    pid: `slave(1)@${agent.hostPort}`,
    hostname: agent.hostname,
    flags: { executor_shutdown_grace_period: '5secs', port: agent.hostPort.split(':')[1] },
    frameworks: [
      {
        id: 'fw-k8sm',
        name: 'Kubernetes',
        executors: [
          {
            id: 'abc_k8sm-executor',
            name: 'Kubelet-Executor',
            source: 'kubernetes',
            container: `container-of-${agent.id}`,
            directory: `/var/lib/mesos/slaves/${agent.id}/runs/container-of-${agent.id}`,
            resources: { cpus: 0.25, mem: 128 },
            tasks: [],
            queued_tasks: [],
            completed_tasks: [],
          },
        ],
      },
    ],
    completed_frameworks: [],
  };
}
