import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import type { DocPath, Finding } from '../../../src/core/finding.js';
import { fastLocate, splitDocuments } from '../../../src/core/manifest/fast-locate.js';
import { locateFindings } from '../../../src/core/manifest/locate.js';
import { parseManifest } from '../../../src/core/manifest/parse-manifest.js';
import { LineIndex } from '../../../src/core/manifest/line-index.js';
import { loadYamlDocuments } from '../../../src/core/manifest/yaml-load.js';

/** Every path into a value (objects and arrays), depth-first, and one that goes past each (a missing field). */
function paths(v: unknown, prefix: Array<string | number> = [], out: DocPath[] = []): DocPath[] {
  out.push(prefix);
  if (Array.isArray(v)) {
    v.forEach((x, i) => paths(x, [...prefix, i], out));
    out.push([...prefix, v.length + 3]);
  } else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...prefix, k], out);
    out.push([...prefix, 'zz-missing']);
  } else out.push([...prefix, 'below-a-scalar']);
  return out;
}

/** The full locator's answer (the oracle): a finding with no document count takes the parser path. */
function slow(text: string, docIndex: number, path: DocPath): [number, number] | undefined {
  const f: Finding = { rule: 't', severity: 'error', message: '', docIndex, path };
  locateFindings(text, [f]);
  return f.line === undefined ? undefined : [f.line, f.column!];
}

/** Compares fast and slow on every path of every document; returns how many the fast path answered. */
function compare(text: string): { answered: number; total: number } {
  let docs: unknown[];
  try {
    docs = loadYamlDocuments(text); // read as validate reads it (YAML 1.1 keys: yes is "true")
  } catch {
    return { answered: 0, total: 0 }; // js-yaml's dump wrote something it cannot read back: not ours to check
  }
  const parsed = parseManifest(text, 'x.yaml');
  if (parsed.findings.some((f) => f.rule === 'helm-template')) return { answered: 0, total: 0 }; // random text that reads as Helm
  const split = splitDocuments(text.replace(/^\ufeff/, ''));
  expect(split === undefined || split.length === parsed.documents || split.length !== docs.length).toBe(true);
  if (!split || split.length !== parsed.documents) return { answered: 0, total: 0 };
  const lines = new LineIndex(text);
  let answered = 0;
  let total = 0;
  docs.forEach((doc, d) => {
    for (const p of paths(doc)) {
      total++;
      const off = fastLocate(split, d, p);
      if (off === undefined) continue;
      answered++;
      const at = lines.at(off);
      expect({ path: p, at: [at.line, at.column] }).toEqual({ path: p, at: slow(text, d, p) });
    }
  });
  return { answered, total };
}

function yamlFiles(dir: string, limit = Infinity): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (out.length >= limit) return;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

