/**
 * `scheduler run` in-process: bad values are one-line usage errors (exit 2) before anything
 * connects; a bad static pod refuses to start with its file and line. (The run itself opens a
 * listening socket: it is tested in test/e2e/scheduler.test.ts and, loop only, in test/scheduler.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k8smctl } from './harness.js';
import { fakeFactory } from './fakes.js';
import type { Factory } from '../../src/lib/factory.js';

const MASTER = ['--mesos-master', 'http://127.0.0.1:5050'];
const KM = ['--km-path', 'file:///opt/k8sm/km'];

function watched(): { factory: Factory; asked: string[] } {
  const asked: string[] = [];
  const f = fakeFactory();
  const factory: Factory = {
    ...f,
    schedulerClient: () => {
      asked.push('mesos');
      return Promise.reject(new Error('must not connect'));
    },
    schedulerKube: () => {
      asked.push('kube');
      return Promise.reject(new Error('must not connect'));
    },
  };
  return { factory, asked };
}

describe('scheduler run: usage errors before connecting', () => {
  it.each([
    [['--port', '70000'], /--port "70000" is not a whole number from 0 to 65535/],
    [['--offer-refuse-seconds', 'soon'], /--offer-refuse-seconds "soon" is not a number of seconds/],
    [['--failover-timeout', 'forever'], /--failover-timeout/],
    [['--mesos-framework-roles', 'a,b'], /k8sm takes at most two roles, one of them '\*'/],
    [['--mesos-default-pod-roles', 'gpu'], /--mesos-default-pod-roles lists gpu, not in --mesos-framework-roles/],
    [['--mesos-executor-cpus', 'lots'], /--mesos-executor-cpus "lots" is not a number of CPUs/],
    [['--framework-name', '  '], /--framework-name is empty/],
    [['-v', 'x'], /--v "x" is not a whole number/],
    [['--address', 'not an address'], /--address "not an address"/],
    [['--km-path', '/nonexistent/km'], /--km-path \/nonexistent\/km is not a file/],
    [['--api-servers', 'apiserver:8080'], /--api-servers "apiserver:8080": give http\(s\):\/\/host:port URLs/],
    [['--framework-store-namespace', 'Kube_System'], /--framework-store-namespace "Kube_System" is not a namespace name/],
    [['--log-format', 'xml'], /log-format/],
    [['--mesos-framework-roles', 'bad role!'], /--mesos-framework-roles "bad role!": "bad role!" is not a Mesos role \(a role name cannot include whitespace/],
    [['--mesos-framework-roles', '*,-gpu', '--mesos-default-pod-roles', '-gpu'], /"-gpu" is not a Mesos role/],
    [['--advertised-address', 'sched.example.com:99999'], /--advertised-address "sched.example.com:99999" is not host:port/],
    [['--failover-timeout', '2562048h'], /--failover-timeout: duration "2562048h" is too long: at most 2562047h/],
  ])('%j', async (args, message) => {
    const w = watched();
    const r = await k8smctl(['scheduler', 'run', ...MASTER, ...(args.includes('--km-path') ? [] : KM), ...args], { factory: w.factory });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(w.asked).toEqual([]);
  });

  it.each([['8760h'], ['4611686018'], ['0']])("takes km's failover timeouts (%s: a year, km's default of about 146 years, none)", async (value) => {
    const w = watched();
    const r = await k8smctl(['scheduler', 'run', ...MASTER, ...KM, '--failover-timeout', value], { factory: w.factory });
    expect(r.stderr).not.toMatch(/--failover-timeout/);
    expect(w.asked).toEqual(['kube']);
  });

  it('needs an executor for the agents: --km-path or --executor-path', async () => {
    const w = watched();
    const r = await k8smctl(['scheduler', 'run', '--mesos-master', 'http://127.0.0.1:5050'], { factory: w.factory });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: no executor for the agents: pass --km-path \(or --executor-path\); e\.g\. --km-path file:\/\/\/opt\/k8sm\/km/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(w.asked).toEqual([]);
  });

  it('needs a Mesos master', async () => {
    const w = watched();
    const r = await k8smctl(['scheduler', 'run'], { factory: w.factory });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no Mesos master given/);
    expect(w.asked).toEqual([]);
  });

  it('refuses a static pod with an error, naming its file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8sm-static-'));
    writeFileSync(
      join(dir, 'proxy.yaml'),
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: proxy',
        'spec:',
        '  containers:',
        '  - name: p',
        '    image: nginx',
        '    ports:',
        '    - containerPort: 80',
        '      hostPort: 80',
        '    - containerPort: 81',
        '      hostPort: 80',
        '',
      ].join('\n'),
    );
    const w = watched();
    const r = await k8smctl(['scheduler', 'run', ...MASTER, ...KM, '--static-pods-config', dir], { factory: w.factory });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--static-pods-config: ${join(dir, 'proxy.yaml')}:`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(w.asked).toEqual([]);
  });
});
