import { container, deployment, offline, pod, run, service } from './fixtures.js';

const FIXED = { 'k8s.mesosphere.io/portMapping': 'fixed' };

describe('service-endpoint-no-host-port', () => {
  it('passes a named targetPort that the pods declare with a hostPort', () => {
    const d = deployment(
      { containers: [container({ ports: [{ name: 'http', containerPort: 8080, hostPort: 31080 }] })] },
      { labels: { app: 'web', ...FIXED } },
    );
    const s = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] });
    expect(run('service-endpoint-no-host-port', [d, s])).toEqual([]);
  });

  it('passes hostPort 0 under wildcard mapping: k8sm allocates a host port', () => {
    const d = deployment({ containers: [container({ ports: [{ containerPort: 8080 }] })] });
    const s = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
    expect(run('service-endpoint-no-host-port', [d, s])).toEqual([]);
  });

  it('errors when a numeric targetPort is not declared by the selected pods', () => {
    const d = deployment({ containers: [container({ ports: [{ containerPort: 8080 }] })] });
    const s = service({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 9000 }] });
    const [f, ...rest] = run('service-endpoint-no-host-port', [d, s]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', kind: 'Service', name: 'web', path: ['spec', 'ports', 0, 'targetPort'], port: 9000 });
    expect(f!.message).toContain('container port 9000/TCP');
    expect(f!.message).toContain('Deployment web');
  });

  it('uses port when targetPort is absent, and matches the protocol', () => {
    const d = deployment({ containers: [container({ ports: [{ containerPort: 53, protocol: 'UDP' }] })] });
    const s = service({ selector: { app: 'web' }, ports: [{ port: 53 }] }); // TCP by default
    const [f] = run('service-endpoint-no-host-port', [d, s]);
    expect(f!.path).toEqual(['spec', 'ports', 0, 'port']);
    expect(f!.message).toContain('53/TCP');
    const udp = service({ selector: { app: 'web' }, ports: [{ port: 53, protocol: 'UDP' }] });
    expect(run('service-endpoint-no-host-port', [d, udp])).toEqual([]);
  });

  it('errors on a named targetPort the pods do not have', () => {
    const d = deployment({ containers: [container({ ports: [{ name: 'web', containerPort: 8080 }] })] });
    const s = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] });
    expect(run('service-endpoint-no-host-port', [d, s])[0]!.message).toContain('the port named "http"');
  });

  it('errors under fixed mapping when the target port has no hostPort', () => {
    const d = deployment({ containers: [container({ name: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] })] }, { labels: { app: 'web', ...FIXED } });
    const s = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] });
    const [f] = run('service-endpoint-no-host-port', [d, s]);
    expect(f).toMatchObject({ container: 'nginx', port: 8080 });
    expect(f!.message).toContain('no hostPort');
    expect(f!.message).toContain('k8s.mesosphere.io/portMapping=fixed label');
    // the scheduler default counts too
    const plain = deployment({ containers: [container({ ports: [{ name: 'http', containerPort: 8080 }] })] });
    expect(run('service-endpoint-no-host-port', [plain, s], offline({ portMapping: 'fixed' }))[0]!.message).toContain("scheduler's fixed port mapping");
  });

  it('does nothing with host-port endpoints off', () => {
    const d = deployment({ containers: [container({ ports: [{ containerPort: 8080 }] })] });
    const s = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9000 }] });
    expect(run('service-endpoint-no-host-port', [d, s], offline({ hostPortEndpoints: false }))).toEqual([]);
  });

  it('only matches pods in the same namespace with every selector label', () => {
    const d = deployment({ containers: [container({ ports: [{ containerPort: 8080 }] })] }, { labels: { app: 'web', tier: 'front' } });
    const other = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9000 }], namespace: 'other' });
    expect(run('service-endpoint-no-host-port', [d, other])).toEqual([]);
    const more = service({ selector: { app: 'web', tier: 'back' }, ports: [{ port: 80, targetPort: 9000 }] });
    expect(run('service-endpoint-no-host-port', [d, more])).toEqual([]);
  });
});

describe('service-selects-no-pods', () => {
  it('warns when the selector matches no pod template', () => {
    const s = service({ selector: { app: 'api' }, ports: [{ port: 80 }] });
    const [f] = run('service-selects-no-pods', [deployment({ containers: [container()] }), s]);
    expect(f).toMatchObject({ severity: 'warning', path: ['spec', 'selector'] });
    expect(f!.message).toContain('app=api');
    expect(f!.message).toContain('namespace shop');
  });
  it('skips Services without selector and PodTemplates do not count as pods', () => {
    expect(run('service-selects-no-pods', [service({ ports: [{ port: 80 }] })])).toEqual([]);
    const tmpl = {
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name: 't', namespace: 'shop' },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container()] } },
    };
    expect(run('service-selects-no-pods', [tmpl, service({ selector: { app: 'web' }, ports: [{ port: 80 }] })])).toHaveLength(1);
  });
  it('passes a selector that matches a Pod', () => {
    const p = pod({ containers: [container({ ports: [{ containerPort: 80 }] })] }, { labels: { app: 'web' } });
    expect(run('service-selects-no-pods', [p, service({ selector: { app: 'web' }, ports: [{ port: 80 }] })])).toEqual([]);
  });
});
