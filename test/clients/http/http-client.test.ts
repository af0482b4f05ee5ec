/**
 * The one HTTP layer against local node:http(s) servers: buffered JSON, streamed bodies (chunked,
 * slow chunks, idle timeout, abort mid-stream, truncation), deadlines, size caps, TLS, credentials.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { inspect } from 'node:util';
import net from 'node:net';
import { HttpClient, type HttpClientOptions } from '../../../src/clients/http/http-client.js';
import { ClientError } from '../../../src/clients/errors.js';
import { makePki } from '../../stack/pki.js';
import type { PkiInfo } from '../../stack/types.js';
import { deadPort } from '../mesos/fake-server.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Server {
  url: string;
  seen: Array<{ path: string; authorization?: string; acceptEncoding?: string }>;
  close(): Promise<void>;
}

const servers: Server[] = [];
const clients: HttpClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler, tls?: { cert: string; key: string }): Promise<Server> {
  const sockets = new Set<Socket>();
  const seen: Server['seen'] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    seen.push({
      path: req.url ?? '',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(req.headers['accept-encoding'] ? { acceptEncoding: String(req.headers['accept-encoding']) } : {}),
    });
    handler(req, res);
  };
  const server = tls ? https.createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, listener) : http.createServer(listener);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const s: Server = {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const so of sockets) so.destroy();
        server.close(() => r());
      }),
  };
  servers.push(s);
  return s;
}

function client(opts: Partial<HttpClientOptions> = {}): HttpClient {
  const c = new HttpClient({ timeoutMs: 5000, maxResponseBytes: 1 << 20, ...opts });
  clients.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ClientError);
    return e as ClientError;
  }
  throw new Error('expected a ClientError');
}

/** Reads a stream body to the end: the chunks as strings, or the error it failed with. */
async function drain(body: AsyncIterable<Uint8Array>): Promise<{ chunks: string[]; error?: ClientError }> {
  const chunks: string[] = [];
  try {
    for await (const c of body) chunks.push(Buffer.from(c).toString('utf8'));
  } catch (e) {
    return { chunks, error: e as ClientError };
  }
  return { chunks };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('buffered requests', () => {
  test('JSON answer, any status returned, method, body and headers sent', async () => {
    let got = '';
    const s = await serve((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        got = `${req.method} ${req.headers['content-type']} ${b}`;
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ path: req.url }));
      });
    });
    const c = client();
    const r = await c.send({ method: 'POST', url: `${s.url}/api/v1`, body: '{"type":"GET_STATE"}', headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString('utf8'))).toEqual({ path: '/api/v1' });
    expect(r.headers['content-type']).toBe('application/json');
    expect(got).toBe('POST application/json {"type":"GET_STATE"}');
    expect((await c.send({ method: 'GET', url: `${s.url}/missing` })).status).toBe(404);
    expect(c.requestCount).toBe(2);
  });

  test('a gzip body is decoded; the size cap applies to the decoded body', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(4000) });
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(gzipSync(big));
    });
    expect((await client().send({ method: 'GET', url: s.url })).body.toString('utf8')).toBe(big);
    expect(s.seen[0]!.acceptEncoding).toMatch(/gzip/);
    const e = await failure(client({ maxResponseBytes: 1000 }).send({ method: 'GET', url: s.url }));
    expect(e).toMatchObject({ kind: 'too-large', message: 'response larger than 1000 bytes' });
  });

  test('a body larger than maxResponseBytes: too-large', async () => {
    const s = await serve((_req, res) => res.end('y'.repeat(5000)));
    const e = await failure(client({ maxResponseBytes: 2048 }).send({ method: 'GET', url: s.url }));
    expect(e.kind).toBe('too-large');
    expect(e.message).toBe('response larger than 2 KiB');
  });

  test('the deadline covers the whole body', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write('{"a":');
      // never ends
    });
    const e = await failure(client({ timeoutMs: 300 }).send({ method: 'GET', url: s.url }));
    expect(e).toMatchObject({ kind: 'timeout', reason: 'deadline', message: 'timed out after 300ms', retryable: false, target: s.url });
  });

  test('nothing listening: unreachable (refused), retryable', async () => {
    const port = await deadPort();
    const e = await failure(client().send({ method: 'GET', url: `http://127.0.0.1:${port}/state` }));
    expect(e).toMatchObject({
      kind: 'unreachable',
      reason: 'refused',
      message: 'connection refused',
      retryable: true,
      target: `http://127.0.0.1:${port}/state`,
    });
  });

  test('a body cut short (Content-Length not reached): truncated', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const e = await failure(client().send({ method: 'GET', url: s.url }));
    expect(e).toMatchObject({ kind: 'truncated', retryable: true });
  });

  test('a caller AbortSignal (or the client-wide one) aborts the request', async () => {
    const s = await serve(() => undefined); // never answers
    const ac = new AbortController();
    const p = client().send({ method: 'GET', url: s.url, signal: ac.signal });
    setTimeout(() => ac.abort(new Error('SIGINT')), 50);
    expect(await failure(p)).toMatchObject({ kind: 'aborted', message: 'request aborted (SIGINT)', retryable: false });

    const wide = new AbortController();
    wide.abort('SIGTERM');
    expect(await failure(client({ signal: wide.signal }).send({ method: 'GET', url: s.url }))).toMatchObject({
      kind: 'aborted',
      message: 'request aborted (SIGTERM)',
    });
  });

  test('basic and bearer credentials are sent and never appear in errors or debug lines', async () => {
    const s = await serve((_req, res) => res.end('{}'));
    const debug: string[] = [];
    await client({ auth: { principal: 'ops', secret: 'pa55-w0rd-x' }, debug: (l) => debug.push(l) }).send({ method: 'GET', url: s.url });
    await client({ auth: { token: 'tok-3n-abc' } }).send({ method: 'GET', url: s.url });
    expect(s.seen.map((x) => x.authorization)).toEqual([`Basic ${Buffer.from('ops:pa55-w0rd-x').toString('base64')}`, 'Bearer tok-3n-abc']);
    expect(debug).toEqual([expect.stringMatching(new RegExp(`^GET ${s.url} -> 200 \\(\\d+ ms, 2 bytes\\)$`))]);

    const port = await deadPort();
    const e = await failure(client({ auth: { token: 'tok-3n-abc' } }).send({ method: 'GET', url: `http://127.0.0.1:${port}` }));
    expect([e.message, e.stack, inspect(e, { depth: 10, showHidden: true })].join('\n')).not.toContain('tok-3n-abc');
  });

  test('user:password in a URL is kept out of the target', async () => {
    const port = await deadPort();
    const e = await failure(client().send({ method: 'GET', url: `http://me:hunter2x@127.0.0.1:${port}/x` }));
    expect(e.target).toBe(`http://127.0.0.1:${port}/x`);
  });
});

