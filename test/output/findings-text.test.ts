import { bufferIO } from '../../src/lib/io.js';
import { formatFindingsText } from '../../src/output/findings/text.js';
import { renderValidationReport } from '../../src/output/findings/render.js';
import type { ValidationReport } from '../../src/output/findings/validation-report.js';
import { stripAnsi } from '../../src/output/text.js';
import { RULES, emptyReport, sampleReport } from './fixtures.js';

const ESC = '\u001b';

function smallReport(): ValidationReport {
  return {
    findings: [
      {
        rule: 'node-selector-ignored',
        severity: 'warning',
        message: 'ignored key',
        file: 'a.yaml',
        line: 12,
        column: 11,
        kind: 'Pod',
        namespace: 'default',
        name: 'p',
      },
      {
        rule: 'service-selects-no-pod',
        severity: 'warning',
        message: 'selects no pod',
        file: 'b.yaml',
        line: 7,
        column: 3,
        kind: 'Service',
        namespace: 'default',
        name: 's',
      },
      {
        rule: 'host-port-not-offered',
        severity: 'error',
        message: 'hostPort 80 is not offered',
        file: 'a.yaml',
        line: 3,
        column: 5,
        kind: 'Pod',
        namespace: 'default',
        name: 'p',
        container: 'c',
        port: 80,
      },
      { rule: 'yaml-syntax', severity: 'error', message: 'not valid YAML', file: 'a.yaml', line: 1 },
    ],
    summary: { files: 2, resources: 3, skipped: 0, errors: 2, warnings: 2, infos: 0 },
  };
}

