/**
 * The validate fast path's bundle has src/lib/validate-fast/chalk.ts in place of chalk (scripts/build.mjs):
 * without colours it never loads chalk and its instance refuses to paint (a renderer that forgot to
 * check io.color would fail loudly, not print uncoloured text by chance); after loadChalk it is chalk.
 */
import { Chalk as RealChalk } from 'chalk';
import { Chalk, loadChalk } from '../../src/lib/validate-fast/chalk.js';

describe('validate fast path: chalk loaded only for coloured output', () => {
  test('before loadChalk: level 0 gives an instance that refuses to paint, and colours are refused', () => {
    const plain = new Chalk({ level: 0 });
    expect(() => plain.red('x')).toThrow(/chalk\.red used without colours/);
    expect(() => new Chalk({ level: 1 })).toThrow(/coloured output without loadChalk/);
    // Inspecting it, or resolving a promise with it, does not paint.
    expect((plain as unknown as { then?: unknown }).then).toBeUndefined();
    expect(String(Object.prototype.toString.call(plain))).toBe('[object Object]');
  });

  test('after loadChalk: the real chalk, painting as chalk does', async () => {
    await loadChalk();
    const c = new Chalk({ level: 1 });
    const real = new RealChalk({ level: 1 });
    expect(c.bold.red('fail')).toBe(real.bold.red('fail'));
    expect(c.dim('a\nb')).toBe(real.dim('a\nb'));
    expect(new Chalk({ level: 0 }).red('x')).toBe('x');
  });
});
