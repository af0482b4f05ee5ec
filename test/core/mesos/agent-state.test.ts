import { parseAgentFlags, parseAgentState } from '../../../src/core/mesos/agent-state.js';
import { agentEndpoint, agentFlagsUrl, agentStateUrl } from '../../../src/core/mesos/agent-endpoint.js';
import { fixture, fixtureCopy } from './fixture.js';

describe('parseAgentState', () => {
  const d = parseAgentState(fixture('agent-state.json'), '/slave(1)/state of agent agent-1');
  it('reads live executors with container and sandbox, and the flags', () => {
    expect(d.reachable).toBe(true);
    expect(d.flags!['executor_shutdown_grace_period']).toBe('5secs');
    expect(d.executors).toHaveLength(2);
    expect(d.executors![0]).toEqual({
      id: '6704d375c68fee1e_k8sm-executor',
      name: 'Kubelet-Executor',
      frameworkId: 'fw-k8sm-0001',
      agentId: '7e8f-S0',
      source: 'kubernetes',
      container: '0e3b8c7a-1111-4222-8333-444455556666',
      directory: '/var/lib/mesos/slaves/7e8f-S0/frameworks/fw-k8sm-0001/executors/6704d375c68fee1e_k8sm-executor/runs/0e3b8c7a-1111-4222-8333-444455556666',
      resources: { cpus: 0.5, mem: 192, disk: 0, gpus: 0, ports: [{ begin: 31000, end: 31001 }] },
      taskIds: ['pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002', 'pod.queued'],
      isK8sm: true,
    });
    expect(d.executors![1]).toMatchObject({ id: 'app.abc', isK8sm: false, container: 'c-app', taskIds: ['app.abc'] });
  });
  it('names the field of a wrong type', () => {
    const bad = fixtureCopy('agent-state.json');
    bad.frameworks[0].executors[0].container = 7;
    expect(() => parseAgentState(bad, '/slave(1)/state of agent agent-1')).toThrow(
      'unexpected JSON in /slave(1)/state of agent agent-1: frameworks[0].executors[0].container is a number, expected a string',
    );
  });
});

describe('parseAgentFlags', () => {
  it('reads the flags object', () => {
    const f = parseAgentFlags(fixture('agent-flags.json'), '/slave(1)/flags of agent a');
    expect(f).toMatchObject({ executor_shutdown_grace_period: '5secs', docker_kill_orphans: 'true', docker_remove_delay: '6hrs' });
  });
  it('needs a flags object', () => {
    expect(() => parseAgentFlags({}, '/slave(1)/flags of agent a')).toThrow('unexpected JSON in /slave(1)/flags of agent a: flags is missing');
    expect(() => parseAgentFlags({ flags: { a: [] } }, 'src')).toThrow('flags.a is an array, expected a string');
  });
});

describe('agentEndpoint', () => {
  it('uses the libprocess pid', () => {
    const ep = agentEndpoint({ pid: 'slave(1)@127.0.0.2:5051', hostname: 'agent-1' }, 'http');
    expect(ep).toEqual({ baseUrl: 'http://127.0.0.2:5051', processId: 'slave(1)' });
    expect(agentStateUrl(ep)).toBe('http://127.0.0.2:5051/slave(1)/state');
    expect(agentFlagsUrl(agentEndpoint({ pid: 'slave(2)@10.0.0.9:5052', hostname: 'x' }, 'https'))).toBe('https://10.0.0.9:5052/slave(2)/flags');
  });
  it('falls back to hostname and port', () => {
    expect(agentEndpoint({ pid: '', hostname: 'agent-9', port: 5053 }, 'http').baseUrl).toBe('http://agent-9:5053');
    expect(agentEndpoint({ pid: 'garbage', hostname: 'agent-9' }, 'http').baseUrl).toBe('http://agent-9:5051');
  });
});
