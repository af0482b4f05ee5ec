import { withoutDuplicates, type Finding } from '../../src/core/finding.js';
import { parseManifest } from '../../src/core/manifest/parse-manifest.js';
import { describeValue, valueKind } from '../../src/core/manifest/value-name.js';
import yaml from 'js-yaml';
import { MANIFEST_YAML_SCHEMA } from '../../src/core/manifest/yaml-load.js';

const f = (over: Partial<Finding>): Finding => ({ rule: 'r', severity: 'error', message: 'm', file: 'a.yaml', line: 1, column: 1, ...over });

describe('withoutDuplicates', () => {
  test('drops a finding equal to an earlier one in rule, file, line, column and message; keeps the order', () => {
    const list = [f({}), f({ line: 2 }), f({}), f({ message: 'other' }), f({ rule: 'q' }), f({ column: 3 }), f({ line: 2 })];
    expect(withoutDuplicates(list).map((x) => `${x.rule}:${x.line}:${x.column}:${x.message}`)).toEqual([
      'r:1:1:m',
      'r:2:1:m',
      'r:1:1:other',
      'q:1:1:m',
      'r:1:3:m',
    ]);
  });

  test('different files or cluster objects are different findings', () => {
    const list = [
      f({}),
      f({ file: 'b.yaml' }),
      f({ file: undefined, object: 'agent-1', line: undefined, column: undefined }),
      f({ file: undefined, object: 'agent-2', line: undefined, column: undefined }),
    ];
    expect(withoutDuplicates(list)).toHaveLength(4);
  });
});

describe('value names in messages', () => {
  test('null is called null (empty), not "a object"', () => {
    const p = parseManifest('apiVersion: v1\nkind: List\nitems:\n- \n- 3\n', 'l.yaml');
    expect(p.findings.map((x) => x.message)).toEqual([
      expect.stringMatching(/^items\[0\] is null \(empty\), not a Kubernetes object/),
      expect.stringMatching(/^items\[1\] is a number, not a Kubernetes object/),
    ]);
  });

  test('!!binary and !!timestamp values are named after their tag, not "a mapping"', () => {
    const doc = yaml.load('b: !!binary aGVsbG8=\nt: !!timestamp 2001-12-14\ns: !!set {a, b}\n', { schema: MANIFEST_YAML_SCHEMA }) as Record<string, unknown>;
    expect(valueKind(doc.b)).toBe('binary data (!!binary)');
    expect(describeValue(doc.b)).toBe('binary data (!!binary)');
    expect(describeValue(doc.t)).toBe('a timestamp (!!timestamp)');
    expect(describeValue(doc.s)).toBe('a mapping');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(Number.POSITIVE_INFINITY)).toBe('a number too large to hold (read as infinity)');
    expect(describeValue(Number.NaN)).toBe('not a number (.nan)');
    expect(describeValue([])).toBe('an empty list');
  });
});
