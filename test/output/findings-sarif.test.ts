import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import { RULES as K8SMCTL_RULES } from '../../src/core/rules/index.js';
import { bufferIO } from '../../src/lib/io.js';
import { renderValidationReport } from '../../src/output/findings/render.js';
import { artifactLocation, formatFindingsSarif, ruleName, sarifLog, type SarifLog } from '../../src/output/findings/sarif.js';
import type { ValidationReport } from '../../src/output/findings/validation-report.js';
import { RULES, emptyReport, sampleReport } from './fixtures.js';

// The SARIF 2.1.0 JSON schema (its final "rtm.5" text, JSON Schema draft-04), as shipped by
// Microsoft's @microsoft/jest-sarif package: validated offline with Ajv's draft-04 class.
const require = createRequire(import.meta.url);
// A CommonJS module whose typings say `export default`: under NodeNext the class is `.default`.
const Ajv = AjvDraft04.default;
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

// RFC 3986 characters (percent-escapes, no spaces); a relative reference's first segment has no ':'.
const URI_CHARS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$/;
const ajv = new Ajv({
  allErrors: true,
  strict: false,
  // the schema's `language` pattern has a stray `]` that only non-unicode regular expressions accept
  unicodeRegExp: false,
  formats: {
    uri: (s: string) => URI_CHARS.test(s) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s),
    'uri-reference': (s: string) => URI_CHARS.test(s) && (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) || !/^[^/?#]*:/.test(s)),
    'date-time': (s: string) => !Number.isNaN(Date.parse(s)),
  },
});
const validateSarif = ajv.compile(schema);

