/**
 * Master registration in a real ZooKeeper, as Mesos masters contend for leadership
 * (MESOS `src/master/contender/zookeeper.cpp`, `src/zookeeper/group.cpp`): each master joins the
 * group under the configured path with an EPHEMERAL_SEQUENTIAL node labelled `json.info`, i.e.
 * `<path>/json.info_<10-digit sequence>`, whose data is `JSON::protobuf(MasterInfo)`. The contender
 * with the lowest sequence is the leader.
 *
 * The simulator registers every master (leader first). A leader change re-creates the nodes of the
 * masters ahead of the new leader (their old nodes deleted, new ones get higher sequences), which is
 * what happens when those masters lose their sessions and contend again.
 */
import * as zookeeper from 'node-zookeeper-client';

interface ZkError extends Error {
  getCode?: () => number;
}

interface ZkClient {
  connect(): void;
  close(): void;
  once(event: 'connected' | 'disconnected' | 'expired', cb: () => void): void;
  on(event: 'state', cb: (state: unknown) => void): void;
  create(path: string, data: Buffer, mode: number, cb: (err: ZkError | null, path: string) => void): void;
  mkdirp(path: string, cb: (err: ZkError | null, path: string) => void): void;
  remove(path: string, version: number, cb: (err: ZkError | null) => void): void;
  getChildren(path: string, cb: (err: ZkError | null, children: string[]) => void): void;
  getData(path: string, cb: (err: ZkError | null, data: Buffer | undefined) => void): void;
}

interface ZkModule {
  createClient(connect: string, options?: { sessionTimeout?: number; spinDelay?: number; retries?: number }): ZkClient;
}

/** CreateMode.EPHEMERAL_SEQUENTIAL (ZooKeeper's constant). */
const EPHEMERAL_SEQUENTIAL = 3;
/** ZooKeeper NONODE error code. */
const NO_NODE = -101;

export const MASTER_INFO_LABEL = 'json.info';

const zk = zookeeper as unknown as ZkModule;

function call<T>(fn: (cb: (err: ZkError | null, v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
}

export class ZkRegistrar {
  /** Registered node (full path) per master index, in creation order. */
  private readonly nodes = new Map<number, string>();

  private constructor(
    private readonly client: ZkClient,
    readonly path: string,
  ) {}

  static async connect(connect: string, path: string, timeoutMs = 15000): Promise<ZkRegistrar> {
    if (!path.startsWith('/') || (path.length > 1 && path.endsWith('/'))) throw new Error(`bad ZooKeeper path ${path}`);
    const client = zk.createClient(connect, { sessionTimeout: 10000, spinDelay: 200, retries: 2 });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new Error(`cannot connect to ZooKeeper at ${connect} within ${timeoutMs} ms`));
      }, timeoutMs);
      client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      client.connect();
    });
    const r = new ZkRegistrar(client, path);
    if (path !== '/') await call<string>((cb) => client.mkdirp(path, cb));
    return r;
  }

  private child(): string {
    return `${this.path === '/' ? '' : this.path}/${MASTER_INFO_LABEL}_`;
  }

  async register(masterIndex: number, masterInfoJson: string): Promise<string> {
    const created = await call<string>((cb) => this.client.create(this.child(), Buffer.from(masterInfoJson, 'utf8'), EPHEMERAL_SEQUENTIAL, cb));
    this.nodes.set(masterIndex, created);
    return created;
  }

  async unregister(masterIndex: number): Promise<void> {
    const node = this.nodes.get(masterIndex);
    if (node === undefined) return;
    this.nodes.delete(masterIndex);
    await new Promise<void>((resolve, reject) => this.client.remove(node, -1, (err) => (err && err.getCode?.() !== NO_NODE ? reject(err) : resolve())));
  }

  /** Master indices in leadership order (lowest sequence first). */
  order(): number[] {
    return [...this.nodes.entries()].sort((a, b) => seq(a[1]) - seq(b[1])).map(([i]) => i);
  }

  node(masterIndex: number): string | undefined {
    return this.nodes.get(masterIndex);
  }

  /**
   * Makes `leader` the lowest node: masters registered ahead of it re-register (old node deleted,
   * new one created); masters not registered at all are registered after it.
   */
  async makeLeader(leader: number, all: number[], infoOf: (i: number) => string): Promise<void> {
    const current = this.order();
    const pos = current.indexOf(leader);
    const ahead = pos < 0 ? current : current.slice(0, pos);
    for (const i of ahead) await this.unregister(i);
    if (pos < 0) await this.register(leader, infoOf(leader));
    for (const i of ahead) await this.register(i, infoOf(i));
    for (const i of all) if (!this.nodes.has(i)) await this.register(i, infoOf(i));
  }

  async unregisterAll(): Promise<void> {
    for (const i of [...this.nodes.keys()]) await this.unregister(i);
  }

  async children(): Promise<string[]> {
    return call<string[]>((cb) => this.client.getChildren(this.path, cb));
  }

  async data(node: string): Promise<string> {
    const d = await call<Buffer | undefined>((cb) => this.client.getData(node, cb));
    return d ? d.toString('utf8') : '';
  }

  async close(): Promise<void> {
    try {
      await this.unregisterAll();
    } finally {
      this.client.close();
    }
  }
}

function seq(node: string): number {
  const m = /_(\d+)$/.exec(node);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}
