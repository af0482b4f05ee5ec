import { asArray, asRecord } from '../json-shapes.js';
import { hostPortDemand, hostPortReasons, type DeclaredHostPorts, type HostPortReason, type PortOffer } from '../k8sm/host-ports.js';
import { containerName, containerPorts, podResourceDemand, scanPodSpec, type ContainerPort, type PodSpecScan } from '../k8sm/pod-spec.js';
import type { PodResourceDemand } from '../k8sm/resources.js';
import { podRoles, type PodRoles } from '../k8sm/roles.js';
import { podPortMapping, type PortMapping } from '../k8sm/settings.js';
import type { PodTemplate } from '../manifest/pod-template.js';
import type { ManifestResource } from '../manifest/resource.js';
import type { ClusterIndex, PortShape } from './cluster-index.js';

/** How a pod's host ports fare on one agent shape. */
export interface ShapeFit {
  shape: PortShape;
  ports: PortOffer;
  reasons: ReadonlyArray<HostPortReason>;
  /** Fixed hostPorts the shape does not offer the pod (a shared empty array when none). */
  notOffered: ReadonlyArray<number>;
  /** Set when wildcard ports are left without a free port. */
  wildcardShort: Extract<HostPortReason, { id: 'wildcard-ports-short' }> | undefined;
}

export interface PodContainer {
  index: number;
  /** `#i` when unnamed. */
  name: string;
  obj: Record<string, unknown>;
}

const NONE: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_NUMBERS: ReadonlyArray<number> = Object.freeze([]);

/**
 * One pod template (of any pod-bearing kind) with what the rules ask of it: k8sm's reading of the pod
 * (`src/core/k8sm`) plus where it sits in the manifest. Built for every pod of the input, so only
 * the one walk of `scanPodSpec` runs eagerly; port and container detail and the fit on each agent
 * shape are computed on demand (for findings) and kept in private fields.
 */
export class PodView {
  readonly resource: ManifestResource;
  /** Namespace with the empty one read as `default`. */
  readonly namespace: string;
  /** The pod's labels and annotations as written (values not checked: the schema check reports non-strings). */
  readonly labels: Readonly<Record<string, unknown>>;
  readonly annotations: Readonly<Record<string, unknown>>;
  /** Host-port demand and resource totals of spec.containers (k8sm's defaults included). */
  readonly scan: PodSpecScan;
  /** Effective strategy: a valid `k8s.mesosphere.io/portMapping` label, else the scheduler default. */
  readonly mapping: PortMapping;
  /** Effective roles; an empty list means unschedulable. */
  readonly roles: PodRoles;
  /** false for PodTemplate: not a workload, runs nothing by itself. */
  readonly runs: boolean;

  #containers?: PodContainer[];
  #ports?: ContainerPort[];
  #hostPorts?: DeclaredHostPorts<ContainerPort>;
  #resources?: PodResourceDemand;
  #fits?: ShapeFit[];
  #fitsSomewhere?: boolean;

  /** Never throws on malformed input. */
  constructor(
    readonly t: PodTemplate,
    private readonly cluster: ClusterIndex,
    readonly isStatic: boolean,
  ) {
    const meta = t.metadata;
    this.resource = t.resource;
    this.labels = asRecord(meta?.labels) ?? NONE;
    this.annotations = asRecord(meta?.annotations) ?? NONE;
    this.runs = t.replicas.kind !== 'template';
    // A running pod's ports are always asked for (the Service rules keep them): collect them in the same walk.
    const ports = this.runs && !isStatic ? [] : undefined;
    this.scan = scanPodSpec(t.spec, cluster.scheduler.demandDefaults, ports && { ports });
    this.#ports = ports;
    this.mapping = podPortMapping(this.labels, cluster.scheduler.settings.portMapping);
    this.roles = podRoles(this.annotations, cluster.scheduler);
    const ns = t.resource.namespace;
    this.namespace = ns === '' || ns === undefined ? 'default' : ns;
  }

  /** spec.containers that are objects, with their index and name. */
  containers(): PodContainer[] {
    if (this.#containers !== undefined) return this.#containers;
    const out: PodContainer[] = [];
    const list = asArray(this.t.spec?.containers) ?? [];
    for (let ci = 0; ci < list.length; ci++) {
      const c = asRecord(list[ci]);
      if (c !== undefined) out.push({ index: ci, name: containerName(c, ci), obj: c });
    }
    return (this.#containers = out);
  }

  /** Every valid container port of spec.containers (ports with an invalid hostPort are left out). */
  ports(): ContainerPort[] {
    return (this.#ports ??= containerPorts(this.t.spec, this.cluster.scheduler.demandDefaults));
  }

  /** The host-port demand with every declaration (for findings). */
  hostPorts(): DeclaredHostPorts<ContainerPort> {
    return (this.#hostPorts ??= hostPortDemand(this.ports()));
  }

  /** The pod's cpu/mem with the detail per container. */
  resources(): PodResourceDemand {
    return (this.#resources ??= podResourceDemand(this.t.spec, this.cluster.scheduler.demandDefaults));
  }

  private needsPorts(): boolean {
    const s = this.scan;
    return this.roles.list.length > 0 && (s.fixed.length > 0 || (this.mapping === 'wildcard' && s.wildcard > 0));
  }

  /** Whether some agent shape can take the pod's host ports (true when it needs none): the fast path of every port rule. */
  portsFitSomewhere(): boolean {
    if (this.#fitsSomewhere !== undefined) return this.#fitsSomewhere;
    let ok = !this.needsPorts() || this.cluster.shapes.length === 0;
    if (!ok) {
      for (const shape of this.cluster.shapes) {
        if (hostPortReasons(this.scan, this.mapping, shape.offer(this.roles)).length === 0) {
          ok = true;
          break;
        }
      }
    }
    return (this.#fitsSomewhere = ok);
  }

  /** How the pod's host ports fare on each agent shape; empty when the pod needs no port. */
  portFits(): ShapeFit[] {
    if (this.#fits !== undefined) return this.#fits;
    const fits: ShapeFit[] = [];
    if (this.needsPorts()) {
      for (const shape of this.cluster.shapes) {
        const ports = shape.offer(this.roles);
        const reasons = hostPortReasons(this.scan, this.mapping, ports);
        let notOffered = NO_NUMBERS;
        let wildcardShort: ShapeFit['wildcardShort'];
        for (const r of reasons) {
          if (r.id === 'host-port-not-offered' || r.id === 'host-port-in-use') notOffered = [...notOffered, r.port];
          else if (r.id === 'wildcard-ports-short') wildcardShort = r;
        }
        fits.push({ shape, ports, reasons, notOffered, wildcardShort });
      }
    }
    return (this.#fits = fits);
  }
}
