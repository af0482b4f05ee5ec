import { SEVERITY_ORDER, type Finding, type Severity } from '../../core/finding.js';
import type { IOStreams } from '../../lib/io.js';
import { countOf, displayWidth, maxOf, padEndWidth, sanitize } from '../text.js';
import { containerPortNote, groupFindings, objectLabel, positionLabel, type FindingGroup } from './finding-subject.js';
import type { RenderReportOptions, ValidationReport, ValidationSummary } from './validation-report.js';

/**
 * `-o text`: findings grouped by file, then by object, one aligned line each; then a summary line.
 *
 *     deploy/web.yaml
 *       Deployment default/web
 *         21:23  error    hostPort 8080 is outside every offered port range ...  host-port-not-offered
 *         30:11  warning  nodeSelector key disktype is ignored by k8sm ...         node-selector-ignored
 *
 *     ✖ 1 error, 1 warning (3 resources in 2 files checked, 1 skipped)
 *
 * Colours (bold file names, red errors, yellow warnings, cyan infos, dim positions and rule ids) only
 * when `io.color`; the ✖/✔ mark only when stdout is a terminal, so piped output is plain ASCII
 * (apart from what the manifests themselves contain). Every string from a manifest is sanitized.
 */
export type TextOptions = Pick<RenderReportOptions, 'minSeverity' | 'strict' | 'maxWidth'>;

type Paint = (s: string) => string;

interface Palette {
  file: Paint;
  position: Paint;
  rule: Paint;
  severity: Record<Severity, Paint>;
  fail: Paint;
  warn: Paint;
  pass: Paint;
}

const plain: Paint = (s) => s;

function palette(io: IOStreams): Palette {
  if (!io.color) {
    return { file: plain, position: plain, rule: plain, severity: { error: plain, warning: plain, info: plain }, fail: plain, warn: plain, pass: plain };
  }
  const c = io.chalk;
  return {
    file: (s) => c.bold(s),
    position: (s) => c.dim(s),
    rule: (s) => c.dim(s),
    severity: { error: (s) => c.red(s), warning: (s) => c.yellow(s), info: (s) => c.cyan(s) },
    fail: (s) => c.bold.red(s),
    warn: (s) => c.bold.yellow(s),
    pass: (s) => c.bold.green(s),
  };
}

const SEVERITY_WIDTH = 'warning'.length;
const GAP = '  ';
const DEFAULT_MAX_WIDTH = 120;

interface Line {
  indent: string;
  finding?: Finding;
  /** Header text (already sanitized) when this is not a finding line. */
  header?: string;
  message?: string;
}

/** The lines of one group: header, file-level findings, then one block per object. */
function groupLines(group: FindingGroup): Line[] {
  const lines: Line[] = [];
  lines.push({ indent: '', header: group.type === 'none' ? '(no file)' : sanitize(group.key) });
  const blocks = new Map<string, Finding[]>();
  const unlabelled: Finding[] = [];
  for (const f of group.findings) {
    const label = objectLabel(f);
    if (label === undefined) {
      unlabelled.push(f);
      continue;
    }
    const block = blocks.get(label);
    if (block) block.push(f);
    else blocks.set(label, [f]);
  }
  const findingLine = (f: Finding, indent: string): Line => {
    const note = containerPortNote(f);
    return { indent, finding: f, message: sanitize(note ? `${note}: ${f.message}` : f.message) };
  };
  for (const f of unlabelled) lines.push(findingLine(f, '  '));
  for (const [label, findings] of blocks) {
    lines.push({ indent: '  ', header: sanitize(label) });
    for (const f of findings) lines.push(findingLine(f, '    '));
  }
  return lines;
}

