/**
 * The package as an operator installs it: `npm pack`, then `npm install -g --prefix <tmp>` of the
 * tarball, offline and from an empty npm cache (so the install can fetch nothing and build nothing),
 * then the installed commands run from <tmp>/bin on $PATH: `kubectl k8sm ...` through the real
 * kubectl's plugin discovery, `k8smctl`, and the man pages where `man -M <tmp>/share/man` finds them.
 * Packs the built dist/ as it is (`--ignore-scripts`: the prepack build would replace dist/ under
 * other tests; `npm run build` comes first, as for every e2e test).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUBECTL, mesosMaster, projectRoot, runCli, runProcess, stack, type RunResult } from './helpers/index.js';

interface PackageJson {
  version: string;
  bin: Record<string, string>;
  man: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  bundleDependencies?: string[];
  scripts?: Record<string, string>;
}

const project = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as PackageJson;
let dir: string;
let prefix: string;
let tarball: string;

/** npm's own settings from an enclosing `npm run` must not reach the npm under test. */
function npmEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { HOME: join(dir, 'home'), npm_config_cache: join(dir, 'npm-cache') };
  for (const k of Object.keys(process.env)) if (/^npm_/i.test(k) && k !== 'npm_config_cache') env[k] = undefined;
  return env;
}

/** The environment of an operator who installed the package into `prefix`: its bin first on $PATH, no kubeconfig, no master. */
function userEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: join(dir, 'home'), ...extra };
}

const kubectlK8sm = (args: string[], extra: Record<string, string | undefined> = {}): Promise<RunResult> =>
  runProcess(KUBECTL, ['k8sm', ...args], { env: userEnv(extra), cwd: dir });

beforeAll(async () => {
  // The CLI is built (runCli says so when it is not).
  expect((await runCli(['--version'])).code).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-e2e-package-'));
  prefix = join(dir, 'prefix');
  mkdirSync(join(dir, 'home'));
  const pack = await runProcess('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { env: npmEnv(), timeoutMs: 60_000 });
  expect(pack).toMatchObject({ code: 0, timedOut: false });
  tarball = join(dir, `k8smctl-${project.version}.tgz`);
  expect(existsSync(tarball)).toBe(true);
  const install = await runProcess('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
    env: npmEnv(),
    cwd: dir,
    timeoutMs: 60_000,
  });
  if (install.code !== 0) throw new Error(`npm install -g failed:\n${install.stderr}`);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds the built CLI, its launchers and the man pages, and no test or source files', async () => {
    const list = await runProcess('tar', ['-tzf', tarball]);
    const files = list.stdout.split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/README.md',
        'package/bin/run.js',
        'package/bin/kubectl-k8sm.js',
        'package/bin/kubectl_complete-k8sm.js',
        'package/dist/k8smctl.js',
        'package/dist/completion.js',
        'package/man/k8smctl-validate.1',
      ]),
    );
    expect(files.filter((f) => /^package\/(src|test|scripts|bench|node_modules)\//.test(f) || f.endsWith('.ts'))).toEqual([]);
  });

  test('needs nothing at install time: no dependency to fetch, no install script', async () => {
    const packed = JSON.parse((await runProcess('tar', ['-xzOf', tarball, 'package/package.json'])).stdout) as PackageJson;
    // dist/ is bundled: everything it runs is inside it.
    expect({ ...packed.dependencies, ...packed.optionalDependencies, ...packed.peerDependencies }).toEqual({});
    expect(Object.keys(packed.scripts ?? {}).filter((s) => /^(pre|post)?install$|^prepare$/.test(s))).toEqual([]);
    // The offline install from an empty cache (beforeAll) put nothing next to the package.
    expect(existsSync(join(prefix, 'lib', 'node_modules', 'k8smctl', 'node_modules'))).toBe(false);
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['k8smctl']);
  });
});

