/**
 * `validate`'s flags read without oclif, for the start-up fast path (./main.ts). This reader knows
 * only the plain forms (`-f X`, `-fX`, `--filename X`, `--filename=X`, `-R`, `--no-host-port-endpoints`,
 * repeated `-f`, `-f a b`) and gives up (undefined) on anything else: help, `--`, grouped short
 * flags, unknown flags, arguments, a value oclif would refuse or transform, an environment variable
 * a flag reads, a live cluster (`--mesos-master`). The launcher then runs the command through oclif as usual, which parses (and words
 * any error) as always. So the fast path never decides differently from oclif: it either yields the
 * values oclif would, or nothing.
 *
 * `VALIDATE_FLAGS` mirrors the oclif class (src/commands/validate.ts and BaseCommand.baseFlags);
 * test/lib/validate-fast-argv.test.ts checks it against them flag by flag and parse by parse.
 */
import type { ValidateFlagValues } from '../../cmd/validate/flags.js';

export interface FastFlag {
  type: 'boolean' | 'option';
  char?: string;
  multiple?: boolean;
  options?: readonly string[];
  default?: string | boolean;
  /** A `--no-` form (booleans). */
  allowNo?: boolean;
  /** Read from this environment variable when not given: the fast path gives up when it is set. */
  env?: string;
  /** Its value is transformed by oclif (an integer) or checked against other flags: the fast path gives up when it is given. */
  oclifOnly?: boolean;
  /**
   * It makes validate read a live cluster: the fast path gives up when it is given (or its variable
   * set), so that its bundle (dist/validate.cjs) holds no cluster client (scripts/build.mjs); a
   * cluster's round trips outweigh oclif's start-up anyway.
   */
  liveCluster?: boolean;
}

export const VALIDATE_FLAGS: Readonly<Record<string, FastFlag>> = {
  // BaseCommand.baseFlags
  debug: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  // src/commands/validate.ts
  filename: { type: 'option', char: 'f', multiple: true },
  recursive: { type: 'boolean', char: 'R' },
  output: { type: 'option', char: 'o', options: ['text', 'json', 'yaml', 'sarif', 'junit'], default: 'text' },
  strict: { type: 'boolean' },
  quiet: { type: 'boolean', char: 'q' },
  ports: { type: 'option', default: '[31000-32000]' },
  'port-mapping': { type: 'option', options: ['wildcard', 'fixed'] },
  'host-port-endpoints': { type: 'boolean', default: true, allowNo: true },
  'agent-cpus': { type: 'option' },
  'agent-mem': { type: 'option' },
  agents: { type: 'option', oclifOnly: true },
  'framework-roles': { type: 'option', default: '*' },
  'default-pod-roles': { type: 'option', default: '*' },
  'mesos-executor-cpus': { type: 'option', default: '0.25' },
  'mesos-executor-mem': { type: 'option', default: '128' },
  'default-container-cpu-limit': { type: 'option', default: '0.25' },
  'default-container-mem-limit': { type: 'option', default: '64' },
  'cluster-snapshot': { type: 'option', oclifOnly: true },
  static: { type: 'boolean' },
  'static-pods-dir': { type: 'option' },
  'per-file': { type: 'boolean' },
  'max-file-size': { type: 'option', default: '10Mi' },
  // src/lib/flags/mesos-flags.ts
  'mesos-master': { type: 'option', env: 'MESOS_MASTER', liveCluster: true },
  'mesos-principal': { type: 'option' },
  'mesos-secret-file': { type: 'option' },
  'mesos-ca-file': { type: 'option' },
  'insecure-skip-tls-verify': { type: 'boolean' },
  'request-timeout': { type: 'option', default: '10s' },
};

export type FastValidateFlags = ValidateFlagValues & { debug?: boolean; 'no-color'?: boolean };

/** The flag values oclif would parse from `argv` (the words after `validate`), or undefined to leave it to oclif. */
export function parseValidateArgv(
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>,
  flags: Readonly<Record<string, FastFlag>> = VALIDATE_FLAGS,
): FastValidateFlags | undefined {
  const byChar = new Map<string, string>();
  for (const [name, f] of Object.entries(flags)) {
    if (f.env !== undefined && env[f.env] !== undefined) return undefined;
    if (f.char !== undefined) byChar.set(f.char, name);
  }
  const values: Record<string, unknown> = {};
  // oclif gives a multiple option flag the words that follow its value, until the next flag.
  let current: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      if (current === undefined || !flags[current]!.multiple) return undefined; // an argument: validate takes none
      (values[current] as string[]).push(arg);
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) inline = arg.slice(eq + 1);
      if (flags[name] === undefined && name.startsWith('no-')) {
        const negated = flags[name.slice(3)];
        if (negated?.type !== 'boolean' || !negated.allowNo || inline !== undefined) return undefined;
        if (name.slice(3) in values) return undefined;
        values[name.slice(3)] = false;
        continue;
      }
    } else {
      name = byChar.get(arg[1]!);
      if (arg.length > 2) inline = arg[2] === '=' ? arg.slice(3) : arg.slice(2);
    }
    const flag = name === undefined ? undefined : flags[name];
    if (name === undefined || flag === undefined || flag.oclifOnly || flag.liveCluster) return undefined; // help, --, unknown, oclif's to check, or a live cluster
    if (flag.type === 'boolean') {
      if (inline !== undefined || name in values) return undefined;
      values[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[++i];
      // A value that looks like a flag is oclif's to judge (`-f -` is standard input).
      if (value === undefined || (value.startsWith('-') && value !== '-')) return undefined;
    }
    if (flag.options !== undefined && !flag.options.includes(value)) return undefined;
    if (flag.multiple) ((values[name] ??= []) as string[]).push(value);
    else if (name in values) return undefined;
    else values[name] = value;
    current = name;
  }
  for (const [name, f] of Object.entries(flags)) if (!(name in values) && f.default !== undefined) values[name] = f.default;
  return values as unknown as FastValidateFlags; // every flag of the table has its value or its default (the test compares with oclif's)
}
