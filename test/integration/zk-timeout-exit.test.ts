/**
 * The built CLI against a zk:// master whose ZooKeeper accepts the connection and never answers:
 * one error line at --request-timeout, then the process exits by itself with 2 (it used to print
 * the error and hang forever: test/clients/mesos/zookeeper-session.test.ts checks the socket). Needs `npm run build` (or
 * `node scripts/build.mjs --bundle-only`).
 */
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

let server: Server;
let port: number;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((s) => {
    sockets.add(s); // never answers
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

/** Runs the CLI; kills it (and says so) if it has not exited after `killAfterMs`. */
function run(args: string[], killAfterMs: number): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MESOS_MASTER: '', NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stderr, ms: Date.now() - started });
    });
  });
}

describe('a ZooKeeper that accepts and never answers', () => {
  // The timeout is 1 s; the bound below is generous (a loaded machine, Node's start-up), but far
  // from "never": before the fix the process was still there when it got killed.
  const KILL_AFTER_MS = 15_000;

  test.each([[['get', 'agents']], [['get', 'frameworks']]])(
    '%j: one error line, then exit 2 by itself',
    async (cmd) => {
      const r = await run([...cmd, '--mesos-master', `zk://127.0.0.1:${port}/mesos`, '--request-timeout', '1s'], KILL_AFTER_MS);
      expect(r.signal).toBeNull(); // not killed: it exited on its own
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: cannot reach ZooKeeper 127.0.0.1:${port} within 1s to find the Mesos leader; check the zk:// hosts in --mesos-master\n`);
      expect(r.ms).toBeLessThan(KILL_AFTER_MS);
      expect(sockets.size).toBeGreaterThan(0); // it did connect (the error is not a refusal)
    },
    30_000,
  );
});
