/**
 * A real etcd + kube-apiserver for the kube client tests (test/stack/test-servers.ts: TLS, RBAC, an
 * admin token user and a limited user who may read pods in team-a only), seeded with the pods, node
 * and events the tests read.
 */
import { createObject, type TokenUser } from '../../stack/apiserver.js';
import { startTestKubeApiserver } from '../../stack/test-servers.js';
import type { PkiInfo } from '../../stack/types.js';

export interface KubeTestServer {
  url: string;
  dir: string;
  pki: PkiInfo;
  admin: TokenUser;
  limited: TokenUser;
  stop(): Promise<void>;
}

export async function startKubeTestServer(): Promise<KubeTestServer> {
  const server = await startTestKubeApiserver();
  try {
    const h = server.handle;
    const pod = (ns: string, name: string, hostPort?: number) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: { app: name }, annotations: { 'k8s.mesosphere.io/roles': '*' } },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'busybox:latest',
            ...(hostPort ? { ports: [{ containerPort: 8080, hostPort, protocol: 'TCP' }] } : {}),
            resources: { limits: { cpu: '250m', memory: '64Mi' } },
          },
        ],
        nodeSelector: { 'k8s.mesosphere.io/attribute-rack': 'r1' },
      },
    });
    await createObject(h, '/api/v1/namespaces/team-a/pods', pod('team-a', 'web', 31000));
    await createObject(h, '/api/v1/namespaces/team-a/pods', pod('team-a', 'worker'));
    await createObject(h, '/api/v1/namespaces/team-b/pods', pod('team-b', 'api', 31001));
    await createObject(h, '/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'agent-1', labels: { 'kubernetes.io/hostname': 'agent-1', 'k8s.mesosphere.io/attribute-rack': 'r1' } },
      spec: { externalID: 'agent-1' },
    });
    const event = (name: string, reason: string, message: string, at: string) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: 'team-a' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'team-a' },
      reason,
      message,
      type: 'Warning',
      count: 1,
      firstTimestamp: at,
      lastTimestamp: at,
      source: { component: 'default-scheduler' },
    });
    // Created out of order: the client sorts by time.
    await createObject(
      h,
      '/api/v1/namespaces/team-a/events',
      event('web.2', 'FailedScheduling', 'Error scheduling: no suitable offers for pod/task', '2026-01-01T00:00:02Z'),
    );
    await createObject(h, '/api/v1/namespaces/team-a/events', event('web.1', 'FailedScheduling', 'first try', '2026-01-01T00:00:01Z'));
    await createObject(h, '/api/v1/namespaces/team-a/events', {
      ...event('worker.1', 'Scheduled', 'other pod', '2026-01-01T00:00:03Z'),
      involvedObject: { kind: 'Pod', name: 'worker', namespace: 'team-a' },
    });
    return { url: server.url, dir: server.dir, pki: server.pki, admin: server.admin, limited: server.limited, stop: () => server.stop() };
  } catch (e) {
    await server.stop();
    throw e;
  }
}
