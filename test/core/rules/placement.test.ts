import { formatGoFloatG } from '../../../src/core/k8sm/node-labels.js';
import { container, deployment, live, pod, run } from './fixtures.js';

const base = () => ({ containers: [container()] });

describe('placement-ignored', () => {
  it('warns on each affinity kind, topology spread and tolerations', () => {
    const spec = {
      ...base(),
      affinity: { nodeAffinity: {}, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] } },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }],
      tolerations: [{ key: 'dedicated', operator: 'Exists' }],
    };
    const fs = run('placement-ignored', [deployment(spec)]);
    expect(fs.map((f) => f.path!.slice(3))).toEqual([
      ['affinity', 'nodeAffinity'],
      ['affinity', 'podAntiAffinity'],
      ['topologySpreadConstraints'],
      ['tolerations'],
    ]);
    expect(fs.every((f) => f.severity === 'warning')).toBe(true);
    expect(fs[1]!.message).toContain('replicas may land on the same agent');
    expect(fs[2]!.message).toContain('fixed hostPort');
    expect(fs[3]!.message).toContain('taints');
  });
  it('warns on the alpha affinity annotation', () => {
    const fs = run('placement-ignored', [pod(base(), { annotations: { 'scheduler.alpha.kubernetes.io/affinity': '{}' } })]);
    expect(fs[0]!.path).toEqual(['metadata', 'annotations', 'scheduler.alpha.kubernetes.io/affinity']);
  });
  it('passes plain pods and empty lists', () => {
    expect(run('placement-ignored', [pod({ ...base(), tolerations: [], nodeSelector: { 'kubernetes.io/hostname': 'a1' } })])).toEqual([]);
  });
});

describe('node-selector-unknown-label', () => {
  it('warns on labels k8sm never sets, suggesting an attribute label', () => {
    const [f, ...rest] = run('node-selector-unknown-label', [
      deployment({ ...base(), nodeSelector: { disktype: 'ssd', 'k8s.mesosphere.io/attribute-rack': 'r1' } }),
    ]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', path: ['spec', 'template', 'spec', 'nodeSelector', 'disktype'] });
    expect(f!.message).toContain('k8s.mesosphere.io/attribute-disktype');
  });
  it('passes hostname and attribute labels', () => {
    expect(
      run('node-selector-unknown-label', [pod({ ...base(), nodeSelector: { 'kubernetes.io/hostname': 'a1', 'k8s.mesosphere.io/attribute-zone': 'eu' } })]),
    ).toEqual([]);
  });
});

describe('node-selector-no-agent (live)', () => {
  const model = live([
    { name: 'a1', attributes: { rack: 'r1', zone: 'eu-1', cores: 16 } },
    { name: 'a2', attributes: { rack: 'r2', zone: 'eu-2', cores: 1000000, weight: 2.5 } },
  ]);
  it('errors on an attribute value no agent has, listing what agents have', () => {
    const [f] = run('node-selector-no-agent', [pod({ ...base(), nodeSelector: { 'k8s.mesosphere.io/attribute-rack': 'r9' } })], model);
    expect(f).toMatchObject({ severity: 'error', path: ['spec', 'nodeSelector', 'k8s.mesosphere.io/attribute-rack'] });
    expect(f!.message).toContain('agents have r1, r2');
  });
  it('errors when labels exist only on different agents', () => {
    const sel = { 'k8s.mesosphere.io/attribute-rack': 'r1', 'k8s.mesosphere.io/attribute-zone': 'eu-2' };
    expect(run('node-selector-no-agent', [pod({ ...base(), nodeSelector: sel })], model)[0]!.message).toContain('no single agent has all');
  });
  it('passes matching selectors, scalar attributes formatted like Go %G, and hostnames', () => {
    for (const sel of [
      { 'k8s.mesosphere.io/attribute-rack': 'r2' },
      { 'k8s.mesosphere.io/attribute-cores': '16' },
      { 'k8s.mesosphere.io/attribute-weight': '2.5' },
      { 'kubernetes.io/hostname': 'a1' },
    ]) {
      expect(run('node-selector-no-agent', [pod({ ...base(), nodeSelector: sel })], model)).toEqual([]);
    }
  });
  it('knows that k8sm drops attributes whose %G form is no valid label value (1000000 is "1E+06")', () => {
    for (const v of ['1000000', '1E+06']) {
      const [f] = run('node-selector-no-agent', [pod({ ...base(), nodeSelector: { 'k8s.mesosphere.io/attribute-cores': v } })], model);
      expect(f!.message).toContain('agents have 16)');
    }
    expect([16, 2.5, 100000, 1000000, 0.0001, 0.00001, 123456789].map(formatGoFloatG)).toEqual([
      '16',
      '2.5',
      '100000',
      '1E+06',
      '0.0001',
      '1E-05',
      '1.23456789E+08',
    ]);
  });
  it('is not checked offline', () => {
    expect(run('node-selector-no-agent', [pod({ ...base(), nodeSelector: { 'k8s.mesosphere.io/attribute-rack': 'r9' } })])).toEqual([]);
  });
});

describe('node-name-no-agent (live)', () => {
  const model = live([{ name: 'a1' }, { name: 'a2' }]);
  it('errors on a nodeName that is no agent', () => {
    const [f] = run('node-name-no-agent', [pod({ ...base(), nodeName: 'old-host' })], model);
    expect(f).toMatchObject({ severity: 'error', path: ['spec', 'nodeName'] });
    expect(f!.message).toContain('"old-host"');
    expect(f!.message).toContain('a1, a2');
  });
  it('passes an agent hostname and is quiet offline', () => {
    expect(run('node-name-no-agent', [pod({ ...base(), nodeName: 'a2' })], model)).toEqual([]);
    expect(run('node-name-no-agent', [pod({ ...base(), nodeName: 'old-host' })])).toEqual([]);
  });
});
