/**
 * Who may do what on the test stack's apiserver: an admin (group system:masters) and a limited user
 * who may only read pods in `team-a`, their RBAC objects, the namespaces, and the kubeconfig files.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createObject, type ApiserverHandle, type TokenUser } from './apiserver.js';

export const CLUSTER_NAME = 'k8sm-test';
export const NAMESPACES = ['team-a', 'team-b'];
export const LIMITED_NAMESPACE = 'team-a';

export function makeUsers(): { admin: TokenUser; limited: TokenUser } {
  const token = () => randomBytes(24).toString('hex');
  return {
    admin: { name: 'admin', uid: 'uid-admin', token: token(), groups: ['system:masters'] },
    limited: { name: 'limited', uid: 'uid-limited', token: token(), groups: ['k8sm-test:limited'] },
  };
}

/** Namespaces, and a Role + RoleBinding giving `limited` get/list/watch on pods in team-a only. */
export async function applyAccess(h: ApiserverHandle, limitedUser: string): Promise<void> {
  await Promise.all(NAMESPACES.map((ns) => createObject(h, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })));
  const ns = LIMITED_NAMESPACE;
  await createObject(h, `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'pod-reader', namespace: ns },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
  });
  await createObject(h, `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${limitedUser}-pod-reader`, namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: limitedUser }],
  });
}

export interface KubeconfigUser {
  name: string;
  context: string;
  namespace?: string;
  token?: string;
  clientCert?: string;
  clientKey?: string;
}

export function contextName(user: string): string {
  return `${user}@${CLUSTER_NAME}`;
}

const b64 = (file: string) => readFileSync(file).toString('base64');

/** A kubeconfig (YAML) for `users`, CA embedded; the first user's context is current. */
export function kubeconfigYaml(server: string, caFile: string, users: KubeconfigUser[]): string {
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'preferences: {}',
    'clusters:',
    `- name: ${CLUSTER_NAME}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(caFile)}`,
    'users:',
  ];
  for (const u of users) {
    lines.push(`- name: ${u.name}`, '  user:');
    if (u.token) lines.push(`    token: ${u.token}`);
    if (u.clientCert) lines.push(`    client-certificate-data: ${b64(u.clientCert)}`);
    if (u.clientKey) lines.push(`    client-key-data: ${b64(u.clientKey)}`);
  }
  lines.push('contexts:');
  for (const u of users) {
    lines.push(`- name: ${u.context}`, '  context:', `    cluster: ${CLUSTER_NAME}`, `    user: ${u.name}`);
    if (u.namespace) lines.push(`    namespace: ${u.namespace}`);
  }
  lines.push(`current-context: ${users[0]?.context ?? ''}`, '');
  return lines.join('\n');
}

export function writeKubeconfig(file: string, server: string, caFile: string, users: KubeconfigUser[]): string {
  writeFileSync(file, kubeconfigYaml(server, caFile, users), { mode: 0o600 });
  return file;
}

export function kubeconfigPaths(dir: string): { admin: string; limited: string; combined: string; certAdmin: string } {
  return {
    admin: join(dir, 'kubeconfig-admin.yaml'),
    limited: join(dir, 'kubeconfig-limited.yaml'),
    combined: join(dir, 'kubeconfig.yaml'),
    certAdmin: join(dir, 'kubeconfig-cert-admin.yaml'),
  };
}
