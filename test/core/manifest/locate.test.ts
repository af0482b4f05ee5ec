import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import yaml from 'js-yaml';
import type { DocPath, Finding } from '../../../src/core/finding.js';
import { locateFindings } from '../../../src/core/manifest/locate.js';
import { parseManifest } from '../../../src/core/manifest/parse-manifest.js';

const fixtures = fileURLToPath(new URL('../../fixtures/manifests/', import.meta.url));
const fixture = (name: string): string => readFileSync(fixtures + name, 'utf8');

/** Locates one path and returns `line:column` plus the text found there (to the end of the line). */
function at(text: string, docIndex: number, path: DocPath): string {
  const f: Finding = { rule: 't', severity: 'error', message: '', docIndex, path };
  locateFindings(text, [f]);
  if (f.line === undefined) return 'unlocated';
  const line = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/)[f.line - 1] ?? '';
  return `${f.line}:${f.column} ${line.slice(f.column! - 1)}`;
}

describe('locateFindings', () => {
  const multi = fixture('multi-doc.yaml');

  test('points at the value of the field the path names', () => {
    expect(at(multi, 0, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'hostPort'])).toBe('26:21 31080');
    expect(at(multi, 0, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('22:16 nginx:1.25.3');
    expect(at(multi, 0, ['spec', 'replicas'])).toBe('11:13 2');
  });

  test('points at the key when the value is a block mapping or list, and at the object for []', () => {
    expect(at(multi, 0, ['spec', 'template', 'spec', 'containers'])).toBe('20:7 containers:');
    expect(at(multi, 0, ['spec', 'template', 'spec', 'containers', 0])).toBe('21:9 name: web');
    expect(at(multi, 0, [])).toBe('3:1 apiVersion: apps/v1');
  });

  test('a missing field falls back to the nearest existing ancestor', () => {
    expect(at(multi, 0, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'ephemeral-storage'])).toBe('29:11 limits:');
    expect(at(multi, 0, ['spec', 'template', 'spec', 'containers', 0, 'livenessProbe', 'httpGet'])).toBe('21:9 name: web');
    expect(at(multi, 0, ['spec', 'template', 'spec', 'containers', 3, 'image'])).toBe('20:7 containers:');
    expect(at(multi, 0, ['nope'])).toBe('3:1 apiVersion: apps/v1');
  });

  test('later documents: indexes agree with parseManifest (empty and comment-only documents count)', () => {
    const p = parseManifest(multi, 'multi-doc.yaml');
    const svc = p.resources.find((r) => r.kind === 'Service')!;
    const cron = p.resources.find((r) => r.kind === 'CronJob')!;
    expect(at(multi, svc.docIndex, ['spec', 'ports', 0, 'targetPort'])).toBe('47:17 http');
    expect(at(multi, cron.docIndex, ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0, 'command', 1])).toBe('63:29 "-c", "date"]');
    expect(at(multi, cron.docIndex, ['spec', 'schedule'])).toBe('54:13 "*/15 * * * *"');
  });

  test.each([
    ['leading ---', '---\na: 1\n---\nb: 2\n', 1, ['b'], '4:4 2'],
    ['comment before the first ---', '# c\n---\na: 1\n---\nb: 2\n', 1, ['b'], '5:4 2'],
    ['empty documents', '---\n---\n---\nb: 2\n', 2, ['b'], '4:4 2'],
    ['comment-only document', 'a: 1\n---\n# only\n---\nb: 2\n', 2, ['b'], '5:4 2'],
    ['document end markers', 'a: 1\n...\n---\nb: 2\n...\n', 1, ['b'], '4:4 2'],
    ['trailing empty document', 'a: 1\n---\n', 0, ['a'], '1:4 1'],
    ['directive', '%YAML 1.2\n---\na: 1\n---\nb: 2\n', 1, ['b'], '5:4 2'],
    ['root on the --- line', '--- {a: 1}\n--- {b: [x, y]}\n', 1, ['b', 1], '2:13 y]}'],
  ])('document indexing: %s', (_name, text, docIndex, path, expected) => {
    const docs = yaml.loadAll(text);
    expect(docs[docIndex]).toBeTruthy();
    expect(at(text, docIndex, path)).toBe(expected);
  });

  test('CRLF: lines and columns as an editor shows them', () => {
    const crlf = fixture('crlf.yaml');
    expect(crlf).toContain('\r\n');
    expect(at(crlf, 0, ['spec', 'containers', 0, 'ports', 0, 'hostPort'])).toBe('11:17 99999');
    expect(at('a: 1\rb:\r  c: 2\r', 0, ['b', 'c'])).toBe('3:6 2');
  });

  test('BOM: columns of the first line are not shifted', () => {
    expect(at(fixture('bom.yaml'), 0, ['apiVersion'])).toBe('1:13 v1');
  });

  test('JSON files', () => {
    const json = fixture('pod.json');
    expect(at(json, 0, ['spec', 'containers', 0, 'ports', 0, 'hostPort'])).toBe('14:46 31080 }');
    expect(at(json, 0, ['metadata', 'name'])).toBe('5:13 "json-pod",');
    expect(at('{"a":{"b":[1,{"c":2}]},"a2":3}', 0, ['a', 'b', 1, 'c'])).toBe('1:19 2}]},"a2":3}');
    // JSON.parse keeps the last of duplicate keys; so does the locator
    expect(at('{"a": 1,\n "a": 2}', 0, ['a'])).toBe('2:7 2}');
  });

  test('kind: List members', () => {
    const list = fixture('list.yaml');
    const p = parseManifest(list, 'list.yaml');
    const cm = p.resources[1]!;
    expect(at(list, cm.docIndex, [...cm.basePath, 'metadata', 'namespace'])).toBe('16:16 tools');
  });

  test('through merge keys and aliases to where the value is written', () => {
    const text = fixture('anchors.yaml');
    expect(at(text, 0, ['spec', 'containers', 1, 'ports', 0, 'hostPort'])).toBe('6:15 31080');
    expect(at(text, 0, ['spec', 'containers', 0, 'image'])).toBe('3:10 nginx:1.25');
    expect(at(text, 0, ['spec', 'containers', 1, 'image'])).toBe('17:12 nginx:1.26');
    expect(at(text, 0, ['spec', 'containers', 1, 'name'])).toBe('16:11 second');
    const alias = 'base: &b\n  x: 1\nuse: *b\nlist: [*b, {z: 2}]\n';
    expect(at(alias, 0, ['use'])).toBe('3:6 *b');
    expect(at(alias, 0, ['use', 'x'])).toBe('2:6 1');
    expect(at(alias, 0, ['list', 1, 'z'])).toBe('4:16 2}]');
  });

  test('keys and values with tags, anchors, quotes, comments and empty values', () => {
    const text = 'a: !!str 5\nb: &anchor # comment\n  c: 1\n"d e": \'q\'\nf:\ng: ~\nh: |\n  text\n';
    expect(at(text, 0, ['a'])).toBe('1:10 5');
    expect(at(text, 0, ['b', 'c'])).toBe('3:6 1');
    expect(at(text, 0, ['d e'])).toBe("4:8 'q'");
    expect(at(text, 0, ['f'])).toBe('5:1 f:');
    expect(at(text, 0, ['g'])).toBe('6:4 ~');
    expect(at(text, 0, ['h'])).toBe('7:4 |');
  });

  test('lists with empty entries and flow pairs keep their indexes', () => {
    const text = 'l:\n- a\n-\n- c\nf: [x: 1, y]\n';
    expect(at(text, 0, ['l', 2])).toBe('4:3 c');
    expect(at(text, 0, ['f', 1])).toBe('5:11 y]');
    expect(at(text, 0, ['f', 0, 'x'])).toBe('5:5 x: 1, y]');
  });

  test('one parse for many findings; existing lines and findings without a path are left alone', () => {
    const fs: Finding[] = [
      { rule: 'a', severity: 'error', message: '', docIndex: 0, path: ['spec', 'replicas'] },
      { rule: 'b', severity: 'error', message: '', docIndex: 4, path: ['spec', 'schedule'] },
      { rule: 'c', severity: 'error', message: '', line: 7, column: 2, docIndex: 0, path: ['spec'] },
      { rule: 'd', severity: 'warning', message: '' },
    ];
    locateFindings(multi, fs);
    expect(fs.map((f) => [f.line, f.column])).toEqual([
      [11, 13],
      [54, 13],
      [7, 2],
      [undefined, undefined],
    ]);
  });

  test('documents after a syntax error cannot be located (parseManifest returned none of them)', () => {
    const text = 'a: 1\n---\nb: [\n---\nc: 1\n';
    expect(at(text, 0, ['a'])).toBe('1:4 1');
    expect(at(text, 2, ['c'])).toBe('unlocated');
  });

  test('property: every scalar of generated multi-document YAML is located at its own text', () => {
    const scalar = fc.oneof(fc.integer({ min: -1000, max: 100000 }), fc.stringMatching(/^s[a-z0-9]{0,6}$/), fc.constant(true));
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('v'), { minLength: 1, maxLength: 3 }),
        fc.dictionary(fc.stringMatching(/^k[a-z]{0,4}$/), tie('v'), { minKeys: 1, maxKeys: 4 }),
      ),
    })).v;
    const doc = fc.option(fc.dictionary(fc.stringMatching(/^k[a-z]{0,4}$/), value, { minKeys: 1, maxKeys: 4 }), { freq: 5 });
    const style = fc.record({ flowLevel: fc.constantFrom(-1, -1, 1, 2), leading: fc.boolean(), comment: fc.boolean(), crlf: fc.boolean() });
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 4 }), style, (docs, s) => {
        let text = s.leading ? '# generated\n---\n' : '';
        text += docs.map((d) => (d === null ? (s.comment ? '# empty\n' : '') : yaml.dump(d, { flowLevel: s.flowLevel, lineWidth: -1 }))).join('---\n');
        if (s.crlf) text = text.replace(/\n/g, '\r\n');
        const loaded = yaml.loadAll(text);
        const leaves: Array<{ doc: number; path: Array<string | number>; value: unknown }> = [];
        const collections: Array<{ doc: number; path: Array<string | number>; key: string }> = [];
        const walk = (v: unknown, doc: number, path: Array<string | number>): void => {
          const last = path[path.length - 1];
          if (typeof v === 'object' && v !== null && typeof last === 'string') collections.push({ doc, path, key: last });
          if (Array.isArray(v)) v.forEach((x, i) => walk(x, doc, [...path, i]));
          else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, doc, [...path, k]);
          else leaves.push({ doc, path, value: v });
        };
        loaded.forEach((d, i) => d !== null && walk(d, i, []));
        const findings: Finding[] = leaves.map((l) => ({ rule: 't', severity: 'error', message: '', docIndex: l.doc, path: l.path }));
        locateFindings(text, findings);
        const lines = text.split(/\r\n|\n/);
        findings.forEach((f, i) => {
          const rest = (lines[f.line! - 1] ?? '').slice(f.column! - 1);
          const shown = String(leaves[i]!.value);
          expect(rest.startsWith(shown) || rest.startsWith(`'${shown}'`) || rest.startsWith(`"${shown}"`)).toBe(true);
        });
        // a mapping or list under a key: the key when written in block style, else the opening bracket
        const cf: Finding[] = collections.map((c) => ({ rule: 't', severity: 'error', message: '', docIndex: c.doc, path: c.path }));
        locateFindings(text, cf);
        cf.forEach((f, i) => {
          const rest = (lines[f.line! - 1] ?? '').slice(f.column! - 1);
          expect(rest.startsWith(`${collections[i]!.key}:`) || rest.startsWith('{') || rest.startsWith('[')).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });
});
