import type http from 'node:http';
import axios from 'axios';
import { EXIT_FINDINGS, EXIT_USAGE, UnreachableError, UsageError, UserError } from '../../lib/errors.js';
import { classifyTransportError, HttpTransportError, withConnectTimeout } from '../http/http-client.js';
import { redact } from '../http/redact.js';
import { statusLine } from '../http/status-text.js';
import { resolveKubeconfig, type KubeconfigSelection, type ResolvedKubeconfig } from './kubeconfig.js';
import type { KubeEvent, KubeNode, KubePod } from './types.js';
import { compareStrings } from '../../core/compare.js';

export interface KubeLoadOptions extends KubeconfigSelection {
  /** `-n/--namespace`; default the context's namespace, else `default`. */
  namespace?: string;
  /** Per request (connect + whole answer). Default 30 s. */
  requestTimeoutMs?: number;
  /** Largest answer accepted. Default 256 MiB. */
  maxResponseBytes?: number;
  /** Items per page of a list (`limit`/`continue`, as kubectl). Default 500. */
  pageSize?: number;
  /** Debug lines (method, path, status); never headers or tokens. */
  debug?: (line: string) => void;
}

export interface PodListOptions {
  /** Default: the client's namespace. */
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
}

/** What a request was for, to word errors like kubectl. */
interface Action {
  verb: 'list' | 'get';
  resource: 'pods' | 'nodes' | 'events';
  name?: string;
  /** undefined: cluster-scoped; '' : all namespaces. */
  namespace?: string;
}

function describeAction(a: Action): string {
  const singular = a.resource.replace(/s$/, '');
  const what = a.name ? `${singular} "${a.name}"` : a.resource;
  const where = a.namespace === undefined ? '' : a.namespace === '' ? ' in all namespaces' : ` in namespace "${a.namespace}"`;
  return `${a.verb} ${what}${where}`;
}

interface KubeStatus {
  message?: string;
  reason?: string;
}

function parseStatus(body: Buffer): KubeStatus {
  try {
    const j = JSON.parse(body.toString('utf8')) as { kind?: unknown; message?: unknown; reason?: unknown };
    if (j && typeof j === 'object' && j.kind === 'Status') {
      return {
        ...(typeof j.message === 'string' ? { message: j.message } : {}),
        ...(typeof j.reason === 'string' ? { reason: j.reason } : {}),
      };
    }
  } catch {
    /* not JSON */
  }
  return {};
}

/**
 * Reads the Kubernetes objects k8smctl needs. Credentials and TLS come from the kubeconfig through
 * `@kubernetes/client-node` (token, token file, client certificates, basic auth, exec plugins,
 * auth providers, proxy-url, certificate-authority, insecure-skip-tls-verify, tls-server-name);
 * the requests themselves are plain GETs that return the wire JSON. Get one with `loadKube`.
 */
export class KubeClient {
  /** Requests sent so far. */
  requestCount = 0;
  readonly server: string;
  readonly contextName: string;
  readonly clusterName: string;
  readonly userName: string;
  /** The namespace used when none is given: --namespace, the context's, or `default`. */
  readonly namespace: string;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly pageSize: number;
  private readonly secrets: string[];

  constructor(
    private readonly resolved: ResolvedKubeconfig,
    private readonly o: KubeLoadOptions,
  ) {
    this.server = resolved.cluster.server.replace(/\/+$/, '');
    this.contextName = resolved.context.name;
    this.clusterName = resolved.cluster.name;
    this.userName = resolved.user.name;
    this.namespace = o.namespace || resolved.context.namespace || 'default';
    this.timeoutMs = o.requestTimeoutMs ?? 30_000;
    this.maxResponseBytes = o.maxResponseBytes ?? 256 * 1024 * 1024;
    this.pageSize = o.pageSize ?? 500;
    this.secrets = [resolved.user.token, resolved.user.password].filter((s): s is string => !!s);
  }

