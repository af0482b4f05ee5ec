/**
 * The v1 scheduler API client (src/clients/mesos/scheduler-api.ts) against the Mesos simulator's
 * scheduler API (leader search through a dead master and a standby's 307, TLS with basic auth,
 * ZooKeeper, calls, acknowledgements, leader change and resubscription, teardown), and against
 * small servers for the stream's failures the simulator does not produce (silence, ERROR, bad
 * RecordIO, a stream that ends).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientError } from '../../../src/clients/errors.js';
import { CALL_CONNECTIONS, connectScheduler, type SchedulerApi, type SchedulerSession, type V1Event } from '../../../src/clients/mesos/scheduler-api.js';
import {
  acceptCall,
  acknowledgeCall,
  declineCall,
  needsAcknowledge,
  reconcileCall,
  reviveCall,
  teardownCall,
} from '../../../src/core/mesos/scheduler-calls.js';
import { startMesosSimulator, type MesosSimulator, type SimConfig } from '../../stack/mesos-sim/index.js';
import { freePort } from '../../stack/net.js';
import { makePki } from '../../stack/pki.js';
import { startTestZooKeeper, type TestZooKeeper } from '../../stack/test-servers.js';
import { startFakeServer, type FakeServer } from './fake-server.js';

const sims: MesosSimulator[] = [];
const clients: SchedulerApi[] = [];
const sessions: SchedulerSession[] = [];
const fakes: FakeServer[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) s.close();
  for (const c of clients.splice(0)) c.close();
  await Promise.all([...sims.splice(0).map((s) => s.close()), ...fakes.splice(0).map((f) => f.close())]);
});

async function sim(config: Partial<SimConfig> = {}): Promise<MesosSimulator> {
  const s = await startMesosSimulator({
    agents: [
      { hostname: 'agent-1', resources: { cpus: 4, mem: 8192, ports: '[31000-31099]' } },
      { hostname: 'agent-2', resources: { cpus: 2, mem: 4096 } },
    ],
    schedulerApi: { heartbeatIntervalSeconds: 0.2, allocationIntervalMs: 50, statusRetrySeconds: 0.3, launch: 'state-only' },
    ...config,
  });
  sims.push(s);
  return s;
}

function client(master: string, extra: Partial<Parameters<typeof connectScheduler>[0]> = {}): SchedulerApi {
  const c = connectScheduler({ master, retryBackoffMs: 10, requestTimeoutMs: 3000, ...extra });
  clients.push(c);
  return c;
}

const INFO = { user: 'root', name: 'Kubernetes', failover_timeout: 3600, checkpoint: true };

async function subscribe(c: SchedulerApi, info: Record<string, unknown> = INFO): Promise<SchedulerSession> {
  const s = await c.subscribe({ frameworkInfo: info });
  sessions.push(s);
  return s;
}

/** Reads events until one matches; the iterator stays usable for the next call. */
async function until(it: AsyncIterator<V1Event>, pred: (e: V1Event) => boolean): Promise<V1Event> {
  for (;;) {
    const r = await it.next();
    if (r.done) throw new Error('the events ended');
    if (pred(r.value)) return r.value;
  }
}

async function failure(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClientError) return e;
    throw e;
  }
  throw new Error('expected a ClientError');
}

function taskInfo(id: string, agentId: string) {
  return {
    name: `${id}.default.pod`,
    task_id: { value: id },
    agent_id: { value: agentId },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: 64 }, role: '*' },
    ],
    command: { value: 'sleep 100' },
  };
}

