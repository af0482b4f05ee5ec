import { executorPrototype, EXECUTOR_DEFAULTS } from '../../../src/core/scheduler/executor.js';
import { placePods } from '../../../src/core/scheduler/placement.js';
import { buildTask, runningExecutorResources, taskName } from '../../../src/core/scheduler/task.js';
import { k8smPod } from '../../../src/core/k8sm/fit.js';
import { offer, pending, podJson, scheduler } from './helpers.js';

const S = scheduler();
const PROTO = executorPrototype({ ...EXECUTOR_DEFAULTS, artifactBaseUrl: 'http://127.0.0.1:10251', apiServers: ['http://k:8080'] });

function b64json(s: unknown): Record<string, any> {
  return JSON.parse(Buffer.from(s as string, 'base64').toString('utf8')) as Record<string, any>;
}

describe('runningExecutorResources', () => {
  it("rebuilds, from the settings, the ExecutorInfo resources a host's first launch gave (a restarted scheduler repeats them)", () => {
    const S2 = scheduler({ executorCpus: 0.5, executorMem: 256, frameworkRoles: ['public', '*'], defaultPodRoles: ['*'] });
    const json = podJson({ name: 'web' });
    const p = { key: 'default/web', kp: k8smPod(json, S2), json };
    const roles = { public: { cpus: 1, mem: 512 }, '*': { cpus: 2, mem: 1024, ports: '[31000-31010]' } };
    const first = offer({ id: 'o1', host: 'h1', agent: 'S1', roles });
    const [pl] = placePods([p], [first], { scheduler: S2, executorId: PROTO.id }).placements;
    const built = buildTask({ pod: p.json, kp: p.kp, offer: first, allocation: pl!.allocation, taskId: 'pod.1', executor: PROTO });
    expect(built.executorResources.map((r: any) => [r.name, r.role, r.scalar.value])).toEqual([
      ['cpus', 'public', 0.5],
      ['mem', 'public', 256],
    ]);
    // later, what is left of the host: the same resources, whatever the offer holds now
    const later = offer({ id: 'o2', host: 'h1', agent: 'S1', roles: { public: { cpus: 0.5, mem: 256 }, '*': { cpus: 1, mem: 100 } }, executorIds: [PROTO.id] });
    expect(runningExecutorResources(later, S2.executor, S2.frameworkRoles)).toEqual(built.executorResources);
  });
});

