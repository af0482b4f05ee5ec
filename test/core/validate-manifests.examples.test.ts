// The bundled examples behave as their comments say: clean ones pass, each broken file fires its
// rules, and together they show every rule. Findings point at fields that exist in the documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { ClusterModel } from '../../src/core/cluster/cluster-model.js';
import type { Finding } from '../../src/core/finding.js';
import type { ManifestResource } from '../../src/core/manifest/resource.js';
import { RULES } from '../../src/core/rules/index.js';
import { live, offline, validateManifests } from './rules/fixtures.js';

const ROOT = join(process.cwd(), 'examples');

function load(file: string): { resources: ManifestResource[]; docs: unknown[] } {
  const docs = yaml.loadAll(readFileSync(file, 'utf8')).filter((d) => d !== null && d !== undefined);
  const resources: ManifestResource[] = [];
  docs.forEach((doc, docIndex) => {
    const o = doc as Record<string, unknown>;
    const items = o.kind === 'List' ? (o.items as Array<Record<string, unknown>>).map((item, i) => ({ item, base: ['items', i] })) : [{ item: o, base: [] }];
    for (const { item, base } of items) {
      const meta = (item.metadata ?? {}) as Record<string, unknown>;
      resources.push({
        file,
        docIndex,
        basePath: base,
        object: item,
        apiVersion: String(item.apiVersion),
        kind: String(item.kind),
        name: typeof meta.name === 'string' ? meta.name : '',
        namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
      });
    }
  });
  return { resources, docs };
}

function resolves(doc: unknown, path: ReadonlyArray<string | number>): boolean {
  let cur = doc;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || !(k in cur)) return false;
    cur = (cur as Record<string, unknown>)[k as string];
  }
  return true;
}

function check(file: string, model: ClusterModel): Finding[] {
  const { resources, docs } = load(file);
  const findings = validateManifests(resources, model);
  for (const f of findings) {
    expect(resolves(docs[f.docIndex!], f.path!)).toBe(true);
    expect(f.message).not.toMatch(/undefined|NaN|\[object/);
  }
  return findings;
}

const ids = (fs: Finding[]) => [...new Set(fs.map((f) => `${f.rule}:${f.severity}`))].sort();
const fired = new Set<string>();
const note = (fs: Finding[]) => fs.forEach((f) => fired.add(f.rule));

describe('examples/cluster', () => {
  const files = readdirSync(join(ROOT, 'cluster')).filter((f) => f.endsWith('.yaml'));
  it.each(files)('%s passes, offline and with known agents', (f) => {
    expect(check(join(ROOT, 'cluster', f), offline())).toEqual([]);
    expect(check(join(ROOT, 'cluster', f), offline({ agentCount: 3, cpus: 4, mem: 8192 }))).toEqual([]);
  });
  it('passes together (the Services find their pods)', () => {
    const all = files.flatMap((f) => load(join(ROOT, 'cluster', f)).resources);
    expect(validateManifests(all, offline({ agentCount: 3, cpus: 4, mem: 8192 }))).toEqual([]);
  });
});

describe('examples/broken', () => {
  const B = (f: string) => join(ROOT, 'broken', f);
  it.each<[string, ClusterModel, string[]]>([
    ['host-ports.yaml', offline(), ['duplicate-host-port:error', 'host-port-not-offered:error']],
    ['wildcard-ports.yaml', offline({ ports: '[31000-31005]' }), ['wildcard-ports-exhausted:error']],
    ['replicas.yaml', offline(), ['host-port-replicas-exceed-agents:warning']],
    ['replicas.yaml', offline({ agentCount: 3 }), ['host-port-replicas-exceed-agents:error']],
    ['port-mapping.yaml', offline(), ['port-mapping-ignored:warning', 'port-mapping-invalid:warning']],
    ['service-endpoints.yaml', offline(), ['service-endpoint-no-host-port:error', 'service-selects-no-pods:warning']],
    ['resources.yaml', offline({ cpus: 4, mem: 8192 }), ['pod-exceeds-agent-resources:error', 'pod-resources-defaulted:info']],
    ['placement.yaml', offline(), ['node-selector-unknown-label:warning', 'placement-ignored:warning']],
    ['roles.yaml', offline({ frameworkRoles: ['*', 'public'] }), ['pod-roles-empty:error', 'pod-roles-ignored:warning', 'pod-roles-not-in-framework:error']],
    ['live-cluster.yaml', offline(), []],
    [
      'live-cluster.yaml',
      live([
        { name: 'mesos-agent-01.dc1.example.com', ports: '[31000-31499]', attributes: { rack: 'r1' } },
        { name: 'mesos-agent-02.dc1.example.com', ports: '[31000-31499]', attributes: { rack: 'r2' } },
        { name: 'mesos-agent-03.dc1.example.com', ports: '[31500-32000]', attributes: { rack: 'r3' } },
        { name: 'mesos-agent-04.dc1.example.com', ports: '[31500-32000]', attributes: { rack: 'r4' } },
      ]),
      ['host-ports-no-common-agent:error', 'node-name-no-agent:error', 'node-selector-no-agent:error'],
    ],
    ['live-cluster.yaml', live([]), ['cluster-no-agents:error']],
  ])('%s fires what its comments say', (f, model, expected) => {
    const fs = check(B(f), model);
    note(fs);
    expect(ids(fs)).toEqual(expected);
  });
});

describe('examples/static-pods (a --static-pods-config folder)', () => {
  it('fires static-pod rules for fluentd.yaml and monitoring.yaml only', () => {
    const dir = join(ROOT, 'static-pods');
    const files = readdirSync(dir)
      .sort()
      .map((f) => {
        const { resources, docs } = load(join(dir, f));
        return { file: join(dir, f), resources, documents: docs.length };
      });
    const fs = validateManifests([], offline(), { staticPodFiles: files });
    note(fs);
    expect(fs.map((f) => `${f.rule}:${f.file!.replace(/^.*\//, '')}`).sort()).toEqual([
      'static-pod-file-invalid:monitoring.yaml',
      'static-pod-missing-limits:fluentd.yaml',
      'static-pod-missing-limits:fluentd.yaml',
      'static-pods-read-once:fluentd.yaml',
    ]);
    // kube-proxy 200m/128Mi + fluentd defaults 250m/64Mi + node-problem-detector 100m/80Mi
    expect(fs.find((f) => f.rule === 'static-pods-read-once')!.message).toContain('add 0.55 CPU / 272 MB');
  });
});

describe('examples together', () => {
  it('show every rule', () => {
    expect([...fired].sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});
