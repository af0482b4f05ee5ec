/**
 * A small but realistic cluster for view tests, built on the ClusterState alone (no sockets):
 * two agents (one with a gap in its ports and a `public` reservation), the k8sm framework with its
 * executor and two pod tasks (one with host ports), a MULTI_ROLE framework with a command task and
 * an offer, a finished task, and a framework torn down.
 */
import { ClusterState } from '../../../test/stack/mesos-sim/state.js';
import type { MasterViewContext } from '../../../test/stack/mesos-sim/views/master.js';

export const MASTER_ID = '4b7d4d0e-5f0e-4d7b-9c5a-2f1e0f6f4a11';

export interface Scenario {
  state: ClusterState;
  ctx: MasterViewContext;
  agentA: string;
  agentB: string;
  k8sm: string;
  marathon: string;
  oldFramework: string;
  executorId: string;
  podTask: string;
  podTask2: string;
  commandTask: string;
  finishedTask: string;
}

export function buildScenario(version = '1.11.0'): Scenario {
  let t = 1_700_000_000;
  const state = new ClusterState({ version, idPrefix: MASTER_ID, now: () => (t += 0.25) });
  const a = state.addAgent(
    {
      hostname: 'agent-1',
      resources: { cpus: 4, mem: 8192, disk: 40960, ports: '[31000-31099, 31101-32000]' },
      reserved: { public: { cpus: 1, mem: 1024, ports: '[31000-31009]' } },
      attributes: { rack: 'r1', zone: '2' },
    },
    { ip: '127.0.0.2', port: 5051 },
  );
  const b = state.addAgent({ hostname: 'agent-2', resources: { cpus: 2, mem: 4096 } }, { ip: '127.0.0.3', port: 5051 });

  const k8sm = state.addFramework({
    name: 'Kubernetes',
    role: '*',
    principal: 'k8sm',
    pid: 'scheduler(1)@127.0.0.1:10251',
    hostname: 'scheduler-host',
    webuiUrl: 'http://127.0.0.1:10251/',
    failoverTimeout: 4611686018.43,
    checkpoint: true,
  });
  const exec = state.addExecutor({ frameworkId: k8sm.id, agentId: 'agent-1', k8sm: true });
  const podTask = state.addTask({
    frameworkId: k8sm.id,
    agentId: 'agent-1',
    id: 'pod.7f2b7ab4-0000-11ef-9c5a-0242ac110002',
    name: 'web.default.pod',
    executorId: exec.id,
    resources: { cpus: 0.5, mem: 128, ports: [31100 - 1, 31101] },
    statuses: [
      { state: 'TASK_STARTING', source: 'SOURCE_EXECUTOR', message: 'create-binding-success' },
      { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', message: 'pod-running:web_default' },
    ],
  });
  const podTask2 = state.addTask({
    frameworkId: k8sm.id,
    agentId: 'agent-1',
    id: 'pod.7f2b7ab4-0001-11ef-9c5a-0242ac110002',
    name: 'db.default.pod',
    executorId: exec.id,
    resources: { cpus: 0.25, mem: 64 },
  });

  const marathon = state.addFramework({ name: 'marathon', roles: ['*', 'public'], user: 'nobody', failoverTimeout: 604800 });
  const commandTask = state.addTask({
    frameworkId: marathon.id,
    agentId: 'agent-2',
    id: 'app.1',
    resources: { cpus: 1, mem: 512 },
    command: { value: 'python3 -m http.server' },
    labels: { team: 'web' },
  });
  const finishedTask = state.addTask({
    frameworkId: marathon.id,
    agentId: 'agent-2',
    id: 'batch.1',
    resources: { cpus: 1, mem: 256 },
    statuses: [{ state: 'TASK_RUNNING' }, { state: 'TASK_FINISHED', message: 'Command exited with status 0' }],
  });
  state.addOffer({ frameworkId: marathon.id, agentId: 'agent-1', resources: { cpus: 1, mem: 1024, ports: '[31200-31299]' }, role: '*' });

  const old = state.addFramework({ name: 'old', pid: 'scheduler(1)@127.0.0.1:9999' });
  state.addTask({ frameworkId: old.id, agentId: 'agent-2', id: 'old.1', resources: { cpus: 0.1, mem: 32 } });
  state.teardownFramework(old.id);

  const self = { id: MASTER_ID, ip: '127.0.0.1', port: 5050, hostname: '127.0.0.1', pid: 'master@127.0.0.1:5050', version };
  const ctx: MasterViewContext = {
    self,
    leader: self,
    startTime: 1_699_999_999.5,
    electedTime: 1_700_000_000,
    flags: { port: '5050', quorum: '1' },
    clusterName: 'test',
  };
  return {
    state,
    ctx,
    agentA: a.id,
    agentB: b.id,
    k8sm: k8sm.id,
    marathon: marathon.id,
    oldFramework: old.id,
    executorId: exec.id,
    podTask: podTask.id,
    podTask2: podTask2.id,
    commandTask: commandTask.id,
    finishedTask: finishedTask.id,
  };
}
