/**
 * The validate fast path (bin/ runs `validate` without oclif when it can) must read the flags exactly
 * as oclif does, or leave them to oclif: its table against the oclif class, and its answers against
 * oclif's own parser.
 */
import { parse } from '@oclif/core/parser';
import Validate from '../../src/commands/validate.js';
import { BaseCommand } from '../../src/lib/base-command.js';
import { parseValidateArgv, VALIDATE_FLAGS } from '../../src/lib/validate-fast/argv.js';

type OclifFlag = {
  type: 'boolean' | 'option';
  char?: string;
  multiple?: boolean;
  options?: readonly string[];
  default?: unknown;
  allowNo?: boolean;
  env?: string;
  exclusive?: string[];
  dependsOn?: string[];
  relationships?: unknown;
  parse?: (input: string, ctx: unknown, opts: unknown) => Promise<unknown>;
};
const oclifFlags = { ...BaseCommand.baseFlags, ...Validate.flags } as unknown as Record<string, OclifFlag>;

async function oclifParse(argv: string[]): Promise<Record<string, unknown>> {
  const out = await parse(argv, { flags: oclifFlags as never, args: {}, strict: true });
  return out.flags as Record<string, unknown>;
}

describe('validate fast path: its flag table is the oclif class', () => {
  test('the same flags, no more, no fewer', () => {
    expect(Object.keys(VALIDATE_FLAGS).sort()).toEqual(Object.keys(oclifFlags).sort());
  });

  test.each(Object.keys(oclifFlags))('--%s: type, letter, options, default, --no- and environment as oclif has them', async (name) => {
    const o = oclifFlags[name]!;
    const f = VALIDATE_FLAGS[name]!;
    expect(f.type).toBe(o.type);
    expect(f.char).toBe(o.char);
    expect(Boolean(f.multiple)).toBe(Boolean(o.multiple));
    expect(f.options).toEqual(o.options);
    expect(f.default).toEqual(o.default);
    expect(Boolean(f.allowNo)).toBe(Boolean(o.allowNo));
    expect(f.env).toBe(o.env);
    // A value oclif transforms (an integer), or a flag checked against others, is left to oclif.
    const transforms = o.type === 'option' && (await o.parse!('7', {}, o)) !== '7';
    const related = Boolean(o.exclusive?.length || o.dependsOn?.length || o.relationships);
    expect(Boolean(f.oclifOnly)).toBe(transforms || related);
  });
});

describe('validate fast path: the values oclif parses, or nothing', () => {
  const read = [
    '-f app.yaml',
    '-f a.yaml -f b.yaml',
    '-f a.yaml b.yaml c.yaml',
    '-f a.yaml -R b.yaml',
    '-f - -o json',
    '--filename=a.yaml --output=sarif',
    '-fapp.yaml -ojunit',
    '-f=app.yaml',
    '-R -f deploy/ -o yaml --strict -q',
    '-f a.yaml --no-host-port-endpoints --port-mapping fixed --ports 31000-31099',
    '-f a.yaml --per-file --static --debug --no-color',
    '-f a.yaml --max-file-size 1Mi --framework-roles slave_public,* --default-pod-roles slave_public',
    '-f a.yaml --agent-cpus 4 --agent-mem 16Gi --mesos-executor-cpus 0.5 --mesos-executor-mem 256',
    '-f a.yaml --default-container-cpu-limit 1 --default-container-mem-limit 128 --static-pods-dir /etc/k8sm',
    '-f a.yaml --mesos-principal p --mesos-secret-file s --mesos-ca-file ca.pem --insecure-skip-tls-verify --request-timeout 3s',
  ];
  test.each(read)('%s', async (line) => {
    const argv = line.split(' ');
    const fast = parseValidateArgv(argv, {});
    expect(fast).toBeDefined();
    expect(fast).toEqual(await oclifParse(argv));
  });

  const leftToOclif = [
    '--help',
    '-h',
    '-f a.yaml --help',
    'app.yaml',
    '-f',
    '-f -R',
    '-o xml -f a.yaml',
    '-f a.yaml --output=',
    '-Rq -f a.yaml',
    '-f a.yaml --unknown',
    '-f a.yaml -- b.yaml',
    '-f a.yaml --agents 3',
    '-f a.yaml --cluster-snapshot s.json',
    '-f a.yaml -o json -o yaml',
    '-f a.yaml --strict=false',
    '-f a.yaml --no-strict',
    '-f a.yaml -o json extra',
    // a live cluster: the fast path's bundle has no cluster client (scripts/build.mjs)
    '-f a.yaml --mesos-master http://m:5050',
    '--mesos-master=http://m:5050 -f a.yaml --request-timeout 3s',
  ];
  test.each(leftToOclif)('%s: left to oclif', (line) => {
    expect(parseValidateArgv(line.split(' '), {})).toBeUndefined();
  });

  test('a flag that reads the environment is left to oclif when that variable is set', async () => {
    expect(parseValidateArgv(['-f', 'a.yaml'], { MESOS_MASTER: 'http://m:5050' })).toBeUndefined();
    expect(parseValidateArgv(['-f', 'a.yaml'], { OTHER: 'x' })).toEqual(await oclifParse(['-f', 'a.yaml']));
  });
});
