import type { DocPath } from '../finding.js';
import { plainKeyString } from './yaml-load.js';

/**
 * Where a finding's path points, found by reading the YAML text's structure (no YAML parse of the
 * values): block mappings and sequences by indentation, flow collections (`args: ["--port", "80"]`,
 * `labels: {app: web}`, JSON documents) by their brackets, with block scalars, multi-line quoted
 * and plain scalars, anchors, tags, quoted keys and comments read as what they are. Only valid YAML
 * comes here (the file parsed), so the structure is read with few checks.
 *
 * It answers only when sure, and otherwise returns undefined so that the caller asks the full
 * locator (`locateFindings`, a positional js-yaml parse): a path through an alias or a merge key
 * (`<<: *defaults`), complex keys (`? `), directives, tabs in indentation, a document count that
 * differs from the parser's, a key that cannot be read back exactly (escapes in a quoted key).
 * Where it answers, it agrees with `locateFindings` (property-tested): the value's first character
 * for a scalar, a flow collection or an alias; the key for a block mapping or sequence; the entry's
 * content for a sequence element; for a missing field, the nearest ancestor that exists.
 */

interface Line {
  /** Offset of the line's first non-space character in the text. */
  start: number;
  /** Column of the first non-space character (the indentation). */
  indent: number;
  /** Offset of the end of the line (before the line break). */
  end: number;
  /** The line from its first non-space character, without a trailing comment and trailing spaces: see `bodyOfLine`. */
  body: string | undefined;
}

/** A line's body (read on first use: only lines on the way to a finding need one). */
function bodyOfLine(text: string, l: Line): string {
  if (l.body === undefined) l.body = bodyOf(text.slice(l.start - l.indent, l.end), l.indent);
  return l.body;
}

/**
 * One document: where it is in the text, and (read on first use, as most documents of a file need
 * no locating) its structural lines: blank, comment-only and continuation lines left out.
 */
export interface Doc {
  text: string;
  /** Offsets of the document's lines: [from, to). */
  from: number;
  to: number;
  /** Filled by `linesOf`. */
  lines?: Line[];
  /** Regions already read, by first line (and first column for a region that starts mid-line). */
  cache: Map<number, Entries | null>;
  /** A flow collection or quoted value the structure scan could not find the end of: give every path up. */
  unsure?: boolean;
}

/** Entries of a block region or of a flow collection. */
type Entries = { kind: 'mapping'; merge: boolean; pairs: Pair[] } | { kind: 'sequence'; items: Item[] };

/** A value as far as pointing at it goes. */
interface Value {
  /**
   * - `empty`: nothing (null): point at the key.
   * - `scalar`, `flow`, `alias`: point at `start` (a flow collection is entered by `flowEntries`).
   * - `block`: a block mapping or sequence in `region`: point at the key (or, for an element, at `start`).
   */
  kind: 'empty' | 'scalar' | 'flow' | 'alias' | 'block';
  /** Offset of the value's content (after anchors and tags). */
  start: number;
  region?: Region;
}

interface Pair {
  key: string;
  keyStart: number;
  value: Value;
}

interface Item {
  value: Value;
}

/** Lines [from, to) of a document whose entries sit at column `indent`; the first entry may start mid-line. */
interface Region {
  from: number;
  to: number;
  indent: number;
  /** The first entry starts mid-line (after `- `): its offset and text. */
  firstStart?: number;
  firstBody?: string;
}

/**
 * A plain or quoted key followed by `:` and a space or the end: [whole match, key text]. Applied to
 * line bodies, which have no comment left, so a plain key may hold any character after its first.
 */
const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#&*!|>'"%@`{}[\],?:-].*?|[-?:][^\s].*?):(?:[ \t]|$)/;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** The body of a line: from the first non-space character, without a comment (` #...`) or trailing spaces. */
function bodyOf(raw: string, indent: number): string {
  let end = raw.length;
  if (raw.indexOf('#', indent) !== -1) {
    let quote = 0;
    for (let i = indent; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) {
          if (quote === 0x27 && raw.charCodeAt(i + 1) === 0x27) i++;
          else quote = 0;
        } else if (c === 0x5c && quote === 0x22) i++;
      } else if (c === 0x23 && (i === indent || isSpace(raw.charCodeAt(i - 1)))) {
        end = i;
        break;
      } else if ((c === 0x22 || c === 0x27) && (i === indent || /[\s:,[{-]/.test(raw[i - 1]!))) {
        quote = c;
      }
    }
  }
  while (end > indent && isSpace(raw.charCodeAt(end - 1))) end--;
  return raw.slice(indent, end);
}

