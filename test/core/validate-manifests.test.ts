import fc from 'fast-check';
import { POD_BEARING_KINDS } from '../../src/core/manifest/pod-template.js';
import { RULES, RULES_BY_ID } from '../../src/core/rules/index.js';
import { container, deployment, live, offline, res, service, validateManifests } from './rules/fixtures.js';

describe('RULES registry', () => {
  it('has unique, stable kebab-case ids and the texts SARIF and the docs need', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/);
      expect(['error', 'warning', 'info']).toContain(r.severity);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.title).not.toMatch(/\.$/);
      expect(r.description.length).toBeGreaterThan(60);
      expect(r.help.length).toBeGreaterThan(20);
      expect(RULES_BY_ID.get(r.id)).toBe(r);
    }
  });

  it('covers every concept of issue 3', () => {
    for (const id of [
      'host-port-not-offered',
      'duplicate-host-port',
      'wildcard-ports-exhausted',
      'host-port-replicas-exceed-agents',
      'port-mapping-invalid',
      'port-mapping-ignored',
      'static-pod-missing-limits',
      'static-pod-file-invalid',
      'static-pods-read-once',
      'service-endpoint-no-host-port',
      'service-selects-no-pods',
      'pod-exceeds-agent-resources',
      'pod-resources-defaulted',
      'placement-ignored',
      'node-selector-unknown-label',
      'pod-roles-empty',
    ]) {
      expect(RULES_BY_ID.has(id)).toBe(true);
    }
  });
});

describe('validateManifests', () => {
  it('finds nothing wrong with a clean web Deployment and its Service', () => {
    const d = deployment(
      { containers: [container({ name: 'nginx', ports: [{ name: 'http', containerPort: 8080, hostPort: 31080 }] })] },
      { replicas: 2, labels: { app: 'web', 'k8s.mesosphere.io/portMapping': 'fixed' } },
    );
    const s = service({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    expect(validateManifests([res(d), res(s)], offline({ agentCount: 3, cpus: 4, mem: 8192 }))).toEqual([]);
  });

  it('reports one finding per problem with file, document, object and path', () => {
    const d = res(deployment({ containers: [container({ name: 'nginx', ports: [{ containerPort: 80, hostPort: 80 }] })] }), {
      file: 'deploy/web.yaml',
      docIndex: 2,
    });
    const fs = validateManifests([d], offline());
    expect(fs).toEqual([
      expect.objectContaining({
        rule: 'host-port-not-offered',
        severity: 'error',
        file: 'deploy/web.yaml',
        docIndex: 2,
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        container: 'nginx',
        port: 80,
        path: ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'hostPort'],
      }),
    ]);
  });

  it('skips kinds that bear no pods', () => {
    const cm = res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    expect(validateManifests([cm], offline())).toEqual([]);
  });

  it('never throws on malformed objects, offline or live', () => {
    const models = [
      offline({ cpus: 2, mem: 1024, agentCount: 2 }),
      live(
        [
          { name: 'a1', cpus: 2, mem: 2048, attributes: { rack: 'r1' } },
          { name: 'a2', ports: '[31000-31010]' },
        ],
        { frameworkRoles: ['*', 'public'] },
      ),
    ];
    const kindArb = fc.constantFrom(...POD_BEARING_KINDS, 'Service', 'ConfigMap');
    const junk = fc.anything({ maxDepth: 4 });
    const containerArb = fc.record(
      {
        name: fc.oneof(fc.string(), junk),
        ports: fc.oneof(
          junk,
          fc.array(
            fc.record(
              { containerPort: fc.oneof(fc.integer(), junk), hostPort: fc.oneof(fc.integer({ min: -1, max: 70000 }), junk), protocol: junk, name: junk },
              { requiredKeys: [] },
            ),
          ),
        ),
        resources: junk,
      },
      { requiredKeys: [] },
    );
    const specArb = fc.record(
      {
        containers: fc.oneof(junk, fc.array(fc.oneof(containerArb, junk), { maxLength: 3 })),
        nodeSelector: junk,
        affinity: junk,
        tolerations: junk,
        nodeName: junk,
        selector: junk,
        ports: junk,
      },
      { requiredKeys: [] },
    );
    const objArb = fc.record({
      kind: kindArb,
      metadata: fc.oneof(junk, fc.record({ name: junk, labels: junk, annotations: junk }, { requiredKeys: [] })),
      spec: fc.oneof(
        junk,
        specArb,
        fc.record(
          { replicas: junk, parallelism: junk, template: fc.record({ metadata: junk, spec: fc.oneof(specArb, junk) }, { requiredKeys: [] }) },
          { requiredKeys: [] },
        ),
      ),
      template: junk,
    });
    fc.assert(
      fc.property(fc.array(objArb, { maxLength: 6 }), fc.boolean(), (objs, isStatic) => {
        const resources = objs.map((o) => res(o as Record<string, unknown>));
        for (const m of models) {
          const out = validateManifests(resources, m, { static: isStatic, staticPodFiles: [{ file: 's.yaml', documents: resources.length, resources }] });
          for (const f of out) {
            expect(RULES_BY_ID.has(f.rule)).toBe(true);
            expect(typeof f.message).toBe('string');
            expect(Array.isArray(f.path)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
