import type { DocPath } from '../finding.js';
import { MANIFEST_YAML_SCHEMA } from './yaml-load.js';

/**
 * A reader for the YAML that Kubernetes manifests are written in, giving the values js-yaml's
 * `loadAll` gives with k8smctl's schema (MANIFEST_YAML_SCHEMA) and, from the same pass, where each
 * field is written, so that findings are located by a lookup instead of a second reading of the text.
 *
 * It is here only for speed (docs/PERFORMANCE.md, "Issue 12, third round": one pass instead of
 * js-yaml's parse plus a positional scan). Its subset: block mappings and sequences (indented with
 * spaces), flow mappings and sequences, plain, single- and double-quoted scalars on one line, literal
 * and folded block scalars, comments, `---` between documents, anchors (no aliases). Anything else
 * (aliases, tags, merge keys, complex or duplicate keys, multi-line plain or quoted scalars, tabs,
 * carriage returns, directives, `...`, non-printable characters, anything js-yaml rejects) makes it
 * give up and return undefined: the caller then reads the text with js-yaml as before. Plain scalars
 * are resolved with the schema's own implicit types, in js-yaml's order, so YAML 1.1 readings
 * (`off`, `0755`) are the same by construction. Equality with js-yaml is tested over every document of
 * the real-world corpus and by a property test of generated documents (test/core/manifest/fast-yaml*.test.ts).
 */

/** Where the fields of the documents of one text are: a table in pre-order, valid until the next read. */
export interface FieldPositions {
  readonly generation: number;
  /** The documents read (a sequence's elements are matched with their entries as the full locator does). */
  readonly docs: ReadonlyArray<unknown>;
  /** Node index of each document's root, -1 for an empty document. */
  readonly roots: ReadonlyArray<number>;
}

// Node kinds in the position table.
const SCALAR = 0;
const FLOW_MAP = 1;
const FLOW_SEQ = 2;
const BLOCK_MAP = 3;
const BLOCK_SEQ = 4;
const EMPTY = 5;

/** Thrown (always this one object) when the text leaves the subset; caught by readManifestYaml. */
const BAIL = new Error('k8smctl: outside the one-pass YAML subset');

const IMPLICIT = (MANIFEST_YAML_SCHEMA as unknown as { compiledImplicit: Array<{ tag: string; resolve(s: string): boolean; construct(s: string): unknown }> })
  .compiledImplicit;
const MERGE_TAG = 'tag:yaml.org,2002:merge';

/** Characters js-yaml refuses in a stream, and those this reader leaves to js-yaml (tab, CR, Unicode line breaks, surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const OUTSIDE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]/;

// The text being read and the reader's state (module level: one read at a time, synchronous).
let T = '';
let N = 0;
let P = 0;
let lineStart = 0;
let line = 0;

// The position table (reused from text to text; `generation` tells a stale table).
let generation = 0;
let cap = 0;
let count = 0;
const tKey: Array<string | undefined> = [];
let tKeyOff = new Int32Array(0);
let tValOff = new Int32Array(0);
let tEnd = new Int32Array(0);
let tKind = new Uint8Array(0);

function grow(): void {
  const n = Math.max(1024, cap * 2);
  const k = new Int32Array(n);
  k.set(tKeyOff);
  tKeyOff = k;
  const v = new Int32Array(n);
  v.set(tValOff);
  tValOff = v;
  const e = new Int32Array(n);
  e.set(tEnd);
  tEnd = e;
  const d = new Uint8Array(n);
  d.set(tKind);
  tKind = d;
  cap = n;
}

function newNode(key: string | undefined, keyOff: number): number {
  if (count === cap) grow();
  const i = count++;
  tKey[i] = key;
  tKeyOff[i] = keyOff;
  return i;
}

function endNode(i: number, kind: number, valOff: number): void {
  tKind[i] = kind;
  tValOff[i] = valOff;
  tEnd[i] = count;
}

/**
 * The documents of `text` as js-yaml's `loadAll` reads them with MANIFEST_YAML_SCHEMA, and where
 * their fields are; undefined when the text is outside this reader's subset (read it with js-yaml).
 */
export function readManifestYaml(text: string): { docs: unknown[]; positions: FieldPositions } | undefined {
  // A byte-order mark (js-yaml drops it; parseManifest has already) and the characters left to js-yaml.
  if (text.charCodeAt(0) === 0xfeff || OUTSIDE.test(text)) return undefined;
  T = text.length > 0 && text.charCodeAt(text.length - 1) !== 0x0a ? `${text}\n` : text;
  N = T.length;
  P = 0;
  lineStart = 0;
  line = 0;
  count = 0;
  generation++;
  const docs: unknown[] = [];
  const roots: number[] = [];
  try {
    while (P < N && T.charCodeAt(P) === 0x20) P++;
    while (P < N - 1) readDocument(docs, roots);
  } catch (e) {
    // Outside the subset, or nested deeper than the stack allows (js-yaml then says where).
    if (e === BAIL || e instanceof RangeError) return undefined;
    throw e;
  } finally {
    T = '';
    // Keys past this text's nodes are an earlier text's (a long key is a slice that keeps its whole text alive).
    if (tKey.length > count) tKey.length = count;
  }
  return { docs, positions: { generation, docs, roots } };
}

