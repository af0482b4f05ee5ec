import { ManifestChecker } from '../../../src/core/check-manifests.js';
import { defaultModel } from './offline-model.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    a: "caf\ufffd"\nspec:\n  containers:\n  - {name: a, image: b}\n';

/** The findings of one file, as `rule line:column`. */
function check(file: string, text: string, notUtf8: boolean): string[] {
  const checker = new ManifestChecker(defaultModel());
  checker.addFile({ file, text, staticPodFile: false, notUtf8 });
  return checker.finish().findings.map((f) => `${f.rule} ${f.line}:${f.column} ${f.message}`);
}

describe('bytes that are not UTF-8 (issue: kubectl refuses such YAML)', () => {
  test('YAML with a bad byte: an error at the first one, saying kubectl refuses the file and what to do', () => {
    const found = check('l.yaml', POD, true).filter((f) => f.startsWith('yaml-syntax'));
    expect(found).toEqual([
      'yaml-syntax 6:12 l.yaml is not valid UTF-8 (the first bad byte is here): kubectl refuses the whole file ("yaml: invalid leading UTF-8 octet"); save it as UTF-8',
    ]);
    // in a comment too, and on the first line
    expect(check('c.yaml', `# caf\ufffd\n${POD.replace('\ufffd', 'e')}`, true).filter((f) => f.startsWith('yaml-syntax'))).toEqual([
      'yaml-syntax 1:6 c.yaml is not valid UTF-8 (the first bad byte is here): kubectl refuses the whole file ("yaml: invalid leading UTF-8 octet"); save it as UTF-8',
    ]);
  });

  test('valid UTF-8 holding U+FFFD itself, and JSON (read with replacement by kubectl), are no error', () => {
    expect(check('ok.yaml', POD, false).filter((f) => f.startsWith('yaml-syntax'))).toEqual([]);
    const json =
      '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "labels": {"a": "caf\ufffd"}}, "spec": {"containers": [{"name": "a", "image": "b"}]}}';
    expect(check('p.json', json, true).filter((f) => f.startsWith('yaml-syntax'))).toEqual([]);
  });
});
