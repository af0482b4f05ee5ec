/**
 * readManifestYaml against js-yaml over every file of the real-world corpus (../shared/corpus/real-manifests,
 * read from ../shared, never copied here): every document deep-equals js-yaml's, files js-yaml rejects
 * are given up, and every path of every document (and a missing field under each) is located where
 * validate located it before (`locateFindings` with the document count).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripBom } from '../../../src/core/manifest/yaml-load.js';
import { checkAgainstJsYaml } from './fast-yaml-check.js';

const corpus = resolve(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'corpus', 'real-manifests');
const present = existsSync(corpus);

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ya?ml|json)$/i.test(name)) out.push(p);
  }
  return out;
}

if (!present) {
  test.skip(`real-world corpus: skipped, ${corpus} not found (it lives in ../shared next to the project)`, () => undefined);
} else {
  describe('readManifestYaml over the real-world corpus', () => {
    test('same documents as js-yaml and same positions as before, in every file it reads', () => {
      let answered = 0;
      const all = files(corpus);
      for (const f of all) if (checkAgainstJsYaml(stripBom(readFileSync(f, 'utf8')), true, true)) answered++;
      // Most real manifests are in the subset (the rest: aliases, tags, tabs, CRLF, multi-line scalars, JSON).
      expect(all.length).toBeGreaterThan(1500);
      expect(answered / all.length).toBeGreaterThan(0.9);
    });
  });
}