function isWsOrEol(c: number): boolean {
  return c === 0x20 || c === 0x0a || Number.isNaN(c);
}

function isFlowIndicator(c: number): boolean {
  return c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
}

/**
 * Skips spaces, comments and line breaks (js-yaml's separation space). Returns the number of line
 * breaks crossed; afterwards P is at content, or at N.
 */
function skipSpace(): number {
  let breaks = 0;
  for (;;) {
    let c = T.charCodeAt(P);
    while (c === 0x20) c = T.charCodeAt(++P);
    if (c === 0x23) {
      const nl = T.indexOf('\n', P);
      P = nl === -1 ? N : nl;
      c = T.charCodeAt(P);
    }
    if (c === 0x0a) {
      P++;
      line++;
      lineStart = P;
      breaks++;
    } else return breaks;
  }
}

/** Column of P (the line's indentation when P is at the line's first content). */
function column(): number {
  return P - lineStart;
}

/** `---` or `...` at the start of a line, followed by a space or a line break. */
function atDocumentMarker(): boolean {
  if (P !== lineStart) return false;
  const c = T.charCodeAt(P);
  return (c === 0x2d || c === 0x2e) && T.charCodeAt(P + 1) === c && T.charCodeAt(P + 2) === c && isWsOrEol(T.charCodeAt(P + 3));
}

function readDocument(docs: unknown[], roots: number[]): void {
  skipSpace();
  if (P >= N) {
    // Only separation space left (js-yaml reads one empty document).
    docs.push(null);
    roots.push(-1);
    return;
  }
  const c0 = T.charCodeAt(P);
  if (column() === 0 && c0 === 0x25) throw BAIL; // a directive
  if (column() === 0 && c0 === 0x2d && T.charCodeAt(P + 1) === 0x2d && T.charCodeAt(P + 2) === 0x2d) {
    if (!isWsOrEol(T.charCodeAt(P + 3))) throw BAIL;
    P += 3;
    // Nothing but a comment may follow `---` on its line.
    if (skipSpace() === 0 && P < N) throw BAIL;
  }
  let value: unknown = null;
  let root = -1;
  if (P < N && !atDocumentMarker()) {
    // Documents that are a scalar or a flow collection (not manifests) are left to js-yaml.
    if (!atDash() && !atKey()) throw BAIL;
    const indent = column();
    root = newNode(undefined, -1);
    value = readBlockNodeAt(indent, indent - 1, root);
    skipSpace();
  }
  if (P < N && T.charCodeAt(P) === 0x2e && atDocumentMarker()) throw BAIL; // `...`
  docs.push(value);
  roots.push(root);
  if (P < N && !atDocumentMarker()) throw BAIL; // js-yaml: a document separator is expected
}

/**
 * A node that starts at P, the first content of its line (column `indent`), inside a parent block
 * at `parentIndent`: a block sequence or mapping, or a node of one line. Fills node `idx`.
 */
function readBlockNodeAt(indent: number, parentIndent: number, idx: number, anchored = false): unknown {
  const c = T.charCodeAt(P);
  const start = P;
  if (atDash()) {
    const seq = readBlockSequence(indent);
    endNode(idx, BLOCK_SEQ, start);
    return seq;
  }
  if (c === 0x26) {
    // An anchor: its node follows on the same line (one line, not a mapping) or on the next lines.
    if (anchored) throw BAIL; // two anchors on one node: js-yaml's error
    skipAnchor();
    if (skipSpace() === 0) {
      if (P >= N || atKey()) throw BAIL;
      return readInlineValue(parentIndent, idx, false);
    }
    const col = column();
    if (P >= N || col <= parentIndent || atDocumentMarker()) throw BAIL; // an anchored empty node
    return readBlockNodeAt(col, parentIndent, idx, true);
  }
  if (atKey()) {
    const map = readBlockMapping(indent);
    endNode(idx, BLOCK_MAP, start);
    return map;
  }
  if (parentIndent < 0) throw BAIL; // a document that is a scalar or a flow collection: left to js-yaml
  return readInlineValue(parentIndent, idx, false);
}

/** A block sequence entry's `-` at P. */
function atDash(): boolean {
  return T.charCodeAt(P) === 0x2d && isWsOrEol(T.charCodeAt(P + 1));
}

