import { toYAML } from '../yaml.js';
import { reportDocument } from './json.js';
import type { ValidationReport } from './validation-report.js';

/** `-o yaml`: the same document as `-o json`, as YAML. */
export function formatFindingsYAML(report: ValidationReport): string {
  return toYAML(reportDocument(report));
}
