import type { DocPath } from '../finding.js';
import { asRecord } from '../json-shapes.js';
import type { ManifestResource } from './resource.js';

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

/**
 * Every kind that carries a pod (and so can run on k8sm): the kinds `validate` checks, with Service.
 * `ScheduledJob` is CronJob's name in batch/v2alpha1.
 */
export const POD_BEARING_KINDS: ReadonlySet<string> = new Set(Object.keys(LAYOUTS));

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