describe('streamed bodies', () => {
  test('a chunked body arrives chunk by chunk, before the server ends it', async () => {
    let finish: () => void = () => undefined;
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/recordio' });
      res.write('5\nhello');
      finish = () => {
        res.write('5\nworld');
        res.end();
      };
    });
    const st = await client().stream({ method: 'POST', url: `${s.url}/api/v1/scheduler`, body: '{}' });
    expect(st.status).toBe(200);
    expect(st.headers['content-type']).toBe('application/recordio');
    const it = st.body[Symbol.asyncIterator]();
    const first = await it.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('5\nhello'); // the server has not finished yet
    finish();
    const rest: string[] = [];
    for (let n = await it.next(); !n.done; n = await it.next()) rest.push(Buffer.from(n.value as Uint8Array).toString());
    expect(rest.join('')).toBe('5\nworld');
  });

  test('slow chunks within the idle timeout are fine, however long the whole stream takes', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      let n = 0;
      const t = setInterval(() => {
        res.write(`c${n}`);
        if (++n === 5) {
          clearInterval(t);
          res.end();
        }
      }, 100);
    });
    const st = await client({ timeoutMs: 300, idleTimeoutMs: 400 }).stream({ method: 'GET', url: s.url });
    const r = await drain(st.body);
    expect(r.error).toBeUndefined();
    expect(r.chunks.join('')).toBe('c0c1c2c3c4');
  });

  test('a server silent for longer than the idle timeout: timeout (idle) from the iteration', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write('first');
      setTimeout(() => res.write('too late'), 2000);
    });
    const st = await client({ idleTimeoutMs: 200 }).stream({ method: 'GET', url: s.url });
    const r = await drain(st.body);
    expect(r.chunks).toEqual(['first']);
    expect(r.error).toBeInstanceOf(ClientError);
    expect(r.error).toMatchObject({ kind: 'timeout', reason: 'idle', message: 'no data for 200ms' });
  });

  test('no headers within the deadline: the stream() call itself fails', async () => {
    const s = await serve(() => undefined);
    expect(await failure(client({ timeoutMs: 200 }).stream({ method: 'GET', url: s.url }))).toMatchObject({ kind: 'timeout', reason: 'deadline' });
  });

  test('aborting mid-stream ends the iteration with an aborted error and closes the connection', async () => {
    let closed = false;
    const s = await serve((req, res) => {
      res.writeHead(200);
      res.write('one');
      req.socket.on('close', () => (closed = true));
    });
    const ac = new AbortController();
    const st = await client().stream({ method: 'GET', url: s.url, signal: ac.signal });
    const seen: string[] = [];
    let error: unknown;
    try {
      for await (const c of st.body) {
        seen.push(Buffer.from(c).toString());
        ac.abort(new Error('SIGINT'));
      }
    } catch (e) {
      error = e;
    }
    expect(seen).toEqual(['one']);
    expect(error).toMatchObject({ kind: 'aborted' });
    for (let i = 0; i < 50 && !closed; i++) await tick(10);
    expect(closed).toBe(true);
  });

  test('breaking out of the loop (or close()) hangs up without an error', async () => {
    let closed = 0;
    const s = await serve((req, res) => {
      res.writeHead(200);
      const t = setInterval(() => res.write('tick'), 20);
      req.socket.on('close', () => {
        clearInterval(t);
        closed++;
      });
    });
    const c = client();
    const st = await c.stream({ method: 'GET', url: s.url });
    for await (const _ of st.body) break;
    const st2 = await c.stream({ method: 'GET', url: s.url });
    st2.close();
    for (let i = 0; i < 50 && closed < 2; i++) await tick(10);
    expect(closed).toBe(2);
  });

  test.each([
    [
      'a chunked body without its last chunk',
      (res: ServerResponse) => {
        res.writeHead(200);
        res.write('part');
        setTimeout(() => res.socket?.destroy(), 30);
      },
    ],
    [
      'a Content-Length body cut short',
      (res: ServerResponse) => {
        res.writeHead(200, { 'Content-Length': '50' });
        res.write('part');
        setTimeout(() => res.socket?.destroy(), 30);
      },
    ],
  ])('%s: the iteration fails with truncated', async (_name, h) => {
    const s = await serve((_req, res) => h(res));
    const st = await client().stream({ method: 'GET', url: s.url });
    const r = await drain(st.body);
    expect(r.chunks.join('')).toBe('part');
    expect(r.error).toMatchObject({ kind: 'truncated', retryable: true, message: 'connection closed before the response was complete' });
  });

  test('maxBytes bounds a stream', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write('a'.repeat(600));
      res.write('b'.repeat(600));
    });
    const st = await client().stream({ method: 'GET', url: s.url, maxBytes: 1000 });
    expect((await drain(st.body)).error).toMatchObject({ kind: 'too-large' });
  });
});

