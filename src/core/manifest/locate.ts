import type { DocPath, Finding } from '../finding.js';
import { LineIndex } from './line-index.js';
import { fastLocate, splitDocuments } from './fast-locate.js';
import { jsonLocate } from './json-locate.js';
import { readJsonStream } from './json-stream.js';
import { loadYamlDocuments, looksLikeJson, stripBom, type YamlListenerState } from './yaml-load.js';

/**
 * Turns findings' `docIndex` + `path` into 1-based `line`/`column`.
 *
 * The file is read once more with the same parser `parseManifest` used (js-yaml), this time with a
 * listener that records where every node of the needed documents starts and ends, so document
 * indexes agree by construction (empty documents, a leading `---`, comment-only documents) and
 * the cost is one plain parse of the file up to the last document that has a finding. Paths are
 * followed through aliases and merge keys (`<<: *defaults`) to where the value is written.
 *
 * Where a finding points: at the value of the field its path names (`31000` in `hostPort: 31000`);
 * at the key when that value is a block mapping or sequence (`containers:`); when the path does
 * not exist (a missing field), at the nearest ancestor that does. Findings that already have a line,
 * or have no `docIndex`/`path`, are left alone.
 */
export function locateFindings(input: string, findings: Finding[], opts: { documents?: number; jsonOffsets?: ReadonlyArray<number> } = {}): void {
  let wanted = findings.filter((f) => f.line === undefined && f.docIndex !== undefined && f.path !== undefined);
  if (wanted.length === 0) return;
  const text = stripBom(input);
  const lines = new LineIndex(text);
  // JSON (one value or a stream of them) is located by reading the JSON text itself.
  const jsonOffsets = opts.jsonOffsets ?? (opts.documents === undefined ? jsonStreamOffsets(text) : undefined);
  if (jsonOffsets !== undefined) {
    for (const f of wanted) {
      const start = jsonOffsets[f.docIndex!];
      if (start === undefined) continue;
      const at = lines.at(jsonLocate(text, start, f.path!));
      f.line = at.line;
      f.column = at.column;
    }
    return;
  }
  // Block-style YAML is located by reading lines; only what that cannot be sure of is parsed again.
  // The line reader's document count must agree with the parser's (`documents` from parseManifest).
  if (opts.documents !== undefined) {
    const split = splitDocuments(text);
    if (split !== undefined && split.length === opts.documents) {
      for (const f of wanted) {
        const offset = fastLocate(split, f.docIndex!, f.path!);
        if (offset === undefined) continue;
        const at = lines.at(offset);
        f.line = at.line;
        f.column = at.column;
      }
      wanted = wanted.filter((f) => f.line === undefined);
      if (wanted.length === 0) return;
    }
  }
  const docs = new Set(wanted.map((f) => f.docIndex!));
  const tree = recordNodes(text, docs);
  for (const f of wanted) {
    const offset = tree.locate(f.docIndex!, f.path!);
    if (offset === undefined) continue;
    const at = lines.at(offset);
    f.line = at.line;
    f.column = at.column;
  }
}

/** Where the values of a JSON text start, when it is JSON (as parseManifest reads it), else undefined. */
function jsonStreamOffsets(text: string): number[] | undefined {
  if (!looksLikeJson(text)) return undefined;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    try {
      JSON.parse(text);
      return [text.length - trimmed.length];
    } catch {
      return undefined;
    }
  }
  const stream = readJsonStream(text);
  return stream.error === undefined ? stream.offsets : undefined;
}

/** One node as js-yaml composed it. */
interface YNode {
  /** Parser position when the node was opened (before separating whitespace and properties). */
  open: number;
  /** Parser position when the node was done. */
  close: number;
  result: unknown;
  kind: string | null;
  tag: string | null;
  children: YNode[];
  /** Filled on first lookup: key/value pairs of a mapping, elements of a sequence. */
  pairs?: Array<{ key: string; merge: boolean; keyNode: YNode; value: YNode | undefined }>;
  elements?: Array<YNode | undefined>;
}

