import type { Socket } from 'node:net';
import type { ZkClient, ZkConnectionManager } from 'node-zookeeper-client';
import { MesosFormatError } from '../../core/mesos/json-node.js';
import { parseZkMasterInfo, pickZkLeader, ZK_JSON_INFO_PREFIX, type ZkMasterInfo } from '../../core/mesos/zk-master-info.js';
import { ClientError } from '../errors.js';
import { sanitizedCause } from '../http/redact.js';

export interface ZkLookup {
  /** `zk://h1:2181,h2:2181/mesos` (as shown to the user). */
  url: string;
  servers: string[];
  path: string;
  /** Deadline for connecting and reading. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** ZooKeeper answered, but no master is leading (yet): `no-leader`, worth retrying during an election. */
function noLeader(lookup: ZkLookup, reason: string, message: string): ClientError {
  return new ClientError({ kind: 'no-leader', service: 'zookeeper', reason, message, target: lookup.url, retryable: true });
}

interface ZkErrorLike {
  getCode?: () => number;
  message?: string;
}

function zkCode(err: unknown): number | undefined {
  const e = err as ZkErrorLike;
  return typeof e?.getCode === 'function' ? e.getCode() : undefined;
}

/**
 * Reads the leading master from ZooKeeper the way Mesos' own detector does: list the children of
 * the path, take the `json.info_*` node with the lowest sequence, parse its MasterInfo JSON. One
 * connection, closed before returning; the whole lookup is bounded by `timeoutMs` (and `signal`).
 * Fails with a ClientError (service `zookeeper`): timeout, no-leader (reasons zk-no-node,
 * zk-no-leader, zk-leader-unstable), protocol (zk-legacy-only), forbidden (zk-no-auth), unreachable.
 */
export async function readLeaderFromZooKeeper(lookup: ZkLookup): Promise<ZkMasterInfo> {
  // Loaded only when a zk:// master is used.
  const zookeeper = (await import('node-zookeeper-client')).default;
  const client = zookeeper.createClient(lookup.servers.join(','), {
    sessionTimeout: Math.max(4000, lookup.timeoutMs),
    spinDelay: 200,
    retries: 0,
  });
  const where = lookup.servers.join(',');

  const call = <T>(fn: (cb: (err: unknown, value: T) => void) => void): Promise<T> =>
    new Promise<T>((resolve, reject) =>
      fn((err, value) => (err ? reject(err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err))) : resolve(value))),
    );

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ClientError({
            kind: 'timeout',
            service: 'zookeeper',
            reason: 'deadline',
            target: lookup.url,
            message: `cannot reach ZooKeeper ${where} within ${lookup.timeoutMs / 1000}s to find the Mesos leader`,
          }),
        ),
      lookup.timeoutMs,
    );
    onAbort = () => reject(new ClientError({ kind: 'aborted', service: 'zookeeper', target: lookup.url, message: 'ZooKeeper lookup aborted' }));
    if (lookup.signal?.aborted) onAbort();
    else lookup.signal?.addEventListener('abort', onAbort, { once: true });
  });

  const work = async (): Promise<ZkMasterInfo> => {
    let children: string[];
    try {
      children = await call<string[]>((cb) => client.getChildren(lookup.path, (e, c) => cb(e, c)));
    } catch (err) {
      throw zkFailure(err, lookup, lookup.path);
    }
    // Retry once if the leader's node vanishes between listing and reading (an election).
    for (let attempt = 0; attempt < 3; attempt++) {
      const choice = pickZkLeader(children);
      if (!choice.leader) {
        if (choice.legacyOnly) {
          throw new ClientError({
            kind: 'protocol',
            service: 'zookeeper',
            reason: 'zk-legacy-only',
            target: lookup.url,
            message: `the Mesos masters under ${lookup.url} registered only protobuf info_* nodes (Mesos older than 0.24), which k8smctl does not read`,
          });
        }
        throw noLeader(lookup, 'zk-no-leader', `no leading Mesos master registered under ${lookup.url} (no ${ZK_JSON_INFO_PREFIX}* node)`);
      }
      const node = `${lookup.path}/${choice.leader}`;
      let data: Buffer | undefined;
      try {
        data = await call<Buffer | undefined>((cb) => client.getData(node, (e, d) => cb(e, d)));
      } catch (err) {
        if (zkCode(err) === zookeeper.Exception.NO_NODE) {
          children = await call<string[]>((cb) => client.getChildren(lookup.path, (e, c) => cb(e, c))).catch((e: unknown) => {
            throw zkFailure(e, lookup, lookup.path);
          });
          continue;
        }
        throw zkFailure(err, lookup, node);
      }
      const source = `ZooKeeper node ${node} of ${lookup.url}`;
      const bad = (reason: string, message: string): ClientError =>
        new ClientError({ kind: 'protocol', reason, service: 'zookeeper', target: lookup.url, message });
      let json: unknown;
      try {
        json = JSON.parse((data ?? Buffer.alloc(0)).toString('utf8'));
      } catch (e) {
        throw bad('invalid-json', `unexpected JSON in ${source}: is not JSON: ${(e as Error).message}`);
      }
      try {
        return parseZkMasterInfo(json, source);
      } catch (e) {
        if (e instanceof MesosFormatError) throw bad('unexpected-shape', e.message);
        throw e;
      }
    }
    throw noLeader(lookup, 'zk-leader-unstable', `the Mesos leader under ${lookup.url} kept changing while it was read`);
  };

  client.connect();
  const result = work();
  result.catch(() => undefined); // a late failure after the deadline must not go unhandled
  try {
    return await Promise.race([result, deadline]);
  } finally {
    clearTimeout(timer);
    if (onAbort) lookup.signal?.removeEventListener('abort', onAbort);
    endSession(client, Math.min(CLOSE_GRACE_MS, lookup.timeoutMs));
  }
}