/** Skips `&name` at P (anchors are kept by js-yaml only for aliases, which this reader leaves to it). */
function skipAnchor(): void {
  P++;
  const from = P;
  let c = T.charCodeAt(P);
  while (P < N && c !== 0x20 && c !== 0x0a && !isFlowIndicator(c)) c = T.charCodeAt(++P);
  if (P === from) throw BAIL;
}

/**
 * Whether P starts a block mapping's key on this line: a plain key (as js-yaml reads a plain scalar
 * in block context) or a quoted one, followed by `:` and a space or line break.
 */
function atKey(): boolean {
  const c = T.charCodeAt(P);
  if (c === 0x22 || c === 0x27) {
    const end = quotedEnd(P);
    if (end < 0) return false;
    let i = end;
    while (T.charCodeAt(i) === 0x20) i++;
    return T.charCodeAt(i) === 0x3a;
  }
  if (!plainStart(c, T.charCodeAt(P + 1), false)) return false;
  for (let i = P + 1; i < N; i++) {
    const d = T.charCodeAt(i);
    if (d === 0x0a) return false;
    if (d === 0x3a && isWsOrEol(T.charCodeAt(i + 1))) return true;
    if (d === 0x23 && T.charCodeAt(i - 1) === 0x20) return false;
  }
  return false;
}

/** End (after the closing quote) of a one-line quoted scalar at `i`, or -1. */
function quotedEnd(i: number): number {
  const q = T.charCodeAt(i);
  for (let j = i + 1; j < N; j++) {
    const c = T.charCodeAt(j);
    if (c === 0x0a) return -1;
    if (q === 0x22 && c === 0x5c) j++;
    else if (c === q) {
      if (q === 0x27 && T.charCodeAt(j + 1) === 0x27) j++;
      else return j + 1;
    }
  }
  return -1;
}

/** Whether a plain scalar may start with `c` (then `next`), as js-yaml's readPlainScalar decides. */
function plainStart(c: number, next: number, flow: boolean): boolean {
  if (
    c === 0x20 ||
    c === 0x0a ||
    Number.isNaN(c) ||
    isFlowIndicator(c) ||
    c === 0x23 ||
    c === 0x26 ||
    c === 0x2a ||
    c === 0x21 ||
    c === 0x7c ||
    c === 0x3e ||
    c === 0x27 ||
    c === 0x22 ||
    c === 0x25 ||
    c === 0x40 ||
    c === 0x60
  ) {
    return false;
  }
  if ((c === 0x3f || c === 0x2d) && (isWsOrEol(next) || (flow && isFlowIndicator(next)))) return false;
  return true;
}

/** A plain scalar's value: the schema's implicit types in js-yaml's order, else the text. */
function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only these first characters can start a null, boolean, number or merge key (`~`, `null`, `yes`,
  // `off`, `0755`, `-1`, `.5`, `<<`); any other plain scalar is a string.
  if (!(
    (c >= 0x30 && c <= 0x39) ||
    c === 0x7e ||
    c === 0x2b ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x3c ||
    ((c | 0x20) >= 0x61 && ((c | 0x20) === 0x6e || (c | 0x20) === 0x79 || (c | 0x20) === 0x74 || (c | 0x20) === 0x66 || (c | 0x20) === 0x6f))
  )) {
    return s;
  }
  for (let i = 0; i < IMPLICIT.length; i++) {
    const t = IMPLICIT[i]!;
    if (t.resolve(s)) {
      if (t.tag === MERGE_TAG) throw BAIL;
      return t.construct(s);
    }
  }
  return s;
}

/** A mapping key's string (plain keys resolved, then turned into strings, as js-yaml does). */
function keyString(v: unknown): string {
  const k = typeof v === 'string' ? v : String(v);
  if (k === '__proto__') throw BAIL;
  return k;
}

/**
 * Sets `key` (node `idx`) in a mapping whose entries' nodes start at `first`. A key met before is
 * js-yaml's error: the keys before are compared in the table (quicker than asking the object).
 */
function store(map: Record<string, unknown>, key: string, value: unknown, first: number, idx: number, entries: number): void {
  if (entries < 16) {
    for (let j = first; j < idx; j = tEnd[j]!) if (tKey[j] === key) throw BAIL;
  } else if (Object.prototype.hasOwnProperty.call(map, key)) throw BAIL; // a large mapping (a CRD's properties)
  map[key] = value;
}

