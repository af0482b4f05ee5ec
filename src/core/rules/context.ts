import type { ClusterModel, PortMapping } from '../cluster/cluster-model.js';
import type { DocPath } from '../finding.js';
import type { ManifestResource } from '../manifest/resource.js';
import { asArray, asRecord, asStringMap, podTemplateOf, type PodTemplate } from '../manifest/pod-template.js';
import { LabelIndex } from '../manifest/selectors.js';
import type { HostPortSpec } from '../ports/allocate-host-ports.js';
import { hostPortDemand, hostPortFit, hostPortsFit, type HostPortDemand, type HostPortFit } from '../ports/host-port-demand.js';
import { addContainerTotals, emptyTotals, finishTotals, podResourceDemand, type PodResourceDemand, type PodResourceTotals } from '../resources/pod-resource-demand.js';
import { ownString } from '../own-string.js';
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

/**
 * One pod template (of any pod-bearing kind) with what the rules ask of it. Built for every pod of the
 * input, so only counters are computed eagerly; port and container detail is built on demand (for
 * findings) by `podPorts`, `podDemand` and `podContainers`.
 */
export interface PodView {
  t: PodTemplate;
  resource: ManifestResource;
  /** Namespace with the empty one read as `default`. */
  namespace: string;
  /** The pod's labels and annotations as written (values not checked: the schema check reports non-strings). */
  labels: Readonly<Record<string, unknown>>;
  annotations: Readonly<Record<string, unknown>>;
  /** Distinct non-zero host ports of spec.containers, in declaration order (init containers are not mapped by k8sm). */
  fixedPorts: ReadonlyArray<number>;
  /** Container ports with hostPort 0 or none. */
  wildcardCount: number;
  /** Some non-zero host port is declared twice. */
  hasDuplicates: boolean;
  /** Effective strategy: a valid `k8s.mesosphere.io/portMapping` label, else the scheduler default. */
  mapping: PortMapping;
  /** Effective roles (annotation filtered by the framework roles, else the default pod roles); empty = unschedulable. */
  roles: string[];
  rolesKey: string;
  isStatic: boolean;
  /** false for PodTemplate: not a workload, runs nothing by itself. */
  runs: boolean;
  /** Lazily computed by the accessors below. */
  _ports?: PodPort[];
  _demand?: HostPortDemand<PodPort>;
  _containers?: Array<{ index: number; name: string; obj: Record<string, unknown> }>;
  _resources?: PodResourceDemand;
  /** Computed with the view. */
  _totals: PodResourceTotals;
  _fits?: ShapeFit[];
  _fitsSomewhere?: boolean;
}

export interface ShapeFit {
  shape: PortShape;
  ports: ShapePorts;
  fit: HostPortFit;
}

/**
 * What the Service rules need of a pod template, kept for every running pod while the input streams
 * by: a few strings and its ports, with no reference to the parsed document (which is dropped once
 * the pod rules ran, so that memory stays flat however large the input).
 */
export interface SelectablePod {
  kind: string;
  name: string;
  namespace: string;
  /** String-valued labels only (anything else is never selected). */
  labels: Readonly<Record<string, string>>;
  mapping: PortMapping;
  /** The pod's own `k8s.mesosphere.io/portMapping` label, when it set one. */
  mappingLabel?: string;
  ports: ReadonlyArray<PodPort>;
}

/** What a finding needs to name the object it is about (no reference to the parsed document). */
export type ResourceRef = Pick<ManifestResource, 'file' | 'docIndex' | 'kind' | 'namespace' | 'name'>;

export interface ServiceView {
  resource: ResourceRef;
  namespace: string;
  selector: Record<string, string>;
  /** Absolute path of spec. */
  specPath: DocPath;
  ports: Array<{ index: number; name: string | undefined; port: number | undefined; targetPort: number | string | undefined; protocol: string }>;
  /** Lazily computed by `servicePods`. */
  _pods?: SelectablePod[];
}

/** One file of a scheduler's `--static-pods-config` folder, as the loader read it. */
export interface StaticPodFile {
  file: string;
  resources: ManifestResource[];
  /** Number of YAML documents in the file (0 for an empty file). */
  documents: number;
}

export interface ValidateManifestsOptions {
  /** `--static`: every Pod given is a static pod. */
  static?: boolean;
  /** `--static-pods-dir`: the folder's files. */
  staticPodFiles?: StaticPodFile[];
}

