import type { IOStreams } from '../../lib/io.js';
import type { RenderReportOptions, ValidationFormat, ValidationReport } from './validation-report.js';

/**
 * Formats a validation report as `format`. Each format's code (and its libraries: `yaml` for YAML)
 * is loaded only when asked for, so that `validate` starts fast.
 */
async function formatValidationReport(
  report: ValidationReport,
  format: ValidationFormat,
  io: IOStreams,
  opts: RenderReportOptions,
): Promise<string | Iterable<string>> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).formatFindingsText(report, io, opts);
    case 'json':
      return (await import('./json.js')).formatFindingsJSONParts(report);
    case 'yaml':
      return (await import('./yaml.js')).formatFindingsYAML(report);
    case 'sarif':
      return (await import('./sarif.js')).formatFindingsSarif(report, opts);
    case 'junit':
      return (await import('./junit.js')).formatFindingsJUnit(report, opts);
    default: {
      const never: never = format;
      throw new Error(`unknown output format ${String(never)}`);
    }
  }
}

/** Writes the report to `io.out` (`-o text|json|yaml|sarif|junit`): one write, or one per part of it. */
export async function renderValidationReport(report: ValidationReport, format: ValidationFormat, io: IOStreams, opts: RenderReportOptions): Promise<void> {
  const text = await formatValidationReport(report, format, io, opts);
  if (typeof text === 'string') io.out.write(text);
  else for (const part of text) io.out.write(part);
}
