import type { DocPath, Finding } from '../finding.js';
import type { ManifestResource } from './resource.js';
import { isAliasBomb, MAX_ALIAS_EXPANSION } from './alias-expansion.js';
import { formatFieldPath } from './field-path.js';
import { valueKind, withArticle } from './value-name.js';
import { findJsonSyntaxProblem } from './json-syntax.js';
import { readJsonStream } from './json-stream.js';
import { findHelmTemplate } from './helm-template.js';
import { LineIndex } from './line-index.js';
import { readManifestYaml, type FieldPositions } from './fast-yaml.js';
import { isYamlError, loadYamlDocuments, looksLikeJson, stripBom, type YamlListenerState } from './yaml-load.js';

export { POD_BEARING_KINDS, isReadKind } from './kinds.js';

/** What one manifest file holds, as the rules see it. */
export interface ParsedFile {
  /** File name as the user gave it (or `<stdin>`). */
  file: string;
  /** `json` when the file is JSON (one value, or a stream of objects as kubectl reads one); `yaml` otherwise. */
  format: 'yaml' | 'json';
  /** The text that was parsed: the input without a byte-order mark. Hand it to `locateFindings`. */
  text: string;
  /** For JSON: where each document (one value of the JSON stream) starts in `text`. */
  jsonOffsets?: number[];
  /**
   * For YAML read in one pass by `readManifestYaml`: where its fields are (`positionOf`), valid until
   * the next file is read. Absent when js-yaml read the file.
   */
  positions?: FieldPositions;
  /** Documents read, empty ones included (js-yaml's indexing: `docIndex` counts these). */
  documents: number;
  /**
   * The file has no content at all: nothing, whitespace, comments or bare `---` separators. Not an
   * error by itself (kubectl ignores such files), but a static pod file must not be empty.
   */
  empty: boolean;
  /** Every object read, of any kind; `kind: List` / `*List` members expanded in place. */
  resources: ManifestResource[];
  /**
   * Problems with the file itself: `binary-file`, `helm-template`, `yaml-syntax`, `json-syntax`, `yaml-aliases`,
   * `not-an-object`, `missing-kind`, `missing-api-version`, `invalid-list`. Syntax findings carry
   * line/column; the others carry `docIndex` + `path` for `locateFindings`.
   */
  findings: Finding[];
}