export interface RuleContext {
  model: ClusterModel;
  cluster: ClusterIndex;
  staticPods: PodView[];
  staticFiles: StaticPodFile[];
  services: ServiceView[];
  /**
   * Every pod that runs (not PodTemplate, not static), in compact form: filled by `notePod` as pods
   * stream by (Services may come later in the input), or merged from another checker.
   */
  selectablePods: SelectablePod[];
  /** `selectablePods` by namespace and label, built when the Service rules first ask. */
  podIndex?: LabelIndex<SelectablePod>;
  /** Static-pod objects that must not be checked as scheduled pods. */
  staticObjects: Set<Record<string, unknown>>;
  /** What a host's first pod pays for the executor: scheduler settings plus static pods. */
  executor: { cpus: number; mem: number; staticCpus: number; staticMem: number };
}

function protocolOf(v: unknown): string {
  return typeof v === 'string' && v !== '' ? v : 'TCP';
}

function validPort(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? v : undefined;
}

function rolesOf(annotations: Readonly<Record<string, unknown>>, cluster: ClusterIndex): { roles: string[]; key: string } {
  const raw = annotations[ROLES_KEY];
  if (typeof raw !== 'string') return { roles: cluster.defaultRoles, key: cluster.defaultRolesKey };
  const roles: string[] = [];
  for (const part of raw.split(',')) {
    const r = part.trim();
    if (r !== '' && !roles.includes(r) && cluster.frameworkRoles.has(r)) roles.push(r);
  }
  return { roles, key: roles.join(',') };
}

const NONE: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_NUMBERS: ReadonlyArray<number> = Object.freeze([]) as ReadonlyArray<number>;

function containersOf(t: PodTemplate): unknown[] | undefined {
  return asArray(t.spec?.containers);
}

/** A container port's hostPort: 0 when absent or 0, undefined when invalid (the schema check reports it). */
function hostPortOf(p: Record<string, unknown>): number | undefined {
  const v = p.hostPort;
  if (v === undefined || v === null || v === 0) return 0;
  return validPort(v);
}

