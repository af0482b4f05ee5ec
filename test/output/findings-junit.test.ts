import { bufferIO } from '../../src/lib/io.js';
import { formatFindingsJUnit } from '../../src/output/findings/junit.js';
import { renderValidationReport } from '../../src/output/findings/render.js';
import type { ValidationReport } from '../../src/output/findings/validation-report.js';
import { xmlAttr, xmlText } from '../../src/output/xml.js';
import { RULES, emptyReport, sampleReport } from './fixtures.js';
import { childrenNamed, parseXml, type XmlElement } from './xml-tree.js';

function counts(el: XmlElement): Record<string, string | undefined> {
  const { tests, failures, errors, skipped } = el.attrs;
  return { tests, failures, errors, skipped };
}

/** The counts a test case list really has. */
function actualCounts(cases: XmlElement[]): Record<string, string> {
  return {
    tests: String(cases.length),
    failures: String(cases.filter((c) => childrenNamed(c, 'failure').length > 0).length),
    errors: '0',
    skipped: String(cases.filter((c) => childrenNamed(c, 'skipped').length > 0).length),
  };
}

function expectConsistentCounts(root: XmlElement): void {
  const suites = childrenNamed(root, 'testsuite');
  for (const s of suites) expect(counts(s)).toEqual(actualCounts(childrenNamed(s, 'testcase')));
  expect(counts(root)).toEqual(actualCounts(suites.flatMap((s) => childrenNamed(s, 'testcase'))));
}

