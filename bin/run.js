#!/usr/bin/env node
// k8smctl launcher. `--version` is answered without loading the CLI (start-up matters in scripts), and
// so is `__complete` (shell completion, see `k8smctl completion`); everything else runs the bundled
// oclif CLI in dist/.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`k8smctl/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else if (argv[0] === '__complete') {
  await (await import('./launch.js')).complete(argv.slice(1));
} else {
  await (await import('./launch.js')).cli(argv);
}
