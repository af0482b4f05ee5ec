/**
 * Jest environment of the `core` project: Node's, except that a test which opens a socket (a server
 * listening, or a connection: http, https, fetch, ZooKeeper...) or starts a process fails at once,
 * saying where such a test belongs. That keeps `npm run test:core` free of servers and fast.
 *
 * The patches are made in setup() and undone in teardown(), around each test file, so the
 * integration and e2e files a jest worker runs afterwards see the real functions.
 */
import childProcess from 'node:child_process';
import net from 'node:net';
import { TestEnvironment } from 'jest-environment-node';

const CHILD_PROCESS_FUNCTIONS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'];

function refuse(what) {
  return () => {
    throw new Error(
      `${what} in a core test: core tests do no I/O (no servers, no processes). ` +
        'Move this test to the integration project (INTEGRATION in jest.config.js).',
    );
  };
}

export default class CoreEnvironment extends TestEnvironment {
  #restore = [];

  #patch(target, key, replacement) {
    const original = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, { value: replacement, configurable: true, writable: true });
    this.#restore.push(() => {
      if (original) Object.defineProperty(target, key, original);
      else delete target[key];
    });
  }

  async setup() {
    await super.setup();
    this.#patch(net.Server.prototype, 'listen', refuse('a server listening on a socket'));
    this.#patch(net.Socket.prototype, 'connect', refuse('a network connection'));
    for (const fn of CHILD_PROCESS_FUNCTIONS) this.#patch(childProcess, fn, refuse(`child_process.${fn}()`));
  }

  async teardown() {
    for (const undo of this.#restore.splice(0).reverse()) undo();
    await super.teardown();
  }
}
