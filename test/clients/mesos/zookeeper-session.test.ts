/**
 * What a ZooKeeper lookup leaves behind when it fails: nothing. A TCP server in the test plays a
 * ZooKeeper that accepts and never answers, or answers the handshake and then nothing, or answers
 * NO_NODE (the lookup a long-running client retries); each test checks that the server sees the
 * lookup's connection closed, so that the CLI exits by itself after the error. No real ZooKeeper
 * (test/clients/mesos/zookeeper.test.ts uses one for the protocol itself).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ClientError } from '../../../src/clients/errors.js';
import { connectMesos, type MesosClient } from '../../../src/clients/mesos/mesos-client.js';
import { readLeaderFromZooKeeper } from '../../../src/clients/mesos/zookeeper.js';

/** How the fake answers: not at all, the handshake only, or the handshake and NO_NODE for every read. */
type Mode = 'silent' | 'handshake-only' | 'no-node';

interface Connection {
  socket: Socket;
  /** Order of events across connections: when it was opened, when the server saw it closed. */
  openedAt: number;
  closedAt?: number;
  closed: Promise<void>;
  /** Request types received after the handshake (-11 CLOSE_SESSION, 12 GET_CHILDREN2). */
  requests: number[];
}

interface FakeZooKeeper {
  port: number;
  connections: Connection[];
  close(): Promise<void>;
}

const OP_CLOSE_SESSION = -11;
const ZNONODE = -101;
const XID_PING = -2;

function frame(payload: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(payload.length);
  return Buffer.concat([len, payload]);
}

/** ConnectResponse: protocolVersion, timeOut, sessionId, passwd (16 bytes). */
function connectResponse(sessionId: number, timeoutMs: number): Buffer {
  const b = Buffer.alloc(4 + 4 + 8 + 4 + 16);
  b.writeInt32BE(0, 0);
  b.writeInt32BE(timeoutMs, 4);
  b.writeBigInt64BE(BigInt(sessionId), 8);
  b.writeInt32BE(16, 16);
  return frame(b);
}

/** ReplyHeader: xid, zxid, err (no body). */
function reply(xid: number, err: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32BE(xid, 0);
  b.writeBigInt64BE(0n, 4);
  b.writeInt32BE(err, 12);
  return frame(b);
}

async function startFakeZooKeeper(mode: Mode): Promise<FakeZooKeeper> {
  const connections: Connection[] = [];
  let clock = 0;
  const server: Server = createServer((socket) => {
    let done!: () => void;
    const conn: Connection = { socket, openedAt: ++clock, closed: new Promise<void>((r) => (done = r)), requests: [] };
    connections.push(conn);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      conn.closedAt = ++clock;
      done();
    });
    let buf = Buffer.alloc(0);
    let handshaken = false;
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const body = buf.subarray(4, 4 + buf.readInt32BE(0));
        buf = buf.subarray(4 + body.length);
        if (mode === 'silent') continue;
        if (!handshaken) {
          handshaken = true;
          socket.write(connectResponse(connections.length, 4000));
          continue;
        }
        const xid = body.readInt32BE(0);
        const type = body.readInt32BE(4);
        conn.requests.push(type);
        if (mode === 'handshake-only') continue;
        if (xid === XID_PING) socket.write(reply(xid, 0));
        else if (type === OP_CLOSE_SESSION)
          socket.end(reply(xid, 0)); // as ZooKeeper does
        else socket.write(reply(xid, ZNONODE));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** 'closed' once the server sees the connection closed, 'open' if it still is after `ms`. */
async function closedWithin(conn: Connection, ms: number): Promise<'closed' | 'open'> {
  let t: NodeJS.Timeout | undefined;
  const open = new Promise<'open'>((r) => (t = setTimeout(() => r('open'), ms)));
  try {
    return await Promise.race([conn.closed.then(() => 'closed' as const), open]);
  } finally {
    clearTimeout(t);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const fakes: FakeZooKeeper[] = [];
const clients: MesosClient[] = [];
async function fakeZooKeeper(mode: Mode): Promise<FakeZooKeeper> {
  const zk = await startFakeZooKeeper(mode);
  fakes.push(zk);
  return zk;
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(fakes.splice(0).map((z) => z.close()));
});

function lookup(zk: FakeZooKeeper, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
  const where = `127.0.0.1:${zk.port}`;
  return readLeaderFromZooKeeper({ url: `zk://${where}/mesos`, servers: [where], path: '/mesos', timeoutMs, ...(signal ? { signal } : {}) });
}

describe('a failed ZooKeeper lookup leaves no connection behind', () => {
  it('a ZooKeeper that accepts and never answers: the connection is closed right after the timeout, and not opened again', async () => {
    const zk = await fakeZooKeeper('silent');
    const err = await lookup(zk, 500).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ kind: 'timeout', service: 'zookeeper', reason: 'deadline' });
    expect(zk.connections).toHaveLength(1);
    // Before the fix the session, never established, kept its socket (and the process) forever.
    expect(await closedWithin(zk.connections[0]!, 2000)).toBe('closed');
    await sleep(400); // longer than the library's reconnect spin delay (200 ms)
    expect(zk.connections).toHaveLength(1);
  });

  it('a ZooKeeper that answers the handshake and then nothing: the close is sent, and the socket cut when it is not acknowledged', async () => {
    const zk = await fakeZooKeeper('handshake-only');
    const err = await lookup(zk, 500).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout', service: 'zookeeper' });
    const conn = zk.connections[0]!;
    // The grace for the close is min(1 s, the timeout): 0.5 s here.
    expect(await closedWithin(conn, 3000)).toBe('closed');
    expect(conn.requests).toContain(OP_CLOSE_SESSION);
    expect(zk.connections).toHaveLength(1);
  });

  it('an aborted lookup (Ctrl-C) closes its connection too', async () => {
    const zk = await fakeZooKeeper('silent');
    const ac = new AbortController();
    const pending = lookup(zk, 30_000, ac.signal).catch((e: unknown) => e);
    while (zk.connections.length === 0) await sleep(10);
    ac.abort();
    expect(await pending).toMatchObject({ kind: 'aborted', service: 'zookeeper' });
    expect(await closedWithin(zk.connections[0]!, 2000)).toBe('closed');
  });

  it('a lookup retried by a long-running client (scheduler run): each connection is closed before the next one opens', async () => {
    const zk = await fakeZooKeeper('no-node');
    const c = connectMesos({ master: `zk://127.0.0.1:${zk.port}/mesos`, retries: 2, retryBackoffMs: 300, requestTimeoutMs: 2000 });
    clients.push(c);
    const err = await c.snapshot().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'no-leader', reason: 'zk-no-node', service: 'mesos-master' });
    expect((err as Error).message).toMatch(/^no leading Mesos master \(after 3 attempts\)/);
    expect(zk.connections).toHaveLength(3);
    for (const conn of zk.connections) expect(await closedWithin(conn, 2000)).toBe('closed');
    for (let i = 1; i < zk.connections.length; i++) expect(zk.connections[i - 1]!.closedAt).toBeLessThan(zk.connections[i]!.openedAt);
    // Closed politely (CLOSE_SESSION answered), not cut.
    for (const conn of zk.connections) expect(conn.requests).toEqual([12, OP_CLOSE_SESSION]);
  });
});
