import type { PortRange } from '../ports/port-range.js';

/**
 * Mesos RANGES values: the master/agent "model" JSON prints them as `"[31000-31099, 31101-32000]"`,
 * the protobuf-JSON forms as `{range: [{begin, end}]}`. Ranges here are always kept normalised:
 * sorted by `begin`, non-overlapping, adjacent ranges merged.
 */

/** Parses a Mesos range string. Throws a plain Error saying what is wrong (the caller adds where). */
export function parseMesosRangeString(text: string): PortRange[] {
  const s = text.trim();
  if (!s.startsWith('[') || !s.endsWith(']')) {
    throw new Error(`"${text}" is not a Mesos range list like "[31000-32000]"`);
  }
  const body = s.slice(1, -1);
  if (!body.trim()) return [];
  const out: PortRange[] = [];
  let sorted = true;
  for (const part of body.split(',')) {
    const m = RANGE_ENTRY.exec(part);
    if (!m) throw new Error(`"${text}" is not a Mesos range list: bad entry "${part.trim()}"`);
    const begin = Number(m[1]);
    const end = m[2] === undefined ? begin : Number(m[2]);
    if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || end < begin) {
      throw new Error(`"${text}" is not a Mesos range list: bad entry "${part.trim()}"`);
    }
    const last = out[out.length - 1];
    if (last && begin <= last.end + 1) sorted = false;
    out.push({ begin, end });
  }
  // Mesos prints ranges sorted and disjoint: only normalise when they are not.
  return sorted ? out : normalizeRanges(out);
}

const RANGE_ENTRY = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/;

/** Sorts, merges overlapping and adjacent ranges. Returns new objects. */
export function normalizeRanges(ranges: ReadonlyArray<PortRange>): PortRange[] {
  const sorted = ranges.map((r) => ({ begin: r.begin, end: r.end })).sort((a, b) => a.begin - b.begin || a.end - b.end);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.begin <= last.end + 1) {
      if (r.end > last.end) last.end = r.end;
    } else {
      out.push(r);
    }
  }
  return out;
}

export function unionRanges(a: ReadonlyArray<PortRange>, b: ReadonlyArray<PortRange>): PortRange[] {
  return normalizeRanges([...a, ...b]);
}

/** Ports in `a` that are not in `b`. */
export function subtractRanges(a: ReadonlyArray<PortRange>, b: ReadonlyArray<PortRange>): PortRange[] {
  const minus = normalizeRanges(b);
  const out: PortRange[] = [];
  for (const r of normalizeRanges(a)) {
    let begin = r.begin;
    const end = r.end;
    for (const m of minus) {
      if (m.end < begin || m.begin > end) continue;
      if (m.begin > begin) out.push({ begin, end: m.begin - 1 });
      begin = m.end + 1;
      if (begin > end) break;
    }
    if (begin <= end) out.push({ begin, end });
  }
  return out;
}

/** Number of ports in the ranges (after normalising). */
export function countPorts(ranges: ReadonlyArray<PortRange>): number {
  return normalizeRanges(ranges).reduce((n, r) => n + (r.end - r.begin + 1), 0);
}

/** `[31000-31099, 31101-32000]`, the way Mesos prints ranges. */
export function formatMesosRanges(ranges: ReadonlyArray<PortRange>): string {
  return `[${normalizeRanges(ranges)
    .map((r) => `${r.begin}-${r.end}`)
    .join(', ')}]`;
}
