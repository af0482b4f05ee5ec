/**
 * A small HTTP control API for a simulator running as its own process (main.ts --control-port):
 * tests and people drive leader changes, faults and k8sm launches from outside.
 * `POST /<method>` with a JSON object body, answers `{"result": ...}` or 400 `{"error": "..."}`.
 * Methods: setLeader {index}, setNoLeader, breakSchedulerStreams, fault {…FaultSpec, endpoint: "/path" | {regex, flags?}},
 * clearFaults, requestLog (GET too), clearRequestLog, addFramework {seed}, addExecutor {seed},
 * addTask {seed}, addOffer {seed}, removeOffer {offerId}, setTaskState {taskId, state, …}, removeAgent {agentId, stopServer?},
 * stopAgent {agentId}, setAgentActive {agentId, active}, setAgentDeactivated {agentId, deactivated,
 * drainState?}, shutdownExecutor {agentId, executorId, frameworkId?, keepTasks?, …} (follows the agent's executor_shutdown_grace_period;
 * answers when the executor is gone), reviveExecutor {agentId, executorId, frameworkId?}, teardownFramework {frameworkId},
 * launchK8smPod {…LaunchK8smPodOptions}, takeBoundPods {namespace} (pods the simulated executors bound since
 * the last call, with when the Binding was answered and the task launched: [[name, boundAtMs, launchedAtMs]]), statusSends (status updates
 * sent on subscription streams: {first, again}).
 * Bound to loopback only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { MesosSimulator } from './index.js';
import type { FaultSpec } from './types.js';

type Args = Record<string, unknown>;

function str(a: Args, k: string): string {
  const v = a[k];
  if (typeof v !== 'string') throw new Error(`"${k}" must be a string`);
  return v;
}

const METHODS: Record<string, (sim: MesosSimulator, a: Args) => unknown> = {
  setLeader: (sim, a) => sim.setLeader(Number(a['index'])),
  setNoLeader: (sim) => sim.setNoLeader(),
  breakSchedulerStreams: (sim) => sim.schedulerApi.breakStreams(),
  takeBoundPods: (sim, a) => sim.schedulerApi.takeBoundPods(str(a, 'namespace')),
  statusSends: (sim) => ({ ...sim.schedulerApi.statusSends }),
  fault: (sim, a) => {
    const ep = a['endpoint'];
    const endpoint =
      typeof ep === 'object' && ep !== null && typeof (ep as { regex?: unknown }).regex === 'string'
        ? new RegExp((ep as { regex: string }).regex, (ep as { flags?: string }).flags ?? '')
        : ep;
    sim.fault({ ...(a as unknown as FaultSpec), ...(endpoint !== undefined ? { endpoint: endpoint as string | RegExp } : {}) });
  },
  clearFaults: (sim) => sim.clearFaults(),
  requestLog: (sim) => sim.requestLog(),
  clearRequestLog: (sim) => sim.clearRequestLog(),
  addFramework: (sim, a) => sim.addFramework(a as never),
  addExecutor: (sim, a) => sim.addExecutor(a as never),
  addTask: (sim, a) => sim.addTask(a as never),
  addOffer: (sim, a) => sim.addOffer(a as never),
  removeOffer: (sim, a) => sim.removeOffer(str(a, 'offerId')),
  setTaskState: (sim, a) => sim.setTaskState(str(a, 'taskId'), str(a, 'state') as never, a),
  removeAgent: (sim, a) => sim.removeAgent(str(a, 'agentId'), { ...(a['stopServer'] === false ? { stopServer: false } : {}) }),
  stopAgent: (sim, a) => sim.stopAgent(str(a, 'agentId')),
  setAgentActive: (sim, a) => sim.setAgentActive(str(a, 'agentId'), a['active'] === true),
  setAgentDeactivated: (sim, a) =>
    sim.setAgentDeactivated(
      str(a, 'agentId'),
      a['deactivated'] === true,
      a['drainState'] === 'DRAINING' || a['drainState'] === 'DRAINED' ? a['drainState'] : undefined,
    ),
  shutdownExecutor: (sim, a) => sim.shutdownExecutor(str(a, 'agentId'), str(a, 'executorId'), a),
  reviveExecutor: (sim, a) => sim.reviveExecutor(str(a, 'agentId'), str(a, 'executorId'), typeof a['frameworkId'] === 'string' ? a['frameworkId'] : undefined),
  teardownFramework: (sim, a) => sim.teardownFramework(str(a, 'frameworkId')),
  launchK8smPod: (sim, a) => sim.launchK8smPod(a as never),
};

async function body(req: IncomingMessage): Promise<Args> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  const v = JSON.parse(text) as unknown;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('the body must be a JSON object');
  return v as Args;
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export async function startControlServer(sim: MesosSimulator, port: number, host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').replace(/^\/+/, '').split('?')[0] ?? '';
    const fn = METHODS[name];
    if (!fn) return reply(res, 404, { error: `no method ${name}; methods: ${Object.keys(METHODS).join(', ')}` });
    if (req.method !== 'POST' && !(req.method === 'GET' && name === 'requestLog')) return reply(res, 405, { error: 'use POST' });
    void (async () => {
      try {
        const result = await fn(sim, await body(req));
        reply(res, 200, { result: result ?? null });
      } catch (e) {
        reply(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