describe('buildTask', () => {
  it('launches the pod as k8sm executor expects it', () => {
    const json = podJson({ name: 'web', namespace: 'shop', hostPorts: [0, 31007] });
    (json.spec as any).containers[0].ports[0].protocol = 'UDP';
    const p = { key: 'shop/web', kp: k8smPod(json, S), json };
    const o = offer({ id: 'offer-1', host: 'h1', agent: 'S1', roles: { '*': { cpus: 2, mem: 1024, ports: '[31000-31010]' } } });
    const [pl] = placePods([p], [o], { scheduler: S, executorId: PROTO.id }).placements;
    const t = buildTask({ pod: p.json, kp: p.kp, offer: o, allocation: pl!.allocation, taskId: 'pod.1234', executor: PROTO });
    const ti = t.taskInfo as Record<string, any>;
    expect(ti.name).toBe('web.shop.pod');
    expect(ti.task_id).toEqual({ value: 'pod.1234' });
    expect(ti.agent_id).toEqual({ value: 'S1' });
    expect(ti.executor.name).toBe('Kubelet-Executor');
    expect(ti.executor.source).toBe('kubernetes');
    expect(ti.executor.executor_id).toEqual({ value: PROTO.id });
    // the executor's overhead is in the ExecutorInfo (the host's first pod), in the offer's form
    expect(ti.executor.resources).toEqual([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.25 }, allocation_info: { role: '*' }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: 128 }, allocation_info: { role: '*' }, role: '*' },
    ]);
    const names = (ti.resources as any[]).map((r) => `${r.name}:${JSON.stringify(r.scalar ?? r.ranges)}`);
    expect(names).toEqual(['cpus:{"value":0.25}', 'mem:{"value":64}', 'ports:{"range":[{"begin":31000,"end":31000},{"begin":31007,"end":31007}]}']);
    const pod = b64json(ti.data);
    const ann = pod.metadata.annotations as Record<string, string>;
    expect(ann['k8s.mesosphere.io/bindingHost']).toBe('h1');
    expect(ann['k8s.mesosphere.io/taskId']).toBe('pod.1234');
    expect(ann['k8s.mesosphere.io/slaveId']).toBe('S1');
    expect(ann['k8s.mesosphere.io/offerId']).toBe('offer-1');
    expect(ann['k8s.mesosphere.io/executorId']).toBe(PROTO.id);
    expect(ann['k8s.mesosphere.io/port_UDP_8000']).toBe('31000');
    expect(ann['k8s.mesosphere.io/portName_UDP_p0']).toBe('31000');
    expect(ann['k8s.mesosphere.io/port_TCP_8001']).toBe('31007');
    expect(pod.spec.containers[0].ports.map((x: any) => x.hostPort)).toEqual([31000, 31007]);
    // defaults written back (0.25 CPU, 64 MB) where the container had none
    expect(pod.spec.containers[0].resources.limits).toEqual({ cpu: '250m', memory: String(64 * 1024 * 1024) });
    expect(pod.status).toBeUndefined();
    // the caller's pod is not changed
    expect((p.json.metadata as any).annotations).toBeUndefined();
  });

  it("leaves the caller's pod exactly as it was; the executor's copy has every other field of it", () => {
    const json = podJson({ name: 'two', namespace: 'shop', hostPorts: [0, 31003], annotations: { team: 'a' } });
    const spec = json.spec as any;
    spec.volumes = [{ name: 'v', emptyDir: {} }];
    spec.containers[0].env = [{ name: 'A', value: '1' }];
    // a second container with its own requests and limits, and a port without a host port (a wildcard: k8sm gives it one)
    spec.containers.push({
      name: 'side',
      image: 'busybox',
      ports: [{ containerPort: 9000 }],
      // its memory is defaulted: k8sm writes into its existing requests and limits
      resources: { requests: { cpu: '100m' }, limits: { cpu: '200m' } },
    });
    (json.metadata as any).managedFields = [{ manager: 'kubectl' }];
    const before = structuredClone(json);
    const p = { key: 'shop/two', kp: k8smPod(json, S), json };
    const o = offer({ id: 'o-2', host: 'h2', agent: 'S2', roles: { '*': { cpus: 4, mem: 4096, ports: '[31000-31010]' } } });
    const [pl] = placePods([p], [o], { scheduler: S, executorId: PROTO.id }).placements;
    const t = buildTask({ pod: p.json, kp: p.kp, offer: o, allocation: pl!.allocation, taskId: 'pod.2', executor: PROTO });
    expect(json).toStrictEqual(before);
    const pod = b64json((t.taskInfo as any).data);
    expect(pod).toEqual(t.pod);
    expect(pod.metadata.managedFields).toBeUndefined();
    expect(pod.metadata.annotations.team).toBe('a');
    expect(pod.spec.volumes).toEqual([{ name: 'v', emptyDir: {} }]);
    expect(pod.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    expect(pod.spec.containers[0].ports).toEqual([
      { containerPort: 8000, hostPort: 31000, name: 'p0' },
      { containerPort: 8001, hostPort: 31003, name: 'p1' },
    ]);
    expect(pod.spec.containers[1].ports).toEqual([{ containerPort: 9000, hostPort: 31001 }]);
    expect(pod.spec.containers[1].image).toBe('busybox');
    expect(pod.spec.containers[1].resources.limits).toEqual({ cpu: '200m', memory: String(64 * 1024 * 1024) });
    expect(pod.spec.containers[1].resources.requests).toEqual({ cpu: '100m', memory: String(64 * 1024 * 1024) });
    // the copy's changed parts are its own: changing them later does not reach the caller's pod
    (t.pod as any).spec.containers[0].ports[0].hostPort = 1;
    (t.pod as any).spec.containers[1].resources.limits.cpu = '9';
    (t.pod as any).spec.containers[1].resources.requests.cpu = '9';
    (t.pod as any).spec.containers[1].ports[0].hostPort = 2;
    (t.pod as any).metadata.annotations.team = 'b';
    (t.pod as any).metadata.name = 'other';
    expect(json).toStrictEqual(before);
  });

  it('names a pod without namespace in default', () => {
    expect(taskName('x', undefined)).toBe('x.default.pod');
    expect(taskName('x', '')).toBe('x.default.pod');
  });

  it('repeats the running executor resources when the host already pays for it', () => {
    const p = pending({ name: 'a' }, S);
    const o = offer({ id: 'o', host: 'h', executorIds: [PROTO.id] });
    const [pl] = placePods([p], [o], { scheduler: S, executorId: PROTO.id }).placements;
    const running = [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.25 } }];
    const t = buildTask({ pod: p.json, kp: p.kp, offer: o, allocation: pl!.allocation, taskId: 'pod.1', executor: PROTO, runningExecutorResources: running });
    expect((t.taskInfo as any).executor.resources).toEqual(running);
  });
});
