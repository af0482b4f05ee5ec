import { ManifestChecker } from '../../../src/core/check-manifests.js';
import { defaultModel } from './offline-model.js';

function emptyError(files: Array<[string, string]>): string | undefined {
  const checker = new ManifestChecker(defaultModel());
  for (const [file, text] of files) checker.addFile({ file, text, staticPodFile: false });
  return checker.emptyInputError();
}

describe('empty input is an error, as kubectl makes it one ("no objects passed")', () => {
  test('empty standard input: says so and points at the command that fed the pipe', () => {
    expect(emptyError([['<stdin>', '']])).toBe(
      '<stdin> holds no objects: it is empty (nothing but whitespace, comments or ---), so there is nothing to check; if it came through a pipe, check the command that produced it',
    );
  });

  test('only empty, comment-only or --- files: names them (three at most)', () => {
    const files: Array<[string, string]> = [
      ['a.yaml', ''],
      ['b.yaml', '# just a comment\n'],
      ['c.yaml', '---\n---\n'],
      ['d.yaml', '\n\n  \n'],
      ['e.json', ' '],
    ];
    expect(emptyError(files)).toBe(
      'the input holds no objects: a.yaml, b.yaml, c.yaml and 2 more are empty (nothing but whitespace, comments or ---), so there is nothing to check',
    );
    expect(emptyError([['only.yaml', '# nothing\n']])).toBe(
      'only.yaml holds no objects: it is empty (nothing but whitespace, comments or ---), so there is nothing to check',
    );
  });

  test('one file with content is enough, even an object of a kind validate skips or a broken one', () => {
    expect(
      emptyError([
        ['a.yaml', ''],
        ['cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'],
      ]),
    ).toBeUndefined();
    expect(
      emptyError([
        ['a.yaml', ''],
        ['bad.yaml', 'a: [\n'],
      ]),
    ).toBeUndefined();
    expect(emptyError([])).toBeUndefined();
  });
});
