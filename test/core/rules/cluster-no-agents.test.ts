import { container, deployment, live, offline, pod, run } from './fixtures.js';

describe('cluster-no-agents', () => {
  const noAgents = live([]);

  it('is an error on every pod that would run, checked against a master with no active agent', () => {
    const fs = run('cluster-no-agents', [pod({ containers: [container()] }), deployment({ containers: [container()] })], noAgents);
    expect(fs.map((f) => [f.kind, f.severity])).toEqual([
      ['Pod', 'error'],
      ['Deployment', 'error'],
    ]);
    expect(fs[0]!.message).toMatch(/cannot be scheduled: the Mesos master \(http:\/\/master:5050\) lists no active agent.*stays Pending/);
    expect(fs[0]!.path).toEqual(['spec']);
  });

  it('names a saved snapshot as the source when that is where the agents were missing', () => {
    const fs = run('cluster-no-agents', [pod({ containers: [container()] })], live([], { origin: 'snapshot', source: 'agents.json' }));
    expect(fs[0]!.message).toContain('the cluster snapshot (agents.json) holds no active agent');
  });

  it('stays quiet with one agent, offline (no agents known), and for a PodTemplate', () => {
    expect(run('cluster-no-agents', [pod({ containers: [container()] })], live([{ name: 'a1' }]))).toEqual([]);
    expect(run('cluster-no-agents', [pod({ containers: [container()] })], offline())).toEqual([]);
    expect(
      run(
        'cluster-no-agents',
        [{ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 't' }, template: { spec: { containers: [container()] } } }],
        noAgents,
      ),
    ).toEqual([]);
  });
});
