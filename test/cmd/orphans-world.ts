/**
 * A small cluster with orphans for the orphan command tests: the master fixture (agent-1 7e8f-S0 at
 * 127.0.0.2, agent-2 7e8f-S1 at 127.0.0.3, agent-3 inactive; task web.default.pod running on
 * agent-1), agent-1 running executor container `exec-live` and listing `exec-dead` as completed.
 */
import type { EngineEndpoint } from '../../src/core/orphans/index.js';
import { agentState, FakeKube, FakeMesos, mesosFixture, pod } from './fakes.js';
import { FakeDockerEngine, kubeletContainer, type FakeContainer, type FakeEngineOptions } from './fake-docker.js';

export const A1 = 'tcp://127.0.0.2:2375';
export const A2 = 'tcp://127.0.0.3:2375';
export const DOCKER = ['--docker-endpoint', 'tcp://{ip}:2375'];

export function endpoint(url: string): EngineEndpoint {
  const u = new URL(url);
  return { kind: 'tcp', url, host: u.hostname, port: Number(u.port), source: 'template' };
}

export function engine(url: string, containers: FakeContainer[], o: FakeEngineOptions = {}): FakeDockerEngine {
  return new FakeDockerEngine(endpoint(url), containers, o);
}

/** agent-1's /state with a live k8sm executor running in `liveContainer`, and `exec-dead` completed. */
export function agent1State(liveContainer = 'exec-live'): Record<string, unknown> {
  return {
    ...agentState('7e8f-S0', 'agent-1', 'slave(1)@127.0.0.2:5051'),
    frameworks: [
      {
        id: 'fw-k8sm-0001',
        name: 'Kubernetes',
        executors: [
          {
            id: '6704d375c68fee1e_k8sm-executor',
            name: 'Kubelet-Executor',
            container: liveContainer,
            tasks: [{ id: 'pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002', state: 'TASK_RUNNING' }],
          },
        ],
        completed_executors: [
          {
            id: '0000dead_k8sm-executor',
            name: 'Kubelet-Executor',
            container: 'exec-dead',
            completed_tasks: [{ id: 'pod.old', state: 'TASK_KILLED', statuses: [{ state: 'TASK_KILLED', timestamp: 1767222000 }] }],
          },
        ],
      },
    ],
  };
}

/** The containers of agent-1: a live one, two orphans (an app and its infra container), one without the marker. */
export function agent1Containers(): FakeContainer[] {
  return [
    kubeletContainer('aaaa01', 'web', 'default', 'exec-live', { hostPort: 31000 }),
    kubeletContainer('bbbb02', 'old', 'default', 'exec-dead', { hostPort: 31001, grace: 7 }),
    kubeletContainer('bbbb03', 'old', 'default', 'exec-dead', { container: 'POD' }),
    kubeletContainer('cccc04', 'plain', 'default', undefined),
  ];
}

export function world(o: { agent2?: FakeEngineOptions; agent1?: FakeEngineOptions; agents?: Record<string, Record<string, unknown> | Error> } = {}) {
  const agents: Record<string, Record<string, unknown> | Error> = o.agents ?? { '7e8f-S0': agent1State() };
  const mesos = new FakeMesos({ master: mesosFixture('master-state.json'), agents });
  const kube = new FakeKube({ pods: [pod('web', 'default', { nodeName: 'agent-1' }), pod('plain', 'default')] });
  const e1 = engine(A1, agent1Containers(), o.agent1);
  const e2 = engine(A2, [kubeletContainer('dddd05', 'api', 'team-b', 'exec-b')], o.agent2);
  return { mesos, kube, agents, e1, e2 };
}
