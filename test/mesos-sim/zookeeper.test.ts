/**
 * ZooKeeper registration against a real ZooKeeper (Debian's 3.8): `json.info_<10 digits>` ephemeral
 * sequential nodes holding the MasterInfo JSON, the lowest one the leader's; a leader change and
 * "no leader" change the nodes as Mesos masters' contention does; close() removes them.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as zookeeper from 'node-zookeeper-client';
import { startMesosSimulator, type MesosSimulator } from '../../test/stack/mesos-sim/index.js';
import { startTestZooKeeper, type TestZooKeeper } from '../stack/test-servers.js';
import { getJson } from './helpers/http-client.js';
import * as ref from './helpers/reference-shapes.js';
import { check } from './helpers/shape.js';

interface Client {
  connect(): void;
  close(): void;
  once(e: 'connected', cb: () => void): void;
  getChildren(p: string, cb: (err: Error | null, children: string[]) => void): void;
  getData(p: string, cb: (err: Error | null, data?: Buffer) => void): void;
  exists(p: string, cb: (err: Error | null, stat: unknown) => void): void;
}
const zk = zookeeper as unknown as { createClient(c: string): Client };

let server: TestZooKeeper;
let client: Client;

const children = (path: string): Promise<string[]> =>
  new Promise((resolve, reject) => client.getChildren(path, (err, c) => (err ? reject(err) : resolve([...c].sort()))));
const data = (path: string): Promise<any> =>
  new Promise((resolve, reject) => client.getData(path, (err, d) => (err ? reject(err) : resolve(JSON.parse((d ?? Buffer.alloc(0)).toString('utf8'))))));

/** The MasterInfo in the lowest json.info_ node: who a ZooKeeper detector takes for the leader. */
async function zkLeader(path: string): Promise<any> {
  const nodes = (await children(path)).filter((n) => n.startsWith('json.info_'));
  const lowest = nodes.sort()[0];
  return lowest === undefined ? undefined : data(`${path}/${lowest}`);
}

const decodeIp = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');

beforeAll(async () => {
  server = await startTestZooKeeper();
  client = zk.createClient(server.connect);
  await new Promise<void>((resolve) => {
    client.once('connected', resolve);
    client.connect();
  });
}, 60000);

afterAll(async () => {
  client?.close();
  await server?.stop();
}, 30000);

describe('ZooKeeper registration', () => {
  let sim: MesosSimulator;
  const path = '/mesos/test-cluster';

  beforeAll(async () => {
    sim = await startMesosSimulator({
      masters: 3,
      masterHosts: ['127.0.4.1', '127.0.4.2', '127.0.4.3'],
      zk: { connect: server.connect, path },
      agents: [{ hostname: 'a', ip: '127.0.4.10', resources: { cpus: 1, mem: 128 } }],
    });
  }, 30000);

  afterAll(async () => {
    await sim?.close();
  });

  test('every master has a json.info_<10 digits> node; the leader has the lowest', async () => {
    const nodes = await children(path);
    expect(nodes).toHaveLength(3);
    for (const n of nodes) expect(n).toMatch(/^json\.info_\d{10}$/);
    expect(`${path}/${nodes[0]}`).toBe(sim.zkNode(0));
    const leader = await zkLeader(path);
    expect(leader.id).toBe(sim.masters[0]!.id);
  }, 30000);

  test('the node holds the MasterInfo JSON: id, ip (uint32, network order), port, pid, hostname, version, address', async () => {
    const info = await data(sim.zkNode(0)!);
    expect(check(info, ref.ZK_MASTER_INFO)).toEqual([]);
    expect(info).toMatchObject({
      id: sim.masters[0]!.id,
      ip: 0x0104007f, // 127.0.4.1
      port: sim.masters[0]!.port,
      pid: `master@127.0.4.1:${sim.masters[0]!.port}`,
      hostname: '127.0.4.1',
      version: '1.11.0',
      address: { hostname: '127.0.4.1', ip: '127.0.4.1', port: sim.masters[0]!.port },
    });
    expect(decodeIp(info.ip)).toBe(info.address.ip);
    // and it leads to the master that serves /state
    expect((await getJson(`http://${info.address.ip}:${info.address.port}/master/state`)).pid).toBe(info.pid);
    // the masters' flags and the agents' master flag name ZooKeeper
    const st = await getJson(sim.leaderUrl() + '/state');
    expect(st.flags.zk).toBe(`zk://${server.connect}${path}`);
    expect(st.flags.registry).toBe('replicated_log');
    expect((await getJson(sim.agents[0]!.url + '/flags')).flags.master).toBe(`zk://${server.connect}${path}`);
  }, 30000);

  test("a leader change replaces the old leader's node; the new leader's is then the lowest", async () => {
    const before = await children(path);
    const oldLeaderNode = sim.zkNode(0)!;
    await sim.setLeader(2);
    const after = await children(path);
    expect(after).toHaveLength(3);
    expect(after).not.toContain(oldLeaderNode.split('/').pop());
    // masters 0 and 1 were ahead of 2: both re-registered with new sequences
    expect(after.filter((n) => before.includes(n))).toEqual([sim.zkNode(2)!.split('/').pop()]);
    expect((await zkLeader(path)).id).toBe(sim.masters[2]!.id);
    expect((await getJson(sim.masters[2]!.url + '/state')).leader).toBe(sim.masters[2]!.pid);

    await sim.setLeader(0);
    expect((await zkLeader(path)).id).toBe(sim.masters[0]!.id);
  }, 30000);

  test('no leader: no master in ZooKeeper; a new election registers them again', async () => {
    await sim.setNoLeader();
    expect(await children(path)).toEqual([]);
    await sim.setLeader(1);
    const nodes = await children(path);
    expect(nodes).toHaveLength(3);
    expect((await zkLeader(path)).id).toBe(sim.masters[1]!.id);
  }, 30000);

  test('close() removes the nodes', async () => {
    const other = await startMesosSimulator({ masters: 1, zk: { connect: server.connect, path: '/mesos/other' }, agents: [] });
    expect(await children('/mesos/other')).toHaveLength(1);
    await other.close();
    expect(await children('/mesos/other')).toEqual([]);
  }, 30000);

  test('an unreachable ZooKeeper is a clear startup error', async () => {
    await expect(startMesosSimulator({ zk: { connect: '127.0.0.1:1', path: '/mesos', timeoutMs: 1500 }, agents: [] })).rejects.toThrow(
      /cannot connect to ZooKeeper at 127\.0\.0\.1:1 within 1500 ms/,
    );
  }, 30000);
});
