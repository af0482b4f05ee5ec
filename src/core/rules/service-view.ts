import type { DocPath } from '../finding.js';
import { asArray, asRecord, asStringMap } from '../json-shapes.js';
import { PORT_MAPPING_LABEL } from '../k8sm/keys.js';
import { protocolOf, validPort, type ContainerPort } from '../k8sm/pod-spec.js';
import type { PortMapping } from '../k8sm/settings.js';
import type { ManifestResource } from '../manifest/resource.js';
import { ownString, type SharedStrings } from '../own-string.js';
import type { PodView } from './pod-view.js';

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
  ports: ReadonlyArray<ContainerPort>;
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
}

/**
 * The compact form of a pod the Service rules read (ports computed once, document not referenced).
 * Strings kept past the file go through `ownString`, so that they do not keep the file's text alive
 * (the common ones, names of namespaces, labels and ports, are shared through `strings`): the view's
 * own port records are kept, their strings replaced by equal ones of their own (the view is dropped
 * once its pod was noted).
 */
export function selectablePod(pod: PodView, strings: SharedStrings): SelectablePod {
  const labels = keptLabels(pod.labels, strings);
  const own = labels[PORT_MAPPING_LABEL];
  const p: SelectablePod = {
    kind: strings.own(pod.resource.kind),
    name: ownString(pod.resource.name),
    namespace: strings.own(pod.namespace),
    labels,
    mapping: pod.mapping,
    ports: ownPorts(pod.ports(), strings),
  };
  if (own !== undefined) p.mappingLabel = own;
  return p;
}

/**
 * The pod's string-valued labels, as kept past its file. Labels whose values are all strings of
 * fewer than 13 characters are kept as the parsed object itself: V8 copies such short pieces of a
 * text (longer ones are slices that would keep the whole text alive), and an object's keys are
 * strings of their own; so nothing is copied, one by one, into a new object. Otherwise a copy of
 * the string-valued labels, strings shared through `strings`.
 */
export function keptLabels(labels: Readonly<Record<string, unknown>>, strings: SharedStrings): Readonly<Record<string, string>> {
  let asIs = true;
  for (const k in labels) {
    const v = labels[k];
    if (typeof v !== 'string' || v.length >= 13 || k === '__proto__') {
      asIs = false;
      break;
    }
  }
  if (asIs) return labels as Readonly<Record<string, string>>;
  const copy: Record<string, string> = {};
  for (const k in labels) {
    const v = labels[k];
    if (typeof v === 'string') copy[strings.own(k)] = strings.own(v);
  }
  return copy;
}

const NO_PORTS: ReadonlyArray<ContainerPort> = Object.freeze([]);

/**
 * The ports kept, in an array of their exact length: the walk's array grew by pushes (room for 17
 * after the first), and what is kept past a file is copied by the young generation's collector.
 */
function ownPorts(ports: ContainerPort[], strings: SharedStrings): ReadonlyArray<ContainerPort> {
  if (ports.length === 0) return NO_PORTS;
  for (const p of ports) {
    p.container = strings.own(p.container);
    p.protocol = strings.own(p.protocol);
    if (p.name !== undefined) p.name = strings.own(p.name);
  }
  return ports.slice();
}

const SPEC: DocPath = Object.freeze(['spec']);

/** A Service with a selector (without one, endpoints are managed by hand: nothing to check). */
export function serviceView(r: ManifestResource): ServiceView | undefined {
  const spec = asRecord(r.object.spec);
  const raw = asStringMap(spec?.selector);
  const selector: Record<string, string> = {};
  for (const k in raw) selector[ownString(k)] = ownString(raw[k]!);
  let any = false;
  for (const _ in selector) {
    any = true;
    break;
  }
  if (!any) return undefined;
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
    specPath: r.basePath.length === 0 ? SPEC : [...r.basePath, 'spec'],
    // kept to the end: an array of its exact length (pushes left room for 17)
    ports: ports.slice(),
  };
}
