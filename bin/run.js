#!/usr/bin/env node
// k8smctl launcher. `--version` is answered without loading the CLI (start-up matters in scripts);
// everything else runs the bundled oclif CLI in dist/.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`k8smctl/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // oclif checks its own engines range with semver at import (~14 ms of every start); k8smctl's
  // package.json declares the Node versions it supports.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
  let cli;
  try {
    cli = await import('../dist/k8smctl.js');
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('k8smctl.js')) {
      process.stderr.write("error: k8smctl is not built; run 'npm run build' in the project folder\n");
      process.exit(2);
    }
    throw err;
  }
  await cli.run(argv, import.meta.url);
}
