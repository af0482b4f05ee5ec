import { posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../../core/finding.js';
import { isStdin, messageWithSubject, sortedFindings } from './finding-subject.js';
import type { RenderReportOptions, RuleInfo, ValidationReport } from './validation-report.js';

/**
 * `-o sarif`: a SARIF 2.1.0 log for code-scanning upload (GitHub's `upload-sarif`, Azure DevOps,
 * any SARIF viewer). One run; the driver lists every rule; each finding is one result whose location
 * is the manifest file relative to `%SRCROOT%` and, when known, its line and column.
 */

const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifMessage {
  text: string;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifLocation {
  physicalLocation?: {
    artifactLocation: SarifArtifactLocation;
    region?: { startLine: number; startColumn?: number };
  };
  logicalLocations?: Array<{ fullyQualifiedName: string; kind: string }>;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  properties?: { kind?: string; namespace?: string; name?: string; container?: string; port?: number };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<{
    tool: {
      driver: { name: string; version: string; informationUri?: string; rules: SarifRule[] };
    };
    originalUriBaseIds?: Record<string, { uri: string }>;
    /** Our columns are offsets in JavaScript strings, i.e. UTF-16 code units. */
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }>;
}

export type SarifOptions = Pick<RenderReportOptions, 'rules' | 'toolVersion' | 'informationUri' | 'srcRoot'>;

export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

/** `host-port-not-offered` → `HostPortNotOffered` (SARIF's rule "friendly name"). */
export function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function encodePath(segments: string[]): string {
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

const WINDOWS_ABSOLUTE = /^[A-Za-z]:\//;

/**
 * Where a finding's file is, as SARIF wants it: a relative URI against `%SRCROOT%` with forward
 * slashes and every segment percent-encoded; `stdin` for standard input; an absolute `file://` URI
 * for an absolute path outside `srcRoot`.
 */
export function artifactLocation(file: string, srcRoot?: string): SarifArtifactLocation {
  if (isStdin(file)) return { uri: 'stdin' };
  let path = file.replace(/\\/g, '/');
  const absolute = path.startsWith('/') || WINDOWS_ABSOLUTE.test(path);
  if (absolute && srcRoot !== undefined) {
    const root = srcRoot.replace(/\\/g, '/');
    const relative = posix.relative(root, path);
    if (relative && !relative.startsWith('../') && relative !== '..' && !posix.isAbsolute(relative)) path = relative;
  }
  if (path.startsWith('/')) return { uri: pathToFileURL(posix.normalize(path)).href };
  if (WINDOWS_ABSOLUTE.test(path)) {
    const [drive, ...rest] = posix.normalize(path).split('/');
    return { uri: `file:///${drive}/${encodePath(rest)}` };
  }
  const normal = posix.normalize(path).replace(/^(\.\/)+/, '');
  return { uri: encodePath(normal.split('/')), uriBaseId: SRCROOT };
}

function sarifRule(rule: RuleInfo): SarifRule {
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: rule.help },
    defaultConfiguration: { level: LEVEL[rule.severity] },
  };
}

function location(f: Finding, srcRoot: string | undefined): SarifLocation[] {
  if (f.file !== undefined) {
    const physical: NonNullable<SarifLocation['physicalLocation']> = { artifactLocation: artifactLocation(f.file, srcRoot) };
    if (f.line !== undefined && f.line >= 1) {
      physical.region = f.column !== undefined && f.column >= 1 ? { startLine: f.line, startColumn: f.column } : { startLine: f.line };
    }
    return [{ physicalLocation: physical }];
  }
  if (f.object !== undefined) return [{ logicalLocations: [{ fullyQualifiedName: f.object, kind: 'resource' }] }];
  return [];
}

function properties(f: Finding): SarifResult['properties'] {
  const p: NonNullable<SarifResult['properties']> = {};
  if (f.kind !== undefined) p.kind = f.kind;
  if (f.namespace !== undefined) p.namespace = f.namespace;
  if (f.name !== undefined) p.name = f.name;
  if (f.container !== undefined) p.container = f.container;
  if (f.port !== undefined) p.port = f.port;
  return Object.keys(p).length ? p : undefined;
}

export function sarifLog(report: ValidationReport, opts: SarifOptions): SarifLog {
  const rules = opts.rules.map(sarifRule);
  const index = new Map<string, number>();
  rules.forEach((r, i) => index.has(r.id) || index.set(r.id, i));
  const findings = sortedFindings(report.findings, report.files);
  // A finding from outside the rules list (the loader's own, say) still gets a rule to point at.
  for (const f of findings) {
    if (index.has(f.rule)) continue;
    index.set(f.rule, rules.length);
    rules.push(sarifRule({ id: f.rule, severity: f.severity, title: f.rule, description: f.rule, help: f.rule }));
  }
  const results = findings.map((f): SarifResult => {
    const result: SarifResult = {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule)!,
      level: LEVEL[f.severity],
      message: { text: messageWithSubject(f) },
      locations: location(f, opts.srcRoot),
    };
    const props = properties(f);
    if (props) result.properties = props;
    return result;
  });
  // Key order as SARIF viewers and people expect: name, version, informationUri, rules.
  const driver = {
    name: 'k8smctl',
    version: opts.toolVersion,
    ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
    rules,
  };
  const root = opts.srcRoot === undefined ? undefined : pathToFileURL(opts.srcRoot).href;
  const run: SarifLog['runs'][number] = {
    tool: { driver },
    ...(root === undefined ? {} : { originalUriBaseIds: { [SRCROOT]: { uri: root.endsWith('/') ? root : `${root}/` } } }),
    columnKind: 'utf16CodeUnits',
    results,
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

export function formatFindingsSarif(report: ValidationReport, opts: SarifOptions): string {
  return JSON.stringify(sarifLog(report, opts), null, 2) + '\n';
}
