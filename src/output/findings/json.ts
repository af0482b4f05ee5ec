import type { Finding, Severity } from '../../core/finding.js';
import { isClusterFinding, sortedFindings } from './finding-subject.js';
import type { ValidationReport, ValidationSummary } from './validation-report.js';

/**
 * The documented machine-readable shape of `-o json` and `-o yaml`. Keys in this order; keys whose
 * value is absent are left out; the loader's internal fields (`path`, `docIndex`) never appear, and
 * `object` only for findings about a cluster object (they have no file).
 */
export interface FindingDocument {
  rule: string;
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  kind?: string;
  namespace?: string;
  name?: string;
  container?: string;
  port?: number;
  object?: string;
}

export interface ReportDocument {
  findings: FindingDocument[];
  summary: ValidationSummary;
}

const FINDING_KEYS = ['rule', 'severity', 'message', 'file', 'line', 'column', 'kind', 'namespace', 'name', 'container', 'port'] as const;

function findingDocument(f: Finding): FindingDocument {
  const doc: Record<string, unknown> = {};
  for (const key of FINDING_KEYS) {
    if (f[key] !== undefined) doc[key] = f[key];
  }
  if (isClusterFinding(f)) doc.object = f.object;
  return doc as unknown as FindingDocument;
}

/** The report as `-o json|yaml` print it; findings in the order every format uses (`sortedFindings`). */
export function reportDocument(report: ValidationReport): ReportDocument {
  return {
    findings: sortedFindings(report.findings, report.files).map(findingDocument),
    summary: summaryDocument(report.summary),
  };
}

function summaryDocument(s: ValidationSummary): ValidationSummary {
  return {
    files: s.files,
    resources: s.resources,
    ...(s.customResources !== undefined ? { customResources: s.customResources } : {}),
    skipped: s.skipped,
    errors: s.errors,
    warnings: s.warnings,
    infos: s.infos,
  };
}

const SUMMARY_KEYS = ['files', 'resources', 'customResources', 'skipped', 'errors', 'warnings', 'infos'] as const;

/**
 * Every key `-o json` prints, each object's in its order. Given this list, JSON.stringify prints of
 * each object only the keys listed, in the list's order, leaving out those whose value is undefined:
 * for a finding, what `findingDocument` copies (not the loader's `path` and `docIndex`), without the
 * copy (a large report has 20,000 findings, and stringifying the copies took 2-3x as long).
 */
const JSON_KEYS: string[] = ['findings', 'summary', ...FINDING_KEYS, 'object', ...SUMMARY_KEYS];

/**
 * Whether the key list prints this finding as `findingDocument` would: every printed value a string
 * or a number (the list would apply to the keys of an object too), `object` only on a finding about
 * a cluster object, and none of the report's other keys on it.
 */
function printsAsDocument(f: Finding): boolean {
  for (let k = 0; k < FINDING_KEYS.length; k++) {
    const v = f[FINDING_KEYS[k]!];
    if (v !== undefined && typeof v !== 'string' && typeof v !== 'number') return false;
  }
  if (f.object !== undefined && (typeof f.object !== 'string' || !isClusterFinding(f))) return false;
  const other = f as unknown as Record<string, unknown>;
  if (other.findings !== undefined || other.summary !== undefined) return false;
  for (const key of SUMMARY_KEYS) if (other[key] !== undefined) return false;
  return true;
}

export function formatFindingsJSON(report: ValidationReport): string {
  return [...formatFindingsJSONParts(report)].join('');
}

/** Findings stringified at a time by `formatFindingsJSONParts` (about 700 KB of JSON). */
const FINDINGS_A_PART = 1000;
const PART_HEAD = '{\n  "findings": [\n';
const PART_TAIL = '\n  ]\n}';

/**
 * The JSON report in parts, made as they are written: the findings a thousand at a time (each
 * stringified inside a `{"findings": [...]}` of its own, which indents them as the whole report
 * does, and cut out of it), then the summary, then the final newline. A large tree's report was one
 * string of 14 MB, fresh memory written once and read once (3,500 pages to fault in on the flow
 * corpus); a part at a time, the memory is the same few pieces, reused.
 */
export function* formatFindingsJSONParts(report: ValidationReport): Generator<string, void, undefined> {
  const findings = sortedFindings(report.findings, report.files);
  const summary = summaryDocument(report.summary);
  // Given the key list, JSON.stringify prints what findingDocument would copy, without the copies.
  const fast = findings.every(printsAsDocument);
  const keys = fast ? JSON_KEYS : null;
  const docs: ReadonlyArray<unknown> = fast ? findings : findings.map(findingDocument);
  if (docs.length <= FINDINGS_A_PART) {
    yield JSON.stringify({ findings: docs, summary }, keys, 2);
    yield '\n';
    return;
  }
  for (let i = 0; i < docs.length; i += FINDINGS_A_PART) {
    const part = JSON.stringify({ findings: docs.slice(i, i + FINDINGS_A_PART) }, keys, 2);
    const items = part.slice(PART_HEAD.length, part.length - PART_TAIL.length);
    // Each part long (the writer sends a short text through the stream, which it then creates: on a
    // pipe that made the next long parts wait for the reader instead of going straight out).
    yield i === 0 ? PART_HEAD + items : `,\n${items}`;
  }
  yield `\n  ],\n  "summary": ${JSON.stringify(summary, keys, 2).replace(/\n/g, '\n  ')}\n}`;
  yield '\n';
}
