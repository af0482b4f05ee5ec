/**
 * readManifestYaml (the one-pass reader) against js-yaml, which it stands in for: wherever it answers,
 * its documents deep-equal js-yaml's `loadAll` with MANIFEST_YAML_SCHEMA, and where js-yaml throws it
 * gives up (so that js-yaml reports the error); where it answers, `positionOf` agrees with the full
 * locator (`locateFindings`) on every path. Texts are generated: block and flow collections, the
 * quoting styles, block scalars, YAML 1.1 words, comments, anchors and aliases, several documents, and
 * random damage.
 */
import fc from 'fast-check';
import { KNOWN_WORDS, readManifestYaml } from '../../../src/core/manifest/fast-yaml.js';
import { loadYamlDocuments } from '../../../src/core/manifest/yaml-load.js';
import { checkAgainstJsYaml } from './fast-yaml-check.js';

// ---- a generator of YAML texts -------------------------------------------------------------------

type Node =
  | { t: 'scalar'; text: string }
  | { t: 'null' }
  | { t: 'block-scalar'; header: string; lines: string[] }
  | { t: 'map'; flow: boolean; entries: Array<{ key: string; value: Node; comment: boolean }>; anchor: boolean }
  | { t: 'seq'; flow: boolean; items: Node[]; sameIndent: boolean; compact: boolean; anchor: boolean };

/** Plain scalars, YAML 1.1 words and numbers among them. */
const PLAIN = [
  'web',
  'nginx:1.25',
  'a b c',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  'true',
  'False',
  '~',
  'null',
  'Null',
  '0755',
  '0x1F',
  '0o17',
  '0b101',
  '08',
  '1_000',
  '-1',
  '+12',
  '1e3',
  '1.5',
  '.5',
  '-.inf',
  '.NaN',
  '2023-01-01',
  '500m',
  '1Gi',
  'http://x/y?z=1',
  '--port=80',
  '-x',
  '?x',
  ':x',
  'a#b',
  'x%y',
  'é ü 中',
  // \u0001: a line break and the indentation of a continuation line (more indented than the entry)
  'one\u0001two',
  'one  \u0001\u0001two - three\u0001[four]',
  'one\u0001# a comment',
];
/** Plain text that is not a plain scalar everywhere (or at all): key-like, comments, aliases, tags, flow indicators. */
const HOSTILE_PLAIN = ['*a0', 'a: b', 'a #b', 'x:', '<<', '*ref', '&anc x', '!!str 80', '@at', '`tick`', '%pct', 'a,b', 'a[0]', '{x}', '- x', '? x'];

const SINGLE = ["'quoted'", "'it''s'", "''", "'a: b # c'", "'0755'", "'yes'", "'one \u0001two'", "'one\u0001\u0001it''s'"];
const DOUBLE = [
  '"one\u0001two\\tx"',
  '"one \\\u0001two"',
  '"a\u0001\u0001\u0001b"',
  '"quoted"',
  '"a\\nb"',
  '"tab\\there"',
  '"q\\"x"',
  '"back\\\\slash"',
  '"\\x41\\u00e9\\U0001F600"',
  '"\\/ \\0 \\e \\N \\_"',
  '""',
  '"80"',
];
const HOSTILE_QUOTED = ["'one\u0002two'", 'one\u0002two', "'unclosed", "'two\n  lines'", '"bad \\q"', '"two\n  lines"', '"unclosed', '"\\x4"'];

const KEYS = [
  'name',
  'image',
  'app.kubernetes.io/name',
  'a b',
  '80',
  'yes',
  '~',
  'on',
  '0755',
  '1.5',
  '"quoted key"',
  "'single key'",
  '"k\\tx"',
  'k#1',
  '-k',
  'é',
];
const HOSTILE_KEYS = ['<<', '? x', '__proto__', '[a]', '&k a', '*k', '!!str k', 'k #c', '"a"b'];

const scalarArb: fc.Arbitrary<Node> = fc.oneof(
  { weight: 120, arbitrary: fc.constantFrom(...PLAIN).map((text) => ({ t: 'scalar' as const, text })) },
  { weight: 30, arbitrary: fc.constantFrom(...SINGLE).map((text) => ({ t: 'scalar' as const, text })) },
  { weight: 30, arbitrary: fc.constantFrom(...DOUBLE).map((text) => ({ t: 'scalar' as const, text })) },
  { weight: 20, arbitrary: fc.constant({ t: 'null' as const }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PLAIN, ...HOSTILE_QUOTED).map((text) => ({ t: 'scalar' as const, text })) },
);

const keyArb = fc.oneof({ weight: 100, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_KEYS) });

const blockScalarArb: fc.Arbitrary<Node> = fc.record({
  t: fc.constant('block-scalar' as const),
  header: fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom('|', '|-', '|+', '>', '>-', '>+', '| # c') },
    { weight: 1, arbitrary: fc.constantFrom('|2', '>+1', '|x', '|#c') },
  ),
  lines: fc.array(fc.constantFrom('echo hi', 'exit 0', '', '  more indented', '    deeper', 'key: not a key', '- not an item', '# not a comment', '   '), {
    maxLength: 6,
  }),
});