/** Reads a key at P (plain or quoted, one line) and the `:` after it; P is left after the `:`. */
function readKey(flow: boolean): string {
  const c = T.charCodeAt(P);
  const keyLine = line;
  let key: string;
  if (c === 0x22 || c === 0x27) {
    key = c === 0x22 ? readDoubleQuoted() : readSingleQuoted();
    if (line !== keyLine) throw BAIL; // a key over several lines: js-yaml's error
  } else {
    if (!plainStart(c, T.charCodeAt(P + 1), flow)) throw BAIL;
    const s = readPlain(flow);
    if (stopReason !== STOP_COLON) throw BAIL;
    key = knownWord ? s : keyString(resolvePlain(s));
  }
  while (T.charCodeAt(P) === 0x20) P++;
  if (T.charCodeAt(P) !== 0x3a) throw BAIL;
  P++;
  return keyString(key);
}

function readBlockMapping(indent: number): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  const first = count;
  let entries = 0;
  for (;;) {
    const keyOff = P;
    const c = T.charCodeAt(P);
    if ((c === 0x3f || c === 0x3a || c === 0x2d) && isWsOrEol(T.charCodeAt(P + 1))) throw BAIL;
    const key = readKey(false);
    if (!isWsOrEol(T.charCodeAt(P))) throw BAIL;
    const idx = newNode(key, keyOff);
    const startLine = line;
    store(map, key, readValueAfterIndicator(indent, idx, false), first, idx, entries++);
    skipSpace();
    if (P >= N) return map;
    if (line === startLine) throw BAIL;
    const col = column();
    if (col > indent) throw BAIL;
    if (col < indent) return map;
    if (atDocumentMarker()) {
      if (T.charCodeAt(P) === 0x2e) throw BAIL;
      return map;
    }
  }
}

function readBlockSequence(indent: number): unknown[] {
  const seq: unknown[] = [];
  for (;;) {
    if (!(T.charCodeAt(P) === 0x2d && isWsOrEol(T.charCodeAt(P + 1)))) return seq;
    P++;
    const idx = newNode(undefined, -1);
    const startLine = line;
    seq.push(readValueAfterIndicator(indent, idx, true));
    skipSpace();
    if (P >= N) return seq;
    if (line === startLine) throw BAIL;
    const col = column();
    // After a `-` with nothing, js-yaml takes a `-` at any indentation as this sequence's next entry.
    if (tKind[idx] === EMPTY && col < indent && atDash()) throw BAIL;
    if (col > indent) throw BAIL;
    if (col < indent) return seq;
  }
}

/**
 * The value after a block mapping's `key:` or a sequence's `-` (P just after the indicator), in a
 * collection at `indent`. `entry`: a sequence entry, where a compact mapping (`- name: x`) may follow.
 */
function readValueAfterIndicator(indent: number, idx: number, entry: boolean): unknown {
  if (skipSpace() === 0 && P < N) {
    // On the same line.
    const c = T.charCodeAt(P);
    if (entry && atDash()) throw BAIL; // `- - a`
    if (entry && atKey()) {
      const start = P;
      const map = readBlockMapping(column());
      endNode(idx, BLOCK_MAP, start);
      return map;
    }
    if (c === 0x26) {
      skipAnchor();
      if (skipSpace() === 0) {
        if (P >= N || atKey()) throw BAIL;
        return readInlineValue(indent, idx, false);
      }
      const col = column();
      if (P >= N || atDocumentMarker() || !(col > indent || (!entry && col === indent && atDash()))) throw BAIL;
      return readBlockNodeAt(col, indent, idx, true);
    }
    return readInlineValue(indent, idx, true);
  }
  // On the next lines: a more indented node, a block sequence at the mapping's own indentation, or nothing.
  const col = column();
  if (P < N && !atDocumentMarker()) {
    if (col > indent) return readBlockNodeAt(col, indent, idx);
    if (!entry && col === indent && atDash()) {
      const start = P;
      const seq = readBlockSequence(col);
      endNode(idx, BLOCK_SEQ, start);
      return seq;
    }
  }
  endNode(idx, EMPTY, -1);
  return null;
}

/**
 * A node written on one line (flow collection, quoted or plain scalar) or a block scalar, at P, in a
 * block collection at `indent`. `checked`: atKey was already asked.
 */
