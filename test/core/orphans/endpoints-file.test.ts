import { parseEndpointsFile } from '../../../src/core/orphans/endpoints-file.js';

describe('the --docker-endpoints file', () => {
  test('a YAML or JSON map of agent to endpoint', () => {
    expect(parseEndpointsFile('agent-1: tcp://10.0.0.1:2376\nagent-2: unix:///run/docker.sock\n', 'e.yaml')).toEqual({
      'agent-1': 'tcp://10.0.0.1:2376',
      'agent-2': 'unix:///run/docker.sock',
    });
    expect(parseEndpointsFile('{"agent-1": "tcp://10.0.0.1:2376"}', 'e.json')).toEqual({ 'agent-1': 'tcp://10.0.0.1:2376' });
  });

  test('an agent listed twice is refused with its line (never the last one silently)', () => {
    expect(() => parseEndpointsFile('agent-1: tcp://10.0.0.1:2376\nagent-2: tcp://10.0.0.2:2376\nagent-1: tcp://10.0.0.9:2376\n', 'e.yaml')).toThrow(
      /^e\.yaml:3: not YAML or JSON: duplicated mapping key/,
    );
  });
});
