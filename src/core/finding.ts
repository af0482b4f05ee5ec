/**
 * A finding: one thing k8smctl found wrong (or worth knowing) about a manifest or a cluster object.
 * Every finding has a stable rule id, a severity, a message that says what will happen on the
 * k8sm cluster and how to fix it, and a location.
 */
export type Severity = 'error' | 'warning' | 'info';

/** A path into a parsed YAML/JSON document: object keys and array indexes. */
export type DocPath = ReadonlyArray<string | number>;

export interface Finding {
  /** Stable rule id, e.g. `host-port-not-offered`. Never renamed once released. */
  rule: string;
  severity: Severity;
  /** What will happen on the cluster, then how to fix it. One or two sentences, no trailing newline. */
  message: string;
  /** Manifest location (filled by the loader from `path`); absent for cluster objects. */
  file?: string;
  /** 1-based line and column of the offending field. */
  line?: number;
  column?: number;
  /** The Kubernetes object the finding is about. */
  kind?: string;
  namespace?: string;
  name?: string;
  container?: string;
  port?: number;
  /** Where in the document the offending field is; used to compute line/column. Not rendered. */
  path?: DocPath;
  /** Which document of a multi-document file (0-based). Not rendered. */
  docIndex?: number;
  /** Cluster-object location (agent hostname, container id) for findings that are not about a file. */
  object?: string;
  /**
   * Set by the schema check on a boolean or number found where a string is needed: the field as
   * written in the message. Once located, the message is reworded when the YAML text wrote a word
   * kubectl reads as something else (`off`, `yes`, `0755`). Not rendered.
   */
  scalarField?: string;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * The findings without exact repeats: a finding with the same rule, file (or cluster object), line,
 * column and message as an earlier one is dropped (several rules can reach the same conclusion by
 * different routes, e.g. a Service checked against same-named pods). Order is kept.
 */
export function withoutDuplicates(findings: ReadonlyArray<Finding>): Finding[] {
  // By file (or cluster object), then position; rules and messages compared only where those agree.
  const seen = new Map<string, Map<number, Finding[]>>();
  const out: Finding[] = [];
  for (const f of findings) {
    const where = f.file ?? `\u0000${f.object ?? ''}`;
    let byPosition = seen.get(where);
    if (byPosition === undefined) seen.set(where, (byPosition = new Map<number, Finding[]>()));
    const position = (f.line ?? -1) * 1048576 + (f.column ?? -1);
    const there = byPosition.get(position);
    if (there === undefined) byPosition.set(position, [f]);
    else if (there.some((g) => g.rule === f.rule && g.line === f.line && g.column === f.column && g.object === f.object && g.message === f.message)) continue;
    else there.push(f);
    out.push(f);
  }
  return out;
}

export interface SeverityCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countBySeverity(findings: ReadonlyArray<Pick<Finding, 'severity'>>): SeverityCounts {
  const c: SeverityCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') c.errors++;
    else if (f.severity === 'warning') c.warnings++;
    else c.infos++;
  }
  return c;
}

/** Whether findings fail a check: any error, or any warning when `strict`. */
export function findingsFail(counts: SeverityCounts, strict: boolean): boolean {
  return counts.errors > 0 || (strict && counts.warnings > 0);
}
