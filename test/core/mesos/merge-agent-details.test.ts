import { parseMasterState } from '../../../src/core/mesos/master-state.js';
import { parseAgentState } from '../../../src/core/mesos/agent-state.js';
import { mergeAgentDetails } from '../../../src/core/mesos/merge-agent-details.js';
import type { AgentDetail } from '../../../src/core/mesos/snapshot.js';
import { fixture } from './fixture.js';

const opts = { source: 's', masterUrl: 'http://m:5050', fetchedAt: '2026-01-01T00:00:00.000Z' };

describe('mergeAgentDetails', () => {
  it('adds container/sandbox to known executors, adds agent-only ones, warns for dead agents', () => {
    const snap = parseMasterState(fixture('master-state.json'), opts);
    const details = new Map<string, AgentDetail>([
      ['7e8f-S0', parseAgentState(fixture('agent-state.json'), 'agent s0')],
      ['7e8f-S1', { reachable: false, error: 'timed out after 2s' }],
    ]);
    mergeAgentDetails(snap, details);
    const a0 = snap.agents.find((a) => a.id === '7e8f-S0')!;
    expect(a0.detail!.reachable).toBe(true);
    expect(a0.k8smExecutors).toHaveLength(1);
    expect(a0.k8smExecutors[0]!.container).toBe('0e3b8c7a-1111-4222-8333-444455556666');
    expect(a0.k8smExecutors[0]!.taskIds).toEqual(['pod.1b6a7c2e-8a3f-11ee-b9d1-0242ac120002', 'pod.queued']);
    // The marathon command executor is known only to the agent: added, but not as a k8sm executor.
    expect(snap.executors.find((e) => e.id === 'app.abc')).toMatchObject({ agentId: '7e8f-S0', container: 'c-app' });
    expect(snap.warnings).toEqual(['agent agent-2 (7e8f-S1) did not answer: timed out after 2s']);
    expect(snap.agents.find((a) => a.id === '7e8f-S1')!.detail).toEqual({ reachable: false, error: 'timed out after 2s' });
    expect(snap.agents.find((a) => a.id === '7e8f-S2')!.detail).toBeUndefined();
  });

  it('a k8sm executor only the agent knows marks its framework as k8sm', () => {
    const snap = parseMasterState(
      {
        slaves: [{ id: 'S0', hostname: 'h' }],
        frameworks: [{ id: 'F', name: 'renamed-k8sm', executors: [] }],
      },
      opts,
    );
    const detail: AgentDetail = {
      reachable: true,
      executors: [{ id: 'x_k8sm-executor', name: 'Kubelet-Executor', frameworkId: 'F', agentId: '', taskIds: [], isK8sm: true }],
    };
    mergeAgentDetails(snap, new Map([['S0', detail]]));
    expect(snap.frameworks[0]!.isK8sm).toBe(true);
    expect(snap.agents[0]!.k8smExecutors.map((e) => [e.id, e.agentId])).toEqual([['x_k8sm-executor', 'S0']]);
  });
});
