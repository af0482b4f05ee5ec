// What the launchers share (bin/run.js, bin/kubectl-k8sm.js, bin/kubectl_complete-k8sm.js): loading
// the bundle in dist/, with one clear line when it is not built, and the completion fast path.
const root = new URL('..', import.meta.url);

async function load(file) {
  try {
    return await import(new URL(file, root).href);
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(file)) {
      process.stderr.write("error: k8smctl is not built; run 'npm run build' in the project folder\n");
      process.exit(2);
    }
    throw err;
  }
}

/**
 * Shell completion: `words` are the words after the program name, the last one under the cursor.
 * Answers from dist/completion.js without loading oclif; prints nothing on stderr, ever (kubectl
 * shows a plugin completer's stderr on the terminal), and exits 0.
 */
export async function complete(words) {
  try {
    const { main } = await import(new URL('dist/completion.js', root).href);
    await main(words, root);
  } catch {
    process.stdout.write(':1\n');
  }
  process.exit(0);
}

/** The CLI: as `k8smctl`, or as the kubectl plugin `kubectl k8sm` (`plugin`). */
export async function cli(argv, { plugin = false } = {}) {
  // oclif checks its own engines range with semver at import (~14 ms of every start); k8smctl's
  // package.json declares the Node versions it supports.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
  // dist/ is compiled: nothing to transpile. Without this, oclif looks for TypeScript and a tsconfig
  // whenever NODE_ENV is development or test, and warns "Could not find typescript" where k8smctl
  // is installed without its devDependencies.
  globalThis.oclif = { ...globalThis.oclif, enableAutoTranspile: false };
  // validate (the command run in CI, often on every commit) starts without oclif when its flags are
  // plain; anything else (help, a flag error) is oclif's (src/lib/validate-fast/main.ts).
  if (!plugin && argv[0] === 'validate') {
    const fast = await load('dist/validate.js');
    if (await fast.runValidate(argv.slice(1), root)) return;
  }
  const bundle = await load('dist/k8smctl.js');
  if (plugin) await bundle.runPlugin(argv, root.href);
  else await bundle.run(argv, new URL('bin/run.js', root).href);
}
