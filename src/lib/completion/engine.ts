/**
 * What to offer for the word being completed, from the words before it: pure, no I/O. The protocol
 * is cobra's (kubectl's) `__complete`: the shell script passes the words after the program name,
 * the last one being the word under the cursor (empty for a new word), and prints candidates, one
 * per line (`value<TAB>description`), then `:<directive>`; kubectl speaks the same protocol to a
 * plugin's `kubectl_complete-<name>` program.
 */
import type { ArgSpec, CommandSpec, CompletionTree, FlagSpec, LiveSource, ValueSource } from './tree.js';

/** cobra's ShellCompDirective bits, which the scripts (and kubectl) act on. */
export const DIRECTIVE = {
  default: 0,
  /** Completion failed: offer nothing. */
  error: 1,
  /** No space after the completion. */
  noSpace: 2,
  /** No file names when there is nothing to offer. */
  noFileComp: 4,
  /** The candidates are file extensions: complete files with them (and directories). */
  filterFileExt: 8,
  /** Complete directories only. */
  filterDirs: 16,
} as const;

export interface Candidate {
  value: string;
  description?: string;
}

/** Flag values typed so far, by long name (booleans as `true`/`false`), for live completers. */
export type TypedFlags = Record<string, string[]>;

export type Completion =
  | { kind: 'static'; candidates: Candidate[]; directive: number }
  | {
      kind: 'live';
      source: LiveSource;
      /** The command's words (`describe agent`). */
      command: string[];
      flags: TypedFlags;
      /** What is typed of the value so far. */
      typed: string;
      /** Put before each value (`--namespace=`), as the word being completed starts with it. */
      prefix: string;
      /** Values already given as arguments (not offered again). */
      exclude: string[];
    };

const ROOT_FLAGS: Candidate[] = [
  { value: '--help', description: 'Show help' },
  { value: '--version', description: 'Show the version' },
];

const nothing = (): Completion => ({ kind: 'static', candidates: [], directive: DIRECTIVE.noFileComp });

function startsWith(c: Candidate, typed: string): boolean {
  return c.value.startsWith(typed);
}

/** Values of a flag or argument whose source needs no server; live sources are left to the caller. */
function valuesOf(source: ValueSource, typed: string, prefix: string, ctx: { command: string[]; flags: TypedFlags; exclude: string[] }): Completion {
  switch (source.kind) {
    case 'options':
      return {
        kind: 'static',
        candidates: source.values.filter((v) => v.startsWith(typed)).map((v) => ({ value: prefix + v })),
        directive: DIRECTIVE.noFileComp,
      };
    case 'files':
      return source.extensions
        ? { kind: 'static', candidates: source.extensions.map((e) => ({ value: e })), directive: DIRECTIVE.filterFileExt }
        : { kind: 'static', candidates: [], directive: DIRECTIVE.default };
    case 'dirs':
      return { kind: 'static', candidates: [], directive: DIRECTIVE.filterDirs };
    case 'live':
      return { kind: 'live', source: source.source, command: ctx.command, flags: ctx.flags, typed, prefix, exclude: ctx.exclude };
    case 'none':
      return nothing();
  }
}

/** The flags offered for `typed` (`-`, `--`, `--out`): long names, `--no-` forms, and short ones for a lone `-`. */
function flagNames(cmd: CommandSpec, given: TypedFlags, typed: string): Candidate[] {
  const out: Candidate[] = [];
  for (const f of cmd.flags) {
    if (given[f.name] && !f.multiple) continue;
    const desc = f.summary ? { description: f.summary } : {};
    if (typed === '-' && f.char) out.push({ value: `-${f.char}`, ...desc });
    out.push({ value: `--${f.name}`, ...desc });
    if (f.allowNo) out.push({ value: `--no-${f.name}`, ...desc });
  }
  return out.filter((c) => startsWith(c, typed));
}

interface Parsed {
  flags: TypedFlags;
  positionals: string[];
  /** The last flag wants a value and the word under the cursor is it. */
  pending?: FlagSpec;
  /** `--` was given: everything after it is an argument. */
  dashDash: boolean;
}

/** Reads the words after the command the way oclif's parser would, leniently (unknown flags are skipped). */
function parseWords(cmd: CommandSpec, words: string[]): Parsed {
  const byLong = new Map(cmd.flags.map((f) => [f.name, f]));
  const byChar = new Map(cmd.flags.filter((f) => f.char).map((f) => [f.char!, f]));
  const flags: TypedFlags = {};
  const positionals: string[] = [];
  const add = (f: FlagSpec, v: string) => (flags[f.name] ??= []).push(v);
  let dashDash = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (dashDash || w === '-' || !w.startsWith('-')) {
      positionals.push(w);
      continue;
    }
    if (w === '--') {
      dashDash = true;
      continue;
    }
    let f: FlagSpec | undefined;
    let value: string | undefined;
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
      if (eq >= 0) value = w.slice(eq + 1);
      f = byLong.get(name);
      if (!f && name.startsWith('no-')) {
        const neg = byLong.get(name.slice(3));
        if (neg?.allowNo) {
          add(neg, 'false');
          continue;
        }
      }
    } else {
      f = byChar.get(w[1]!);
      if (w.length > 2) value = w.slice(2).replace(/^=/, '');
    }
    if (!f) continue;
    if (!f.takesValue) {
      add(f, 'true');
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= words.length) return { flags, positionals, pending: f, dashDash };
      value = words[++i]!;
    }
    add(f, value);
  }
  return { flags, positionals, dashDash };
}

