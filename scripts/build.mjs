#!/usr/bin/env node
// Build: typecheck (tsc), bundle (esbuild, code-split so heavy clients load only when used),
// oclif manifest, man-page freshness check. `--bundle-only` skips typecheck, manifest and man pages.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundleOnly = process.argv.includes('--bundle-only');
const step = (name, fn) => {
  const t = Date.now();
  fn();
  if (!bundleOnly) process.stderr.write(`build: ${name} ${Date.now() - t} ms\n`);
};
const run = (cmd, args) => {
  try {
    execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' } });
  } catch {
    process.stderr.write(`build failed: ${[cmd, ...args].join(' ')}\n`);
    process.exit(1);
  }
};

if (!bundleOnly) step('typecheck', () => run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']));

rmSync(`${root}/dist`, { recursive: true, force: true });
// A manifest from an earlier full build would hide commands added since; --bundle-only builds run
// without one (oclif then reads the explicit COMMANDS map from the bundle it has already loaded).
if (bundleOnly) rmSync(`${root}/oclif.manifest.json`, { force: true });
mkdirSync(`${root}/dist`, { recursive: true });
const t = Date.now();
await build({
  absWorkingDir: root,
  entryPoints: { k8smctl: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // typescript is only an optional oclif dependency (ts-node style plugin loading); never needed here.
  external: ['typescript', 'cpu-features', 'ssh2'],
  banner: { js: "import { createRequire as __k8smctlCreateRequire } from 'node:module'; const require = __k8smctlCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'error',
});
if (!bundleOnly) process.stderr.write(`build: bundle ${Date.now() - t} ms\n`);

if (!bundleOnly) {
  step('manifest', () => run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest']));
  // man/ is committed; the build only checks it (a unit test checks it too).
  step('man pages check', () => run(process.execPath, ['scripts/gen-man.mjs', '--check']));
}
