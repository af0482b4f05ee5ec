/** An inclusive range of ports, as Mesos `ports` RANGES resources hold them. */
export interface PortRange {
  begin: number;
  end: number;
}

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

const VALID_FORMS = 'use Mesos syntax such as [31000-32000], [31000-31099, 31101-32000], 31000-32000 or a single port 8080';

/** Thrown by `parsePortRanges`: the message says what is wrong and shows the valid form. */
export class PortRangeSyntaxError extends Error {
  constructor(
    readonly text: string,
    readonly problem: string,
  ) {
    super(`invalid port ranges ${JSON.stringify(text)}: ${problem}; ${VALID_FORMS}`);
    this.name = 'PortRangeSyntaxError';
  }
}

const DIGITS = /^\d+$/;

function parsePort(text: string, whole: string, item: string): number {
  if (!DIGITS.test(text)) {
    throw new PortRangeSyntaxError(whole, `"${item}" is not a port or a begin-end range`);
  }
  const n = Number(text);
  if (n < MIN_PORT || n > MAX_PORT) {
    throw new PortRangeSyntaxError(whole, `port ${text} in "${item}" is outside ${MIN_PORT}-${MAX_PORT}`);
  }
  return n;
}

/**
 * Parses a Mesos `ports` value: `[31000-32000]`, `[31000-31099, 31101-32000]`, `31000-32000`,
 * `[8080-8080]`, `8080`, with any whitespace. `[]` is an empty list (an agent offering no ports).
 * The result is normalized (sorted, overlapping and adjacent ranges merged).
 * @throws PortRangeSyntaxError for anything else, begin > end, or ports outside 1-65535.
 */
export function parsePortRanges(text: string): PortRange[] {
  if (typeof text !== 'string') throw new PortRangeSyntaxError(String(text), 'not a string');
  let body = text.trim();
  if (body === '') throw new PortRangeSyntaxError(text, 'it is empty');
  const open = body.startsWith('[');
  const close = body.endsWith(']');
  if (open !== close) throw new PortRangeSyntaxError(text, open ? 'missing the closing "]"' : 'missing the opening "["');
  if (open) {
    body = body.slice(1, -1).trim();
    if (body === '') return [];
    if (body.includes('[') || body.includes(']')) throw new PortRangeSyntaxError(text, 'nested or repeated brackets');
  }
  const out: PortRange[] = [];
  for (const raw of body.split(',')) {
    const item = raw.trim();
    if (item === '') throw new PortRangeSyntaxError(text, 'an empty entry between commas');
    const dash = item.indexOf('-');
    let begin: number;
    let end: number;
    if (dash < 0) {
      begin = end = parsePort(item, text, item);
    } else {
      begin = parsePort(item.slice(0, dash).trim(), text, item);
      end = parsePort(item.slice(dash + 1).trim(), text, item);
      if (begin > end) throw new PortRangeSyntaxError(text, `range "${item}" begins after it ends`);
    }
    out.push({ begin, end });
  }
  return normalizePortRanges(out);
}

/** Sorts and merges overlapping and adjacent ranges. Returns new objects; the input is not changed. */
export function normalizePortRanges(ranges: ReadonlyArray<PortRange>): PortRange[] {
  const sorted = ranges.map((r) => ({ begin: r.begin, end: r.end }));
  sorted.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.begin <= last.end + 1) {
      if (r.end > last.end) last.end = r.end;
    } else {
      out.push(r);
    }
  }
  return out;
}

/** True when the ranges are sorted, non-overlapping and non-adjacent (what `normalizePortRanges` returns). */
export function isNormalized(ranges: ReadonlyArray<PortRange>): boolean {
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (r.begin > r.end) return false;
    if (i > 0 && r.begin <= ranges[i - 1]!.end + 1) return false;
  }
  return true;
}

/** The Mesos form: `[31000-31099, 31101-32000]` (a single port prints as `8080-8080`, as Mesos does). */
export function formatPortRanges(ranges: ReadonlyArray<PortRange>): string {
  let s = '[';
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (i > 0) s += ', ';
    s += `${r.begin}-${r.end}`;
  }
  return s + ']';
}

/** Whether `port` lies in one of the NORMALIZED ranges (binary search). */
export function portInRanges(ranges: ReadonlyArray<PortRange>, port: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = ranges[mid]!;
    if (port < r.begin) hi = mid - 1;
    else if (port > r.end) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Number of ports in NORMALIZED ranges. */
export function countPorts(ranges: ReadonlyArray<PortRange>): number {
  let n = 0;
  for (const r of ranges) n += r.end - r.begin + 1;
  return n;
}

/** Ports of `a` that are not in `b` (both NORMALIZED); the result is normalized. */
export function subtractPortRanges(a: ReadonlyArray<PortRange>, b: ReadonlyArray<PortRange>): PortRange[] {
  const out: PortRange[] = [];
  let j = 0;
  for (const r of a) {
    let begin = r.begin;
    while (j < b.length && b[j]!.end < begin) j++;
    let k = j;
    while (begin <= r.end && k < b.length && b[k]!.begin <= r.end) {
      const m = b[k]!;
      if (m.begin > begin) out.push({ begin, end: m.begin - 1 });
      begin = Math.max(begin, m.end + 1);
      k++;
    }
    if (begin <= r.end) out.push({ begin, end: r.end });
  }
  return out;
}

/** Removes single ports from NORMALIZED ranges. */
export function subtractPorts(ranges: ReadonlyArray<PortRange>, ports: Iterable<number>): PortRange[] {
  const single = normalizePortRanges([...ports].map((p) => ({ begin: p, end: p })));
  return subtractPortRanges(ranges, single);
}

/** Ports in both `a` and `b` (both NORMALIZED); the result is normalized. */
export function intersectPortRanges(a: ReadonlyArray<PortRange>, b: ReadonlyArray<PortRange>): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const begin = Math.max(x.begin, y.begin);
    const end = Math.min(x.end, y.end);
    if (begin <= end) out.push({ begin, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}
