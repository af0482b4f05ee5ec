import type { ClusterModel, PortMapping } from '../cluster/cluster-model.js';
import type { DocPath } from '../finding.js';
import type { ManifestResource } from '../manifest/resource.js';
import { asArray, asRecord, asStringMap, podTemplateOf, type PodTemplate } from '../manifest/pod-template.js';
import { LabelIndex } from '../manifest/selectors.js';
import type { HostPortSpec } from '../ports/allocate-host-ports.js';
import { hostPortDemand, hostPortFit, type HostPortDemand, type HostPortFit } from '../ports/host-port-demand.js';
import { podResourceDemand, type PodResourceDemand } from '../resources/pod-resource-demand.js';
import { clusterIndex, shapePorts, type ClusterIndex, type PortShape, type ShapePorts } from './cluster-index.js';

export const PORT_MAPPING_KEY = 'k8s.mesosphere.io/portMapping';
export const ROLES_KEY = 'k8s.mesosphere.io/roles';

/** One container port, as the k8sm mapper and endpoints controller see it. */
export interface PodPort extends HostPortSpec {
  container: string;
  /** Valid containerPort (1-65535), else undefined. */
  containerPort: number | undefined;
  name: string | undefined;
  protocol: string;
}

/** One pod template (of any pod-bearing kind) with what the rules ask of it, computed once. */
export interface PodView {
  t: PodTemplate;
  resource: ManifestResource;
  /** Namespace with the empty one read as `default`. */
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** spec.containers (init containers are not mapped nor counted by k8sm). */
  containers: Array<{ index: number; name: string; obj: Record<string, unknown> }>;
  ports: PodPort[];
  demand: HostPortDemand<PodPort>;
  /** Effective strategy: a valid `k8s.mesosphere.io/portMapping` label, else the scheduler default. */
  mapping: PortMapping;
  /** Effective roles (annotation filtered by the framework roles, else the default pod roles); empty = unschedulable. */
  roles: string[];
  rolesKey: string;
  isStatic: boolean;
  /** false for PodTemplate: not a workload, runs nothing by itself. */
  runs: boolean;
  /** Lazily computed by `podResources` / `podPortFits`. */
  _resources?: PodResourceDemand;
  _fits?: ShapeFit[];
}

export interface ShapeFit {
  shape: PortShape;
  ports: ShapePorts;
  fit: HostPortFit;
}

export interface ServiceView {
  resource: ManifestResource;
  namespace: string;
  selector: Record<string, string>;
  /** Absolute path of spec. */
  specPath: DocPath;
  ports: Array<{ index: number; name: string | undefined; port: number | undefined; targetPort: number | string | undefined; protocol: string }>;
  /** Lazily computed by `servicePods`. */
  _pods?: PodView[];
}

/** One file of a scheduler's `--static-pods-config` folder, as the loader read it. */
export interface StaticPodFile {
  file: string;
  resources: ManifestResource[];
  /** Number of YAML documents in the file (0 for an empty file). */
  documents: number;
}

export interface ValidateOptions {
  /** `--static`: every Pod given is a static pod. */
  static?: boolean;
  /** `--static-pods-dir`: the folder's files. */
  staticPodFiles?: StaticPodFile[];
}

export interface RuleContext {
  model: ClusterModel;
  cluster: ClusterIndex;
  /** Pod templates k8sm schedules (every pod-bearing kind, PodTemplate included; no static pods). */
  pods: PodView[];
  staticPods: PodView[];
  staticFiles: StaticPodFile[];
  services: ServiceView[];
  /** Pods that run (not PodTemplate, not static), by namespace + label, for Service selectors. */
  podIndex: LabelIndex<PodView>;
  /** What a host's first pod pays for the executor: scheduler settings plus static pods. */
  executor: { cpus: number; mem: number; staticCpus: number; staticMem: number };
}

function protocolOf(v: unknown): string {
  return typeof v === 'string' && v !== '' ? v : 'TCP';
}

function validPort(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? v : undefined;
}

function rolesOf(annotations: Record<string, string>, cluster: ClusterIndex): { roles: string[]; key: string } {
  const raw = annotations[ROLES_KEY];
  if (raw === undefined) return { roles: cluster.defaultRoles, key: cluster.defaultRolesKey };
  const roles: string[] = [];
  for (const part of raw.split(',')) {
    const r = part.trim();
    if (r !== '' && !roles.includes(r) && cluster.frameworkRoles.has(r)) roles.push(r);
  }
  return { roles, key: roles.join(',') };
}

const NO_PORTS: PodPort[] = [];

/** Builds the view of one pod template; never throws on malformed input. */
export function podView(t: PodTemplate, cluster: ClusterIndex, isStatic: boolean): PodView {
  const meta = t.metadata;
  const labels = asStringMap(meta?.labels);
  const annotations = asStringMap(meta?.annotations);
  const containers: PodView['containers'] = [];
  let ports = NO_PORTS;
  const list = asArray(t.spec?.containers);
  if (list !== undefined) {
    for (let ci = 0; ci < list.length; ci++) {
      const c = asRecord(list[ci]);
      if (c === undefined) continue;
      const name = typeof c.name === 'string' ? c.name : `#${ci}`;
      containers.push({ index: ci, name, obj: c });
      const plist = asArray(c.ports);
      if (plist === undefined) continue;
      for (let pi = 0; pi < plist.length; pi++) {
        const p = asRecord(plist[pi]);
        if (p === undefined) continue;
        let hostPort = 0;
        if (p.hostPort !== undefined && p.hostPort !== null && p.hostPort !== 0) {
          const hp = validPort(p.hostPort);
          if (hp === undefined) continue; // structural error: reported by the schema check
          hostPort = hp;
        }
        if (ports === NO_PORTS) ports = [];
        ports.push({
          containerIndex: ci,
          portIndex: pi,
          hostPort,
          protocol: protocolOf(p.protocol),
          container: name,
          containerPort: validPort(p.containerPort),
          name: typeof p.name === 'string' ? p.name : undefined,
        });
      }
    }
  }
  const label = labels[PORT_MAPPING_KEY];
  const mapping: PortMapping = label === 'fixed' || label === 'wildcard' ? label : cluster.model.portMapping;
  const { roles, key } = rolesOf(annotations, cluster);
  const ns = t.resource.namespace;
  return {
    t,
    resource: t.resource,
    namespace: ns === '' || ns === undefined ? 'default' : ns,
    labels,
    annotations,
    containers,
    ports,
    demand: hostPortDemand(ports),
    mapping,
    roles,
    rolesKey: key,
    isStatic,
    runs: t.replicas.kind !== 'template',
  };
}

