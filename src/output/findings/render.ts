import type { IOStreams } from '../../lib/io.js';
import type { RenderReportOptions, ValidationFormat, ValidationReport } from './validation-report.js';

/**
 * Formats a validation report as `format`. Each format's code (and its libraries: `yaml` for YAML)
 * is loaded only when asked for, so that `validate` starts fast.
 */
async function formatValidationReport(report: ValidationReport, format: ValidationFormat, io: IOStreams, opts: RenderReportOptions): Promise<string> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).formatFindingsText(report, io, opts);
    case 'json':
      return (await import('./json.js')).formatFindingsJSON(report);
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

/** Writes the report to `io.out` in one write (`-o text|json|yaml|sarif|junit`). */
export async function renderValidationReport(report: ValidationReport, format: ValidationFormat, io: IOStreams, opts: RenderReportOptions): Promise<void> {
  io.out.write(await formatValidationReport(report, format, io, opts));
}