describe('fast locator agrees with the full locator wherever it answers', () => {
  test('the bundled examples (and it answers most paths there)', () => {
    let answered = 0;
    let total = 0;
    for (const f of yamlFiles('examples')) {
      const r = compare(readFileSync(f, 'utf8'));
      answered += r.answered;
      total += r.total;
    }
    expect(total).toBeGreaterThan(500);
    expect(answered / total).toBeGreaterThan(0.6);
  });

  test('generated manifests of the benchmark corpus style', () => {
    const text = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: web\n        image: "nginx:1.25"\n        args: ["--x"]\n        ports:\n        - containerPort: 80\n          hostPort: 31080 # fixed\n          protocol: TCP\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: http\n',
      '# comment only\n',
      "apiVersion: v1\nkind: ConfigMap\ndata:\n  script: |\n    echo hi\n    exit 0\n  other: 'quoted '' value'\n",
    ].join('---\n');
    const r = compare(text);
    expect(r.answered).toBeGreaterThan(10);
  });

  test('random objects dumped by js-yaml in block style (property)', () => {
    const key = fc.stringMatching(/^[a-z][a-zA-Z0-9./-]{0,12}$/);
    const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.stringMatching(/^[a-zA-Z0-9 :#'",./-]{0,20}$/));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
      array: fc.array(tie('tree'), { maxLength: 4 }),
      object: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
    }));
    fc.assert(
      fc.property(fc.array(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 }), fc.boolean(), (objs, noArrayIndent) => {
        const text = objs.map((o) => yaml.dump(o, { noArrayIndent, lineWidth: -1 })).join('---\n');
        compare(text);
      }),
      { numRuns: 300 },
    );
  });

  test('random objects dumped in flow style, with anchors, folded and literal strings (property)', () => {
    const key = fc.stringMatching(/^[a-zA-Z0-9 .:/#'"-]{1,12}$/);
    const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.stringMatching(/^[a-zA-Z0-9 :#'",./\n{}[\]-]{0,40}$/));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
      array: fc.array(tie('tree'), { maxLength: 4 }),
      object: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
    }));
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: -1, max: 3 }),
        fc.boolean(),
        fc.boolean(),
        (objs, flowLevel, share, folded) => {
          // a shared object is written once with an anchor and then as an alias
          const docs = share ? objs.map((o) => ({ ...o, first: objs[0], again: objs[0] })) : objs;
          const text = docs.map((o) => yaml.dump(o, { flowLevel, lineWidth: folded ? 20 : -1, noRefs: false })).join('---\n');
          compare(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('flow style, block scalars, anchors, quoted keys and multi-line values are read without the parser (issue 12)', () => {
  test.each([
    ['flow mapping', 'a: {b: 1, "c d": [x, {e: f}]}\n', ['a', 'c d', 1, 'e'], '1:26'],
    ['flow sequence over several lines', 'args: ["--port",\n  "80", # comment\n  --x]\nnext: {z: 1}\n', ['next', 'z'], '4:11'],
    ['JSON document in a YAML stream', '{"a": {"b": [1, 2]}}\n---\n{"c": 3}\n', ['a', 'b', 1], '1:17'],
    ['block scalar', 's: |\n  text: not a key\n  - nor an item\nt: 1\n', ['t'], '4:4'],
    ['block scalar value', 's: >-\n  folded\nt: 1\n', ['s'], '1:4'],
    ['multi-line plain scalar', 's: one\n  two three\nt: 1\n', ['t'], '3:4'],
    ['multi-line quoted scalar', 's: "one\n  two: [three"\nt: {u: 1}\n', ['t', 'u'], '3:8'],
    ['anchor on a block value', 'x: &x\n  w: 1\nz: *x\n', ['x', 'w'], '2:6'],
    ['alias as the value the path names', 'x: &x\n  w: 1\nz: *x\n', ['z'], '3:4'],
    ['y, n, yes, on... are boolean keys for kubectl: "y" is not there, "true" is', 'x:\n  y: 1\n', ['x', 'true'], '2:6'],
    ['anchor and tag on a scalar', 'a: &n !!str 80\n', ['a'], '1:13'],
    ['quoted keys', "\"app.kubernetes.io/name\": web\n'it''s': 1\n", ["it's"], '2:10'],
    ['keys that are not strings in the text', '80: http\nyes: 1\n~: 2\n', ['true'], '2:6'],
    ['missing field: the nearest ancestor', 'a:\n  b: 1\n', ['a', 'c'], '1:1'],
    ['missing index of a flow sequence', 'a: [1, 2]\n', ['a', 5], '1:4'],
    ['a sequence element on the next line', 'a:\n-\n  b: 1\n', ['a', 0, 'b'], '3:6'],
  ])('%s', (_name, text, path, expected) => {
    const split = splitDocuments(text)!;
    expect(split).toBeDefined();
    const off = fastLocate(split, 0, path);
    expect(off).toBeDefined();
    const at = new LineIndex(text).at(off!);
    expect(`${at.line}:${at.column}`).toBe(expected);
    expect(slow(text, 0, path)).toEqual([at.line, at.column]);
  });
});

describe('the whole document (an empty path) is located from its first line, however the rest reads', () => {
  test.each([
    ['a block mapping after comments and blank lines', '# c\n\n  # indented comment\na: 1\n', '4:1'],
    ['tabs and an alias further down', 'a:\n  b: 1\nc: *x\nd:\n\t- e\n', '1:1'],
    ['a sequence', '- a\n- b\n', '1:1'],
    ['an indented mapping', '   a: 1\n   b: 2\n', '1:4'],
    ['a flow mapping over several lines', '{a: 1,\n b: [2,\n 3]}\n', '1:1'],
    ['a quoted key', '"a b": 1\n', '1:1'],
    ['a mapping whose first value is unclosed flow', 'a: [1,\n  2\nb: 3\n', '1:1'],
  ])('%s', (_name, text, expected) => {
    const split = splitDocuments(text)!;
    const off = fastLocate(split, 0, []);
    expect(off).toBeDefined();
    const at = new LineIndex(text).at(off!);
    expect(`${at.line}:${at.column}`).toBe(expected);
    let parses = true;
    try {
      loadYamlDocuments(text);
    } catch {
      parses = false;
    }
    if (parses) expect(slow(text, 0, [])).toEqual([at.line, at.column]);
  });

  test.each([
    ['an anchor on the root', '&a\nb: 1\n'],
    ['a tag on the root', '!!map\nb: 1\n'],
    ['a tab first', '\ta: 1\n'],
    ['a complex key first', '? a\n: 1\n'],
    ['a block scalar root', '|\n  text\n'],
  ])('%s: left to the parser', (_name, text) => {
    const split = splitDocuments(text);
    expect(split === undefined ? undefined : fastLocate(split, 0, [])).toBeUndefined();
  });
});

describe('it leaves what it cannot be sure of to the parser', () => {
  test.each([
    ['a path through an alias', 'x: &x\n  w: 1\nz: *x\n', ['z', 'w']],
    ['a key a merge key may bring', 'base: &b\n  k: 1\nm:\n  <<: *b\n', ['m', 'k']],
    ['complex key', '? a\n: 1\n', ['a']],
    ['escapes in a quoted key', '"a\\u0062": 1\n', ['ab']],
    ['tab indentation', 'a:\n\tb: 1\n', ['a', 'b']],
    ['directive', '%YAML 1.2\n---\na: 1\n', ['a']],
  ])('%s', (_name, text, path) => {
    const split = splitDocuments(text);
    expect(split === undefined ? undefined : fastLocate(split, 0, path)).toBeUndefined();
  });
});

test('document counts follow the parser: leading comments, leading ---, trailing ---', () => {
  for (const text of ['# c\n---\na: 1\n', '---\na: 1\n---\nb: 2\n', 'a: 1\n---\n', 'a: 1\n', '']) {
    const split = splitDocuments(text);
    if (split) expect({ text, n: split.length }).toEqual({ text, n: parseManifest(text, 'x').documents });
  }
});
