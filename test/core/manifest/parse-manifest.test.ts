import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { isAliasBomb } from '../../../src/core/manifest/alias-expansion.js';
import { isReadKind, parseManifest, POD_BEARING_KINDS } from '../../../src/core/manifest/parse-manifest.js';
import { locateFindings } from '../../../src/core/manifest/locate.js';

const fixtures = fileURLToPath(new URL('../../fixtures/manifests/', import.meta.url));
const fixture = (name: string): string => readFileSync(fixtures + name, 'utf8');
const summary = (text: string, file = 'm.yaml') => {
  const p = parseManifest(text, file);
  return p.resources.map((r) => `${r.docIndex}:${r.basePath.join('.')}:${r.kind}/${r.namespace}/${r.name}`);
};

describe('parseManifest: what a file holds', () => {
  test('multi-document YAML: every object, kind/name/namespace, document indexes counting empty documents', () => {
    const p = parseManifest(fixture('multi-doc.yaml'), 'multi-doc.yaml');
    expect(p.format).toBe('yaml');
    expect(p.findings).toEqual([]);
    expect(p.empty).toBe(false);
    // --- Deployment --- (empty) --- (comment only) --- Service --- CronJob
    expect(p.documents).toBe(5);
    expect(p.resources.map((r) => [r.docIndex, r.kind, r.namespace, r.name, r.apiVersion])).toEqual([
      [0, 'Deployment', 'shop', 'web', 'apps/v1'],
      [3, 'Service', 'shop', 'web', 'v1'],
      [4, 'CronJob', 'default', 'report', 'batch/v1'],
    ]);
    expect(p.resources[0]!.basePath).toEqual([]);
    expect(p.resources[0]!.file).toBe('multi-doc.yaml');
    expect((p.resources[0]!.object.spec as { replicas: number }).replicas).toBe(2);
  });

  test('resources of every kind come back (the caller decides what is skipped); namespace defaults to "default"', () => {
    expect(summary('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n')).toEqual([
      '0::ConfigMap/default/c',
      '1::Namespace/default/ns',
    ]);
  });

  test('kind: List is expanded into its items with basePath [items, i]', () => {
    const p = parseManifest(fixture('list.yaml'), 'list.yaml');
    expect(p.findings).toEqual([]);
    expect(p.resources.map((r) => [r.kind, r.name, r.namespace, r.basePath])).toEqual([
      ['Pod', 'one', 'default', ['items', 0]],
      ['ConfigMap', 'settings', 'tools', ['items', 1]],
    ]);
  });

  test('typed lists (PodList as the API returns it) give their items the list kind and apiVersion', () => {
    const text = 'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n  spec: {}\n- kind: Pod\n  apiVersion: v1\n  metadata: {name: b}\n';
    expect(summary(text)).toEqual(['0:items.0:Pod/default/a', '0:items.1:Pod/default/b']);
  });

  test('an empty List is no resources and no finding; items that are not a list are', () => {
    expect(parseManifest('apiVersion: v1\nkind: List\nitems: []\n', 'l.yaml').findings).toEqual([]);
    const p = parseManifest('apiVersion: v1\nkind: List\nitems: {a: 1}\n', 'l.yaml');
    expect(p.findings.map((f) => [f.rule, f.severity, f.path])).toEqual([['invalid-list', 'error', ['items']]]);
  });

  test('objects without kind or apiVersion are findings that locate to the object', () => {
    const text = 'apiVersion: v1\nmetadata:\n  name: nokind\n---\nkind: Deployment\nmetadata:\n  name: noapi\n---\n- just\n- a list\n';
    const p = parseManifest(text, 'x.yaml');
    expect(p.resources).toEqual([]);
    locateFindings(p.text, p.findings);
    expect(p.findings.map((f) => [f.rule, f.severity, f.line, f.column])).toEqual([
      ['missing-kind', 'error', 1, 1],
      ['missing-api-version', 'error', 5, 1],
      ['not-an-object', 'error', 9, 1],
    ]);
    expect(p.findings[1]!.message).toContain('apiVersion: apps/v1');
    expect(p.findings[2]!.message).toContain('document 3 is a list');
  });

  test('JSON: parsed with JSON.parse, one document', () => {
    const p = parseManifest(fixture('pod.json'), 'pod.json');
    expect(p.format).toBe('json');
    expect(p.documents).toBe(1);
    expect(summary(fixture('pod.json'), 'pod.json')).toEqual(['0::Pod/web/json-pod']);
  });

  test('YAML flow style that looks like JSON still reads as YAML (kubectl sniffs content, not names)', () => {
    expect(summary('{apiVersion: v1, kind: Pod, metadata: {name: flow}}\n')).toEqual(['0::Pod/default/flow']);
    expect(
      summary('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}\n---\n{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}}\n'),
    ).toEqual(['0::Pod/default/a', '1::Pod/default/b']);
  });

  test('exports the kinds validate reads', () => {
    for (const k of ['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'PodTemplate']) {
      expect(POD_BEARING_KINDS.has(k)).toBe(true);
      expect(isReadKind(k)).toBe(true);
    }
    expect(isReadKind('Service')).toBe(true);
    expect(POD_BEARING_KINDS.has('Service')).toBe(false);
    expect(isReadKind('ConfigMap')).toBe(false);
  });

  test('timestamps stay strings, merge keys work', () => {
    const p = parseManifest('apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  creationTimestamp: 2024-01-02T03:04:05Z\n', 'x.yaml');
    expect((p.resources[0]!.object.metadata as Record<string, unknown>).creationTimestamp).toBe('2024-01-02T03:04:05Z');
    const m = parseManifest(fixture('anchors.yaml'), 'anchors.yaml');
    expect(m.findings).toEqual([]);
    const containers = (m.resources[0]!.object.spec as { containers: Array<Record<string, unknown>> }).containers;
    expect(containers.map((c) => [c.name, c.image])).toEqual([
      ['first', 'nginx:1.25'],
      ['second', 'nginx:1.26'],
    ]);
  });
});

describe('parseManifest: bad input', () => {
  test('malformed YAML: a yaml-syntax error at the parser line/column; documents before it are still read', () => {
    const p = parseManifest(fixture('bad-indent.yaml'), 'bad-indent.yaml');
    expect(p.resources.map((r) => r.name)).toEqual(['fine']);
    expect(p.findings).toHaveLength(1);
    const f = p.findings[0]!;
    expect([f.rule, f.severity, f.file, f.line, f.column, f.docIndex]).toEqual(['yaml-syntax', 'error', 'bad-indent.yaml', 14, 2, 1]);
    expect(f.message).toMatch(/^invalid YAML: bad indentation of a mapping entry; .*fix the YAML/);
    expect(f.message).not.toContain('\n');
  });

  test('a syntax error in the first document: no resources, error on the right line', () => {
    const p = parseManifest('apiVersion: v1\nkind: Pod\nmetadata: {name: x\nspec: {}\n', 'x.yaml');
    expect(p.resources).toEqual([]);
    expect(p.findings.map((f) => [f.rule, f.line])).toEqual([['yaml-syntax', 4]]);
    expect(p.empty).toBe(false);
    // found a line after the one to fix: the message says where the unclosed { began
    expect(p.findings[0]!.message).toContain('(in the flow mapping { that starts at 3:11: is it closed?)');
    const nested = parseManifest('a:\n  b: {c: [1, 2}\n', 'y.yaml');
    expect(nested.findings[0]!.message).toContain('(in the flow sequence [ that starts at 2:10: is it closed?)');
    // other errors say nothing of flow collections
    expect(parseManifest('a: 1\na: 2\n', 'z.yaml').findings[0]!.message).not.toContain('starts at');
  });

  test('garbage after a document ("a document separator is expected") drops that document only', () => {
    const p = parseManifest('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n- x\n', 'x.yaml');
    expect(p.resources.map((r) => r.name)).toEqual(['a']);
    expect(p.findings[0]!.rule).toBe('yaml-syntax');
    expect(p.findings[0]!.docIndex).toBe(1);
  });

  test('duplicate keys are a syntax error pointing at the second key', () => {
    const p = parseManifest('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n', 'x.yaml');
    expect(p.findings.map((f) => [f.rule, f.line, f.column])).toEqual([['yaml-syntax', 5, 3]]);
    expect(p.findings[0]!.message).toContain('duplicated mapping key');
  });

  test('JSON with a syntax error: json-syntax at the offending line/column', () => {
    const p = parseManifest(fixture('broken.json'), 'broken.json');
    expect(p.resources).toEqual([]);
    expect(p.findings.map((f) => [f.rule, f.severity, f.line, f.column])).toEqual([['json-syntax', 'error', 6, 3]]);
    expect(p.findings[0]!.message).toBe('invalid JSON: expected a double-quoted property name, found "}"; kubectl cannot read this file: fix the JSON');
  });

  test.each([
    ['{"a": tru}', 1, 7, 'unexpected "t", expected a value'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}' after a property value, found \"\\\"\""],
    ['[1, 2', 1, 6, "unexpected end of the file, expected ',' or ']'"],
    ['{"a": "x\ty"}', 1, 9, 'control character "\\t" inside a string (escape it)'],
    ['{"a": 1} x', 1, 10, 'unexpected "x" after the end of the JSON value'],
  ])('JSON error %j at %i:%i', (text, line, column, reason) => {
    const f = parseManifest(text, 'x.json').findings[0]!;
    expect([f.rule, f.line, f.column]).toEqual(['json-syntax', line, column]);
    expect(f.message).toContain(reason);
  });

  test('BOM: stripped, and line/column unaffected', () => {
    const text = fixture('bom.yaml');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const p = parseManifest(text, 'bom.yaml');
    expect(p.findings).toEqual([]);
    expect(p.resources.map((r) => r.name)).toEqual(['bom']);
    expect(p.text.charCodeAt(0)).not.toBe(0xfeff);
    const json = parseManifest('\ufeff{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"}}', 'x.json');
    expect([json.format, json.resources[0]?.name]).toEqual(['json', 'j']);
    const bad = parseManifest('\ufeffapiVersion: v1\nkind: Pod\nkind: Pod\n', 'x.yaml');
    expect([bad.findings[0]!.line, bad.findings[0]!.column]).toEqual([3, 1]);
  });

  test('CRLF line endings: read normally; error lines are right', () => {
    const p = parseManifest(fixture('crlf.yaml'), 'crlf.yaml');
    expect(p.findings).toEqual([]);
    expect(p.resources[0]!.name).toBe('crlf');
    const bad = parseManifest('apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: a\r\n bad: x\r\n', 'x.yaml');
    expect(bad.findings.map((f) => [f.rule, f.line, f.column])).toEqual([['yaml-syntax', 5, 2]]);
  });

  test('binary content: one binary-file finding, no crash, no resources', () => {
    const p = parseManifest(readFileSync(fixtures + 'binary.yaml').toString('utf8'), 'binary.yaml');
    expect(p.resources).toEqual([]);
    expect(p.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([['binary-file', 'error', 1]]);
    expect(p.findings[0]!.message).toContain('not a text file');
    const utf16 = Buffer.from('\ufeffapiVersion: v1\n', 'utf16le').toString('utf8');
    expect(parseManifest(utf16, 'w.yaml').findings[0]!.message).toContain('UTF-16');
    const utf16be = Buffer.from('apiVersion: v1\nkind: Pod\n', 'utf16le').swap16().toString('utf8');
    expect(parseManifest(utf16be, 'be.yaml').findings[0]!.message).toContain('UTF-16');
    // an executable: NUL bytes, but not UTF-16 text; never told to convert it
    const elf = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]),
      Buffer.alloc(40),
      Buffer.from('\x40\x00\x38\x00\x0d\x00'),
    ]);
    const elfFinding = parseManifest(elf.toString('utf8'), 'ls.yaml').findings[0]!;
    expect(elfFinding.message).toContain('(it contains NUL bytes: binary data)');
    expect(elfFinding.message).not.toContain('UTF-16');
    const mostlyInvalid = Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 0xc3 : 0x28 + (i % 50)))).toString('utf8');
    expect(parseManifest(mostlyInvalid, 'x.yaml').findings.map((f) => f.rule)).toEqual(['binary-file']);
  });

  test('a stray invalid byte in a comment is not "binary"', () => {
    const text = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n')]).toString('utf8');
    const p = parseManifest(text, 'x.yaml');
    expect(p.findings).toEqual([]);
    expect(p.resources).toHaveLength(1);
  });

  test.each([
    ['', 0],
    ['\n\n   \n', 1],
    ['# only a comment\n', 1],
    ['---\n', 1],
    ['---\n---\n# c\n', 2],
  ])('empty file %j: no resources, no findings, empty = true', (text, documents) => {
    const p = parseManifest(text, 'e.yaml');
    expect([p.resources.length, p.findings.length, p.empty, p.documents]).toEqual([0, 0, true, documents]);
  });

  test('fixtures empty.yaml and comments-only.yaml are empty; a file with an object is not', () => {
    expect(parseManifest(fixture('empty.yaml'), 'empty.yaml').empty).toBe(true);
    expect(parseManifest(fixture('comments-only.yaml'), 'comments-only.yaml').empty).toBe(true);
    expect(parseManifest('apiVersion: v1\nkind: ConfigMap\n', 'x.yaml').empty).toBe(false);
    expect(parseManifest('just a string\n', 'x.yaml').empty).toBe(false);
  });

  test('a billion-laughs alias bomb is rejected with yaml-aliases; other documents still read', () => {
    const bomb = fixture('billion-laughs.yaml');
    const p = parseManifest(`${bomb}---\napiVersion: v1\nkind: Pod\nmetadata: {name: after}\n`, 'bomb.yaml');
    expect(p.findings.map((f) => [f.rule, f.severity, f.docIndex])).toEqual([['yaml-aliases', 'error', 0]]);
    expect(p.findings[0]!.message).toContain('alias');
    expect(p.resources.map((r) => r.name)).toEqual(['after']);
    locateFindings(p.text, p.findings);
    expect(p.findings[0]!.line).toBe(1);
  });

  test('the alias-bomb check reads each shared value once, never the expansion (~10^9 nodes)', () => {
    // Count every property read the check makes on the loaded bomb (one proxy per object, so that
    // shared values keep their identity).
    let reads = 0;
    const proxies = new WeakMap<object, object>();
    const counted = (v: unknown): unknown => {
      if (typeof v !== 'object' || v === null) return v;
      let p = proxies.get(v);
      if (!p) {
        p = new Proxy(v, {
          get: (t, k, r) => {
            reads++;
            return counted(Reflect.get(t, k, r));
          },
        });
        proxies.set(v, p);
      }
      return p;
    };
    const doc = counted(load(fixture('billion-laughs.yaml')));
    expect(isAliasBomb(doc)).toBe(true);
    // 9 lists of 9 entries and a few keys: some hundreds of reads where a walk would make a billion.
    expect(reads).toBeGreaterThan(81);
    expect(reads).toBeLessThan(1000);
  });

  test('a deep bomb of mappings (merge keys and aliases) is rejected too', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: m}', 'l0: &l0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}'];
    for (let i = 1; i < 12; i++) lines.push(`l${i}: &l${i} {a: *l${i - 1}, b: *l${i - 1}, c: *l${i - 1}, d: *l${i - 1}, e: *l${i - 1}}`);
    const p = parseManifest(lines.join('\n'), 'x.yaml');
    expect(p.findings.map((f) => f.rule)).toEqual(['yaml-aliases']);
    expect(p.resources).toEqual([]);
  });

  test('deeply nested input is a finding, not a crash', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const p = parseManifest(`a: 1\nb: ${deep}\n`, 'deep.yaml');
    expect(p.findings.map((f) => [f.rule, f.line])).toEqual([['yaml-syntax', 2]]);
    expect(p.findings[0]!.message).toContain('nested too deeply');
    const j = parseManifest(deep, 'deep.json');
    expect(j.resources).toEqual([]);
  });
});
