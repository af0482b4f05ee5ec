/** The part of node-zookeeper-client (1.1, CommonJS, untyped) that the master detector uses. */
declare module 'node-zookeeper-client' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  export interface ZkStat {
    version: number;
  }

  export interface ZkException extends Error {
    getCode(): number;
    getName(): string;
    getPath(): string | undefined;
  }

  /**
   * Internals of lib/ConnectionManager.js that the lookup needs to end a session that never got
   * established (close() alone leaves its socket open): its state (2 connected, 3 connected
   * read-only, -1 closing, -2 closed; 'state' events), its socket, its connect timer.
   */
  export interface ZkConnectionManager extends EventEmitter {
    state: number;
    socket?: Socket;
    connectTimeout: number;
    connectTimeoutHandler?: NodeJS.Timeout | null;
  }

  export interface ZkClient extends EventEmitter {
    /** Internal (see ZkConnectionManager); may be missing in another version of the library. */
    readonly connectionManager?: ZkConnectionManager;
    connect(): void;
    close(): void;
    getChildren(path: string, callback: (error: ZkException | Error | null, children: string[], stat: ZkStat) => void): void;
    getData(path: string, callback: (error: ZkException | Error | null, data: Buffer | undefined, stat: ZkStat) => void): void;
    /** Used by tests to register masters the way Mesos does. */
    create(path: string, data: Buffer, mode: number, callback: (error: ZkException | Error | null, path: string) => void): void;
    mkdirp(path: string, callback: (error: ZkException | Error | null, path: string) => void): void;
    remove(path: string, callback: (error: ZkException | Error | null) => void): void;
  }

  export interface ZkClientOptions {
    sessionTimeout?: number;
    spinDelay?: number;
    retries?: number;
  }

  export function createClient(connectionString: string, options?: ZkClientOptions): ZkClient;

  export const Exception: {
    OK: number;
    CONNECTION_LOSS: number;
    NO_NODE: number;
    NO_AUTH: number;
  };

  export const CreateMode: {
    PERSISTENT: number;
    EPHEMERAL: number;
    PERSISTENT_SEQUENTIAL: number;
    EPHEMERAL_SEQUENTIAL: number;
  };

  const zookeeper: {
    createClient: typeof createClient;
    Exception: typeof Exception;
    CreateMode: typeof CreateMode;
  };
  export default zookeeper;
}
