#!/usr/bin/env node
// Development launcher: rebuilds the bundle from src/ (esbuild, well under a second), then runs it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, ['scripts/build.mjs', '--bundle-only'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const cli = await import('../dist/k8smctl.js');
await cli.run(process.argv.slice(2), new URL('./run.js', import.meta.url).href);
