import { formatCompletion, liveCandidates, resolveCompletion } from './engine.js';
import type { LiveOptions } from './live.js';
import type { CompletionTree } from './tree.js';

export interface CompleteOptions {
  /** What live values need (the factory); called only when the word asks for live values. */
  live: () => LiveOptions | Promise<LiveOptions>;
  /** Where to say why live values are missing ($K8SMCTL_COMPLETION_DEBUG). */
  debug?: (line: string) => void;
}

/**
 * The answer of `__complete <words...> <current word>`: candidate lines, then `:<directive>`. The
 * clients are loaded only when the word needs live values.
 */
export async function completeWords(tree: CompletionTree, args: ReadonlyArray<string>, o: CompleteOptions): Promise<string> {
  const c = resolveCompletion(tree, args.length ? args : ['']);
  if (c.kind === 'static') return formatCompletion(c);
  const { liveValues } = await import('./live.js');
  const r = await liveValues(c, await o.live());
  if (r.problem) o.debug?.(`${c.source}: ${r.problem}`);
  return formatCompletion(liveCandidates(c, r.values));
}
