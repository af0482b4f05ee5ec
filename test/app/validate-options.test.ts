import { validateOptionsFromFlags, type ValidateFlagValues } from '../../src/app/validate-options.js';
import { mesosConnectOptions } from '../../src/app/mesos-connect.js';
import { UsageError } from '../../src/lib/errors.js';

const base: ValidateFlagValues = {
  filename: ['a.yaml'],
  recursive: false,
  output: 'text',
  strict: false,
  quiet: false,
  ports: '[31000-32000]',
  'host-port-endpoints': true,
  'framework-roles': '*',
  'default-pod-roles': '*',
  'mesos-executor-cpus': '0.25',
  'mesos-executor-mem': '128',
  'default-container-cpu-limit': '0.25',
  'default-container-mem-limit': '64',
  static: false,
  'max-file-size': '10Mi',
  'insecure-skip-tls-verify': false,
  'request-timeout': '10s',
};

describe('validate options', () => {
  test('defaults: offline model, 10 MiB cap', () => {
    const o = validateOptionsFromFlags(base);
    expect(o.cluster).toEqual({ kind: 'flags' });
    expect(o.maxFileSize).toBe(10 * 1024 * 1024);
    expect(o.settings.portMapping).toBeUndefined();
  });

  test('agent sizes: CPUs as numbers or millicores, memory as MB or quantities', () => {
    const o = validateOptionsFromFlags({ ...base, 'agent-cpus': '500m', 'agent-mem': '16Gi' });
    expect(o.settings.agentCpus).toBe(0.5);
    expect(o.settings.agentMem).toBe(16384);
    expect(validateOptionsFromFlags({ ...base, 'agent-mem': '4096' }).settings.agentMem).toBe(4096);
  });

  test('--mesos-master and --cluster-snapshot select the live or saved model', () => {
    expect(validateOptionsFromFlags({ ...base, 'mesos-master': 'zk://z:2181/mesos' }).cluster.kind).toBe('mesos');
    expect(validateOptionsFromFlags({ ...base, 'cluster-snapshot': 'agents.json' }).cluster).toEqual({ kind: 'snapshot', file: 'agents.json' });
  });

  test.each([
    [{ filename: [] }, /no input given/],
    [{ filename: ['-', '-'] }, /standard input\) given more than once/],
    [{ ports: '[32000-31000]' }, /--ports/],
    [{ ports: 'lots' }, /--ports/],
    [{ 'max-file-size': 'big' }, /--max-file-size/],
    [{ 'agent-cpus': 'many' }, /--agent-cpus "many" is not a number of CPUs/],
    [{ 'agent-mem': '12 apples' }, /--agent-mem "12 apples" is not a memory size/],
    [{ 'framework-roles': ' , ' }, /--framework-roles is empty/],
  ])('%j is a usage error', (flags, msg) => {
    expect(() => validateOptionsFromFlags({ ...base, ...flags } as ValidateFlagValues)).toThrow(UsageError);
    expect(() => validateOptionsFromFlags({ ...base, ...flags } as ValidateFlagValues)).toThrow(msg);
  });
});

describe('mesos connection options', () => {
  test('timeout parsed; missing master and bad timeouts are usage errors', () => {
    expect(mesosConnectOptions({ master: 'm:5050', insecureSkipTlsVerify: false, requestTimeout: '1m30s' }).requestTimeoutMs).toBe(90_000);
    expect(() => mesosConnectOptions({ master: ' ', insecureSkipTlsVerify: false, requestTimeout: '10s' })).toThrow(/no Mesos master given/);
    expect(() => mesosConnectOptions({ master: 'm', insecureSkipTlsVerify: false, requestTimeout: 'soon' })).toThrow(/--request-timeout/);
    expect(() => mesosConnectOptions({ master: 'm', insecureSkipTlsVerify: false, requestTimeout: '0s' })).toThrow(/greater than 0/);
  });
});
