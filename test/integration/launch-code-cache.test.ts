/**
 * bin/launch.js compiles validate's bundle (dist/validate.cjs) with V8's code cache: a cache that fits
 * is used, one that does not (another build of the source, damaged, cut short) is refused and the
 * file compiled as usual, never a crash or stale code. Checked on a small CommonJS file, each load
 * in a process of its own (V8 keeps what it compiled for the life of a process).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAUNCH = fileURLToPath(new URL('../../bin/launch.js', import.meta.url));
let dir: string;
let file: string;
let cacheFile: string;

const SOURCE = `// build one
'use strict';
const { readFileSync } = require('node:fs');
exports.answer = [1, 2, 3].map((x) => x * 2).reduce((a, b) => a + b, 0);
exports.reads = typeof readFileSync;
exports.file = __filename;
exports.dir = __dirname;
`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-code-cache-'));
  file = join(dir, 'm.cjs');
  cacheFile = join(dir, 'm.cjs.cache');
  writeFileSync(file, SOURCE);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** loadWithCodeCache in a new node: the file's exports and whether V8 refused the cache (null: none given). */
function load(opts: { make?: boolean } = {}): { exports: Record<string, unknown>; rejected: boolean | null } {
  const code = `
    import { pathToFileURL } from 'node:url';
    import { loadWithCodeCache, writeCodeCache } from ${JSON.stringify(LAUNCH)};
    const [file, cacheFile, make] = process.argv.slice(1).map((a, i) => (i < 2 ? pathToFileURL(a) : a));
    const { exports, script } = await loadWithCodeCache(file, cacheFile, { cache: make !== 'make' });
    if (make === 'make') await writeCodeCache(file, cacheFile, script);
    process.stdout.write(JSON.stringify({ exports, rejected: script.cachedDataRejected ?? null }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code, file, cacheFile, opts.make ? 'make' : ''], { encoding: 'utf8' });
  return JSON.parse(out) as { exports: Record<string, unknown>; rejected: boolean | null };
}

const expected = () => ({ answer: 12, reads: 'function', file: join(dir, 'm.cjs'), dir });

describe('loading a CommonJS file with a V8 code cache', () => {
  test('without a cache file: compiled as usual', () => {
    expect(load()).toEqual({ exports: expected(), rejected: null });
  });

  test('with the cache made from it: the cache is used', () => {
    expect(load({ make: true }).rejected).toBeNull();
    expect(load()).toEqual({ exports: expected(), rejected: false });
  });

  test('a damaged cache (right header, bytes changed after it) is refused, not a crash', () => {
    load({ make: true });
    const data = readFileSync(cacheFile);
    for (let i = 64; i < data.length; i += 97) data[i]! ^= 0x55;
    writeFileSync(cacheFile, data);
    expect(load()).toEqual({ exports: expected(), rejected: true });
  });

  test('a cache cut short is refused', () => {
    load({ make: true });
    const data = readFileSync(cacheFile);
    writeFileSync(cacheFile, data.subarray(0, data.length >> 1));
    expect(load()).toEqual({ exports: expected(), rejected: true });
  });

  test('a cache of another build is not used, even where V8 would take it (a source of the same length)', () => {
    load({ make: true });
    const data = readFileSync(cacheFile);
    writeFileSync(file, SOURCE.replace('// build one', '// build two').replace('x * 2', 'x * 3'));
    expect(load()).toEqual({ exports: { ...expected(), answer: 18 }, rejected: null });
    expect(readFileSync(cacheFile)).toEqual(data); // loading never writes the cache
  });

  test('a source that names no build is never given a cache', () => {
    writeFileSync(file, SOURCE.replace('// build one\n', ''));
    expect(() => load({ make: true })).toThrow(/does not start with a '\/\/ build \.\.\.' line/);
    expect(load().rejected).toBeNull();
  });
});

describe("the build's cache of validate's bundle", () => {
  // validate's launcher sets a V8 flag (bin/launch.js's loadValidate); a flag changes what a cache
  // must match, so one set anywhere else made every start compile the bundle again, silently.
  test('is taken by a fresh process, as validate starts', () => {
    const code = `
      const { script } = await (await import(${JSON.stringify(LAUNCH)})).loadValidate();
      process.stdout.write(String(script.cachedDataRejected));
    `;
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' })).toBe('false');
  });
});