  /** Pods of one namespace (default: the client's) or of all namespaces. */
  async listPods(opts: PodListOptions = {}): Promise<KubePod[]> {
    const ns = opts.allNamespaces ? '' : (opts.namespace ?? this.namespace);
    const path = ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` : '/api/v1/pods';
    const query: Record<string, string> = {};
    if (opts.labelSelector) query['labelSelector'] = opts.labelSelector;
    if (opts.fieldSelector) query['fieldSelector'] = opts.fieldSelector;
    return this.list<KubePod>(path, query, { verb: 'list', resource: 'pods', namespace: ns });
  }

  /** One pod; a missing pod is a UserError (`pod "x" not found in namespace "y"`). */
  async getPod(name: string, namespace?: string): Promise<KubePod> {
    const pod = await this.findPod(name, namespace);
    if (!pod) {
      throw new UserError(`pod "${name}" not found in namespace "${namespace ?? this.namespace}"`, {
        hint: 'check the name, or pass -n/--namespace',
      });
    }
    return pod;
  }

  /** One pod, or undefined when it does not exist. */
  async findPod(name: string, namespace?: string): Promise<KubePod | undefined> {
    const ns = namespace ?? this.namespace;
    const path = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;
    const action: Action = { verb: 'get', resource: 'pods', name, namespace: ns };
    const body = await this.get(path, {}, action, true);
    if (body === undefined) return undefined;
    return this.checkObject(body, action, '') as unknown as KubePod;
  }

  async listNodes(opts: { labelSelector?: string } = {}): Promise<KubeNode[]> {
    const query: Record<string, string> = opts.labelSelector ? { labelSelector: opts.labelSelector } : {};
    return this.list<KubeNode>('/api/v1/nodes', query, { verb: 'list', resource: 'nodes' });
  }

  /** Events about one pod (by name, and by uid when given), oldest first. */
  async listPodEvents(pod: { name: string; namespace?: string; uid?: string }): Promise<KubeEvent[]> {
    const ns = pod.namespace ?? this.namespace;
    const selector = [`involvedObject.kind=Pod`, `involvedObject.name=${pod.name}`, `involvedObject.namespace=${ns}`];
    if (pod.uid) selector.push(`involvedObject.uid=${pod.uid}`);
    const events = await this.list<KubeEvent>(
      `/api/v1/namespaces/${encodeURIComponent(ns)}/events`,
      { fieldSelector: selector.join(',') },
      { verb: 'list', resource: 'events', namespace: ns },
    );
    const when = (e: KubeEvent): string =>
      e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '';
    return events.sort((a, b) => compareStrings(when(a), when(b)));
  }

  /** Nothing pooled to close today; kept so callers can treat all clients alike. */
  close(): void {}

  private async list<T>(path: string, query: Record<string, string>, action: Action): Promise<T[]> {
    const out: T[] = [];
    let cont: string | undefined;
    do {
      const body = (await this.get(path, { ...query, limit: String(this.pageSize), ...(cont ? { continue: cont } : {}) }, action, false))!;
      const list = this.checkObject(body, action, 'list');
      const items = list['items'];
      if (items !== null && items !== undefined && !Array.isArray(items)) this.badAnswer(action, 'items is not an array');
      for (const [i, item] of ((items as unknown[] | null) ?? []).entries()) {
        out.push(this.checkObject(item, action, `items[${i}]`) as T);
      }
      const meta = list['metadata'] as { continue?: unknown } | undefined;
      cont = typeof meta?.continue === 'string' && meta.continue ? meta.continue : undefined;
    } while (cont);
    return out;
  }

  private badAnswer(action: Action, problem: string): never {
    throw new UnreachableError(`unexpected answer from kube-apiserver ${this.server} to ${describeAction(action)}: ${problem}`);
  }

  private checkObject(v: unknown, action: Action, where: string): Record<string, unknown> {
    const at = where ? `${where} ` : '';
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.badAnswer(action, `${at}is not an object`);
    const o = v as Record<string, unknown>;
    if (where === 'list') return o;
    const meta = o['metadata'] as { name?: unknown } | undefined;
    if (typeof meta !== 'object' || meta === null || typeof meta.name !== 'string') {
      this.badAnswer(action, `${at}has no metadata.name`);
    }
    return o;
  }

  /** GET → parsed JSON; 404 → undefined when `allowNotFound`; other failures → one-line errors. */
  private async get(path: string, query: Record<string, string>, action: Action, allowNotFound: boolean): Promise<unknown> {
    let init: { agent?: unknown; headers?: { forEach(cb: (value: string, key: string) => void): void } };
    try {
      init = (await this.resolved.kc.applyToFetchOptions({})) as typeof init;
    } catch (e) {
      const msg = redact(((e as Error).message ?? String(e)).split('\n')[0] ?? '', this.secrets);
      throw new UsageError(`cannot use the credentials of user "${this.userName}" in context "${this.contextName}": ${msg}`);
    }
    const headers: Record<string, string> = {};
    init.headers?.forEach((value, key) => {
      headers[key] = value;
      if (key.toLowerCase() === 'authorization') this.secrets.push(value.replace(/^\S+\s+/, ''));
    });
    const agent = init.agent as http.Agent | undefined;
    if (agent && typeof (agent as unknown as { createConnection?: unknown }).createConnection === 'function') {
      withConnectTimeout(agent, Math.min(this.timeoutMs, 10_000), this.server.startsWith('https:'));
    }
    const qs = new URLSearchParams(query).toString();
    const url = `${this.server}${path}${qs ? `?${qs}` : ''}`;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    this.requestCount++;
    const started = Date.now();
    try {
      const res = await axios.request({
        method: 'GET',
        url,
        headers: { ...headers, Accept: 'application/json' },
        ...(agent ? { httpAgent: agent, httpsAgent: agent } : {}),
        proxy: false,
        maxRedirects: 0,
        validateStatus: () => true,
        responseType: 'arraybuffer',
        transformResponse: [(d: unknown) => d],
        maxContentLength: this.maxResponseBytes,
        signal: controller.signal,
      });
      const data: unknown = res.data;
      const body = Buffer.isBuffer(data) ? data : data instanceof ArrayBuffer ? Buffer.from(new Uint8Array(data)) : Buffer.alloc(0);
      this.o.debug?.(`GET ${this.server}${path} -> ${res.status} (${Date.now() - started} ms)`);
      if (res.status === 404 && allowNotFound) return undefined;
      if (res.status < 200 || res.status >= 300) throw this.statusError(res.status, body, action);
      try {
        return JSON.parse(body.toString('utf8'));
      } catch (e) {
        return this.badAnswer(action, `invalid JSON (${(e as Error).message})`);
      }
    } catch (e) {
      if (e instanceof UserError) throw e;
      const t = classifyTransportError(e, url, {
        timedOut,
        timeoutMs: this.timeoutMs,
        connectTimeoutMs: Math.min(this.timeoutMs, 10_000),
        maxResponseBytes: this.maxResponseBytes,
        secrets: this.secrets,
      });
      this.o.debug?.(`GET ${this.server}${path} -> ${t.message}`);
      throw this.transportError(t);
    } finally {
      clearTimeout(timer);
    }
  }

  private transportError(t: HttpTransportError): UnreachableError {
    const ctx = `context "${this.contextName}"`;
    if (t.kind === 'tls') {
      const plain = t.message.includes('plain http');
      return new UnreachableError(
        plain
          ? `TLS handshake with kube-apiserver ${this.server} (${ctx}) failed: it does not seem to speak https`
          : `cannot verify the TLS certificate of kube-apiserver ${this.server} (${ctx}): ${t.message.replace(/^TLS: /, '')}`,
        {
          hint: `fix certificate-authority of cluster "${this.clusterName}" in the kubeconfig (or set insecure-skip-tls-verify there, insecure)`,
          cause: t,
        },
      );
    }
    if (t.kind === 'timeout') {
      return new UnreachableError(`kube-apiserver ${this.server} (${ctx}) did not answer: ${t.message}`, {
        hint: 'the apiserver is slow or unreachable',
        cause: t,
      });
    }
    return new UnreachableError(`cannot reach kube-apiserver ${this.server} (${ctx}): ${t.message}`, {
      hint: `check the server of cluster "${this.clusterName}" in the kubeconfig, or pick another --context`,
      cause: t,
    });
  }

  /** Exit 2 (the cluster could not be read), like an unreachable server; a missing pod is exit 1 (getPod). */
  private statusError(status: number, body: Buffer, action: Action): UserError {
    const st = parseStatus(body);
    const serverMsg = st.message ? redact(st.message, this.secrets) : '';
    const who = /User "([^"]+)"/.exec(serverMsg)?.[1];
    const user = who ? `user "${who}"` : `kubeconfig user "${this.userName}"`;
    if (status === 401) {
      return new UserError(
        `kube-apiserver ${this.server} rejected the credentials of kubeconfig user "${this.userName}" (context "${this.contextName}") (401 Unauthorized)`,
        { hint: 'the token or client certificate is wrong or expired; refresh it in the kubeconfig', exitCode: EXIT_FINDINGS },
      );
    }
    if (status === 403) {
      const hint =
        action.namespace === undefined
          ? 'ask an admin for RBAC access'
          : 'ask an admin for RBAC access or use --namespace';
      // Refused, not unreachable: exit 1 like kubectl.
      return new UserError(`kube-apiserver ${this.server} forbids ${user} to ${describeAction(action)} (403 Forbidden)`, {
        hint,
        exitCode: EXIT_FINDINGS,
      });
    }
    const detail = serverMsg ? `: ${serverMsg.split('\n')[0]}` : '';
    return new UserError(`kube-apiserver ${this.server} answered ${statusLine(status)} to ${describeAction(action)}${detail}`, {
      exitCode: EXIT_USAGE,
    });
  }
}

/**
 * Loads the kubeconfig (kubectl rules: --kubeconfig, $KUBECONFIG list, ~/.kube/config, in-cluster),
 * selects the context and namespace, and returns a client. `@kubernetes/client-node` is imported
 * here, lazily: commands that never talk to Kubernetes never pay for loading it.
 */
export async function loadKube(opts: KubeLoadOptions = {}): Promise<KubeClient> {
  const resolved = await resolveKubeconfig(opts);
  const server = resolved.cluster.server;
  if (!/^https?:\/\//.test(server)) {
    throw new UsageError(`cluster "${resolved.cluster.name}" in the kubeconfig has server "${server}", which is not an http(s) URL`);
  }
  if (opts.requestTimeoutMs !== undefined && !(opts.requestTimeoutMs > 0)) {
    throw new UsageError('--request-timeout must be greater than 0');
  }
  return new KubeClient(resolved, opts);
}