/** How long a connected session may take to acknowledge its close before its socket is cut. */
const CLOSE_GRACE_MS = 1000;

/** node-zookeeper-client's ConnectionManager states (lib/ConnectionManager.js). */
const CM_CONNECTED = 2;
const CM_CONNECTED_READ_ONLY = 3;
const CM_CLOSED = -2;

/**
 * Ends a lookup's session so that nothing of it is left behind. node-zookeeper-client's close()
 * only queues a CLOSE_SESSION request and waits for the server to answer it: a session that never
 * got established (a server that accepts the connection and never answers the handshake) keeps its
 * socket forever, and with it the process; a server that is being reconnected to gets a new socket
 * after close(). So: a connected session is closed politely and its socket cut if the server has
 * not acknowledged within `graceMs`; any other one is cut at once, and a connection attempt still
 * scheduled by the library's reconnect loop is cut as soon as it is made.
 */
function endSession(client: ZkClient, graceMs: number): void {
  const cm = client.connectionManager;
  const connected = cm?.state === CM_CONNECTED || cm?.state === CM_CONNECTED_READ_ONLY;
  try {
    client.close(); // state CLOSING: a socket that closes from now on is not reconnected
  } catch {
    // nothing to send it on: cut below
  }
  if (!cm) return;
  if (!connected) {
    cut(cm);
    return;
  }
  const onState = (state: number): void => {
    if (state !== CM_CLOSED) return;
    clearTimeout(grace);
    cm.removeListener('state', onState);
  };
  const grace = setTimeout(() => {
    cm.removeListener('state', onState);
    cut(cm);
  }, graceMs);
  grace.unref(); // a session that closes in time does not wait for it
  cm.on('state', onState);
}

/** Closes the session's socket and any it would still open; cancels its connect timer. */
function cut(cm: ZkConnectionManager): void {
  let socket = cm.socket;
  Object.defineProperty(cm, 'socket', {
    configurable: true,
    enumerable: true,
    get: () => socket,
    set: (s: Socket | undefined) => {
      socket = s;
      s?.destroy(); // a reconnect scheduled before the close: not wanted any more
    },
  });
  cm.connectTimeout = 0; // its connect timer fires at once instead of holding the process
  if (cm.connectTimeoutHandler) clearTimeout(cm.connectTimeoutHandler);
  socket?.destroy();
}

function zkFailure(err: unknown, lookup: ZkLookup, path: string): ClientError {
  const code = zkCode(err);
  const message = (err as ZkErrorLike)?.message ?? String(err);
  const cause = sanitizedCause(message, code === undefined ? undefined : String(code), []);
  const servers = lookup.servers.join(',');
  if (code === -101 /* NO_NODE */) {
    return noLeader(lookup, 'zk-no-node', `ZooKeeper path ${path} does not exist on ${servers}: no Mesos master registered under ${lookup.url}`);
  }
  if (code === -102 /* NO_AUTH */) {
    return new ClientError({
      kind: 'forbidden',
      service: 'zookeeper',
      reason: 'zk-no-auth',
      target: lookup.url,
      message: `ZooKeeper ${servers} refuses to let k8smctl read ${path} (NO_AUTH)`,
      cause,
    });
  }
  return new ClientError({
    kind: 'unreachable',
    service: 'zookeeper',
    target: lookup.url,
    message: `cannot read ${path} from ZooKeeper ${servers}: ${message}`,
    cause,
  });
}