function expectValid(log: unknown): void {
  const ok = validateSarif(log);
  expect(validateSarif.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

const opts = { rules: RULES, toolVersion: '0.1.0', informationUri: 'https://example.invalid/k8smctl' };

describe('-o sarif', () => {
  test('the schema check itself rejects what is not SARIF', () => {
    const log = sarifLog(sampleReport(), opts) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    log.runs[0]!.results[0]!.level = 'info';
    expect(validateSarif(log)).toBe(false);
    const badUri = sarifLog(sampleReport(), opts);
    badUri.runs[0]!.results[1]!.locations[0]!.physicalLocation!.artifactLocation.uri = 'my dir/a.yaml';
    expect(validateSarif(badUri)).toBe(false);
  });

  test('a report is valid SARIF 2.1.0: with findings, with none, with odd file names, with cluster findings', () => {
    expectValid(sarifLog(sampleReport(), opts));
    expectValid(sarifLog(emptyReport(), { rules: RULES, toolVersion: '0.1.0' }));
    const odd: ValidationReport = {
      findings: [
        { rule: 'x', severity: 'error', message: 'm', file: 'dir with space/ü#1?.yaml', line: 2, column: 3 },
        { rule: 'x', severity: 'error', message: 'm', file: 'C:\\work\\k8s\\pod.yaml', line: 2 },
        { rule: 'x', severity: 'warning', message: 'm', file: '/abs/olute.yaml' },
        { rule: 'x', severity: 'info', message: 'm', file: 'a:b.yaml', line: 1, column: 1 },
        { rule: 'orphan', severity: 'warning', message: 'left behind', object: 'agent a1' },
      ],
      summary: { files: 4, resources: 0, skipped: 0, errors: 2, warnings: 2, infos: 1 },
    };
    expectValid(sarifLog(odd, { ...opts, srcRoot: '/work/repo' }));
  });

  test("k8smctl's own rules list is valid driver metadata, one rule per id", () => {
    const log = sarifLog(emptyReport(), { rules: K8SMCTL_RULES, toolVersion: '0.1.0' });
    expectValid(log);
    const ids = log.runs[0]!.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual(K8SMCTL_RULES.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of log.runs[0]!.tool.driver.rules) {
      expect(r.shortDescription.text).not.toBe('');
      expect(r.fullDescription.text).not.toBe('');
      expect(r.help.text).not.toBe('');
    }
  });

  test('driver: name, version, informationUri and every rule, described', () => {
    const log = sarifLog(sampleReport(), opts);
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0]!.tool.driver;
    expect(Object.keys(driver)).toEqual(['name', 'version', 'informationUri', 'rules']);
    expect(driver.name).toBe('k8smctl');
    expect(driver.version).toBe('0.1.0');
    expect(driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(driver.rules[0]).toEqual({
      id: 'host-port-not-offered',
      name: 'HostPortNotOffered',
      shortDescription: { text: 'hostPort outside every offered port range' },
      fullDescription: { text: RULES[0]!.description },
      help: { text: RULES[0]!.help },
      defaultConfiguration: { level: 'error' },
    });
    expect(driver.rules.map((r) => r.defaultConfiguration.level)).toEqual(['error', 'error', 'warning', 'note']);
    expect('informationUri' in sarifLog(sampleReport(), { rules: RULES, toolVersion: '1' }).runs[0]!.tool.driver).toBe(false);
  });

  test('results: rule id and index, level, message with the object, location and region', () => {
    const log = sarifLog(sampleReport(), opts);
    const rules = log.runs[0]!.tool.driver.rules;
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(4);
    for (const r of results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
    const hostPort = results.find((r) => r.ruleId === 'host-port-not-offered')!;
    expect(hostPort).toEqual({
      ruleId: 'host-port-not-offered',
      ruleIndex: 0,
      level: 'error',
      message: {
        text: 'Deployment default/web (container nginx): hostPort 8080 is outside every offered port range [31000-32000]: the pod stays Pending forever; use a port in [31000-32000]',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 21, startColumn: 23 },
          },
        },
      ],
      properties: { kind: 'Deployment', namespace: 'default', name: 'web', container: 'nginx', port: 8080 },
    });
    expect(results.map((r) => r.level)).toEqual(['error', 'warning', 'note', 'error']);
    const stdin = results.find((r) => r.ruleId === 'duplicate-host-port')!;
    expect(stdin.locations[0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'stdin' });
  });

  test('no line: no region; no column: startLine only; no file: a logical location', () => {
    const report: ValidationReport = {
      findings: [
        { rule: 'yaml-syntax', severity: 'error', message: 'empty', file: 'a.yaml' },
        { rule: 'yaml-syntax', severity: 'error', message: 'bad', file: 'b.yaml', line: 4 },
        { rule: 'orphan', severity: 'warning', message: 'left behind', object: 'agent a1.example.com' },
      ],
      summary: { files: 2, resources: 0, skipped: 0, errors: 2, warnings: 1, infos: 0 },
    };
    const [a, b, orphan] = sarifLog(report, opts).runs[0]!.results;
    expect(a!.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'a.yaml', uriBaseId: '%SRCROOT%' } } }]);
    expect(b!.locations[0]!.physicalLocation!.region).toEqual({ startLine: 4 });
    expect(orphan!.locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: 'agent a1.example.com', kind: 'resource' }] }]);
  });

  test("findings of rules not in the list (the loader's own) get a rule entry to point at", () => {
    const report: ValidationReport = {
      findings: [{ rule: 'yaml-syntax', severity: 'error', message: 'bad', file: 'b.yaml', line: 4 }],
      summary: { files: 1, resources: 0, skipped: 0, errors: 1, warnings: 0, infos: 0 },
    };
    const run = sarifLog(report, opts).runs[0]!;
    expect(run.tool.driver.rules).toHaveLength(RULES.length + 1);
    expect(run.results[0]!.ruleIndex).toBe(RULES.length);
    expect(run.tool.driver.rules[RULES.length]).toMatchObject({ id: 'yaml-syntax', name: 'YamlSyntax', defaultConfiguration: { level: 'error' } });
  });

  test('file names become relative URIs with forward slashes, percent-encoded', () => {
    expect(artifactLocation('deploy/web.yaml')).toEqual({ uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('./deploy/./x/../web.yaml')).toEqual({ uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('deploy\\prod\\web.yaml')).toEqual({ uri: 'deploy/prod/web.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('my dir/ü#1?.yaml').uri).toBe('my%20dir/%C3%BC%231%3F.yaml');
    expect(artifactLocation('100%.yaml').uri).toBe('100%25.yaml');
    expect(artifactLocation('a:b.yaml').uri).toBe('a%3Ab.yaml'); // never mistaken for a scheme
    expect(artifactLocation('../shared/pod.yaml')).toEqual({ uri: '../shared/pod.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('<stdin>')).toEqual({ uri: 'stdin' });
    expect(artifactLocation('-')).toEqual({ uri: 'stdin' });
  });

  test('absolute paths: relative to srcRoot when inside it, else a file:// URI', () => {
    expect(artifactLocation('/work/repo/deploy/web.yaml', '/work/repo')).toEqual({ uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/work/repo/deploy/web.yaml', '/work/repo/')).toEqual({ uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/etc/k8sm/static pods/a.yaml', '/work/repo')).toEqual({ uri: 'file:///etc/k8sm/static%20pods/a.yaml' });
    expect(artifactLocation('/work/repository/a.yaml', '/work/repo')).toEqual({ uri: 'file:///work/repository/a.yaml' });
    expect(artifactLocation('/tmp/a.yaml')).toEqual({ uri: 'file:///tmp/a.yaml' });
    expect(artifactLocation('C:\\k8s\\my pod.yaml')).toEqual({ uri: 'file:///C:/k8s/my%20pod.yaml' });
    const run = sarifLog(emptyReport(), { ...opts, srcRoot: '/work/repo' }).runs[0]!;
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } });
  });

  test('rule names are PascalCase identifiers', () => {
    expect(ruleName('host-port-not-offered')).toBe('HostPortNotOffered');
    expect(ruleName('k8sm.roles_empty')).toBe('K8smRolesEmpty');
  });

  test('renderValidationReport prints the log as 2-space JSON with a trailing newline', async () => {
    const io = bufferIO();
    await renderValidationReport(sampleReport(), 'sarif', io, opts);
    expect(io.stdout()).toBe(formatFindingsSarif(sampleReport(), opts));
    expect(io.stdout().endsWith('}\n')).toBe(true);
    expect(io.stdout().split('\n')[1]).toBe('  "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",');
    const parsed = JSON.parse(io.stdout()) as SarifLog;
    expectValid(parsed);
  });
});
