import { container, deployment, live, offline, pod, run } from './fixtures.js';

describe('pod-exceeds-agent-resources', () => {
  it('errors when limits plus executor overhead exceed the agent, naming the numbers', () => {
    const p = pod({ containers: [container({ name: 'db', resources: { limits: { cpu: '2', memory: '3Gi' } } })] });
    const [f] = run('pod-exceeds-agent-resources', [p], offline({ cpus: 2, mem: 8192 }));
    expect(f).toMatchObject({ severity: 'error', container: 'db', path: ['spec', 'containers', 0, 'resources', 'limits', 'cpu'] });
    expect(f!.message).toContain('2 CPU / 3072 MB');
    expect(f!.message).toContain('0.25 CPU / 128 MB for the executor');
    expect(f!.message).toContain('an agent has 2 CPU');
  });

  it('passes a pod that fits with the overhead', () => {
    const p = pod({ containers: [container({ resources: { limits: { cpu: '1750m', memory: '3Gi' } } })] });
    expect(run('pod-exceeds-agent-resources', [p], offline({ cpus: 2, mem: 8192 }))).toEqual([]);
  });

  it('counts defaults: ten containers without resources need 2.5 CPU', () => {
    const containers = Array.from({ length: 10 }, (_, i) => ({ name: `w${i}`, image: 'busybox:1.36' }));
    const [f] = run('pod-exceeds-agent-resources', [deployment({ containers })], offline({ cpus: 2, mem: 65536 }));
    expect(f!.message).toContain('2.5 CPU');
    expect(f!.message).toContain('k8sm defaults included');
  });

  it('adds static pods to the executor overhead', () => {
    const staticPod = pod({ containers: [container({ name: 'logs', resources: { limits: { cpu: '500m', memory: '512Mi' } } })] }, { name: 'fluentd' });
    const p = pod({ containers: [container({ resources: { limits: { cpu: '1', memory: '1Gi' } } })] }, { name: 'app' });
    const model = offline({ cpus: 1.5, mem: 4096 });
    expect(run('pod-exceeds-agent-resources', [p], model)).toEqual([]);
    const files = [
      {
        file: 'static/fluentd.yaml',
        resources: [
          { file: 'static/fluentd.yaml', docIndex: 0, basePath: [], object: staticPod, apiVersion: 'v1', kind: 'Pod', name: 'fluentd', namespace: 'shop' },
        ],
        documents: 1,
      },
    ];
    const [f] = run('pod-exceeds-agent-resources', [p], model, { staticPodFiles: files });
    expect(f!.message).toContain('0.75 CPU / 640 MB for the executor including static pods');
  });

  it('reports memory when memory is short', () => {
    const p = pod({
      containers: [
        container({ name: 'a', resources: { limits: { cpu: '100m', memory: '1Gi' } } }),
        container({ name: 'b', resources: { limits: { cpu: '100m', memory: '6Gi' } } }),
      ],
    });
    const [f] = run('pod-exceeds-agent-resources', [p], offline({ cpus: 8, mem: 4096 }));
    expect(f).toMatchObject({ container: 'b', path: ['spec', 'containers', 1, 'resources', 'limits', 'memory'] });
    expect(f!.message).toContain('an agent has 4096 MB');
    expect(f!.message).toContain('the largest is container "b"');
  });

  it('stays quiet when sizes are unknown', () => {
    const p = pod({ containers: [container({ resources: { limits: { cpu: '64', memory: '1Ti' } } })] });
    expect(run('pod-exceeds-agent-resources', [p])).toEqual([]);
  });

  it('live: fits if some agent fits; no overhead where a k8sm executor already runs', () => {
    const p = pod({ containers: [container({ resources: { limits: { cpu: '2', memory: '1Gi' } } })] });
    expect(
      run(
        'pod-exceeds-agent-resources',
        [p],
        live([
          { name: 'small', cpus: 1, mem: 4096 },
          { name: 'big', cpus: 4, mem: 4096 },
        ]),
      ),
    ).toEqual([]);
    expect(run('pod-exceeds-agent-resources', [p], live([{ name: 'a', cpus: 2, mem: 4096, k8smExecutor: true }]))).toEqual([]);
    const [f] = run('pod-exceeds-agent-resources', [p], live([{ name: 'a', cpus: 2, mem: 4096 }]));
    expect(f!.message).toContain('the largest agent (a) has 2 CPU');
  });
});

