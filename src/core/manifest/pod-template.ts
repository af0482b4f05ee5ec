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
  /** Where the Job spec is for `parallelism` / `cron-parallelism` (default: `spec` / `spec.jobTemplate.spec`). */
  jobSpec?: DocPath;
  /** A count of copies of the whole template (a JobSet's `replicatedJobs[i].replicas`): the pods at once multiply by it. */
  copies?: DocPath;
}

function layout(template: DocPath, replicas: TemplateLayout['replicas']): TemplateLayout {
  return { template, metadata: [...template, 'metadata'], spec: [...template, 'spec'], replicas };
}

const TEMPLATE: DocPath = ['spec', 'template'];
/** The built-in pod-bearing kinds (core, apps, extensions and batch groups). */
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

/** `podLayoutOf`'s answer for each built-in kind (read-only, shared). */
const BUILTIN_LAYOUTS: Record<string, { layout: TemplateLayout; custom: boolean }> = {};
for (const kind of Object.keys(LAYOUTS)) BUILTIN_LAYOUTS[kind] = Object.freeze({ layout: LAYOUTS[kind]!, custom: false });

/**
 * Every built-in kind that carries a pod (and so can run on k8sm): the kinds `validate` checks, with
 * Service. `ScheduledJob` is CronJob's name in batch/v2alpha1.
 */
export const POD_BEARING_KINDS: ReadonlySet<string> = new Set(Object.keys(LAYOUTS));

/** The API groups of Kubernetes' own pod-bearing kinds and Service (`v1` is the core group, ''). */
const BUILTIN_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'extensions', 'batch']);

/** The API group of an apiVersion: `apps` of `apps/v1`, '' (core) of `v1`. */
export function apiGroup(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i === -1 ? '' : apiVersion.slice(0, i);
}

/** Whether the object is a Kubernetes kind of its own group (not a custom resource of the same name). */
export function isBuiltinGroup(apiVersion: string): boolean {
  return BUILTIN_GROUPS.has(apiGroup(apiVersion));
}

/** A Kubernetes Service (core group), not a custom resource named Service (a Knative Service has a pod template). */
export function isCoreService(r: Pick<ManifestResource, 'kind' | 'apiVersion'>): boolean {
  return r.kind === 'Service' && isBuiltinGroup(r.apiVersion);
}

/**
 * Custom resources known to carry a pod template, by `group/kind`: Argo Rollouts, OpenShift
 * DeploymentConfig (also in the legacy `v1` of OpenShift 3), OpenKruise workloads and Knative
 * Serving. Other custom resources are read by their shape (`customLayout`).
 */
const CUSTOM_LAYOUTS: Record<string, TemplateLayout> = {
  'argoproj.io/Rollout': layout(TEMPLATE, 'replicas'),
  'apps.openshift.io/DeploymentConfig': layout(TEMPLATE, 'replicas'),
  '/DeploymentConfig': layout(TEMPLATE, 'replicas'),
  'apps.kruise.io/CloneSet': layout(TEMPLATE, 'replicas'),
  'apps.kruise.io/StatefulSet': layout(TEMPLATE, 'replicas'),
  'apps.kruise.io/DaemonSet': layout(TEMPLATE, 'per-agent'),
  'apps.kruise.io/BroadcastJob': layout(TEMPLATE, 'per-agent'),
  'apps.kruise.io/AdvancedCronJob': {
    ...layout(['spec', 'template', 'jobTemplate', 'spec', 'template'], 'cron-parallelism'),
    jobSpec: ['spec', 'template', 'jobTemplate', 'spec'],
  },
  'serving.knative.dev/Service': layout(TEMPLATE, 'one'),
  'serving.knative.dev/Configuration': layout(TEMPLATE, 'one'),
  'serving.knative.dev/Revision': layout([], 'one'),
};

/** `containers` of the pod shape: a non-empty list of mappings, each with a string image. */
function podShaped(spec: unknown): boolean {
  const containers = asRecord(spec)?.containers;
  return Array.isArray(containers) && containers.length > 0 && containers.every((c) => typeof asRecord(c)?.image === 'string');
}

/** The layout of a custom resource that carries a pod: a known one, or one whose spec has a pod template of the pod shape. */
function customLayout(r: ManifestResource): TemplateLayout | undefined {
  const known = CUSTOM_LAYOUTS[`${apiGroup(r.apiVersion)}/${r.kind}`];
  if (known !== undefined) return known;
  const spec = asRecord(r.object.spec);
  if (spec === undefined) return undefined;
  if (podShaped(asRecord(asRecord(spec.template)?.spec))) return layout(TEMPLATE, 'replicas');
  const job = asRecord(asRecord(spec.jobTemplate)?.spec);
  if (podShaped(asRecord(asRecord(job?.template)?.spec))) return layout(['spec', 'jobTemplate', 'spec', 'template'], 'cron-parallelism');
  return undefined;
}

/** A JobSet (jobset.x-k8s.io): the one kind with several pod templates (see `jobSetLayouts`). */
export function isJobSet(r: Pick<ManifestResource, 'apiVersion' | 'kind'>): boolean {
  return r.kind === 'JobSet' && apiGroup(r.apiVersion) === 'jobset.x-k8s.io';
}

