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
      if (byKey === undefined) this.byNamespace.set(namespace, (byKey = new Map()));
      let byValue = byKey.get(k);
      if (byValue === undefined) byKey.set(k, (byValue = new Map()));
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
