/**
 * Shell completion in real shells, as a user gets it: the script from `k8smctl completion SHELL`
 * loaded into bash, zsh and fish, completion driven the way each shell drives it, against the built
 * CLI (answering from oclif.manifest.json) and the test stack (agent names from the Mesos simulator,
 * namespaces from the real kube-apiserver).
 *   bash: COMP_WORDS/COMP_LINE as readline splits the line, through the generated function; and an
 *         interactive bash in a pseudo-terminal (zsh's zpty module), typing TAB.
 *   zsh:  an interactive zsh in a pseudo-terminal (zpty), typing TAB, with compinit.
 *   fish: `complete -C`, fish's own completion of a command line.
 *   kubectl: `kubectl __complete k8sm ...`, kubectl's own completion of its plugin.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUBECTL, projectRoot, runCli, runProcess, stack, stackEnv, type RunResult } from './helpers/index.js';

let dir: string;
let binDir: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-e2e-completion-'));
  binDir = join(dir, 'bin');
  mkdirSync(binDir);
  mkdirSync(join(dir, 'home'));
  // What npm links on $PATH when the package is installed.
  symlinkSync(join(projectRoot, 'bin', 'run.js'), join(binDir, 'k8smctl'));
  symlinkSync(join(projectRoot, 'bin', 'kubectl-k8sm.js'), join(binDir, 'kubectl-k8sm'));
  symlinkSync(join(projectRoot, 'bin', 'kubectl_complete-k8sm.js'), join(binDir, 'kubectl_complete-k8sm'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runCli(['completion', shell]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    scripts[shell] = join(dir, `k8smctl.${shell}`);
    writeFileSync(scripts[shell], r.stdout);
  }
  // Drivers: bash given the words of a line as readline splits them; zsh and bash typing in a pseudo-terminal.
  writeFileSync(
    join(dir, 'comp-words.bash'),
    `source "$1"
line=$2
# readline's words: blanks separate them; '=' and ':' (COMP_WORDBREAKS) are words of their own.
COMP_WORDS=() word=''
for (( i = 0; i < \${#line}; i++ )); do
    c=\${line:i:1}
    case $c in
        ' ') [[ -n $word ]] && COMP_WORDS+=("$word"); word='' ;;
        '='|':') [[ -n $word ]] && COMP_WORDS+=("$word"); COMP_WORDS+=("$c"); word='' ;;
        *) word+=$c ;;
    esac
done
[[ $line == *[=:] ]] || COMP_WORDS+=("$word")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )) COMP_LINE=$line COMP_POINT=\${#line}
__k8smctl_complete 2>/dev/null
printf '%s\\n' "\${COMPREPLY[@]}"
`,
  );
  // zsh/zpty: an interactive SHELL ($1) in a pseudo-terminal, set up by $2; then steps: send:KEYS types
  // keys, wait:TEXT reads the terminal until TEXT shows (what was read is printed at the end).
  writeFileSync(
    join(dir, 'pty.zsh'),
    `zmodload zsh/zpty
zpty s "$1"
zpty -w s "$2; echo RE''ADY"
zpty -r s out '*READY*'
shift 2
all=''
for step in "$@"; do
    case $step in
        send:*) zpty -w -n s "\${step#send:}" ;;
        wait:*) zpty -r s out "*\${step#wait:}*"; all+=$out ;;
    esac
done
print -r -- "$all"
zpty -d s
`,
  );
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The user's environment. Live values are waited for up to 30 s (K8SMCTL_COMPLETION_TIMEOUT) instead
 * of 3 s: on a loaded test machine, loading the Kubernetes client alone can take longer, and what
 * is tested here is which values come, not how fast.
 */
function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: join(dir, 'home'), TERM: 'xterm', K8SMCTL_COMPLETION_TIMEOUT: '30s', ...extra };
}
const lines = (r: RunResult) => r.stdout.split('\n').filter(Boolean);
/** The commands of a topic (`get` -> agents, frameworks, ...), as `k8smctl <topic> --help` lists them. */
async function commandsOf(topic: string): Promise<string[]> {
  const help = await runCli([topic, '--help']);
  expect(help.code).toBe(0);
  return [...help.stdout.matchAll(new RegExp(`^ {2}${topic} (\\S+)`, 'gm'))].map((m) => m[1]!).sort();
}
const noMaster: Record<string, string | undefined> = { MESOS_MASTER: undefined, KUBECONFIG: '/nonexistent/kubeconfig' };

/** COMPREPLY of the bash function for `line` (cursor at the end). */
async function bashWords(line: string, extra: Record<string, string | undefined> = noMaster): Promise<string[]> {
  const r = await runProcess('bash', ['--norc', '--noprofile', join(dir, 'comp-words.bash'), scripts['bash']!, line], { env: env(extra) });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  return lines(r);
}

/** A test that types into interactive shells: each completion starts k8smctl, each shell runs its setup. */
const PTY_TEST_MS = 180_000;

/** Ctrl-X Ctrl-P prints the command line between <BUF> and </BUF> (bound in both shells below). */
const SHOW_LINE = '\x18\x10';