function renderGroup(group: FindingGroup, p: Palette, maxWidth: number): string {
  const lines = groupLines(group);
  const findingLines = lines.filter((l) => l.finding);
  const posWidth = maxOf(findingLines.map((l) => positionLabel(l.finding!).length));
  const posColumn = posWidth > 0 ? posWidth + GAP.length : 0;
  const prefixWidth = (l: Line) => l.indent.length + posColumn + SEVERITY_WIDTH + GAP.length;
  // Rule ids line up after the longest message that still fits in maxWidth; longer messages
  // overflow and their rule id follows two spaces after them.
  const ruleWidth = maxOf(findingLines.map((l) => displayWidth(sanitize(l.finding!.rule))));
  const fitting = findingLines.map((l) => prefixWidth(l) + displayWidth(l.message!)).filter((end) => end + GAP.length + ruleWidth <= maxWidth);
  const ruleColumn = maxOf(fitting);

  const out: string[] = [];
  lines.forEach((l, i) => {
    if (!l.finding) {
      out.push(i === 0 ? p.file(l.header!) : l.indent + l.header!);
      return;
    }
    const f = l.finding;
    // colour the text, not the padding after it
    const position = positionLabel(f);
    const pos = posColumn ? p.position(position) + ' '.repeat(posWidth - position.length) + GAP : '';
    const sev = p.severity[f.severity](f.severity) + ' '.repeat(SEVERITY_WIDTH - f.severity.length) + GAP;
    const start = prefixWidth(l);
    const message = start + displayWidth(l.message!) < ruleColumn ? padEndWidth(l.message!, ruleColumn - start) : l.message!;
    out.push(l.indent + pos + sev + message + GAP + p.rule(sanitize(f.rule)));
  });
  return out.join('\n') + '\n';
}

/** `✖ 3 errors, 1 warning, 2 infos (12 resources in 4 files checked, 2 skipped)`. */
function summaryLine(
  summary: ValidationSummary,
  opts: { strict?: boolean; hiddenInfos: number; hiddenWarnings: number; symbols: boolean },
  p: Palette,
): string {
  const hidden = (n: number) => (n > 0 ? ' (not shown)' : '');
  const counts: string[] = [];
  if (summary.errors) counts.push(countOf(summary.errors, 'error'));
  if (summary.warnings) counts.push(countOf(summary.warnings, 'warning') + hidden(opts.hiddenWarnings));
  const problems = counts.length > 0;
  if (!problems) counts.push('No problems');
  if (summary.infos) counts.push(countOf(summary.infos, 'info') + hidden(opts.hiddenInfos));
  let scope = `${countOf(summary.resources, 'resource')} in ${countOf(summary.files, 'file')} checked`;
  const custom = summary.customResources ?? 0;
  if (custom > 0)
    scope += custom === 1 ? ', 1 of them a custom resource checked by its pod template' : `, ${custom} of them custom resources checked by their pod templates`;
  if (summary.skipped) scope += `, ${summary.skipped} skipped`;
  const failing = summary.errors > 0 || (Boolean(opts.strict) && summary.warnings > 0);
  const paint = failing ? p.fail : problems ? p.warn : p.pass;
  const mark = opts.symbols ? (problems ? '✖ ' : '✔ ') : '';
  return `${paint(mark + counts.join(', '))} (${scope})`;
}

export function formatFindingsText(report: ValidationReport, io: IOStreams, opts: TextOptions = {}): string {
  const p = palette(io);
  const min = SEVERITY_ORDER[opts.minSeverity ?? 'info'];
  const shown = report.findings.filter((f) => SEVERITY_ORDER[f.severity] <= min);
  const hiddenOf = (s: Severity) => report.findings.filter((f) => f.severity === s).length - shown.filter((f) => f.severity === s).length;
  const blocks = groupFindings(shown, report.files).map((g) => renderGroup(g, p, opts.maxWidth ?? DEFAULT_MAX_WIDTH));
  const summary = summaryLine(
    report.summary,
    { strict: opts.strict, hiddenInfos: hiddenOf('info'), hiddenWarnings: hiddenOf('warning'), symbols: io.outIsTTY },
    p,
  );
  return [...blocks, summary + '\n'].join('\n');
}
