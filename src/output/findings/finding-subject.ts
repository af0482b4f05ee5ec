import { SEVERITY_ORDER, type Finding } from '../../core/finding.js';

/** How the loader names standard input (`-f -`). */
export function isStdin(file: string): boolean {
  return file === '<stdin>' || file === '-';
}

/** A finding about a cluster object (agent, container) rather than a manifest file. */
export function isClusterFinding(f: Finding): boolean {
  return f.file === undefined && f.object !== undefined;
}

/** `Deployment default/web`, `Namespace prod`, or undefined when the finding names no object. */
export function objectLabel(f: Pick<Finding, 'kind' | 'namespace' | 'name'>): string | undefined {
  if (!f.kind && !f.name) return undefined;
  const name = f.namespace && f.name ? `${f.namespace}/${f.name}` : (f.name ?? '');
  return [f.kind, name].filter(Boolean).join(' ');
}

const WORD_CHAR = /[\w-]/;

/** `word` appears in `message` as a whole word (`web` is not in `web-proxy`, `80` is not in `8080`). */
function mentions(message: string, word: string): boolean {
  if (!word) return false;
  for (let i = message.indexOf(word); i !== -1; i = message.indexOf(word, i + 1)) {
    const before = i > 0 ? message[i - 1]! : ' ';
    const after = message[i + word.length] ?? ' ';
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return true;
  }
  return false;
}

/**
 * `container nginx, port 8080` for the parts of a finding's location below the object that its
 * message does not already name; empty when the message names them (no repetition).
 */
export function containerPortNote(f: Finding): string {
  const parts: string[] = [];
  if (f.container && !mentions(f.message, f.container)) parts.push(`container ${f.container}`);
  if (f.port !== undefined && !mentions(f.message, String(f.port))) parts.push(`port ${f.port}`);
  return parts.join(', ');
}

/**
 * The message with everything a reader needs when it stands alone (SARIF, JUnit):
 * `Deployment default/web (container nginx): hostPort 8080 ...`.
 */
export function messageWithSubject(f: Finding): string {
  const label = objectLabel(f);
  const note = containerPortNote(f);
  const subject = [label, note && (label ? `(${note})` : note)].filter(Boolean).join(' ');
  return subject ? `${subject}: ${f.message}` : f.message;
}

/** `12:17`, `12`, or empty. */
export function positionLabel(f: Finding): string {
  if (f.line === undefined) return '';
  return f.column === undefined ? String(f.line) : `${f.line}:${f.column}`;
}

/**
 * Findings in the order every format prints them: files in `fileOrder` (the order they were read),
 * then other files sorted by name, then cluster objects sorted, then findings with neither; within
 * one file (or object) by line, column, severity, rule. Returns a sorted copy.
 */
export function sortedFindings(findings: readonly Finding[], fileOrder: readonly string[] = []): Finding[] {
  const rank = new Map<string, number>();
  for (const file of fileOrder) if (!rank.has(file)) rank.set(file, rank.size);
  // Sort keys computed once per finding; plain code-unit string order (like `LC_ALL=C ls`): stable
  // across machines and locales, and fast on very large reports.
  const keyed = findings.map((f, index) => ({
    f,
    index,
    bucket: f.file !== undefined ? (rank.has(f.file) ? 0 : 1) : f.object !== undefined ? 2 : 3,
    rank: f.file !== undefined ? (rank.get(f.file) ?? 0) : 0,
    where: f.file ?? f.object ?? '',
  }));
  keyed.sort(
    (a, b) =>
      a.bucket - b.bucket ||
      a.rank - b.rank ||
      compareStrings(a.where, b.where) ||
      (a.f.line ?? 0) - (b.f.line ?? 0) ||
      (a.f.column ?? 0) - (b.f.column ?? 0) ||
      SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] ||
      compareStrings(a.f.rule, b.f.rule) ||
      a.index - b.index,
  );
  return keyed.map((k) => k.f);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface FindingGroup {
  /** What the group is: a file name, or a cluster object. */
  key: string;
  type: 'file' | 'object' | 'none';
  findings: Finding[];
}

/**
 * Groups findings by file (in `fileOrder`, then the remaining files sorted), then cluster findings
 * by their object, then findings with neither. Each group's findings are sorted by position.
 */
export function groupFindings(findings: readonly Finding[], fileOrder: readonly string[] = []): FindingGroup[] {
  const groups: FindingGroup[] = [];
  let current: FindingGroup | undefined;
  for (const f of sortedFindings(findings, fileOrder)) {
    const type = f.file !== undefined ? 'file' : f.object !== undefined ? 'object' : 'none';
    const key = f.file ?? f.object ?? '';
    if (!current || current.type !== type || current.key !== key) {
      current = { key, type, findings: [] };
      groups.push(current);
    }
    current.findings.push(f);
  }
  return groups;
}
