import type { DocPath } from '../finding.js';

/**
 * Where a finding's path points, found by reading lines (no YAML parse) in the common case: plain
 * block-style YAML as kubectl, Helm and kustomize write it. It answers only when the text is simple
 * enough to be sure, and otherwise returns undefined so that the caller asks the full locator
 * (`locateFindings`, a positional js-yaml parse). Anything unusual makes it give up: flow
 * collections (`{`, `[`), anchors, aliases, tags, merge keys, complex keys, block or multi-line
 * scalars, tabs, directives, a document count that differs from the parser's, a path that does not
 * exist. Where it answers, it agrees with `locateFindings` (property-tested): the value's first
 * character for a scalar, the key for a block mapping or sequence, the entry's content for a
 * sequence element.
 */

interface Line {
  /** Offset of the line's first character in the text. */
  start: number;
  /** Column of the first non-space character (the indentation). */
  indent: number;
  /** The line without its indentation and without a trailing comment-only remainder. */
  body: string;
}

/** Lines of one document, blank and comment-only lines dropped. */
type Doc = Line[];

const PLAIN_KEY = /^([A-Za-z0-9_./\-][^:#'"]*?|"[^"\\]*"|'[^']*'):(?:\s|$)/;

/** Splits the text into documents as js-yaml counts them; undefined when unsure. */
export function splitDocuments(text: string): Doc[] | undefined {
  const docs: Doc[] = [];
  let current: Doc = [];
  let sawMarker = false;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = n;
    let raw = text.slice(pos, end);
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.startsWith('%')) return undefined; // directives
    if (raw.startsWith('---') && (raw.length === 3 || raw[3] === ' ')) {
      if (raw.slice(3).trim() !== '' && !raw.slice(3).trim().startsWith('#')) return undefined; // `--- value`
      if (sawMarker || current.length > 0) docs.push(current);
      current = [];
      sawMarker = true;
    } else if (raw.startsWith('...') && (raw.length === 3 || raw[3] === ' ')) {
      return undefined; // document end markers: leave to the parser
    } else {
      let indent = 0;
      while (indent < raw.length && raw.charCodeAt(indent) === 0x20) indent++;
      if (raw.charCodeAt(indent) === 0x09) return undefined; // tabs
      const body = raw.slice(indent);
      if (body !== '' && !body.startsWith('#')) current.push({ start: pos + indent, indent, body });
    }
    if (end === n) break;
    pos = end + 1;
  }
  if (sawMarker || current.length > 0) docs.push(current);
  return docs;
}