/** Offset just after the quoted scalar starting at `i` (a `"` or `'`), or -1 when it does not close. */
function endOfQuoted(text: string, i: number): number {
  const q = text.charCodeAt(i);
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (q === 0x22 && c === 0x5c) j++;
    else if (c === q) {
      if (q === 0x27 && text.charCodeAt(j + 1) === 0x27) j++;
      else return j + 1;
    }
  }
  return -1;
}

/** Whether a character ends a plain scalar inside a flow collection. */
function flowIndicator(c: number): boolean {
  return c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d; // , [ ] { }
}

/** Space, tab or a line break. */
function isWhite(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Skips spaces, line breaks and comments inside a flow collection. */
function skipFlowSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23 && (i === 0 || isWhite(text.charCodeAt(i - 1)))) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else return i;
  }
}

/** End of a plain scalar inside a flow collection starting at `i` (it may span lines). */
function endOfFlowPlain(text: string, i: number): number {
  let j = i;
  let end = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (flowIndicator(c)) break;
    if (c === 0x3a /* : */) {
      const d = text.charCodeAt(j + 1);
      if (Number.isNaN(d) || isWhite(d) || flowIndicator(d)) break;
    }
    if (c === 0x23 && (j === 0 || isWhite(text.charCodeAt(j - 1)))) break;
    j++;
    if (!isWhite(c)) end = j;
  }
  return end;
}

/** Offset just after the flow collection starting at `i` (a `[` or `{`), or -1 when unsure. */
function endOfFlow(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    j = skipFlowSpace(text, j);
    const c = text.charCodeAt(j);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      j++;
    } else if (c === 0x5d || c === 0x7d) {
      j++;
      if (--depth === 0) return j;
    } else if (c === 0x22 || c === 0x27) {
      j = endOfQuoted(text, j);
      if (j < 0) return -1;
    } else if (c === 0x2c || c === 0x3a || c === 0x3f) {
      j++;
    } else if (Number.isNaN(c)) {
      return -1;
    } else {
      const e = endOfFlowPlain(text, j);
      j = e > j ? e : j + 1;
    }
  }
  return -1;
}

/** Skips `&anchor` and `!tag` properties (and the spaces after them) in `s` from `i`. */
function skipProperties(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== 0x26 && c !== 0x21) return i;
    while (i < s.length && !isSpace(s.charCodeAt(i))) i++;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  }
}

/**
 * Where a line's value starts (after `- ` markers, a key and properties), for the continuation scan:
 * its offset in the body and the column of the node that owns a block scalar.
 */
function valueOfLine(body: string): { at: number; owner: number } | undefined {
  let i = 0;
  let owner = 0;
  while (body.charCodeAt(i) === 0x2d /* - */ && (i + 1 === body.length || isSpace(body.charCodeAt(i + 1)))) {
    owner = i;
    i++;
    while (i < body.length && isSpace(body.charCodeAt(i))) i++;
  }
  i = skipProperties(body, i);
  const m = KEY.exec(body.slice(i));
  if (m) {
    owner = i;
    i += m[0].length;
    while (i < body.length && isSpace(body.charCodeAt(i))) i++;
    i = skipProperties(body, i);
  }
  return { at: i, owner };
}

/** Offsets of the lines that start with `marker`, in order (one `indexOf` pass). */
function linesStartingWith(text: string, marker: string): number[] {
  const out: number[] = [];
  if (text.startsWith(marker)) out.push(0);
  for (let i = text.indexOf(`\n${marker}`); i !== -1; i = text.indexOf(`\n${marker}`, i + 1)) out.push(i + 1);
  return out;
}

/**
 * Splits the text into documents as js-yaml counts them (empty ones included); undefined when
 * unsure: directives, `...` end markers, content on a `---` line, lone CR line breaks. Only the
 * document boundaries are found here; a document's lines are read when a path is located in it.
 */
