import type { Finding } from '../../core/finding.js';
import { xmlAttr, xmlText } from '../xml.js';
import { containerPortNote, positionLabel, sortedFindings } from './finding-subject.js';
import type { RenderReportOptions, ValidationReport } from './validation-report.js';

/**
 * `-o junit`: JUnit XML for CI test-report views (GitLab, Jenkins, Azure DevOps, GitHub actions that
 * read JUnit). One `<testsuite>` per file, one `<testcase>` per resource (classname = the file,
 * name = kind/namespace/name), one `<failure>` per error finding (and per warning with `strict`);
 * the other findings go to the test case's `<system-out>`. Resources of kinds k8smctl does not
 * check are `<skipped/>`. Counts: `tests` test cases, `failures` test cases with at least one
 * failure, `errors` always 0 (k8smctl's own errors are not test results), `skipped` test cases.
 *
 * Clean resources appear only when the report lists them (`report.resources`).
 */
export type JUnitOptions = Pick<RenderReportOptions, 'strict'>;

interface TestCase {
  classname: string;
  name: string;
  findings: Finding[];
  /** Set for resources of a kind k8smctl does not check: the kind. */
  skippedKind?: string;
}

interface TestSuite {
  name: string;
  cases: TestCase[];
}

function resourceKey(kind: string | undefined, namespace: string | undefined, name: string | undefined): string {
  return `${kind ?? ''}\u0000${namespace ?? ''}\u0000${name ?? ''}`;
}

/** `Deployment/default/web`, `Namespace/prod`. */
function caseName(r: { kind?: string; namespace?: string; name?: string }): string {
  return [r.kind, r.namespace, r.name].filter((s) => s !== undefined && s !== '').join('/');
}

function buildSuites(report: ValidationReport): TestSuite[] {
  const suites = new Map<string, TestSuite & { byKey: Map<string, TestCase> }>();
  const suite = (name: string) => {
    let s = suites.get(name);
    if (!s) {
      s = { name, cases: [], byKey: new Map() };
      suites.set(name, s);
    }
    return s;
  };
  const testCase = (suiteName: string, key: string, name: string): TestCase => {
    const s = suite(suiteName);
    let c = s.byKey.get(key);
    if (!c) {
      c = { classname: suiteName, name, findings: [] };
      s.byKey.set(key, c);
      s.cases.push(c);
    }
    return c;
  };

  for (const file of report.files ?? []) suite(file);
  for (const r of report.resources ?? []) {
    const c = testCase(r.file, resourceKey(r.kind, r.namespace, r.name), caseName(r));
    if (r.skipped) c.skippedKind = r.kind;
  }
  // Files with findings but not listed in report.files come after the listed ones, sorted.
  const findings = sortedFindings(report.findings, report.files);
  for (const f of findings) {
    const suiteName = f.file ?? f.object ?? '(no file)';
    const named = f.kind !== undefined || f.name !== undefined;
    const c = named
      ? testCase(suiteName, resourceKey(f.kind, f.namespace, f.name), caseName(f))
      : testCase(suiteName, '\u0000file', suiteName);
    c.findings.push(f);
  }
  return [...suites.values()];
}

function isFailure(f: Finding, strict: boolean): boolean {
  return f.severity === 'error' || (strict && f.severity === 'warning');
}

function findingText(f: Finding): string {
  const note = containerPortNote(f);
  return note ? `${note}: ${f.message}` : f.message;
}

function findingLine(f: Finding): string {
  const where = [f.file ?? f.object, positionLabel(f)].filter(Boolean).join(':');
  return `${where ? `${where}: ` : ''}${f.severity} ${f.rule}: ${findingText(f)}`;
}

interface Counts {
  tests: number;
  failures: number;
  skipped: number;
}

function countsAttrs(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}"`;
}

export function formatFindingsJUnit(report: ValidationReport, opts: JUnitOptions = {}): string {
  const strict = Boolean(opts.strict);
  const total: Counts = { tests: 0, failures: 0, skipped: 0 };
  const body: string[] = [];
  for (const s of buildSuites(report)) {
    const counts: Counts = { tests: s.cases.length, failures: 0, skipped: 0 };
    const cases: string[] = [];
    for (const c of s.cases) {
      const failures = c.findings.filter((f) => isFailure(f, strict));
      const others = c.findings.filter((f) => !isFailure(f, strict));
      const skipped = c.skippedKind !== undefined && failures.length === 0;
      if (failures.length) counts.failures++;
      if (skipped) counts.skipped++;
      const open = `    <testcase classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}"`;
      const inner: string[] = [];
      if (skipped) inner.push(`      <skipped message="${xmlAttr(`kind ${c.skippedKind} is not checked by k8smctl`)}"/>`);
      for (const f of failures) {
        inner.push(`      <failure message="${xmlAttr(findingText(f))}" type="${xmlAttr(f.rule)}">${xmlText(findingLine(f))}</failure>`);
      }
      if (others.length) inner.push(`      <system-out>${xmlText(others.map(findingLine).join('\n'))}</system-out>`);
      cases.push(inner.length ? `${open}>\n${inner.join('\n')}\n    </testcase>` : `${open}/>`);
    }
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.skipped += counts.skipped;
    const open = `  <testsuite name="${xmlAttr(s.name)}" ${countsAttrs(counts)}`;
    body.push(cases.length ? `${open}>\n${cases.join('\n')}\n  </testsuite>` : `${open}/>`);
  }
  const head = `<testsuites name="k8smctl validate" ${countsAttrs(total)}`;
  const root = body.length ? `${head}>\n${body.join('\n')}\n</testsuites>` : `${head}/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}
