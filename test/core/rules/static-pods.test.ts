import type { ManifestResource } from '../../../src/core/manifest/resource.js';
import { container, deployment, offline, pod, res, run } from './fixtures.js';

function file(name: string, objects: Array<Record<string, unknown>>, documents = objects.length) {
  return { file: name, documents, resources: objects.map((o, i) => res(o, { file: name, docIndex: i })) };
}

const limited = () =>
  pod({ containers: [container({ name: 'proxy', resources: { limits: { cpu: '250m', memory: '128Mi' } } })] }, { name: 'proxy', namespace: 'kube-system' });
const unlimited = () =>
  pod(
    { containers: [{ name: 'fluentd', image: 'fluent/fluentd:v1.16', resources: { requests: { cpu: '100m' } } }] },
    { name: 'fluentd', namespace: 'kube-system' },
  );

describe('static-pod-missing-limits', () => {
  it('errors per missing resource, pointing at the container', () => {
    const fs = run('static-pod-missing-limits', [], offline(), { staticPodFiles: [file('fluentd.yaml', [unlimited()])] });
    expect(fs).toHaveLength(2);
    expect(fs.map((f) => f.message.match(/no (\w+) limit/)![1])).toEqual(['cpu', 'memory']);
    expect(fs[0]).toMatchObject({ severity: 'error', file: 'fluentd.yaml', container: 'fluentd', path: ['spec', 'containers', 0, 'resources'] });
    expect(fs[1]!.message).toContain('default 64 MB');
  });

  it('passes static pods with both limits', () => {
    expect(run('static-pod-missing-limits', [], offline(), { staticPodFiles: [file('proxy.yaml', [limited()])] })).toEqual([]);
  });

  it('--static: every Pod given is static; workloads are not', () => {
    const fs = run('static-pod-missing-limits', [unlimited(), deployment({ containers: [{ name: 'x', image: 'nginx:1.25' }] })], offline(), { static: true });
    expect(fs).toHaveLength(2);
    expect(fs.every((f) => f.kind === 'Pod')).toBe(true);
  });

  it('static pods are not checked as scheduled pods (no host-port rules)', () => {
    const p = pod({ containers: [container({ ports: [{ containerPort: 80, hostPort: 80 }] })] });
    expect(run('host-port-not-offered', [p], offline(), { static: true })).toEqual([]);
    expect(run('host-port-not-offered', [p])).toHaveLength(1);
  });
});

describe('static-pod-file-invalid', () => {
  it('errors on a file with two documents, pointing at the second', () => {
    const fs = run('static-pod-file-invalid', [], offline(), { staticPodFiles: [file('two.yaml', [limited(), unlimited()])] });
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'error', file: 'two.yaml', docIndex: 1, kind: 'Pod', name: 'fluentd', path: [] });
    expect(fs[0]!.message).toContain('decodes only the first document (Pod proxy)');
  });

  it('does not count the ignored second pod in the executor resources', () => {
    const fs = run('static-pods-read-once', [], offline(), { staticPodFiles: [file('two.yaml', [limited(), unlimited()])] });
    expect(fs[0]!.message).toContain('This static pod adds 0.25 CPU / 128 MB'); // issue 12: was "These 1 static pod add"
  });

  it('errors on an empty file, another kind, and a List', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: {} };
    const listItem: ManifestResource = res(limited(), { file: 'list.yaml', basePath: ['items', 0] });
    const fs = run('static-pod-file-invalid', [], offline(), {
      staticPodFiles: [file('empty.yaml', [], 0), file('cm.yaml', [cm]), { file: 'list.yaml', documents: 1, resources: [listItem] }],
    });
    expect(fs.map((f) => [f.file, f.path])).toEqual([
      ['empty.yaml', []],
      ['cm.yaml', ['kind']],
      ['list.yaml', ['kind']],
    ]);
    expect(fs[0]!.message).toContain('holds no pod');
    expect(fs[1]!.message).toContain('holds a ConfigMap, not a Pod');
    expect(fs[2]!.message).toContain('holds a List');
    // None of them is a static pod: nothing is added to the executor.
    const [info] = run('static-pods-read-once', [], offline(), {
      staticPodFiles: [file('cm.yaml', [cm]), { file: 'list.yaml', documents: 1, resources: [listItem] }],
    });
    expect(info!.message).toContain('No valid static pod was found');
  });

  it('a file that could not be read as objects (a syntax error, binary, a list document) gets no second finding: its read finding says why', () => {
    const fs = run('static-pod-file-invalid', [], offline(), {
      staticPodFiles: [
        { file: 'broken.yaml', documents: 1, resources: [], unreadable: true },
        { file: 'comments.yaml', documents: 1, resources: [] },
      ],
    });
    expect(fs.map((f) => f.file)).toEqual(['comments.yaml']);
  });

  it('passes one Pod per file', () => {
    expect(run('static-pod-file-invalid', [], offline(), { staticPodFiles: [file('a.yaml', [limited()]), file('b.yaml', [unlimited()])] })).toEqual([]);
  });
});

describe('static-pods-read-once', () => {
  it("adds one info finding with the static pods' executor cost", () => {
    const fs = run('static-pods-read-once', [], offline(), { staticPodFiles: [file('a.yaml', [limited()]), file('b.yaml', [unlimited()])] });
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'info', file: 'a.yaml', path: ['metadata'] });
    expect(fs[0]!.message).toContain('once, when the scheduler starts');
    // proxy 0.25/128 + fluentd (request 100m copied to the limit, memory defaulted to 64 MB)
    expect(fs[0]!.message).toContain('add 0.35 CPU / 192 MB');
  });
  it('is absent without static pods', () => {
    expect(run('static-pods-read-once', [limited()])).toEqual([]);
  });
});
