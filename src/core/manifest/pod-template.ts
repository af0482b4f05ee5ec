import type { DocPath } from '../finding.js';
import type { ManifestResource } from './resource.js';

/** A plain object (not an array, not null), else undefined: rules read garbage without throwing. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function asArray(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** String-valued map (labels, annotations, selectors); scalar non-strings are stringified, others dropped. */
export function asStringMap(v: unknown): Record<string, string> {
  const rec = asRecord(v);
  if (rec === undefined) return EMPTY;
  let out: Record<string, string> | undefined;
  for (const k in rec) {
    const val = rec[k];
    if (typeof val === 'string') continue;
    // Rare: copy once, converting scalars (YAML `version: 1`) the way a user reads them.
    out ??= { ...(rec as Record<string, string>) };
    if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
    else delete out[k];
  }
  return out ?? (rec as Record<string, string>);
}

const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Where a pod-bearing kind keeps its pod, relative to the object. */
interface TemplateLayout {
  /** The object holding the pod's `metadata` and `spec` ([] for a Pod). */
  template: DocPath;
  metadata: DocPath;
  spec: DocPath;
  replicas: 'one' | 'replicas' | 'parallelism' | 'cron-parallelism' | 'per-agent' | 'template';
}

function layout(template: DocPath, replicas: TemplateLayout['replicas']): TemplateLayout {
  return { template, metadata: [...template, 'metadata'], spec: [...template, 'spec'], replicas };
}

const TEMPLATE: DocPath = ['spec', 'template'];
const LAYOUTS: Record<string, TemplateLayout> = {
  Pod: layout([], 'one'),
  Deployment: layout(TEMPLATE, 'replicas'),
  ReplicaSet: layout(TEMPLATE, 'replicas'),
  ReplicationController: layout(TEMPLATE, 'replicas'),
  StatefulSet: layout(TEMPLATE, 'replicas'),
  DaemonSet: layout(TEMPLATE, 'per-agent'),
  Job: layout(TEMPLATE, 'parallelism'),
  CronJob: layout(['spec', 'jobTemplate', 'spec', 'template'], 'cron-parallelism'),
  PodTemplate: layout(['template'], 'template'),
};
// batch/v2alpha1 called CronJob `ScheduledJob` (Kubernetes 1.4/1.5, the versions k8sm ran with).
LAYOUTS.ScheduledJob = LAYOUTS.CronJob!;

export const POD_BEARING_KINDS: ReadonlyArray<string> = Object.keys(LAYOUTS);

export function isPodBearingKind(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(LAYOUTS, kind);
}

/** How many pods of the template run at once. */
export type PodReplicas =
  /** A fixed number (Pod: 1; replicas; Job parallelism, capped by completions). */
  | { kind: 'count'; count: number; path?: DocPath }
  /** DaemonSet: one pod per agent. */
  | { kind: 'per-agent' }
  /** PodTemplate: not a workload, runs nothing by itself. */
  | { kind: 'template' };

export interface PodTemplate {
  resource: ManifestResource;
  /** The pod's metadata and spec objects (undefined when missing or not objects). */
  metadata: Record<string, unknown> | undefined;
  spec: Record<string, unknown> | undefined;
  /** Absolute paths inside the document (resource.basePath included). */
  metadataPath: DocPath;
  specPath: DocPath;
  replicas: PodReplicas;
}

/** Paths of a kind's pod metadata and spec relative to the object, or undefined for other kinds. */
export function podTemplatePaths(kind: string): { metadata: DocPath; spec: DocPath } | undefined {
  const l = LAYOUTS[kind];
  return l === undefined ? undefined : { metadata: l.metadata, spec: l.spec };
}

function at(obj: Record<string, unknown>, path: DocPath): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    const rec = asRecord(cur);
    if (rec === undefined) return undefined;
    cur = rec[key as string];
  }
  return cur;
}

/** A non-negative integer field, its default when absent, or undefined when it is garbage. */
function count(v: unknown, def: number): number | undefined {
  if (v === undefined || v === null) return def;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

// Shared results for the common cases (treated as read-only).
const ONE: PodReplicas = Object.freeze({ kind: 'count', count: 1 });
const PER_AGENT: PodReplicas = Object.freeze({ kind: 'per-agent' });
const NOT_A_WORKLOAD: PodReplicas = Object.freeze({ kind: 'template' });
const JOB_SPEC: DocPath = ['spec'];
const CRON_JOB_SPEC: DocPath = ['spec', 'jobTemplate', 'spec'];

function withBase(base: DocPath, rel: DocPath): DocPath {
  return base.length === 0 ? rel : [...base, ...rel];
}

function replicasOf(obj: Record<string, unknown>, layout: TemplateLayout, base: DocPath): PodReplicas {
  switch (layout.replicas) {
    case 'one':
      return ONE;
    case 'per-agent':
      return PER_AGENT;
    case 'template':
      return NOT_A_WORKLOAD;
    case 'replicas': {
      const given = asRecord(obj.spec)?.replicas;
      if (given === undefined) return ONE;
      return { kind: 'count', count: count(given, 1) ?? 1, path: withBase(base, ['spec', 'replicas']) };
    }
    case 'parallelism':
    case 'cron-parallelism': {
      const prefix = layout.replicas === 'parallelism' ? JOB_SPEC : CRON_JOB_SPEC;
      const jobSpec = asRecord(at(obj, prefix));
      const given = jobSpec?.parallelism;
      let n = count(given, 1) ?? 1;
      // A Job never runs more pods at once than it still needs completions.
      const completions = count(jobSpec?.completions, Number.POSITIVE_INFINITY);
      if (completions !== undefined && completions < n) n = completions;
      if (given === undefined && n === 1) return ONE;
      return given === undefined ? { kind: 'count', count: n } : { kind: 'count', count: n, path: withBase(base, [...prefix, 'parallelism']) };
    }
  }
}

/** The pod template of a pod-bearing resource, or undefined for other kinds. Never throws. */
export function podTemplateOf(resource: ManifestResource): PodTemplate | undefined {
  const layout = LAYOUTS[resource.kind];
  if (layout === undefined) return undefined;
  const obj = asRecord(resource.object) ?? {};
  const base = resource.basePath;
  const holder = asRecord(at(obj, layout.template));
  return {
    resource,
    metadata: asRecord(holder?.metadata),
    spec: asRecord(holder?.spec),
    metadataPath: withBase(base, layout.metadata),
    specPath: withBase(base, layout.spec),
    replicas: replicasOf(obj, layout, base),
  };
}
