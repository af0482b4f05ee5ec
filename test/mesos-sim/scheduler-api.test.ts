/**
 * The simulator's v1 scheduler API (reference §2.5, §2.6) over real sockets, read as raw RecordIO:
 * SUBSCRIBE and its stream, offers per role in both resource formats, DECLINE filters, SUPPRESS and
 * REVIVE, ACCEPT checked as a master checks it, status updates resent until acknowledged,
 * RECONCILE, KILL, TEARDOWN, --offer_timeout, leader changes and the failover timeout, the errors of
 * `Master::Http::scheduler`, and /state staying consistent with all of it.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { startMesosSimulator, type MesosSimulator, type SimConfig } from '../../test/stack/mesos-sim/index.js';
import { api, getJson, raw } from './helpers/http-client.js';
import * as ref from './helpers/reference-shapes.js';
import { check } from './helpers/shape.js';
import { call, subscribe, type Event, type RawSubscription } from './helpers/scheduler-stream.js';

const fits = (value: unknown, spec: Parameters<typeof check>[1]) => expect(check(value, spec)).toEqual([]);

const sims: MesosSimulator[] = [];
const subs: RawSubscription[] = [];
afterEach(async () => {
  for (const s of subs.splice(0)) s.close();
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function start(config: Partial<SimConfig> = {}): Promise<MesosSimulator> {
  const s = await startMesosSimulator({
    agents: [
      { hostname: 'agent-1', resources: { cpus: 4, mem: 8192, ports: '[31000-31099]' }, attributes: { rack: 'r1', zone: 2 } },
      { hostname: 'agent-2', resources: { cpus: 2, mem: 4096, ports: '[31000-31009]' }, reserved: { public: { cpus: 1, mem: 1024, ports: '[31000-31004]' } } },
    ],
    schedulerApi: { heartbeatIntervalSeconds: 0.2, allocationIntervalMs: 50, statusRetrySeconds: 0.2, launch: 'state-only' },
    ...config,
  });
  sims.push(s);
  return s;
}

const INFO = { user: 'root', name: 'Kubernetes', failover_timeout: 60, checkpoint: true, hostname: 'sched-host' };

async function sub(url: string, info: Record<string, unknown> = INFO, extra: Record<string, unknown> = {}): Promise<RawSubscription> {
  const s = await subscribe(`${url}/api/v1/scheduler`, info, extra);
  subs.push(s);
  if (s.status === 200) await s.next('SUBSCRIBED');
  return s;
}

const fid = (s: RawSubscription) => s.events.find((e) => e.type === 'SUBSCRIBED')!.subscribed.framework_id.value as string;
const offersFor = (e: Event, hostname: string) => (e.offers.offers as any[]).filter((o) => o.hostname === hostname);
const scalar = (o: any, name: string) => (o.resources as any[]).filter((r) => r.name === name).reduce((n, r) => n + r.scalar.value, 0);

function taskInfo(
  id: string,
  agentId: string,
  resources: Array<{ name: string; value?: number; ports?: number[]; role?: string }>,
  extra: Record<string, unknown> = {},
) {
  return {
    name: `${id}.default.pod`,
    task_id: { value: id },
    agent_id: { value: agentId },
    resources: resources.map((r) =>
      r.ports
        ? { name: 'ports', type: 'RANGES', ranges: { range: r.ports.map((p) => ({ begin: p, end: p })) }, role: r.role ?? '*' }
        : { name: r.name, type: 'SCALAR', scalar: { value: r.value }, role: r.role ?? '*' },
    ),
    command: { value: 'sleep 1000' },
    ...extra,
  };
}

async function send(base: string, s: RawSubscription, c: Record<string, unknown>) {
  return call(`${base}/api/v1/scheduler`, s.streamId, { framework_id: { value: fid(s) }, ...c });
}

describe('SUBSCRIBE and offers', () => {
  test('answers 200 with a Mesos-Stream-Id and a RecordIO stream: SUBSCRIBED, OFFERS per agent and role, HEARTBEATs, all in the reference shapes', async () => {
    const sim = await start();
    const s = await sub(sim.leaderUrl()!);
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toBe('application/json');
    expect(s.streamId).toMatch(/^[0-9a-f-]{36}$/);
    const subscribed = s.events[0]!;
    fits(subscribed, ref.V1_SCHEDULER_EVENTS['SUBSCRIBED']!);
    expect(subscribed.subscribed.heartbeat_interval_seconds).toBe(0.2);
    const offers = await s.next('OFFERS');
    fits(offers, ref.V1_SCHEDULER_EVENTS['OFFERS']!);
    const [a1] = offersFor(offers, 'agent-1');
    expect(a1.allocation_info).toEqual({ role: '*' });
    expect(a1.framework_id.value).toBe(fid(s));
    expect(scalar(a1, 'cpus')).toBe(4);
    expect(a1.attributes).toEqual([
      { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
      { name: 'zone', type: 'SCALAR', scalar: { value: 2 } },
    ]);
    // A '*' framework gets only the unreserved part of agent-2.
    const [a2] = offersFor(offers, 'agent-2');
    expect(scalar(a2, 'cpus')).toBe(1);
    expect((a2.resources as any[]).every((r) => r.role === '*' && r.allocation_info.role === '*' && !('reservations' in r))).toBe(true);
    fits(await s.next('HEARTBEAT'), ref.V1_SCHEDULER_EVENTS['HEARTBEAT']!);

    // /state: the framework is there, active, with its offers and their resources.
    const st = await getJson(`${sim.leaderUrl()}/state`);
    fits(st, ref.MASTER_STATE);
    const f = st.frameworks.find((x: any) => x.id === fid(s));
    expect(f).toMatchObject({ name: 'Kubernetes', active: true, connected: true, hostname: 'sched-host', failover_timeout: 60, checkpoint: true });
    expect(f.offers.map((o: any) => o.id).sort()).toEqual((offers.offers.offers as any[]).map((o) => o.id.value).sort());
    expect(f.offered_resources.cpus).toBe(5);
  });

  test('a role gets its reservation and the unreserved rest; the legacy role form without RESERVATION_REFINEMENT, reservations with it', async () => {
    const sim = await start();
    const legacy = await sub(sim.leaderUrl()!, { ...INFO, name: 'legacy', roles: ['public'], capabilities: [{ type: 'MULTI_ROLE' }] });
    const [a2] = offersFor(await legacy.next('OFFERS', (e) => offersFor(e, 'agent-2').length > 0), 'agent-2');
    expect(a2.allocation_info).toEqual({ role: 'public' });
    expect(scalar(a2, 'cpus')).toBe(2);
    const reserved = (a2.resources as any[]).filter((r) => r.role === 'public');
    expect(reserved.map((r) => r.name).sort()).toEqual(['cpus', 'mem', 'ports']);
    expect(reserved.every((r) => !('reservations' in r) && r.allocation_info.role === 'public')).toBe(true);
    legacy.close();
    await legacy.ended;

    const sim2 = await start();
    const refined = await sub(sim2.leaderUrl()!, {
      ...INFO,
      name: 'refined',
      roles: ['public'],
      capabilities: [{ type: 'MULTI_ROLE' }, { type: 'RESERVATION_REFINEMENT' }],
    });
    const [b2] = offersFor(await refined.next('OFFERS', (e) => offersFor(e, 'agent-2').length > 0), 'agent-2');
    const res = b2.resources as any[];
    expect(res.filter((r) => r.reservations).every((r) => !('role' in r) && r.reservations[0].role === 'public' && r.reservations[0].type === 'STATIC')).toBe(
      true,
    );
    expect(res.filter((r) => !r.reservations).every((r) => !('role' in r))).toBe(true);
  });

  test('DECLINE holds the resources back for refuse_seconds, REVIVE clears that; SUPPRESS stops offers', async () => {
    const sim = await start();
    const base = sim.leaderUrl()!;
    const s = await sub(base);
    const first = await s.next('OFFERS');
    const all = (first.offers.offers as any[]).map((o) => ({ value: o.id.value }));
    expect((await send(base, s, { type: 'DECLINE', decline: { offer_ids: all, filters: { refuse_seconds: 3600 } } })).status).toBe(202);
    // Three more allocation passes (50 ms apart, heartbeats every 200 ms): no offer for the declined agents.
    await s.next('HEARTBEAT');
    await s.next('HEARTBEAT');
    expect(s.events.filter((e) => e.type === 'OFFERS')).toHaveLength(1);
    expect((await getJson(`${base}/state`)).frameworks[0].offers).toEqual([]);
    expect((await send(base, s, { type: 'REVIVE' })).status).toBe(202);
    const again = await s.next('OFFERS');
    expect((again.offers.offers as any[]).map((o) => o.hostname).sort()).toEqual(['agent-1', 'agent-2']);

    expect((await send(base, s, { type: 'SUPPRESS' })).status).toBe(202);
    const ids = (again.offers.offers as any[]).map((o) => ({ value: o.id.value }));
    expect((await send(base, s, { type: 'DECLINE', decline: { offer_ids: ids, filters: { refuse_seconds: 0 } } })).status).toBe(202);
    await s.next('HEARTBEAT');
    await s.next('HEARTBEAT');
    expect(s.events.filter((e) => e.type === 'OFFERS')).toHaveLength(2);
    await send(base, s, { type: 'REVIVE', revive: { roles: ['*'] } });
    await s.next('OFFERS');
  });

  test('--offer_timeout rescinds an offer the framework holds', async () => {
    const sim = await start({ schedulerApi: { heartbeatIntervalSeconds: 5, allocationIntervalMs: 50, offerTimeoutSeconds: 0.1, launch: 'state-only' } });
    const s = await sub(sim.leaderUrl()!);
    const offers = await s.next('OFFERS');
    const rescind = await s.next('RESCIND');
    fits(rescind, ref.V1_SCHEDULER_EVENTS['RESCIND']!);
    expect((offers.offers.offers as any[]).map((o) => o.id.value)).toContain(rescind.rescind.offer_id.value);
  });

  test('truncateStreams cuts each stream in the middle of a RecordIO record, then drops it; the framework is disconnected', async () => {
    const sim = await start({ schedulerApi: { heartbeatIntervalSeconds: 5, allocationIntervalMs: 60_000, launch: 'state-only' } });
    const body = JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: INFO } });
    const bytes: Buffer[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${sim.leaderUrl()!}/api/v1/scheduler`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.on('data', (c: Buffer) => {
          bytes.push(c);
          if (Buffer.concat(bytes).includes('"SUBSCRIBED"') && !(res as { cut?: boolean }).cut) {
            (res as { cut?: boolean }).cut = true;
            setTimeout(() => sim.schedulerApi.truncateStreams(), 50);
          }
        });
        res.on('close', () => resolve());
        res.on('error', () => resolve());
      });
      req.on('error', reject);
      req.end(body);
    });
    await ended;
    const text = Buffer.concat(bytes).toString('utf8');
    // whole records first, then a length prefix announcing more bytes than follow
    const tail = /(\d+)\n([^\n]*)$/.exec(text)!;
    expect(Number(tail[1])).toBeGreaterThan(Buffer.byteLength(tail[2]!));
    const fws = (await getJson(`${sim.leaderUrl()!}/master/frameworks`)) as { frameworks: Array<{ name: string; active: boolean }> };
    expect(fws.frameworks.find((f) => f.name === INFO.name)?.active).toBe(false);
  });

  test('silenceStreams: nothing on the stream (no heartbeat, no offer) for that long, the connection open; then it flows again', async () => {
    const sim = await start({ schedulerApi: { heartbeatIntervalSeconds: 0.1, allocationIntervalMs: 50, launch: 'state-only' } });
    const s = await sub(sim.leaderUrl()!);
    await s.next('HEARTBEAT');
    sim.schedulerApi.silenceStreams(600);
    const count = s.events.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(s.events.length).toBe(count);
    await s.next('HEARTBEAT', () => s.events.length > count);
    expect(s.events.length).toBeGreaterThan(count);
  });

  test('rescindOffers (a master taking offers back) sends RESCIND for every outstanding offer and offers the agents again', async () => {
    const sim = await start({ schedulerApi: { heartbeatIntervalSeconds: 5, allocationIntervalMs: 60_000, launch: 'state-only' } });
    const s = await sub(sim.leaderUrl()!);
    const offers = await s.next('OFFERS');
    const held = (offers.offers.offers as any[]).map((o) => o.id.value as string).sort();
    expect(sim.schedulerApi.rescindOffers().sort()).toEqual(held);
    const rescinded: string[] = [];
    for (let i = 0; i < held.length; i++) {
      const r = await s.next('RESCIND');
      fits(r, ref.V1_SCHEDULER_EVENTS['RESCIND']!);
      rescinded.push(r.rescind.offer_id.value);
    }
    expect(rescinded.sort()).toEqual(held);
    const again = await s.next('OFFERS');
    expect((again.offers.offers as any[]).map((o) => o.id.value).filter((id: string) => held.includes(id))).toEqual([]);
    expect(sim.schedulerApi.rescindOffers('another-framework')).toEqual([]);
  });
});

describe('ACCEPT, updates and acknowledgements', () => {
  test('a LAUNCH within the offer runs; its updates carry a uuid and come again until acknowledged; /state shows the task', async () => {
    const sim = await start();
    const base = sim.leaderUrl()!;
    const s = await sub(base);
    const offers = await s.next('OFFERS');
    const [o] = offersFor(offers, 'agent-1');
    const agentId = o.agent_id.value as string;
    const launch = taskInfo('pod.1', agentId, [
      { name: 'cpus', value: 0.5 },
      { name: 'mem', value: 64 },
      { name: 'ports', ports: [31005] },
    ]);
    const r = await send(base, s, {
      type: 'ACCEPT',
      accept: { offer_ids: [o.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [launch] } }], filters: { refuse_seconds: 0 } },
    });
    expect(r.status).toBe(202);
    const running = await s.next('UPDATE', (e) => e.update.status.state === 'TASK_RUNNING');
    fits(running, ref.V1_SCHEDULER_EVENTS['UPDATE']!);
    const status = running.update.status;
    expect(status).toMatchObject({ task_id: { value: 'pod.1' }, agent_id: { value: agentId }, source: 'SOURCE_EXECUTOR' });
    const again = await s.next('UPDATE', (e) => e.update.status.uuid === status.uuid);
    expect(again.update.status.state).toBe('TASK_RUNNING');
    expect(sim.schedulerApi.unacknowledged(fid(s))).toEqual({ 'pod.1': [status.uuid] });
    const ack = await send(base, s, { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: agentId }, task_id: { value: 'pod.1' }, uuid: status.uuid } });
    expect(ack.status).toBe(202);
    expect(sim.schedulerApi.unacknowledged(fid(s))).toEqual({});

    const st = await getJson(`${base}/state`);
    fits(st, ref.MASTER_STATE);
    const f = st.frameworks.find((x: any) => x.id === fid(s));
    expect(f.tasks.map((t: any) => [t.id, t.state, t.resources.ports])).toEqual([['pod.1', 'TASK_RUNNING', '[31005-31005]']]);
    expect(f.used_resources.cpus).toBe(0.5);
    // The unused rest of the offer comes back (refuse_seconds 0), without the task's resources.
    const next = await s.next('OFFERS', (e) => offersFor(e, 'agent-1').length > 0);
    expect(scalar(offersFor(next, 'agent-1')[0], 'cpus')).toBe(3.5);
  });

  test('the operator API and /master/frameworks show the same framework, offers and task, in their reference shapes', async () => {
    const sim = await start();
    const base = sim.leaderUrl()!;
    const s = await sub(base, { ...INFO, roles: ['public', 'web'], capabilities: [{ type: 'MULTI_ROLE' }] });
    const offers = await s.next('OFFERS');
    const [o] = offersFor(offers, 'agent-1');
    await send(base, s, {
      type: 'ACCEPT',
      accept: { offer_ids: [o.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [taskInfo('t1', o.agent_id.value, [{ name: 'cpus', value: 1 }])] } }] },
    });
    await s.next('UPDATE', (e) => e.update.status.state === 'TASK_RUNNING');
    const state = JSON.parse((await api(`${base}/api/v1`, { type: 'GET_STATE' })).body);
    fits(state, ref.v1Response('GET_STATE', ref.V1_GET_STATE));
    const fw = state.get_state.get_frameworks.frameworks[0];
    expect(fw.framework_info).toMatchObject({ id: { value: fid(s) }, name: 'Kubernetes', roles: ['public', 'web'], capabilities: [{ type: 'MULTI_ROLE' }] });
    expect(fw).toMatchObject({ active: true, connected: true });
    const outstanding = (fw.offers ?? []).map((x: any) => x.id.value).sort();
    const frameworks = await getJson(`${base}/master/frameworks`);
    fits(frameworks, ref.MASTER_FRAMEWORKS);
    expect(frameworks.frameworks[0].offers.map((x: any) => x.id).sort()).toEqual(outstanding);
    expect(frameworks.frameworks[0]).not.toHaveProperty('pid');
    expect(state.get_state.get_tasks.tasks.map((t: any) => [t.task_id.value, t.state, t.framework_id.value])).toEqual([['t1', 'TASK_RUNNING', fid(s)]]);
  });

  test('an offer used twice, unknown, or of another agent drops the tasks (TASK_LOST, or TASK_DROPPED when PARTITION_AWARE) with REASON_INVALID_OFFERS and no uuid', async () => {
    const sim = await start();
    const base = sim.leaderUrl()!;
    const s = await sub(base, { ...INFO, capabilities: [{ type: 'PARTITION_AWARE' }] });
    const offers = await s.next('OFFERS');
    const [o1] = offersFor(offers, 'agent-1');
    const [o2] = offersFor(offers, 'agent-2');
    const agentId = o1.agent_id.value as string;
    const t = (id: string) =>
      taskInfo(id, agentId, [
        { name: 'cpus', value: 0.1 },
        { name: 'mem', value: 32 },
      ]);
    await send(base, s, { type: 'ACCEPT', accept: { offer_ids: [o1.id, o2.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [t('two-agents')] } }] } });
    const dropped = await s.next('UPDATE', (e) => e.update.status.task_id.value === 'two-agents');
    fits(dropped, ref.V1_SCHEDULER_EVENTS['UPDATE']!);
    expect(dropped.update.status).toMatchObject({ state: 'TASK_DROPPED', source: 'SOURCE_MASTER', reason: 'REASON_INVALID_OFFERS' });
    expect(dropped.update.status.message).toContain('one single agent');
    expect(dropped.update.status.uuid).toBeUndefined();
    // Both offers are gone now: using one again is using an invalid offer.
    await send(base, s, { type: 'ACCEPT', accept: { offer_ids: [o1.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [t('reused')] } }] } });
    const reused = await s.next('UPDATE', (e) => e.update.status.task_id.value === 'reused');
    expect(reused.update.status).toMatchObject({ state: 'TASK_DROPPED', reason: 'REASON_INVALID_OFFERS' });
    expect(reused.update.status.message).toContain('no longer valid');
    expect((await getJson(`${base}/state`)).frameworks[0].tasks).toEqual([]);
  });

  test('a task asking more than the offer holds, or a duplicate task id, gets TASK_ERROR (REASON_TASK_INVALID) while its siblings run', async () => {
    const sim = await start();
    const base = sim.leaderUrl()!;
    const s = await sub(base);
    const [o] = offersFor(await s.next('OFFERS'), 'agent-2');
    const agentId = o.agent_id.value as string;
    const infos = [
      taskInfo('fits', agentId, [
        { name: 'cpus', value: 1 },
        { name: 'mem', value: 512 },
      ]),
      taskInfo('too-big', agentId, [
        { name: 'cpus', value: 1 },
        { name: 'mem', value: 64 },
      ]),
      taskInfo('reserved-port', agentId, [
        { name: 'cpus', value: 0.1 },
        { name: 'mem', value: 32 },
        { name: 'ports', ports: [31001] },
      ]),
      taskInfo('fits', agentId, [
        { name: 'cpus', value: 0 },
        { name: 'mem', value: 32 },
      ]),
    ];
    await send(base, s, { type: 'ACCEPT', accept: { offer_ids: [o.id], operations: [{ type: 'LAUNCH', launch: { task_infos: infos } }] } });
    const errors: Record<string, any> = {};
    for (let i = 0; i < 3; i++) {
      const e = await s.next('UPDATE', (x) => x.update.status.state === 'TASK_ERROR');
      errors[e.update.status.task_id.value] = e.update.status;
    }
    expect(Object.keys(errors).sort()).toEqual(['fits', 'reserved-port', 'too-big']);
    expect(errors['too-big']).toMatchObject({ source: 'SOURCE_MASTER', reason: 'REASON_TASK_INVALID' });
    expect(errors['too-big'].message).toMatch(/^Task uses more resources .*cpus\(\*\):1.* than available /);
    expect(errors['reserved-port'].message).toContain('ports(*):[31001-31001]');
    expect(errors['fits'].message).toBe('Task has duplicate ID: fits');
    expect((await s.next('UPDATE', (x) => x.update.status.task_id.value === 'fits' && x.update.status.state === 'TASK_RUNNING')).update.status.uuid).toEqual(
      expect.any(String),
    );
  });

  test('a task naming an executor already on the agent with another ExecutorInfo (resources, command) gets TASK_ERROR; the same ExecutorInfo runs', async () => {
    const sim = await start();
    const base = sim.leaderUrl()!;
    const s = await sub(base);
    const [o] = offersFor(await s.next('OFFERS'), 'agent-1');
    const agentId = o.agent_id.value as string;
    const execRes = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.25 }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: 128 }, role: '*' },
    ];
    const executor = { executor_id: { value: 'e1_k8sm-executor' }, name: 'Kubelet-Executor', source: 'kubernetes', command: { value: './km', shell: false } };
    const onExecutor = (id: string, exec: Record<string, unknown>) => ({
      ...taskInfo(id, agentId, [
        { name: 'cpus', value: 0.5 },
        { name: 'mem', value: 64 },
      ]),
      command: undefined,
      executor: exec,
    });
    await send(base, s, {
      type: 'ACCEPT',
      accept: { offer_ids: [o.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [onExecutor('first', { ...executor, resources: execRes })] } }] },
    });
    await s.next('UPDATE', (x) => x.update.status.task_id.value === 'first' && x.update.status.state === 'TASK_RUNNING');
    const [o2] = offersFor(await s.next('OFFERS', (e) => offersFor(e, 'agent-1').length > 0), 'agent-1');
    expect(o2.executor_ids).toEqual([{ value: 'e1_k8sm-executor' }]);
    const infos = [
      onExecutor('no-resources', { ...executor, resources: [] }),
      onExecutor('other-command', { ...executor, command: { value: './km2', shell: false }, resources: execRes }),
      onExecutor('same', { ...executor, resources: [...execRes].reverse() }),
    ];
    await send(base, s, { type: 'ACCEPT', accept: { offer_ids: [o2.id], operations: [{ type: 'LAUNCH', launch: { task_infos: infos } }] } });
    const errors: Record<string, any> = {};
    for (let i = 0; i < 2; i++) {
      const e = await s.next('UPDATE', (x) => x.update.status.state === 'TASK_ERROR');
      errors[e.update.status.task_id.value] = e.update.status;
    }
    expect(Object.keys(errors).sort()).toEqual(['no-resources', 'other-command']);
    expect(errors['no-resources']).toMatchObject({ source: 'SOURCE_MASTER', reason: 'REASON_TASK_INVALID' });
    expect(errors['no-resources'].message).toBe('ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID (resources differ)');
    expect(errors['other-command'].message).toBe('ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID (command differ)');
    await s.next('UPDATE', (x) => x.update.status.task_id.value === 'same' && x.update.status.state === 'TASK_RUNNING');
    const fw = (await getJson(`${base}/state`)).frameworks[0];
    expect(fw.tasks.map((t: any) => t.id).sort()).toEqual(['first', 'same']);
    expect(fw.executors.map((e: any) => [e.executor_id, e.resources.mem])).toEqual([['e1_k8sm-executor', 128]]);
  });

  test('RECONCILE answers from the master without uuid (explicit, unknown, implicit); KILL kills, or answers TASK_LOST for an unknown task', async () => {
    const sim = await start();
    const base = sim.leaderUrl()!;
    const s = await sub(base);
    const [o] = offersFor(await s.next('OFFERS'), 'agent-1');
    const agentId = o.agent_id.value as string;
    await send(base, s, {
      type: 'ACCEPT',
      accept: {
        offer_ids: [o.id],
        operations: [
          {
            type: 'LAUNCH',
            launch: {
              task_infos: [
                taskInfo('t1', agentId, [
                  { name: 'cpus', value: 1 },
                  { name: 'mem', value: 32 },
                ]),
              ],
            },
          },
        ],
      },
    });
    const running = await s.next('UPDATE', (e) => e.update.status.state === 'TASK_RUNNING');
    await send(base, s, {
      type: 'RECONCILE',
      reconcile: { tasks: [{ task_id: { value: 't1' } }, { task_id: { value: 'nope' }, agent_id: { value: agentId } }] },
    });
    const known = await s.next('UPDATE', (e) => e.update.status.reason === 'REASON_RECONCILIATION' && e.update.status.task_id.value === 't1');
    fits(known, ref.V1_SCHEDULER_EVENTS['UPDATE']!);
    expect(known.update.status).toMatchObject({ state: 'TASK_RUNNING', source: 'SOURCE_MASTER' });
    expect(known.update.status.uuid).toBeUndefined();
    const unknown = await s.next('UPDATE', (e) => e.update.status.task_id.value === 'nope');
    expect(unknown.update.status).toMatchObject({ state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION', agent_id: { value: agentId } });
    expect(unknown.update.status.uuid).toBeUndefined();
    await send(base, s, { type: 'RECONCILE', reconcile: { tasks: [] } });
    const implicit = await s.next('UPDATE', (e) => e.update.status.reason === 'REASON_RECONCILIATION' && e.update.status.task_id.value === 't1');
    expect(implicit.update.status.state).toBe('TASK_RUNNING');

    await send(base, s, { type: 'KILL', kill: { task_id: { value: 't1' }, agent_id: { value: agentId } } });
    // The agent sends a task's next update once the previous one is acknowledged.
    expect(sim.schedulerApi.unacknowledged(fid(s))).toEqual({ t1: [running.update.status.uuid, expect.any(String)] });
    await send(base, s, { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: agentId }, task_id: { value: 't1' }, uuid: running.update.status.uuid } });
    const killed = await s.next('UPDATE', (e) => e.update.status.state === 'TASK_KILLED');
    expect(killed.update.status).toMatchObject({ task_id: { value: 't1' }, source: 'SOURCE_EXECUTOR', message: 'pod-deleted', uuid: expect.any(String) });
    await send(base, s, { type: 'KILL', kill: { task_id: { value: 'ghost' } } });
    const lost = await s.next('UPDATE', (e) => e.update.status.task_id.value === 'ghost');
    expect(lost.update.status).toMatchObject({ state: 'TASK_LOST', source: 'SOURCE_MASTER' });
    expect(lost.update.status.uuid).toBeUndefined();
    const st = await getJson(`${base}/state`);
    expect(st.frameworks[0].completed_tasks.map((t: any) => [t.id, t.state])).toEqual([['t1', 'TASK_KILLED']]);
  });
});

describe('errors, teardown, leader changes and failover', () => {
  test('calls are refused as Master::Http::scheduler refuses them', async () => {
    const sim = await start();
    const base = sim.leaderUrl()!;
    const url = `${base}/api/v1/scheduler`;
    expect((await raw(url)).status).toBe(405);
    expect((await raw(url, { method: 'POST', body: '{}' })).status).toBe(400);
    const notJson = await raw(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatch(/^Failed to parse body into JSON/);
    expect((await call(url, 'x', { type: 'NOPE', framework_id: { value: 'f' } })).body).toContain("Failed to find enum for 'NOPE'");
    expect((await call(url, 'x', { type: 'REVIVE', framework_id: { value: 'unknown' } })).status).toBe(403);
    const s = await sub(base);
    const noStream = await call(url, undefined, { type: 'REVIVE', framework_id: { value: fid(s) } });
    expect([noStream.status, noStream.body]).toEqual([400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header"]);
    const wrong = await call(url, 'not-the-stream', { type: 'REVIVE', framework_id: { value: fid(s) } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain("didn't match the stream ID");
    const ackNoUuid = await send(base, s, { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' } } });
    expect(ackNoUuid.status).toBe(400);
  });

  test('TEARDOWN removes the framework, kills its tasks and ends the stream; its calls then get 403', async () => {
    const sim = await start();
    const base = sim.leaderUrl()!;
    const s = await sub(base);
    const [o] = offersFor(await s.next('OFFERS'), 'agent-1');
    await send(base, s, {
      type: 'ACCEPT',
      accept: {
        offer_ids: [o.id],
        operations: [
          {
            type: 'LAUNCH',
            launch: {
              task_infos: [
                taskInfo('t1', o.agent_id.value, [
                  { name: 'cpus', value: 1 },
                  { name: 'mem', value: 32 },
                ]),
              ],
            },
          },
        ],
      },
    });
    await s.next('UPDATE', (e) => e.update.status.state === 'TASK_RUNNING');
    expect((await send(base, s, { type: 'TEARDOWN' })).status).toBe(202);
    await s.ended;
    const st = await getJson(`${base}/state`);
    expect(st.frameworks).toEqual([]);
    expect(st.completed_frameworks.map((f: any) => [f.id, f.completed_tasks[0].state])).toEqual([[fid(s), 'TASK_KILLED']]);
    expect((await send(base, s, { type: 'REVIVE' })).status).toBe(403);
  });

  test('a leader change breaks the stream; the framework waits inactive and resubscribes through a standby (307) with its id; unacknowledged updates come again', async () => {
    const sim = await start({ masters: 2 });
    const s = await sub(sim.masters[0]!.url, { ...INFO, failover_timeout: 3600 });
    const [o] = offersFor(await s.next('OFFERS'), 'agent-1');
    await send(sim.masters[0]!.url, s, {
      type: 'ACCEPT',
      accept: {
        offer_ids: [o.id],
        operations: [
          {
            type: 'LAUNCH',
            launch: {
              task_infos: [
                taskInfo('t1', o.agent_id.value, [
                  { name: 'cpus', value: 1 },
                  { name: 'mem', value: 32 },
                ]),
              ],
            },
          },
        ],
      },
    });
    const running = await s.next('UPDATE', (e) => e.update.status.state === 'TASK_RUNNING');
    await sim.setLeader(1);
    await s.ended;
    const st = await getJson(`${sim.masters[1]!.url}/state`);
    expect(st.frameworks[0]).toMatchObject({ id: fid(s), active: false, connected: false, offers: [] });
    expect(st.frameworks[0].tasks.map((t: any) => t.state)).toEqual(['TASK_RUNNING']);

    const again = await sub(sim.masters[0]!.url, { ...INFO, failover_timeout: 3600, id: { value: fid(s) } });
    expect(again.url).toBe(`${sim.masters[1]!.url}/api/v1/scheduler`);
    expect(fid(again)).toBe(fid(s));
    expect(again.streamId).not.toBe(s.streamId);
    const resent = await again.next('UPDATE');
    expect(resent.update.status.uuid).toBe(running.update.status.uuid);
    expect((await getJson(`${sim.masters[1]!.url}/state`)).frameworks[0]).toMatchObject({ active: true, connected: true });
  });

  test('an agent removed: its offers rescinded, FAILURE, its tasks TASK_LOST (TASK_UNREACHABLE when PARTITION_AWARE)', async () => {
    const sim = await start();
    const base = sim.leaderUrl()!;
    const plain = await sub(base);
    const aware = await sub(base, { ...INFO, name: 'aware', capabilities: [{ type: 'PARTITION_AWARE' }] });
    const launch = async (s: RawSubscription, id: string) => {
      const [o] = offersFor(await s.next('OFFERS', (e) => offersFor(e, 'agent-1').length > 0), 'agent-1');
      await send(base, s, {
        type: 'ACCEPT',
        accept: {
          offer_ids: [o.id],
          operations: [
            {
              type: 'LAUNCH',
              launch: {
                task_infos: [
                  taskInfo(id, o.agent_id.value, [{ name: 'cpus', value: 1 }], {
                    command: undefined,
                    executor: { executor_id: { value: `e-${id}` }, command: { value: 'x' } },
                  }),
                ],
              },
            },
          ],
          filters: { refuse_seconds: 3600 },
        },
      });
      const running = await s.next('UPDATE', (e) => e.update.status.task_id.value === id && e.update.status.state === 'TASK_RUNNING');
      await send(base, s, { type: 'ACKNOWLEDGE', acknowledge: { agent_id: o.agent_id, task_id: { value: id }, uuid: running.update.status.uuid } });
      return o.agent_id.value as string;
    };
    const agentId = await launch(plain, 'p1');
    await launch(aware, 'a1');
    await send(base, plain, { type: 'REVIVE' });
    const held = (await plain.next('OFFERS', (e) => offersFor(e, 'agent-1').length > 0)).offers.offers.find((o: any) => o.hostname === 'agent-1');
    await sim.removeAgent('agent-1');
    const rescind = await plain.next('RESCIND', (e) => e.rescind.offer_id.value === held.id.value);
    fits(rescind, ref.V1_SCHEDULER_EVENTS['RESCIND']!);
    const failure = await plain.next('FAILURE');
    fits(failure, ref.V1_SCHEDULER_EVENTS['FAILURE']!);
    expect(failure.failure.agent_id.value).toBe(agentId);
    const lost = await plain.next('UPDATE', (e) => e.update.status.task_id.value === 'p1' && e.update.status.state !== 'TASK_RUNNING');
    expect(lost.update.status).toMatchObject({ state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED' });
    const unreachable = await aware.next('UPDATE', (e) => e.update.status.task_id.value === 'a1' && e.update.status.state !== 'TASK_RUNNING');
    expect(unreachable.update.status.state).toBe('TASK_UNREACHABLE');
  });

  test('a framework that does not come back within its failover_timeout is torn down', async () => {
    const sim = await start();
    const s = await sub(sim.leaderUrl()!, { ...INFO, failover_timeout: 0.2 });
    await s.next('OFFERS');
    sim.schedulerApi.breakStreams();
    await s.ended;
    const inactive = await getJson(`${sim.leaderUrl()}/state`);
    expect(inactive.frameworks[0]).toMatchObject({ active: false, connected: false });
    for (let i = 0; i < 100; i++) {
      const st = await getJson(`${sim.leaderUrl()}/state`);
      if (st.completed_frameworks.length) {
        expect(st.completed_frameworks[0].id).toBe(fid(s));
        expect(st.frameworks).toEqual([]);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the framework was never torn down');
  });
});
