// What the launchers share (bin/run.js, bin/kubectl-k8sm.js, bin/kubectl_complete-k8sm.js): loading
// the bundle in dist/, with one clear line when it is not built, and the completion fast path.
const root = new URL('..', import.meta.url);

function notBuilt() {
  process.stderr.write("error: k8smctl is not built; run 'npm run build' in the project folder\n");
  process.exit(2);
}

async function load(file) {
  try {
    return await import(new URL(file, root).href);
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(file)) notBuilt();
    throw err;
  }
}

/**
 * Loads a CommonJS file as Node would, but compiled with V8's code cache `cacheFile` when there is one
 * for it (`cache: false`: without it). V8 checks a cache against its own version and flags, but of the
 * source only its length: so a cache (written by `writeCodeCache`) starts with the source's first line,
 * which names its build (`// build <hash of the rest>`, scripts/build.mjs), and is used only with that
 * source. V8 compiles as usual when the cache does not match (a Node other than the one that made
 * it) or is damaged. `v8Flags` are set before it is compiled (the code runs with them, and a cache
 * made with them matches only a load with them). Returns the module's exports and the compiled script.
 */
export async function loadWithCodeCache(file, cacheFile, { cache = true, v8Flags = [] } = {}) {
  const [{ readFileSync }, { createRequire }, { fileURLToPath }, { setFlagsFromString }, { Script }] = await Promise.all([
    import('node:fs'),
    import('node:module'),
    import('node:url'),
    import('node:v8'),
    import('node:vm'),
  ]);
  // V8 checks a code cache's header (its version, flags, the source's hash, the length) but, unless
  // told to, not its checksum: a cache damaged on disk would crash the process. With the check
  // (~1 ms), a damaged cache is refused. The flag is part of what a cache must match, so caches are
  // made with it too (here).
  setFlagsFromString('--verify-snapshot-checksum');
  // Flags the loaded code runs with (set before it is compiled: they are part of what a cache must match).
  for (const flag of v8Flags) setFlagsFromString(flag);
  const source = readFileSync(file, 'utf8');
  let cachedData;
  const build = buildLine(source);
  if (cache && build !== undefined) {
    try {
      const data = readFileSync(cacheFile);
      const header = Buffer.from(build);
      if (data.length > header.length && data.subarray(0, header.length).equals(header)) cachedData = data.subarray(header.length);
    } catch {
      // no cache: compiled as usual
    }
  }
  const filename = fileURLToPath(file);
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapper, { filename, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(file), module, filename, fileURLToPath(new URL('.', file)).replace(/[\\/]$/, ''));
  return { exports: module.exports, script };
}

/** The source's first line (with its line break) when it names a build (`// build ...`). */
function buildLine(source) {
  const eol = source.indexOf('\n');
  return source.startsWith('// build ') && eol !== -1 ? source.slice(0, eol + 1) : undefined;
}

/** Writes the code cache of `script` (compiled from `file` by loadWithCodeCache, and run) for loadWithCodeCache. */
export async function writeCodeCache(file, cacheFile, script) {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const build = buildLine(readFileSync(file, 'utf8'));
  if (build === undefined) throw new Error(`${file} does not start with a '// build ...' line`);
  writeFileSync(cacheFile, Buffer.concat([Buffer.from(build), script.createCachedData()]));
}

/**
 * dist/validate.cjs, `validate` without oclif (src/lib/validate-fast/main.ts), compiled with V8's code
 * cache (dist/validate.cjs.cache, made by the build after a sample run: scripts/validate-code-cache.mjs):
 * compiling the bundle was a fifth of validate's start-up, and Node 20 keeps no compile cache of its own.
 */
export async function loadValidate({ cache = true } = {}) {
  // V8 doubles the young generation (up to 2 x 16 MB) as a run allocates; validate allocates ~200 MB
  // over a large tree while keeping ~15 MB, and the larger young generation only meant more fresh
  // memory to fault in (31,000 page faults against 25,000 on the flow corpus, each some microseconds
  // on a VM) and less of it in the caches. Kept at its first size, that corpus took about 3% less
  // time and 10% less CPU (more scavenges, each smaller; docs/PERFORMANCE.md, "Issue 12, tenth
  // session"). Set before the bundle is compiled: a flag is part of what a code cache must match, so
  // the cache is made with it too (scripts/validate-code-cache.mjs loads the bundle here).
  try {
    const { exports, script } = await loadWithCodeCache(new URL('dist/validate.cjs', root), new URL('dist/validate.cjs.cache', root), {
      cache,
      v8Flags: ['--semi-space-growth-factor=1'],
    });
    return { runValidate: exports.runValidate, script };
  } catch (err) {
    if (err?.code === 'ENOENT' && String(err.message).includes('validate.cjs')) notBuilt();
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
    const fast = await loadValidate();
    if (await fast.runValidate(argv.slice(1), root)) return;
  }
  const bundle = await load('dist/k8smctl.js');
  if (plugin) await bundle.runPlugin(argv, root.href);
  else await bundle.run(argv, new URL('bin/run.js', root).href);
}
