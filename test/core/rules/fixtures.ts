import type { AgentShape, ClusterModel } from '../../../src/core/cluster/cluster-model.js';
import type { Finding } from '../../../src/core/finding.js';
import type { ManifestResource } from '../../../src/core/manifest/resource.js';
import { parsePortRanges } from '../../../src/core/ports/port-range.js';
import { ManifestValidator, type ValidateManifestsOptions } from '../../../src/core/validate-manifests.js';

/** A parsed manifest object as the loader hands it over. */
export function res(object: Record<string, unknown>, at: { file?: string; docIndex?: number; basePath?: Array<string | number> } = {}): ManifestResource {
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  return {
    file: at.file ?? 'app.yaml',
    docIndex: at.docIndex ?? 0,
    basePath: at.basePath ?? [],
    object,
    apiVersion: typeof object.apiVersion === 'string' ? object.apiVersion : 'v1',
    kind: typeof object.kind === 'string' ? object.kind : '',
    name: typeof meta.name === 'string' ? meta.name : '',
    namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
  };
}

/** The offline model `validate` builds from flags (k8sm defaults unless overridden). */
export function offline(over: Partial<ClusterModel> & { ports?: string; cpus?: number; mem?: number } = {}): ClusterModel {
  const ports = parsePortRanges(over.ports ?? '[31000-32000]');
  const agent: AgentShape = { name: '(--ports)', ports, portsByRole: { '*': ports } };
  if (over.cpus !== undefined) agent.cpus = over.cpus;
  if (over.mem !== undefined) agent.mem = over.mem;
  const { ports: _p, cpus: _c, mem: _m, ...rest } = over;
  return {
    origin: 'flags',
    source: '--ports',
    agents: [agent],
    sizesKnown: over.cpus !== undefined || over.mem !== undefined,
    portMapping: 'wildcard',
    hostPortEndpoints: true,
    executorCpus: 0.25,
    executorMem: 128,
    defaultContainerCpu: 0.25,
    defaultContainerMem: 64,
    frameworkRoles: ['*'],
    defaultPodRoles: ['*'],
    ...rest,
  };
}

/** A live model from agent shapes (every agent's ports unreserved unless portsByRole given). */
export function live(agents: Array<Partial<Omit<AgentShape, 'ports'>> & { name: string; ports?: string }>, over: Partial<ClusterModel> = {}): ClusterModel {
  const shapes: AgentShape[] = agents.map((a) => {
    const ports = parsePortRanges(a.ports ?? '[31000-32000]');
    return { ...a, ports, portsByRole: a.portsByRole ?? { '*': ports } };
  });
  return {
    ...offline(),
    origin: 'mesos',
    source: 'http://master:5050',
    agents: shapes,
    agentCount: shapes.length,
    sizesKnown: shapes.some((s) => s.cpus !== undefined || s.mem !== undefined),
    ...over,
  };
}

export interface ContainerOpts {
  name?: string;
  image?: string;
  ports?: Array<Record<string, unknown>>;
  resources?: Record<string, unknown>;
}

export function container(o: ContainerOpts = {}): Record<string, unknown> {
  const c: Record<string, unknown> = { name: o.name ?? 'web', image: o.image ?? 'nginx:1.25' };
  if (o.ports) c.ports = o.ports;
  c.resources = o.resources ?? { limits: { cpu: '500m', memory: '256Mi' } };
  return c;
}

export function pod(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'shop', ...meta }, spec };
}

export function deployment(
  podSpec: Record<string, unknown>,
  o: { replicas?: number; labels?: Record<string, string>; annotations?: Record<string, string>; meta?: Record<string, unknown>; name?: string } = {},
) {
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: o.labels ?? { app: 'web' }, ...(o.annotations ? { annotations: o.annotations } : {}) },
      spec: podSpec,
    },
  };
  if (o.replicas !== undefined) spec.replicas = o.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: o.name ?? 'web', namespace: 'shop', ...(o.meta ?? {}) }, spec };
}

export function service(o: { selector?: Record<string, string> | undefined; ports: Array<Record<string, unknown>>; name?: string; namespace?: string }) {
  const spec: Record<string, unknown> = { ports: o.ports };
  if (o.selector !== undefined) spec.selector = o.selector;
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: o.name ?? 'web', namespace: o.namespace ?? 'shop' }, spec };
}

/** Every rule over one batch of resources: `add` then `finish` of a new ManifestValidator. */
export function validateManifests(resources: ReadonlyArray<ManifestResource>, model: ClusterModel, opts: ValidateManifestsOptions = {}): Finding[] {
  const v = new ManifestValidator(model, opts);
  const out = v.add(resources);
  for (const f of v.finish()) out.push(f);
  return out;
}

/** Runs every rule and keeps the findings of one rule. */
export function run(
  rule: string,
  objects: Array<Record<string, unknown> | ManifestResource>,
  model: ClusterModel = offline(),
  opts: ValidateManifestsOptions = {},
): Finding[] {
  const resources = objects.map((o) => ('object' in o && 'basePath' in o ? (o as ManifestResource) : res(o)));
  return validateManifests(resources, model, opts).filter((f) => f.rule === rule);
}
