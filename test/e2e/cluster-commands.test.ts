/**
 * get agents|frameworks|tasks, describe agent and validate --mesos-master, run as a user runs them,
 * against a Mesos simulator (started here: two masters registered in the stack's real ZooKeeper,
 * three agents with gaps, reservations and attributes) and the stack's real kube-apiserver.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMesosSimulator, type MesosSimulator } from '../stack/mesos-sim/index.js';
import { kubeAccess, kubeApi, runCli, stack } from './helpers/index.js';

let sim: MesosSimulator;
let dir: string;
let k8smFramework: string;
let zkUrl: string;
const NS = 'team-a';
const podName = `web-${process.pid}`;

function pod(name: string, hostPorts: number[]) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: name } },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'busybox:latest',
          command: ['sleep', '3600'],
          ports: hostPorts.map((p, i) => ({ name: `p${i}`, containerPort: 8080 + i, hostPort: p })),
          resources: { limits: { cpu: '500m', memory: '128Mi' } },
        },
      ],
    },
  };
}

const master = () => sim.leaderUrl()!;
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env: { KUBECONFIG: stack().kube.kubeconfig, ...env } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-cluster-e2e-'));
  const info = stack();
  const zkPath = `/k8smctl-e2e-${process.pid}`;
  zkUrl = `zk://${info.zookeeper.connect}${zkPath}`;
  sim = await startMesosSimulator({
    masters: 2,
    zk: { connect: info.zookeeper.connect, path: zkPath },
    agents: [
      {
        hostname: 'agent-a',
        resources: { cpus: 4, mem: 8192, ports: '[31000-32000]' },
        attributes: { rack: 'r1' },
        flags: { executor_shutdown_grace_period: '5secs' },
      },
      {
        hostname: 'agent-b',
        resources: { cpus: 2, mem: 4096, ports: '[31000-31099, 31101-32000]' },
        attributes: { rack: 'r2', zone: 'a' },
        flags: { executor_shutdown_grace_period: '30secs' },
      },
      {
        hostname: 'agent-c',
        resources: { cpus: 8, mem: 16384, ports: '[20000-20010, 31000-32000]' },
        reserved: { public: { cpus: 2, mem: 2048, ports: '[20000-20010]' } },
      },
    ],
    frameworks: [
      { name: 'Kubernetes', role: '*', principal: 'k8sm', user: 'root', failoverTimeout: 604800, checkpoint: true },
      { name: 'marathon', role: '*', principal: 'marathon' },
    ],
  });
  const fw = JSON.parse(await (await fetch(`${master()}/master/frameworks`)).text()) as { frameworks: Array<{ id: string; name: string }> };
  k8smFramework = fw.frameworks.find((f) => f.name === 'Kubernetes')!.id;
  const created = await kubeApi(`/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: pod(podName, [31005, 31006]) });
  expect(created.status).toBe(201);
  const agentA = sim.agents.find((a) => a.hostname === 'agent-a')!;
  await sim.launchK8smPod({ agentId: agentA.id, frameworkId: k8smFramework, pod: pod(podName, [31005, 31006]), kube: kubeAccess() });
});

afterAll(async () => {
  await kubeApi(`/api/v1/namespaces/${NS}/pods/${podName}?gracePeriodSeconds=0`, { method: 'DELETE' }).catch(() => undefined);
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => sim.clearFaults());

describe('get agents', () => {
  test('one row per agent: ports used/total with gaps, k8sm executor, attributes; one master request', async () => {
    sim.clearRequestLog();
    const r = await cli(['get', 'agents', '--mesos-master', master()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^HOSTNAME\s+ACTIVE\s+CPUS\s+MEM\(MB\)\s+PORTS USED\s+PORTS FREE\s+K8SM EXECUTOR\s+K8SM TASKS\s+ATTRIBUTES$/);
    const row = (h: string) => lines.find((l) => l.startsWith(`${h} `))!.split(/\s{3,}/);
    expect(row('agent-a')).toEqual(['agent-a', 'true', '0.75/4', '256/8192', '2/1001', '999', 'yes', '1', 'rack=r1']);
    expect(row('agent-b')).toEqual(['agent-b', 'true', '0/2', '0/4096', '0/1000', '1000', 'no', '0', 'rack=r2,zone=a']);
    expect(row('agent-c')[4]).toBe('0/1012');
    expect(sim.requestLog().map((e) => e.path)).toEqual(['/state']);
  });

  test('through a comma list whose first master is a standby, and through zk://', async () => {
    const standby = sim.masters.find((m) => m.url !== master())!.url;
    const viaList = await cli(['get', 'agents', '-o', 'name', '--mesos-master', `${standby},${master()}`]);
    expect(viaList.code).toBe(0);
    expect(viaList.stdout).toBe('agent/agent-a\nagent/agent-b\nagent/agent-c\n');
    const viaZk = await cli(['get', 'agents', '-o', 'name'], { MESOS_MASTER: zkUrl });
    expect(viaZk.stderr).toBe('');
    expect(viaZk.stdout).toBe(viaList.stdout);
  });

  test('-o wide asks every agent (free ranges, shutdown grace); --no-headers', async () => {
    const r = await cli(['get', 'agents', '-o', 'wide', '--no-headers', '--mesos-master', master()]);
    expect(r.code).toBe(0);
    const a = r.stdout.split('\n').find((l) => l.startsWith('agent-a '))!;
    expect(a).toContain('[31000-31004, 31007-32000]');
    expect(a).toMatch(/5secs$/);
    expect(r.stdout).not.toMatch(/HOSTNAME/);
  });

  test('an agent that does not answer: the others are still shown, it is marked, exit 1', async () => {
    sim.fault({ agent: 'agent-b', kind: 'hang' });
    sim.clearRequestLog();
    const r = await cli(['get', 'agents', '-o', 'wide', '--request-timeout', '2s', '--mesos-master', master()]);
    // agent-b was asked once per endpoint: its timeout is not retried
    const askedB = sim
      .requestLog()
      .filter((e) => e.server.kind === 'agent' && e.server.hostname === 'agent-b')
      .map((e) => e.path);
    expect(askedB.length).toBeGreaterThan(0);
    expect(new Set(askedB).size).toBe(askedB.length);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^agent-a\s+true/m);
    expect(r.stdout).toMatch(/^agent-b\s+unreachable/m);
    expect(r.stdout).toMatch(/^agent-c\s+true/m);
    expect(r.stderr).toMatch(/warning: .*agent-b/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('-o json is a List that validate --cluster-snapshot reads back', async () => {
    const r = await cli(['get', 'agents', '-o', 'json', '--mesos-master', master()]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.kind).toBe('List');
    expect(doc.items.map((i: { kind: string; hostname: string }) => `${i.kind}/${i.hostname}`)).toEqual([
      'MesosAgent/agent-a',
      'MesosAgent/agent-b',
      'MesosAgent/agent-c',
    ]);
    const snap = join(dir, 'agents.json');
    writeFileSync(snap, r.stdout);
    const manifest = join(dir, 'gap.yaml');
    writeFileSync(manifest, JSON.stringify(pod('x', [40000])));
    const v = await cli(['validate', '-f', manifest, '--cluster-snapshot', snap, '-o', 'json']);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('host-port-not-offered');
  });
});

describe('get frameworks and get tasks', () => {
  test('frameworks: k8sm marked; its resources include the executor (0.25 CPU / 128 MB)', async () => {
    const r = await cli(['get', 'frameworks', '--mesos-master', master()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Kubernetes\s+\S+\s+true\s+true\s+\*\s+1\s+0\.75\s+256\s+yes$/m);
    expect(r.stdout).toMatch(/^marathon\s+\S+\s+true\s+true\s+\*\s+0\s+0\s+0\s+no$/m);
    const k8smOnly = await cli(['get', 'frameworks', '--k8sm', '-o', 'name', '--mesos-master', master()]);
    expect(k8smOnly.stdout).toBe(`framework/${k8smFramework}\n`);
  });

  test('tasks joined with their pods in the apiserver (admin, -A)', async () => {
    const r = await cli(['get', 'tasks', '-A', '--mesos-master', master()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes(podName))!;
    expect(line.split(/\s{3,}/)).toEqual([NS, podName, expect.stringMatching(/^pod\.[0-9a-f-]{36}$/), 'agent-a', 'TASK_RUNNING', 'Running', '31005-31006']);
  });

  test('the limited user sees team-a; all namespaces is Forbidden, in one line, exit 1', async () => {
    const env = { KUBECONFIG: stack().kube.limited.kubeconfig };
    const ok = await runCli(['get', 'tasks', '-o', 'name', '--mesos-master', master()], { env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^task\/pod\./);
    const denied = await runCli(['get', 'tasks', '-A', '--mesos-master', master()], { env });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^error: kube-apiserver https:\/\/127\.0\.0\.1:\d+ forbids user "limited" to list pods in all namespaces \(403 Forbidden\)/);
    expect(denied.stderr.trim().split('\n')).toHaveLength(1);
    expect(denied.stderr).not.toContain(stack().kube.limited.token);
  });

  test('a kubeconfig context that does not exist is a usage error', async () => {
    const r = await cli(['get', 'tasks', '--context', 'nope', '--mesos-master', master()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: context "nope" not found in kubeconfig/);
  });
});

describe('describe agent', () => {
  test('port map with the task holding its host ports, k8sm executor, flags and the shutdown-grace finding', async () => {
    const r = await cli(['describe', 'agent', 'agent-a', '--mesos-master', master()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name:\s+agent-a$/m);
    expect(r.stdout).toMatch(/31005-31006\s+used\s+pod\.\S+\s+web-\d+\.team-a\s+Kubernetes/);
    expect(r.stdout).toMatch(/31000-31004\s+free/);
    expect(r.stdout).toMatch(/_k8sm-executor\s+Kubernetes\s+[0-9a-f-]{36}\s+1\s+\//);
    expect(r.stdout).toMatch(/executor_shutdown_grace_period:\s+5secs/);
    expect(r.stdout).toMatch(/warning\s+agent-shutdown-grace-too-short/);
  });

  test('an unknown agent names the known ones; exit 1', async () => {
    const r = await cli(['describe', 'agent', 'agent-z', '--mesos-master', master()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: agent "agent-z" not found; known agents: agent-a, agent-b, agent-c\n');
  });
});

describe('validate --mesos-master', () => {
  test('a port some agents offer is fine, one none offers is an error, the gap of agent-b is not a problem', async () => {
    const f = join(dir, 'live.yaml');
    writeFileSync(f, [JSON.stringify(pod('ok', [31100])), JSON.stringify(pod('none', [40000]))].join('\n---\n'));
    const r = await cli(['validate', '-f', f, '-o', 'json', '--mesos-master', master()]);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ rule: string; name: string; port?: number }>;
    const offered = findings.filter((x) => x.rule === 'host-port-not-offered');
    expect(offered.map((x) => [x.name, x.port])).toEqual([['none', 40000]]);
  });
});

describe('faults', () => {
  test('no leader: a clear error naming the masters, exit 2', async () => {
    await sim.setNoLeader();
    try {
      const r = await cli(['get', 'agents', '--request-timeout', '2s', '--mesos-master', sim.masters.map((m) => m.url).join(',')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: no leading Mesos master/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await sim.setLeader(0);
    }
  });

  test('leader change between discovery and the request: the redirect is followed', async () => {
    const old = master();
    sim.fault({ master: 0, endpoint: /state/, kind: 'slow', delayMs: 1500, times: 1 });
    const run = cli(['get', 'agents', '-o', 'name', '--mesos-master', old]);
    await new Promise((r) => setTimeout(r, 500));
    await sim.setLeader(1);
    try {
      const r = await run;
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    } finally {
      await sim.setLeader(0);
    }
  });

  test('a master slower than --request-timeout: a clear error, the timeout not retried', async () => {
    sim.fault({ kind: 'hang', endpoint: /state/ });
    sim.clearRequestLog();
    const r = await cli(['get', 'agents', '--request-timeout', '1s', '--mesos-master', master()]);
    expect(
      sim
        .requestLog()
        .filter((e) => e.fault === 'hang')
        .map((e) => e.path),
    ).toEqual(['/state']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*timed out after 1s/);
  });

  test.each(['garbage', 'truncate'] as const)('%s JSON from the master: a clear error naming the master', async (kind) => {
    sim.fault({ kind, endpoint: /state/ });
    const r = await cli(['get', 'agents', '--mesos-master', master()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: .*${master().replace(/[.:/]/g, '\\$&')}`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
