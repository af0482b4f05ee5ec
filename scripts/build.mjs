#!/usr/bin/env node
// Build: typecheck (tsc), bundle (esbuild, code-split so heavy clients load only when used),
// oclif manifest, man-page freshness check. `--bundle-only` skips typecheck, manifest and man pages.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
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
/**
 * Start-up patches for @oclif/core (pinned in package.json), measured with --cpu-prof on
 * `k8smctl validate -f one-pod.yaml`; each fails the build when oclif's code no longer matches:
 * - tinyglobby (with fdir and picomatch, ~10 ms to initialise) serves only glob-pattern command
 *   discovery, which the explicit command map never uses: oclif gets a shim that loads it on first use.
 * - Plugin.load sorts the command ids with localeCompare, whose first call starts ICU's collator
 *   (~8-10 ms): the patch sorts by code units (ids are ASCII; same order).
 */
const oclifStartupPatches = {
  name: 'oclif-startup-patches',
  setup(b) {
    const shim = `${root}/scripts/lazy-tinyglobby.cjs`;
    b.onResolve({ filter: /^tinyglobby$/ }, (args) => (args.importer === shim ? undefined : { path: shim }));
    b.onLoad({ filter: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      const from = '.sort((a, b) => a.id.localeCompare(b.id))';
      if (src.split(from).length !== 2)
        throw new Error(`oclif-startup-patches: ${from} not found once in ${args.path}; review the patch for this @oclif/core version`);
      return { contents: src.replace(from, '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'), loader: 'js' };
    });
  },
};

/**
 * For the validate fast path's bundle (dist/validate.cjs, one file):
 * - What only a live cluster or a prompt loads (the Mesos, Kubernetes and Docker clients, the live
 *   cluster model, @inquirer/prompts) is left out: the fast path leaves `--mesos-master`,
 *   `$MESOS_MASTER`, `--agents` and `--cluster-snapshot` to oclif (src/lib/validate-fast/argv.ts)
 *   and never prompts, so these imports are not reached; if one ever were, it fails with a one-line
 *   internal error instead of loading. Any other dynamic import there fails the build, to be listed
 *   here: the output formats are bundled.
 * - `chalk` is src/lib/validate-fast/chalk.ts, which starts the real one (bundled, run on first
 *   use) only for coloured output; its module probes the terminal's colour support, ~4 ms of every
 *   start.
 */
