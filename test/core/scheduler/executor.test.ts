import { crc64Ecma } from '../../../src/core/scheduler/crc64.js';
import {
  EXECUTOR_DEFAULTS,
  EXECUTOR_NAME,
  EXECUTOR_SOURCE,
  executorCommand,
  executorIdOf,
  executorPrototype,
  goDuration,
  servedArtifacts,
  type ExecutorSettings,
} from '../../../src/core/scheduler/executor.js';
import { executorInfoFor } from '../../../src/core/scheduler/task.js';

/*
 * Test vectors: computed with Go's hash/crc64 (crc64.Checksum with crc64.MakeTable(crc64.ECMA)) over
 * the bytes §1.1 (KMF executorinfo/id.go) concatenates: name, source, data, command value, user,
 * shell, sorted arguments, sorted NAME=VALUE env, sorted URI value+executable+extract.
 */

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const BASE: ExecutorSettings = { ...EXECUTOR_DEFAULTS, artifactBaseUrl: 'http://127.0.0.1:10251', apiServers: ['http://10.0.0.1:8080'] };

describe('crc64 (Go hash/crc64, ECMA table)', () => {
  it('gives the standard check value of "123456789" and 0 for nothing', () => {
    expect(crc64Ecma(enc('123456789')).toString(16)).toBe('995dc9bbdf1939fa');
    expect(crc64Ecma(new Uint8Array())).toBe(0n);
  });
});

describe('goDuration (time.Duration.String)', () => {
  it.each([
    [20 * 60_000, '20m0s'],
    [5 * 60_000, '5m0s'],
    [10_000, '10s'],
    [3_600_000, '1h0m0s'],
    [1500, '1.5s'],
    [0, '0s'],
  ])('%d ms is %s', (ms, text) => expect(goDuration(ms)).toBe(text));
});

describe('executor id', () => {
  it('equals k8sm hash for the default km served by the scheduler', () => {
    const c = executorCommand(BASE);
    expect(c.value).toBe('./km');
    expect(c.uris).toEqual([{ value: 'http://127.0.0.1:10251/km', executable: true }]);
    expect(c.arguments[0]).toBe('minion');
    expect(executorPrototype(BASE).id).toBe('14a375ddb7d85859_k8sm-executor');
  });

  it('equals k8sm hash for a km URI with several api servers and cluster DNS', () => {
    const s: ExecutorSettings = {
      ...BASE,
      kmPath: 'hdfs:///km',
      apiServers: ['https://a:6443', 'https://b:6443'],
      clusterDns: '10.10.10.10',
      clusterDomain: 'cluster.local',
    };
    expect(executorCommand(s).uris).toEqual([{ value: 'hdfs:///km', executable: true }]);
    expect(executorPrototype(s).id).toBe('28e152ac879ec21d_k8sm-executor');
    expect(servedArtifacts(s)).toEqual({});
  });

  it('hashes data, user, sorted arguments, env (last value of a repeated name) and sorted URIs', () => {
    const id = executorIdOf({
      name: EXECUTOR_NAME,
      source: EXECUTOR_SOURCE,
      data: new Uint8Array([0x1f, 0x8b, 0, 1, 2, 0xff]),
      command: {
        shell: false,
        value: './km',
        user: 'root',
        arguments: ['b', 'a'],
        environment: {
          variables: [
            { name: 'Z', value: '1' },
            { name: 'A', value: '2' },
            { name: 'Z', value: '3' },
          ],
        },
        uris: [
          { value: 'u2', executable: false, extract: false },
          { value: 'u1', executable: true },
        ],
      },
    });
    expect(id).toBe('d5fff24e168fd4e5_k8sm-executor');
  });

  it('changes with any executor-affecting flag and with the static pods, not with the host', () => {
    const base = executorPrototype(BASE);
    expect(executorPrototype({ ...BASE, launchGracePeriodMs: 60_000 }).id).not.toBe(base.id);
    expect(executorPrototype({ ...BASE, apiServers: ['http://other:8080'] }).id).not.toBe(base.id);
    expect(executorPrototype(BASE, new Uint8Array([1, 2, 3])).id).not.toBe(base.id);
    const info = executorInfoFor(base, 'agent-1', []);
    expect((info.command as { arguments: string[] }).arguments.at(-1)).toBe('--hostname-override=agent-1');
    expect((info.executor_id as { value: string }).value).toBe(base.id);
  });

  it('serves a local --executor-path under its basename', () => {
    const s = { ...BASE, executorPath: '/opt/k8sm/executor' };
    expect(executorCommand(s).value).toBe('./executor');
    expect(servedArtifacts(s)).toEqual({ executor: '/opt/k8sm/executor' });
    expect(executorCommand(s).arguments).not.toContain('minion');
  });
});
