// Baseline: read every .yaml file under a directory and parse it with js-yaml (loadAll), nothing
// else. Prints the document count. This is the floor a YAML-reading validator is compared with.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

let docs = 0;
function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.yaml'))
      yaml.loadAll(readFileSync(p, 'utf8'), (d) => {
        if (d != null) docs++;
      });
  }
}
walk(process.argv[2]);
process.stdout.write(`${docs}\n`);
