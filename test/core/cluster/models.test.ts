import { clusterModelFromSettings } from '../../../src/core/cluster/model-from-settings.js';
import { clusterModelFromSnapshot } from '../../../src/core/cluster/model-from-snapshot.js';
import { defaultPortMapping, type ModelSettings } from '../../../src/core/cluster/model-settings.js';
import { agentDocument, agentsFromDocument, SnapshotDocumentError } from '../../../src/core/cluster/snapshot-document.js';
import { agent, framework, k8smExecutor, res } from '../views/snapshot-fixture.js';

const settings: ModelSettings = {
  ports: '[31000-31099, 31101-32000]',
  hostPortEndpoints: true,
  frameworkRoles: ['*'],
  defaultPodRoles: ['*'],
  executorCpus: 0.25,
  executorMem: 128,
  defaultContainerCpu: 0.25,
  defaultContainerMem: 64,
};

describe('port mapping default follows --host-port-endpoints as the k8sm scheduler does', () => {
  test.each([
    [true, undefined, 'wildcard'],
    [false, undefined, 'fixed'],
    [true, 'fixed', 'fixed'],
    [false, 'wildcard', 'wildcard'],
  ] as const)('endpoints=%s explicit=%s -> %s', (hostPortEndpoints, portMapping, want) => {
    expect(defaultPortMapping({ hostPortEndpoints, ...(portMapping ? { portMapping } : {}) })).toBe(want);
  });
});

describe('offline model', () => {
  test('one synthetic agent with the parsed ranges; sizes and count only when given', () => {
    const m = clusterModelFromSettings(settings);
    expect(m.origin).toBe('flags');
    expect(m.agents).toHaveLength(1);
    expect(m.agents[0]!.ports).toEqual([
      { begin: 31000, end: 31099 },
      { begin: 31101, end: 32000 },
    ]);
    expect(m.sizesKnown).toBe(false);
    expect(m.agentCount).toBeUndefined();
    expect(m.source).toBe('--ports [31000-31099, 31101-32000]');
    const sized = clusterModelFromSettings({ ...settings, agentCpus: 2, agents: 3 });
    expect(sized.sizesKnown).toBe(true);
    expect(sized.agents[0]!.cpus).toBe(2);
    expect(sized.agentCount).toBe(3);
  });
});

describe('live model', () => {
  const a1 = agent('a1', {
    id: 'S1',
    total: res(8, 16384, '[31000-32000]'),
    attributes: { rack: 'r1' },
    executors: [k8smExecutor('x_k8sm-executor', 'F1', 'S1')],
  });
  const a2 = agent('a2', { id: 'S2', total: res(2, 2048, '[40000-40100]') });
  const gone = agent('a3', { id: 'S3', active: false });

  test('active agents only, with their totals, attributes and k8sm executors', () => {
    const m = clusterModelFromSnapshot([a1, a2, gone], [], settings, { origin: 'mesos', description: 'Mesos master http://m:5050' });
    expect(m.agents.map((a) => [a.name, a.cpus, a.mem, a.k8smExecutor])).toEqual([
      ['a1', 8, 16384, true],
      ['a2', 2, 2048, false],
    ]);
    expect(m.agentCount).toBe(2);
    expect(m.agents[0]!.attributes).toEqual({ rack: 'r1' });
    expect(m.sizesKnown).toBe(true);
  });

  test('framework roles come from the one registered k8sm framework, else from the settings', () => {
    const k8sm = framework('F1', 'Kubernetes', { roles: ['*', 'public'] });
    expect(clusterModelFromSnapshot([a1], [k8sm], settings, { origin: 'mesos', description: '' }).frameworkRoles).toEqual(['*', 'public']);
    const two = [k8sm, framework('F9', 'Kubernetes', { roles: ['x'] })];
    expect(clusterModelFromSnapshot([a1], two, settings, { origin: 'mesos', description: '' }).frameworkRoles).toEqual(['*']);
  });
});

describe('saved snapshot documents (get agents -o json)', () => {
  const a1 = agent('a1', { id: 'S1', total: res(4, 4096, '[31000-31500]'), attributes: { zone: 'b' } });

  test('round trip through JSON keeps what the model needs', () => {
    const doc = JSON.parse(JSON.stringify({ kind: 'List', items: [agentDocument(a1)] }));
    const [back] = agentsFromDocument(doc);
    expect(back!.hostname).toBe('a1');
    expect(back!.total).toEqual(a1.total);
    expect(back!.attributes).toEqual({ zone: 'b' });
  });

  test('a single agent and a bare array are accepted', () => {
    expect(agentsFromDocument(JSON.parse(JSON.stringify(agentDocument(a1))))).toHaveLength(1);
    expect(agentsFromDocument([JSON.parse(JSON.stringify(agentDocument(a1)))])).toHaveLength(1);
  });

  test.each([
    [{ kind: 'Pod' }, /expected the output of 'k8smctl get agents -o json'/],
    [{ items: [{ hostname: 'x', total: { cpus: 'four' } }] }, /items\[0\]\.total\.cpus must be a non-negative number/],
    [{ items: [{ hostname: 'x', total: { ports: [{ begin: 5, end: 2 }] } }] }, /items\[0\]\.total\.ports\[0\] must be a port range/],
    [{ items: [{ total: {} }] }, /items\[0\]\.hostname must be a non-empty string/],
    [{ items: [{ kind: 'MesosFramework', hostname: 'x', total: {} }] }, /has kind "MesosFramework"/],
  ])('%j is rejected with a message naming the item', (doc, msg) => {
    expect(() => agentsFromDocument(doc)).toThrow(SnapshotDocumentError);
    expect(() => agentsFromDocument(doc)).toThrow(msg);
  });
});
