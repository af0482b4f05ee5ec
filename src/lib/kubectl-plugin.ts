/**
 * k8smctl as a kubectl plugin: kubectl runs `kubectl-k8sm` with the words after `kubectl k8sm`,
 * and parses none of its own flags for a plugin. kubectl's global flags that mean something to
 * k8smctl (--kubeconfig, --context, -n/--namespace) are passed through: given before the command
 * (`kubectl k8sm -n prod diagnose pod web`) they are moved after it, and, as kubectl does for its
 * own commands, they are ignored by commands that do not use them (`kubectl k8sm --context prod
 * validate -f app.yaml`). Everything else is k8smctl's own parsing.
 */

/** The flags of a command, as its oclif class declares them (flags and the shared baseFlags). */
export interface PluginCommandMeta {
  flags?: Record<string, { char?: string }>;
  baseFlags?: Record<string, { char?: string }>;
}

/** kubectl's global flags that k8smctl commands may take, by long name, with their short forms. */
const GLOBAL_FLAGS: Record<string, string | undefined> = { kubeconfig: undefined, context: undefined, namespace: 'n' };

interface GlobalFlag {
  name: string;
  /** The words as typed (one or two). */
  words: string[];
}

/** A kubectl global flag at argv[i] (`--context x`, `--context=x`, `-n x`, `-nx`), or undefined. */
function globalFlagAt(argv: ReadonlyArray<string>, i: number): GlobalFlag | undefined {
  const w = argv[i]!;
  for (const [name, char] of Object.entries(GLOBAL_FLAGS)) {
    if (w === `--${name}` || (char && w === `-${char}`)) {
      return i + 1 < argv.length ? { name, words: [w, argv[i + 1]!] } : { name, words: [w] };
    }
    if (w.startsWith(`--${name}=`) || (char && w.length > 2 && w.startsWith(`-${char}`) && !w.startsWith('--'))) return { name, words: [w] };
  }
  return undefined;
}

/** The arguments k8smctl parses for `kubectl k8sm <argv...>`. */
export function pluginArgv(argv: ReadonlyArray<string>, commands: Record<string, PluginCommandMeta>): string[] {
  const ids = Object.keys(commands).map((id) => id.split(':'));
  // kubectl's global flags before the command.
  const leading: GlobalFlag[] = [];
  let i = 0;
  for (let g: GlobalFlag | undefined; i < argv.length && (g = globalFlagAt(argv, i)); i += g.words.length) leading.push(g);
  // The command's words.
  const words: string[] = [];
  while (i < argv.length && ids.some((id) => [...words, argv[i]].every((w, n) => id[n] === w))) {
    words.push(argv[i]!);
    i++;
    if (ids.some((id) => id.length === words.length && id.every((w, n) => w === words[n]))) break;
  }
  const meta = commands[words.join(':')];
  const takes = (name: string) => Boolean(meta && ({ ...meta.baseFlags, ...meta.flags } as Record<string, unknown>)[name]);
  const kept = leading.filter((g) => takes(g.name)).flatMap((g) => g.words);
  // After the command, a global flag the command does not take is dropped; `--` ends the flags.
  const rest: string[] = [];
  for (let j = i; j < argv.length; j++) {
    if (argv[j] === '--') {
      rest.push(...argv.slice(j));
      break;
    }
    const g = globalFlagAt(argv, j);
    if (g && meta && !takes(g.name)) {
      j += g.words.length - 1;
      continue;
    }
    rest.push(argv[j]!);
  }
  return [...words, ...kept, ...rest];
}
