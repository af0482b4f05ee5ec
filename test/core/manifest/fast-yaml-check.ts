/**
 * The comparison of readManifestYaml (the one-pass reader) with js-yaml and the full locator, shared by
 * fast-yaml.test.ts (generated texts) and fast-yaml-corpus.test.ts (the real-world corpus).
 */
import { isDeepStrictEqual } from 'node:util';
import type { DocPath, Finding } from '../../../src/core/finding.js';
import { positionOf, readManifestYaml } from '../../../src/core/manifest/fast-yaml.js';
import { LineIndex } from '../../../src/core/manifest/line-index.js';
import { locateFindings } from '../../../src/core/manifest/locate.js';
import { loadYamlDocuments } from '../../../src/core/manifest/yaml-load.js';

/** Every path into a value, one past each array's end, a missing key below each object and one below each scalar. */
export function allPaths(v: unknown, prefix: Array<string | number> = [], out: DocPath[] = []): DocPath[] {
  out.push(prefix);
  if (Array.isArray(v)) {
    v.forEach((x, i) => allPaths(x, [...prefix, i], out));
    out.push([...prefix, v.length]);
  } else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) allPaths((v as Record<string, unknown>)[k], [...prefix, k], out);
    out.push([...prefix, 'zz-missing', 0]);
  } else out.push([...prefix, 'below-a-scalar']);
  return out;
}

/**
 * Checks readManifestYaml on `text` against js-yaml and the full locator. Returns whether it answered
 * (true), gave up (false); throws (through expect) on any disagreement.
 *
 * The locator compared with is `locateFindings` as validate calls it (`asBefore`: the line reader
 * first, js-yaml's positional parse for what it is not sure of), or js-yaml's positional parse alone
 * (the oracle). They differ on a few odd texts (a key named `-`): the property test asks the oracle.
 */
export function checkAgainstJsYaml(text: string, withPositions = true, asBefore = false): boolean {
  let ref: unknown[] | undefined;
  try {
    ref = loadYamlDocuments(text);
  } catch {
    ref = undefined;
  }
  const mine = readManifestYaml(text);
  if (mine === undefined) return false;
  if (ref === undefined || !isDeepStrictEqual(mine.docs, ref)) {
    // Show the text and both readings.
    expect({ text, mine: mine.docs }).toEqual({ text, mine: ref === undefined ? 'js-yaml throws' : ref });
  }
  if (!withPositions) return true;
  const findings: Finding[] = [];
  ref!.forEach((doc, docIndex) => {
    if (doc !== null && typeof doc === 'object') for (const path of allPaths(doc)) findings.push({ rule: 't', severity: 'info', message: '', docIndex, path });
  });
  locateFindings(text, findings, asBefore ? { documents: ref!.length } : {});
  const again = readManifestYaml(text)!; // the locator above may have read with js-yaml; the table is this text's again
  const lines = new LineIndex(text);
  for (const f of findings) {
    const off = positionOf(again.positions, f.docIndex!, f.path!);
    const at = off === undefined ? undefined : lines.at(off);
    if (at?.line !== f.line || at?.column !== f.column) {
      expect({ text, path: f.path, at: at && [at.line, at.column] }).toEqual({ text, path: f.path, at: f.line === undefined ? undefined : [f.line, f.column] });
    }
  }
  return true;
}
