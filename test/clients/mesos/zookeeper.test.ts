import { createServer, type AddressInfo, type Socket } from 'node:net';
import zookeeper, { type ZkClient } from 'node-zookeeper-client';
import { connectMesos, type MesosClient } from '../../../src/clients/mesos/mesos-client.js';
import { oneLine } from '../../../src/lib/outcomes.js';
import { startTestZooKeeper, type TestZooKeeper } from '../../stack/test-servers.js';
import { deadPort, sendJson, startFakeServer, type FakeServer } from './fake-server.js';
import { masterStateJson } from './state-json.js';

/** A real ZooKeeper (Debian's), with masters registered the way Mesos registers them. */
let zk: TestZooKeeper;
let zkClient: ZkClient;
const zkUrl = (path: string): string => `zk://${zk.host}:${zk.port}${path}`;

function zkCall<T>(fn: (cb: (err: unknown, v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err instanceof Error ? err : new Error(JSON.stringify(err))) : resolve(v))));
}

/** Registers a master as `json.info_<seq>` (ephemeral sequential) with its MasterInfo JSON. */
async function register(path: string, hostPort: string, id: string, prefix = 'json.info_'): Promise<string> {
  const [host, port] = hostPort.split(':') as [string, string];
  const info = {
    address: { hostname: host, ip: host, port: Number(port) },
    hostname: host,
    id,
    ip: 16777343,
    pid: `master@${hostPort}`,
    port: Number(port),
    version: '1.11.0',
  };
  await zkCall<string>((cb) => zkClient.mkdirp(path, cb));
  return zkCall<string>((cb) => zkClient.create(`${path}/${prefix}`, Buffer.from(JSON.stringify(info)), zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, cb));
}

beforeAll(async () => {
  zk = await startTestZooKeeper();
  zkClient = zookeeper.createClient(zk.connect, { sessionTimeout: 10_000 });
  const connected = new Promise<void>((r) => zkClient.once('connected', () => r()));
  zkClient.connect();
  await connected;
}, 60_000);

afterAll(async () => {
  zkClient?.close();
  await zk?.stop();
});

const servers: FakeServer[] = [];
const clients: MesosClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function master(): Promise<FakeServer> {
  const s = await startFakeServer((req, res) => {
    if (req.url === '/state') sendJson(res, 200, masterStateJson(s.hostPort, []));
    else sendJson(res, 404, '');
  });
  servers.push(s);
  return s;
}
async function connect(master: string, extra: Partial<Parameters<typeof connectMesos>[0]> = {}): Promise<MesosClient> {
  const c = connectMesos({ master, retryBackoffMs: 10, requestTimeoutMs: 3000, ...extra });
  clients.push(c);
  return c;
}

describe('zk:// master detection with a real ZooKeeper', () => {
  it('reads the leader (lowest json.info_ sequence) and asks it', async () => {
    const a = await master();
    const deadHost = `127.0.0.1:${await deadPort()}`;
    const first = await register('/mesos-a', a.hostPort, 'leader-a');
    await register('/mesos-a', deadHost, 'contender-b');
    expect(first).toMatch(/^\/mesos-a\/json\.info_\d{10}$/);
    const c = await connect(zkUrl('/mesos-a'));
    const snap = await c.snapshot();
    expect(snap.master.url).toBe(a.url);
    expect(c.leaderUrl).toBe(a.url);
    expect(a.requests.map((r) => r.path)).toEqual(['/state']);
  });

  it('follows a leader change: the old leader dies, ZooKeeper names the next one', async () => {
    const a = await master();
    const b = await master();
    const nodeA = await register('/mesos-b', a.hostPort, 'a');
    await register('/mesos-b', b.hostPort, 'b');
    const c = await connect(zkUrl('/mesos-b'));
    expect((await c.snapshot()).master.url).toBe(a.url);
    await a.close();
    await zkCall<void>((cb) => zkClient.remove(nodeA, (e) => cb(e, undefined)));
    expect((await c.snapshot()).master.url).toBe(b.url);
    expect(c.leaderUrl).toBe(b.url);
  });

  it('no master registered: a clear error after bounded retries', async () => {
    await zkCall<string>((cb) => zkClient.mkdirp('/mesos-empty', cb));
    const c = await connect(zkUrl('/mesos-empty'), { retries: 1 });
    await expect(c.snapshot()).rejects.toThrow(
      `no leading Mesos master (after 2 attempts): ${zkUrl('/mesos-empty')}: no leading Mesos master registered under ${zkUrl('/mesos-empty')} (no json.info_* node)`,
    );
  });

  it('a path that does not exist', async () => {
    const c = await connect(zkUrl('/nope'), { retries: 0 });
    const err = await c.snapshot().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'no-leader', reason: 'zk-no-node', service: 'mesos-master' });
    expect(oneLine(err)).toBe(
      `no leading Mesos master: ${zkUrl('/nope')}: ZooKeeper path /nope does not exist on ${zk.host}:${zk.port}: no Mesos master registered under ${zkUrl('/nope')}; check the path in --mesos-master (the masters' --zk flag)`,
    );
  });

  it('only legacy protobuf info_ nodes: says to use the URL', async () => {
    const a = await master();
    await register('/mesos-legacy', a.hostPort, 'old', 'info_');
    const c = await connect(zkUrl('/mesos-legacy'), { retries: 0 });
    const err = await c.snapshot().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'protocol', reason: 'zk-legacy-only', service: 'zookeeper' });
    expect(oneLine(err)).toMatch(
      /registered only protobuf info_\* nodes \(Mesos older than 0\.24\), which k8smctl does not read; pass the master URL \(http:\/\/host:5050\) as --mesos-master instead$/,
    );
  });

  it('an unreachable ZooKeeper fails within the timeout', async () => {
    const port = await deadPort();
    const c = await connect(`zk://127.0.0.1:${port}/mesos`, { requestTimeoutMs: 800, retries: 2 });
    const err = await c.snapshot().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout', service: 'zookeeper' });
    expect(oneLine(err)).toBe(`cannot reach ZooKeeper 127.0.0.1:${port} within 0.8s to find the Mesos leader; check the zk:// hosts in --mesos-master`);
  });

  it('a ZooKeeper that accepts and never answers: one lookup, not retried, fails at the timeout', async () => {
    // A TCP server that counts connections and says nothing: each ZooKeeper lookup connects once.
    const sockets = new Set<Socket>();
    const silent = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const c = await connect(`zk://127.0.0.1:${port}/mesos`, { requestTimeoutMs: 800, retries: 2 });
      await expect(c.snapshot()).rejects.toThrow(`cannot reach ZooKeeper 127.0.0.1:${port} within 0.8s to find the Mesos leader`);
      expect(sockets.size).toBe(1); // retries: 2 would make three lookups
      expect(c.requestCount).toBe(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
