import type { ClusterModel } from '../cluster/cluster-model.js';
import type { DocPath } from '../finding.js';
import type { ExecutorOverhead } from '../k8sm/resources.js';
import { withStaticPods, type K8smScheduler } from '../k8sm/scheduler.js';
import { isJobSet, podTemplateOf, podTemplatesOf } from '../manifest/pod-template.js';
import type { ManifestResource } from '../manifest/resource.js';
import { controllerLabelMatches, isControllerLabel, LabelIndex } from '../manifest/selectors.js';
import { objectIdentity } from '../manifest/kinds.js';
import { ownString, SharedStrings } from '../own-string.js';
import { clusterIndex, type ClusterIndex } from './cluster-index.js';
import { PodView } from './pod-view.js';
import { selectablePod, serviceView, type SelectablePod, type ServiceView } from './service-view.js';

/**
 * `spec.template.spec` for a pod's spec path, joined once per path array: a pod of a top-level
 * object has its kind's constant path, and every pod is noted.
 */
const JOINED = new WeakMap<DocPath, string>();
function joinedPath(path: DocPath): string {
  let s = JOINED.get(path);
  if (s === undefined) JOINED.set(path, (s = path.join('.')));
  return s;
}

/** One file of a scheduler's `--static-pods-config` folder, as the loader read it. */
export interface StaticPodFile {
  file: string;
  resources: ManifestResource[];
  /** Number of YAML documents in the file (0 for an empty file). */
  documents: number;
  /**
   * The file could not be read as objects and a finding already says why (binary, a syntax error,
   * a document that is not a mapping...): no second finding says it holds no pod.
   */
  unreadable?: boolean;
}

export interface ValidateManifestsOptions {
  /** `--static`: every Pod given is a static pod. */
  static?: boolean;
  /** `--static-pods-dir`: the folder's files. */
  staticPodFiles?: StaticPodFile[];
}

/**
 * What the rules see of one validation run, and its life cycle as the input streams by: the cluster
 * index and the static-pod files (known up front); Services, `--static` pods and a compact form of
 * every running pod are added as they come (`addService`, `addStaticPod`, `notePod`); `settleExecutor`
 * fixes the executor overhead from the static pods before pod rules need it.
 */
export class RuleContext {
  readonly cluster: ClusterIndex;
  readonly staticFiles: ReadonlyArray<StaticPodFile>;
  readonly staticPods: PodView[] = [];
  readonly services: ServiceView[] = [];
  /** Static-pod objects that must not be checked as scheduled pods. */
  readonly #staticObjects = new Set<Record<string, unknown>>();
  /**
   * Every pod that runs (not PodTemplate, not static), noted as pods stream by (Services may come
   * later in the input). An object defined again (API group, kind, namespace, name) replaces its
   * earlier definition, as `kubectl apply` of the input would.
   */
  readonly #selectable: SelectablePod[] = [];
  /**
   * Where each object's pod or Service is in `#selectable` or `services`: by the number the caller
   * gave the object's identity (`ManifestValidator.add`), else by the identity itself. A pod that is
   * not its object's only possible template at its kind's place (in a List, or one of a JobSet's)
   * is known by identity and path, always by string.
   */
  readonly #selectableAt = new Map<string, number>();
  readonly #selectableById = new Map<number, number>();
  readonly #serviceAt = new Map<string, number>();
  readonly #serviceById = new Map<number, number>();
  #podIndex: LabelIndex<SelectablePod> | undefined;
  /** One copy of each string kept past its file in the pods' records (namespaces, labels, ports' names). */
  readonly #strings = new SharedStrings();
  readonly #servicePods = new WeakMap<ServiceView, SelectablePod[]>();
  #scheduler: K8smScheduler;
  /** What each rule keeps for itself across the pods of the run (`stateOf`). */
  readonly #ruleState = new Map<object, unknown>();

  constructor(
    readonly model: ClusterModel,
    private readonly opts: ValidateManifestsOptions = {},
  ) {
    this.cluster = clusterIndex(model);
    this.#scheduler = this.cluster.scheduler;
    this.staticFiles = opts.staticPodFiles ?? [];
    for (const f of this.staticFiles) {
      // The scheduler decodes only the first document of a file, and only a Pod (not a List of them).
      const r = f.resources[0];
      if (r === undefined || r.kind !== 'Pod' || r.basePath.length > 0) continue;
      this.#staticObjects.add(r.object);
      const t = podTemplateOf(r);
      if (t) this.staticPods.push(new PodView(t, this.cluster, true));
    }
    for (const f of this.staticFiles) for (const r of f.resources) this.#staticObjects.add(r.object);
    this.settleExecutor();
  }

  /** What `rule` keeps for itself across the pods of this run, made by `make` on first use. */
  stateOf<T>(rule: object, make: () => T): T {
    let state = this.#ruleState.get(rule) as T | undefined;
    if (state === undefined) this.#ruleState.set(rule, (state = make()));
    return state;
  }

  /** The scheduler's settings with the static pods known so far. */
  get scheduler(): K8smScheduler {
    return this.#scheduler;
  }

  /** What a host's first pod pays for the executor: the scheduler settings plus every static pod. */
  get executor(): ExecutorOverhead {
    return this.#scheduler.executor;
  }