function readInlineValue(indent: number, idx: number, checked: boolean): unknown {
  const c = T.charCodeAt(P);
  const start = P;
  let value: unknown;
  let kind = SCALAR;
  if (c === 0x5b || c === 0x7b) {
    value = c === 0x5b ? readFlowSequence(indent) : readFlowMapping(indent);
    kind = c === 0x5b ? FLOW_SEQ : FLOW_MAP;
    endOfLine();
  } else if (c === 0x22 || c === 0x27) {
    value = c === 0x22 ? readDoubleQuoted() : readSingleQuoted();
    endOfLine();
  } else if (c === 0x7c || c === 0x3e) {
    value = readBlockScalar(indent + 1);
  } else {
    if (!checked && atKey()) throw BAIL;
    if (!plainStart(c, T.charCodeAt(P + 1), false)) throw BAIL;
    const s = readPlain(false);
    if (stopReason === STOP_COLON) throw BAIL; // `a: b: c`
    const more = T.charCodeAt(P) === 0x0a ? plainContinuation(indent) : undefined;
    value = more !== undefined ? resolvePlain(s + more) : knownWord ? s : resolvePlain(s);
    // What follows on more indented lines is js-yaml's error (or text this reader does not know): left to it.
    const save = P;
    const saveLine = line;
    const saveStart = lineStart;
    skipSpace();
    if (P < N && column() > indent && line !== saveLine) throw BAIL;
    P = save;
    line = saveLine;
    lineStart = saveStart;
  }
  endNode(idx, kind, start);
  return value;
}

/**
 * The lines a plain scalar in a block collection at `indent` goes on over (P at the line break after
 * its first line), as js-yaml reads them: lines indented more than the collection's entries, each
 * joined with a space, or with n - 1 line breaks after n; it ends at a line indented less, or at a
 * comment. Undefined when it does not go on (P unchanged); else the text to append, P after it.
 */
function plainContinuation(indent: number): string | undefined {
  let out: string | undefined;
  for (;;) {
    const save = P;
    const saveLine = line;
    const saveStart = lineStart;
    let breaks = 0;
    for (;;) {
      const c = T.charCodeAt(P);
      if (c === 0x20) P++;
      else if (c === 0x0a) {
        P++;
        line++;
        lineStart = P;
        breaks++;
      } else break;
    }
    if (P >= N || column() <= indent) {
      P = save;
      line = saveLine;
      lineStart = saveStart;
      return out;
    }
    if (T.charCodeAt(P) === 0x23) return out; // a comment: the scalar ends before it
    const piece = readPlain(false);
    if (stopReason === STOP_COLON) throw BAIL; // `key: value` on a continuation line: js-yaml's error
    out = `${out ?? ''}${breaks === 1 ? ' ' : '\n'.repeat(breaks - 1)}${piece}`;
    if (T.charCodeAt(P) !== 0x0a) return out; // ended at ` #`
  }
}

/** After a node: only spaces and a comment may follow on its line. */
function endOfLine(): void {
  while (T.charCodeAt(P) === 0x20) P++;
  const c = T.charCodeAt(P);
  if (c === 0x23) {
    if (T.charCodeAt(P - 1) !== 0x20) throw BAIL;
    return;
  }
  if (c !== 0x0a && P < N) throw BAIL;
}

const STOP_END = 0;
const STOP_COLON = 1;
let stopReason = STOP_END;

/**
 * A plain scalar on one line from P: up to `: ` (`:` then a space, line break, or in flow a flow
 * indicator), ` #`, the line's end, or (in flow) a flow indicator; trailing spaces left out.
 * Sets stopReason; P is left where it stopped.
 */
function readPlain(flow: boolean): string {
  const start = P;
  let end = P;
  let i = P;
  stopReason = STOP_END;
  for (;;) {
    const c = T.charCodeAt(i);
    if (c === 0x3a) {
      const f = T.charCodeAt(i + 1);
      if (isWsOrEol(f) || (flow && isFlowIndicator(f))) {
        stopReason = STOP_COLON;
        break;
      }
    } else if (c === 0x23) {
      if (T.charCodeAt(i - 1) === 0x20) break;
    } else if (c === 0x0a || Number.isNaN(c)) {
      if (flow) throw BAIL; // a plain scalar that may go on over lines, in a flow collection
      break;
    } else if (flow && isFlowIndicator(c)) break;
    if (c !== 0x20) end = i + 1;
    i++;
  }
  if (end === start) throw BAIL;
  P = i;
  const bucket = end - start < KNOWN.length ? KNOWN[end - start] : undefined;
  if (bucket !== undefined) {
    const c = T.charCodeAt(start);
    for (let k = 0; k < bucket.length; k++) {
      const word = bucket[k]!;
      if (word.charCodeAt(0) === c && T.startsWith(word, start)) {
        knownWord = true;
        return word;
      }
    }
  }
  knownWord = false;
  return T.slice(start, end);
}

/**
 * Words manifests write again and again (keys, kinds, protocols...), that a plain scalar resolves to
 * as they are (none is a YAML 1.1 boolean, null or number: test/core/manifest/fast-yaml.test.ts checks
 * each): readPlain returns these strings instead of cutting a new one from the text (no allocation,
 * and a key the engine has seen before), by length.
 */
