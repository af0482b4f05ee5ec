import { ClientError } from '../clients/errors.js';
import type { KubeClient } from '../clients/kube/kube-client.js';
import { apiserverLeases, type LeaseStore } from './leader.js';

/**
 * What the scheduler loop asks of the apiserver, as a port: the loop's tests give it a fake, the
 * command gives it `apiserverPort` (the kube client's HTTP layer and credentials).
 */

export type Json = Record<string, unknown>;

export interface PodWatchEvent {
  /** BOOKMARK: no pod changed; `pod` carries only the resourceVersion the watch has reached. */
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  pod: Json;
}

/** Thrown by `watchPods` when the resourceVersion is too old (410 Gone): the loop relists. */
export class WatchExpired extends Error {
  constructor() {
    super('watch expired (410 Gone)');
    this.name = 'WatchExpired';
  }
}

export interface SchedulerKube {
  /** The apiserver's URL (the executors' default --api-servers). */
  readonly server?: string;
  /**
   * Every pod of every namespace, handed over a page at a time (a list of 30,000 pods held whole
   * until its last page was most of the scheduler's peak memory); resolves to the list's resourceVersion.
   * `fromCache`: the apiserver may answer from its watch cache (informers' first list, far cheaper for
   * it); otherwise a consistent read (a relist after the watch expired: never older than what was seen).
   * `signal` stops the list (a scheduler told to stop does not wait for a list of many pods).
   */
  listPods(onPage: (pods: Json[]) => void, o?: { fromCache?: boolean; signal?: AbortSignal }): Promise<string>;
  /** Pod changes after `resourceVersion`; ends when the apiserver ends the watch; WatchExpired on 410. */
  watchPods(resourceVersion: string, signal: AbortSignal): AsyncIterable<PodWatchEvent>;
  /** Every Node's labels, by name (read once at start: Nodes already right need no write). */
  listNodes(): Promise<Map<string, Record<string, string>>>;
  /** Creates the Node as k8sm does (§1.8) or merges these labels into the existing one. */
  applyNode(name: string, labels: Record<string, string>): Promise<void>;
  createEvent(namespace: string, event: Json): Promise<void>;
  /** Deletes a pod with grace 0 (a rogue pod, §1.11); a missing pod is not an error. */
  deletePod(namespace: string, name: string): Promise<void>;
  getConfigMap(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** Creates or replaces the ConfigMap's data. */
  putConfigMap(namespace: string, name: string, data: Record<string, string>): Promise<void>;
  deleteConfigMap(namespace: string, name: string): Promise<void>;
  /** `--leader-elect`'s Lease (coordination.k8s.io/v1); src/scheduler/leader.ts. */
  readonly leases?: LeaseStore;
}

const enc = encodeURIComponent;

/** A field selector value with `\\`, `,` and `=` escaped, as the apiserver reads them. */
function fieldValue(v: string): string {
  return v.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * The port over the real apiserver. With `schedulerName`, the pod list and watch ask the apiserver
 * for that scheduler's pods only (`spec.schedulerName`, which is immutable and defaulted on every
 * pod): pods of other schedulers never name this one's tasks, and a cluster's other pods were most
 * of the list's cost (the apiserver encodes every pod it sends) and of the loop's memory.
 */
export function apiserverPort(kube: KubeClient, sel: { schedulerName?: string } = {}): SchedulerKube {
  const selector: Record<string, string> = sel.schedulerName ? { fieldSelector: `spec.schedulerName=${fieldValue(sel.schedulerName)}` } : {};
  return {
    server: kube.server,
    leases: apiserverLeases(kube),
    listPods(onPage, o = {}) {
      return kube.eachPage<Json>('/api/v1/pods', selector, { verb: 'list', resource: 'pods', namespace: '' }, onPage, o);
    },
    async *watchPods(resourceVersion, signal) {
      try {
        for await (const ev of kube.watch(
          '/api/v1/pods',
          { resourceVersion, allowWatchBookmarks: 'true', ...selector },
          { verb: 'watch', resource: 'pods', namespace: '' },
          signal,
        )) {
          if (ev.type === 'ERROR') {
            if ((ev.object as { code?: unknown }).code === 410) throw new WatchExpired();
            throw new Error(`watch of pods failed: ${JSON.stringify((ev.object as { message?: unknown }).message ?? 'error')}`);
          }
          if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED' || ev.type === 'BOOKMARK') yield { type: ev.type, pod: ev.object };
        }
      } catch (e) {
        if (e instanceof ClientError && e.status === 410) throw new WatchExpired();
        throw e;
      }
    },
    async listNodes() {
      const out = new Map<string, Record<string, string>>();
      await kube.eachPage<{ metadata?: { name?: unknown; labels?: Record<string, string> } }>(
        '/api/v1/nodes',
        {},
        { verb: 'list', resource: 'nodes' },
        (nodes) => {
          for (const n of nodes) if (typeof n.metadata?.name === 'string') out.set(n.metadata.name, { ...(n.metadata.labels ?? {}) });
        },
      );
      return out;
    },
    async applyNode(name, labels) {
      // Created first (one request for a new host, where a read first cost two); an existing Node
      // (409) gets the labels merged.
      try {
        await kube.requestJson('POST', '/api/v1/nodes', {
          body: {
            apiVersion: 'v1',
            kind: 'Node',
            metadata: { name, labels },
            spec: { externalID: name },
            status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'True', reason: 'k8sm', message: 'registered from a Mesos offer' }] },
          },
          action: { verb: 'create', resource: 'nodes', name },
        });
        return;
      } catch (e) {
        if (!(e instanceof ClientError && e.kind === 'conflict')) throw e;
      }
      await kube.requestJson('PATCH', `/api/v1/nodes/${enc(name)}`, {
        body: { metadata: { labels } },
        contentType: 'application/merge-patch+json',
        action: { verb: 'patch', resource: 'nodes', name },
      });
    },
    async createEvent(namespace, event) {
      await kube.requestJson('POST', `/api/v1/namespaces/${enc(namespace)}/events`, { body: event, action: { verb: 'create', resource: 'events', namespace } });
    },
    async deletePod(namespace, name) {
      await kube.requestJson('DELETE', `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`, {
        body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 },
        allowNotFound: true,
        action: { verb: 'delete', resource: 'pods', name, namespace },
      });
    },
    async getConfigMap(namespace, name) {
      const cm = (await kube.requestJson('GET', `/api/v1/namespaces/${enc(namespace)}/configmaps/${enc(name)}`, {
        allowNotFound: true,
        action: { verb: 'get', resource: 'configmaps', name, namespace },
      })) as { data?: Record<string, string> } | undefined;
      return cm === undefined ? undefined : (cm.data ?? {});
    },
    async putConfigMap(namespace, name, data) {
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
      const path = `/api/v1/namespaces/${enc(namespace)}/configmaps`;
      try {
        await kube.requestJson('POST', path, { body, action: { verb: 'create', resource: 'configmaps', name, namespace } });
      } catch (e) {
        if (!(e instanceof ClientError && e.kind === 'conflict')) throw e;
        await kube.requestJson('PUT', `${path}/${enc(name)}`, { body, action: { verb: 'update', resource: 'configmaps', name, namespace } });
      }
    },
    async deleteConfigMap(namespace, name) {
      await kube.requestJson('DELETE', `/api/v1/namespaces/${enc(namespace)}/configmaps/${enc(name)}`, {
        allowNotFound: true,
        action: { verb: 'delete', resource: 'configmaps', name, namespace },
      });
    },
  };
}
