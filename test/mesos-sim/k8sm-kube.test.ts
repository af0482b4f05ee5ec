/**
 * k8sm's executor behaviour against a real kube-apiserver (v1.20.2, built and cached by the stack's
 * provisioning) on a real etcd, both started here with the flags of the reference's "real test
 * stack" page: the pod is bound to the agent with k8sm's annotations and reported Running, an already
 * bound pod is annotated instead, and a missing pod fails before anything changes.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMesosSimulator, type MesosSimulator } from '../../test/stack/mesos-sim/index.js';
import { freePort, stopPid, waitFor } from '../../test/stack/mesos-sim/testing/proc.js';
import { raw } from './helpers/http-client.js';

const CACHE = join(homedir(), '.cache', 'k8smctl');

function apiserverBinary(): string {
  const dirs = existsSync(CACHE) ? readdirSync(CACHE).filter((d) => d.startsWith('kube-apiserver-')) : [];
  for (const d of dirs) {
    const f = join(CACHE, d, 'kube-apiserver');
    if (existsSync(f)) return f;
  }
  throw new Error(`no kube-apiserver under ${CACHE}: run test/stack/provision.sh`);
}

let dir: string;
const procs: ChildProcess[] = [];
let server: string;
let ca: string;
const token = 'mesos-sim-admin-token';
let sim: MesosSimulator;
let fw: string;

function daemon(cmd: string, args: string[], log: string): ChildProcess {
  const fd = openSync(join(dir, log), 'a');
  try {
    const c = spawn(cmd, args, { stdio: ['ignore', fd, fd] });
    procs.push(c);
    return c;
  } finally {
    closeSync(fd);
  }
}

const kube = (method: string, path: string, body?: unknown) =>
  raw(server + path, {
    method,
    ca,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mesos-sim-kube-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=mesos-sim-test-ca');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', 'server.crt', '-extfile', 'san.ext');
  ssl('genrsa', '-out', 'sa.key', '2048');
  ssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
  writeFileSync(join(dir, 'tokens.csv'), `${token},admin,admin-uid,"system:masters"\n`);
  ca = readFileSync(join(dir, 'ca.crt'), 'utf8');

  const [client, peer, secure] = [await freePort(), await freePort(), await freePort()];
  const etcd = daemon(
    'etcd',
    [
      '--name', 't', '--data-dir', join(dir, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${client}`, '--advertise-client-urls', `http://127.0.0.1:${client}`,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `t=http://127.0.0.1:${peer}`,
    ],
    'etcd.log',
  );
  await waitFor('etcd', async () => ((await raw(`http://127.0.0.1:${client}/health`)).status === 200 ? true : undefined), 20000, () =>
    etcd.exitCode !== null ? 'exited' : undefined,
  );
  const apiserver = daemon(
    apiserverBinary(),
    [
      `--etcd-servers=http://127.0.0.1:${client}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${secure}`,
      `--tls-cert-file=${join(dir, 'server.crt')}`,
      `--tls-private-key-file=${join(dir, 'server.key')}`,
      `--client-ca-file=${join(dir, 'ca.crt')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      '--endpoint-reconciler-type=none',
      `--cert-dir=${join(dir, 'certs')}`,
    ],
    'apiserver.log',
  );
  server = `https://127.0.0.1:${secure}`;
  await waitFor(
    'kube-apiserver',
    async () => ((await kube('GET', '/readyz')).status === 200 ? true : undefined),
    60000,
    () => (apiserver.exitCode !== null ? `exited: ${readFileSync(join(dir, 'apiserver.log'), 'utf8').slice(-1500)}` : undefined),
  );
  await waitFor('default namespace', async () => ((await kube('GET', '/api/v1/namespaces/default')).status === 200 ? true : undefined), 30000);

  sim = await startMesosSimulator({
    agents: [{ hostname: 'agent-1', ip: '127.0.0.203', resources: { cpus: 2, mem: 1024 } }],
    frameworks: [{ name: 'Kubernetes' }],
  });
  fw = [...sim.state.frameworks.values()][0]!.id;
}, 120000);

afterAll(async () => {
  await sim?.close();
  for (const p of procs.reverse()) if (p.pid) await stopPid(p.pid, 10000, p);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60000);

const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations: { 'team.example/owner': 'ops' } },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
});

describe('launchK8smPod with a real apiserver', () => {
  test('binds the pod with k8sm annotations and reports it Running', async () => {
    expect((await kube('POST', '/api/v1/namespaces/default/pods', pod('web'))).status).toBe(201);
    const launched = await sim.launchK8smPod({ agentId: 'agent-1', frameworkId: fw, pod: pod('web'), kube: { server, token, caPem: ca } });
    const live = JSON.parse((await kube('GET', '/api/v1/namespaces/default/pods/web')).body);
    expect(launched.uid).toBe(live.metadata.uid);
    expect(live.spec.nodeName).toBe('agent-1');
    expect(live.metadata.annotations).toMatchObject({
      'team.example/owner': 'ops',
      'k8s.mesosphere.io/bindingHost': 'agent-1',
      'k8s.mesosphere.io/taskId': launched.taskId,
      'k8s.mesosphere.io/slaveId': sim.agents[0]!.id,
      'k8s.mesosphere.io/executorId': launched.executorId,
      'k8s.mesosphere.io/port_TCP_80': '31000',
    });
    expect(live.metadata.annotations['k8s.mesosphere.io/offerId']).toBe(launched.annotations['k8s.mesosphere.io/offerId']);
    expect(live.status.phase).toBe('Running');
    expect(live.status.hostIP).toBe('127.0.0.203');
    expect(sim.state.task(launched.taskId).state).toBe('TASK_RUNNING');
  }, 30000);

  test('a pod already bound gets its annotations by merge-patch (no second Binding)', async () => {
    expect((await kube('POST', '/api/v1/namespaces/default/pods', pod('pinned', 'agent-1'))).status).toBe(201);
    const launched = await sim.launchK8smPod({ agentId: 'agent-1', frameworkId: fw, pod: pod('pinned'), kube: { server, token, caPem: ca } });
    const live = JSON.parse((await kube('GET', '/api/v1/namespaces/default/pods/pinned')).body);
    expect(live.metadata.annotations['k8s.mesosphere.io/taskId']).toBe(launched.taskId);
    expect(live.status.phase).toBe('Running');
  }, 30000);

  test('pods seeded in the config are launched at start against the config\'s apiserver', async () => {
    expect((await kube('POST', '/api/v1/namespaces/default/pods', pod('seeded'))).status).toBe(201);
    const seeded = await startMesosSimulator({
      kube: { server, token, caPem: ca },
      agents: [{ hostname: 'agent-9', ip: '127.0.0.204', resources: { cpus: 1, mem: 512 } }],
      frameworks: [{ name: 'Kubernetes', pods: [{ agentId: 'agent-9', pod: pod('seeded') }] }],
    });
    try {
      const live = JSON.parse((await kube('GET', '/api/v1/namespaces/default/pods/seeded')).body);
      expect(live.spec.nodeName).toBe('agent-9');
      expect(live.status.phase).toBe('Running');
      const task = [...seeded.state.tasks.values()][0]!;
      expect(live.metadata.annotations['k8s.mesosphere.io/taskId']).toBe(task.id);
      expect(task.name).toBe('seeded.default.pod');
    } finally {
      await seeded.close();
    }
  }, 30000);

  test('a pod missing from the apiserver fails before anything is created', async () => {
    const tasks = sim.state.tasks.size;
    await expect(sim.launchK8smPod({ agentId: 'agent-1', frameworkId: fw, pod: pod('ghost'), kube: { server, token, caPem: ca } })).rejects.toThrow(
      /reading pod default\/ghost: HTTP 404/,
    );
    expect(sim.state.tasks.size).toBe(tasks);
  }, 30000);
});