/** The pod's cpu/mem as k8sm computes them (cached on the view). */
export function podResources(ctx: RuleContext, pod: PodView): PodResourceDemand {
  pod._resources ??= podResourceDemand(pod.t.spec, { cpu: ctx.model.defaultContainerCpu, mem: ctx.model.defaultContainerMem });
  return pod._resources;
}

/** How the pod's host ports fit each agent shape (cached on the view); empty when the pod needs no port. */
export function podPortFits(ctx: RuleContext, pod: PodView): ShapeFit[] {
  if (pod._fits !== undefined) return pod._fits;
  const fits: ShapeFit[] = [];
  if (pod.ports.length > 0 && pod.roles.length > 0) {
    for (const shape of ctx.cluster.shapes) {
      const ports = shapePorts(ctx.cluster, shape, pod.roles, pod.rolesKey);
      fits.push({ shape, ports, fit: hostPortFit(pod.demand, pod.mapping, ports.ranges, ports.total) });
    }
  }
  pod._fits = fits;
  return fits;
}

/** The running pod templates the Service selects (same namespace, every selector entry), cached. */
export function servicePods(ctx: RuleContext, svc: ServiceView): PodView[] {
  svc._pods ??= ctx.podIndex.select(svc.namespace, svc.selector);
  return svc._pods;
}

function serviceView(r: ManifestResource): ServiceView | undefined {
  const spec = asRecord(r.object.spec);
  const selector = asStringMap(spec?.selector);
  let any = false;
  for (const _ in selector) {
    any = true;
    break;
  }
  if (!any) return undefined; // no selector: endpoints are managed by hand, nothing to check
  const ports: ServiceView['ports'] = [];
  const list = asArray(spec?.ports) ?? [];
  for (let i = 0; i < list.length; i++) {
    const p = asRecord(list[i]);
    if (p === undefined) continue;
    const tp = p.targetPort;
    ports.push({
      index: i,
      name: typeof p.name === 'string' ? p.name : undefined,
      port: validPort(p.port),
      targetPort: typeof tp === 'number' || (typeof tp === 'string' && tp !== '') ? tp : undefined,
      protocol: protocolOf(p.protocol),
    });
  }
  const ns = r.namespace;
  return {
    resource: r,
    namespace: ns === '' || ns === undefined ? 'default' : ns,
    selector,
    specPath: [...r.basePath, 'spec'],
    ports,
  };
}

/** Reads every resource once and prepares what the rules share. */
export function buildRuleContext(resources: ReadonlyArray<ManifestResource>, model: ClusterModel, opts: ValidateOptions): RuleContext {
  const cluster = clusterIndex(model);
  const pods: PodView[] = [];
  const staticPods: PodView[] = [];
  const services: ServiceView[] = [];
  const podIndex = new LabelIndex<PodView>((p) => p.labels);
  const staticFiles = opts.staticPodFiles ?? [];
  const staticObjects = new Set<Record<string, unknown>>();

  for (const f of staticFiles) {
    // The scheduler decodes only the first document of a file (see static-pod-file rule).
    const r = f.resources[0];
    if (r === undefined || r.kind !== 'Pod') continue;
    staticObjects.add(r.object);
    const t = podTemplateOf(r);
    if (t) staticPods.push(podView(t, cluster, true));
  }
  for (const f of staticFiles) for (const r of f.resources) staticObjects.add(r.object);

  for (const r of resources) {
    if (staticObjects.has(r.object)) continue; // also handed over as a static-pod file
    if (r.kind === 'Service') {
      const s = serviceView(r);
      if (s) services.push(s);
      continue;
    }
    const t = podTemplateOf(r);
    if (t === undefined) continue;
    if (opts.static && r.kind === 'Pod') {
      staticPods.push(podView(t, cluster, true));
      continue;
    }
    const v = podView(t, cluster, false);
    pods.push(v);
    if (v.runs) podIndex.add(v.namespace, v);
  }

  let staticCpus = 0;
  let staticMem = 0;
  const defaults = { cpu: model.defaultContainerCpu, mem: model.defaultContainerMem };
  for (const p of staticPods) {
    p._resources = podResourceDemand(p.t.spec, defaults);
    staticCpus += p._resources.cpus;
    staticMem += p._resources.mem;
  }
  staticCpus = Math.round(staticCpus * 1e6) / 1e6;
  staticMem = Math.round(staticMem * 1e6) / 1e6;

  return {
    model,
    cluster,
    pods,
    staticPods,
    staticFiles,
    services,
    podIndex,
    executor: { cpus: model.executorCpus + staticCpus, mem: model.executorMem + staticMem, staticCpus, staticMem },
  };
}
