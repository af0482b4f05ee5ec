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
  metadata: DocPath;
  spec: DocPath;
  replicas: 'one' | 'replicas' | 'parallelism' | 'cron-parallelism' | 'per-agent' | 'template';
}

const TEMPLATE: DocPath = ['spec', 'template'];
const LAYOUTS: Record<string, TemplateLayout> = {
  Pod: { metadata: ['metadata'], spec: ['spec'], replicas: 'one' },
  Deployment: { metadata: [...TEMPLATE, 'metadata'], spec: [...TEMPLATE, 'spec'], replicas: 'replicas' },
  ReplicaSet: { metadata: [...TEMPLATE, 'metadata'], spec: [...TEMPLATE, 'spec'], replicas: 'replicas' },
  ReplicationController: { metadata: [...TEMPLATE, 'metadata'], spec: [...TEMPLATE, 'spec'], replicas: 'replicas' },
  StatefulSet: { metadata: [...TEMPLATE, 'metadata'], spec: [...TEMPLATE, 'spec'], replicas: 'replicas' },
  DaemonSet: { metadata: [...TEMPLATE, 'metadata'], spec: [...TEMPLATE, 'spec'], replicas: 'per-agent' },
  Job: { metadata: [...TEMPLATE, 'metadata'], spec: [...TEMPLATE, 'spec'], replicas: 'parallelism' },
  CronJob: {
    metadata: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
    spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    replicas: 'cron-parallelism',
  },
  PodTemplate: { metadata: ['template', 'metadata'], spec: ['template', 'spec'], replicas: 'template' },
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

function replicasOf(obj: Record<string, unknown>, layout: TemplateLayout, base: DocPath): PodReplicas {
  switch (layout.replicas) {
    case 'one':
      return { kind: 'count', count: 1 };
    case 'per-agent':
      return { kind: 'per-agent' };
    case 'template':
      return { kind: 'template' };
    case 'replicas': {
      const spec = asRecord(obj.spec);
      const n = count(spec?.replicas, 1) ?? 1;
      return spec?.replicas !== undefined ? { kind: 'count', count: n, path: [...base, 'spec', 'replicas'] } : { kind: 'count', count: n };
    }
    case 'parallelism':
    case 'cron-parallelism': {
      const prefix: DocPath = layout.replicas === 'parallelism' ? ['spec'] : ['spec', 'jobTemplate', 'spec'];
      const jobSpec = asRecord(at(obj, prefix));
      let n = count(jobSpec?.parallelism, 1) ?? 1;
      // A Job never runs more pods at once than it still needs completions.
      const completions = count(jobSpec?.completions, Number.POSITIVE_INFINITY);
      if (completions !== undefined && completions < n) n = completions;
      return jobSpec?.parallelism !== undefined
        ? { kind: 'count', count: n, path: [...base, ...prefix, 'parallelism'] }
        : { kind: 'count', count: n };
    }
  }
}

/** The pod template of a pod-bearing resource, or undefined for other kinds. Never throws. */
export function podTemplateOf(resource: ManifestResource): PodTemplate | undefined {
  const layout = LAYOUTS[resource.kind];
  if (layout === undefined) return undefined;
  const obj = asRecord(resource.object) ?? {};
  const base = resource.basePath;
  return {
    resource,
    metadata: asRecord(at(obj, layout.metadata)),
    spec: asRecord(at(obj, layout.spec)),
    metadataPath: base.length === 0 ? layout.metadata : [...base, ...layout.metadata],
    specPath: base.length === 0 ? layout.spec : [...base, ...layout.spec],
    replicas: replicasOf(obj, layout, base),
  };
}
