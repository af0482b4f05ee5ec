/**
 * `k8smctl scheduler run --leader-elect`, the built binary, two at a time against the test stack's
 * real kube-apiserver (the coordination.k8s.io/v1 Lease) and the Mesos simulator (issue 11, high
 * availability): only the Lease holder subscribes; a SIGKILLed leader is replaced by the other, which
 * subscribes with the SAME framework id and places a pod created afterwards; a SIGTERMed leader
 * releases the Lease, so the other takes it over at once (long before the Lease's duration).
 * Outcomes and their order only, no timings.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, cliBin, kubeApi, stack, stackEnv } from './helpers/index.js';

jest.setTimeout(240_000);

const PID = process.pid;
const NS = `ha-${PID}`;
const NAME = `k8smctl-ha-${PID}`;
const FW = `k8sm-ha-e2e-${PID}`;
/** The default Lease name: k8sm-scheduler-<framework name>. */
const LEASE = `k8sm-scheduler-${FW}`;
const LEASE_PATH = `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${LEASE}`;
/** Short, but with room for a loaded 2-core machine: a leader that misses its renew deadline exits, and the test says so. */
const FAST = ['--leader-elect-lease-duration', '5s', '--leader-elect-renew-deadline', '3s', '--leader-elect-retry-period', '500ms'];

interface Scheduler {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

const started: Scheduler[] = [];
/** Every stderr line of every scheduler, in the order they arrived (which process, the line). */
const timeline: Array<{ who: Scheduler; line: string }> = [];

function startScheduler(extra: string[], env: Record<string, string> = {}): Scheduler {
  let err = '';
  let partial = '';
  const proc = spawn(
    process.execPath,
    [cliBin, 'scheduler', 'run', '--scheduler-name', NAME, '--framework-name', FW, '--km-path', 'file:///opt/k8sm/km', '--port', '0', '-v', '2', ...extra],
    { env: { ...baseEnv(), ...stackEnv(), ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const s: Scheduler = { proc, stderr: () => err, exited: new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code))) };
  proc.stderr.on('data', (c: Buffer) => {
    const text = c.toString('utf8');
    err += text;
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) timeline.push({ who: s, line });
  });
  started.push(s);
  return s;
}

/** The index in `timeline` of the first line of `who` matching `re` (-1: none). */
const at = (who: Scheduler, re: RegExp): number => timeline.findIndex((t) => t.who === who && re.test(t.line));

/**
 * A TCP relay in front of the apiserver (TLS passes through unchanged) that can go quiet: once
 * frozen, nothing more is relayed and new connections are held without an answer, as when a
 * network partition cuts a scheduler off from the apiserver.
 */