const STOP = new Error('k8smctl: located everything needed');

class NodeTree {
  readonly roots = new Map<number, YNode>();
  /** Collections by identity, for aliases and merge keys (first node that produced the value). */
  readonly defining = new Map<object, YNode>();

  constructor(private readonly text: string) {}

  /** Offset a finding at `path` of document `docIndex` should point at. */
  locate(docIndex: number, path: DocPath): number | undefined {
    const root = this.roots.get(docIndex);
    if (!root) return undefined;
    let node = root;
    let keyNode: YNode | undefined;
    for (const seg of path) {
      const target = this.deref(node);
      let next: { node: YNode | undefined; key: YNode | undefined } | undefined;
      if (target.kind === 'mapping') {
        const pair = this.lookup(target, String(seg), 0);
        next = pair && { node: pair.value, key: pair.keyNode };
      } else if (target.kind === 'sequence' && typeof seg === 'number') {
        const el = this.elements(target)[seg];
        next = el && { node: el, key: undefined };
      }
      if (!next) break; // missing field: the nearest existing ancestor
      if (!next.node) return this.start(next.key!); // `key:` with nothing after it (flow `{key}`)
      node = next.node;
      keyNode = next.key;
    }
    return this.pointAt(node, keyNode);
  }

  private pointAt(node: YNode, keyNode: YNode | undefined): number {
    const start = this.contentStart(node);
    if (start === undefined) return keyNode ? this.start(keyNode) : node.open; // no content: `key:` alone
    const target = this.deref(node);
    const c = this.text.charCodeAt(start);
    const block = (target.kind === 'mapping' || target.kind === 'sequence') && c !== 0x7b && c !== 0x5b && c !== 0x2a;
    return block && keyNode ? this.start(keyNode) : start;
  }

  private start(node: YNode): number {
    return this.contentStart(node) ?? node.open;
  }

