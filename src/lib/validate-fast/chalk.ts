/**
 * `chalk` as the validate fast path's bundle has it (scripts/build.mjs puts this module in place of
 * the package there; everywhere else, the CLI bundle and the tests, `chalk` is the package itself).
 * Loading chalk costs ~4 ms of start-up (its module probes the terminal's colour support), and
 * validate paints nothing unless its output is coloured: `runValidate` calls `loadChalk` first in
 * that case only. Without it, `new Chalk({ level: 0 })` (what `processIO` makes when colours are
 * off) gives an instance that must never be painted with: the renderers check `io.color` first.
 */
import type { ChalkInstance, Options } from 'chalk';

let loaded: { Chalk: new (options?: Options) => ChalkInstance } | undefined;

/** Loads the real chalk; every `new Chalk` after this is the real one. */
export async function loadChalk(): Promise<void> {
  loaded ??= await import('chalk');
}

/** Colours were painted with although they are off: a renderer forgot to check `io.color`. */
const unpainted = new Proxy({} as ChalkInstance, {
  get(_target, style) {
    if (typeof style === 'symbol' || style === 'then') return undefined; // inspection, promise resolution
    throw new Error(`internal error: chalk.${String(style)} used without colours (validate's fast path loads chalk only for coloured output)`);
  },
});

/** chalk's `Chalk` class: the real one once `loadChalk` ran; before that, only `{ level: 0 }` is allowed. */
export const Chalk = function Chalk(options?: Options): ChalkInstance {
  if (loaded !== undefined) return new loaded.Chalk(options);
  if ((options?.level ?? 0) !== 0) throw new Error('internal error: coloured output without loadChalk() (validate fast path)');
  return unpainted;
} as unknown as new (options?: Options) => ChalkInstance;