/**
 * A JobSet (jobset.x-k8s.io) holds one Job template per entry of `spec.replicatedJobs`, each run
 * `replicas` times: one pod template per entry.
 */
function jobSetLayouts(r: ManifestResource): TemplateLayout[] | undefined {
  if (!isJobSet(r)) return undefined;
  const jobs = asRecord(r.object.spec)?.replicatedJobs;
  if (!Array.isArray(jobs)) return [];
  return jobs.map((_, i) => {
    const job: DocPath = ['spec', 'replicatedJobs', i, 'template', 'spec'];
    return { ...layout([...job, 'template'], 'parallelism'), jobSpec: job, copies: ['spec', 'replicatedJobs', i, 'replicas'] };
  });
}

/** Where the resource keeps its pod, and whether it is a custom resource; undefined when it carries none. */
export function podLayoutOf(r: ManifestResource): { layout: TemplateLayout; custom: boolean } | undefined {
  // The usual case (a built-in pod-bearing kind): a shared answer, nothing built.
  if (Object.prototype.hasOwnProperty.call(BUILTIN_LAYOUTS, r.kind) && isBuiltinGroup(r.apiVersion)) return BUILTIN_LAYOUTS[r.kind];
  const all = podLayoutsOf(r);
  return all === undefined || all.layouts.length === 0 ? undefined : { layout: all.layouts[0]!, custom: all.custom };
}

/** Where the resource keeps its pods (a JobSet has one per replicated Job); undefined when it carries none. */
export function podLayoutsOf(r: ManifestResource): { layouts: TemplateLayout[]; custom: boolean } | undefined {
  const jobSet = jobSetLayouts(r);
  if (jobSet !== undefined) return { layouts: jobSet, custom: true };
  const one = singleLayoutOf(r);
  return one === undefined ? undefined : { layouts: [one.layout], custom: one.custom };
}

/** `singleLayoutOf`'s layout alone. */
function soleLayoutOf(r: ManifestResource): TemplateLayout | undefined {
  if (isBuiltinGroup(r.apiVersion)) {
    const l = LAYOUTS[r.kind];
    if (l !== undefined) return l;
  }
  return singleLayoutOf(r)?.layout;
}

function singleLayoutOf(r: ManifestResource): { layout: TemplateLayout; custom: boolean } | undefined {
  if (isBuiltinGroup(r.apiVersion)) {
    const l = LAYOUTS[r.kind];
    if (l !== undefined) return { layout: l, custom: false };
    if (apiGroup(r.apiVersion) !== '') return undefined;
    // OpenShift 3 served DeploymentConfig in its legacy `v1`.
    const legacy = CUSTOM_LAYOUTS[`/${r.kind}`];
    return legacy === undefined ? undefined : { layout: legacy, custom: true };
  }
  const l = customLayout(r);
  return l === undefined ? undefined : { layout: l, custom: true };
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

function at(obj: Record<string, unknown>, path: DocPath): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key];
      continue;
    }
    const rec = asRecord(cur);
    if (rec === undefined) return undefined;
    cur = rec[key];
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
const SPEC_REPLICAS: DocPath = ['spec', 'replicas'];

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
      return { kind: 'count', count: count(given, 1) ?? 1, path: withBase(base, SPEC_REPLICAS) };
    }
    case 'parallelism':
    case 'cron-parallelism': {
      const prefix = layout.jobSpec ?? (layout.replicas === 'parallelism' ? JOB_SPEC : CRON_JOB_SPEC);
      const jobSpec = asRecord(at(obj, prefix));
      const given = jobSpec?.parallelism;
      let n = count(given, 1) ?? 1;
      // A Job never runs more pods at once than it still needs completions.
      const completions = count(jobSpec?.completions, Number.POSITIVE_INFINITY);
      if (completions !== undefined && completions < n) n = completions;
      if (layout.copies !== undefined) {
        const copies = count(at(obj, layout.copies), 1) ?? 1;
        if (copies !== 1) return { kind: 'count', count: n * copies, path: withBase(base, given === undefined ? layout.copies : [...prefix, 'parallelism']) };
      }
      if (given === undefined && n === 1) return ONE;
      return given === undefined ? { kind: 'count', count: n } : { kind: 'count', count: n, path: withBase(base, [...prefix, 'parallelism']) };
    }
  }
}

/**
 * The pod template of a pod-bearing resource (a built-in kind, matched by API group and kind, or a
 * custom resource that carries a pod), or undefined for other kinds. Never throws.
 */
export function podTemplateOf(resource: ManifestResource): PodTemplate | undefined {
  const layout = podLayoutOf(resource)?.layout;
  return layout === undefined ? undefined : templateAt(resource, layout);
}

/** Every pod template of a resource (a JobSet has one per replicated Job); empty for other kinds. */
export function podTemplatesOf(resource: ManifestResource): PodTemplate[] {
  if (!isJobSet(resource)) {
    // every kind but a JobSet: one template at most, found with nothing built on the way
    const layout = soleLayoutOf(resource);
    return layout === undefined ? [] : [templateAt(resource, layout)];
  }
  return (podLayoutsOf(resource)?.layouts ?? []).map((l) => templateAt(resource, l));
}

function templateAt(resource: ManifestResource, layout: TemplateLayout): PodTemplate {
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
