// Baseline: read every .yaml file under a directory and parse it with js-yaml (loadAll), nothing
// else. Prints the document count. This is the floor a YAML-reading validator is compared with.
//   node bench/baseline-js-yaml.mjs DIR [--ext yaml,yml,json]
// With --ext, the files validate reads from a directory (.yaml, .yml and .json); a file js-yaml
// cannot read (real-world corpora have a few) counts as read, as validate reports it and goes on.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

const extArg = process.argv.indexOf('--ext');
const extensions = extArg === -1 ? ['yaml'] : process.argv[extArg + 1].split(',');
const wanted = new RegExp(`\\.(${extensions.join('|')})$`, extArg === -1 ? '' : 'i');

let docs = 0;
function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (wanted.test(e.name)) {
      try {
        yaml.loadAll(readFileSync(p, 'utf8'), (d) => {
          if (d != null) docs++;
        });
      } catch {
        // not YAML: read and given up on, as validate does
      }
    }
  }
}
walk(process.argv[2]);
process.stdout.write(`${docs}\n`);