describe('-o text', () => {
  test('groups by file, then object; aligned positions, severities and rule ids; summary last', () => {
    const io = bufferIO();
    expect(formatFindingsText(smallReport(), io)).toBe(
      [
        'a.yaml',
        '  1      error    not valid YAML                             yaml-syntax',
        '  Pod default/p',
        '    3:5    error    container c: hostPort 80 is not offered  host-port-not-offered',
        '    12:11  warning  ignored key                              node-selector-ignored',
        '',
        'b.yaml',
        '  Service default/s',
        '    7:3  warning  selects no pod  service-selects-no-pod',
        '',
        '2 errors, 2 warnings (3 resources in 2 files checked)',
        '',
      ].join('\n'),
    );
  });

  test('files come in the order they were read, findings by line within a file', () => {
    const text = formatFindingsText(sampleReport(), bufferIO());
    const headers = text.split('\n').filter((l) => l && !l.startsWith(' '));
    expect(headers.slice(0, 2)).toEqual(['deploy/web.yaml', '<stdin>']);
    const web = text.slice(0, text.indexOf('<stdin>'));
    expect(web.indexOf('21:23')).toBeLessThan(web.indexOf('30:11'));
    expect(web.indexOf('30:11')).toBeLessThan(web.indexOf('52:9'));
    // the finding's container is named once, its port (already in the message) not repeated
    expect(web).toContain('container nginx: hostPort 8080 is outside');
    expect(web).not.toContain('port 8080:');
  });

  test('the container and port are named unless the message names them as whole words', () => {
    const base = { rule: 'r', severity: 'error' as const, file: 'a.yaml', line: 1, column: 1, kind: 'Pod', name: 'p' };
    const report: ValidationReport = {
      findings: [
        { ...base, line: 1, message: 'web-proxy needs hostPort 18080', container: 'web', port: 8080 },
        { ...base, line: 2, message: 'container web asks for hostPort 8080/TCP', container: 'web', port: 8080 },
      ],
      summary: { files: 1, resources: 1, skipped: 0, errors: 2, warnings: 0, infos: 0 },
    };
    const lines = formatFindingsText(report, bufferIO()).split('\n');
    expect(lines[2]).toBe('    1:1  error    container web, port 8080: web-proxy needs hostPort 18080  r');
    expect(lines[3]).toBe('    2:1  error    container web asks for hostPort 8080/TCP                  r');
  });

  test('the message column pads only up to the width limit; longer messages overflow', () => {
    const report = smallReport();
    report.findings.push({
      rule: 'r',
      severity: 'info',
      message: 'x'.repeat(200),
      file: 'b.yaml',
      line: 9,
      column: 1,
      kind: 'Service',
      namespace: 'default',
      name: 's',
    });
    report.summary.infos = 1;
    const lines = formatFindingsText(report, bufferIO()).split('\n');
    // the long message does not push the short one's rule id out to column 200
    expect(lines).toContain(`    9:1  info     ${'x'.repeat(200)}  r`);
    expect(lines).toContain('    7:3  warning  selects no pod  service-selects-no-pod');
    // within 60 columns only the two shortest messages of a.yaml fit: their rule ids align, the third overflows
    const narrow = formatFindingsText(smallReport(), bufferIO(), { maxWidth: 60 }).split('\n');
    expect(narrow.slice(1, 5)).toEqual([
      '  1      error    not valid YAML  yaml-syntax',
      '  Pod default/p',
      '    3:5    error    container c: hostPort 80 is not offered  host-port-not-offered',
      '    12:11  warning  ignored key   node-selector-ignored',
    ]);
  });

  test('aligns by display width: a wide (CJK) name does not shift the rule ids', () => {
    const report: ValidationReport = {
      findings: [
        { rule: 'rule-a', severity: 'error', message: 'コンテナ名', file: 'x.yaml', line: 1, column: 1 },
        { rule: 'rule-b', severity: 'error', message: 'abcdefghij', file: 'x.yaml', line: 2, column: 1 },
      ],
      summary: { files: 1, resources: 1, skipped: 0, errors: 2, warnings: 0, infos: 0 },
    };
    const lines = formatFindingsText(report, bufferIO()).split('\n');
    expect(lines[1]).toBe('  1:1  error    コンテナ名  rule-a');
    expect(lines[2]).toBe('  2:1  error    abcdefghij  rule-b');
  });

  test('findings without a position get no position column; cluster findings are grouped by object after the files', () => {
    const report: ValidationReport = {
      findings: [
        { rule: 'orphan', severity: 'warning', message: 'container left behind', object: 'agent a2.example.com' },
        { rule: 'orphan', severity: 'warning', message: 'container left behind', object: 'agent a1.example.com' },
        { rule: 'yaml-syntax', severity: 'error', message: 'not YAML', file: 'z.yaml', line: 4, column: 2 },
        { rule: 'general', severity: 'info', message: 'no location at all' },
      ],
      summary: { files: 1, resources: 0, skipped: 0, errors: 1, warnings: 2, infos: 1 },
    };
    expect(formatFindingsText(report, bufferIO())).toBe(
      [
        'z.yaml',
        '  4:2  error    not YAML  yaml-syntax',
        '',
        'agent a1.example.com',
        '  warning  container left behind  orphan',
        '',
        'agent a2.example.com',
        '  warning  container left behind  orphan',
        '',
        '(no file)',
        '  info     no location at all  general',
        '',
        '1 error, 2 warnings, 1 info (0 resources in 1 file checked)',
        '',
      ].join('\n'),
    );
  });

  test('summary wording: singular and plural, skipped, no problems', () => {
    const one: ValidationReport = {
      findings: [{ rule: 'r', severity: 'error', message: 'm', file: 'f.yaml', line: 1, column: 1 }],
      summary: { files: 1, resources: 1, skipped: 1, errors: 1, warnings: 0, infos: 0 },
    };
    expect(formatFindingsText(one, bufferIO()).trimEnd().split('\n').pop()).toBe('1 error (1 resource in 1 file checked, 1 skipped)');
    expect(formatFindingsText(emptyReport(), bufferIO())).toBe('No problems (5 resources in 2 files checked)\n');
    const infosOnly = { ...emptyReport(), summary: { ...emptyReport().summary, infos: 3 } };
    expect(formatFindingsText(infosOnly, bufferIO())).toBe('No problems, 3 infos (5 resources in 2 files checked)\n');
  });

  test('a terminal gets the ✖/✔ marks; piped output is plain ASCII', () => {
    expect(formatFindingsText(emptyReport(), bufferIO({ tty: true }))).toBe('✔ No problems (5 resources in 2 files checked)\n');
    const tty = formatFindingsText(smallReport(), bufferIO({ tty: true }));
    expect(tty.trimEnd().split('\n').pop()).toBe('✖ 2 errors, 2 warnings (3 resources in 2 files checked)');
    const piped = formatFindingsText(sampleReport(), bufferIO());
    expect(piped).toMatch(/^[\x20-\x7e\n]*$/);
  });

  test('colours only when io.color: bold file, red error, yellow warning, cyan info, dim position and rule', () => {
    const plainTTY = formatFindingsText(sampleReport(), bufferIO({ tty: true, color: false }));
    expect(plainTTY).not.toContain(ESC);

    const coloured = formatFindingsText(sampleReport(), bufferIO({ tty: true, color: true }));
    expect(coloured).toContain(`${ESC}[1mdeploy/web.yaml${ESC}[22m`);
    expect(coloured).toContain(`${ESC}[31merror${ESC}[39m    `);
    expect(coloured).toContain(`${ESC}[33mwarning${ESC}[39m`);
    expect(coloured).toContain(`${ESC}[36minfo${ESC}[39m     `);
    expect(coloured).toContain(`${ESC}[2m21:23${ESC}[22m  `);
    expect(coloured).toContain(`${ESC}[2m52:9${ESC}[22m   `);
    expect(coloured).toContain(`${ESC}[2mhost-port-not-offered${ESC}[22m`);
    // red summary when there are errors
    expect(coloured).toMatch(new RegExp(`${ESC}\\[1m${ESC}\\[31m✖ 2 errors`));
    // the colour codes are the only difference
    expect(stripAnsi(coloured)).toBe(plainTTY);
  });

  test('summary colour: yellow for warnings, red for warnings under --strict, green when clean', () => {
    const warnings = { ...emptyReport(), summary: { ...emptyReport().summary, warnings: 2 } };
    const io = () => bufferIO({ tty: true, color: true });
    expect(formatFindingsText(warnings, io())).toContain(`${ESC}[33m✖ 2 warnings`);
    expect(formatFindingsText(warnings, io(), { strict: true })).toContain(`${ESC}[31m✖ 2 warnings`);
    expect(formatFindingsText(emptyReport(), io())).toContain(`${ESC}[32m✔ No problems`);
  });

  test('minSeverity hides findings below it but the summary still counts them', () => {
    const quiet = formatFindingsText(sampleReport(), bufferIO(), { minSeverity: 'warning' });
    expect(quiet).not.toContain('default-resources');
    expect(quiet).not.toContain('Pod default/sidecar');
    expect(quiet).toContain('node-selector-ignored');
    expect(quiet.trimEnd().split('\n').pop()).toBe('2 errors, 1 warning, 1 info (not shown) (4 resources in 3 files checked, 1 skipped)');
    const errorsOnly = formatFindingsText(sampleReport(), bufferIO(), { minSeverity: 'error' });
    expect(errorsOnly).not.toContain('node-selector-ignored');
    expect(errorsOnly).toContain('1 warning (not shown), 1 info (not shown)');
  });

  test('control characters and terminal escapes from a manifest are shown, never executed', () => {
    const report: ValidationReport = {
      findings: [
        {
          rule: 'r',
          severity: 'error',
          message: `bad name "x${ESC}[2J"\nsecond line`,
          file: `evil${ESC}]0;title\u0007.yaml`,
          line: 1,
          column: 1,
          kind: 'Pod',
          name: 'a\u202eb',
        },
      ],
      summary: { files: 1, resources: 1, skipped: 0, errors: 1, warnings: 0, infos: 0 },
    };
    const text = formatFindingsText(report, bufferIO({ tty: true }));
    expect(text).not.toContain(ESC);
    expect(text).not.toContain('\u202e');
    expect(text).toContain('evil\\x1b]0;title\\x07.yaml');
    expect(text).toContain('bad name "x\\x1b[2J"\\nsecond line');
    expect(text).toContain('Pod a\\u202eb');
    expect(text.split('\n')).toHaveLength(6); // file, object, finding, blank, summary, final newline
  });

  test('renderValidationReport writes the text to stdout and nothing to stderr', async () => {
    const io = bufferIO();
    await renderValidationReport(smallReport(), 'text', io, { rules: RULES, toolVersion: '1.0.0' });
    expect(io.stdout()).toBe(formatFindingsText(smallReport(), bufferIO()));
    expect(io.stderr()).toBe('');
  });
});

describe('the summary names the custom resources checked by their pod template (issue 12)', () => {
  test('one and several', () => {
    const base = { findings: [], summary: { files: 1, resources: 3, skipped: 0, errors: 0, warnings: 0, infos: 0 } };
    expect(formatFindingsText({ ...base, summary: { ...base.summary, customResources: 1 } }, bufferIO())).toBe(
      'No problems (3 resources in 1 file checked, 1 of them a custom resource checked by its pod template)\n',
    );
    expect(formatFindingsText({ ...base, summary: { ...base.summary, customResources: 2 } }, bufferIO())).toContain(
      '(3 resources in 1 file checked, 2 of them custom resources checked by their pod templates)',
    );
    expect(formatFindingsText({ ...base, summary: { ...base.summary, customResources: 0 } }, bufferIO())).toBe('No problems (3 resources in 1 file checked)\n');
  });
});
