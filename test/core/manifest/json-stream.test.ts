/**
 * A stream of concatenated JSON objects (what kubectl reads when input starts with `{`): every
 * object is a document, files and standard input agree, findings are located in the right object.
 */
import type { Finding } from '../../../src/core/finding.js';
import { ManifestChecker } from '../../../src/core/check-manifests.js';
import { locateFindings } from '../../../src/core/manifest/locate.js';
import { parseManifest } from '../../../src/core/manifest/parse-manifest.js';
import { readJsonStream } from '../../../src/core/manifest/json-stream.js';
import { defaultModel } from './offline-model.js';

const pod = (name: string, hostPort: number) =>
  JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { containers: [{ name: 'c', image: 'c', ports: [{ containerPort: 80, hostPort }], resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
    },
    null,
    2,
  );
const svc = '{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"selector":{"app":"x"},"ports":[{"port":80}]}}';
const STREAM = `${pod('a', 31080)}\n${pod('b', 8080)}${svc}\n  \n{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}\n`;

const names = (file: string, text = STREAM) => parseManifest(text, file).resources.map((r) => `${r.docIndex}:${r.kind}/${r.name}`);

function check(file: string, text: string): string[] {
  const checker = new ManifestChecker(defaultModel());
  checker.addFile({ file, text, staticPodFile: false });
  return checker.finish().findings.map((f) => `${f.rule} ${f.line}:${f.column} ${f.name ?? ''}`);
}

describe('JSON streams', () => {
  test('every object of the stream is a document, whatever separates them (newlines, nothing, blank lines)', () => {
    const p = parseManifest(STREAM, 'objects.json');
    expect(p.format).toBe('json');
    expect(p.findings).toEqual([]);
    expect(p.documents).toBe(4);
    expect(names('objects.json')).toEqual(['0:Pod/a', '1:Pod/b', '2:Service/s', '3:ConfigMap/c']);
  });

  test('standard input, a .json file and a .yaml file with the same bytes read the same', () => {
    expect(names('<stdin>')).toEqual(names('objects.json'));
    expect(names('objects.yaml')).toEqual(names('objects.json'));
    expect(check('<stdin>', STREAM)).toEqual(check('objects.json', STREAM));
  });

  test('findings are located in the object they are about', () => {
    const lines = STREAM.split('\n');
    const found = check('objects.json', STREAM).filter((f) => f.startsWith('host-port-not-offered'));
    expect(found).toHaveLength(1);
    const [, at, name] = found[0]!.split(' ');
    expect(name).toBe('b');
    const [line, col] = at!.split(':').map(Number);
    expect(lines[line! - 1]!.slice(col! - 1)).toBe('8080');
    // the Service (third object, on the same line as the end of the second) selects no pod
    const svcFinding = check('<stdin>', STREAM).find((f) => f.startsWith('service-selects-no-pods'))!;
    const [sl, sc] = svcFinding.split(' ')[1]!.split(':').map(Number);
    expect(lines[sl! - 1]!.slice(sc! - 1)).toMatch(/^\{"app":"x"\},"ports"/);
  });

  test('a key repeated in an object points where JSON.parse takes its value (the last one)', () => {
    const text =
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"c","ports":[{"containerPort":80,"hostPort":1,"hostPort":2}]}]}}';
    const f: Finding = { rule: 't', severity: 'error', message: '', docIndex: 0, path: ['spec', 'containers', 0, 'ports', 0, 'hostPort'] };
    locateFindings(text, [f]);
    expect(text.slice(f.column! - 1)).toMatch(/^2}/);
  });

  test('a broken stream: json-syntax where it breaks, the objects before it still checked, for files and stdin alike', () => {
    const text = `${pod('a', 8080)}\n{"apiVersion": "v1", "kind": }\n`;
    for (const file of ['<stdin>', 'broken.json', 'broken.yaml']) {
      const p = parseManifest(text, file);
      expect(p.findings.map((f) => f.rule)).toEqual(['json-syntax']);
      expect(text.split('\n')[p.findings[0]!.line! - 1]!.slice(p.findings[0]!.column! - 1)).toBe('}');
      expect(p.findings[0]!.message).toContain('the object before it is checked');
      expect(p.resources.map((r) => r.name)).toEqual(['a']);
    }
    const garbage = parseManifest(`${pod('a', 8080)} trailing`, '<stdin>');
    expect(garbage.findings[0]!.message).toContain('unexpected "t" after the end of the JSON value');
  });

  test('YAML that starts with { is still YAML: flow style, and JSON objects between --- lines', () => {
    expect(names('<stdin>', '{apiVersion: v1, kind: Pod, metadata: {name: flow}}\n')).toEqual(['0:Pod/flow']);
    const separated = `${svc}\n---\n{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}\n`;
    expect(parseManifest(separated, '<stdin>').findings).toEqual([]);
    expect(names('<stdin>', separated)).toEqual(['0:Service/s', '1:Pod/p']);
  });

  test('readJsonStream offsets point at each value', () => {
    const s = readJsonStream(' {"a":1}{"b":[1,"}"]}\n\n{"c":"\\"{"}');
    expect(s.error).toBeUndefined();
    expect(s.values).toEqual([{ a: 1 }, { b: [1, '}'] }, { c: '"{' }]);
    expect(s.offsets).toEqual([1, 8, 23]);
  });
});
