/**
 * kube-apiserver v1.20.2 (built from Debian's source package by provision.sh) with TLS, RBAC and
 * static token users. Nothing else of Kubernetes runs: no kubelet, scheduler or controller-manager.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { http, pickPort, waitUntil } from './net.js';
import { exitedWhy, startDaemon, type Daemon } from './proc.js';
import type { PkiInfo } from './types.js';

export interface TokenUser {
  name: string;
  uid: string;
  token: string;
  groups: string[];
}

export interface ApiserverHandle {
  daemon: Daemon;
  url: string;
  caPem: string;
  adminToken: string;
}

/** The token file format `--token-auth-file` reads: token,user,uid,"group1,group2". */
export function tokenFileLine(u: TokenUser): string {
  return `${u.token},${u.name},${u.uid},"${u.groups.join(',')}"`;
}

export async function startApiserver(opts: {
  binary: string;
  dir: string;
  logsDir: string;
  pki: PkiInfo;
  etcdUrl: string;
  users: TokenUser[];
}): Promise<ApiserverHandle> {
  const port = await pickPort('127.0.0.1');
  mkdirSync(opts.dir, { recursive: true });
  const tokenFile = join(opts.dir, 'tokens.csv');
  writeFileSync(tokenFile, `${opts.users.map(tokenFileLine).join('\n')}\n`, { mode: 0o600 });
  const admin = opts.users.find((u) => u.groups.includes('system:masters'));
  if (!admin) throw new Error('startApiserver: no user in system:masters');
  const daemon = startDaemon({
    name: 'kube-apiserver',
    command: opts.binary,
    args: [
      `--etcd-servers=${opts.etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${opts.dir}`,
      `--tls-cert-file=${opts.pki.apiserverCert}`,
      `--tls-private-key-file=${opts.pki.apiserverKey}`,
      `--client-ca-file=${opts.pki.caCert}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${opts.pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${opts.pki.serviceAccountKey}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      '--endpoint-reconciler-type=none',
      '--profiling=false',
      '--v=1',
    ],
    log: join(opts.logsDir, 'kube-apiserver.log'),
  });
  return {
    daemon,
    url: `https://127.0.0.1:${port}`,
    caPem: readFileSync(opts.pki.caCert, 'utf8'),
    adminToken: admin.token,
  };
}

/**
 * Wait until `/readyz` answers 200 to the admin token (another server on the port would not know the
 * token: that is the check that the apiserver answering is ours).
 */
export async function waitForApiserver(h: ApiserverHandle, timeoutMs: number): Promise<void> {
  await waitUntil(
    `kube-apiserver at ${h.url}`,
    async () => {
      const r = await http(`${h.url}/readyz`, { ca: h.caPem, token: h.adminToken, timeoutMs: 2000 });
      return r.status === 200 ? true : undefined;
    },
    { timeoutMs, intervalMs: 100, abort: () => exitedWhy(h.daemon) },
  );
}

/** Create an object with the admin token; an existing one (409) is fine. */
export async function createObject(h: ApiserverHandle, path: string, obj: unknown): Promise<void> {
  const r = await http(`${h.url}${path}`, {
    method: 'POST',
    ca: h.caPem,
    token: h.adminToken,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(obj),
    timeoutMs: 10_000,
  });
  if (r.status !== 201 && r.status !== 200 && r.status !== 409) {
    throw new Error(`POST ${path}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
  }
}
