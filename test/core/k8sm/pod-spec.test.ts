import fc from 'fast-check';
import { containerPorts, eachContainerDemand, podResourceDemand, scanPodSpec } from '../../../src/core/k8sm/pod-spec.js';
import { hostPortDemand } from '../../../src/core/k8sm/host-ports.js';

const defaults = { cpu: 0.25, mem: 64 };

function spec(...resources: Array<Record<string, unknown> | undefined>) {
  return { containers: resources.map((r, i) => ({ name: `c${i}`, image: 'nginx:1.25', ...(r ? { resources: r } : {}) })) };
}

describe('podResourceDemand (k8sm resources/resource.go)', () => {
  it('defaults a container with neither request nor limit to 0.25 CPU / 64 MB', () => {
    const d = podResourceDemand(spec(undefined), defaults);
    expect(d.cpus).toBe(0.25);
    expect(d.mem).toBe(64);
    expect(d.containers[0]!.cpu).toMatchObject({ request: 0.25, limit: 0.25, source: 'default', clamped: false });
    expect(d.containers[0]!.mem.source).toBe('default');
  });

  it('copies a lone request into the limit, and a lone limit into the request', () => {
    const d = podResourceDemand(spec({ requests: { cpu: '300m', memory: '200Mi' } }, { limits: { cpu: 1, memory: '1Gi' } }), defaults);
    expect(d.containers[0]!.cpu).toMatchObject({ request: 0.3, limit: 0.3, source: 'copied-from-request' });
    expect(d.containers[0]!.mem).toMatchObject({ request: 200, limit: 200, source: 'copied-from-request' });
    expect(d.containers[1]!.cpu).toMatchObject({ request: 1, limit: 1, source: 'given' });
    expect(d.cpus).toBe(1.3);
    expect(d.mem).toBe(1224);
  });

  it('charges the sum of LIMITS, not requests', () => {
    const d = podResourceDemand(spec({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '2', memory: '2Gi' } }), defaults);
    expect(d.cpus).toBe(2);
    expect(d.mem).toBe(2048);
  });

  it('raises values below the minimum to 0.01 CPU / 32 MB and says so', () => {
    const d = podResourceDemand(spec({ limits: { cpu: '5m', memory: '16Mi' } }), defaults);
    expect(d.containers[0]!.cpu).toMatchObject({ limit: 0.01, clamped: true, givenLimit: 0.005 });
    expect(d.containers[0]!.mem).toMatchObject({ limit: 32, clamped: true, givenLimit: 16 });
  });

  it('follows the scheduler flags for defaults', () => {
    const d = podResourceDemand(spec(undefined, undefined), { cpu: 0.5, mem: 128 });
    expect(d.cpus).toBe(1);
    expect(d.mem).toBe(256);
  });

  it('ignores init containers, as k8sm does', () => {
    const d = podResourceDemand(
      { initContainers: [{ name: 'migrate', image: 'busybox:1.36', resources: { limits: { cpu: '4', memory: '8Gi' } } }], ...spec(undefined) },
      defaults,
    );
    expect(d.containers.map((c) => c.name)).toEqual(['c0']);
    expect(d.cpus).toBe(0.25);
  });

  it('reports invalid quantities and treats them as absent', () => {
    const d = podResourceDemand(spec({ limits: { cpu: 'lots', memory: '1Gi' } }), defaults);
    expect(d.invalid).toEqual([expect.objectContaining({ container: 'c0', resource: 'cpu', field: 'limits', value: 'lots' })]);
    expect(d.containers[0]!.cpu.source).toBe('default');
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        podResourceDemand(x, defaults);
        podResourceDemand({ containers: [x, { resources: x }, { resources: { limits: x, requests: x } }] }, defaults);
      }),
    );
  });
});

describe('scanPodSpec (the one walk every pod gets)', () => {
  const qty = fc.oneof(
    fc.constantFrom('500m', '5m', '0.001', '1', '2', '64Mi', '16Mi', '1Gi', '129e6', 'bad', 3, 0.004, null),
    fc.integer({ min: 0, max: 5000 }).map((n) => `${n}m`),
  );
  const list = fc.record({ cpu: qty, memory: qty }, { requiredKeys: [] });
  const containerArb = fc.record(
    { name: fc.constant('c'), resources: fc.record({ requests: list, limits: list }, { requiredKeys: [] }) },
    { requiredKeys: ['name'] },
  );

  it('agrees with podResourceDemand on sums, adjustments and invalid quantities', () => {
    fc.assert(
      fc.property(fc.array(containerArb, { maxLength: 5 }), fc.constantFrom(0.005, 0.25, 1), fc.constantFrom(16, 64), (containers, cpu, mem) => {
        const spec = { containers };
        const d = podResourceDemand(spec, { cpu, mem });
        const t = scanPodSpec(spec, { cpu, mem });
        expect(t.cpus).toBe(d.cpus);
        expect(t.mem).toBe(d.mem);
        expect(t.containers).toBe(d.containers.length);
        expect(t.invalid).toBe(d.invalid.length > 0);
        const adjusted = d.containers.some((c) => c.cpu.source !== 'given' || c.mem.source !== 'given' || c.cpu.clamped || c.mem.clamped);
        expect(t.adjusted).toBe(adjusted);
      }),
    );
  });
});

