#!/usr/bin/env node
// Compiles the manifest schema (src/core/schema/k8s-schema.ts) ahead of time with ajv's standalone
// code generation into src/core/schema/validators.generated.ts, so that `k8smctl validate` neither
// loads ajv nor compiles a schema at start-up. Run it after changing k8s-schema.ts:
//   node scripts/gen-schema.mjs           write the file
//   node scripts/gen-schema.mjs --check   exit 1 when the committed file is out of date
// (test/core/schema/generated-up-to-date.test.ts checks the same thing.)
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = `${root}src/core/schema/validators.generated.ts`;

// The generator is TypeScript (shared with the test): bundle it, ajv included, and import it from memory.
const out = await build({
  entryPoints: [`${root}src/core/schema/generate.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'error',
});
const code = out.outputFiles[0].text;
const { generateValidatorsModule } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
const generated = generateValidatorsModule();

let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // not generated yet
}
if (process.argv.includes('--check')) {
  if (current !== generated) {
    console.error('src/core/schema/validators.generated.ts is out of date: run node scripts/gen-schema.mjs');
    process.exit(1);
  }
  console.log('src/core/schema/validators.generated.ts is up to date');
} else if (current === generated) {
  console.log('src/core/schema/validators.generated.ts is up to date');
} else {
  writeFileSync(target, generated);
  console.log(`wrote src/core/schema/validators.generated.ts (${generated.length} bytes)`);
}