const { node, map, seq } = fc.letrec<{ node: Node; map: Node; seq: Node }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarArb, blockScalarArb, tie('map'), tie('seq')),
  map: fc.record({
    t: fc.constant('map' as const),
    flow: fc.boolean(),
    entries: fc.oneof(
      {
        weight: 20,
        arbitrary: fc.uniqueArray(fc.record({ key: keyArb, value: tie('node'), comment: fc.boolean() }), { maxLength: 4, selector: (e) => e.key }),
      },
      { weight: 1, arbitrary: fc.array(fc.record({ key: keyArb, value: tie('node'), comment: fc.boolean() }), { maxLength: 4 }) },
    ),
    anchor: fc.boolean(),
  }),
  seq: fc.record({
    t: fc.constant('seq' as const),
    flow: fc.boolean(),
    items: fc.array(tie('node'), { maxLength: 4 }),
    sameIndent: fc.boolean(),
    compact: fc.boolean(),
    anchor: fc.boolean(),
  }),
}));

let anchors = 0;

/** A scalar's text, its line breaks indented for a value in a collection at `indent` (\u0002: as much as its entries). */
function lines(text: string, indent: number): string {
  return text
    .split('\u0001')
    .join(`\n${' '.repeat(indent + 2)}`)
    .split('\u0002')
    .join(`\n${' '.repeat(indent)}`);
}

function flowText(n: Node, multiLine: boolean, indent: number): string {
  const sep = multiLine ? `,\n${' '.repeat(indent + 2)}` : ', ';
  switch (n.t) {
    case 'scalar':
      return lines(n.text, indent);
    case 'null':
      return '';
    case 'block-scalar':
      return 'folded';
    case 'map':
      return `{${n.entries.map((e) => `${e.key}: ${flowText(e.value, false, indent)}`).join(sep)}}`;
    case 'seq':
      return `[${n.items.map((i) => flowText(i, false, indent)).join(sep)}]`;
  }
}

/** `key:` or `-` already written; the rest of the line and the lines below, for a collection at `indent`. */
function afterIndicator(n: Node, indent: number, step: number, inSeq: boolean, comment: boolean): string {
  const c = comment ? ' # note' : '';
  const anchor = (n.t === 'map' || n.t === 'seq') && n.anchor ? ` &a${anchors++}` : '';
  switch (n.t) {
    case 'scalar':
      return ` ${lines(n.text, indent)}${c}\n`;
    case 'null':
      return `${c}\n`;
    case 'block-scalar':
      return ` ${n.header}\n${n.lines.map((l) => (l === '' ? '\n' : `${' '.repeat(indent + step)}${l}\n`)).join('')}`;
    case 'map':
      if (n.flow || n.entries.length === 0) return `${anchor} ${flowText(n, n.entries.length > 2, indent)}${c}\n`;
      if (inSeq && !anchor && !comment && n.entries.length > 0) {
        // compact: `- key: value` with the other keys under the first
        const body = blockMap(n, indent + 2, step);
        return ` ${body.slice(indent + 2)}`;
      }
      return `${anchor}${c}\n${blockMap(n, indent + step, step)}`;
    case 'seq':
      if (n.flow || n.items.length === 0) return `${anchor} ${flowText(n, n.items.length > 2, indent)}${c}\n`;
      return `${anchor}${c}\n${blockSeq(n, !inSeq && n.sameIndent ? indent : indent + step, step)}`;
  }
}

function blockMap(n: Extract<Node, { t: 'map' }>, indent: number, step: number): string {
  return n.entries
    .map(
      (e, i) =>
        `${i === 1 && e.comment ? `${' '.repeat(indent + 3)}# between\n` : ''}${' '.repeat(indent)}${e.key}:${afterIndicator(e.value, indent, step, false, e.comment)}`,
    )
    .join('');
}

function blockSeq(n: Extract<Node, { t: 'seq' }>, indent: number, step: number): string {
  return n.items.map((i) => `${' '.repeat(indent)}-${afterIndicator(i, indent, step, true, false)}`).join('');
}

function documentText(n: Node, step: number): string {
  anchors = 0;
  if (n.t === 'map' && !n.flow) return blockMap(n, 0, step);
  if (n.t === 'seq' && !n.flow) return blockSeq(n, 0, step);
  return `${flowText(n, false, 0)}\n`;
}

const SEPARATORS = ['---\n', '--- # next\n', '\n---\n', '---\n# only a comment\n---\n', '---\n\n'];

const textArb = fc
  .record({
    // Manifests are block mappings; sometimes a block sequence, and rarely a scalar or flow document (left to js-yaml).
    docs: fc.array(
      fc.oneof(
        { weight: 12, arbitrary: map.map((m) => (m.t === 'map' ? { ...m, flow: false } : m)) },
        { weight: 3, arbitrary: seq.map((q) => (q.t === 'seq' ? { ...q, flow: false } : q)) },
        { weight: 1, arbitrary: node },
      ),
      { minLength: 1, maxLength: 3 },
    ),
    step: fc.constantFrom(2, 4, 1),
    seps: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 3, maxLength: 3 }),
    lead: fc.constantFrom('', '---\n', '# header\n', '\n'),
    tail: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('', '---\n', '\n\n', '# end', '---\n# c\n') }, { weight: 1, arbitrary: fc.constant('...\n') }),
  })
  .map(({ docs, step, seps, lead, tail }) => lead + docs.map((d, i) => (i === 0 ? '' : seps[i - 1]) + documentText(d, step)).join('') + tail);

