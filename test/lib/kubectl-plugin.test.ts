/** `kubectl k8sm ...`: which words k8smctl parses when kubectl runs it as a plugin. */
import { pluginArgv, type PluginCommandMeta } from '../../src/lib/kubectl-plugin.js';

// Commands shaped like k8smctl's: one with kubectl's connection flags, one without.
const commands: Record<string, PluginCommandMeta> = {
  validate: { flags: { filename: { char: 'f' }, output: { char: 'o' } }, baseFlags: { debug: {} } },
  'get:tasks': { flags: { namespace: { char: 'n' }, kubeconfig: {}, context: {}, output: { char: 'o' } } },
  'get:agents': { flags: { output: { char: 'o' } } },
  version: { flags: { kubeconfig: {}, context: {} } },
};
const argv = (s: string) => (s ? s.split(' ') : []);

test('words without kubectl global flags are passed unchanged', () => {
  expect(pluginArgv(argv('validate -f app.yaml -o json'), commands)).toEqual(argv('validate -f app.yaml -o json'));
  expect(pluginArgv(argv('get tasks -n team-a'), commands)).toEqual(argv('get tasks -n team-a'));
  expect(pluginArgv([], commands)).toEqual([]);
  expect(pluginArgv(argv('--help'), commands)).toEqual(['--help']);
});

test('global flags before the command are moved after it, in every spelling', () => {
  expect(pluginArgv(argv('-n team-a get tasks -o wide'), commands)).toEqual(argv('get tasks -n team-a -o wide'));
  expect(pluginArgv(argv('--namespace=team-a --context prod get tasks'), commands)).toEqual(argv('get tasks --namespace=team-a --context prod'));
  expect(pluginArgv(argv('-nteam-a --kubeconfig /k/c version'), commands)).toEqual(argv('version --kubeconfig /k/c'));
});

test('a global flag a command does not use is ignored, as kubectl ignores -n for cluster-wide commands', () => {
  expect(pluginArgv(argv('--context prod validate -f app.yaml'), commands)).toEqual(argv('validate -f app.yaml'));
  expect(pluginArgv(argv('get agents -n kube-system --kubeconfig=/k/c -o name'), commands)).toEqual(argv('get agents -o name'));
});

test("after --, nothing is touched; an unknown command keeps its words for k8smctl's error", () => {
  expect(pluginArgv(argv('validate -f - -- -n x'), commands)).toEqual(argv('validate -f - -- -n x'));
  expect(pluginArgv(argv('nope -n x'), commands)).toEqual(argv('nope -n x'));
});