/** apiVersion to suggest when a kind is known but apiVersion is missing. */
const SUGGESTED_API_VERSION: Record<string, string> = {
  Pod: 'v1',
  Service: 'v1',
  ReplicationController: 'v1',
  PodTemplate: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

const SEPARATOR_EXPECTED = 'end of the stream or a document separator is expected';

/**
 * Reads one manifest file's text: YAML (multi-document) or JSON, pure and synchronous. Positions
 * are not kept (that would make reading several times slower); findings carry `docIndex` + `path`
 * and `locateFindings` turns them into line/column for the few documents that need it.
 * Never throws for bad content: binary data, syntax errors and alias bombs become findings, and
 * the documents before a syntax error are still returned.
 */
export function parseManifest(input: string, file: string): ParsedFile {
  const text = stripBom(input);
  const out: ParsedFile = { file, format: 'yaml', text, documents: 0, empty: false, resources: [], findings: [] };

  const binary = binaryContent(text);
  if (binary) {
    out.findings.push({
      rule: 'binary-file',
      severity: 'error',
      message: `${file} is not a text file (${binary}): kubectl cannot read it as a manifest; remove it from the input or convert it to UTF-8 YAML or JSON`,
      file,
      line: 1,
      column: 1,
    });
    return out;
  }

  const helm = findHelmTemplate(text);
  if (helm) {
    out.findings.push({
      rule: 'helm-template',
      severity: 'error',
      message: `${file} is a Helm template, not a manifest (${helm.action} is a template action): kubectl cannot apply it as it is; render it first (helm template ... | k8smctl validate -f -)`,
      file,
      line: helm.line,
      column: helm.column,
    });
    return out;
  }

  let docs: unknown[] | undefined;
  const jsonName = /\.json$/i.test(file);
  let jsonError: Finding | undefined;
  if (firstCharacter(text) === '{') {
    // kubectl reads input that starts with `{` as a stream of JSON values, one object after another.
    const stream = readJsonStream(text);
    if (stream.error === undefined) {
      docs = stream.values;
      out.format = 'json';
      out.jsonOffsets = stream.offsets;
    } else {
      const found = stream.values.length;
      const at = new LineIndex(text).at(stream.error.offset);
      const later = found > 0 ? ` (the ${found === 1 ? 'object' : `${found} objects`} before it ${found === 1 ? 'is' : 'are'} checked)` : '';
      jsonError = {
        rule: 'json-syntax',
        severity: 'error',
        message: `invalid JSON: ${stream.error.reason}; kubectl cannot read this file: fix the JSON${later}`,
        file,
        line: at.line,
        column: at.column,
        docIndex: found,
      };
      // A file named *.json must be JSON (a trailing comma is valid YAML but kubectl rejects it);
      // other text may be YAML flow style (`{apiVersion: v1, ...}`), read as YAML below.
      if (jsonName || found > 0 || STRICT_JSON_START.test(text)) {
        out.format = 'json';
        out.jsonOffsets = stream.offsets;
        docs = stream.values;
        if (!jsonName && yamlReads(text)) {
          // Several JSON objects between `---` lines, or YAML that happens to start like JSON.
          out.format = 'yaml';
          delete out.jsonOffsets;
          docs = undefined;
          jsonError = undefined;
        }
      }
      if (jsonError && docs !== undefined) out.findings.push(jsonError);
    }
  } else if (looksLikeJson(text)) {
    try {
      docs = [JSON.parse(text)];
      out.format = 'json';
      out.jsonOffsets = [text.length - text.trimStart().length];
    } catch (err) {
      // Not JSON after all: YAML flow style (`[...]`). A file named *.json must be JSON.
      if (jsonName) {
        out.format = 'json';
        out.findings.push(jsonSyntaxFinding(text, file, err));
        return out;
      }
    }
  }
  if (docs === undefined) {
    // The usual manifest: one pass that gives the values and where they are; anything outside its subset goes to js-yaml.
    const fast = readManifestYaml(text);
    if (fast !== undefined) {
      docs = fast.docs;
      out.positions = fast.positions;
    }
  }
  if (docs === undefined) {
    try {
      docs = loadYamlDocuments(text);
    } catch (err) {
      const recovered = recoverYaml(text, file, err);
      docs = recovered.docs;
      out.findings.push(recovered.finding);
    }
  }

  out.documents = docs.length;
  out.empty = out.findings.length === 0 && docs.every((d) => d === null || d === undefined);
  // The one-pass reader gives up on any alias, so only js-yaml's documents can hold one.
  const aliases = out.format === 'yaml' && out.positions === undefined && mayHaveAliases(text);
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i];
    if (doc === null || doc === undefined) continue;
    if (aliases && typeof doc === 'object' && isAliasBomb(doc)) {
      out.findings.push({
        rule: 'yaml-aliases',
        severity: 'error',
        message: `document ${i + 1} uses YAML aliases (*name) that expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} extra nodes (an alias bomb?): k8smctl does not read it; write the repeated parts out or use fewer aliases`,
        file,
        docIndex: i,
        path: [],
      });
      continue;
    }
    collectObject(doc, file, i, [], out, undefined);
  }
  return out;
}

/** A character after which a YAML node's properties or an alias may start. */
function nodeStart(c: number): boolean {
  return Number.isNaN(c) || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x5b || c === 0x7b || c === 0x2c || c === 0x3a || c === 0x2d;
}

/** A character of an anchor or alias name (as written in manifests: letters, digits, `_`, `-`, `.`). */
function nameChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f || c === 0x2d || c === 0x2e;
}

/** Whether `sigil` (`&` or `*`) starts a name somewhere a node can start: `&base`, `*base`, not `&&`, `*` alone or a cron's `*` and slash. */
function mayStartNode(text: string, sigil: string): boolean {
  for (let i = text.indexOf(sigil); i !== -1; i = text.indexOf(sigil, i + 1)) {
    if (nodeStart(text.charCodeAt(i - 1)) && nameChar(text.charCodeAt(i + 1))) return true;
  }
  return false;
}