describe('-o junit', () => {
  test('well-formed XML 1.0 with a UTF-8 declaration', () => {
    const xml = formatFindingsJUnit(sampleReport());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(xml.endsWith('</testsuites>\n')).toBe(true);
    const { root, declaration } = parseXml(xml);
    expect(declaration).toEqual({ version: '1.0', encoding: 'UTF-8' });
    expect(root.name).toBe('testsuites');
  });

  test('the well-formedness check itself rejects raw control characters and bad nesting', () => {
    expect(() => parseXml('<?xml version="1.0"?>\n<a>\u001b</a>')).toThrow();
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a x="1 & 2"/>')).toThrow();
  });

  test('one suite per file in reading order, one case per resource, one failure per error', () => {
    const { root } = parseXml(formatFindingsJUnit(sampleReport()));
    const suites = childrenNamed(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['deploy/web.yaml', 'deploy/clean.yaml', '<stdin>']);
    const [web, clean, stdin] = suites;
    expect(childrenNamed(web!, 'testcase').map((c) => [c.attrs.classname, c.attrs.name])).toEqual([
      ['deploy/web.yaml', 'Deployment/default/web'],
      ['deploy/web.yaml', 'Pod/default/sidecar'],
    ]);
    const deployment = childrenNamed(web!, 'testcase')[0]!;
    const failures = childrenNamed(deployment, 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.attrs.type).toBe('host-port-not-offered');
    expect(failures[0]!.attrs.message).toMatch(/^container nginx: hostPort 8080 is outside/);
    expect(failures[0]!.text).toMatch(/^deploy\/web\.yaml:21:23: error host-port-not-offered: container nginx: hostPort 8080/);
    // the warning is not a failure without --strict: it is reported in system-out
    expect(childrenNamed(deployment, 'system-out')[0]!.text).toBe(
      'deploy/web.yaml:30:11: warning node-selector-ignored: nodeSelector key disktype is ignored by k8sm; use k8s.mesosphere.io/attribute-disktype',
    );
    // infos too
    expect(childrenNamed(childrenNamed(web!, 'testcase')[1]!, 'system-out')[0]!.text).toContain('info default-resources');
    // clean and skipped resources are listed
    expect(childrenNamed(clean!, 'testcase').map((c) => [c.attrs.name, c.children.map((x) => x.name)])).toEqual([
      ['Deployment/default/api', []],
      ['ConfigMap/default/api-config', ['skipped']],
    ]);
    expect(childrenNamed(childrenNamed(clean!, 'testcase')[1]!, 'skipped')[0]!.attrs.message).toBe('kind ConfigMap is not checked by k8smctl');
    expect(childrenNamed(stdin!, 'testcase')[0]!.attrs.name).toBe('Pod/kube-system/dup');
    expect(counts(root)).toEqual({ tests: '5', failures: '2', errors: '0', skipped: '1' });
    expectConsistentCounts(root);
  });

  test('several errors on one resource: one test case per error, each with exactly one failure (issue 12)', () => {
    const report: ValidationReport = {
      findings: [
        { rule: 'a', severity: 'error', message: 'first', file: 'p.yaml', line: 1, column: 1, kind: 'Pod', name: 'p', docIndex: 0 },
        { rule: 'b', severity: 'error', message: 'second', file: 'p.yaml', line: 2, column: 1, kind: 'Pod', name: 'p', docIndex: 0 },
        { rule: 'c', severity: 'info', message: 'note', file: 'p.yaml', line: 3, column: 1, kind: 'Pod', name: 'p', docIndex: 0 },
      ],
      summary: { files: 1, resources: 1, skipped: 0, errors: 2, warnings: 0, infos: 1 },
      resources: [{ file: 'p.yaml', docIndex: 0, kind: 'Pod', name: 'p' }],
    };
    const { root } = parseXml(formatFindingsJUnit(report));
    const cases = childrenNamed(childrenNamed(root, 'testsuite')[0]!, 'testcase');
    expect(cases.map((c) => [c.attrs.name, childrenNamed(c, 'failure').map((f) => f.attrs.type)])).toEqual([
      ['Pod/p [a, line 1]', ['a']],
      ['Pod/p [b, line 2]', ['b']],
    ]);
    expect(childrenNamed(cases[0]!, 'system-out')[0]!.text).toBe('p.yaml:3:1: info c: note');
    expect(counts(root)).toEqual({ tests: '2', failures: String(report.summary.errors), errors: '0', skipped: '0' });
    expectConsistentCounts(root);
  });

  test('same-named objects in one file are separate test cases, told apart by their document (issue 12)', () => {
    const report: ValidationReport = {
      findings: [
        {
          rule: 'a',
          severity: 'error',
          message: 'bad',
          file: 'twice.yaml',
          line: 9,
          column: 3,
          kind: 'Deployment',
          namespace: 'default',
          name: 'web',
          docIndex: 1,
        },
      ],
      summary: { files: 1, resources: 2, skipped: 1, errors: 1, warnings: 0, infos: 0 },
      resources: [
        { file: 'twice.yaml', docIndex: 0, kind: 'Deployment', namespace: 'default', name: 'web' },
        { file: 'twice.yaml', docIndex: 1, kind: 'Deployment', namespace: 'default', name: 'web' },
        { file: 'twice.yaml', docIndex: 2, kind: 'ConfigMap', namespace: 'default', name: 'web', skipped: true },
      ],
    };
    const { root } = parseXml(formatFindingsJUnit(report));
    const cases = childrenNamed(childrenNamed(root, 'testsuite')[0]!, 'testcase');
    expect(cases.map((c) => [c.attrs.name, c.children.map((x) => x.name)])).toEqual([
      ['Deployment/default/web (document 1)', []],
      ['Deployment/default/web (document 2)', ['failure']],
      ['ConfigMap/default/web', ['skipped']],
    ]);
    expect(counts(root)).toEqual({ tests: '3', failures: '1', errors: '0', skipped: '1' });
  });

  test('strict: warnings are failures too', () => {
    const { root } = parseXml(formatFindingsJUnit(sampleReport(), { strict: true }));
    const cases = childrenNamed(childrenNamed(root, 'testsuite')[0]!, 'testcase');
    // one failing test case per failing finding: the error and the warning
    expect(cases.slice(0, 2).map((c) => [c.attrs.name, childrenNamed(c, 'failure').map((f) => f.attrs.type)])).toEqual([
      ['Deployment/default/web [host-port-not-offered, line 21]', ['host-port-not-offered']],
      ['Deployment/default/web [node-selector-ignored, line 30]', ['node-selector-ignored']],
    ]);
    expect(childrenNamed(cases[0]!, 'system-out')).toHaveLength(0);
    expectConsistentCounts(root);
  });

  test('strict turns a warning-only resource into a failed test case', () => {
    const report: ValidationReport = {
      findings: [{ rule: 'w', severity: 'warning', message: 'careful', file: 'p.yaml', line: 1, column: 1, kind: 'Pod', name: 'p' }],
      summary: { files: 1, resources: 1, skipped: 0, errors: 0, warnings: 1, infos: 0 },
    };
    expect(counts(parseXml(formatFindingsJUnit(report)).root).failures).toBe('0');
    expect(counts(parseXml(formatFindingsJUnit(report, { strict: true })).root).failures).toBe('1');
  });

  test('everything is escaped: markup, quotes, newlines in attributes, control characters, lone surrogates', () => {
    const nasty = `<b>&"quoted"</b> 'x'\ttab\nline2 \u0000nul \u001b[31mred \ud800 \uffff end`;
    const report: ValidationReport = {
      findings: [{ rule: 'r<&>', severity: 'error', message: nasty, file: 'we"ird<&>.yaml', line: 1, column: 1, kind: 'Pod', namespace: 'n&s', name: "p'q" }],
      summary: { files: 1, resources: 1, skipped: 0, errors: 1, warnings: 0, infos: 0 },
    };
    const xml = formatFindingsJUnit(report);
    // eslint-disable-next-line no-control-regex -- no control character may reach the XML
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const { root } = parseXml(xml);
    const suite = childrenNamed(root, 'testsuite')[0]!;
    expect(suite.attrs.name).toBe('we"ird<&>.yaml');
    const c = childrenNamed(suite, 'testcase')[0]!;
    expect(c.attrs.name).toBe("Pod/n&s/p'q");
    const failure = childrenNamed(c, 'failure')[0]!;
    const visible = `<b>&"quoted"</b> 'x'\ttab\nline2 \\x00nul \\x1b[31mred \\ud800 \\uffff end`;
    // attribute newlines and tabs survive (as character references)
    expect(failure.attrs.message).toBe(visible);
    expect(failure.attrs.type).toBe('r<&>');
    expect(failure.text).toBe(`we"ird<&>.yaml:1:1: error r<&>: ${visible}`);
  });

  test('xmlText and xmlAttr', () => {
    expect(xmlText('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; "d"');
    expect(xmlAttr(`"it's"\n`)).toBe('&quot;it&apos;s&quot;&#10;');
    expect(xmlText('\r\n')).toBe('&#13;\n');
    expect(xmlText('emoji 🚀 stays')).toBe('emoji 🚀 stays');
    expect(xmlText('\u0007\ufffe')).toBe('\\x07\\ufffe');
  });

  test('findings about cluster objects get a suite named after the object', () => {
    const report: ValidationReport = {
      findings: [{ rule: 'orphan', severity: 'error', message: 'left behind', object: 'agent a1', kind: 'Pod', namespace: 'default', name: 'web' }],
      summary: { files: 0, resources: 0, skipped: 0, errors: 1, warnings: 0, infos: 0 },
    };
    const { root } = parseXml(formatFindingsJUnit(report));
    const suite = childrenNamed(root, 'testsuite')[0]!;
    expect(suite.attrs.name).toBe('agent a1');
    expect(childrenNamed(suite, 'testcase')[0]!.attrs).toEqual({ classname: 'agent a1', name: 'Pod/default/web' });
    expect(childrenNamed(childrenNamed(suite, 'testcase')[0]!, 'failure')[0]!.text).toBe('agent a1: error orphan: left behind');
  });

  test('a file-level finding (no resource) is a test case named after the file', () => {
    const report: ValidationReport = {
      findings: [{ rule: 'yaml-syntax', severity: 'error', message: 'not YAML', file: 'broken.yaml', line: 3, column: 7 }],
      summary: { files: 1, resources: 0, skipped: 0, errors: 1, warnings: 0, infos: 0 },
    };
    const { root } = parseXml(formatFindingsJUnit(report));
    const c = childrenNamed(childrenNamed(root, 'testsuite')[0]!, 'testcase')[0]!;
    expect(c.attrs).toEqual({ classname: 'broken.yaml', name: 'broken.yaml' });
    expect(counts(root)).toEqual({ tests: '1', failures: '1', errors: '0', skipped: '0' });
  });

  test('nothing read: an empty, well-formed report; listed clean files get empty suites', () => {
    expect(formatFindingsJUnit(emptyReport())).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="k8smctl validate" tests="0" failures="0" errors="0" skipped="0"/>\n',
    );
    const { root } = parseXml(formatFindingsJUnit({ ...emptyReport(), files: ['empty.yaml'] }));
    expect(childrenNamed(root, 'testsuite').map((s) => [s.attrs.name, s.attrs.tests])).toEqual([['empty.yaml', '0']]);
  });

  test('renderValidationReport passes --strict through', async () => {
    const io = bufferIO();
    await renderValidationReport(sampleReport(), 'junit', io, { rules: RULES, toolVersion: '1', strict: true });
    expect(io.stdout()).toBe(formatFindingsJUnit(sampleReport(), { strict: true }));
  });
});
