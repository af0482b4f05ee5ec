/**
 * Shell completion answers (`k8smctl __complete <words...> <current word>`), in-process: the tree of
 * the real commands (COMMANDS), fake clients for live values. The shell scripts themselves are
 * driven through real shells in test/e2e/completion.test.ts.
 */
import { COMMANDS } from '../../src/commands/index.js';
import { completeWords } from '../../src/lib/completion/complete.js';
import { completionTree, type CommandMeta, type CompletionTree } from '../../src/lib/completion/tree.js';
import type { LiveOptions } from '../../src/lib/completion/live.js';
import { clientError, fakeFactory, FakeKube, FakeMesos, MASTER_URL, pod } from './fakes.js';
import { k8smctl } from './harness.js';

const TOPICS = { get: { description: 'Show cluster objects as k8sm sees them.' }, describe: { description: 'Show everything about one cluster object.' } };
const tree = completionTree(COMMANDS, TOPICS);

interface Answer {
  values: string[];
  lines: string[];
  directive: number;
  debug: string[];
}

/** `words` as the shell passes them: the last one is the word under the cursor. */
async function complete(words: string[], live: Partial<LiveOptions> = {}, t: CompletionTree = tree): Promise<Answer> {
  const debug: string[] = [];
  const out = await completeWords(t, words, { live: () => ({ factory: fakeFactory(), ...live }), debug: (l) => debug.push(l) });
  expect(out.endsWith('\n')).toBe(true);
  const lines = out.slice(0, -1).split('\n');
  const last = lines.pop()!;
  expect(last).toMatch(/^:\d+$/);
  return { lines, values: lines.map((l) => l.split('\t')[0]!), directive: Number(last.slice(1)), debug };
}

describe('commands and topics', () => {
  test('a new word after the program: every command and topic, with its summary; no file names (:4)', async () => {
    const a = await complete(['']);
    const firstWords = [...new Set(Object.keys(COMMANDS).map((id) => id.split(':')[0]!))].sort();
    expect(a.values).toEqual(firstWords);
    expect(a.values).toEqual(expect.arrayContaining(['completion', 'describe', 'get', 'validate', 'version']));
    expect(a.lines).toContain('get\tShow cluster objects as k8sm sees them');
    expect(a.lines).toContain('validate\tCheck manifests for what k8sm can never run, before kubectl apply');
    expect(a.directive).toBe(4);
  });

  test('the commands of a topic, filtered by what is typed', async () => {
    expect((await complete(['get', ''])).values).toEqual(['agents', 'frameworks', 'orphans', 'tasks']);
    expect((await complete(['delete', ''])).values).toEqual(['framework', 'orphans']);
    expect((await complete(['get', 'ag'])).values).toEqual(['agents']);
    expect((await complete(['v'])).values).toEqual(['validate', 'version']);
    expect((await complete(['describe', ''])).values).toEqual(['agent']);
  });

  test('an unknown command offers nothing; the root offers --help and --version', async () => {
    expect(await complete(['nope', ''])).toMatchObject({ values: [], directive: 4 });
    expect((await complete(['--'])).values).toEqual(['--help', '--version']);
  });
});

describe('flags', () => {
  test("a lone '-': short and long names of the command's flags, its own before the shared ones, --help last", async () => {
    const a = await complete(['validate', '-']);
    expect(a.values.slice(0, 5)).toEqual(['-f', '--filename', '-R', '--recursive', '-o']);
    expect(a.values.slice(-3)).toEqual(['--debug', '--no-color', '--help']);
    expect(a.values).toContain('--no-host-port-endpoints');
    expect(a.lines).toContain(
      '--port-mapping\t' + "k8sm's host-port mapping strategy (scheduler default: wildcard when host-port endpoints are on, else fixed)",
    );
  });

  test("'--' and a prefix: long names only; a flag already given is not offered again unless it repeats (-f)", async () => {
    expect((await complete(['validate', '--o'])).values).toEqual(['--output']);
    const a = await complete(['validate', '-o', 'json', '-f', 'a.yaml', '--']);
    expect(a.values).not.toContain('--output');
    expect(a.values).toContain('--filename');
    expect((await complete(['get', 'agents', '--no'])).values).toEqual(['--no-headers', '--no-color']);
  });

  test('after --, words are arguments, not flags', async () => {
    expect((await complete(['completion', '--', '-'])).values).toEqual([]);
  });
});

