/**
 * YAML aliases (`*name`) make js-yaml share one value between several places, so a "billion laughs"
 * document loads fast but expands to billions of nodes for anything that walks it (rules, schema
 * checks, JSON output). This measures how many nodes a loaded value expands to, counting each
 * shared value once per place it appears, without ever walking a shared value twice.
 */

/** Aliases may add at most this many nodes to a document; the classic 9-level bomb adds ~10^9. */
export const MAX_ALIAS_EXPANSION = 100_000;

export interface Expansion {
  /** Nodes a full walk of the value visits (shared values counted once per place). */
  expanded: number;
  /** Distinct nodes (objects and arrays counted once, scalars once per place). */
  distinct: number;
}

/**
 * Counts nodes of a loaded document; stops early (returning a partial count above the limit) once
 * aliases have added more than `limit` nodes.
 */
export function measureExpansion(value: unknown, limit = MAX_ALIAS_EXPANSION): Expansion {
  const memo = new Map<object, number>();
  let distinct = 0;
  let expanded = 0;
  const size = (v: unknown): number => {
    if (typeof v !== 'object' || v === null) {
      distinct++;
      return 1;
    }
    const known = memo.get(v);
    if (known !== undefined) return known;
    memo.set(v, 1); // a value that contains itself counts as one node where it recurs
    distinct++;
    let n = 1;
    if (Array.isArray(v)) {
      for (const item of v) {
        n += size(item);
        if (n - distinct > limit) break;
      }
    } else {
      for (const k in v as Record<string, unknown>) {
        n += size((v as Record<string, unknown>)[k]);
        if (n - distinct > limit) break;
      }
    }
    memo.set(v, n);
    return n;
  };
  expanded = size(value);
  return { expanded, distinct };
}

/** True when aliases blow the document up beyond `limit` extra nodes. */
export function isAliasBomb(value: unknown, limit = MAX_ALIAS_EXPANSION): boolean {
  const { expanded, distinct } = measureExpansion(value, limit);
  return expanded - distinct > limit;
}