describe('scanPodSpec: host ports', () => {
  const portArb = fc.record(
    {
      containerPort: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant('http'), fc.constant(0)),
      hostPort: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 }), fc.constant(null), fc.constant(-1), fc.constant('x'), fc.constant(70000)),
      protocol: fc.constantFrom('TCP', 'UDP', ''),
      name: fc.constantFrom('a', 'b'),
    },
    { requiredKeys: [] },
  );
  const containerArb = fc.oneof(
    fc.record({ name: fc.constantFrom('web', 'side'), ports: fc.array(fc.oneof(portArb, fc.constant('junk')), { maxLength: 4 }) }, { requiredKeys: [] }),
    fc.constant(7),
  );

  it('counts the same demand as the declarations it lists (one walk for both)', () => {
    fc.assert(
      fc.property(fc.array(containerArb, { maxLength: 4 }), (containers) => {
        const spec = { containers, initContainers: containers };
        const scan = scanPodSpec(spec, { cpu: 0.25, mem: 64 });
        const d = hostPortDemand(containerPorts(spec, { cpu: 0.25, mem: 64 }));
        expect({ fixed: scan.fixed, wildcard: scan.wildcard, duplicated: scan.duplicated }).toEqual({
          fixed: d.fixed,
          wildcard: d.wildcard,
          duplicated: d.duplicated,
        });
      }),
    );
  });

  it('reads hostPort 0 or none as a wildcard port, skips invalid ones, and maps no init container', () => {
    const spec = {
      initContainers: [{ name: 'init', ports: [{ containerPort: 1, hostPort: 31001 }] }],
      containers: [
        {
          name: 'web',
          ports: [
            { containerPort: 80 },
            { containerPort: 81, hostPort: 0 },
            { containerPort: 82, hostPort: 31082, protocol: 'UDP', name: 'x' },
            { containerPort: 83, hostPort: 70000 },
          ],
        },
      ],
    };
    const scan = scanPodSpec(spec, { cpu: 0.25, mem: 64 });
    expect([scan.fixed, scan.wildcard]).toEqual([[31082], 2]);
    expect(containerPorts(spec, { cpu: 0.25, mem: 64 })).toEqual([
      { containerIndex: 0, portIndex: 0, container: 'web', containerPort: 80, name: undefined, protocol: 'TCP', hostPort: 0 },
      { containerIndex: 0, portIndex: 1, container: 'web', containerPort: 81, name: undefined, protocol: 'TCP', hostPort: 0 },
      { containerIndex: 0, portIndex: 2, container: 'web', containerPort: 82, name: 'x', protocol: 'UDP', hostPort: 31082 },
    ]);
  });
});

describe('eachContainerDemand', () => {
  it("visits each container object with podResourceDemand's values for it", () => {
    const s = {
      containers: [
        { name: 'a', image: 'x' },
        'not a container',
        { name: 'b', image: 'x', resources: { requests: { cpu: '200m', memory: '10Mi' } } },
        { name: 'c', image: 'x', resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: 'lots' } } },
      ],
    };
    const seen: Array<{ index: number; name: unknown; cpu: object; mem: object }> = [];
    eachContainerDemand(s, defaults, (v) => seen.push({ index: v.index, name: v.container.name, cpu: { ...v.cpu }, mem: { ...v.mem } }));
    const d = podResourceDemand(s, defaults);
    expect(seen.map((v) => v.index)).toEqual([0, 2, 3]);
    expect(seen.map((v) => v.name)).toEqual(['a', 'b', 'c']);
    // the same values (what is not given is undefined here, absent there)
    expect(seen.map((v) => ({ cpu: v.cpu, mem: v.mem }))).toEqual(d.containers.map((c) => ({ cpu: c.cpu, mem: c.mem })));
    expect(seen[1]!.mem).toMatchObject({ source: 'copied-from-request', limit: 32, clamped: true, givenRequest: 10 });
  });

  it('visits nothing without containers', () => {
    let calls = 0;
    eachContainerDemand(undefined, defaults, () => calls++);
    eachContainerDemand({ containers: 'x' }, defaults, () => calls++);
    expect(calls).toBe(0);
  });
});