export const KNOWN_WORDS: ReadonlyArray<string> = (
  'apiVersion kind metadata name namespace labels annotations spec template containers initContainers image imagePullPolicy ' +
  'ports containerPort hostPort hostIP protocol env value valueFrom fieldRef fieldPath configMapKeyRef secretKeyRef key args ' +
  'command resources limits requests cpu memory selector matchLabels matchExpressions operator values replicas strategy type ' +
  'app tier version component part-of volumeMounts mountPath subPath volumes configMap secret secretName readOnly ' +
  'readinessProbe livenessProbe startupProbe httpGet tcpSocket exec path port scheme periodSeconds initialDelaySeconds ' +
  'timeoutSeconds failureThreshold successThreshold serviceAccountName serviceAccount securityContext restartPolicy ' +
  'nodeSelector tolerations effect affinity data targetPort nodePort clusterIP sessionAffinity rules apiGroups verbs ' +
  'subjects roleRef serviceName jobTemplate schedule description items emptyDir hostNetwork hostPID dnsPolicy ' +
  'terminationGracePeriodSeconds runAsUser runAsGroup runAsNonRoot fsGroup capabilities drop add privileged ' +
  'allowPrivilegeEscalation readOnlyRootFilesystem seccompProfile RuntimeDefault ALL status updateStrategy ' +
  'revisionHistoryLimit minReadySeconds podManagementPolicy volumeClaimTemplates accessModes storageClassName storage ' +
  'ReadWriteOnce backoffLimit completions parallelism concurrencyPolicy successfulJobsHistoryLimit failedJobsHistoryLimit ' +
  'v1 apps/v1 batch/v1 rbac.authorization.k8s.io/v1 networking.k8s.io/v1 policy/v1 Deployment StatefulSet DaemonSet ' +
  'ReplicaSet Service ConfigMap Secret CronJob Job Pod ServiceAccount Role RoleBinding ClusterRole ClusterRoleBinding ' +
  'Namespace Ingress PersistentVolumeClaim TCP UDP SCTP http https grpc metrics IfNotPresent Always Never OnFailure ' +
  'ClusterIP NodePort LoadBalancer RollingUpdate Recreate Opaque Exists Equal NoSchedule NoExecute In NotIn ' +
  'get list watch create update patch delete web api worker sh -c /bin/sh'
).split(' ');
const KNOWN: Array<string[] | undefined> = [];
let knownWord = false;
for (const word of KNOWN_WORDS) (KNOWN[word.length] ??= []).push(word);

function readSingleQuoted(): string {
  const end = quotedEnd(P);
  if (end < 0) return readQuotedLines();
  const body = T.slice(P + 1, end - 1);
  P = end;
  return body.indexOf("'") === -1 ? body : body.replace(/''/g, "'");
}

const ESCAPES: Record<string, string> = {
  '0': '\x00',
  a: '\x07',
  b: '\x08',
  t: '\x09',
  n: '\x0a',
  v: '\x0b',
  f: '\x0c',
  r: '\x0d',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

function readDoubleQuoted(): string {
  const end = quotedEnd(P);
  if (end < 0) return readQuotedLines();
  const from = P + 1;
  P = end;
  const bs = T.indexOf('\\', from);
  if (bs === -1 || bs >= end) return T.slice(from, end - 1);
  let out = '';
  let seg = from;
  for (let i = bs; i < end - 1; i++) {
    if (T.charCodeAt(i) !== 0x5c) continue;
    out += T.slice(seg, i);
    const e = T[i + 1]!;
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (len === 0) throw BAIL;
      const hex = T.slice(i + 2, i + 2 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw BAIL;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + len;
    }
    seg = i + 1;
  }
  return out + T.slice(seg, end - 1);
}

/**
 * A quoted scalar at P that goes on over lines, as js-yaml reads it: each line break, with the
 * spaces around the next line's text, becomes a space (n line breaks: n - 1 newlines); the spaces
 * before a line break are kept. In double quotes, `\` before a line break joins the lines with
 * nothing, and escapes are read as on one line.
 */
function readQuotedLines(): string {
  const q = T.charCodeAt(P);
  P++;
  let out = '';
  let seg = P;
  for (;;) {
    if (P >= N) throw BAIL; // not closed: js-yaml's error
    const c = T.charCodeAt(P);
    if (c === q) {
      if (q === 0x27 && T.charCodeAt(P + 1) === 0x27) {
        out += T.slice(seg, P + 1);
        P += 2;
        seg = P;
        continue;
      }
      out += T.slice(seg, P);
      P++;
      return out;
    }
    if (c === 0x0a || (q === 0x22 && c === 0x5c && T.charCodeAt(P + 1) === 0x0a)) {
      const escaped = c === 0x5c;
      out += T.slice(seg, P);
      if (escaped) P++;
      let breaks = 0;
      for (;;) {
        const d = T.charCodeAt(P);
        if (d === 0x20) P++;
        else if (d === 0x0a) {
          P++;
          line++;
          lineStart = P;
          breaks++;
        } else break;
      }
      if (P >= N || atDocumentMarker()) throw BAIL;
      if (!escaped) out += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
      seg = P;
      continue;
    }
    if (q === 0x22 && c === 0x5c) {
      out += T.slice(seg, P);
      const e = T[P + 1]!;
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        P += 2;
      } else {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
        if (len === 0) throw BAIL;
        const hex = T.slice(P + 2, P + 2 + len);
        if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw BAIL;
        out += String.fromCodePoint(parseInt(hex, 16));
        P += 2 + len;
      }
      seg = P;
      continue;
    }
    P++;
  }
}

