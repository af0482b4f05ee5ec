import { container, deployment, live, offline, pod, res, run } from './fixtures.js';

const fixedPort = () => ({ containers: [container({ ports: [{ containerPort: 80, hostPort: 31080 }] })] });

describe('host-port-replicas-exceed-agents', () => {
  it('errors when replicas exceed the known agent count, pointing at replicas', () => {
    const [f, ...rest] = run('host-port-replicas-exceed-agents', [deployment(fixedPort(), { replicas: 5 })], offline({ agentCount: 3 }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', path: ['spec', 'replicas'], port: 31080, kind: 'Deployment' });
    expect(f!.message).toContain('5 replicas');
    expect(f!.message).toContain('only 3 agents');
    expect(f!.message).toContain('2 stay Pending');
  });

  it('passes when there are enough agents', () => {
    expect(run('host-port-replicas-exceed-agents', [deployment(fixedPort(), { replicas: 3 })], offline({ agentCount: 3 }))).toEqual([]);
  });

  it('warns when the agent count is unknown and replicas > 1, and stays quiet for one replica', () => {
    const [f] = run('host-port-replicas-exceed-agents', [deployment(fixedPort(), { replicas: 2 })]);
    expect(f).toMatchObject({ severity: 'warning' });
    expect(f!.message).toContain('--agents');
    expect(run('host-port-replicas-exceed-agents', [deployment(fixedPort())])).toEqual([]);
    expect(run('host-port-replicas-exceed-agents', [deployment(fixedPort(), { replicas: 1 })])).toEqual([]);
  });

  it('ignores DaemonSets, PodTemplates and wildcard-only ports', () => {
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { template: { spec: fixedPort() } } };
    expect(run('host-port-replicas-exceed-agents', [ds], offline({ agentCount: 1 }))).toEqual([]);
    const wild = deployment({ containers: [container({ ports: [{ containerPort: 80 }] })] }, { replicas: 10 });
    expect(run('host-port-replicas-exceed-agents', [wild], offline({ agentCount: 1 }))).toEqual([]);
  });

  it('uses Job parallelism', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'crawl' }, spec: { parallelism: 4, template: { spec: fixedPort() } } };
    const [f] = run('host-port-replicas-exceed-agents', [job], offline({ agentCount: 2 }));
    expect(f).toMatchObject({ path: ['spec', 'parallelism'] });
    expect(f!.message).toContain('4 parallel pods');
  });

  it('live: counts only the agents whose ranges hold the port', () => {
    const model = live([
      { name: 'a', ports: '[31000-32000]' },
      { name: 'b', ports: '[31000-32000]' },
      { name: 'c', ports: '[40000-41000]' },
    ]);
    const [f] = run('host-port-replicas-exceed-agents', [deployment(fixedPort(), { replicas: 3 })], model);
    expect(f!.message).toContain('only 2 agents offer it');
    expect(run('host-port-replicas-exceed-agents', [deployment(fixedPort(), { replicas: 2 })], model)).toEqual([]);
  });
});

describe('port-mapping-invalid', () => {
  it('warns on an unknown value and says what k8sm falls back to', () => {
    const d = deployment(fixedPort(), { labels: { app: 'web', 'k8s.mesosphere.io/portMapping': 'static' } });
    const [f] = run('port-mapping-invalid', [d], offline({ portMapping: 'fixed' }));
    expect(f).toMatchObject({ severity: 'warning', path: ['spec', 'template', 'metadata', 'labels', 'k8s.mesosphere.io/portMapping'] });
    expect(f!.message).toContain('"static"');
    expect(f!.message).toContain('default (fixed)');
  });
  it('accepts fixed and wildcard', () => {
    for (const v of ['fixed', 'wildcard']) {
      expect(run('port-mapping-invalid', [pod(fixedPort(), { labels: { 'k8s.mesosphere.io/portMapping': v } })])).toEqual([]);
    }
  });
  it('an invalid label leaves the scheduler default in force (wildcard still counts hostPort 0)', () => {
    const p = pod(
      { containers: [container({ ports: [{ containerPort: 80 }, { containerPort: 81 }] })] },
      { labels: { 'k8s.mesosphere.io/portMapping': 'Fixed' } },
    );
    expect(run('wildcard-ports-exhausted', [p], offline({ ports: '[31000-31000]' }))).toHaveLength(1);
  });
});

describe('port-mapping-ignored', () => {
  it('warns on a pod annotation, which k8sm ignores', () => {
    const p = pod(fixedPort(), { annotations: { 'k8s.mesosphere.io/portMapping': 'fixed' } });
    const [f] = run('port-mapping-ignored', [p]);
    expect(f).toMatchObject({ severity: 'warning', path: ['metadata', 'annotations', 'k8s.mesosphere.io/portMapping'] });
    expect(f!.message).toContain("only from the pod's labels");
    expect(f!.message).toContain('wildcard mapping (the scheduler default)');
  });
  it('and the annotation does not change the strategy: hostPort 0 still consumes ports', () => {
    const p = pod(
      { containers: [container({ ports: [{ containerPort: 80 }, { containerPort: 81 }] })] },
      { annotations: { 'k8s.mesosphere.io/portMapping': 'fixed' } },
    );
    expect(run('wildcard-ports-exhausted', [p], offline({ ports: '[31000-31000]' }))).toHaveLength(1);
  });
  it("warns when set on a workload's own metadata instead of its pod template", () => {
    const d = deployment(fixedPort(), { meta: { labels: { 'k8s.mesosphere.io/portMapping': 'fixed' } } });
    const [f] = run('port-mapping-ignored', [d]);
    expect(f!.path).toEqual(['metadata', 'labels', 'k8s.mesosphere.io/portMapping']);
    expect(f!.message).toContain('spec.template.metadata.labels');
  });
  it('passes the label on the pod template', () => {
    const d = deployment(fixedPort(), { labels: { app: 'web', 'k8s.mesosphere.io/portMapping': 'fixed' } });
    expect(run('port-mapping-ignored', [d])).toEqual([]);
    expect(run('port-mapping-ignored', [res(pod(fixedPort()))])).toEqual([]);
  });
});