/** Builds the view of one pod template; never throws on malformed input. */
export function podView(t: PodTemplate, cluster: ClusterIndex, isStatic: boolean): PodView {
  const meta = t.metadata;
  const labels = asRecord(meta?.labels) ?? NONE;
  const annotations = asRecord(meta?.annotations) ?? NONE;
  let fixedPorts = NO_NUMBERS as number[];
  let wildcardCount = 0;
  let hasDuplicates = false;
  // Resource totals are needed for every pod (defaults, size check): summed in the same walk.
  const totals = emptyTotals();
  const list = containersOf(t);
  if (list !== undefined) {
    for (let ci = 0; ci < list.length; ci++) {
      const c = asRecord(list[ci]);
      if (c === undefined) continue;
      addContainerTotals(totals, c, cluster.demandDefaults);
      const plist = asArray(c.ports);
      if (plist === undefined) continue;
      for (let pi = 0; pi < plist.length; pi++) {
        const p = asRecord(plist[pi]);
        if (p === undefined) continue;
        const hp = hostPortOf(p);
        if (hp === undefined) continue;
        if (hp === 0) {
          wildcardCount++;
        } else if (fixedPorts.includes(hp)) {
          hasDuplicates = true;
        } else {
          if (fixedPorts === NO_NUMBERS) fixedPorts = [];
          fixedPorts.push(hp);
        }
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
    fixedPorts,
    wildcardCount,
    hasDuplicates,
    mapping,
    roles,
    rolesKey: key,
    isStatic,
    runs: t.replicas.kind !== 'template',
    _totals: finishTotals(totals),
  };
}

/** spec.containers that are objects, with their index and name (`#i` when unnamed). */
export function podContainers(pod: PodView): Array<{ index: number; name: string; obj: Record<string, unknown> }> {
  if (pod._containers !== undefined) return pod._containers;
  const out: Array<{ index: number; name: string; obj: Record<string, unknown> }> = [];
  const list = containersOf(pod.t) ?? [];
  for (let ci = 0; ci < list.length; ci++) {
    const c = asRecord(list[ci]);
    if (c !== undefined) out.push({ index: ci, name: typeof c.name === 'string' ? c.name : `#${ci}`, obj: c });
  }
  pod._containers = out;
  return out;
}

/** Every valid container port of spec.containers (ports with an invalid hostPort are left out). */
export function podPorts(pod: PodView): PodPort[] {
  if (pod._ports !== undefined) return pod._ports;
  const ports: PodPort[] = [];
  for (const c of podContainers(pod)) {
    const plist = asArray(c.obj.ports);
    if (plist === undefined) continue;
    for (let pi = 0; pi < plist.length; pi++) {
      const p = asRecord(plist[pi]);
      if (p === undefined) continue;
      const hostPort = hostPortOf(p);
      if (hostPort === undefined) continue;
      ports.push({
        containerIndex: c.index,
        portIndex: pi,
        hostPort,
        protocol: protocolOf(p.protocol),
        container: c.name,
        containerPort: validPort(p.containerPort),
        name: typeof p.name === 'string' ? p.name : undefined,
      });
    }
  }
  pod._ports = ports;
  return ports;
}

/**
 * The container port a Service targets (a number matches containerPort, a name matches name; the
 * protocol must match too, as k8sm's endpoints controller requires), or undefined.
 */
export function findContainerPort(pod: SelectablePod, target: number | string, protocol: string): PodPort | undefined {
  for (const p of pod.ports) {
    if (p.protocol !== protocol) continue;
    if (typeof target === 'number' ? p.containerPort === target : p.name === target) return p;
  }
  return undefined;
}

/** The pod's host-port demand with every declaration (for findings). */
export function podDemand(pod: PodView): HostPortDemand<PodPort> {
  pod._demand ??= hostPortDemand(podPorts(pod));
  return pod._demand;
}

/** The pod's cpu/mem as k8sm computes them (cached on the view). */
export function podResources(ctx: RuleContext, pod: PodView): PodResourceDemand {
  pod._resources ??= podResourceDemand(pod.t.spec, ctx.cluster.demandDefaults);
  return pod._resources;
}

/** The pod's summed cpu/mem as k8sm computes them, without per-container detail (computed with the view). */
export function podTotals(_ctx: RuleContext, pod: PodView): PodResourceTotals {
  return pod._totals!;
}

function needsPorts(pod: PodView): boolean {
  return pod.roles.length > 0 && (pod.fixedPorts.length > 0 || (pod.mapping === 'wildcard' && pod.wildcardCount > 0));
}

/**
 * Whether some agent shape can take the pod's host ports (true when it needs none). The fast path of
 * every port rule: no allocation.
 */
export function podPortsFitSomewhere(ctx: RuleContext, pod: PodView): boolean {
  if (pod._fitsSomewhere !== undefined) return pod._fitsSomewhere;
  let ok = !needsPorts(pod) || ctx.cluster.shapes.length === 0;
  if (!ok) {
    const wild = pod.mapping === 'wildcard' ? pod.wildcardCount : 0;
    for (const shape of ctx.cluster.shapes) {
      const sp = shapePorts(ctx.cluster, shape, pod.roles, pod.rolesKey);
      if (hostPortsFit(pod.fixedPorts, wild, sp.ranges, sp.total)) {
        ok = true;
        break;
      }
    }
  }
  pod._fitsSomewhere = ok;
  return ok;
}

/** How the pod's host ports fit each agent shape (cached on the view); empty when the pod needs no port. */
export function podPortFits(ctx: RuleContext, pod: PodView): ShapeFit[] {
  if (pod._fits !== undefined) return pod._fits;
  const fits: ShapeFit[] = [];
  if (needsPorts(pod)) {
    const demand = podDemand(pod);
    for (const shape of ctx.cluster.shapes) {
      const ports = shapePorts(ctx.cluster, shape, pod.roles, pod.rolesKey);
      fits.push({ shape, ports, fit: hostPortFit(demand, pod.mapping, ports.ranges, ports.total) });
    }
  }
  pod._fits = fits;
  return fits;
}

/** The running pod templates the Service selects (same namespace, every selector entry), cached. */
export function servicePods(ctx: RuleContext, svc: ServiceView): SelectablePod[] {
  if (ctx.podIndex === undefined) {
    ctx.podIndex = new LabelIndex<SelectablePod>((p) => p.labels);
    for (const p of ctx.selectablePods) ctx.podIndex.add(p.namespace, p);
  }
  svc._pods ??= ctx.podIndex.select(svc.namespace, svc.selector);
  return svc._pods;
}

/** The compact form of a pod the Service rules read (ports computed once, document not referenced). */
export function selectablePod(pod: PodView): SelectablePod {
  const labels: Record<string, string> = {};
  for (const k in pod.labels) {
    const v = pod.labels[k];
    if (typeof v === 'string') labels[ownString(k)] = ownString(v);
  }
  const own = labels[PORT_MAPPING_KEY];
  return {
    kind: ownString(pod.resource.kind),
    name: ownString(pod.resource.name),
    namespace: ownString(pod.namespace),
    labels,
    mapping: pod.mapping,
    ...(own !== undefined ? { mappingLabel: own } : {}),
    ports: podPorts(pod).map((p) => ({
      ...p,
      container: ownString(p.container),
      protocol: ownString(p.protocol),
      ...(p.name !== undefined ? { name: ownString(p.name) } : {}),
    })),
  };
}

/**
 * Remembers a scheduled pod for the Service rules (which run once the whole input is read) in its
 * compact form; the view itself and the document behind it are dropped after the pod rules ran.
 */
export function notePod(ctx: RuleContext, pod: PodView): void {
  if (!pod.runs) return;
  ctx.selectablePods.push(selectablePod(pod));
}

/** The scheduled pod template of a resource (not static, not a Service), or undefined. */
export function scheduledPod(ctx: RuleContext, r: ManifestResource, opts: ValidateManifestsOptions): PodView | undefined {
  if (ctx.staticObjects.size > 0 && ctx.staticObjects.has(r.object)) return undefined; // handed over as a static-pod file
  if (opts.static && r.kind === 'Pod') return undefined;
  const t = podTemplateOf(r);
  return t === undefined ? undefined : podView(t, ctx.cluster, false);
}

function serviceView(r: ManifestResource): ServiceView | undefined {
  const spec = asRecord(r.object.spec);
  const raw = asStringMap(spec?.selector);
  const selector: Record<string, string> = {};
  for (const k in raw) selector[ownString(k)] = ownString(raw[k]!);
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
      name: typeof p.name === 'string' ? ownString(p.name) : undefined,
      port: validPort(p.port),
      targetPort: typeof tp === 'number' ? tp : typeof tp === 'string' && tp !== '' ? ownString(tp) : undefined,
      protocol: ownString(protocolOf(p.protocol)),
    });
  }
  const ns = r.namespace;
  return {
    resource: { file: r.file, docIndex: r.docIndex, kind: ownString(r.kind), namespace: ownString(r.namespace), name: ownString(r.name) },
    namespace: ns === '' || ns === undefined ? 'default' : ns,
    selector,
    specPath: [...r.basePath, 'spec'],
    ports,
  };
}