export function splitDocuments(text: string): Doc[] | undefined {
  if (text.indexOf('\r') !== -1 && /\r(?!\n)/.test(text)) return undefined; // lone CR line breaks
  const docs: Doc[] = [];
  let from = 0;
  let sawMarker = false;
  if (text.startsWith('%') || text.indexOf('\n%') !== -1) return undefined; // directives
  const markers = linesStartingWith(text, '---');
  if (text.indexOf('...') !== -1) markers.push(...linesStartingWith(text, '...'));
  markers.sort((a, b) => a - b);
  for (const at of markers) {
    const c = text.charCodeAt(at);
    const next = text.charCodeAt(at + 3);
    const ends = Number.isNaN(next) || next === 0x0a || next === 0x0d || next === 0x20 || next === 0x09;
    if (!ends) continue; // `---x`, `...x` are text
    if (c === 0x2e) return undefined; // `...`: leave to the parser
    let eol = text.indexOf('\n', at);
    if (eol === -1) eol = text.length;
    const rest = text.slice(at + 3, eol).trim();
    if (rest !== '' && !rest.startsWith('#')) return undefined; // `--- value`
    if (sawMarker || hasContent(text, from, at)) docs.push({ text, from, to: at, cache: new Map() });
    sawMarker = true;
    from = eol + 1;
  }
  if (sawMarker || hasContent(text, from, text.length)) docs.push({ text, from: Math.min(from, text.length), to: text.length, cache: new Map() });
  return docs;
}

/** Whether [from, to) of the text has a line that is neither blank nor a comment. */
function hasContent(text: string, from: number, to: number): boolean {
  let lineStart = true;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) lineStart = true;
    else if (c === 0x20 || c === 0x09) continue;
    else if (lineStart && c === 0x23) {
      while (i < to && text.charCodeAt(i) !== 0x0a) i++;
    } else return true;
  }
  return false;
}

/** Whether [from, to) holds a character that may open a multi-line value (`|`, `>`, `[`, `{`, a quote). */
function mayContinue(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7c || c === 0x3e || c === 0x5b || c === 0x7b || c === 0x22 || c === 0x27) return true;
  }
  return false;
}

/** The structural lines of a document (read once): blank, comment-only and continuation lines left out. */
export function linesOf(doc: Doc): Line[] {
  if (doc.lines !== undefined) return doc.lines;
  const text = doc.text;
  const lines: Line[] = [];
  let pos = doc.from;
  const n = doc.to;
  /** Lines up to this offset are inside a multi-line value (flow collection, quoted scalar). */
  let skipTo = -1;
  /** A block scalar's owner column: following lines more indented than it (or blank) are its content. */
  let blockOwner = -1;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end === -1 || end > n) end = n;
    let lineEnd = end;
    if (text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
    let indent = pos;
    while (indent < lineEnd && text.charCodeAt(indent) === 0x20) indent++;
    const blank = indent === lineEnd;
    indent -= pos;
    if (pos < skipTo) {
      // inside a multi-line flow collection or quoted scalar
    } else if (blockOwner >= 0 && (blank || indent > blockOwner)) {
      // block scalar content
    } else {
      blockOwner = -1;
      const first = text.charCodeAt(pos + indent);
      if (!blank && first !== 0x23 /* # */) {
        if (first === 0x09) doc.unsure = true; // tabs
        const line: Line = { start: pos + indent, indent, end: lineEnd, body: undefined };
        lines.push(line);
        // Only a line with one of | > [ { " ' may open a value that continues on the next lines.
        if (mayContinue(text, line.start, lineEnd)) {
          const body = bodyOfLine(text, line);
          const v = body === '' ? undefined : valueOfLine(body);
          if (body === '')
            lines.pop(); // nothing but a comment after all
          else if (v !== undefined) {
            const c = body.charCodeAt(v.at);
            if (c === 0x7c || c === 0x3e) {
              blockOwner = indent + v.owner; // | or >
            } else if (c === 0x5b || c === 0x7b || c === 0x22 || c === 0x27) {
              const at = line.start + v.at;
              const e = c === 0x22 || c === 0x27 ? endOfQuoted(text, at) : endOfFlow(text, at);
              if (e < 0) doc.unsure = true;
              else if (e > lineEnd) skipTo = e;
            }
          }
        }
      }
    }
    pos = end + 1;
  }
  doc.lines = lines;
  return lines;
}