/** A literal (`|`) or folded (`>`) block scalar at P; `minIndent` is the parent's indentation + 1. */
function readBlockScalar(minIndent: number): string {
  const folding = T.charCodeAt(P) === 0x3e;
  let chomp = 0; // 0 clip, 1 strip, 2 keep
  P++;
  let c = T.charCodeAt(P);
  if (c === 0x2b || c === 0x2d) {
    chomp = c === 0x2b ? 2 : 1;
    c = T.charCodeAt(++P);
  }
  if (c >= 0x30 && c <= 0x39) throw BAIL; // an indentation indicator
  if (c === 0x20) {
    while (c === 0x20) c = T.charCodeAt(++P);
    if (c === 0x23) {
      const nl = T.indexOf('\n', P);
      P = nl === -1 ? N : nl;
      c = T.charCodeAt(P);
    }
  }
  if (c !== 0x0a) throw BAIL;
  let textIndent = minIndent;
  let detected = false;
  let emptyLines = 0;
  let didRead = false;
  let moreIndented = false;
  let out = '';
  while (P < N) {
    // at a line break
    P++;
    line++;
    lineStart = P;
    let lineIndent = 0;
    c = T.charCodeAt(P);
    while ((!detected || lineIndent < textIndent) && c === 0x20) {
      lineIndent++;
      c = T.charCodeAt(++P);
    }
    if (!detected && lineIndent > textIndent) textIndent = lineIndent;
    if (c === 0x0a) {
      emptyLines++;
      continue;
    }
    if (lineIndent < textIndent || P >= N) {
      if (chomp === 2) out += '\n'.repeat(didRead ? 1 + emptyLines : emptyLines);
      else if (chomp === 0 && didRead) out += '\n';
      break;
    }
    if (folding) {
      if (c === 0x20) {
        moreIndented = true;
        out += '\n'.repeat(didRead ? 1 + emptyLines : emptyLines);
      } else if (moreIndented) {
        moreIndented = false;
        out += '\n'.repeat(emptyLines + 1);
      } else if (emptyLines === 0) {
        if (didRead) out += ' ';
      } else {
        out += '\n'.repeat(emptyLines);
      }
    } else {
      out += '\n'.repeat(didRead ? 1 + emptyLines : emptyLines);
    }
    didRead = true;
    detected = true;
    emptyLines = 0;
    const from = P;
    const nl = T.indexOf('\n', P);
    P = nl === -1 ? N : nl;
    out += T.slice(from, P);
  }
  return out;
}

/** Spaces, comments and line breaks inside a flow collection (a document marker there is left to js-yaml). */
function flowSpace(): void {
  if (skipSpace() > 0 && P < N && atDocumentMarker()) throw BAIL;
  if (P >= N) throw BAIL;
}

/** A node inside a flow collection at P (fills node `idx`). */
function readFlowNode(indent: number, idx: number): unknown {
  const c = T.charCodeAt(P);
  const start = P;
  if (c === 0x5b) {
    const v = readFlowSequence(indent);
    endNode(idx, FLOW_SEQ, start);
    return v;
  }
  if (c === 0x7b) {
    const v = readFlowMapping(indent);
    endNode(idx, FLOW_MAP, start);
    return v;
  }
  let v: unknown;
  if (c === 0x22) v = readDoubleQuoted();
  else if (c === 0x27) v = readSingleQuoted();
  else {
    if (!plainStart(c, T.charCodeAt(P + 1), true)) throw BAIL;
    const s = readPlain(true);
    v = knownWord ? s : resolvePlain(s);
  }
  endNode(idx, SCALAR, start);
  return v;
}

function readFlowSequence(indent: number): unknown[] {
  const seq: unknown[] = [];
  P++;
  for (;;) {
    flowSpace();
    if (T.charCodeAt(P) === 0x5d) {
      P++;
      return seq;
    }
    const idx = newNode(undefined, -1);
    seq.push(readFlowNode(indent, idx));
    const l = line;
    flowSpace();
    const c = T.charCodeAt(P);
    if (c === 0x3a && line === l) throw BAIL; // `[a: 1]`: a single-pair mapping
    if (c === 0x2c) P++;
    else if (c === 0x5d) {
      P++;
      return seq;
    } else throw BAIL;
  }
}