/**
 * Types `keys` into an interactive `shell` in a pseudo-terminal, then waits for `until` on the
 * terminal; with no `until`, presses Ctrl-X Ctrl-P and returns the command line as completion left it.
 * Keys are handled in order, completion included, so nothing here depends on timing.
 */
async function pty(shell: 'bash' | 'zsh', keys: string, until?: string, extra: Record<string, string | undefined> = noMaster): Promise<string> {
  const setup =
    shell === 'bash'
      ? `PS1='$ '; bind 'set bell-style none'; bind -x '"\\C-x\\C-p": printf "<BUF>%s</BUF>" "$READLINE_LINE"'; source ${scripts['bash']}`
      : `PROMPT='%% '; bindkey -e; autoload -Uz compinit && compinit -u -D; source ${scripts['zsh']}; ` +
        `show-line() { print -rn -- "<BUF>$BUFFER</BUF>" }; zle -N show-line; bindkey '^X^P' show-line`;
  const cmd = shell === 'bash' ? 'bash --norc --noprofile -i' : 'zsh -f -i';
  const steps = until ? [`send:${keys}`, `wait:${until}`] : [`send:${keys}${SHOW_LINE}`, 'wait:</BUF>'];
  const r = await runProcess('zsh', ['-f', join(dir, 'pty.zsh'), cmd, setup, ...steps], { env: env(extra), timeoutMs: 90_000 });
  expect(r).toMatchObject({ code: 0, timedOut: false });
  // eslint-disable-next-line no-control-regex
  const screen = r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  if (until) return screen;
  return (/<BUF>(.*?)<\/BUF>/s.exec(screen)?.[1] ?? '').trimEnd();
}

describe('bash', () => {
  test('commands, topics and flags', async () => {
    expect(await bashWords('k8smctl ')).toEqual(expect.arrayContaining(['completion', 'describe', 'get', 'validate', 'version']));
    // Exactly the commands of the topic, as its --help lists them.
    const get = await commandsOf('get');
    expect(get).toEqual(expect.arrayContaining(['agents', 'frameworks', 'tasks']));
    expect(await bashWords('k8smctl get ')).toEqual(get);
    expect(await bashWords('k8smctl get ag')).toEqual(['agents']);
    expect(await bashWords('k8smctl validate --o')).toEqual(['--output']);
    expect(await bashWords('k8smctl get agents --no-h')).toEqual(['--no-headers']);
  });

  test("-o values are each command's formats, also as --output=VALUE (bash completes after the '=')", async () => {
    expect(await bashWords('k8smctl validate -o ')).toEqual(['text', 'json', 'yaml', 'sarif', 'junit']);
    expect(await bashWords('k8smctl get agents -o ')).toEqual(['table', 'wide', 'json', 'yaml', 'name']);
    expect(await bashWords('k8smctl validate --output=j')).toEqual(['json', 'junit']);
    expect(await bashWords('k8smctl validate --output=')).toEqual(['text', 'json', 'yaml', 'sarif', 'junit']);
    expect(await bashWords('k8smctl validate --port-mapping ')).toEqual(['wildcard', 'fixed']);
  });

  test('-f offers manifests and directories, not other files', async () => {
    const got = await bashWords(`k8smctl validate -f ${projectRoot}/examples/`);
    expect(got).toEqual(expect.arrayContaining([`${projectRoot}/examples/cluster`, `${projectRoot}/examples/broken`]));
    expect(got).not.toContain(`${projectRoot}/examples/README.md`);
    const yaml = await bashWords(`k8smctl validate -f ${projectRoot}/examples/cluster/re`);
    expect(yaml).toEqual([`${projectRoot}/examples/cluster/redis.yaml`]);
  });

  test('describe agent: the agent names of the Mesos simulator ($MESOS_MASTER, or --mesos-master on the line)', async () => {
    const names = stack().mesos!.agents.map((a) => a.hostname);
    expect(names.length).toBeGreaterThan(1);
    expect(await bashWords('k8smctl describe agent ', stackEnv())).toEqual(names);
    expect(await bashWords(`k8smctl get agents --mesos-master ${stack().mesos!.masterList} ${names[0]} `)).toEqual(names.slice(1));
    expect(await bashWords(`k8smctl describe agent --mesos-master=${stack().mesos!.zkUrl} ${names[1]!.slice(0, -1)}`)).toEqual(
      names.filter((n) => n.startsWith(names[1]!.slice(0, -1))),
    );
  });

  test('-n: the namespaces of the kube-apiserver in the kubeconfig', async () => {
    const got = await bashWords('k8smctl get tasks -n ', stackEnv());
    expect(got).toEqual(expect.arrayContaining(['default', 'kube-system', ...stack().kube.namespaces]));
    expect(got).toEqual([...got].sort());
    expect(await bashWords('k8smctl get tasks --context limited@k8sm-test -n ', stackEnv())).toEqual([]); // the limited user may not list namespaces
  });

  test('a master that does not answer: nothing offered, nothing printed', async () => {
    expect(await bashWords('k8smctl describe agent ', { MESOS_MASTER: 'http://127.0.0.1:9', KUBECONFIG: undefined })).toEqual([]);
  });

  test(
    'typing TAB in an interactive bash: a word completed, a listing of agents',
    async () => {
      expect(await pty('bash', 'k8smctl get ag\t')).toBe('k8smctl get agents');
      expect(await pty('bash', 'k8smctl validate --output=sa\t')).toBe('k8smctl validate --output=sarif');
      const names = stack().mesos!.agents.map((a) => a.hostname);
      // On the names' common prefix TAB is ambiguous; the second TAB lists them.
      const listing = await pty('bash', 'k8smctl describe agent agent-\t\t', names[names.length - 1], stackEnv());
      for (const n of names) expect(listing).toContain(n);
    },
    PTY_TEST_MS,
  );
});

