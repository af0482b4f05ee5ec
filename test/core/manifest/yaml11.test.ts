/**
 * kubectl reads YAML with go-yaml v2 (YAML 1.1 scalars): k8smctl reads the same values, and says
 * "quote it" where a word such as `off` or `0755` becomes a boolean or number where the API needs a
 * string (issue 12).
 */
import { ManifestChecker } from '../../../src/core/check-manifests.js';
import { defaultModel } from './offline-model.js';
import { loadYamlDocuments, yaml11Reading } from '../../../src/core/manifest/yaml-load.js';

const load = (text: string) => loadYamlDocuments(text)[0] as Record<string, unknown>;

describe('plain scalars resolve as go-yaml v2 resolves them', () => {
  test('YAML 1.1 booleans: y/yes/on and n/no/off in their three spellings; other case mixes stay strings', () => {
    const words = [
      'y',
      'Y',
      'yes',
      'Yes',
      'YES',
      'on',
      'On',
      'ON',
      'true',
      'True',
      'TRUE',
      'n',
      'N',
      'no',
      'No',
      'NO',
      'off',
      'Off',
      'OFF',
      'false',
      'False',
      'FALSE',
    ];
    const doc = load(words.map((w, i) => `k${i}: ${w}`).join('\n'));
    expect(words.map((_, i) => doc[`k${i}`])).toEqual(words.map((w) => /^(y|yes|on|true)$/i.test(w)));
    expect(load('a: yES\nb: oN\nc: "off"\nd: \'yes\'\ne: offline\nf: yes please\n')).toEqual({
      a: 'yES',
      b: 'oN',
      c: 'off',
      d: 'yes',
      e: 'offline',
      f: 'yes please',
    });
  });

  test('integers as Go parses them: leading 0 is octal, 0x/0o/0b prefixes, signs, underscores', () => {
    expect(load('a: 0755\nb: -0755\nc: 0o17\nd: 0x1F\ne: 0b101\nf: 1_000\ng: +12\nh: 0\ni: 08\nj: 0.5\nk: 1e3\nl: 0X10\n')).toEqual({
      a: 493,
      b: -493,
      c: 15,
      d: 31,
      e: 5,
      f: 1000,
      g: 12,
      h: 0,
      i: 8, // not octal: go-yaml falls back to a float
      j: 0.5,
      k: 1000,
      l: 16,
    });
  });

  test('null, timestamps (kept as strings) and keys', () => {
    expect(load('a: ~\nb: null\nc:\nd: 2024-01-01\ne: 1:30\nyes: 1\n')).toEqual({ a: null, b: null, c: null, d: '2024-01-01', e: '1:30', true: 1 });
  });

  test('yaml11Reading: what an unquoted word becomes when it is not what the text says', () => {
    expect(yaml11Reading('off')).toEqual({ value: false });
    expect(yaml11Reading('Yes')).toEqual({ value: true });
    expect(yaml11Reading('0755')).toEqual({ value: 493, octal: true });
    expect(yaml11Reading('08')).toEqual({ value: 8 });
    expect(yaml11Reading('1_000')).toEqual({ value: 1000 });
    for (const same of ['true', 'false', '8080', '0', '-1', '1.5', 'hello', 'offline', '']) expect(yaml11Reading(same)).toBeUndefined();
  });
});

describe('validate says "quote it" where the API needs a string', () => {
  const check = (text: string) => {
    const checker = new ManifestChecker(defaultModel());
    checker.addFile({ file: 'd.yaml', text, staticPodFile: false });
    return checker
      .finish()
      .findings.filter((f) => f.rule === 'schema')
      .map((f) => `${f.line}:${f.column} ${f.message}`);
  };

  test('env values, args, labels and annotations written as YAML 1.1 booleans or octal numbers', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  labels: {debug: off}',
      '  annotations:',
      '    sidecar: yes # comment',
      'spec:',
      '  hostNetwork: no',
      '  containers:',
      '  - name: app',
      '    image: app',
      '    args: [--verbose, on]',
      '    env:',
      '    - {name: MODE, value: 0755}',
      '    - name: FLAG',
      '      value: Off',
      '    - name: QUOTED',
      '      value: "off"',
      '    - name: PLAIN_TRUE',
      '      value: true',
      '',
    ].join('\n');
    expect(check(text)).toEqual([
      `5:19 metadata.labels.debug must be a string, but kubectl's YAML parser (YAML 1.1) reads the unquoted off as the boolean false, so the apiserver rejects the object: quote it ("off")`,
      `7:14 metadata.annotations.sidecar must be a string, but kubectl's YAML parser (YAML 1.1) reads the unquoted yes as the boolean true, so the apiserver rejects the object: quote it ("yes")`,
      `13:23 spec.containers[0].args[1] must be a string, but kubectl's YAML parser (YAML 1.1) reads the unquoted on as the boolean true, so the apiserver rejects the object: quote it ("on")`,
      `15:27 spec.containers[0].env[0].value must be a string, but kubectl's YAML parser (YAML 1.1) reads the unquoted 0755 as the number 493 (a leading 0 makes it octal), so the apiserver rejects the object: quote it ("0755")`,
      `17:14 spec.containers[0].env[1].value must be a string, but kubectl's YAML parser (YAML 1.1) reads the unquoted Off as the boolean false, so the apiserver rejects the object: quote it ("Off")`,
      '21:14 spec.containers[0].env[3].value must be a string (quote numbers and booleans: "8080", "true"), got true',
    ]);
  });

  test('a boolean field written as a YAML 1.1 word is fine (hostNetwork: yes is true for kubectl too)', () => {
    expect(check('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: yes\n  containers: [{name: a, image: a}]\n')).toEqual([]);
  });
});
