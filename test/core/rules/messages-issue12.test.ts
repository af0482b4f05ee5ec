/** Messages that must carry the real figures and say what they depend on (issue 12). */
import { container, deployment, offline, pod, run, service } from './fixtures.js';
import { res } from './fixtures.js';

const staticFile = (p: Record<string, unknown>) => ({ file: 'static.yaml', resources: [res(p, { file: 'static.yaml' })], documents: 1 });

describe('static-pod-missing-limits says what current schedulers really charge', () => {
  test('a request without a limit: the request is copied as the limit (100m is charged as 0.1 CPU)', () => {
    const p = pod({ containers: [container({ name: 'log', resources: { requests: { cpu: '100m', memory: '200Mi' } } })] });
    const [cpu, mem] = run('static-pod-missing-limits', [], offline(), { staticPodFiles: [staticFile(p)] });
    expect(cpu!.message).toContain('current ones charge 0.1 CPU (its cpu request, copied as the limit) to the executor on every agent');
    expect(mem!.message).toContain('current ones charge 200 MB (its memory request, copied as the limit)');
  });

  test('neither request nor limit: the scheduler default', () => {
    const p = pod({ containers: [container({ name: 'log', resources: {} })] });
    const [cpu] = run('static-pod-missing-limits', [], offline({ defaultContainerCpu: 0.5 }), { staticPodFiles: [staticFile(p)] });
    expect(cpu!.message).toContain('current ones charge the default 0.5 CPU to the executor');
  });

  test('a tiny request is raised to the minimum, and says so', () => {
    const p = pod({ containers: [container({ name: 'log', resources: { requests: { memory: '1Mi' }, limits: { cpu: '1' } } })] });
    const [mem] = run('static-pod-missing-limits', [], offline(), { staticPodFiles: [staticFile(p)] });
    expect(mem!.message).toContain("current ones charge 32 MB (its memory request, copied as the limit, raised to k8sm's minimum)");
  });
});

describe('service-endpoint-no-host-port says it depends on --host-port-endpoints and how to turn it off', () => {
  test('both messages', () => {
    const d = deployment({ containers: [container({ ports: [{ name: 'http', containerPort: 8080 }] })] });
    const missing = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'admin' }] });
    const noHostPort = service({ name: 'web2', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] });
    const fs = run('service-endpoint-no-host-port', [d, missing, noHostPort], offline({ portMapping: 'fixed' }));
    expect(fs).toHaveLength(2);
    for (const f of fs) {
      expect(f.message).toContain(
        "This depends on the k8sm controller-manager's --host-port-endpoints (on in k8sm's documentation, off by default in the later kube-mesos-framework)",
      );
      expect(f.message).toMatch(/validate with --no-host-port-endpoints\.$/);
    }
  });
});
