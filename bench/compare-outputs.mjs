#!/usr/bin/env node
// Byte-for-byte comparison of `validate` output between two builds, on the real-world corpus
// (../shared/corpus/real-manifests) and the all-findings flow corpus (bench/corpus.mjs), in every
// report format (json, text, sarif, junit), plus --per-file in json. Exit 1 on any difference.
//   node bench/compare-outputs.mjs <before>/bin/run.js [<after>/bin/run.js]   (after: this tree's bin/run.js)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ensureFlowCorpus } from './corpus.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const before = process.argv[2];
const after = process.argv[3] ?? join(root, 'bin', 'run.js');
if (!before) {
  process.stderr.write('usage: node bench/compare-outputs.mjs <before>/bin/run.js [<after>/bin/run.js]\n');
  process.exit(2);
}
const work = join(root, 'bench', '.corpus');
mkdirSync(work, { recursive: true });
const corpora = [ensureFlowCorpus(work, { files: 4000 }).dir];
const real = join(root, '..', 'shared', 'corpus', 'real-manifests');
if (existsSync(real)) corpora.push(real);
else process.stdout.write(`skipped ${real}: not found\n`);

const run = (launcher, args) => {
  const r = spawnSync(process.execPath, [launcher, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
let differ = 0;
for (const dir of corpora) {
  for (const extra of [
    ['-o', 'json'],
    ['-o', 'text'],
    ['-o', 'sarif'],
    ['-o', 'junit'],
    ['-o', 'json', '--per-file'],
    ['-o', 'text', '--static'],
  ]) {
    const args = ['validate', '-R', '-f', dir, ...extra];
    const a = run(before, args);
    const b = run(after, args);
    const same = a.status === b.status && a.stdout === b.stdout && a.stderr === b.stderr;
    if (!same) differ++;
    let where = '';
    if (!same && a.stdout !== b.stdout) {
      let i = 0;
      while (i < a.stdout.length && a.stdout[i] === b.stdout[i]) i++;
      where = ` first stdout difference at ${i}: before ${JSON.stringify(a.stdout.slice(i - 80, i + 80))} after ${JSON.stringify(b.stdout.slice(i - 80, i + 80))}`;
    }
    process.stdout.write(`${same ? 'same' : 'DIFFERENT'}  ${extra.join(' ')}  ${dir}  (exit ${a.status}/${b.status}, ${a.stdout.length} bytes)${where}\n`);
  }
}
process.exit(differ === 0 ? 0 : 1);