/** Text that only the full parser reads right. */
function tricky(s: string): boolean {
  return /^[&*!|>{[?@`%]/.test(s) || s.startsWith('<<') || s.startsWith('- -');
}

/** A value on the same line as its key: undefined when it needs the full parser. */
function inlineValue(rest: string): 'empty' | 'scalar' | undefined {
  const v = rest.trimStart();
  if (v === '' || v.startsWith('#')) return 'empty';
  if (tricky(v)) return undefined;
  if (v.startsWith('"')) return /^"(?:[^"\\]|\\.)*"\s*(#.*)?$/.test(v) ? 'scalar' : undefined;
  if (v.startsWith("'")) return /^'(?:[^']|'')*'\s*(#.*)?$/.test(v) ? 'scalar' : undefined;
  if (/\s#/.test(v) && /:\s/.test(v.slice(0, v.search(/\s#/)))) return undefined;
  if (/:\s|:$/.test(v)) return undefined; // `a: b: c` and friends
  return 'scalar';
}

function unquote(key: string): string {
  if (key.startsWith('"')) return key.slice(1, -1);
  if (key.startsWith("'")) return key.slice(1, -1);
  return key.trimEnd();
}

/** A region: lines [from, to) of a document whose entries sit at column `indent`, the first entry possibly mid-line. */
interface Region {
  lines: Doc;
  from: number;
  to: number;
  /** Column of the entries. */
  indent: number;
  /** The first entry starts mid-line at this offset/body (after `- `), else undefined. */
  firstStart?: number;
  firstBody?: string;
}

/** Offset the path points at in document `docIndex`, or undefined when unsure. */
export function fastLocate(docs: Doc[], docIndex: number, path: DocPath): number | undefined {
  const doc = docs[docIndex];
  if (!doc || doc.length === 0) return undefined;
  let region: Region = { lines: doc, from: 0, to: doc.length, indent: doc[0]!.indent };
  if (path.length === 0) return doc[0]!.start;
  for (let p = 0; p < path.length; p++) {
    const seg = path[p]!;
    const last = p === path.length - 1;
    const entries = entriesOf(region);
    if (entries === undefined) return undefined;
    if (typeof seg === 'number') {
      if (entries.kind !== 'sequence') return undefined;
      const item = entries.items[seg];
      if (!item) return undefined;
      if (last) return item.start;
      region = item.region;
      continue;
    }
    if (entries.kind !== 'mapping') return undefined;
    let found: (typeof entries.pairs)[number] | undefined;
    for (const pair of entries.pairs) if (pair.key === seg) found = pair; // the last duplicate wins, as in js-yaml
    if (!found) return undefined;
    if (found.valueKind === 'scalar') return last ? found.valueStart : undefined;
    if (found.valueKind === 'empty') {
      if (!found.child) return undefined; // `key:` with nothing: null, leave to the parser
      if (last) return found.keyStart;
      region = found.child;
      continue;
    }
    return undefined;
  }
  return undefined;
}

type Entries =
  | { kind: 'mapping'; pairs: Array<{ key: string; keyStart: number; valueKind: 'scalar' | 'empty'; valueStart: number; child?: Region }> }
  | { kind: 'sequence'; items: Array<{ start: number; region: Region }> };

const isItem = (body: string) => body === '-' || body.startsWith('- ');

/** The entries of a region at its indentation: mapping pairs or sequence items; undefined when unsure. */
function entriesOf(r: Region): Entries | undefined {
  const firstBody = r.firstBody ?? r.lines[r.from]?.body;
  if (firstBody === undefined) return undefined;
  const isSeq = isItem(firstBody);
  const heads: Array<{ i: number; start: number; body: string }> = [];
  for (let i = r.from; i < r.to; i++) {
    const l = r.lines[i]!;
    if (i === r.from && r.firstBody !== undefined) {
      heads.push({ i, start: r.firstStart!, body: r.firstBody });
      continue;
    }
    if (l.indent < r.indent) return undefined;
    if (l.indent > r.indent) continue;
    // In a mapping, `- ` lines at the keys' column belong to the value of the key above them.
    if (!isSeq && isItem(l.body)) continue;
    heads.push({ i, start: l.start, body: l.body });
  }
  const next = (k: number) => (k + 1 < heads.length ? heads[k + 1]!.i : r.to);
  if (isSeq) {
    const items: Array<{ start: number; region: Region }> = [];
    for (let k = 0; k < heads.length; k++) {
      const h = heads[k]!;
      if (!h.body.startsWith('- ')) return undefined; // a bare `-` or a mapping key among items
      let off = 1;
      while (h.body[off] === ' ') off++;
      const rest = h.body.slice(off);
      if (rest === '' || tricky(rest) || rest.startsWith('#')) return undefined;
      const start = h.start + off;
      const end = next(k);
      if (!PLAIN_KEY.test(rest)) {
        // A scalar element: it must end on its line.
        if (end !== h.i + 1 || inlineValue(rest) !== 'scalar') return undefined;
        items.push({ start, region: { lines: r.lines, from: h.i, to: h.i, indent: columnOf(r, h.i, start) } });
        continue;
      }
      items.push({ start, region: { lines: r.lines, from: h.i, to: end, indent: columnOf(r, h.i, start), firstStart: start, firstBody: rest } });
    }
    return { kind: 'sequence', items };
  }
  const pairs: Array<{ key: string; keyStart: number; valueKind: 'scalar' | 'empty'; valueStart: number; child?: Region }> = [];
  for (let k = 0; k < heads.length; k++) {
    const h = heads[k]!;
    if (tricky(h.body)) return undefined;
    const m = PLAIN_KEY.exec(h.body);
    if (!m) return undefined;
    const rawKey = m[1]!;
    const afterColon = h.body.slice(rawKey.length + 1);
    const kind = inlineValue(afterColon);
    if (kind === undefined) return undefined;
    const end = next(k);
    const valueOffset = rawKey.length + 1 + (afterColon.length - afterColon.trimStart().length);
    const pair: (typeof pairs)[number] = { key: unquote(rawKey), keyStart: h.start, valueKind: kind, valueStart: h.start + valueOffset };
    if (kind === 'scalar') {
      if (end !== h.i + 1) return undefined; // continues on the next lines: a multi-line scalar
    } else if (end > h.i + 1) {
      const first = r.lines[h.i + 1]!;
      const col = columnOf(r, h.i, h.start);
      // A block value is indented deeper, or a sequence may sit at the key's own column.
      if (first.indent > col || (first.indent === col && isItem(first.body))) {
        pair.child = { lines: r.lines, from: h.i + 1, to: end, indent: first.indent };
      } else return undefined;
    }
    pairs.push(pair);
  }
  return { kind: 'mapping', pairs };
}

function lineStartOf(r: Region, i: number): number {
  const l = r.lines[i]!;
  return l.start - l.indent;
}

/** Column of an offset on line `i`. */
function columnOf(r: Region, i: number, offset: number): number {
  return offset - lineStartOf(r, i);
}
