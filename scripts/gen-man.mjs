#!/usr/bin/env node
// Writes man/*.1 from the built commands' own metadata (run `npm run build` first).
// `--check` exits 1 and names the pages that differ instead of writing.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const cli = await import(`${root}/dist/k8smctl.js`);
const pages = await cli.manPages(version);
const dir = `${root}/man`;
const check = process.argv.includes('--check');
const stale = [];
mkdirSync(dir, { recursive: true });
const existing = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.1')) : [];
for (const f of existing) if (!pages.has(f)) check ? stale.push(`${f} (no such command)`) : rmSync(`${dir}/${f}`);
for (const [file, text] of pages) {
  const path = `${dir}/${file}`;
  const old = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (old === text) continue;
  if (check) stale.push(file);
  else writeFileSync(path, text);
}
// npm links man pages into <prefix>/share/man only from package.json "man" (not from
// "directories.man"): it lists every page, so that `npm install -g` puts them where man finds them.
const pkgPath = `${root}/package.json`;
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
const manField = [...pages.keys()].sort().map((f) => `./man/${f}`);
if (JSON.stringify(pkg.man) !== JSON.stringify(manField)) {
  if (check) stale.push('package.json "man" (the list of pages)');
  else writeFileSync(pkgPath, `${JSON.stringify({ ...pkg, man: manField }, null, 2)}\n`);
}
if (check && stale.length) {
  process.stderr.write(`man pages out of date: ${stale.join(', ')}; run 'npm run man'\n`);
  process.exit(1);
}
if (!check) process.stderr.write(`man: ${pages.size} pages in man/\n`);