  /** First character of the node's content (after whitespace, comments, `!tag` and `&anchor`), if any. */
  private contentStart(node: YNode): number | undefined {
    const t = this.text;
    let i = node.open;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else if (c === 0x23 /* # */) {
        while (i < t.length && t.charCodeAt(i) !== 0x0a && t.charCodeAt(i) !== 0x0d) i++;
      } else if ((c === 0x21 /* ! */ || c === 0x26) /* & */ && i + 1 < node.close) {
        while (i < t.length && !/[\s,[\]{}]/.test(t[i]!)) i++;
      } else break;
    }
    return i < node.close && i < t.length ? i : undefined;
  }

  /**
   * The node that holds a collection's entries: an alias node stands for the collection it names,
   * and where js-yaml first tried to read a block mapping and found a flow collection (`- {a: 1}`,
   * a document root `{...}`), the collection is the single child of a node with the same value.
   */
  private deref(node: YNode): YNode {
    let n = node;
    for (let i = 0; i < 8; i++) {
      if (typeof n.result !== 'object' || n.result === null) return n;
      const only = n.children.length === 1 ? n.children[0]! : undefined;
      if (only && only.result === n.result) n = only;
      else if (n.kind === null && n.children.length === 0) n = this.defining.get(n.result) ?? n;
      else return n;
    }
    return n;
  }

  private lookup(map: YNode, key: string, depth: number): { keyNode: YNode; value: YNode | undefined } | undefined {
    const pairs = this.pairs(map);
    for (let i = pairs.length - 1; i >= 0; i--) {
      const p = pairs[i]!;
      if (!p.merge && p.key === key) return p;
    }
    if (depth > 20) return undefined;
    // Merge keys: the first merged mapping that has the key wins (as js-yaml merges them).
    for (const p of pairs) {
      if (!p.merge || !p.value) continue;
      const sources = Array.isArray(p.value.result) ? this.elements(this.deref(p.value)) : [p.value];
      for (const s of sources) {
        if (!s) continue;
        const src = this.deref(s);
        if (src.kind !== 'mapping') continue;
        const found = this.lookup(src, key, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** Whether a ':' follows the node (after whitespace and comments): it is a key with a value. */
  private followedByColon(node: YNode): boolean {
    const t = this.text;
    let i = node.close;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else if (c === 0x23) {
        while (i < t.length && t.charCodeAt(i) !== 0x0a && t.charCodeAt(i) !== 0x0d) i++;
      } else return c === 0x3a;
    }
  }

  /**
   * Key/value pairs of a mapping. js-yaml composes a key node, then (when a ':' follows) its value
   * node; a flow mapping's `{a, b: 1}` has keys without values, and a block mapping ends with an
   * attempt at a key that finds nothing.
   */
  private pairs(map: YNode): NonNullable<YNode['pairs']> {
    if (map.pairs) return map.pairs;
    const pairs: NonNullable<YNode['pairs']> = [];
    const ch = map.children;
    for (let i = 0; i < ch.length; i++) {
      const keyNode = ch[i]!;
      const hasValue = i + 1 < ch.length && this.followedByColon(keyNode);
      const value = hasValue ? ch[++i] : undefined;
      if (!hasValue && this.contentStart(keyNode) === undefined) continue; // the end-of-mapping attempt
      const k = keyNode.result;
      const key = typeof k === 'object' && k !== null && !Array.isArray(k) ? '[object Object]' : String(k);
      pairs.push({ key, merge: keyNode.tag === 'tag:yaml.org,2002:merge', keyNode, value });
    }
    map.pairs = pairs;
    return pairs;
  }

  /** Elements of a sequence, aligned with the loaded array (an empty `-` entry composes no node). */
  private elements(seq: YNode): Array<YNode | undefined> {
    if (seq.elements) return seq.elements;
    const entries: YNode[] = [];
    const ch = seq.children;
    for (let i = 0; i < ch.length; i++) {
      const n = ch[i]!;
      entries.push(n);
      if (i + 1 < ch.length && this.followedByColon(n)) i++; // flow `[a: 1]`: one single-pair mapping
    }
    const arr = Array.isArray(seq.result) ? (seq.result as unknown[]) : [];
    const elements: Array<YNode | undefined> = [];
    let j = 0;
    for (let i = 0; i < arr.length; i++) {
      const n = entries[j];
      const v = arr[i];
      if (n && (Object.is(n.result, v) || (typeof v === 'object' && v !== null && !Array.isArray(v) && this.followedByColon(n)))) {
        elements.push(n);
        j++;
      } else if (v === null && n && n.result !== null) {
        elements.push(undefined); // `-` with nothing after it
      } else {
        elements.push(n);
        j++;
      }
    }
    seq.elements = elements;
    return elements;
  }
}

/**
 * Parses `text` with a listener that keeps the node tree of the documents in `docs`, and stops as
 * soon as the last of them is done (so a finding in the first document costs one document's parse).
 */
function recordNodes(text: string, docs: ReadonlySet<number>): NodeTree {
  const tree = new NodeTree(text);
  const last = Math.max(...docs);
  const stack: YNode[] = [];
  let depth = 0;
  let recording = false;
  let doc = 0;
  const listener = (event: 'open' | 'close', s: YamlListenerState): void => {
    if (event === 'open') {
      if (depth === 0) {
        doc = s.documents.length;
        if (doc > last) throw STOP;
        recording = docs.has(doc);
      }
      depth++;
      if (recording) stack.push({ open: s.position, close: s.position, result: undefined, kind: null, tag: null, children: [] });
      return;
    }
    depth--;
    if (!recording) return;
    const node = stack.pop()!;
    node.close = s.position;
    node.result = s.result;
    node.kind = s.kind;
    node.tag = s.tag;
    if (node.kind !== null && typeof node.result === 'object' && node.result !== null && !tree.defining.has(node.result)) {
      tree.defining.set(node.result, node);
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else tree.roots.set(doc, node);
  };
  try {
    loadYamlDocuments(text, listener, looksLikeJson(text));
  } catch {
    // STOP, or a syntax error after the documents recorded so far (already reported by parseManifest)
  }
  return tree;
}