/** The argument at position `index` (the last one repeats for variadic commands). */
function argAt(cmd: CommandSpec, index: number): ArgSpec | undefined {
  if (index < cmd.args.length) return cmd.args[index];
  return cmd.variadic ? cmd.args[cmd.args.length - 1] : undefined;
}

/**
 * What to complete: `args` are the words after the program name, the last one being the word under
 * the cursor (`''` for a new word).
 */
export function resolveCompletion(tree: CompletionTree, args: ReadonlyArray<string>): Completion {
  const words = args.slice(0, -1);
  const cur = args[args.length - 1] ?? '';
  // The command: the longest run of leading words that begins some command's words.
  const isPrefix = (ws: string[]) => tree.commands.some((c) => ws.every((w, i) => c.words[i] === w));
  let n = 0;
  while (n < words.length && isPrefix(words.slice(0, n + 1))) {
    n++;
    if (tree.commands.some((c) => c.words.length === n && c.words.every((w, i) => w === words[i]))) break;
  }
  const typed = words.slice(0, n);
  const cmd = tree.commands.find((c) => c.words.length === typed.length && c.words.every((w, i) => w === typed[i]));

  if (!cmd) {
    if (n < words.length) return nothing(); // an unknown word: nothing sensible to offer
    if (cur.startsWith('-')) {
      const flags = n === 0 ? ROOT_FLAGS : ROOT_FLAGS.slice(0, 1);
      return { kind: 'static', candidates: flags.filter((c) => startsWith(c, cur)), directive: DIRECTIVE.noFileComp };
    }
    const next = new Map<string, string>();
    for (const c of tree.commands) {
      if (c.words.length <= n || !typed.every((w, i) => c.words[i] === w)) continue;
      const word = c.words[n]!;
      if (next.has(word)) continue;
      const isLeaf = c.words.length === n + 1;
      next.set(word, isLeaf ? c.summary : (tree.topics[[...typed, word].join(':')] ?? ''));
    }
    const candidates = [...next].filter(([w]) => w.startsWith(cur)).map(([value, description]) => (description ? { value, description } : { value }));
    return { kind: 'static', candidates, directive: DIRECTIVE.noFileComp };
  }

  const parsed = parseWords(cmd, words.slice(n));
  const ctx = { command: cmd.words, flags: parsed.flags, exclude: parsed.positionals };
  if (parsed.pending) return valuesOf(parsed.pending.values, cur, '', ctx);
  if (!parsed.dashDash && cur.startsWith('--') && cur.includes('=')) {
    const eq = cur.indexOf('=');
    const f = cmd.flags.find((x) => x.name === cur.slice(2, eq));
    if (!f?.takesValue) return nothing();
    return valuesOf(f.values, cur.slice(eq + 1), cur.slice(0, eq + 1), ctx);
  }
  if (!parsed.dashDash && cur.startsWith('-')) {
    return { kind: 'static', candidates: flagNames(cmd, parsed.flags, cur), directive: DIRECTIVE.noFileComp };
  }
  const arg = argAt(cmd, parsed.positionals.length);
  if (!arg) return nothing();
  return valuesOf(arg.values, cur, '', ctx);
}

/** Live values, as the completer found them, turned into the answer for `c`: filtered by what is typed, prefixed, without values already given. */
export function liveCandidates(c: Extract<Completion, { kind: 'live' }>, values: ReadonlyArray<Candidate>): Extract<Completion, { kind: 'static' }> {
  const exclude = new Set(c.exclude);
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const v of values) {
    if (!v.value.startsWith(c.typed) || exclude.has(v.value) || seen.has(v.value)) continue;
    seen.add(v.value);
    candidates.push({ ...v, value: c.prefix + v.value });
  }
  return { kind: 'static', candidates, directive: DIRECTIVE.noFileComp };
}

/** The lines `__complete` prints: `value<TAB>description` (descriptions on one line), then `:<directive>`. */
export function formatCompletion(c: Extract<Completion, { kind: 'static' }>): string {
  const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
  const lines = c.candidates.map((x) => (x.description ? `${clean(x.value)}\t${clean(x.description)}` : clean(x.value)));
  return `${[...lines, `:${c.directive}`].join('\n')}\n`;
}