describe('zsh', () => {
  test(
    'a listing of the commands of a topic, with their summaries',
    async () => {
      const screen = await pty('zsh', 'k8smctl get \t', 'List the Mesos frameworks');
      expect(screen).toMatch(/agents\s+--\s+List the Mesos agents/);
      expect(screen).toMatch(/frameworks\s+--\s+List the Mesos frameworks/);
    },
    PTY_TEST_MS,
  );

  test(
    'a word completed: a command, a flag, a -o value',
    async () => {
      expect(await pty('zsh', 'k8smctl vali\t')).toBe('k8smctl validate');
      expect(await pty('zsh', 'k8smctl validate --port-m\t')).toBe('k8smctl validate --port-mapping');
      expect(await pty('zsh', 'k8smctl get agents -o wi\t')).toBe('k8smctl get agents -o wide');
      expect(await pty('zsh', 'k8smctl validate --output=ju\t')).toBe('k8smctl validate --output=junit');
    },
    PTY_TEST_MS,
  );

  test(
    'agent names from the Mesos simulator',
    async () => {
      const names = stack().mesos!.agents.map((a) => a.hostname);
      // On the names' common prefix, TAB lists them, with the agent ids.
      const screen = await pty('zsh', 'k8smctl describe agent agent-\t', names[names.length - 1], stackEnv());
      for (const n of names) expect(screen).toContain(n);
      expect(screen).toMatch(new RegExp(`${names[0]}\\s+--\\s+${stack().mesos!.agents[0]!.id}`));
      // The names share a prefix: TAB inserts it.
      expect(await pty('zsh', 'k8smctl describe agent ag\t', undefined, stackEnv())).toBe('k8smctl describe agent agent-');
    },
    PTY_TEST_MS,
  );
});

describe('fish', () => {
  async function fish(line: string, extra: Record<string, string | undefined> = noMaster): Promise<string[]> {
    const r = await runProcess('fish', ['--no-config', '-c', `source ${scripts['fish']}; complete -C${JSON.stringify(line)}`], { env: env(extra) });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return lines(r);
  }

  test('commands with their summaries, -o values, files for -f', async () => {
    expect(await fish('k8smctl ')).toContain('get\tShow cluster objects as k8sm sees them');
    expect((await fish('k8smctl version -o ')).map((l) => l.split('\t')[0])).toEqual(['json', 'yaml']);
    expect(await fish('k8smctl validate --output=s')).toEqual(['--output=sarif']);
    expect(await fish(`k8smctl validate -f ${projectRoot}/examples/cluster/re`)).toEqual([`${projectRoot}/examples/cluster/redis.yaml`]);
  });

  test('agent names from the Mesos simulator, with the agent id', async () => {
    const agents = stack().mesos!.agents;
    const got = await fish('k8smctl describe agent ', stackEnv());
    expect(got.map((l) => l.split('\t')[0])).toEqual(agents.map((a) => a.hostname));
    expect(got[0]).toMatch(/^\S+\t\S+-S\d+/);
  });
});

describe('kubectl k8sm <TAB>', () => {
  test("kubectl's own completion asks kubectl_complete-k8sm (kubectl 1.26 and later)", async () => {
    const v = await runProcess(KUBECTL, ['version', '--client', '-o', 'json'], { env: env() });
    const minor = Number(/"minor":\s*"(\d+)/.exec(v.stdout)?.[1] ?? 0);
    const names = stack().mesos!.agents.map((a) => a.hostname);
    if (minor >= 26) {
      const r = await runProcess(KUBECTL, ['__complete', 'k8sm', 'describe', 'agent', ''], { env: env(stackEnv()) });
      expect(r.code).toBe(0);
      expect(lines(r)).toEqual([...names.map((n, i) => `${n}\t${stack().mesos!.agents[i]!.id}`), ':4']);
      const g = await runProcess(KUBECTL, ['__complete', 'k8sm', 'get', 'ag'], { env: env() });
      expect(lines(g)[0]).toMatch(/^agents\t/);
    } else {
      // An older kubectl completes no plugin: the completer still answers as kubectl would ask it.
      const r = await runProcess(join(binDir, 'kubectl_complete-k8sm'), ['describe', 'agent', ''], { env: env(stackEnv()) });
      expect(lines(r).map((l) => l.split('\t')[0])).toEqual([...names, ':4']);
    }
  });
});
