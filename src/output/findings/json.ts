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
  const s = report.summary;
  return {
    findings: sortedFindings(report.findings, report.files).map(findingDocument),
    summary: {
      files: s.files,
      resources: s.resources,
      ...(s.customResources !== undefined ? { customResources: s.customResources } : {}),
      skipped: s.skipped,
      errors: s.errors,
      warnings: s.warnings,
      infos: s.infos,
    },
  };
}

export function formatFindingsJSON(report: ValidationReport): string {
  return JSON.stringify(reportDocument(report), null, 2) + '\n';
}
