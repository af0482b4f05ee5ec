/**
 * Equality label selectors (Service `spec.selector`, `nodeSelector`): every key must be present with
 * the same value. An empty selector matches nothing here (a Service without selector has no managed
 * endpoints; callers skip it).
 */
export function matchesSelector(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
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
  private readonly byPair = new Map<string, T[]>();

  constructor(private readonly labelsOf: (item: T) => Readonly<Record<string, string>>) {}

  add(namespace: string, item: T): void {
    const labels = this.labelsOf(item);
    for (const k in labels) {
      const key = `${namespace}\u0000${k}\u0000${labels[k]}`;
      const list = this.byPair.get(key);
      if (list === undefined) this.byPair.set(key, [item]);
      else list.push(item);
    }
  }

  /** Items in `namespace` whose labels match every entry of the (non-empty) selector. */
  select(namespace: string, selector: Readonly<Record<string, string>>): T[] {
    let best: T[] | undefined;
    for (const k in selector) {
      const list = this.byPair.get(`${namespace}\u0000${k}\u0000${selector[k]}`);
      if (list === undefined) return [];
      if (best === undefined || list.length < best.length) best = list;
    }
    if (best === undefined) return [];
    return best.filter((item) => matchesSelector(selector, this.labelsOf(item)));
  }
}
