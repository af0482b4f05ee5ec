import { validateSettingsFromFlags, type ValidateFlagValues } from '../../../src/cmd/validate/flags.js';
import { UsageError } from '../../../src/lib/errors.js';

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

describe('validate settings from the flags', () => {
  test('defaults: offline model, 10 MiB cap', () => {
    const o = validateSettingsFromFlags(base);
    expect(o.cluster).toEqual({ kind: 'flags' });
    expect(o.maxFileSize).toBe(10 * 1024 * 1024);
    expect(o.settings.portMapping).toBeUndefined();
  });

  test('agent sizes: CPUs as numbers or millicores, memory as MB or quantities', () => {
    const o = validateSettingsFromFlags({ ...base, 'agent-cpus': '500m', 'agent-mem': '16Gi' });
    expect(o.settings.agentCpus).toBe(0.5);
    expect(o.settings.agentMem).toBe(16384);
    expect(validateSettingsFromFlags({ ...base, 'agent-mem': '4096' }).settings.agentMem).toBe(4096);
  });

  test('--mesos-master and --cluster-snapshot select the live or saved model', () => {
    expect(validateSettingsFromFlags({ ...base, 'mesos-master': 'zk://z:2181/mesos' }).cluster.kind).toBe('mesos');
    expect(validateSettingsFromFlags({ ...base, 'cluster-snapshot': 'agents.json' }).cluster).toEqual({ kind: 'snapshot', file: 'agents.json' });
  });

  test.each([
    [{ filename: [] }, /no input given/],
    [{ filename: ['-', '-'] }, /standard input\) given more than once/],
    [{ ports: '[32000-31000]' }, /--ports/],
    [{ ports: 'lots' }, /--ports/],
    [{ 'max-file-size': 'big' }, /--max-file-size/],
    [{ 'max-file-size': '0' }, /--max-file-size "0": must be at least 1 byte/],
    [{ 'request-timeout': 'abc' }, /--request-timeout/],
    [{ 'agent-cpus': 'many' }, /--agent-cpus "many" is not a number of CPUs/],
    [{ 'agent-mem': '12 apples' }, /--agent-mem "12 apples" is not a memory size/],
    [{ 'framework-roles': ' , ' }, /--framework-roles is empty/],
  ])('%j is a usage error', (flags, msg) => {
    expect(() => validateSettingsFromFlags({ ...base, ...flags })).toThrow(UsageError);
    expect(() => validateSettingsFromFlags({ ...base, ...flags })).toThrow(msg);
  });
});