describe('against the simulator', () => {
  it('finds the leader past a dead master and a standby, subscribes, launches, acknowledges, reconciles', async () => {
    const s = await sim({ masters: 2 });
    await s.setLeader(1);
    const dead = `http://127.0.0.1:${await freePort()}`;
    const c = client(`${dead},${s.masters[0]!.url}`);
    const session = await subscribe(c);
    expect(session.leader).toBe(s.masters[1]!.url);
    expect(session.frameworkId).toBe([...s.state.frameworks.keys()][0]);
    expect(session.streamId).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.heartbeatIntervalSeconds).toBe(0.2);

    const it = session.events()[Symbol.asyncIterator]();
    const offers = await until(it, (e) => e.type === 'OFFERS');
    const all = offers.offers!.offers as Array<{ id: { value: string }; hostname: string; agent_id: { value: string } }>;
    const o1 = all.find((o) => o.hostname === 'agent-1')!;
    const others = all.filter((o) => o !== o1).map((o) => o.id.value);
    await session.call(declineCall(others, 3600));
    await session.call(acceptCall([o1.id.value], [taskInfo('pod.1', o1.agent_id.value)], 3600));
    const running = await until(it, (e) => e.type === 'UPDATE' && e.update!.status.state === 'TASK_RUNNING');
    const status = running.update!.status;
    expect(needsAcknowledge(status)).toBe(true);
    await session.call(acknowledgeCall(status));
    expect(s.schedulerApi.unacknowledged(session.frameworkId)).toEqual({});

    await session.call(reconcileCall([{ taskId: 'pod.1' }]));
    const answer = await until(it, (e) => e.type === 'UPDATE' && e.update!.status.reason === 'REASON_RECONCILIATION');
    expect(answer.update!.status).toMatchObject({ task_id: { value: 'pod.1' }, state: 'TASK_RUNNING', source: 'SOURCE_MASTER' });
    expect(needsAcknowledge(answer.update!.status)).toBe(false);
    expect(() => acknowledgeCall(answer.update!.status)).toThrow('has no uuid: it must not be acknowledged');
    // HEARTBEATs are events too.
    await until(it, (e) => e.type === 'HEARTBEAT');
  });

  it('a leader change ends the events with a retryable ClientError; resubscribing with the id keeps the framework; calls on the old stream are refused', async () => {
    const s = await sim({ masters: 2 });
    const c = client(`${s.masters[0]!.url},${s.masters[1]!.url}`);
    const first = await subscribe(c);
    const it = first.events()[Symbol.asyncIterator]();
    await until(it, (e) => e.type === 'OFFERS');
    await s.setLeader(1);
    const broken = await failure(until(it, () => false));
    expect(broken).toMatchObject({ kind: 'truncated', reason: 'stream-ended', service: 'mesos-master', retryable: true });
    expect(broken.message).toBe(`Mesos master ${s.masters[0]!.url} ended the subscription stream`);

    const stale = await failure(first.call(reviveCall()));
    expect(stale).toMatchObject({ kind: 'no-leader', reason: 'not-leader', status: 307 });

    const again = await subscribe(c, { ...INFO, id: { value: first.frameworkId } });
    expect(again.frameworkId).toBe(first.frameworkId);
    expect(again.leader).toBe(s.masters[1]!.url);
    expect(again.streamId).not.toBe(first.streamId);
    await again.call(reviveCall());
    expect(s.state.framework(first.frameworkId)).toMatchObject({ active: true, connected: true });
  });

  it('TEARDOWN ends the subscription; later calls get 403 as stream-invalid; close() ends the events without an error', async () => {
    const s = await sim();
    const c = client(s.leaderUrl()!);
    const session = await subscribe(c);
    await session.call(teardownCall());
    const ended = await failure(until(session.events()[Symbol.asyncIterator](), () => false));
    expect(ended.reason).toBe('stream-ended');
    const refused = await failure(session.call(reviveCall()));
    expect(refused).toMatchObject({ kind: 'forbidden', reason: 'stream-invalid', status: 403, retryable: true });
    expect(refused.message).toBe(`Mesos master ${s.leaderUrl()} answered 403 Forbidden to REVIVE: Framework cannot be found`);

    const other = await subscribe(c, { ...INFO, name: 'other' });
    const it = other.events()[Symbol.asyncIterator]();
    await until(it, (e) => e.type === 'HEARTBEAT');
    other.close();
    await expect(it.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('a bad call is rejected with the master message (400); a call on a stream a newer subscription replaced is stream-invalid', async () => {
    const s = await sim();
    const c = client(s.leaderUrl()!);
    const old = await subscribe(c);
    const session = await subscribe(c, { ...INFO, id: { value: old.frameworkId } });
    const replaced = await failure(old.call(reviveCall()));
    expect(replaced).toMatchObject({ kind: 'rejected', reason: 'stream-invalid', status: 400, retryable: true });
    await session.call(reviveCall());
    const bad = await failure(session.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' } } }));
    expect(bad).toMatchObject({ kind: 'rejected', reason: 'bad-call', status: 400 });
    expect(bad.message).toContain('Missing required fields: acknowledge.uuid');
  });

  it('subscribes over TLS with basic auth, and says so when the credentials are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8smctl-sched-tls-'));
    try {
      const pki = await makePki(join(dir, 'pki'), []);
      const s = await sim({
        tls: { cert: readFileSync(pki.mesosCert, 'utf8'), key: readFileSync(pki.mesosKey, 'utf8') },
        auth: { principal: 'k8sm', secret: 'sched-secret-1' },
      });
      const caPem = readFileSync(pki.caCert);
      const ok = await subscribe(client(s.leaderUrl()!, { principal: 'k8sm', secret: 'sched-secret-1', caPem }));
      expect(ok.leader).toMatch(/^https:/);
      await ok.call(reviveCall());
      const denied = await failure(client(s.leaderUrl()!, { principal: 'k8sm', secret: 'wrong-secret-2', caPem }).subscribe({ frameworkInfo: INFO }));
      expect(denied).toMatchObject({
        kind: 'unauthorized',
        reason: 'credentials-rejected',
        status: 401,
        service: 'mesos-master',
        details: { principal: 'k8sm' },
      });
      const none = await failure(client(s.leaderUrl()!, { caPem }).subscribe({ frameworkInfo: INFO }));
      expect(none).toMatchObject({ kind: 'unauthorized', reason: 'credentials-missing', status: 401 });
      expect(JSON.stringify(denied) + denied.message + String(denied.stack)).not.toContain('wrong-secret-2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('through ZooKeeper', () => {
  let zk: TestZooKeeper;
  beforeAll(async () => {
    zk = await startTestZooKeeper();
  }, 60_000);
  afterAll(async () => {
    await zk?.stop();
  });

  it('zk:// subscribes at the leader ZooKeeper names', async () => {
    const s = await sim({ masters: 2, zk: { connect: zk.connect, path: '/mesos-sched' } });
    await s.setLeader(1);
    const session = await subscribe(client(`zk://${zk.connect}/mesos-sched`));
    expect(session.leader).toBe(s.masters[1]!.url);
  });
});

/** A master that answers SUBSCRIBE with these bytes (then keeps the stream open unless `end`). */
async function fakeMaster(records: Array<string | Buffer>, opts: { end?: boolean; status?: number; streamId?: boolean } = {}): Promise<FakeServer> {
  const f = await startFakeServer((_req, res) => {
    res.writeHead(opts.status ?? 200, { 'Content-Type': 'application/json', ...(opts.streamId === false ? {} : { 'Mesos-Stream-Id': 'stream-1' }) });
    for (const r of records) res.write(typeof r === 'string' ? `${Buffer.byteLength(r)}\n${r}` : r);
    if (opts.end) res.end();
  });
  fakes.push(f);
  return f;
}

const SUBSCRIBED = JSON.stringify({ type: 'SUBSCRIBED', subscribed: { framework_id: { value: 'fw-1' }, heartbeat_interval_seconds: 0.05 } });

describe('calls', () => {
  it(`acknowledgements go over at most ${CALL_CONNECTIONS} connections however many are sent at once, and other calls do not wait behind them`, async () => {
    const connections = new Set<number | undefined>();
    const f = await startFakeServer((req, res) => {
      connections.add(req.socket.remotePort);
      if (req.headers['mesos-stream-id'] === undefined) {
        // SUBSCRIBE: the stream stays open
        res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': 'stream-1' });
        res.write(`${Buffer.byteLength(SUBSCRIBED)}\n${SUBSCRIBED}`);
        return;
      }
      setTimeout(() => {
        res.writeHead(202);
        res.end();
      }, 50);
    });
    fakes.push(f);
    const session = await subscribe(client(f.url));
    const status = { task_id: { value: 'pod.1' }, agent_id: { value: 'a1' }, state: 'TASK_RUNNING', uuid: 'dTE=' };
    let acked = 0;
    const acks = Array.from({ length: 300 }, () => session.call(acknowledgeCall(status)).then(() => acked++));
    // an answer to offers does not wait behind the acknowledgements
    await session.call(declineCall(['o1'], 5));
    expect(acked).toBeLessThan(300);
    await Promise.all(acks);
    expect(f.requests.filter((r) => r.method === 'POST')).toHaveLength(302);
    // the subscription's connection, at most CALL_CONNECTIONS for the acknowledgements, one for the DECLINE
    expect(connections.size).toBeLessThanOrEqual(CALL_CONNECTIONS + 2);
    expect(f.maxConcurrent).toBeLessThanOrEqual(CALL_CONNECTIONS + 2);
    session.close();
  });
});

describe('stream failures', () => {
  it('fails with timeout/heartbeat after about five silent heartbeat intervals', async () => {
    const f = await fakeMaster([SUBSCRIBED]);
    const session = await subscribe(client(f.url));
    expect(session.heartbeatIntervalSeconds).toBe(0.05);
    const e = await failure(until(session.events()[Symbol.asyncIterator](), () => false));
    expect(e).toMatchObject({ kind: 'timeout', reason: 'heartbeat', retryable: true });
    expect(e.message).toBe(`heartbeats missed: nothing from Mesos master ${f.url} for 0.3s`);
  });

  it('a heartbeat interval longer than a timer holds does not fail the stream at once', async () => {
    const huge = JSON.stringify({ type: 'SUBSCRIBED', subscribed: { framework_id: { value: 'fw-1' }, heartbeat_interval_seconds: 1e7 } });
    const f = await fakeMaster([huge, JSON.stringify({ type: 'HEARTBEAT' })]);
    const session = await subscribe(client(f.url));
    const it = session.events()[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ type: 'HEARTBEAT' });
    // five intervals of 10^7 s overflow a Node timer (which then fires after 1 ms): the stream must stay up
    const next = it.next().then(
      () => 'event',
      (e: unknown) => `failed: ${(e as Error).message}`,
    );
    const quiet = await Promise.race([next, new Promise((r) => setTimeout(() => r('quiet'), 300))]);
    expect(quiet).toBe('quiet');
    session.close();
  });

  it('an ERROR event ends the events with the master message', async () => {
    const f = await fakeMaster([
      SUBSCRIBED,
      JSON.stringify({ type: 'HEARTBEAT' }),
      JSON.stringify({ type: 'ERROR', error: { message: 'Framework has been removed' } }),
    ]);
    const session = await subscribe(client(f.url));
    const it = session.events()[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ type: 'HEARTBEAT' });
    const e = await failure(it.next());
    expect(e).toMatchObject({ kind: 'rejected', reason: 'framework-error', details: { message: 'Framework has been removed' } });
  });

  it('bad RecordIO, JSON without a type, a missing Mesos-Stream-Id, an event before SUBSCRIBED: protocol errors', async () => {
    const bad = await fakeMaster([SUBSCRIBED, Buffer.from('12x\n{}')]);
    const s1 = await subscribe(client(bad.url));
    expect(await failure(until(s1.events()[Symbol.asyncIterator](), () => false))).toMatchObject({ kind: 'protocol', reason: 'recordio' });
    const noType = await fakeMaster([SUBSCRIBED, '{"x":1}']);
    const s2 = await subscribe(client(noType.url));
    expect(await failure(until(s2.events()[Symbol.asyncIterator](), () => false))).toMatchObject({ kind: 'protocol', reason: 'unexpected-shape' });
    const noId = await fakeMaster([SUBSCRIBED], { streamId: false });
    expect(await failure(client(noId.url).subscribe({ frameworkInfo: INFO }))).toMatchObject({ kind: 'protocol', reason: 'no-stream-id' });
    const early = await fakeMaster([JSON.stringify({ type: 'HEARTBEAT' })]);
    const e = await failure(client(early.url).subscribe({ frameworkInfo: INFO }));
    expect(e.message).toBe(`Mesos master ${early.url} sent HEARTBEAT before SUBSCRIBED`);
  });

  it('a record cut by the end of the stream is a broken stream; an aborted subscribe ends the events quietly', async () => {
    const f = await fakeMaster([SUBSCRIBED, Buffer.from('40\n{"type":')], { end: true });
    const session = await subscribe(client(f.url));
    const e = await failure(until(session.events()[Symbol.asyncIterator](), () => false));
    expect(e).toMatchObject({ kind: 'protocol', reason: 'recordio' });
    expect(e.message).toContain('stream ended inside a record (8 of 40 bytes)');

    const quiet = await fakeMaster([SUBSCRIBED]);
    const ac = new AbortController();
    const s2 = await client(quiet.url).subscribe({ frameworkInfo: INFO, signal: ac.signal });
    sessions.push(s2);
    const it = s2.events()[Symbol.asyncIterator]();
    const next = it.next();
    ac.abort();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
  });
});
