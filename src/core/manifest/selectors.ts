/**
 * Equality label selectors (Service `spec.selector`, `nodeSelector`): every key must be present with
 * the same value. An empty selector matches nothing here (a Service without selector has no managed
 * endpoints; callers skip it).
 */
export function matchesSelector(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, unknown>>): boolean {
  let any = false;
  for (const k in selector) {
    any = true;
    if (labels[k] !== selector[k]) return false;
  }
  return any;
}

/**
 * Items indexed by namespace and `key=value` label pairs, so that matching S selectors against P
 * label sets costs about S * (smallest candidate list) instead of S * P.
 */
export class LabelIndex<T> {
  /** namespace -> label key -> label value -> items */
  private readonly byNamespace = new Map<string, Map<string, Map<string, T[]>>>();

  /** `keys`: index only these label keys (the ones selectors will use); every key when absent. */
  constructor(
    private readonly labelsOf: (item: T) => Readonly<Record<string, unknown>>,
    private readonly keys?: ReadonlySet<string>,
  ) {}

  add(namespace: string, item: T): void {
    const labels = this.labelsOf(item);
    let byKey = this.byNamespace.get(namespace);
    for (const k in labels) {
      const v = labels[k];
      if (typeof v !== 'string') continue; // not a valid label: never selected
      if (this.keys !== undefined && !this.keys.has(k)) continue;
      if (byKey === undefined) this.byNamespace.set(namespace, (byKey = new Map<string, Map<string, T[]>>()));
      let byValue = byKey.get(k);
      if (byValue === undefined) byKey.set(k, (byValue = new Map<string, T[]>()));
      const list = byValue.get(v);
      if (list === undefined) byValue.set(v, [item]);
      else list.push(item);
    }
  }

  /** Items in `namespace` whose labels match every entry of the (non-empty) selector. */
  select(namespace: string, selector: Readonly<Record<string, string>>): T[] {
    const byKey = this.byNamespace.get(namespace);
    if (byKey === undefined) return [];
    let best: T[] | undefined;
    for (const k in selector) {
      if (this.keys !== undefined && !this.keys.has(k)) continue; // not indexed: only filtered below
      const list = byKey.get(k)?.get(selector[k]!);
      if (list === undefined) return [];
      if (best === undefined || list.length < best.length) best = list;
    }
    if (best === undefined) return [];
    return best.filter((item) => matchesSelector(selector, this.labelsOf(item)));
  }
}

/**
 * Labels Kubernetes' controllers add to the pods they create, never written in a pod template:
 * a Service may select pods by them (one StatefulSet pod by name, a Job's pods by job name). Each
 * says which workloads' pods carry it and whether a value can be one of theirs.
 */
const CONTROLLER_LABELS: Readonly<Record<string, (kind: string, name: string, value: string) => boolean>> = {
  // `<statefulset>-<ordinal>`, and the ordinal alone.
  'statefulset.kubernetes.io/pod-name': (kind, name, value) =>
    kind === 'StatefulSet' && value.startsWith(`${name}-`) && /^\d+$/.test(value.slice(name.length + 1)),
  'apps.kubernetes.io/pod-index': (kind, _name, value) => (kind === 'StatefulSet' || kind === 'Job' || kind === 'CronJob') && /^\d+$/.test(value),
  // hashes the controllers compute: any value can be theirs
  'controller-revision-hash': (kind) => kind === 'StatefulSet' || kind === 'DaemonSet',
  'pod-template-hash': (kind) => kind === 'Deployment',
  // a Job's name; a CronJob's Jobs are named `<cronjob>-<scheduled time>`
  'batch.kubernetes.io/job-name': jobName,
  'job-name': jobName,
  'batch.kubernetes.io/controller-uid': (kind) => kind === 'Job' || kind === 'CronJob',
  'controller-uid': (kind) => kind === 'Job' || kind === 'CronJob',
};

function jobName(kind: string, name: string, value: string): boolean {
  return (kind === 'Job' && value === name) || (kind === 'CronJob' && value.startsWith(`${name}-`));
}

/** Whether a label key is one the controllers add to their pods (see `controllerLabelMatches`). */
export function isControllerLabel(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(CONTROLLER_LABELS, key);
}

/**
 * Whether the pods of a workload (`kind` and `name`) carry a controller label with this value, when
 * the template does not set the label itself (then the template's value counts, as for any label).
 */
export function controllerLabelMatches(key: string, value: string, pod: { kind: string; name: string; labels: Readonly<Record<string, unknown>> }): boolean {
  if (pod.labels[key] !== undefined) return pod.labels[key] === value;
  const matches = CONTROLLER_LABELS[key];
  return matches !== undefined && matches(pod.kind, pod.name, value);
}
