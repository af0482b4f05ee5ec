import type { Finding } from '../../core/finding.js';
import { xmlAttr, xmlText } from '../xml.js';
import { containerPortNote, positionLabel, sortedFindings } from './finding-subject.js';
import type { RenderReportOptions, ValidationReport } from './validation-report.js';

/**
 * `-o junit`: JUnit XML for CI test-report views (GitLab, Jenkins, Azure DevOps, GitHub actions that
 * read JUnit). One `<testsuite>` per file; in it, each resource (document object) is a test case
 * (classname = the file, name = kind/namespace/name, with `(document N)` when one file holds
 * same-named objects: they are never merged). A resource with failing findings (errors, and
 * warnings with `strict`) has one test case per failing finding, each with exactly one `<failure>`,
 * so that `failures` equals the error count of `-o json`'s summary (errors + warnings with
 * `strict`). Other findings go to a test case's `<system-out>`. Resources of kinds k8smctl does not
 * check are `<skipped/>` (`skipped` equals the summary's). Findings about a file itself (syntax,
 * unreadable) are test cases named after the file. `errors` is always 0 (k8smctl's own errors are
 * not test results).
 *
 * Clean resources appear only when the report lists them (`report.resources`).
 */
export type JUnitOptions = Pick<RenderReportOptions, 'strict'>;

/** One resource, or a file's own findings: what the findings of one test case (or several) are about. */
interface Subject {
  /** kind/namespace/name, or the file name for a file's own findings. */
  name: string;
  docIndex?: number;
  findings: Finding[];
  /** Set for resources of a kind k8smctl does not check: the kind. */
  skippedKind?: string;
}

interface TestCase {
  classname: string;
  name: string;
  failure?: Finding;
  others: Finding[];
  skippedKind?: string;
}

interface TestSuite {
  name: string;
  subjects: Subject[];
}

function subjectKey(docIndex: number | undefined, kind: string | undefined, namespace: string | undefined, name: string | undefined): string {
  return `${docIndex ?? ''}\u0000${kind ?? ''}\u0000${namespace ?? ''}\u0000${name ?? ''}`;
}

/** `Deployment/default/web`, `Namespace/prod`. */
function caseName(r: { kind?: string; namespace?: string; name?: string }): string {
  return [r.kind, r.namespace, r.name].filter((s) => s !== undefined && s !== '').join('/');
}

function buildSuites(report: ValidationReport): TestSuite[] {
  const suites = new Map<string, TestSuite & { byKey: Map<string, Subject> }>();
  const suite = (name: string) => {
    let s = suites.get(name);
    if (!s) {
      s = { name, subjects: [], byKey: new Map() };
      suites.set(name, s);
    }
    return s;
  };
  const subject = (suiteName: string, key: string, name: string, docIndex: number | undefined): Subject => {
    const s = suite(suiteName);
    let c = s.byKey.get(key);
    if (!c) {
      c = { name, findings: [], ...(docIndex !== undefined ? { docIndex } : {}) };
      s.byKey.set(key, c);
      s.subjects.push(c);
    }
    return c;
  };

  for (const file of report.files ?? []) suite(file);
  for (const r of report.resources ?? []) {
    const c = subject(r.file, subjectKey(r.docIndex, r.kind, r.namespace, r.name), caseName(r), r.docIndex);
    if (r.skipped) c.skippedKind = r.kind;
  }
  // Files with findings but not listed in report.files come after the listed ones, sorted.
  for (const f of sortedFindings(report.findings, report.files)) {
    const suiteName = f.file ?? f.object ?? '(no file)';
    const named = f.kind !== undefined || f.name !== undefined;
    let c: Subject;
    if (!named) c = subject(suiteName, '\u0000file', suiteName, undefined);
    else {
      // The resource of the same document; a resource listed without a document index, or a finding
      // without one (about a cluster object), goes by name.
      const s = suite(suiteName);
      const byName = (docIndex: number | undefined) => s.byKey.get(subjectKey(docIndex, f.kind, f.namespace, f.name));
      const named = s.subjects.filter((x) => x.name === caseName(f));
      c =
        byName(f.docIndex) ??
        byName(undefined) ??
        (f.docIndex === undefined && named.length === 1 ? named[0] : undefined) ??
        subject(suiteName, subjectKey(f.docIndex, f.kind, f.namespace, f.name), caseName(f), f.docIndex);
    }
    c.findings.push(f);
  }
  return [...suites.values()];
}

/** The test cases of a suite: one per failing finding of a subject, else one per subject; names told apart. */
function testCases(s: TestSuite, strict: boolean): TestCase[] {
  const docsByName = new Map<string, Set<number | undefined>>();
  for (const sub of s.subjects) {
    const docs = docsByName.get(sub.name) ?? new Set();
    docs.add(sub.docIndex);
    docsByName.set(sub.name, docs);
  }
  const cases: TestCase[] = [];
  for (const sub of s.subjects) {
    const sameName = (docsByName.get(sub.name)?.size ?? 0) > 1;
    const base = sameName && sub.docIndex !== undefined ? `${sub.name} (document ${sub.docIndex + 1})` : sub.name;
    const failures = sub.findings.filter((f) => isFailure(f, strict));
    const others = sub.findings.filter((f) => !isFailure(f, strict));
    if (failures.length === 0) {
      cases.push({ classname: s.name, name: base, others, ...(sub.skippedKind !== undefined ? { skippedKind: sub.skippedKind } : {}) });
      continue;
    }
    failures.forEach((f, i) => {
      const where = f.line !== undefined ? `, line ${f.line}` : '';
      const name = failures.length > 1 ? `${base} [${f.rule}${where}]` : base;
      cases.push({ classname: s.name, name, failure: f, others: i === 0 ? others : [] });
    });
  }
  return cases;
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
    const list = testCases(s, strict);
    const counts: Counts = { tests: list.length, failures: 0, skipped: 0 };
    const cases: string[] = [];
    for (const c of list) {
      const skipped = c.skippedKind !== undefined;
      if (c.failure) counts.failures++;
      if (skipped) counts.skipped++;
      const open = `    <testcase classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}"`;
      const inner: string[] = [];
      if (skipped) inner.push(`      <skipped message="${xmlAttr(`kind ${c.skippedKind} is not checked by k8smctl`)}"/>`);
      if (c.failure) {
        const f = c.failure;
        inner.push(`      <failure message="${xmlAttr(findingText(f))}" type="${xmlAttr(f.rule)}">${xmlText(findingLine(f))}</failure>`);
      }
      if (c.others.length) inner.push(`      <system-out>${xmlText(c.others.map(findingLine).join('\n'))}</system-out>`);
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