describe('TLS', () => {
  let dir: string;
  let pki: PkiInfo;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8smctl-http-tls-'));
    pki = await makePki(join(dir, 'pki'), []);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tlsServer = () => serve((_req, res) => res.end('{"ok":true}'), { cert: pki.mesosCert, key: pki.mesosKey });

  test('verified with the CA bundle, buffered and streamed', async () => {
    const s = await tlsServer();
    const c = client({ caPem: readFileSync(pki.caCert) });
    expect((await c.send({ method: 'GET', url: s.url })).body.toString()).toBe('{"ok":true}');
    expect((await drain((await c.stream({ method: 'GET', url: s.url })).body)).chunks.join('')).toBe('{"ok":true}');
  });

  test('without the CA: tls (certificate), not retryable; insecure accepts it', async () => {
    const s = await tlsServer();
    const e = await failure(client().send({ method: 'GET', url: s.url }));
    expect(e).toMatchObject({ kind: 'tls', reason: 'certificate', message: 'unable to verify the first certificate', retryable: false });
    expect((await client({ insecureSkipTlsVerify: true }).send({ method: 'GET', url: s.url })).status).toBe(200);
  });

  test('https to a plain http server: tls (not-https)', async () => {
    const s = await serve((_req, res) => res.end('{}'));
    const e = await failure(client().send({ method: 'GET', url: s.url.replace('http:', 'https:') }));
    expect(e).toMatchObject({ kind: 'tls', reason: 'not-https' });
  });

  test('an agent supplied by the caller (kubeconfig TLS) is used as is', async () => {
    const s = await tlsServer();
    const agent = new https.Agent({ ca: readFileSync(pki.caCert) });
    const c = client({ agent, headers: { Authorization: 'Bearer from-kubeconfig-123' } });
    expect((await c.send({ method: 'GET', url: s.url })).status).toBe(200);
    expect(s.seen[0]!.authorization).toBe('Bearer from-kubeconfig-123');
    expect(c.secretsToRedact).toContain('from-kubeconfig-123');
    agent.destroy();
  });
});

