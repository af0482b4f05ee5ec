/**
 * `k8smctl version` against the test stack: kubectl's shape (clientVersion; serverVersion as the
 * apiserver sends it, the same object `kubectl version -o json` prints), plus the Mesos master's build,
 * for every form of --mesos-master and with the kubeconfig from $KUBECONFIG or --kubeconfig.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { kubectl, mesosMaster, runCli, stack, stackEnv } from './helpers/index.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const [major, minor] = version.split('.');
const clientVersion = { major, minor, gitVersion: `v${version}`, nodeVersion: process.version, platform: `${process.platform}/${process.arch}` };
/** No kubeconfig anywhere (no $KUBECONFIG, no ~/.kube/config) and no master: nothing to ask. */
const noServers = { KUBECONFIG: undefined, MESOS_MASTER: undefined, HOME: '/nonexistent' };

/** What `kubectl version -o json` says the apiserver is. */
async function kubectlServerVersion(): Promise<unknown> {
  const r = await kubectl(['version', '-o', 'json']);
  return (JSON.parse(r.stdout) as { serverVersion: unknown }).serverVersion;
}

test('-o json: clientVersion, the serverVersion kubectl prints, and the Mesos master of $MESOS_MASTER', async () => {
  const r = await runCli(['version', '-o', 'json'], { env: stackEnv() });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  expect(Object.keys(doc)).toEqual(['clientVersion', 'serverVersion', 'mesosMasterVersion']);
  expect(doc['clientVersion']).toEqual(clientVersion);
  expect(doc['serverVersion']).toEqual(await kubectlServerVersion());
  expect(doc['serverVersion']).toMatchObject({ gitVersion: stack().kube.version, major: '1', minor: '20' });
  expect(doc['mesosMasterVersion']).toMatchObject({ version: stack().mesos!.version, master: stack().mesos!.leaderUrl });
});

test('-o yaml with --mesos-master zk:// and --kubeconfig: the same document, the master found through ZooKeeper', async () => {
  const json = await runCli(['version', '-o', 'json'], { env: stackEnv() });
  const r = await runCli(['version', '-o', 'yaml', '--mesos-master', mesosMaster('zk'), '--kubeconfig', stack().kube.admin.kubeconfig], { env: noServers });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const head = `clientVersion:\n  major: '${major}'\n  minor: '${minor}'\n`;
  expect(r.stdout.slice(0, head.length)).toBe(head);
  expect(load(r.stdout)).toEqual(JSON.parse(json.stdout));
});

test('text: one line per version', async () => {
  const r = await runCli(['version', '--mesos-master', mesosMaster('list')], { env: stackEnv() });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  expect(r.stdout).toBe(
    `Client Version: v${version}\nServer Version: ${stack().kube.version}\nMesos Master Version: ${stack().mesos!.version} (${stack().mesos!.leaderUrl})\n`,
  );
});

test('--client, or nothing configured: the client version only, no server asked', async () => {
  for (const [args, env] of [
    [['version', '--client', '-o', 'json'], stackEnv()],
    [['version', '-o', 'json'], noServers],
  ] as const) {
    const r = await runCli([...args], { env });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({ clientVersion });
  }
});

test('a master that does not answer: the other versions printed, the master named on stderr, exit 1', async () => {
  const r = await runCli(['version', '-o', 'json', '--mesos-master', 'http://127.0.0.1:9', '--request-timeout', '2s'], { env: stackEnv() });
  expect(r.code).toBe(1);
  expect(Object.keys(JSON.parse(r.stdout) as object)).toEqual(['clientVersion', 'serverVersion']);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^error: .*127\.0\.0\.1:9/);
});
