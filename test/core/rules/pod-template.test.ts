import fc from 'fast-check';
import { podTemplateOf, POD_BEARING_KINDS } from '../../../src/core/manifest/pod-template.js';
import { res } from './fixtures.js';

const podSpec = { containers: [{ name: 'app', image: 'nginx:1.25' }] };
const tmpl = { metadata: { labels: { app: 'x' } }, spec: podSpec };

describe('podTemplateOf', () => {
  it.each([
    ['Pod', { metadata: { name: 'p' }, spec: podSpec }, ['metadata'], ['spec'], { kind: 'count', count: 1 }],
    [
      'Deployment',
      { spec: { replicas: 3, template: tmpl } },
      ['spec', 'template', 'metadata'],
      ['spec', 'template', 'spec'],
      { kind: 'count', count: 3, path: ['spec', 'replicas'] },
    ],
    ['ReplicaSet', { spec: { template: tmpl } }, ['spec', 'template', 'metadata'], ['spec', 'template', 'spec'], { kind: 'count', count: 1 }],
    [
      'ReplicationController',
      { spec: { replicas: 0, template: tmpl } },
      ['spec', 'template', 'metadata'],
      ['spec', 'template', 'spec'],
      { kind: 'count', count: 0, path: ['spec', 'replicas'] },
    ],
    [
      'StatefulSet',
      { spec: { replicas: 2, template: tmpl } },
      ['spec', 'template', 'metadata'],
      ['spec', 'template', 'spec'],
      { kind: 'count', count: 2, path: ['spec', 'replicas'] },
    ],
    ['DaemonSet', { spec: { template: tmpl } }, ['spec', 'template', 'metadata'], ['spec', 'template', 'spec'], { kind: 'per-agent' }],
    [
      'Job',
      { spec: { parallelism: 4, template: tmpl } },
      ['spec', 'template', 'metadata'],
      ['spec', 'template', 'spec'],
      { kind: 'count', count: 4, path: ['spec', 'parallelism'] },
    ],
    [
      'CronJob',
      { spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { parallelism: 2, template: tmpl } } } },
      ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
      ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
      { kind: 'count', count: 2, path: ['spec', 'jobTemplate', 'spec', 'parallelism'] },
    ],
    ['PodTemplate', { template: tmpl }, ['template', 'metadata'], ['template', 'spec'], { kind: 'template' }],
  ])('%s: pod metadata, spec and replicas', (kind, body, metaPath, specPath, replicas) => {
    const t = podTemplateOf(res({ apiVersion: 'v1', kind, ...body }))!;
    expect(t.metadataPath).toEqual(metaPath);
    expect(t.specPath).toEqual(specPath);
    expect(t.spec).toEqual(podSpec);
    expect(t.replicas).toEqual(replicas);
  });

  it('prefixes paths with the List item path', () => {
    const t = podTemplateOf(res({ kind: 'Deployment', spec: { template: tmpl } }, { basePath: ['items', 3] }))!;
    expect(t.specPath).toEqual(['items', 3, 'spec', 'template', 'spec']);
  });

  it('caps Job parallelism at the completions still needed', () => {
    const t = podTemplateOf(res({ kind: 'Job', spec: { parallelism: 5, completions: 2, template: tmpl } }))!;
    expect(t.replicas).toMatchObject({ kind: 'count', count: 2 });
  });

  it('ignores other kinds', () => {
    expect(podTemplateOf(res({ kind: 'ConfigMap', data: {} }))).toBeUndefined();
    expect(podTemplateOf(res({ kind: 'Service', spec: {} }))).toBeUndefined();
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POD_BEARING_KINDS), fc.anything(), fc.anything(), (kind, spec, extra) => {
        const t = podTemplateOf(res({ kind, spec, template: extra, metadata: extra }));
        expect(t).toBeDefined();
      }),
    );
  });
});