/** Damage: a character put in or taken out somewhere. */
const damagedArb = fc
  .tuple(
    textArb,
    fc.nat(),
    fc.constantFrom(' ', '\t', ':', '-', '#', '"', "'", '\n', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '?', '\r', ''),
    fc.boolean(),
  )
  .map(([text, at, c, remove]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return remove ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + c + text.slice(i);
  });

describe('readManifestYaml reads what js-yaml reads, and positions agree with the full locator', () => {
  test('generated texts: block and flow, quoting styles, block scalars, comments, several documents (property)', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(textArb, (text) => {
        runs++;
        if (checkAgainstJsYaml(text)) answered++;
      }),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 1500) },
    );
    // The generator mostly writes the subset the reader answers, so the comparison is not empty.
    if (process.env.FAST_YAML_RUNS) console.log(`answered ${answered} of ${runs}`);
    expect(answered / runs).toBeGreaterThan(0.3);
  });

  test('damaged texts: where js-yaml throws, the reader gives up (property)', () => {
    fc.assert(
      fc.property(damagedArb, (text) => {
        checkAgainstJsYaml(text);
      }),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 1500) },
    );
  });

  test('the words it does not cut from the text read as themselves, as keys and as values', () => {
    const text = KNOWN_WORDS.map((w, i) => `${w}: ${w}\nk${i}: [${w}]\n`).join('');
    const mine = readManifestYaml(text)!.docs;
    expect(mine).toEqual(loadYamlDocuments(text));
    for (const [i, w] of KNOWN_WORDS.entries()) {
      expect((mine[0] as Record<string, unknown>)[w]).toBe(w);
      expect((mine[0] as Record<string, unknown>)[`k${i}`]).toEqual([w]);
    }
  });

  test.each([
    [
      'a manifest',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    args: ["--port", "80"]\n    ports: [{containerPort: 80}]\n',
    ],
    ['YAML 1.1 words and numbers, values and keys', 'a: off\nb: 0755\nc: 08\nd: 1_000\ne: ~\nyes: 1\n80: x\n1.5: y\n'],
    ['block scalars with every chomping', 'a: |\n  x\n\n  y\n\nb: |-\n  x\nc: |+\n  x\n\nd: >\n  one\n  two\n\n   more\n  three\ne: >-\n  x\n'],
    ['empty documents and comments', '# c\n---\n---\na: 1\n---\n# only\n'],
    ["an indented root and a sequence at its key's indentation", '  a:\n  - 1\n  - b: 2\n    c: 3\n  d: {}\n'],
    ['flow over several lines', 'args: [\n  "a", # one\n  b,\n]\nm: {a: 1,\n  b: [x, y]}\n'],
    ['anchors without aliases', 'labels: &l {app: web}\nspec: &s\n  x: 1\n'],
    ['plain scalars over several lines', 'a: one\n  two\n\n  three # c\nb:\n- x\n  y\n  # c\n- z\n'],
    [
      'a large mapping',
      `${Array.from({ length: 40 }, (_, i) => `k${i}: ${i}`).join('\n')}\nflow: {${Array.from({ length: 30 }, (_, i) => `f${i}: x`).join(', ')}}\n`,
    ],
    ['quoted scalars over several lines', "a: 'one  \n  two\n\n  it''s'\nb: \"x \\\n  y\\ty\n  z\"\nc: [\"p\n q\", 'r\n s']\n"],
  ])('%s', (_name, text) => {
    expect(checkAgainstJsYaml(text)).toBe(true);
  });

  test.each([
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'a: &x {p: 1}\nb:\n  <<: *x\n'],
    ['a tag', 'a: !!str 80\n'],
    ['a duplicate key (js-yaml rejects it)', 'a: 1\na: 2\n'],
    ['a plain scalar going on over a more indented comment', 'a: one\n    # c\n    two\n'],
    ['a duplicate key late in a large mapping', `${Array.from({ length: 40 }, (_, i) => `k${i}: ${i}`).join('\n')}\nk3: again\n`],
    ['a duplicate key late in a large flow mapping', `m: {${Array.from({ length: 30 }, (_, i) => `f${i}: x`).join(', ')}, f2: y}\n`],
    ['a quoted key over two lines', '"a\n  b": 1\n'],
    ['a tab', 'a:\t1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a complex key', '? a\n: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a directive', '%YAML 1.1\n---\na: 1\n'],
    ['a byte-order mark', '\ufeffa: 1\n'],
    ['a scalar document', 'just text\n'],
    ['nesting deeper than the stack', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`],
  ])('gives up on %s, which js-yaml reads or rejects itself', (_name, text) => {
    expect(readManifestYaml(text)).toBeUndefined();
  });
});
