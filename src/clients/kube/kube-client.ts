import http from 'node:http';
import https from 'node:https';
import { ClientError, kindOfStatus } from '../errors.js';
import { HttpClient, type HttpResponse, type HttpStream, type HttpStreamRequest } from '../http/http-client.js';
import { redact } from '../http/redact.js';
import { statusLine } from '../http/status-text.js';
import { resolveKubeconfig, type KubeconfigSelection, type ResolvedKubeconfig } from './kubeconfig.js';
import { ListItemSplitter, ListItemsError } from './list-items.js';
import type { KubeEvent, KubeNamespace, KubeNode, KubePod, KubeVersionInfo } from './types.js';
import { compareStrings } from '../../core/compare.js';

export interface KubeLoadOptions extends KubeconfigSelection {
  /** `-n/--namespace`; default the context's namespace, else `default`. */
  namespace?: string;
  /**
   * Per request (connect + whole answer; for a watch, connect + headers: its body is bounded by the
   * idle time between events instead). Default 30 s.
   */
  requestTimeoutMs?: number;
  /** Largest answer accepted. Default 256 MiB. */
  maxResponseBytes?: number;
  /** Items per page of a list (`limit`/`continue`, as kubectl). Default 500. */
  pageSize?: number;
  /** Aborts every request (Ctrl-C). */
  signal?: AbortSignal;
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
export interface Action {
  verb: 'list' | 'get' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
  resource: 'pods' | 'nodes' | 'events' | 'namespaces' | 'version' | 'configmaps' | 'bindings' | 'leases';
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
 * the requests themselves are plain GETs through the one HTTP layer (`src/clients/http`) that
 * return the wire JSON. Get one with `loadKube`. Failures are ClientErrors (service kube-apiserver).
 */
/**
 * Connections to the apiserver at once; further requests wait for one. A scheduler registering
 * 1,000 hosts' Nodes opened 1,000 TLS connections at once; a watch holds one for its life.
 */
const KUBE_CONNECTIONS = 32;

/** How long one transport (credentials applied) is reused. */
const TRANSPORT_REUSE_MS = 1000;

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
  /** Keep-alive agents by TLS settings: one connection pool for every request, not a TLS handshake each. */
  private readonly pools = new Map<string, https.Agent>();
  /** Keep-alive pool for what the kubeconfig gives no agent for (a plain http:// apiserver). */
  private plainPool?: http.Agent;
  /** The transport of the last second (see `transport`). */
  private recent?: { at: number; client: Promise<HttpClient> };

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
    // A plain http:// server (an apiserver's insecure port, as k8sm clusters often used): kubectl talks
    // to it, while @kubernetes/client-node refuses to build its agent unless skipTLSVerify is set, which
    // changes nothing over plain http. Set it for this one cluster so the credentials still apply.
    if (this.server.startsWith('http://') && !resolved.cluster.skipTLSVerify) {
      const kc = resolved.kc;
      kc.clusters = kc.clusters.map((c) => (c.name === resolved.cluster.name ? { ...c, skipTLSVerify: true } : c));
    }
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

