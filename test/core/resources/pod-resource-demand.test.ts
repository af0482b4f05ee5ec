import fc from 'fast-check';
import { podResourceDemand, podResourceTotals } from '../../../src/core/resources/pod-resource-demand.js';

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

describe('podResourceTotals (the fast path the rules use)', () => {
  const qty = fc.oneof(
    fc.constantFrom('500m', '5m', '0.001', '1', '2', '64Mi', '16Mi', '1Gi', '129e6', 'bad', 3, 0.004, null),
    fc.integer({ min: 0, max: 5000 }).map((n) => `${n}m`),
  );
  const list = fc.record({ cpu: qty, memory: qty }, { requiredKeys: [] });
  const containerArb = fc.record({ name: fc.constant('c'), resources: fc.record({ requests: list, limits: list }, { requiredKeys: [] }) }, { requiredKeys: ['name'] });

  it('agrees with podResourceDemand on sums, adjustments and invalid quantities', () => {
    fc.assert(
      fc.property(fc.array(containerArb, { maxLength: 5 }), fc.constantFrom(0.005, 0.25, 1), fc.constantFrom(16, 64), (containers, cpu, mem) => {
        const spec = { containers };
        const d = podResourceDemand(spec, { cpu, mem });
        const t = podResourceTotals(spec, { cpu, mem });
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
