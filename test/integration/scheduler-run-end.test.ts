/**
 * How `scheduler run` ends when the master ends it, in-process (its HTTP endpoints listen on a free
 * port), with the fake Mesos client and apiserver port: a SUBSCRIBE refused for good and a framework
 * the master removed end with exit 1 and one last line saying what to do, and with
 * `--log-format json` every line on stderr is a JSON object, that last one included.
 */
import { ClientError } from '../../src/clients/errors.js';
import type { SchedulerApi } from '../../src/clients/mesos/scheduler-api.js';
import type { Factory } from '../../src/lib/factory.js';
import { fakeFactory } from '../cmd/fakes.js';
import { k8smctl } from '../cmd/harness.js';
import { FakeSchedulerClient, FakeSchedulerKube } from '../cmd/scheduler-fakes.js';
import { offerJson, podJson } from '../core/scheduler/helpers.js';
import { EXECUTOR_DEFAULTS, executorPrototype } from '../../src/core/scheduler/executor.js';

const BASE = ['scheduler', 'run', '--mesos-master', 'http://127.0.0.1:5050', '--port', '0', '--km-path', 'file:///opt/k8sm/km'];

function world(client: FakeSchedulerClient, kube = new FakeSchedulerKube()) {
  const f = fakeFactory();
  const factory: Factory = {
    ...f,
    schedulerClient: () => Promise.resolve(Object.assign(client, { close: () => undefined }) as SchedulerApi),
    schedulerKube: () => Promise.resolve(kube),
  };
  return factory;
}

function refusing(): FakeSchedulerClient {
  const client = new FakeSchedulerClient();
  client.subscribe = () =>
    Promise.reject(
      new ClientError({
        kind: 'unauthorized',
        reason: 'credentials-rejected',
        status: 401,
        service: 'mesos-master',
        message: 'Mesos master http://127.0.0.1:5050 answered 401 Unauthorized to SUBSCRIBE',
        details: { principal: 'k8sm' },
      }),
    );
  return client;
}

describe('scheduler run: the master ends it', () => {
  it('a SUBSCRIBE refused for good: exit 1 at once, one error line with what to change', async () => {
    const r = await k8smctl(BASE, { factory: world(refusing()) });
    expect(r.code).toBe(1);
    const last = r.stderr.trim().split('\n').at(-1);
    expect(last).toBe(
      'error: Mesos master http://127.0.0.1:5050 answered 401 Unauthorized to SUBSCRIBE; check --mesos-principal and the secret (--mesos-secret-file or $MESOS_SECRET)',
    );
  }, 60_000);

  it('with --log-format json every line is a JSON object, the last one the error and its hint', async () => {
    const r = await k8smctl([...BASE, '--log-format', 'json'], { factory: world(refusing()) });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.at(-1)).toMatchObject({ level: 'error', exitCode: 1, msg: expect.stringMatching(/401 Unauthorized to SUBSCRIBE; check --mesos-principal/) });
  }, 60_000);

  it('a framework the master removed: exit 1, the id no longer stored, and JSON lines only with --log-format json', async () => {
    const client = new FakeSchedulerClient();
    const kube = new FakeSchedulerKube();
    kube.configMaps.set('kube-system/k8sm-framework-kubernetes', { frameworkId: 'fw-gone', updated: new Date().toISOString() });
    const run = k8smctl([...BASE, '--log-format', 'json'], { factory: world(client, kube) });
    await client.until(() => client.sessions.length === 1, 'subscribed');
    const said = 'Framework has been removed';
    client.session.events$.fail(
      new ClientError({ kind: 'rejected', reason: 'framework-error', service: 'mesos-master', message: `ERROR: ${said}`, details: { message: said } }),
    );
    const r = await run;
    expect(r.code).toBe(1);
    const objects = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.at(-1)).toMatchObject({ level: 'error', msg: expect.stringMatching(/ended framework fw-gone.*run again to register a new framework/) });
    expect(kube.configMaps.size).toBe(0);
  }, 60_000);
});

describe('scheduler run: the executor it launches', () => {
  it("without --allow-privileged: km's --allow-privileged=false, so the executor id is the one km computes (and an executor running on the agents is reused)", async () => {
    const client = new FakeSchedulerClient();
    const kube = new FakeSchedulerKube([podJson({ name: 'a' })]);
    const ctl = new AbortController();
    const factory = { ...world(client, kube), signal: ctl.signal };
    const run = k8smctl(BASE, { factory });
    await client.until(() => client.sessions.length === 1, 'subscribed');
    client.session.events$.push({ type: 'OFFERS', offers: { offers: [offerJson({ id: 'o1', host: 'h1', cpus: 4 })] } });
    await client.until(() => client.calls.some((c) => c.type === 'ACCEPT'), 'a launch');
    ctl.abort('SIGTERM');
    const r = await run;
    expect(r.code).toBe(0);
    const accept = client.calls.find((c) => c.type === 'ACCEPT') as {
      accept: { operations: Array<{ launch: { task_infos: Array<{ executor: Record<string, any> }> } }> };
    };
    const executor = accept.accept.operations[0]!.launch.task_infos[0]!.executor;
    expect(executor.command.arguments).toContain('--allow-privileged=false');
    const km = executorPrototype({ ...EXECUTOR_DEFAULTS, kmPath: 'file:///opt/k8sm/km', apiServers: [], artifactBaseUrl: 'http://unused' });
    expect(executor.executor_id.value).toBe(km.id);
  }, 60_000);
});
