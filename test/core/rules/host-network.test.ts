/** hostNetwork: true pods (issue 12): the apiserver sets hostPort = containerPort on every port, so k8sm must find each in an offer. */
import { container, deployment, live, offline, pod, run, service } from './fixtures.js';

const daemon = (ports: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({
  ...deployment({ hostNetwork: true, containers: [container({ name: 'agent', ports })], ...extra }),
  kind: 'DaemonSet',
});

describe('host network', () => {
  test('every container port of a host-network pod is a host port: one outside the offered ranges is an error', () => {
    const [f, ...rest] = run('host-port-not-offered', [daemon([{ containerPort: 7946, protocol: 'TCP' }, { containerPort: 31500 }])]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: 'DaemonSet',
      container: 'agent',
      port: 7946,
      path: ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'],
    });
    expect(f!.message).toBe(
      'container "agent" port 7946 is a host port: on the host network (hostNetwork: true) the apiserver sets hostPort = containerPort, and 7946 is outside every offered port range: the agents offer [31000-32000], so k8sm never finds a matching offer and the pod stays Pending ("no suitable offers for pod/task"). Have the agents offer 7946 (their --resources ports), or take the pod off the host network.',
    );
  });

  test('the same ports off the host network are wildcard ports and pass', () => {
    expect(run('host-port-not-offered', [daemon([{ containerPort: 7946 }], { hostNetwork: false })])).toEqual([]);
    expect(run('host-port-not-offered', [daemon([{ containerPort: 7946 }], { hostNetwork: undefined })])).toEqual([]);
  });

  test('an explicit hostPort on the host network is reported as written', () => {
    const [f] = run('host-port-not-offered', [daemon([{ containerPort: 9100, hostPort: 9100 }])]);
    expect(f!.message).toMatch(/^hostPort 9100 of container "agent" is outside every offered port range/);
    expect(f!.path).toEqual(['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'hostPort']);
  });

  test('live: fine on an agent that offers the port, replicas limited to the agents that do', () => {
    const model = live([
      { name: 'a1', ports: '[31000-32000]' },
      { name: 'gossip', ports: '[7946-7946, 31000-32000]' },
    ]);
    expect(run('host-port-not-offered', [daemon([{ containerPort: 7946 }])], model)).toEqual([]);
    const d = deployment({ hostNetwork: true, containers: [container({ ports: [{ containerPort: 7946 }] })] }, { replicas: 3 });
    const [f] = run('host-port-replicas-exceed-agents', [d], model);
    expect(f!.message).toContain('3 replicas each need hostPort 7946 on a different agent');
  });

  test('two containers on the host network with the same port: a duplicate host port', () => {
    const p = pod({
      hostNetwork: true,
      containers: [container({ name: 'a', ports: [{ containerPort: 31080 }] }), container({ name: 'b', ports: [{ containerPort: 31080 }] })],
    });
    expect(run('duplicate-host-port', [p])).toHaveLength(1);
  });

  test('a Service targeting a host-network port has its host port (no endpoint finding under fixed mapping)', () => {
    const d = deployment({ hostNetwork: true, containers: [container({ ports: [{ name: 'http', containerPort: 31080 }] })] });
    const svc = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] });
    expect(run('service-endpoint-no-host-port', [d, svc], offline({ portMapping: 'fixed' }))).toEqual([]);
    const off = deployment({ containers: [container({ ports: [{ name: 'http', containerPort: 31080 }] })] });
    expect(run('service-endpoint-no-host-port', [off, svc], offline({ portMapping: 'fixed' }))).toHaveLength(1);
  });
});
