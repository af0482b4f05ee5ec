import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateValidatorsModule } from '../../../src/core/schema/generate.js';

describe('generated schema validators', () => {
  test('src/core/schema/validators.generated.ts matches k8s-schema.ts (run node scripts/gen-schema.mjs when this fails)', () => {
    const committed = readFileSync(fileURLToPath(new URL('../../../src/core/schema/validators.generated.ts', import.meta.url)), 'utf8');
    const fresh = generateValidatorsModule();
    // Compare in full, but fail with a short message rather than a 70 kB diff.
    const same = committed === fresh;
    if (!same) {
      let i = 0;
      while (i < committed.length && committed[i] === fresh[i]) i++;
      throw new Error(`validators.generated.ts is out of date (first difference at character ${i}): run node scripts/gen-schema.mjs and commit the result`);
    }
    expect(same).toBe(true);
  });

  test('the generated module needs no ajv at run time', () => {
    const committed = readFileSync(fileURLToPath(new URL('../../../src/core/schema/validators.generated.ts', import.meta.url)), 'utf8');
    expect(committed).not.toMatch(/\brequire\(|^import /m);
  });
});
