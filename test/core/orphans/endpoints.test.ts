import { checkTemplate, ipOfPid, parseEngineUrl, resolveEndpoint } from '../../../src/core/orphans/index.js';

const agent = { id: 'S1', hostname: 'node-1', ip: '10.0.0.5' };
const local = new Set<string>(['node-9', '127.0.0.1']);

describe('Docker endpoint resolution', () => {
  it('the map wins (by hostname, then id), then the template, then the local engine', () => {
    expect(resolveEndpoint(agent, { map: { 'node-1': 'tcp://a:1' }, template: 'tcp://{ip}:2376', localNames: local })).toMatchObject({
      endpoint: { kind: 'tcp', host: 'a', port: 1, source: 'file' },
    });
    expect(resolveEndpoint(agent, { map: { S1: 'unix:///run/d.sock' }, localNames: local })).toMatchObject({
      endpoint: { kind: 'unix', socketPath: '/run/d.sock' },
    });
    expect(resolveEndpoint(agent, { map: {}, template: 'tcp://{ip}:2376', localNames: local })).toMatchObject({
      endpoint: { host: '10.0.0.5', port: 2376, source: 'template' },
    });
    expect(resolveEndpoint(agent, { template: 'ssh://core@{hostname}', localNames: local })).toMatchObject({
      endpoint: { kind: 'ssh', user: 'core', host: 'node-1' },
    });
    expect(resolveEndpoint({ ...agent, hostname: 'node-9' }, { localNames: local })).toMatchObject({
      endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock', source: 'local' },
    });
    expect(resolveEndpoint({ ...agent, hostname: 'node-9' }, { dockerHost: 'tcp://127.0.0.2:2375', localNames: local })).toMatchObject({
      endpoint: { host: '127.0.0.2' },
    });
  });

  it('an agent no source covers, a bad endpoint: a problem, not a throw', () => {
    expect(resolveEndpoint(agent, { localNames: local })).toEqual({ problem: expect.stringContaining('no Docker endpoint for agent node-1') });
    expect(resolveEndpoint(agent, { map: { 'node-1': 'ftp://x' }, localNames: local })).toEqual({ problem: expect.stringContaining('scheme ftp') });
    expect(resolveEndpoint({ id: 'S2', hostname: 'h' }, { template: 'tcp://{ip}:1', localNames: local })).toEqual({
      problem: expect.stringContaining('no known IP'),
    });
  });

  it('templates with unknown placeholders are rejected up front', () => {
    expect(() => checkTemplate('tcp://{host}:2376')).toThrow('unknown placeholder {host}');
    expect(() => checkTemplate('tcp://{ip:2376')).toThrow('unbalanced');
    expect(() => checkTemplate('tcp://{ip}:2376')).not.toThrow();
    expect(() => parseEngineUrl('unix://relative.sock', 'file')).toThrow('absolute socket path');
  });

  it('reads the IP from an agent pid', () => {
    expect(ipOfPid('slave(1)@10.0.0.5:5051')).toBe('10.0.0.5');
    expect(ipOfPid('nonsense')).toBeUndefined();
  });
});

describe('a Docker endpoint whose host or port cannot be right', () => {
  test('a placeholder left in a map value (or any brace in the host) is refused, not sent to some other machine', () => {
    expect(() => parseEngineUrl('tcp://{nope}:1', 'file')).toThrow(
      '"tcp://{nope}:1" has an invalid host "{nope}" (placeholders such as {ip} work in --docker-endpoint only)',
    );
    expect(() => parseEngineUrl('tcp://{ip}:2376', 'file')).toThrow(/invalid host "\{ip\}"/);
    expect(() => parseEngineUrl('ssh://core@{hostname}', 'file')).toThrow(/invalid host "\{hostname\}"/);
  });

  test('port 0 is refused', () => {
    expect(() => parseEngineUrl('tcp://10.0.0.5:0', 'file')).toThrow('"tcp://10.0.0.5:0" has port 0; name the port the engine listens on');
  });

  test('ordinary hosts still parse', () => {
    expect(parseEngineUrl('tcp://agent-1.example.com:2376', 'file')).toMatchObject({ host: 'agent-1.example.com', port: 2376 });
    expect(parseEngineUrl('tcp://[::1]:2375', 'file')).toMatchObject({ host: '::1', port: 2375 });
    expect(parseEngineUrl('ssh://core@10.0.0.5', 'file')).toMatchObject({ host: '10.0.0.5', user: 'core' });
  });
});