const FAST_DYNAMIC_BUNDLED = [/[\\/]src[\\/]output[\\/]findings[\\/][a-z]+\.ts$/];
const FAST_DYNAMIC_LEFT_OUT = [
  /[\\/]src[\\/]cmd[\\/]shared[\\/]mesos\.ts$/,
  /[\\/]src[\\/]cmd[\\/]validate[\\/]cluster-model\.ts$/,
  /[\\/]src[\\/]clients[\\/](mesos[\\/]mesos-client|mesos[\\/]scheduler-api|kube[\\/]kube-client|docker[\\/]docker-client)\.ts$/,
  /[\\/]src[\\/]scheduler[\\/]kube\.ts$/,
  /^@inquirer\/prompts$/,
];
const validateFastShims = {
  name: 'validate-fast-shims',
  setup(b) {
    const chalkShim = resolvePath(root, 'src/lib/validate-fast/chalk.ts');
    b.onResolve({ filter: /^chalk$/ }, (args) => (args.importer === chalkShim ? undefined : { path: chalkShim }));
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const target = args.path.startsWith('.') ? resolvePath(args.resolveDir, args.path.replace(/\.js$/, '.ts')) : args.path;
      if (FAST_DYNAMIC_BUNDLED.some((r) => r.test(target)) || (target === 'chalk' && args.importer === chalkShim)) return undefined;
      if (FAST_DYNAMIC_LEFT_OUT.some((r) => r.test(target))) return { path: target, namespace: 'validate-fast-left-out' };
      return {
        errors: [
          {
            text: `validate-fast-shims: ${args.path} (imported by ${args.importer}) is a dynamic import new on validate's fast path: list it in scripts/build.mjs`,
          },
        ],
      };
    });
    b.onLoad({ filter: /.*/, namespace: 'validate-fast-left-out' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`internal error: ${args.path.replace(/.*[\\/]src[\\/]/, 'src/')} is not part of validate's fast path`)});`,
      loader: 'js',
    }));
  },
};

// Every chunk starts with this: CommonJS code bundled into ESM chunks gets require(), __filename
// and __dirname (the chunk's own; ssh2 reads __dirname when it loads).
const banner = {
  js:
    "import { createRequire as __k8smctlCreateRequire } from 'node:module'; import { fileURLToPath as __k8smctlFileURLToPath } from 'node:url'; " +
    'const require = __k8smctlCreateRequire(import.meta.url); ' +
    // Worked out on first use (getters): only ssh2's chunk reads them, and every chunk starts with this.
    'const __k8smctlPaths = { get filename() { return __k8smctlFileURLToPath(import.meta.url); }, ' +
    "get dirname() { return __k8smctlFileURLToPath(new URL('.', import.meta.url)); } };",
};
const define = { __filename: '__k8smctlPaths.filename', __dirname: '__k8smctlPaths.dirname' };

const t = Date.now();
await build({
  plugins: [oclifStartupPatches],
  absWorkingDir: root,
  // Hooks are loaded by oclif by file name (package.json oclif.hooks).
  // completion: `__complete` for shell completion, loaded by bin/ without oclif (src/lib/completion/main.ts).
  // validate (src/lib/validate-fast/main.ts) is a build of its own, below.
  entryPoints: {
    k8smctl: 'src/main.ts',
    'hooks/command-not-found': 'src/hooks/command-not-found.ts',
    completion: 'src/lib/completion/main.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // typescript is only an optional oclif dependency (ts-node style plugin loading); never needed here.
  // ssh2 (dockerode's ssh:// transport) is bundled without its optional native parts: the crypto
  // add-on (*.node) and cpu-features are each required inside a try, and ssh2 falls back to Node's
  // own crypto. So the installed package needs nothing from node_modules at run time, and no
  // dependency with an install script (ssh2's and cpu-features' run node-gyp, which downloads headers).
  external: ['typescript', 'cpu-features', '*.node'],
  banner,
  define,
  legalComments: 'none',
  logLevel: 'error',
});
// `validate` run by bin/ without oclif (src/lib/validate-fast/main.ts), with flags oclif would read the
// same: one file of its own (dist/validate.cjs), with no chunk shared with the CLI bundle. Node's ES
// module loader resolved, read, compiled and linked the 17 chunks it shared with the CLI. CommonJS, so
// that bin/launch.js can compile it with V8's code cache (scripts/validate-code-cache.mjs); chalk is
// started only for coloured output (validateFastShims).
await build({
  plugins: [validateFastShims],
  absWorkingDir: root,
  entryPoints: ['src/lib/validate-fast/main.ts'],
  outfile: 'dist/validate.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['typescript', 'cpu-features', '*.node'],
  legalComments: 'none',
  logLevel: 'error',
});
{
  // Compiled as a script (bin/launch.js), it can import() nothing: every module it loads is bundled.
  const bundle = readFileSync(`${root}/dist/validate.cjs`, 'utf8');
  const dynamic = /\bimport\s*\(/.exec(bundle);
  if (dynamic) {
    process.stderr.write(`build failed: dist/validate.cjs has a dynamic import() (${dynamic[0]}): bundle it, or leave it out in validateFastShims\n`);
    process.exit(1);
  }
  // Its first line names this build, so that a code cache is used only with the bundle it was made from.
  writeFileSync(`${root}/dist/validate.cjs`, `// build sha256:${createHash('sha256').update(bundle).digest('hex')}\n${bundle}`);
}
// V8's code cache of it, after a sample run (its output goes nowhere).
try {
  execFileSync(process.execPath, ['scripts/validate-code-cache.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
} catch {
  process.stderr.write('build failed: scripts/validate-code-cache.mjs\n');
  process.exit(1);
}
if (!bundleOnly) process.stderr.write(`build: bundle ${Date.now() - t} ms\n`);

if (!bundleOnly) {
  step('manifest', () => run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest']));
  // man/ is committed; the build only checks it (a unit test checks it too).
  step('man pages check', () => run(process.execPath, ['scripts/gen-man.mjs', '--check']));
}
