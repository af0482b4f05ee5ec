/**
 * Guards for reading parsed JSON/YAML values of unknown shape (manifests, pod specs, API objects)
 * without throwing: the rules and the k8sm model read garbage as "absent".
 */

/** A plain object (not an array, not null), else undefined. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function asArray(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

const EMPTY: Record<string, string> = Object.freeze({});

/** String-valued map (labels, annotations, selectors); scalar non-strings are stringified, others dropped. */
export function asStringMap(v: unknown): Record<string, string> {
  const rec = asRecord(v);
  if (rec === undefined) return EMPTY;
  let out: Record<string, string> | undefined;
  for (const k in rec) {
    const val = rec[k];
    if (typeof val === 'string') continue;
    // Rare: copy once, converting scalars (YAML `version: 1`) the way a user reads them.
    out ??= { ...(rec as Record<string, string>) };
    if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
    else delete out[k];
  }
  return out ?? (rec as Record<string, string>);
}