/** Whether the text may use anchors and aliases (only then are documents measured for alias bombs). */
function mayHaveAliases(text: string): boolean {
  return mayStartNode(text, '&') && mayStartNode(text, '*');
}

/** JSON that cannot be YAML flow style: `{"key"` or `{}`. */
const STRICT_JSON_START = /^\s*\{\s*["}]/;

function firstCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return text[i];
  }
  return undefined;
}

function yamlReads(text: string): boolean {
  try {
    loadYamlDocuments(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * ASCII text in UTF-16 without a byte-order mark, read as UTF-8: a NUL in every other place (the
 * odd ones for little-endian, the even ones for big-endian) and printable characters between them.
 * An executable or an archive has NULs too, but not in that pattern.
 */
function looksLikeUtf16(head: string): boolean {
  for (const nulAt of [1, 0]) {
    let fits = 0;
    for (let i = 0; i < head.length; i++) {
      const c = head.charCodeAt(i);
      if (i % 2 === nulAt ? c === 0 : c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f)) fits++;
    }
    if (head.length >= 4 && fits * 10 >= head.length * 9) return true;
  }
  return false;
}

/** Why a text is not a manifest at all, or undefined when it is text. */
function binaryContent(text: string): string | undefined {
  if (text.indexOf('\0') !== -1) {
    // UTF-16 without a byte-order mark (or read as UTF-8): every other character of ASCII text is NUL.
    return looksLikeUtf16(text.slice(0, 200)) ? 'it contains NUL bytes: UTF-16 text? convert it to UTF-8' : 'it contains NUL bytes: binary data';
  }
  if (text.indexOf('\ufffd') === -1) return undefined;
  let bad = 0;
  for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) bad++;
  // A stray Latin-1 character in a comment is tolerated; a file that is mostly not UTF-8 is not text.
  return bad >= 8 && bad * 50 > text.length ? `${bad} byte sequences are not valid UTF-8` : undefined;
}

function jsonSyntaxFinding(text: string, file: string, err: unknown): Finding {
  const problem = findJsonSyntaxProblem(text);
  const reason = problem?.reason ?? (err instanceof RangeError ? 'nested too deeply' : String((err as Error).message ?? err));
  const at = new LineIndex(text).at(problem?.offset ?? 0);
  return {
    rule: 'json-syntax',
    severity: 'error',
    message: `invalid JSON: ${reason}; kubectl cannot read this file: fix the JSON`,
    file,
    line: at.line,
    column: at.column,
    docIndex: 0,
  };
}

/**
 * After a YAML error: the documents that were complete before it (js-yaml gives them up when it
 * throws, so the file is read again with a listener that keeps hold of the parser state) and a
 * finding at the parser's line/column.
 */
function recoverYaml(text: string, file: string, err: unknown): { docs: unknown[]; finding: Finding } {
  let state: YamlListenerState | undefined;
  let depth = 0;
  let rootDoc = 0;
  let rootClosed = true;
  // Where each node still open began (the parser's position as it opened it: before its first character).
  const opened: number[] = [];
  try {
    loadYamlDocuments(text, (event, s) => {
      state = s;
      if (event === 'open') {
        if (depth === 0) {
          rootDoc = s.documents.length;
          rootClosed = false;
        }
        depth++;
        opened.push(s.position);
      } else {
        opened.pop();
        if (--depth === 0) rootClosed = true;
      }
    });
  } catch {
    // expected: the same error again
  }
  const reason = isYamlError(err) ? (err.reason ?? err.message) : err instanceof RangeError ? 'nested too deeply' : String((err as Error)?.message ?? err);
  const complete = state?.documents.length ?? 0;
  // The document that failed: the one being composed, or (when its root node finished and the error
  // came after it, e.g. "a document separator is expected") that same document.
  const errorDoc = rootClosed && reason !== SEPARATOR_EXPECTED ? complete : Math.min(rootDoc, complete);
  const docs = (state?.documents ?? []).slice(0, errorDoc);
  // Where the parser was: its error mark, or (nesting too deep for the stack) the last node it opened.
  const position = isYamlError(err) ? err.mark?.position : state?.position;
  const lines = new LineIndex(text);
  const at = position !== undefined ? lines.at(Math.min(position, text.length)) : undefined;
  const later = errorDoc > 0 ? ` (documents from ${errorDoc + 1} on were not checked)` : '';
  // An error in a flow collection is found where the parser gave up, often a line after the one to
  // fix (a `{` never closed): say where the collection began.
  let inFlow = '';
  if (/flow collection/.test(reason) && opened.length > 0) {
    let start = opened[opened.length - 1]!;
    while (start < text.length && /\s/.test(text[start]!)) start++;
    const bracket = text[start];
    if (bracket === '{' || bracket === '[') {
      const from = lines.at(start);
      inFlow = ` (in the ${bracket === '{' ? 'flow mapping {' : 'flow sequence ['} that starts at ${from.line}:${from.column}: is it closed?)`;
    }
  }
  return {
    docs,
    finding: {
      rule: 'yaml-syntax',
      severity: 'error',
      message: `invalid YAML: ${reason}${inFlow}; kubectl cannot read this file: fix the YAML${later}`,
      file,
      ...(at ? { line: at.line, column: at.column } : {}),
      docIndex: errorDoc,
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Adds the object (or the members of a list) at `path` of document `docIndex` to `out`. */
function collectObject(
  value: unknown,
  file: string,
  docIndex: number,
  path: DocPath,
  out: ParsedFile,
  listTypes: { kind: string; apiVersion: string } | undefined,
): void {
  const where = path.length === 0 ? `document ${docIndex + 1}` : formatFieldPath(path);
  if (!isRecord(value)) {
    out.findings.push({
      rule: 'not-an-object',
      severity: 'error',
      message: `${where} is ${valueKind(value)}, not a Kubernetes object: kubectl cannot apply it; each document (and each List item) must be a mapping with apiVersion, kind and metadata`,
      file,
      docIndex,
      path,
    });
    return;
  }
  const kindValue = value.kind ?? listTypes?.kind;
  const apiValue = value.apiVersion ?? listTypes?.apiVersion;
  const metadata = isRecord(value.metadata) ? value.metadata : undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : typeof metadata?.generateName === 'string' ? metadata.generateName : '';
  const namespace = typeof metadata?.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default';
  const kind = typeof kindValue === 'string' ? kindValue : '';
  const apiVersion = typeof apiValue === 'string' ? apiValue : '';
  const label = `${kind || 'object'}${name ? ` ${name}` : ''}`;
  if (kind === '') {
    out.findings.push({
      rule: 'missing-kind',
      severity: 'error',
      message: `${where}${name ? ` (${name})` : ''} has no kind${apiVersion ? '' : ' and no apiVersion'}: kubectl apply rejects it; add kind (e.g. kind: Deployment)${apiVersion ? '' : ' and apiVersion'}`,
      file,
      docIndex,
      path,
      ...(name ? { name, namespace } : {}),
    });
    return;
  }
  if (apiVersion === '') {
    const suggested = SUGGESTED_API_VERSION[kind];
    out.findings.push({
      rule: 'missing-api-version',
      severity: 'error',
      message: `${label} has no apiVersion: kubectl apply rejects it; add apiVersion${suggested ? ` (for ${withArticle(kind)}: apiVersion: ${suggested})` : ''}`,
      file,
      docIndex,
      path,
      kind,
      namespace,
      ...(name ? { name } : {}),
    });
    return;
  }
  const items = value.items;
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(items))) {
    if (items === undefined || items === null) return;
    if (!Array.isArray(items)) {
      out.findings.push({
        rule: 'invalid-list',
        severity: 'error',
        message: `${label}: items is ${valueKind(items)}, not a list: kubectl cannot apply it; make items a list of objects`,
        file,
        docIndex,
        path: [...path, 'items'],
        kind,
      });
      return;
    }
    // Typed lists (PodList...) as the API returns them leave kind/apiVersion off their items.
    const memberTypes = kind === 'List' ? undefined : { kind: kind.slice(0, -'List'.length), apiVersion };
    for (let i = 0; i < items.length; i++) collectObject(items[i], file, docIndex, [...path, 'items', i], out, memberTypes);
    return;
  }
  out.resources.push({ file, docIndex, basePath: path, object: value, apiVersion, kind, name, namespace });
}