describe('pod-resources-defaulted', () => {
  it('says which container gets which default values', () => {
    const p = pod({ containers: [{ name: 'app', image: 'nginx:1.25' }] });
    const [f, ...rest] = run('pod-resources-defaulted', [p]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'info', container: 'app', path: ['spec', 'containers', 0] });
    expect(f!.message).toContain('cpu request and limit 0.25 CPU');
    expect(f!.message).toContain('memory request and limit 64 MB');
    expect(f!.message).toContain('container "app"');
  });
  it('explains a limit copied from a request and a value raised to the minimum', () => {
    const p = pod({ containers: [container({ resources: { requests: { cpu: '200m' }, limits: { cpu: '300m', memory: '8Mi' } } })] });
    expect(run('pod-resources-defaulted', [p])[0]!.message).toContain("memory limit 32 MB (8 MB is below k8sm's minimum)");
    // issue 12: a request below the minimum next to a limit above it was reported as the limit being too small
    const r = pod({ containers: [container({ resources: { requests: { cpu: '10m', memory: '20Mi' }, limits: { cpu: '25m', memory: '40Mi' } } })] });
    expect(run('pod-resources-defaulted', [r])[0]!.message).toContain("memory request 32 MB (20 MB is below k8sm's minimum) on container");
    const q = pod({ containers: [container({ resources: { requests: { cpu: '200m', memory: '100Mi' } } })] });
    const [f] = run('pod-resources-defaulted', [q]);
    expect(f!.message).toContain('cpu limit 0.2 CPU (copied from the request)');
    expect(f!.path).toEqual(['spec', 'containers', 0, 'resources']);
  });
  it('is quiet when every container sets limits', () => {
    expect(run('pod-resources-defaulted', [pod({ containers: [container()] })])).toEqual([]);
  });
  it('writes each container its own message when containers of the same name get different values', () => {
    const named = (name: string, resources?: Record<string, unknown>) =>
      pod({ containers: [resources === undefined ? { name: 'app', image: 'nginx:1.25' } : container({ name: 'app', resources })] }, { name });
    const pods = [
      named('a'),
      named('b', { requests: { cpu: '200m' } }),
      named('c'),
      named('d', { requests: { cpu: '300m' } }),
      named('e', { limits: { cpu: '1', memory: '1Gi' } }),
      named('f', { requests: { cpu: '200m' } }),
    ];
    const found = run('pod-resources-defaulted', pods);
    expect(found.map((f) => f.name)).toEqual(['a', 'b', 'c', 'd', 'f']);
    const [a, b, c, d, f] = found.map((x) => x.message);
    expect(a).toContain('cpu request and limit 0.25 CPU');
    expect(b).toContain('cpu limit 0.2 CPU (copied from the request)');
    expect(b).toContain('the pod is charged 0.2 CPU / 64 MB');
    expect(d).toContain('cpu limit 0.3 CPU (copied from the request)');
    expect(d).toContain('the pod is charged 0.3 CPU / 64 MB');
    // the same values: the same message, written once
    expect(c).toBe(a);
    expect(f).toBe(b);
    expect(new Set([a, b, d]).size).toBe(3);
  });
  it("writes the same values on containers of other names with each one's name", () => {
    const p = (name: string, c: string) => pod({ containers: [{ name: c, image: 'nginx:1.25' }] }, { name });
    const found = run('pod-resources-defaulted', [p('a', 'web'), p('b', 'db'), p('c', 'web')]);
    expect(found.map((f) => f.message.match(/container "(\w+)"/)![1])).toEqual(['web', 'db', 'web']);
  });
});