async function apiserverRelay(): Promise<{ kubeconfig: string; freeze: () => void; close: () => Promise<void> }> {
  const target = new URL(stack().kube.url);
  const sockets = new Set<Socket>();
  let frozen = false;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    if (frozen) return;
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('data', (d) => !frozen && upstream.write(d));
    upstream.on('data', (d) => !frozen && client.write(d));
    client.on('close', () => !frozen && upstream.destroy());
    upstream.on('close', () => !frozen && client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-ha-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, readFileSync(stack().kube.kubeconfig, 'utf8').split(stack().kube.url).join(`https://127.0.0.1:${port}`));
  return {
    kubeconfig,
    freeze: () => (frozen = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, tries = 240): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  // What the schedulers said last, to tell why.
  const said = timeline
    .slice(-40)
    .map((t) => `[${started.indexOf(t.who)}] ${t.line}`)
    .join('\n');
  throw new Error(`gave up waiting for ${what}; the schedulers' last lines:\n${said}`);
}

async function kube<T = any>(path: string, opts: { method?: string; body?: unknown } = {}): Promise<T> {
  const r = await kubeApi<T>(path, opts);
  if (r.status >= 300) throw new Error(`apiserver ${opts.method ?? 'GET'} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.body;
}

const subscribedId = (s: Scheduler): string | undefined => /subscribed frameworkId="([^"]+)"/.exec(s.stderr())?.[1];
const identityOf = (s: Scheduler): string | undefined => /acquired the lease [^\n]*identity="([^"]+)"/.exec(s.stderr())?.[1];
const httpOf = (s: Scheduler): string | undefined => /leader election[^\n]* http="([^"]+)"/.exec(s.stderr())?.[1];

/** This test's frameworks the simulator's leading master has connected (its /master/frameworks). */
async function connected(): Promise<Array<{ id: string }>> {
  const r = await fetch(`${stack().mesos!.leaderUrl}/master/frameworks`);
  const body = (await r.json()) as { frameworks: Array<{ id: string; name: string; active?: boolean; connected?: boolean }> };
  return body.frameworks.filter((f) => f.name === FW && f.active !== false && f.connected !== false);
}

/** Which of the two leads once one has subscribed (and the other has not). */
async function leaderOf(a: Scheduler, b: Scheduler): Promise<[Scheduler, Scheduler]> {
  return until('one of the two to subscribe', () => {
    if (subscribedId(a) && !subscribedId(b)) return [a, b] as [Scheduler, Scheduler];
    if (subscribedId(b) && !subscribedId(a)) return [b, a] as [Scheduler, Scheduler];
    if (subscribedId(a) && subscribedId(b)) throw new Error(`both subscribed:\n${a.stderr()}\n---\n${b.stderr()}`);
    return undefined;
  });
}

function pod(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: {
      schedulerName: NAME,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: 'busybox:latest', command: ['sleep', '3600'], resources: { limits: { cpu: '100m', memory: '32Mi' } } }],
    },
  };
}

beforeAll(async () => {
  await kube('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
}, 120_000);

afterAll(async () => {
  for (const s of started) {
    if (s.proc.exitCode === null && s.proc.signalCode === null) {
      s.proc.kill('SIGKILL');
      await s.exited;
    }
  }
  // End the framework (its tasks) as scheduler.test.ts does, then remove the Lease and the namespace.
  const clean = startScheduler(['--teardown-on-exit']);
  await until('the cleanup subscription', () => (subscribedId(clean) ? true : undefined)).catch(() => undefined);
  clean.proc.kill('SIGTERM');
  await clean.exited;
  await kubeApi(LEASE_PATH, { method: 'DELETE' });
  await kubeApi(`/api/v1/namespaces/${NS}`, { method: 'DELETE' });
}, 180_000);

describe('scheduler run --leader-elect against the test stack', () => {
  test('only the Lease holder subscribes; SIGKILL it and the other takes over with the same framework id and places new pods', async () => {
    const a = startScheduler(['--leader-elect', ...FAST]);
    const b = startScheduler(['--leader-elect', ...FAST]);
    const [leader, standby] = await leaderOf(a, b);
    const firstId = subscribedId(leader)!;
    const leaderIdentity = identityOf(leader)!;
    expect(leaderIdentity).toMatch(/^[^_]+_[0-9a-f-]{36}$/);

    // The standby waits for the Lease, naming its holder, serves /healthz but is not ready, and never subscribes.
    await until('the standby to wait', () =>
      standby.stderr().includes(`waiting for the lease lease="kube-system/${LEASE}" holder="${leaderIdentity}"`) ? true : undefined,
    );
    const standbyHttp = httpOf(standby)!;
    expect((await fetch(`${standbyHttp}/healthz`)).status).toBe(200);
    expect((await fetch(`${standbyHttp}/readyz`)).status).not.toBe(200);
    expect((await until('one connected framework', async () => ((await connected()).length === 1 ? await connected() : undefined)))[0]!.id).toBe(firstId);
    const lease = await kube<{ spec: { holderIdentity: string; leaseDurationSeconds: number } }>(LEASE_PATH);
    expect(lease.spec).toMatchObject({ holderIdentity: leaderIdentity, leaseDurationSeconds: 5 });
    expect(subscribedId(standby)).toBeUndefined();

    // A pod placed by the first leader.
    await kube(`/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: pod('before') });
    await until('the first pod placed', async () =>
      (await kube<{ spec: { nodeName?: string } }>(`/api/v1/namespaces/${NS}/pods/before`)).spec.nodeName ? true : undefined,
    );

    leader.proc.kill('SIGKILL');
    await leader.exited;
    const secondId = await until('the standby to subscribe', () => subscribedId(standby));
    expect(secondId).toBe(firstId);
    expect(standby.stderr()).toMatch(/waiting for the lease[\s\S]*acquired the lease[\s\S]*subscribed frameworkId=/);
    const taken = await kube<{ spec: { holderIdentity: string; leaseTransitions: number } }>(LEASE_PATH);
    expect(taken.spec.holderIdentity).toBe(identityOf(standby));
    expect(taken.spec.leaseTransitions).toBeGreaterThanOrEqual(1);
    await until('the new leader ready', async () => ((await fetch(`${standbyHttp}/readyz`)).status === 200 ? true : undefined));

    await kube(`/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: pod('after') });
    await until('the pod created after the takeover placed', async () =>
      (await kube<{ spec: { nodeName?: string } }>(`/api/v1/namespaces/${NS}/pods/after`)).spec.nodeName ? true : undefined,
    );
    expect(standby.stderr()).toMatch(new RegExp(`launched pod="${NS}/after"`));
    expect((await connected()).map((f) => f.id)).toEqual([firstId]);
    expect(standby.proc.exitCode).toBeNull();

    // Hand over for the next test: SIGTERM releases the Lease.
    standby.proc.kill('SIGTERM');
    expect(await standby.exited).toBe(0);
  });

  test('SIGTERM of the leader releases the Lease: the other takes it at once, long before the Lease duration (120 s)', async () => {
    // A long Lease: without the release the candidate would wait 120 s, more than the wait below allows.
    const SLOW = ['--leader-elect', '--leader-elect-lease-duration', '120s', '--leader-elect-renew-deadline', '10s', '--leader-elect-retry-period', '500ms'];
    const c = startScheduler(SLOW);
    const cId = await until('the first scheduler to subscribe', () => subscribedId(c));
    const d = startScheduler(SLOW);
    await until('the second to wait', () => (/waiting for the lease/.test(d.stderr()) ? true : undefined));
    expect(subscribedId(d)).toBeUndefined();

    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    expect(c.stderr()).toMatch(/leaving the framework registered for failover[\s\S]*released the lease/);
    // 60 tries of 0.5 s: half the Lease duration.
    const dId = await until('the second to subscribe after the release', () => subscribedId(d), 60);
    expect(dId).toBe(cId);
    const lease = await kube<{ spec: { holderIdentity: string } }>(LEASE_PATH);
    expect(lease.spec.holderIdentity).toBe(identityOf(d));
    d.proc.kill('SIGTERM');
    expect(await d.exited).toBe(0);
  });

  test('a leader cut off from the apiserver stops at its renew deadline and exits 1; the standby then takes over with the same framework id', async () => {
    const relay = await apiserverRelay();
    try {
      const cut = startScheduler(['--leader-elect', ...FAST], { KUBECONFIG: relay.kubeconfig });
      const firstId = await until('the relayed scheduler to subscribe', () => subscribedId(cut));
      const standby = startScheduler(['--leader-elect', ...FAST]);
      await until('the standby to wait', () => (/waiting for the lease/.test(standby.stderr()) ? true : undefined));

      relay.freeze();
      expect(await cut.exited).toBe(1);
      expect(cut.stderr()).toContain(`error: lost the lease kube-system/${LEASE} (`);
      expect(cut.stderr()).toMatch(/\): exiting so that a supervisor restarts this process\n/);
      expect(cut.stderr()).toMatch(/lost the lease: stopping[\s\S]*leaving the framework registered for failover/);
      expect(cut.stderr()).not.toMatch(/tearing down/);

      const secondId = await until('the standby to subscribe', () => subscribedId(standby));
      expect(secondId).toBe(firstId);
      // The old leader had stopped before the standby took the Lease.
      expect(at(cut, /lost the lease: stopping/)).toBeGreaterThanOrEqual(0);
      expect(at(cut, /lost the lease: stopping/)).toBeLessThan(at(standby, /acquired the lease/));
      standby.proc.kill('SIGTERM');
      expect(await standby.exited).toBe(0);
    } finally {
      await relay.close();
    }
  });
});