describe('flag values', () => {
  test("-o offers each command's own formats", async () => {
    expect((await complete(['validate', '-o', ''])).values).toEqual(['text', 'json', 'yaml', 'sarif', 'junit']);
    expect((await complete(['get', 'agents', '--output', ''])).values).toEqual(['table', 'wide', 'json', 'yaml', 'name']);
    expect((await complete(['version', '-o', ''])).values).toEqual(['json', 'yaml']);
    expect(await complete(['get', 'tasks', '-o', 'w'])).toMatchObject({ values: ['wide'], directive: 4 });
  });

  test('--flag=value completes the value, keeping --flag= in front', async () => {
    expect((await complete(['validate', '--output=j'])).values).toEqual(['--output=json', '--output=junit']);
    expect((await complete(['validate', '--port-mapping='])).values).toEqual(['--port-mapping=wildcard', '--port-mapping=fixed']);
  });

  test('--port-mapping, and the shell argument of completion', async () => {
    expect((await complete(['validate', '--port-mapping', ''])).values).toEqual(['wildcard', 'fixed']);
    expect((await complete(['completion', ''])).values).toEqual(['bash', 'zsh', 'fish']);
    expect((await complete(['completion', 'z'])).values).toEqual(['zsh']);
  });

  test('files: -f manifests by extension (:8), FILE flags any file (:0), DIR flags directories (:16)', async () => {
    expect(await complete(['validate', '-f', ''])).toMatchObject({ values: ['yaml', 'yml', 'json'], directive: 8 });
    expect(await complete(['validate', '--cluster-snapshot', ''])).toMatchObject({ values: [], directive: 0 });
    expect(await complete(['version', '--kubeconfig', ''])).toMatchObject({ values: [], directive: 0 });
    expect(await complete(['validate', '--static-pods-dir', ''])).toMatchObject({ values: [], directive: 16 });
  });

  test('a value nothing can suggest (a URL, a duration) offers nothing, and no file names', async () => {
    expect(await complete(['get', 'agents', '--mesos-master', ''])).toMatchObject({ values: [], directive: 4 });
    expect(await complete(['get', 'agents', '--request-timeout', '1'])).toMatchObject({ values: [], directive: 4 });
  });
});

