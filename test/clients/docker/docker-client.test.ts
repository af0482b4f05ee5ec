/**
 * The Docker engine client against a real dockerd (started here, busybox imported): the kubelet
 * containers in one list, their env from inspect, 404 as "gone", stop/remove, 409 on removing a
 * running container, and an engine that does not answer as one typed error.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DockerEngine } from '../../../src/clients/docker/docker-client.js';
import { ClientError } from '../../../src/clients/errors.js';
import { parseEngineUrl } from '../../../src/core/orphans/endpoints.js';
import { DockerApi } from '../../stack/mesos-sim/docker-api.js';
import { startTestDockerEngine, type TestDockerEngine } from '../../stack/test-servers.js';

let dockerd: TestDockerEngine;
let raw: DockerApi;
let engine: DockerEngine;
const ids: Record<string, string> = {};

beforeAll(async () => {
  dockerd = await startTestDockerEngine(211);
  raw = new DockerApi({ socketPath: dockerd.socket });
  const make = async (key: string, name: string, env: string[], labels: Record<string, string>) => {
    ids[key] = await raw.createContainer(name, {
      Image: 'busybox:latest',
      Cmd: ['/bin/sleep', '600'],
      Env: env,
      Labels: labels,
      HostConfig: { NetworkMode: 'none' },
    });
    await raw.startContainer(ids[key]);
  };
  await make('pod', 'k8s_app.1a_web_team-a_u-1_0badf00d', ['MESOS_EXECUTOR_CONTAINER_UUID=cid-1'], { 'io.kubernetes.pod.uid': 'u-1' });
  await make('labelled', 'renamed', [], { 'io.kubernetes.pod.uid': 'u-2' });
  await make('other', 'not-kubelet', [], {});
  engine = await DockerEngine.connect({ endpoint: parseEngineUrl(dockerd.url.replace(/^http/, 'tcp'), 'template'), timeoutMs: 10000 });
}, 120000);

afterAll(async () => {
  await dockerd?.stop();
}, 60000);

describe('DockerEngine', () => {
  test('one list gives the kubelet containers only (k8s_ name or pod-uid label)', async () => {
    const list = await engine.listKubeletContainers();
    expect(list.map((c) => c.id).sort()).toEqual([ids['pod'], ids['labelled']].sort());
    expect(engine.counters.list).toBe(1);
    expect(list.every((c) => c.env === undefined && c.state === 'running')).toBe(true);
  });

  test('inspect returns the env; a container that is gone is undefined', async () => {
    const c = await engine.inspect(ids['pod']!);
    expect(c?.env).toContain('MESOS_EXECUTOR_CONTAINER_UUID=cid-1');
    expect(await engine.inspect('0123456789abcdef')).toBeUndefined();
  });

  test('removing a running container is a conflict; stop then remove works; a second stop is fine', async () => {
    await expect(engine.remove(ids['labelled']!)).rejects.toMatchObject({ kind: 'conflict', service: 'docker-engine', status: 409 });
    expect(await engine.stop(ids['labelled']!, 1)).toBe('stopped');
    expect(await engine.stop(ids['labelled']!, 1)).toBe('already-stopped');
    await engine.remove(ids['labelled']!);
    expect(await engine.inspect(ids['labelled']!)).toBeUndefined();
    await expect(engine.remove(ids['labelled']!)).rejects.toMatchObject({ kind: 'not-found' });
  }, 30000);

  test('an engine that does not answer is one typed error naming it', async () => {
    const down = await DockerEngine.connect({ endpoint: parseEngineUrl('tcp://127.0.0.1:9', 'template'), timeoutMs: 3000 });
    const err = await down.listKubeletContainers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ kind: 'unreachable', service: 'docker-engine' });
    expect((err as Error).message).toContain('tcp://127.0.0.1:9');
  });
});