describe('kubectl k8sm, through kubectl plugin discovery', () => {
  test('kubectl plugin list finds kubectl-k8sm in the prefix', async () => {
    const r = await runProcess(KUBECTL, ['plugin', 'list'], { env: userEnv() });
    expect(r.stdout).toContain(join(prefix, 'bin', 'kubectl-k8sm'));
  });

  test('kubectl k8sm version prints the installed version', async () => {
    const r = await kubectlK8sm(['version']);
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: `Client Version: v${project.version}\n` });
    const json = await kubectlK8sm(['version', '--client', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ clientVersion: { gitVersion: `v${project.version}` } });
  });

  test('kubectl k8sm validate -f examples/...: findings with file:line, exit 1; a clean directory, exit 0', async () => {
    const broken = await kubectlK8sm(['validate', '-f', join(projectRoot, 'examples', 'broken', 'host-ports.yaml')]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^\s+33:21\s+error\s+hostPort 443 of container "controller" is outside every offered port range.*host-port-not-offered$/m);
    expect(broken.stdout).toContain('2 errors (2 resources in 1 file checked)');
    const clean = await kubectlK8sm(['validate', '-R', '-f', join(projectRoot, 'examples', 'cluster')]);
    expect(clean).toMatchObject({ code: 0, stderr: '' });
    expect(clean.stdout).toMatch(/^No problems \(\d+ resources in \d+ files checked\)$/m);
  });

  test('help and errors name the command as typed: kubectl k8sm', async () => {
    const help = await kubectlK8sm(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+\$ kubectl k8sm validate /m);
    expect(help.stdout).not.toMatch(/\$ k8smctl/);
    const bad = await kubectlK8sm(['validate', '--frobnicate']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe("error: Nonexistent flag: --frobnicate; see 'kubectl k8sm validate --help'\n");
    const unknown = await kubectlK8sm(['get', 'agent']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`error: unknown command "get agent"; did you mean "get agents"? ('kubectl k8sm --help' lists the commands)\n`);
  });

  test("kubectl's --kubeconfig, --context and -n reach k8smctl, before or after the command", async () => {
    const s = stack();
    const master = mesosMaster();
    // --kubeconfig after the command: the apiserver of that file answers.
    const after = await kubectlK8sm(['version', '-o', 'json', '--kubeconfig', s.kube.kubeconfig, '--mesos-master', master]);
    expect(after).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(after.stdout)).toMatchObject({ serverVersion: { gitVersion: s.kube.version }, mesosMasterVersion: { version: s.mesos!.version } });
    // Before the command, with --context: a context the file does not have is an error naming it.
    const ctx = await kubectlK8sm(['--kubeconfig', s.kube.kubeconfig, '--context', 'nosuch@k8sm-test', 'version']);
    expect(ctx.code).toBe(1);
    expect(ctx.stderr).toMatch(/nosuch@k8sm-test/);
    // -n: the limited user may read pods in its own namespace only.
    const own = await kubectlK8sm(['-n', s.kube.limitedNamespace, 'get', 'tasks', '--kubeconfig', s.kube.limited.kubeconfig, '--mesos-master', master]);
    expect(own.code).toBe(0);
    const other = await kubectlK8sm(['get', 'tasks', '-n', 'kube-system', '--kubeconfig', s.kube.limited.kubeconfig, '--mesos-master', master]);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/kube-system/);
    // A command that takes none of them ignores them, as kubectl's own commands do.
    const validate = await kubectlK8sm(['--context', 'prod', '-n', 'web', 'validate', '-f', join(projectRoot, 'examples', 'cluster', 'redis.yaml')]);
    expect(validate).toMatchObject({ code: 0, stderr: '' });
  }, 120_000);
});

test('the installed k8smctl runs from the prefix', async () => {
  const r = await runProcess('k8smctl', ['--version'], { env: userEnv() });
  expect(r).toMatchObject({ code: 0, stdout: `k8smctl/${project.version} ${process.platform}-${process.arch} node-${process.version}\n` });
  const help = await runProcess('k8smctl', ['validate', '--help'], { env: userEnv() });
  expect(help.stdout).toMatch(/^\s+\$ k8smctl validate /m);
});

describe('man pages', () => {
  test('man -M <prefix>/share/man k8smctl-validate renders the page', async () => {
    const r = await runProcess('man', ['-M', join(prefix, 'share', 'man'), 'k8smctl-validate'], { env: userEnv({ MANPAGER: 'cat', MANWIDTH: '100' }) });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^K8SMCTL-VALIDATE\(1\)/);
    expect(r.stdout).toMatch(/^NAME\n\s+k8smctl-validate\s+-\s+Check manifests/m);
    expect(r.stdout).toMatch(/^SYNOPSIS\n\s+k8smctl validate /m);
  });

  test('every page of the package is installed where man finds it', async () => {
    const pages = readdirSync(join(projectRoot, 'man')).filter((f) => /\.\d$/.test(f));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      const r = await runProcess('man', ['-M', join(prefix, 'share', 'man'), '-w', page.replace(/\.\d$/, '')], { env: userEnv() });
      expect(r.code).toBe(0);
      // npm links the pages into <prefix>/share/man/man1; man names the file the link points to.
      expect(realpathSync(r.stdout.trim())).toBe(realpathSync(join(prefix, 'share', 'man', 'man1', page)));
    }
  });
});