function readFlowMapping(indent: number): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  const first = count;
  let entries = 0;
  P++;
  for (;;) {
    flowSpace();
    let c = T.charCodeAt(P);
    if (c === 0x7d) {
      P++;
      return map;
    }
    const keyOff = P;
    const keyLine = line;
    let key: string;
    if (c === 0x22) key = keyString(readDoubleQuoted());
    else if (c === 0x27) key = keyString(readSingleQuoted());
    else {
      if (!plainStart(c, T.charCodeAt(P + 1), true)) throw BAIL;
      const s = readPlain(true);
      key = knownWord ? s : keyString(resolvePlain(s));
    }
    const idx = newNode(key, keyOff);
    flowSpace();
    c = T.charCodeAt(P);
    let value: unknown = null;
    if (c === 0x3a) {
      if (line !== keyLine) throw BAIL; // js-yaml: no pair when the `:` is not on the key's first line
      P++;
      flowSpace();
      c = T.charCodeAt(P);
      if (c === 0x2c || c === 0x7d) endNode(idx, EMPTY, -1);
      else {
        value = readFlowNode(indent, idx);
        flowSpace();
        c = T.charCodeAt(P);
      }
    } else endNode(idx, EMPTY, -1);
    store(map, key, value, first, idx, entries++);
    if (c === 0x2c) P++;
    else if (c === 0x7d) {
      P++;
      return map;
    } else throw BAIL;
  }
}

/**
 * Where a finding at `path` of document `docIndex` points, as `locateFindings` has it: the value of
 * the field the path names (its first character: a scalar, a quote, a bracket, `|`); the key when
 * the value is a block mapping or sequence, or nothing; an element's content for a sequence element;
 * for a missing field, the nearest ancestor that exists. Undefined when the table is not this text's.
 */
export function positionOf(positions: FieldPositions, docIndex: number, path: DocPath): number | undefined {
  if (positions.generation !== generation) return undefined;
  const root = positions.roots[docIndex];
  if (root === undefined || root < 0) return undefined;
  let node = root;
  let value: unknown = positions.docs[docIndex];
  for (const seg of path) {
    const kind = tKind[node]!;
    let next = -1;
    if (kind === FLOW_MAP || kind === BLOCK_MAP) {
      const key = typeof seg === 'string' ? seg : String(seg);
      for (let j = node + 1; j < tEnd[node]!; j = tEnd[j]!) {
        if (tKey[j] === key) {
          next = j;
          break;
        }
      }
    } else if ((kind === FLOW_SEQ || kind === BLOCK_SEQ) && typeof seg === 'number') {
      next = element(node, value as unknown[], seg);
    }
    if (next < 0) break;
    node = next;
    value = (value as Record<string | number, unknown>)[seg];
    if (tKind[node] === EMPTY) break;
  }
  const kind = tKind[node]!;
  const keyOff = tKeyOff[node]!;
  if (kind === EMPTY) return keyOff;
  if ((kind === BLOCK_MAP || kind === BLOCK_SEQ) && keyOff >= 0) return keyOff;
  return tValOff[node];
}

/**
 * Node of element `index` of the sequence at `node` (-1 for none). An entry `-` with nothing after
 * it has no node of its own in js-yaml's positional parse, and the full locator matches the nodes it
 * has with the array's elements in order, an element taking the next node when their values are the
 * same (Object.is): so after such an entry an explicit null (`- null`) is taken for it. Done the same
 * way here, so that findings point where they did.
 */
function element(node: number, arr: unknown[], index: number): number {
  let empty = false;
  for (let j = node + 1; j < tEnd[node]!; j = tEnd[j]!) if (tKind[j] === EMPTY) empty = true;
  if (!empty) {
    let n = 0;
    for (let j = node + 1; j < tEnd[node]!; j = tEnd[j]!) if (n++ === index) return j;
    return -1;
  }
  const nodes: Array<{ node: number; value: unknown }> = [];
  let k = 0;
  for (let j = node + 1; j < tEnd[node]!; j = tEnd[j]!, k++) if (tKind[j] !== EMPTY) nodes.push({ node: j, value: arr[k] });
  let j = 0;
  for (let i = 0; i < arr.length; i++) {
    const n = nodes[j];
    const v = arr[i];
    let at: number;
    if (n !== undefined && Object.is(n.value, v)) {
      at = n.node;
      j++;
    } else if (v === null && n !== undefined && n.value !== null) {
      at = -1;
    } else {
      at = n === undefined ? -1 : n.node;
      j++;
    }
    if (i === index) return at;
  }
  return -1;
}