/**
 * The context for one validation run: the cluster index and the static-pod files (known up front).
 * Services and `--static` pods are added as the input streams by (`addService`, `addStaticPod`);
 * `settleExecutor` fixes the executor overhead from the static pods before pod rules need it.
 */
export function createRuleContext(model: ClusterModel, opts: ValidateManifestsOptions): RuleContext {
  const cluster = clusterIndex(model);
  const staticFiles = opts.staticPodFiles ?? [];
  const staticObjects = new Set<Record<string, unknown>>();
  const ctx: RuleContext = {
    model,
    cluster,
    staticPods: [],
    selectablePods: [],
    staticObjects,
    staticFiles,
    services: [],
    executor: { cpus: model.executorCpus, mem: model.executorMem, staticCpus: 0, staticMem: 0 },
  };
  for (const f of staticFiles) {
    // The scheduler decodes only the first document of a file, and only a Pod (not a List of them).
    const r = f.resources[0];
    if (r === undefined || r.kind !== 'Pod' || r.basePath.length > 0) continue;
    staticObjects.add(r.object);
    const t = podTemplateOf(r);
    if (t) ctx.staticPods.push(podView(t, cluster, true));
  }
  for (const f of staticFiles) for (const r of f.resources) staticObjects.add(r.object);
  settleExecutor(ctx);
  return ctx;
}

/** A Service of the input (one with a selector; others manage their endpoints by hand). */
export function addService(ctx: RuleContext, r: ManifestResource): void {
  if (ctx.staticObjects.size > 0 && ctx.staticObjects.has(r.object)) return;
  const s = serviceView(r);
  if (s !== undefined) ctx.services.push(s);
}

/** A Pod given with `--static`: checked as a static pod, and its resources add to the executor's. */
export function addStaticPod(ctx: RuleContext, r: ManifestResource): void {
  if (ctx.staticObjects.has(r.object)) return;
  const t = podTemplateOf(r);
  if (t) ctx.staticPods.push(podView(t, ctx.cluster, true));
}

/** What a host's first pod pays for the executor: the scheduler settings plus every static pod. */
export function settleExecutor(ctx: RuleContext): void {
  let staticCpus = 0;
  let staticMem = 0;
  for (const p of ctx.staticPods) {
    p._resources ??= podResourceDemand(p.t.spec, ctx.cluster.demandDefaults);
    staticCpus += p._resources.cpus;
    staticMem += p._resources.mem;
  }
  staticCpus = Math.round(staticCpus * 1e6) / 1e6;
  staticMem = Math.round(staticMem * 1e6) / 1e6;
  ctx.executor = { cpus: ctx.model.executorCpus + staticCpus, mem: ctx.model.executorMem + staticMem, staticCpus, staticMem };
}