  /** One pod; a missing pod is a ClientError of kind not-found (`pod "x" not found in namespace "y"`). */
  async getPod(name: string, namespace?: string): Promise<KubePod> {
    const pod = await this.findPod(name, namespace);
    if (!pod) {
      const ns = namespace ?? this.namespace;
      throw new ClientError({
        kind: 'not-found',
        service: 'kube-apiserver',
        status: 404,
        target: this.server,
        message: `pod "${name}" not found in namespace "${ns}"`,
        details: { resource: 'pods', name, namespace: ns },
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

  async listNamespaces(): Promise<KubeNamespace[]> {
    return this.list<KubeNamespace>('/api/v1/namespaces', {}, { verb: 'list', resource: 'namespaces' });
  }

  /** The apiserver's build (`GET /version`, as `kubectl version` asks it). */
  async serverVersion(): Promise<KubeVersionInfo> {
    const action: Action = { verb: 'get', resource: 'version' };
    const body = await this.get('/version', {}, action, false);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) this.badAnswer(action, 'is not an object');
    const v = body as Record<string, unknown>;
    if (typeof v['gitVersion'] !== 'string') this.badAnswer(action, 'has no gitVersion');
    return v as KubeVersionInfo;
  }

  /**
   * Events of one namespace (default: the client's) or of all namespaces, in ONE list (paged),
   * e.g. with `fieldSelector: 'involvedObject.kind=Pod'`: what `diagnose` needs for many pods at
   * once, where `listPodEvents` would cost a request per pod.
   */
  async listEvents(opts: PodListOptions = {}): Promise<KubeEvent[]> {
    const ns = opts.allNamespaces ? '' : (opts.namespace ?? this.namespace);
    const path = ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/events` : '/api/v1/events';
    const query: Record<string, string> = {};
    if (opts.labelSelector) query['labelSelector'] = opts.labelSelector;
    if (opts.fieldSelector) query['fieldSelector'] = opts.fieldSelector;
    return this.list<KubeEvent>(path, query, { verb: 'list', resource: 'events', namespace: ns });
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
    const when = (e: KubeEvent): string => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '';
    return events.sort((a, b) => compareStrings(when(a), when(b)));
  }

  /** Drops the pooled connections. */
  close(): void {
    for (const a of this.pools.values()) a.destroy();
    this.pools.clear();
    this.plainPool?.destroy();
    this.plainPool = undefined;
    this.recent = undefined;
  }

  /**
   * The kubeconfig's TLS settings on a keep-alive agent shared by this client's requests
   * (@kubernetes/client-node builds a new agent, hence a new TLS handshake, for every request).
   * Keyed by those settings, so credentials an exec plugin rotates still take effect.
   */
  private pooled(agent: https.Agent): https.Agent {
    const o = agent.options;
    const text = (v: unknown): string =>
      v === undefined || v === null
        ? ''
        : Array.isArray(v)
          ? v.map(text).join('\n')
          : typeof v === 'string' || Buffer.isBuffer(v)
            ? v.toString()
            : JSON.stringify(v);
    const key = [text(o.ca), text(o.cert), text(o.key), text(o.pfx), text(o.passphrase), String(o.rejectUnauthorized !== false), text(o.servername)].join(
      '\u0000',
    );
    let pool = this.pools.get(key);
    if (pool === undefined) {
      if (this.pools.size >= 4) this.close(); // rotated credentials: drop the old pools
      pool = new https.Agent({ ...o, keepAlive: true, maxSockets: KUBE_CONNECTIONS });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /**
   * Any request with a JSON body (the scheduler's writes: Nodes, Events, ConfigMaps, pod deletes),
   * through the same HTTP layer and credentials. 2xx → the parsed answer; 404 → undefined when
   * `allowNotFound`; other statuses → ClientErrors (409 conflict, 410 gone...).
   */
  async requestJson(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    o: { query?: Record<string, string>; body?: unknown; contentType?: string; allowNotFound?: boolean; action: Action },
  ): Promise<unknown> {
    const http = await this.transport();
    const qs = new URLSearchParams(o.query ?? {}).toString();
    const url = `${this.server}${path}${qs ? `?${qs}` : ''}`;
    this.requestCount++;
    let res: HttpResponse;
    try {
      res = await http.send({
        method,
        url,
        ...(o.body !== undefined ? { body: JSON.stringify(o.body), headers: { 'content-type': o.contentType ?? 'application/json' } } : {}),
      });
    } catch (e) {
      if (!(e instanceof ClientError)) throw e;
      throw this.transportError(e);
    }
    this.o.debug?.(`${method} ${this.server}${path} -> ${res.status}`);
    if (res.status === 404 && o.allowNotFound) return undefined;
    if (res.status < 200 || res.status >= 300) throw this.statusError(res.status, res.body, o.action);
    if (res.body.length === 0) return {};
    try {
      return JSON.parse(res.body.toString('utf8'));
    } catch (e) {
      return this.badAnswer(o.action, `invalid JSON (${(e as Error).message})`, 'invalid-json');
    }
  }

  /**
   * A watch (`?watch=1`) as a stream of parsed watch events, one JSON object per line. Ends when
   * the apiserver ends the watch; a non-2xx answer is a ClientError (410 `gone`: relist).
   */
  async *watch(
    path: string,
    query: Record<string, string>,
    action: Action,
    signal?: AbortSignal,
  ): AsyncGenerator<{ type: string; object: Record<string, unknown> }> {
    const http = await this.transport();
    const qs = new URLSearchParams({ ...query, watch: '1' }).toString();
    const stream = await this.openStream(http, {
      method: 'GET',
      url: `${this.server}${path}?${qs}`,
      idleTimeoutMs: 10 * 60_000,
      ...(signal ? { signal } : {}),
    });
    try {
      await this.refusal(stream, action);
      let buf = '';
      // How much of `buf` is known to hold no newline (an event longer than a chunk is not searched again).
      let scanned = 0;
      const decoder = new TextDecoder();
      for await (const c of stream.body as AsyncIterable<Buffer>) {
        buf += decoder.decode(c, { stream: true });
        // The chunk's lines are cut from one string, and the rest kept once (a chunk of many events
        // was sliced again after each line).
        let start = 0;
        let nl: number;
        while ((nl = buf.indexOf('\n', Math.max(start, scanned))) >= 0) {
          const line = buf.slice(start, nl);
          start = nl + 1;
          if (line.trim() === '') continue;
          let ev: unknown;
          try {
            ev = JSON.parse(line);
          } catch (e) {
            this.badAnswer(action, `invalid JSON in the watch (${(e as Error).message})`, 'invalid-json');
          }
          const r = ev as { type?: unknown; object?: unknown };
          if (typeof r?.type !== 'string' || typeof r.object !== 'object' || r.object === null) this.badAnswer(action, 'a watch event without type or object');
          yield { type: r.type, object: r.object as Record<string, unknown> };
        }
        if (start > 0) buf = buf.slice(start);
        scanned = buf.length;
      }
    } catch (e) {
      if (e instanceof ClientError && e.kind !== 'aborted' && !e.service) throw e.with({ service: 'kube-apiserver' });
      throw e;
    } finally {
      stream.close();
    }
  }

  private async list<T>(path: string, query: Record<string, string>, action: Action): Promise<T[]> {
    const out: T[] = [];
    await this.eachPage<T>(path, query, action, (items) => {
      for (const item of items) out.push(item);
    });
    return out;
  }

  /**
   * A paged list (`limit`, `continue`), each page's items handed to `onPage` as it comes and let go
   * (the scheduler's pod list: nothing holds every pod of the cluster at once). Resolves to the
   * list's resourceVersion (where a watch would start).
   *
   * `fromCache`: the first page is asked at `resourceVersion=0`, as informers list: the apiserver
   * answers from its watch cache instead of reading every object of the resource from etcd (for
   * 10,000 of 30,000 pods selected by a field, a fifth to a third of the apiserver's CPU time and
   * wall time in a measured run). The watch cache ignores `limit`, so each answer is read as it
   * arrives and its items handed over a chunk at a time.
   */
  async eachPage<T>(
    path: string,
    query: Record<string, string>,
    action: Action,
    onPage: (items: T[]) => void,
    o: { fromCache?: boolean; signal?: AbortSignal } = {},
  ): Promise<string> {
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const q = { ...query, limit: String(this.pageSize), ...(cont ? { continue: cont } : o.fromCache ? { resourceVersion: '0' } : {}) };
      const body = o.fromCache ? await this.streamList<T>(path, q, action, onPage, o.signal) : (await this.get(path, q, action, false, o.signal))!;
      const list = this.checkObject(body, action, 'list');
      const items = list['items'];
      if (items !== null && items !== undefined && !Array.isArray(items)) this.badAnswer(action, 'items is not an array');
      const page = ((items as unknown[] | null) ?? []).map((item, i) => this.checkObject(item, action, `items[${i}]`) as T);
      const meta = list['metadata'] as { continue?: unknown; resourceVersion?: unknown } | undefined;
      if (typeof meta?.resourceVersion === 'string') resourceVersion = meta.resourceVersion;
      cont = typeof meta?.continue === 'string' && meta.continue ? meta.continue : undefined;
      if (page.length > 0) onPage(page);
    } while (cont);
    return resourceVersion;
  }

  /**
   * One page of a list read as it arrives (ListItemSplitter): its items handed to `onPage` a chunk's
   * worth at a time, never the whole answer held as one text and one tree (a list from the watch
   * cache comes in one answer, whatever the limit). Resolves to the answer without its items.
   */
  private async streamList<T>(
    path: string,
    query: Record<string, string>,
    action: Action,
    onPage: (items: T[]) => void,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const http = await this.transport();
    const url = `${this.server}${path}?${new URLSearchParams(query).toString()}`;
    const stream = await this.openStream(http, { method: 'GET', url, idempotent: true, idleTimeoutMs: this.timeoutMs, ...(signal ? { signal } : {}) });
    try {
      await this.refusal(stream, action);
      const split = new ListItemSplitter();
      const decoder = new TextDecoder();
      let n = 0;
      const take = (texts: string[]): void => {
        if (texts.length === 0) return;
        const items = texts.map((t) => {
          let item: unknown;
          try {
            item = JSON.parse(t);
          } catch (e) {
            this.badAnswer(action, `invalid JSON (${(e as Error).message})`, 'invalid-json');
          }
          return this.checkObject(item, action, `items[${n++}]`) as T;
        });
        onPage(items);
      };
      try {
        for await (const c of stream.body as AsyncIterable<Buffer>) take(split.push(decoder.decode(c, { stream: true })));
        take(split.push(decoder.decode()));
        const rest = split.end();
        try {
          return JSON.parse(rest);
        } catch (e) {
          return this.badAnswer(action, `invalid JSON (${(e as Error).message})`, 'invalid-json');
        }
      } catch (e) {
        if (e instanceof ListItemsError) this.badAnswer(action, e.message, 'invalid-json');
        throw e;
      }
    } catch (e) {
      if (e instanceof ClientError && e.kind !== 'aborted' && !e.service) throw e.with({ service: 'kube-apiserver' });
      throw e;
    } finally {
      stream.close();
    }
  }

  /** A streamed request (a watch, a list read as it arrives); transport failures as the kube client words them. */
  private async openStream(http: HttpClient, req: HttpStreamRequest): Promise<HttpStream> {
    this.requestCount++;
    try {
      return await http.stream(req);
    } catch (e) {
      if (!(e instanceof ClientError)) throw e;
      throw this.transportError(e);
    }
  }

  /** A non-2xx answer to a streamed request → its ClientError (the refusal's Status is small: at most 1 MiB is read). */
  private async refusal(stream: HttpStream, action: Action): Promise<void> {
    if (stream.status >= 200 && stream.status < 300) return;
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of stream.body as AsyncIterable<Buffer>) {
      chunks.push(c);
      if ((n += c.length) > 1024 * 1024) break;
    }
    throw this.statusError(stream.status, Buffer.concat(chunks), action);
  }

  private badAnswer(action: Action, problem: string, reason = 'unexpected-shape'): never {
    throw new ClientError({
      kind: 'protocol',
      reason,
      service: 'kube-apiserver',
      target: this.server,
      message: `unexpected answer from kube-apiserver ${this.server} to ${describeAction(action)}: ${problem}`,
    });
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

  /** An HTTP client with this request's credentials and TLS from the kubeconfig (exec plugins may refresh them). */
  /**
   * The HTTP layer with the kubeconfig's current credentials, made again at most once a second:
   * making it (@kubernetes/client-node's applyToFetchOptions: the CA file read, a new agent, an
   * exec plugin's or token file's token) for every request read the CA file each time (0.8 s of a
   * scheduler's 28 busy seconds for 3,000 pods); a rotated credential still takes effect within a second.
   */
  private transport(): Promise<HttpClient> {
    const now = Date.now();
    if (this.recent && now - this.recent.at < TRANSPORT_REUSE_MS && now >= this.recent.at) return this.recent.client;
    const client = this.makeTransport();
    const entry = { at: now, client };
    this.recent = entry;
    client.catch(() => {
      if (this.recent === entry) this.recent = undefined;
    });
    return client;
  }

  private async makeTransport(): Promise<HttpClient> {
    let init: { agent?: unknown; headers?: { forEach(cb: (value: string, key: string) => void): void } };
    try {
      init = (await this.resolved.kc.applyToFetchOptions({})) as typeof init;
    } catch (e) {
      const msg = redact(((e as Error).message ?? String(e)).split('\n')[0] ?? '', this.secrets);
      throw new ClientError({
        kind: 'config',
        reason: 'credentials-unusable',
        service: 'kube-apiserver',
        message: `cannot use the credentials of user "${this.userName}" in context "${this.contextName}": ${msg}`,
      });
    }
    const headers: Record<string, string> = {};
    init.headers?.forEach((value, key) => {
      headers[key] = value;
      if (key.toLowerCase() === 'authorization') {
        const secret = value.replace(/^\S+\s+/, '');
        if (!this.secrets.includes(secret)) this.secrets.push(secret);
      }
    });
    const given = init.agent as http.Agent | undefined;
    const usable = given && typeof (given as unknown as { createConnection?: unknown }).createConnection === 'function';
    // Always an agent this KubeClient owns or was given, so that the HttpClient owns none (it is shared).
    // (@kubernetes/client-node gives a new plain http.Agent, without keep-alive, for an http:// apiserver.)
    const agent = usable
      ? given instanceof https.Agent
        ? this.pooled(given)
        : given.constructor === http.Agent
          ? (this.plainPool ??= new http.Agent({ keepAlive: true, maxSockets: KUBE_CONNECTIONS }))
          : given
      : this.server.startsWith('https:')
        ? this.pooled(new https.Agent({}))
        : (this.plainPool ??= new http.Agent({ keepAlive: true, maxSockets: KUBE_CONNECTIONS }));
    return new HttpClient({
      timeoutMs: this.timeoutMs,
      connectTimeoutMs: Math.min(this.timeoutMs, 10_000),
      maxResponseBytes: this.maxResponseBytes,
      agent,
      headers,
      secrets: this.secrets,
      service: 'kube-apiserver',
      ...(this.o.signal ? { signal: this.o.signal } : {}),
    });
  }

  /** GET → parsed JSON; 404 → undefined when `allowNotFound`; other failures → ClientErrors. */
  private async get(path: string, query: Record<string, string>, action: Action, allowNotFound: boolean, signal?: AbortSignal): Promise<unknown> {
    const http = await this.transport();
    const qs = new URLSearchParams(query).toString();
    const url = `${this.server}${path}${qs ? `?${qs}` : ''}`;
    this.requestCount++;
    const started = Date.now();
    let res: HttpResponse;
    try {
      res = await http.send({ method: 'GET', url, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (!(e instanceof ClientError)) throw e;
      this.o.debug?.(`GET ${this.server}${path} -> ${e.message}`);
      throw this.transportError(e);
    }
    this.o.debug?.(`GET ${this.server}${path} -> ${res.status} (${Date.now() - started} ms)`);
    if (res.status === 404 && allowNotFound) return undefined;
    if (res.status < 200 || res.status >= 300) throw this.statusError(res.status, res.body, action);
    try {
      return JSON.parse(res.body.toString('utf8'));
    } catch (e) {
      return this.badAnswer(action, `invalid JSON (${(e as Error).message})`, 'invalid-json');
    }
  }

  private transportError(t: ClientError): ClientError {
    const ctx = `context "${this.contextName}"`;
    const details = { cluster: this.clusterName, context: this.contextName };
    if (t.kind === 'aborted') return t.with({ service: 'kube-apiserver' });
    if (t.kind === 'tls') {
      return t.with({
        service: 'kube-apiserver',
        details,
        cause: t,
        message:
          t.reason === 'not-https'
            ? `TLS handshake with kube-apiserver ${this.server} (${ctx}) failed: it does not seem to speak https`
            : `cannot verify the TLS certificate of kube-apiserver ${this.server} (${ctx}): ${t.message}`,
      });
    }
    if (t.kind === 'timeout') {
      return t.with({ service: 'kube-apiserver', details, cause: t, message: `kube-apiserver ${this.server} (${ctx}) did not answer: ${t.message}` });
    }
    return t.with({ service: 'kube-apiserver', details, cause: t, message: `cannot reach kube-apiserver ${this.server} (${ctx}): ${t.message}` });
  }

  /** A non-2xx answer → ClientError by status (401 unauthorized, 403 forbidden, ...). */
  private statusError(status: number, body: Buffer, action: Action): ClientError {
    const st = parseStatus(body);
    const serverMsg = st.message ? redact(st.message, this.secrets) : '';
    const who = /User "([^"]+)"/.exec(serverMsg)?.[1];
    const user = who ? `user "${who}"` : `kubeconfig user "${this.userName}"`;
    const common = {
      service: 'kube-apiserver' as const,
      status,
      target: this.server,
      details: { cluster: this.clusterName, context: this.contextName, user: who ?? this.userName, namespaced: action.namespace !== undefined },
    };
    if (status === 401) {
      return new ClientError({
        ...common,
        kind: 'unauthorized',
        reason: 'credentials-rejected',
        message: `kube-apiserver ${this.server} rejected the credentials of kubeconfig user "${this.userName}" (context "${this.contextName}") (401 Unauthorized)`,
      });
    }
    if (status === 403) {
      return new ClientError({
        ...common,
        kind: 'forbidden',
        message: `kube-apiserver ${this.server} forbids ${user} to ${describeAction(action)} (403 Forbidden)`,
      });
    }
    const detail = serverMsg ? `: ${serverMsg.split('\n')[0]}` : '';
    return new ClientError({
      ...common,
      kind: kindOfStatus(status) ?? 'protocol',
      message: `kube-apiserver ${this.server} answered ${statusLine(status)} to ${describeAction(action)}${detail}`,
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
    throw new ClientError({
      kind: 'config',
      reason: 'server-not-http',
      service: 'kube-apiserver',
      message: `cluster "${resolved.cluster.name}" in the kubeconfig has server "${server}", which is not an http(s) URL`,
      details: { cluster: resolved.cluster.name },
    });
  }
  return new KubeClient(resolved, opts);
}