/** Text only the full parser reads right, at the start of an entry. */
function tricky(s: string): boolean {
  return s.startsWith('? ') || s === '?' || s.startsWith('- -') || /^[%@`]/.test(s);
}

/** A key as the loaded object spells it, or undefined when it cannot be read back exactly. */
function keyText(raw: string): string | undefined {
  if (raw.startsWith('"')) return raw.indexOf('\\') === -1 ? raw.slice(1, -1) : undefined;
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  const key = raw.trimEnd();
  // Only text that starts like null, a boolean or a number can resolve to anything but itself.
  const c = key.charCodeAt(0);
  const lower = c | 0x20;
  const plain = lower >= 0x61 && lower <= 0x7a && lower !== 0x79 && lower !== 0x6e && lower !== 0x74 && lower !== 0x66 && lower !== 0x6f;
  return plain ? key : plainKeyString(key);
}

/** The value written after a key or `- ` at `offset` (`rest` is the rest of the line body). */
function inlineValue(rest: string, offset: number): Value | undefined {
  const lead = rest.length - rest.trimStart().length;
  let i = skipProperties(rest, lead);
  const start = offset + i;
  if (i >= rest.length) return { kind: 'empty', start };
  const c = rest[i]!;
  if (c === '|' || c === '>') return { kind: 'scalar', start };
  if (c === '[' || c === '{') return { kind: 'flow', start };
  if (c === '*') return { kind: 'alias', start };
  if (c === '"' || c === "'") return { kind: 'scalar', start };
  if (tricky(rest.slice(i)) || (c === '-' && (rest.length === i + 1 || isSpace(rest.charCodeAt(i + 1))))) return undefined;
  i = rest.indexOf(': ', i);
  if (i !== -1 || rest.endsWith(':')) return undefined; // `a: b: c` and friends
  return { kind: 'scalar', start };
}

/** The column of an offset on line `i` of the doc. */
function columnOf(doc: Doc, i: number, offset: number): number {
  const l = doc.lines![i]!;
  return offset - (l.start - l.indent);
}

/** A value that continues on the lines after its key or dash (lines [from, to) of the doc, deeper than `col`). */
function valueBelow(doc: Doc, from: number, to: number, col: number, dash: boolean): Value | undefined {
  if (to <= from) return undefined;
  const first = doc.lines![from]!;
  const firstBody = bodyOfLine(doc.text, first);
  // A block value is indented deeper; a sequence may sit at a key's own column.
  const isItem = firstBody === '-' || firstBody.startsWith('- ');
  if (!(first.indent > col || (!dash && first.indent === col && isItem))) return undefined;
  const c = firstBody[0]!;
  if (c === '[' || c === '{') return { kind: 'flow', start: first.start };
  if (c === '&' || c === '!' || c === '*' || c === '|' || c === '>') return undefined;
  if (!isItem && !KEY.test(firstBody)) {
    // a scalar on its own line(s)
    return c === '"' || c === "'" || !tricky(firstBody) ? { kind: 'scalar', start: first.start } : undefined;
  }
  return { kind: 'block', start: first.start, region: { from, to, indent: first.indent } };
}

/** The entries of a block region at its indentation: mapping pairs or sequence items; null when unsure. */
function entriesOf(doc: Doc, r: Region): Entries | null {
  const cacheKey = r.firstStart ?? -1 - r.from;
  const cached = doc.cache.get(cacheKey);
  if (cached !== undefined) return cached;
  const found = readEntries(doc, r);
  doc.cache.set(cacheKey, found);
  return found;
}

function readEntries(doc: Doc, r: Region): Entries | null {
  const lines = doc.lines!;
  const firstLine = lines[r.from];
  const firstBody = r.firstBody ?? (firstLine === undefined ? undefined : bodyOfLine(doc.text, firstLine));
  if (firstBody === undefined) return null;
  const isItem = (body: string) => body === '-' || body.startsWith('- ');
  const isSeq = isItem(firstBody);
  const heads: Array<{ i: number; start: number; body: string }> = [];
  for (let i = r.from; i < r.to; i++) {
    const l = lines[i]!;
    if (i === r.from && r.firstBody !== undefined) {
      heads.push({ i, start: r.firstStart!, body: r.firstBody });
      continue;
    }
    if (l.indent < r.indent) return null;
    if (l.indent > r.indent) continue;
    const body = bodyOfLine(doc.text, l);
    // In a mapping, `- ` lines at the keys' column belong to the value of the key above them.
    if (!isSeq && isItem(body)) continue;
    heads.push({ i, start: l.start, body });
  }
  const next = (k: number) => (k + 1 < heads.length ? heads[k + 1]!.i : r.to);
  if (isSeq) {
    const items: Item[] = [];
    for (let k = 0; k < heads.length; k++) {
      const h = heads[k]!;
      if (!isItem(h.body)) return null; // a mapping key among items
      let off = 1;
      while (isSpace(h.body.charCodeAt(off))) off++;
      const rest = h.body.slice(off);
      const start = h.start + off;
      const end = next(k);
      const col = columnOf(doc, h.i, h.start);
      if (rest === '') {
        // `-` alone: the element is on the following lines (or null: leave that to the parser)
        const below = valueBelow(doc, h.i + 1, end, col, true);
        if (below === undefined) return null;
        items.push({ value: below.kind === 'block' ? { ...below, kind: 'block' } : below });
        continue;
      }
      if (tricky(rest)) return null;
      const afterProps = skipProperties(rest, 0);
      if (afterProps > 0 && afterProps >= rest.length) {
        // `- &anchor` with the element below
        const below = valueBelow(doc, h.i + 1, end, col, true);
        if (below === undefined) return null;
        items.push({ value: below });
        continue;
      }
      if (KEY.test(rest.slice(afterProps))) {
        const first = start + afterProps;
        items.push({
          value: {
            kind: 'block',
            start: first,
            region: { from: h.i, to: end, indent: columnOf(doc, h.i, first), firstStart: first, firstBody: rest.slice(afterProps) },
          },
        });
        continue;
      }
      const v = inlineValue(rest, start);
      if (v === undefined || v.kind === 'empty') return null;
      items.push({ value: v });
    }
    return { kind: 'sequence', items };
  }
  const pairs: Pair[] = [];
  let merge = false;
  for (let k = 0; k < heads.length; k++) {
    const h = heads[k]!;
    if (tricky(h.body)) return null;
    const m = KEY.exec(h.body);
    if (!m) return null;
    const rawKey = m[1]!;
    if (rawKey === '<<') {
      merge = true;
      continue;
    }
    const key = keyText(rawKey);
    if (key === undefined) return null;
    const valueOffset = m[0].length;
    const v = inlineValue(h.body.slice(valueOffset), h.start + valueOffset);
    if (v === undefined) return null;
    let value: Value = v;
    if (v.kind === 'empty') {
      const below = valueBelow(doc, h.i + 1, next(k), columnOf(doc, h.i, h.start), false);
      if (below !== undefined) value = below;
      else if (next(k) > h.i + 1) return null;
    }
    pairs.push({ key, keyStart: h.start, value });
  }
  return { kind: 'mapping', merge, pairs };
}

/** The entries of the flow collection at `start` (a `{` or `[`); null when unsure. */
function flowEntries(doc: Doc, start: number): Entries | null {
  const cached = doc.cache.get(start);
  if (cached !== undefined) return cached;
  const found = readFlow(doc.text, start);
  doc.cache.set(start, found);
  return found;
}

/** A flow value at `i`: its kind and where it ends. */
function flowValue(text: string, i: number): { value: Value; end: number } | undefined {
  const at = skipProperties(text, i);
  const c = text.charCodeAt(at);
  if (c === 0x5b || c === 0x7b) {
    const end = endOfFlow(text, at);
    return end < 0 ? undefined : { value: { kind: 'flow', start: at }, end };
  }
  if (c === 0x22 || c === 0x27) {
    const end = endOfQuoted(text, at);
    return end < 0 ? undefined : { value: { kind: 'scalar', start: at }, end };
  }
  if (c === 0x2a) return { value: { kind: 'alias', start: at }, end: endOfFlowPlain(text, at) };
  if (c === 0x2c || c === 0x5d || c === 0x7d) return { value: { kind: 'empty', start: at }, end: at };
  const end = endOfFlowPlain(text, at);
  return end > at ? { value: { kind: 'scalar', start: at }, end } : undefined;
}

function readFlow(text: string, start: number): Entries | null {
  const open = text.charCodeAt(start);
  const closeChar = open === 0x5b ? 0x5d : 0x7d;
  let i = skipFlowSpace(text, start + 1);
  if (open === 0x5b) {
    const items: Item[] = [];
    while (text.charCodeAt(i) !== closeChar) {
      const v = flowValue(text, i);
      if (v === undefined || v.value.kind === 'empty') return null;
      i = skipFlowSpace(text, v.end);
      if (text.charCodeAt(i) === 0x3a) return null; // `[a: 1]`: a single-pair mapping
      items.push({ value: v.value });
      if (text.charCodeAt(i) === 0x2c) i = skipFlowSpace(text, i + 1);
      else if (text.charCodeAt(i) !== closeChar) return null;
    }
    return { kind: 'sequence', items };
  }
  const pairs: Pair[] = [];
  let merge = false;
  while (text.charCodeAt(i) !== closeChar) {
    const keyStart = i;
    let rawKey: string;
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      const e = endOfQuoted(text, i);
      if (e < 0) return null;
      rawKey = text.slice(i, e);
      if (rawKey.indexOf('\n') !== -1) return null;
      i = e;
    } else {
      if (c === 0x3f || c === 0x26 || c === 0x21 || c === 0x2a || c === 0x5b || c === 0x7b) return null; // complex keys, properties
      const e = endOfFlowPlain(text, i);
      if (e <= i) return null;
      rawKey = text.slice(i, e);
      if (rawKey.indexOf('\n') !== -1) return null;
      i = e;
    }
    i = skipFlowSpace(text, i);
    let value: Value = { kind: 'empty', start: keyStart };
    if (text.charCodeAt(i) === 0x3a) {
      const v = flowValue(text, skipFlowSpace(text, i + 1));
      if (v === undefined) return null;
      if (v.value.kind !== 'empty') value = v.value;
      i = skipFlowSpace(text, v.end);
    }
    if (rawKey === '<<') merge = true;
    else {
      const key = keyText(rawKey);
      if (key === undefined) return null;
      pairs.push({ key, keyStart, value });
    }
    if (text.charCodeAt(i) === 0x2c) i = skipFlowSpace(text, i + 1);
    else if (text.charCodeAt(i) !== closeChar) return null;
  }
  return { kind: 'mapping', merge, pairs };
}

/**
 * Where a document's root value starts (a finding about the whole object, such as object-redefined),
 * read from its first structural line only: its lines need not be read, as the root is neither
 * entered nor ended. Undefined where `valueBelow` would be unsure (tab, anchor, tag, alias, block
 * scalar or a tricky start).
 */
function rootStart(doc: Doc): number | undefined {
  const text = doc.text;
  let pos = doc.from;
  while (pos < doc.to) {
    let end = text.indexOf('\n', pos);
    if (end === -1 || end > doc.to) end = doc.to;
    let lineEnd = end;
    if (text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
    let i = pos;
    while (i < lineEnd && text.charCodeAt(i) === 0x20) i++;
    const c = text.charCodeAt(i);
    if (i < lineEnd && c !== 0x23 /* # */) {
      // & ! * | > and a tab: as valueBelow and linesOf, the parser's
      if (c === 0x09 || c === 0x26 || c === 0x21 || c === 0x2a || c === 0x7c || c === 0x3e) return undefined;
      if (c === 0x5b || c === 0x7b || c === 0x22 || c === 0x27) return i; // a flow collection or a quoted scalar
      const body = bodyOfLine(text, { start: i, indent: i - pos, end: lineEnd, body: undefined });
      const isItem = body === '-' || body.startsWith('- ');
      return isItem || KEY.test(body) || !tricky(body) ? i : undefined;
    }
    pos = end + 1;
  }
  return undefined;
}

/** Offset the path points at in document `docIndex`, or undefined when unsure. */
export function fastLocate(docs: Doc[], docIndex: number, path: DocPath): number | undefined {
  const doc = docs[docIndex];
  if (!doc) return undefined;
  if (path.length === 0) return rootStart(doc);
  const lines = linesOf(doc);
  if (lines.length === 0 || doc.unsure) return undefined;
  const root = valueBelow(doc, 0, lines.length, -1, false);
  if (root === undefined) return undefined;
  // Where the path points so far: the node reached, and the key it was reached by.
  let node: Value = root;
  let keyStart: number | undefined;
  const pointAt = (): number => {
    if (node.kind === 'empty') return keyStart ?? node.start;
    if (node.kind === 'block' && keyStart !== undefined) return keyStart;
    return node.start;
  };
  for (const seg of path) {
    let entries: Entries | null;
    if (node.kind === 'block') entries = entriesOf(doc, node.region!);
    else if (node.kind === 'flow') entries = flowEntries(doc, node.start);
    else if (node.kind === 'alias')
      return undefined; // through an alias: the parser knows where it leads
    else return pointAt(); // a scalar or null has no fields: the nearest existing ancestor is this
    if (entries === null) return undefined;
    if (typeof seg === 'number') {
      if (entries.kind !== 'sequence') return pointAt();
      const item = entries.items[seg];
      if (item === undefined) return pointAt();
      node = item.value;
      keyStart = undefined;
      continue;
    }
    if (entries.kind !== 'mapping') return pointAt();
    let found: Pair | undefined;
    for (const pair of entries.pairs) if (pair.key === seg) found = pair; // the last duplicate wins, as in js-yaml
    if (found === undefined) {
      if (entries.merge) return undefined; // it may come from a merged mapping
      return pointAt();
    }
    node = found.value;
    keyStart = found.keyStart;
  }
  return pointAt();
}