describe('kept-alive connections closed by the server', () => {
  /** Answers the first request of each connection; a second one on it is met with a reset (the server timed the connection out as it was reused). */
  async function closingServer(): Promise<{ url: string; connections: () => number }> {
    let connections = 0;
    const server = net.createServer((sock) => {
      connections++;
      let requests = 0;
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        if (!buf.includes('\r\n\r\n')) return;
        const len = Number(/content-length: *(\d+)/i.exec(buf)?.[1] ?? 0);
        if (buf.length < buf.indexOf('\r\n\r\n') + 4 + len) return;
        buf = '';
        if (++requests > 1) return void sock.resetAndDestroy();
        sock.write('HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n');
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push({ url: '', seen: [], close: () => new Promise<void>((r) => server.close(() => r())) });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
  }

  test('an idempotent request is sent again on a new connection; any other fails with the reset', async () => {
    const s = await closingServer();
    const c = client();
    const call = (idempotent: boolean) => c.send({ method: 'POST', url: `${s.url}/api/v1/scheduler`, body: '{}', idempotent });
    expect((await call(true)).status).toBe(202);
    // the kept-alive connection is reused and reset: sent again on a second connection
    expect((await call(true)).status).toBe(202);
    expect(s.connections()).toBe(2);
    const e = await failure(call(false));
    expect(e.message).toMatch(/connection closed before the response was complete/);
    expect(s.connections()).toBe(2);
  });
});

describe('bounded connections', () => {
  test('with maxSockets, requests beyond it wait for a connection instead of opening more; all are answered', async () => {
    const sockets = new Set<number | undefined>();
    let open = 0;
    let mostOpen = 0;
    const s = await serve((req, res) => {
      sockets.add(req.socket.remotePort);
      open++;
      mostOpen = Math.max(mostOpen, open);
      setTimeout(() => {
        open--;
        res.writeHead(202);
        res.end();
      }, 5);
    });
    const c = client({ maxSockets: 4 });
    const answers = await Promise.all(Array.from({ length: 100 }, () => c.send({ method: 'POST', url: `${s.url}/api/v1/scheduler`, body: '{}' })));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(sockets.size).toBeLessThanOrEqual(4);
    expect(mostOpen).toBeLessThanOrEqual(4);
  });
});
