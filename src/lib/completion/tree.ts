/**
 * What shell completion knows about the commands, built from their own metadata: either the oclif
 * command classes (COMMANDS) or their cached form in oclif.manifest.json, which has the same fields
 * (flags with baseFlags merged, args, summary, hidden, strict, and any extra static property such
 * as `completion`). Reading the manifest lets `__complete` answer without loading oclif.
 *
 * Where a flag's or argument's values come from is declared on the command (`static completion`,
 * see CompletionHints) or, when it is not, read from the metadata every command already has:
 *   - `options` of a flag or argument: those values;
 *   - a flag named `namespace` (`-n`): the namespaces of the apiserver; `context`: the kubeconfig's contexts;
 *   - a flag whose value is a FILE or DIR (`helpValue`), or named `kubeconfig`, `filename`, `*-file`,
 *     `*-dir`: files or directories (manifests for `-f`: *.yaml, *.yml, *.json);
 *   - an argument named `pod`/`pods`, `agent`/`agents`, `namespace`/`namespaces`, or an argument
 *     called `name` of a command whose last word is one of these nouns (`describe agent NAME`,
 *     `get agents [NAME...]`, `diagnose pod NAME`): live values of that kind.
 * So a new command gets completion from its flags and arguments, without registering anything.
 */

/** Values read from a server (or the kubeconfig) while completing. */
export type LiveSource = 'agents' | 'pods' | 'namespaces' | 'contexts';

export const LIVE_SOURCES: ReadonlyArray<LiveSource> = ['agents', 'pods', 'namespaces', 'contexts'];

/** Where the values of a flag or an argument come from. */
export type ValueSource =
  | { kind: 'options'; values: string[] }
  /** Files, optionally only these extensions (and directories to walk into). */
  | { kind: 'files'; extensions?: string[] }
  | { kind: 'dirs' }
  | { kind: 'live'; source: LiveSource }
  /** A value nothing can suggest (a URL, a number): no completion. */
  | { kind: 'none' };

/**
 * Declared on a command class as `static completion`, when the defaults above guess wrong or are
 * not enough: live sources for its positional arguments (one per position; the last one repeats
 * for commands taking several), and value sources for flags by name.
 */
export interface CompletionHints {
  args?: LiveSource | LiveSource[];
  flags?: Record<string, LiveSource | 'files' | 'dirs' | 'none'>;
}

export interface FlagSpec {
  name: string;
  char?: string;
  /** Takes a value (`--output json`); booleans do not. */
  takesValue: boolean;
  multiple: boolean;
  /** Boolean with a `--no-` form. */
  allowNo: boolean;
  summary: string;
  values: ValueSource;
}

export interface ArgSpec {
  name: string;
  values: ValueSource;
}

export interface CommandSpec {
  /** `get agents` as words. */
  words: string[];
  summary: string;
  flags: FlagSpec[];
  args: ArgSpec[];
  /** Takes more arguments than it declares (oclif `strict = false`): the last argument repeats. */
  variadic: boolean;
}

export interface CompletionTree {
  /** Visible commands only. */
  commands: CommandSpec[];
  /** Summaries of the topics (`get`, `describe`), from package.json `oclif.topics`. */
  topics: Record<string, string>;
}

/** A flag as oclif declares it on a class or caches it in the manifest (the fields read here). */
export interface FlagMeta {
  char?: string;
  type?: string;
  options?: readonly string[];
  multiple?: boolean;
  allowNo?: boolean;
  hidden?: boolean;
  helpValue?: string | string[];
  /** `GLOBAL` for the shared flags (--debug, --no-color): offered after the command's own. */
  helpGroup?: string;
  summary?: string;
  description?: string;
}

export interface ArgMeta {
  name?: string;
  options?: readonly string[];
  hidden?: boolean;
  description?: string;
}

/** A command class or a manifest entry. */
export interface CommandMeta {
  summary?: string;
  description?: string;
  hidden?: boolean;
  strict?: boolean;
  flags?: Record<string, FlagMeta>;
  /** Classes keep the shared flags apart; the manifest has them merged into `flags`. */
  baseFlags?: Record<string, FlagMeta>;
  args?: Record<string, ArgMeta>;
  completion?: CompletionHints;
}

const NOUNS: Record<string, LiveSource> = {
  agent: 'agents',
  agents: 'agents',
  pod: 'pods',
  pods: 'pods',
  namespace: 'namespaces',
  namespaces: 'namespaces',
};

/** Manifest files for -f: what validate reads from directories. */
const MANIFEST_EXTENSIONS = ['yaml', 'yml', 'json'];