  /** Fixes the executor overhead from the static pods seen so far. */
  settleExecutor(): void {
    this.#scheduler = withStaticPods(
      this.cluster.scheduler,
      this.staticPods.map((p) => p.resources()),
    );
  }

  /**
   * A Service of the input (one with a selector; others manage their endpoints by hand). `num`: the
   * number of its identity, when the caller gave one (-1: it has none).
   */
  addService(r: ManifestResource, num?: number): void {
    if (this.#staticObjects.size > 0 && this.#staticObjects.has(r.object)) return;
    const s = serviceView(r);
    const id = num === undefined ? objectIdentity(r) : undefined;
    const known = num === undefined && id !== undefined;
    const at = num !== undefined ? this.#serviceById.get(num) : known ? this.#serviceAt.get(id) : undefined;
    if (at !== undefined) {
      // defined again: the last definition is the one on the cluster (a Service without selector drops out)
      if (s !== undefined) this.services[at] = s;
      else {
        this.services.splice(at, 1);
        if (num !== undefined) this.#serviceById.delete(num);
        else this.#serviceAt.delete(id!);
        for (const [k, i] of this.#serviceAt) if (i > at) this.#serviceAt.set(k, i - 1);
        for (const [k, i] of this.#serviceById) if (i > at) this.#serviceById.set(k, i - 1);
      }
      return;
    }
    if (s === undefined) return;
    if (num !== undefined && num >= 0) this.#serviceById.set(num, this.services.length);
    else if (known) this.#serviceAt.set(ownString(id), this.services.length);
    this.services.push(s);
  }

  /** A Pod given with `--static`: checked as a static pod, and its resources add to the executor's. */
  addStaticPod(r: ManifestResource): void {
    if (this.#staticObjects.has(r.object)) return;
    const t = podTemplateOf(r);
    if (t) this.staticPods.push(new PodView(t, this.cluster, true));
  }

  /** The scheduled pod template of a resource (not static, not a Service), or undefined. */
  scheduledPod(r: ManifestResource): PodView | undefined {
    return this.scheduledPods(r)[0];
  }

  /** Every scheduled pod template of a resource (a JobSet has one per replicated Job). */
  scheduledPods(r: ManifestResource): PodView[] {
    if (this.#staticObjects.size > 0 && this.#staticObjects.has(r.object)) return []; // handed over as a static-pod file
    if (this.opts.static && r.kind === 'Pod') return [];
    const templates = podTemplatesOf(r);
    const views: PodView[] = [];
    for (let i = 0; i < templates.length; i++) views.push(new PodView(templates[i]!, this.cluster, false));
    return views;
  }

  /**
   * Remembers a scheduled pod for the Service rules (which run once the whole input is read) in its
   * compact form; the view itself and the document behind it are dropped after the pod rules ran.
   */
  notePod(pod: PodView, num?: number): void {
    if (!pod.runs) return;
    const r = pod.resource;
    // The object's one template at its kind's place: known by the object alone.
    if (num !== undefined && r.basePath.length === 0 && !isJobSet(r)) {
      const at = num < 0 ? undefined : this.#selectableById.get(num);
      if (at !== undefined) {
        this.#selectable[at] = selectablePod(pod, this.#strings);
        return;
      }
      if (num >= 0) this.#selectableById.set(num, this.#selectable.length);
      this.#selectable.push(selectablePod(pod, this.#strings));
      return;
    }
    // one object may hold several pod templates (a JobSet's replicated Jobs): each is its own
    const object = objectIdentity(r);
    const id = object === undefined ? undefined : `${object}\u0000${joinedPath(pod.t.specPath)}`;
    const at = id === undefined ? undefined : this.#selectableAt.get(id);
    if (at !== undefined) {
      this.#selectable[at] = selectablePod(pod, this.#strings);
      return;
    }
    if (id !== undefined) this.#selectableAt.set(ownString(id), this.#selectable.length);
    this.#selectable.push(selectablePod(pod, this.#strings));
  }

  /** The running pods of a namespace (for selectors on controller-added labels only). */
  #inNamespace(namespace: string): SelectablePod[] {
    return this.#selectable.filter((p) => p.namespace === namespace);
  }

  /** The running pod templates the Service selects (same namespace, every selector entry), cached. */
  servicePods(svc: ServiceView): SelectablePod[] {
    const cached = this.#servicePods.get(svc);
    if (cached !== undefined) return cached;
    if (this.#podIndex === undefined) {
      this.#podIndex = new LabelIndex<SelectablePod>((p) => p.labels);
      for (const p of this.#selectable) this.#podIndex.add(p.namespace, p);
    }
    // Labels the controllers add (pod-template-hash, statefulset.kubernetes.io/pod-name, job-name...)
    // are on the workload's pods though not in its template: matched by the workload's kind and name.
    let plain = svc.selector;
    const added: Array<[string, string]> = [];
    for (const k in svc.selector) {
      if (!isControllerLabel(k)) continue;
      if (plain === svc.selector) plain = { ...svc.selector };
      delete plain[k];
      added.push([k, svc.selector[k]!]);
    }
    let pods = added.length === 0 || Object.keys(plain).length > 0 ? this.#podIndex.select(svc.namespace, plain) : this.#inNamespace(svc.namespace);
    if (added.length > 0) pods = pods.filter((p) => added.every(([k, v]) => controllerLabelMatches(k, v, p)));
    this.#servicePods.set(svc, pods);
    return pods;
  }
}
