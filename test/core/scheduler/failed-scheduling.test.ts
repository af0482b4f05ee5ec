import { failedSchedulingMessage, type AgentView } from '../../../src/core/scheduler/failed-scheduling.js';
import { podJson, scheduler } from './helpers.js';
import type { PodObject } from '../../../src/core/diagnose/model.js';

const S = scheduler();
const view = (host: string, cpus: number, ports = '31000-31010'): AgentView => {
  const [b, e] = ports.split('-').map(Number) as [number, number];
  return {
    agentId: `a-${host}`,
    hostname: host,
    attributes: {},
    cpus: { '*': cpus },
    mem: { '*': 4096 },
    ports: { '*': [{ begin: b, end: e }] },
    executorIds: [],
  };
};
const settings = { scheduler: S, frameworkName: 'Kubernetes', frameworkId: 'fw', executorId: 'x_k8sm-executor', roles: ['*'] };

describe('FailedScheduling message', () => {
  it('gives the per-agent reasons and numbers of diagnose, never "no suitable offers" alone', () => {
    const pod = podJson({ name: 'big', cpu: '3', hostPorts: [80] }) as unknown as PodObject;
    const msg = failedSchedulingMessage(pod, [view('h1', 1), view('h2', 1.5), view('h3', 8)], undefined, settings, Date.now());
    expect(msg).toMatch(/^0\/3 agents can run it: /);
    expect(msg).toBe('0/3 agents can run it: 3 host port 80 not offered (ranges [31000-31010])');
    expect(msg).not.toMatch(/no suitable offers/);
  });

  it('says why when the only reason is cpu, with the numbers', () => {
    const pod = podJson({ name: 'big', cpu: '3' }) as unknown as PodObject;
    const msg = failedSchedulingMessage(pod, [view('h1', 1), view('h2', 2)], undefined, settings, Date.now());
    // diagnose's wording, units included (CPU as validate prints it).
    expect(msg).toBe('0/2 agents can run it: 2 insufficient cpu (needs 3 CPU, at most 2 CPU free)');
  });

  it('says memory in MB: 1Ti is 1048576 MB, against what the agent has free', () => {
    const pod = podJson({ name: 'huge', mem: '1Ti' }) as unknown as PodObject;
    const msg = failedSchedulingMessage(pod, [view('h1', 4)], undefined, settings, Date.now());
    expect(msg).toBe('0/1 agents can run it: 1 insufficient memory (needs 1048576 MB, 4096 MB free)');
  });

  it('names an agent running an executor of another configuration', () => {
    const pod = podJson({ name: 'p' }) as unknown as PodObject;
    const msg = failedSchedulingMessage(pod, [{ ...view('h1', 4), executorIds: ['old_k8sm-executor'] }], undefined, settings, Date.now());
    expect(msg).toContain('old_k8sm-executor');
    expect(msg).toMatch(/^0\/1 agents can run it: /);
  });
});
