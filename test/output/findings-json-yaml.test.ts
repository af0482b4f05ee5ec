import { parse as parseYAML } from 'yaml';
import { bufferIO, directWriter } from '../../src/lib/io.js';
import { fakeOut } from '../support/fake-stdout.js';
import fc from 'fast-check';
import { formatFindingsJSON, formatFindingsJSONParts, reportDocument } from '../../src/output/findings/json.js';
import { formatFindingsYAML } from '../../src/output/findings/yaml.js';
import { renderValidationReport } from '../../src/output/findings/render.js';
import type { ValidationReport } from '../../src/output/findings/validation-report.js';
import type { Finding } from '../../src/core/finding.js';
import { RULES, emptyReport, sampleReport } from './fixtures.js';

describe('-o json', () => {
  test('the documented shape, key order, 2-space indent and a trailing newline', () => {
    const report: ValidationReport = {
      findings: [
        {
          rule: 'host-port-not-offered',
          severity: 'error',
          message: 'hostPort 8080 is outside every offered port range',
          // deliberately scrambled key order, and the loader's internal fields
          port: 8080,
          container: 'nginx',
          name: 'web',
          namespace: 'default',
          kind: 'Deployment',
          column: 23,
          line: 21,
          file: 'deploy/web.yaml',
          path: ['spec', 'template'],
          docIndex: 2,
          object: 'should not appear for a file finding',
        },
      ],
      summary: { infos: 0, warnings: 0, errors: 1, skipped: 0, resources: 1, files: 1 },
    };
    expect(formatFindingsJSON(report)).toBe(
      `{
  "findings": [
    {
      "rule": "host-port-not-offered",
      "severity": "error",
      "message": "hostPort 8080 is outside every offered port range",
      "file": "deploy/web.yaml",
      "line": 21,
      "column": 23,
      "kind": "Deployment",
      "namespace": "default",
      "name": "web",
      "container": "nginx",
      "port": 8080
    }
  ],
  "summary": {
    "files": 1,
    "resources": 1,
    "skipped": 0,
    "errors": 1,
    "warnings": 0,
    "infos": 0
  }
}
`,
    );
  });

  test('absent optional keys are left out, never null; cluster findings carry their object', () => {
    const report: ValidationReport = {
      findings: [
        { rule: 'duplicate-host-port', severity: 'error', message: 'm', file: 'a.yaml', line: 3, column: 1, kind: 'Pod', namespace: 'ns', name: 'p' },
        { rule: 'yaml-syntax', severity: 'error', message: 'not YAML', file: 'b.yaml' },
        { rule: 'orphan-container', severity: 'warning', message: 'left behind', object: 'agent a1/k8s_web.1', port: 31000 },
      ],
      summary: { files: 2, resources: 1, skipped: 0, errors: 2, warnings: 1, infos: 0 },
    };
    const doc = JSON.parse(formatFindingsJSON(report));
    expect(doc.findings.map((f: object) => Object.keys(f))).toEqual([
      ['rule', 'severity', 'message', 'file', 'line', 'column', 'kind', 'namespace', 'name'],
      ['rule', 'severity', 'message', 'file'],
      ['rule', 'severity', 'message', 'port', 'object'],
    ]);
    expect(doc.findings[2]).toEqual({ rule: 'orphan-container', severity: 'warning', message: 'left behind', port: 31000, object: 'agent a1/k8s_web.1' });
    expect(formatFindingsJSON(report)).not.toContain('null');
  });

  test('findings in the order the files were read, then by line; summary copied as given', () => {
    const doc = JSON.parse(formatFindingsJSON(sampleReport()));
    expect(doc.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual([
      'deploy/web.yaml:21',
      'deploy/web.yaml:30',
      'deploy/web.yaml:52',
      '<stdin>:9',
    ]);
    expect(doc.summary).toEqual(sampleReport().summary);
    expect(Object.keys(doc.summary)).toEqual(['files', 'resources', 'skipped', 'errors', 'warnings', 'infos']);
  });

  test('without a file order, files are sorted by name', () => {
    const report = sampleReport();
    delete report.files;
    const doc = JSON.parse(formatFindingsJSON(report));
    expect(doc.findings.map((f: { file: string }) => f.file)).toEqual(['<stdin>', 'deploy/web.yaml', 'deploy/web.yaml', 'deploy/web.yaml']);
  });

  test('byte for byte the document reportDocument holds, 2-space JSON, in every case (plain findings, cluster findings, internal fields, odd values)', () => {
    const withCustom = sampleReport();
    withCustom.summary = { ...withCustom.summary, customResources: 2 };
    const cluster: ValidationReport = {
      findings: [
        { rule: 'orphan-container', severity: 'warning', message: 'left "behind"\n\ttab \u2028', object: 'agent a1/k8s_web.1', port: 31000 },
        {
          rule: 'r',
          severity: 'error',
          message: 'm',
          file: 'a.yaml',
          line: 2,
          column: 3,
          path: ['spec', 0],
          docIndex: 1,
          scalarField: 'x',
          kind: '',
          name: 'n',
        },
        { rule: 'r', severity: 'info', message: 'no position', file: 'a.yaml', port: Number.NaN },
      ],
      summary: { files: 1, resources: 1, skipped: 0, errors: 1, warnings: 1, infos: 1 },
    };
    // values outside the Finding type: printed as before too
    const odd = { ...sampleReport(), findings: [{ ...sampleReport().findings[0]!, name: { not: 'a string' } as unknown as string }] };
    const fileWithObject = { ...sampleReport(), findings: [{ ...sampleReport().findings[0]!, object: 'left out for a file finding' }] };
    for (const report of [sampleReport(), withCustom, emptyReport(), cluster, odd, fileWithObject]) {
      expect(formatFindingsJSON(report)).toBe(JSON.stringify(reportDocument(report), null, 2) + '\n');
    }
  });

  test('no findings: an empty list and the counts', () => {
    expect(JSON.parse(formatFindingsJSON(emptyReport()))).toEqual({ findings: [], summary: emptyReport().summary });
  });

  test('does not change the report it is given', () => {
    const report = sampleReport();
    const before = JSON.stringify(report);
    formatFindingsJSON(report);
    formatFindingsYAML(report);
    expect(JSON.stringify(report)).toBe(before);
  });

  test('renderValidationReport writes exactly the JSON to stdout', async () => {
    const io = bufferIO({ tty: true, color: true });
    await renderValidationReport(sampleReport(), 'json', io, { rules: RULES, toolVersion: '1.0.0' });
    expect(io.stdout()).toBe(formatFindingsJSON(sampleReport()));
    expect(io.stdout()).not.toContain('\u001b');
    expect(io.stderr()).toBe('');
  });
});

describe('-o yaml', () => {
  test('the same document as JSON, keys in the same order', () => {
    const yamlText = formatFindingsYAML(sampleReport());
    const fromYaml = parseYAML(yamlText);
    const fromJson = JSON.parse(formatFindingsJSON(sampleReport()));
    expect(fromYaml).toEqual(fromJson);
    expect(fromYaml.findings.map((f: object) => Object.keys(f))).toEqual(fromJson.findings.map((f: object) => Object.keys(f)));
    expect(yamlText.startsWith('findings:\n  - rule: host-port-not-offered\n    severity: error\n')).toBe(true);
    expect(yamlText.endsWith('summary:\n  files: 3\n  resources: 4\n  skipped: 1\n  errors: 2\n  warnings: 1\n  infos: 1\n')).toBe(true);
  });

  test('long messages stay on one line; strings a YAML 1.1 reader would take for booleans are quoted', () => {
    const report: ValidationReport = {
      findings: [
        { rule: 'r', severity: 'warning', message: `${'word '.repeat(60)}end`, file: 'a.yaml', line: 1, column: 1, kind: 'Pod', namespace: 'on', name: 'yes' },
      ],
      summary: { files: 1, resources: 1, skipped: 0, errors: 0, warnings: 1, infos: 0 },
    };
    const text = formatFindingsYAML(report);
    expect(text).toContain(`    message: ${'word '.repeat(60)}end\n`);
    expect(text).toContain("namespace: 'on'");
    expect(text).toContain("name: 'yes'");
    const asYaml11 = parseYAML(text, { version: '1.1' });
    expect(asYaml11.findings[0].namespace).toBe('on');
    expect(asYaml11.findings[0].name).toBe('yes');
  });

  test('a YAML 1.1 reader gets strings back, never booleans or numbers', () => {
    const report: ValidationReport = {
      findings: ['y', 'n', 'no', 'off', '0755', '1_000', '12:30', 'null', '~', '.inf', '0x1F', '1e3', ''].map((name) => ({
        rule: 'r',
        severity: 'info' as const,
        message: 'm',
        file: 'a.yaml',
        name,
      })),
      summary: { files: 1, resources: 1, skipped: 0, errors: 0, warnings: 0, infos: 13 },
    };
    const names = (doc: { findings: Array<{ name: unknown }> }) => doc.findings.map((f) => f.name);
    expect(names(parseYAML(formatFindingsYAML(report), { version: '1.1' }))).toEqual(report.findings.map((f) => f.name));
    expect(names(parseYAML(formatFindingsYAML(report)))).toEqual(report.findings.map((f) => f.name));
  });

  test('no findings: an empty flow list', () => {
    expect(formatFindingsYAML(emptyReport())).toBe(
      'findings: []\nsummary:\n  files: 2\n  resources: 5\n  skipped: 0\n  errors: 0\n  warnings: 0\n  infos: 0\n',
    );
  });
});

describe('-o json, the fast path (a key list instead of a copy of each finding)', () => {
  const text = fc.string({ unit: 'binary', maxLength: 30 });
  const common = {
    rule: fc.constantFrom('host-port-not-offered', 'pod-resources-defaulted', 'schema'),
    severity: fc.constantFrom('error' as const, 'warning' as const, 'info' as const),
    message: text,
    kind: text,
    namespace: text,
    name: text,
    container: text,
    port: fc.oneof(fc.integer({ min: 0, max: 65_535 }), fc.constant(Number.NaN)),
    docIndex: fc.nat(),
  };
  const required = { requiredKeys: ['rule', 'severity', 'message'] as const };
  // about a file; about a cluster object; now and then one with both (its object is not printed)
  const fileFinding = fc.record(
    { ...common, file: text, line: fc.integer({ min: 1, max: 100_000 }), column: fc.integer({ min: 1, max: 500 }) },
    { requiredKeys: ['rule', 'severity', 'message', 'file'] },
  );
  const clusterFinding = fc.record({ ...common, object: text }, { requiredKeys: ['rule', 'severity', 'message', 'object'] });
  const odd = fc.record({ ...common, file: text, object: text }, { requiredKeys: [...required.requiredKeys] });
  const finding = fc.oneof({ arbitrary: fileFinding, weight: 10 }, { arbitrary: clusterFinding, weight: 5 }, { arbitrary: odd, weight: 1 });

  test('property: byte for byte what JSON.stringify prints of the report document, whatever the findings hold', () => {
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 40 }), fc.nat({ max: 3 }), (findings, custom) => {
        const report: ValidationReport = {
          findings,
          summary: { files: 3, resources: 9, ...(custom > 0 ? { customResources: custom } : {}), skipped: 1, errors: 2, warnings: 0, infos: 4 },
        };
        const expected = `${JSON.stringify(reportDocument(report), null, 2)}\n`;
        expect([...formatFindingsJSONParts(report)].join('')).toBe(expected);
        expect(formatFindingsJSON(report)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  test('property: a large report, made a thousand findings at a time, is the same bytes', () => {
    // Sizes around the part size and well over it; the findings of a small generated set repeated on
    // other lines, so that they sort apart.
    fc.assert(
      fc.property(fc.array(finding, { minLength: 1, maxLength: 12 }), fc.constantFrom(1000, 1001, 2345), (seed, size) => {
        const findings = Array.from({ length: size }, (_, i) => {
          const f: Finding = { ...seed[i % seed.length]! };
          if (f.line !== undefined) f.line += i;
          return f;
        });
        const report: ValidationReport = { findings, summary: { files: 3, resources: 9, skipped: 1, errors: 2, warnings: 0, infos: 4 } };
        const expected = `${JSON.stringify(reportDocument(report), null, 2)}\n`;
        const parts = [...formatFindingsJSONParts(report)];
        expect(parts.join('')).toBe(expected);
        // written a part at a time: no part holds the whole report
        if (size > 1000) expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(expected.length);
      }),
      { numRuns: 30 },
    );
  });
});

describe('-o json of a large report, written to standard output', () => {
  test('every part but the last goes straight to the descriptor: the stream (which makes a pipe non-blocking) is created only at the end', async () => {
    const findings: Finding[] = Array.from({ length: 2345 }, (_, i) => ({
      rule: 'pod-resources-defaulted',
      severity: 'info',
      message: `container ${i % 7} has no limits`,
      file: `team-${i % 20}/app-${i}.yaml`,
      line: 3 + (i % 40),
      column: 9,
    }));
    const report: ValidationReport = { findings, summary: { files: 2345, resources: 2345, skipped: 0, errors: 0, warnings: 0, infos: 2345 } };
    const o = fakeOut();
    const io = { ...bufferIO(), out: directWriter(o.target) };
    await renderValidationReport(report, 'json', io, { rules: RULES, toolVersion: '0.0.0' });
    expect(o.bytes().toString()).toBe(`${JSON.stringify(reportDocument(report), null, 2)}\n`);
    expect(o.log.lastIndexOf('direct')).toBeGreaterThan(0);
    expect(o.log.indexOf('stream')).toBeGreaterThan(o.log.lastIndexOf('direct'));
  });
});