/** The first sentence (or line) of a help text, for the short descriptions shells show next to values. */
export function firstSentence(text: string | undefined): string {
  if (!text) return '';
  const line = text.split('\n')[0]!.trim();
  // A sentence ends at . ! or ? before a capital or the end ("e.g. 10s" goes on).
  const m = /^(.+?[.!?])(\s+[A-Z]|$)/.exec(line);
  return (m ? m[1]! : line).replace(/\.$/, '');
}

function fromHint(hint: LiveSource | 'files' | 'dirs' | 'none'): ValueSource {
  if (hint === 'files') return { kind: 'files' };
  if (hint === 'dirs') return { kind: 'dirs' };
  if (hint === 'none') return { kind: 'none' };
  return { kind: 'live', source: hint };
}

function flagValues(name: string, f: FlagMeta, hints: CompletionHints | undefined): ValueSource {
  const hint = hints?.flags?.[name];
  if (hint) return fromHint(hint);
  if (f.options?.length) return { kind: 'options', values: [...f.options] };
  if (name === 'namespace') return { kind: 'live', source: 'namespaces' };
  if (name === 'context') return { kind: 'live', source: 'contexts' };
  const help = (Array.isArray(f.helpValue) ? f.helpValue.join('|') : (f.helpValue ?? '')).toUpperCase().split('|');
  if (name === 'filename') return { kind: 'files', extensions: MANIFEST_EXTENSIONS };
  if (help.includes('FILE') || name === 'kubeconfig' || name.endsWith('-file')) return { kind: 'files' };
  if (help.includes('DIR') || name.endsWith('-dir')) return { kind: 'dirs' };
  return { kind: 'none' };
}

function argValues(name: string, a: ArgMeta, commandWords: string[], index: number, hints: CompletionHints | undefined): ValueSource {
  const hinted = hints?.args;
  if (hinted) {
    const list = Array.isArray(hinted) ? hinted : [hinted];
    const h = list[Math.min(index, list.length - 1)];
    if (h) return { kind: 'live', source: h };
  }
  if (a.options?.length) return { kind: 'options', values: [...a.options] };
  const byName = NOUNS[name];
  if (byName) return { kind: 'live', source: byName };
  const noun = NOUNS[commandWords[commandWords.length - 1] ?? ''];
  if (name === 'name' && noun) return { kind: 'live', source: noun };
  return { kind: 'none' };
}

/** The tree of `commands` (by oclif id, `get:agents`); hidden commands, flags and arguments are left out. */
export function completionTree(commands: Record<string, CommandMeta>, topics: Record<string, { description?: string } | string> = {}): CompletionTree {
  const out: CommandSpec[] = [];
  for (const [id, c] of Object.entries(commands)) {
    if (c.hidden) continue;
    const words = id.split(':');
    const hints = c.completion;
    const allFlags = { ...(c.baseFlags ?? {}), ...(c.flags ?? {}) };
    const flags: FlagSpec[] = [];
    const ordered = Object.entries(allFlags).sort(([, a], [, b]) => Number(a.helpGroup === 'GLOBAL') - Number(b.helpGroup === 'GLOBAL'));
    for (const [name, f] of ordered) {
      if (f.hidden) continue;
      const takesValue = f.type !== 'boolean';
      flags.push({
        name,
        ...(f.char ? { char: f.char } : {}),
        takesValue,
        multiple: Boolean(f.multiple),
        allowNo: !takesValue && Boolean(f.allowNo),
        summary: firstSentence(f.summary ?? f.description),
        values: takesValue ? flagValues(name, f, hints) : { kind: 'none' },
      });
    }
    if (!allFlags['help']) flags.push({ name: 'help', takesValue: false, multiple: false, allowNo: false, summary: 'Show help', values: { kind: 'none' } });
    const args = Object.entries(c.args ?? {})
      .filter(([, a]) => !a.hidden)
      .map(([name, a], i) => ({ name: a.name ?? name, values: argValues(a.name ?? name, a, words, i, hints) }));
    out.push({ words, summary: firstSentence(c.summary ?? c.description), flags, args, variadic: c.strict === false });
  }
  out.sort((a, b) => (a.words.join(' ') < b.words.join(' ') ? -1 : 1));
  const topicSummaries: Record<string, string> = {};
  for (const [name, t] of Object.entries(topics)) topicSummaries[name] = firstSentence(typeof t === 'string' ? t : t.description);
  return { commands: out, topics: topicSummaries };
}