describe('live values', () => {
  test('describe agent: the agent names from the master of --mesos-master, asked with a short timeout and no retries', async () => {
    const mesos = new FakeMesos();
    const factory = fakeFactory({ mesos });
    const a = await complete(['describe', 'agent', '--mesos-master', MASTER_URL, ''], { factory });
    expect(a.values).toEqual(['agent-1', 'agent-2', 'agent-3']);
    expect(a.lines[0]).toBe('agent-1\t7e8f-S0');
    expect(a.directive).toBe(4);
    expect(factory.mesosOptions).toHaveLength(1);
    expect(factory.mesosOptions[0]).toMatchObject({ requestTimeoutMs: 2000, retries: 0 });
    expect(mesos.calls).toEqual([{}]); // the master only: no agent asked
    expect(mesos.closed).toBe(1);
  });

  test('$MESOS_MASTER works too; what is typed filters; names already given are not offered again (get agents takes several)', async () => {
    const factory = fakeFactory({ env: { MESOS_MASTER: MASTER_URL } });
    expect((await complete(['describe', 'agent', 'agent-2'], { factory })).values).toEqual(['agent-2']);
    expect((await complete(['get', 'agents', 'agent-1', ''], { factory })).values).toEqual(['agent-2', 'agent-3']);
  });

  test('no master configured: nothing, without asking anything; the reason goes to the debug file', async () => {
    const factory = fakeFactory();
    const a = await complete(['describe', 'agent', ''], { factory });
    expect(a).toMatchObject({ values: [], directive: 4 });
    expect(factory.mesosOptions).toEqual([]);
    expect(a.debug).toEqual(['agents: no Mesos master configured (--mesos-master or $MESOS_MASTER)']);
  });

  test('an unreachable master: nothing offered, no error', async () => {
    const mesos = new FakeMesos({
      fail: clientError({ kind: 'unreachable', service: 'mesos-master', message: `cannot reach Mesos master ${MASTER_URL}: connection refused` }),
    });
    const a = await complete(['describe', 'agent', '--mesos-master', MASTER_URL, 'a'], { factory: fakeFactory({ mesos }) });
    expect(a).toMatchObject({ values: [], directive: 4 });
    expect(a.debug).toEqual([`agents: cannot reach Mesos master ${MASTER_URL}: connection refused`]);
  });

  test('a master that never answers: completion gives up at its deadline with nothing', async () => {
    let aborted: unknown;
    class Hanging extends FakeMesos {
      override snapshot(): Promise<never> {
        return new Promise(() => undefined);
      }
    }
    const hanging = new Hanging();
    const factory = fakeFactory();
    factory.mesos = (opts) => {
      opts.signal?.addEventListener('abort', () => (aborted = opts.signal?.reason));
      return Promise.resolve(hanging);
    };
    const a = await complete(['describe', 'agent', '--mesos-master', MASTER_URL, ''], { factory, deadlineMs: 50 });
    expect(a).toMatchObject({ values: [], directive: 4, debug: ['agents: no answer within 50 ms'] });
    expect(aborted).toBe('timeout');
  });

  test('-n: the namespaces of the apiserver, with the kubeconfig and context typed so far', async () => {
    const factory = fakeFactory({ kube: new FakeKube({ namespaces: ['kube-system', 'default', 'team-a'] }) });
    const a = await complete(['get', 'tasks', '--kubeconfig', '/k/config', '--context', 'prod', '-n', ''], { factory });
    expect(a.values).toEqual(['default', 'kube-system', 'team-a']);
    expect(factory.kubeOptions[0]).toMatchObject({ kubeconfig: '/k/config', context: 'prod', requestTimeoutMs: 2000 });
    expect((await complete(['get', 'tasks', '--namespace=t'], { factory })).values).toEqual(['--namespace=team-a']);
  });

  test('--context: the contexts of the kubeconfig', async () => {
    const seen: unknown[] = [];
    const contexts = (sel: unknown) => {
      seen.push(sel);
      return Promise.resolve(['prod', 'admin@k8sm-test', 'limited@k8sm-test']);
    };
    const a = await complete(['version', '--kubeconfig', '/k/config', '--context', ''], { contexts });
    expect(a.values).toEqual(['admin@k8sm-test', 'limited@k8sm-test', 'prod']);
    expect(seen).toEqual([{ kubeconfig: '/k/config', env: {} }]);
  });

  test('a command added later gets live values from its own metadata: a pod argument, -n for its namespace', async () => {
    // The shape of a `diagnose pod NAME` command: an argument called name, the namespace flags.
    const t = completionTree({
      ...(COMMANDS as unknown as Record<string, CommandMeta>),
      'inspect:pod': { summary: 'Why a pod is not running.', args: { name: {} }, flags: { namespace: { type: 'option', char: 'n' } } },
    });
    const kube = new FakeKube({ pods: [pod('web-1', 'team-a', { phase: 'Pending' }), pod('web-2', 'team-a'), pod('db', 'default')] });
    const factory = fakeFactory({ kube });
    expect((await complete(['inspect', ''], {}, t)).values).toEqual(['pod']);
    const a = await complete(['inspect', 'pod', '-n', 'team-a', 'w'], { factory }, t);
    expect(a.lines).toEqual(['web-1\tPending', 'web-2\tRunning']);
    expect(kube.calls).toEqual([{ namespace: 'team-a' }]);
    expect((await complete(['inspect', 'pod', ''], { factory }, t)).values).toEqual(['db']); // the context's namespace
  });

  test('hints declared on a command win; hidden commands and flags are not offered', async () => {
    const t = completionTree({
      'get:pods': {
        summary: 'x',
        args: { target: {} },
        completion: { args: 'pods', flags: { where: 'dirs' } },
        flags: { where: { type: 'option' }, secret: { type: 'option', hidden: true } },
      },
      'debug:dump': { hidden: true, summary: 'internal' },
    });
    expect((await complete([''], {}, t)).values).toEqual(['get']);
    expect((await complete(['get', 'pods', '--'], {}, t)).values).toEqual(['--where', '--help']);
    expect(await complete(['get', 'pods', '--where', ''], {}, t)).toMatchObject({ directive: 16 });
    const factory = fakeFactory({ kube: new FakeKube({ pods: [pod('p', 'default')] }) });
    expect((await complete(['get', 'pods', ''], { factory }, t)).values).toEqual(['p']);
  });
});

describe('k8smctl completion SHELL', () => {
  test.each(['bash', 'zsh', 'fish'])('%s: a script that asks k8smctl __complete', async (shell) => {
    const r = await k8smctl(['completion', shell]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('__complete');
    expect(r.stdout).toMatch(
      shell === 'fish' ? /^complete -c k8smctl /m : shell === 'zsh' ? /^#compdef k8smctl$/m : /^complete -F __k8smctl_complete k8smctl$/m,
    );
  });

  test('another shell is a usage error naming the choices', async () => {
    const r = await k8smctl(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Expected powershell to be one of: bash, zsh, fish/);
  });
});
