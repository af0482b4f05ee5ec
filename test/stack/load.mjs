// Load the test stack's TypeScript (test/stack/stack.ts) from plain Node: bundle it with esbuild into
// .stack/lib/ (dependencies stay in node_modules) and import the bundle. Used by cli.mjs and by the
// e2e global setup/teardown, so that both run exactly the same code.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const stackStateDir = join(projectRoot, '.stack');

/** @returns {Promise<typeof import('./stack.js')>} */
export async function loadStack() {
  const outDir = join(stackStateDir, 'lib');
  mkdirSync(outDir, { recursive: true });
  // One file per process: parallel callers (a person's `stack:up` and a test run) never race on it.
  const outfile = join(outDir, `stack-${process.pid}.mjs`);
  await build({
    entryPoints: [join(projectRoot, 'test', 'stack', 'stack.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  const mod = await import(pathToFileURL(outfile).href);
  const { rmSync } = await import('node:fs');
  rmSync(outfile, { force: true });
  return mod;
}
