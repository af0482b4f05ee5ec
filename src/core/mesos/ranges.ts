import { normalizePortRanges, type PortRange } from '../ports/port-range.js';

/**
 * Mesos RANGES values: the master/agent "model" JSON prints them as `"[31000-31099, 31101-32000]"`,
 * the protobuf-JSON forms as `{range: [{begin, end}]}`. Ranges are kept normalised (sorted,
 * non-overlapping, adjacent ranges merged); the set operations are those of ports/port-range.ts.
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
  return sorted ? out : normalizePortRanges(out);
}

const RANGE_ENTRY = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/;
