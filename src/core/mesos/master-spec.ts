import { UsageError } from '../../lib/errors.js';

/** What `--mesos-master` / `$MESOS_MASTER` names. */
export type MasterSpec =
  /** One or more master base URLs (any may be a standby), tried in order. No trailing slash. */
  | { kind: 'urls'; urls: string[] }
  /** ZooKeeper ensemble and the path the masters register under (`zk://h1:2181,h2:2181/mesos`). */
  | { kind: 'zk'; servers: string[]; path: string; url: string };

export const DEFAULT_MASTER_PORT = 5050;
export const DEFAULT_ZK_PORT = 2181;

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?$/;

function badSpec(text: string, why: string): UsageError {
  return new UsageError(`invalid --mesos-master "${text}": ${why}`, 'use http(s)://host:port, host:port, a comma list of those, or zk://host:port,.../path');
}

function hostPort(text: string, entry: string, defaultPort: number): string {
  const m = HOST_PORT.exec(entry);
  if (!m) throw badSpec(text, `"${entry}" is not host or host:port`);
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 65535) throw badSpec(text, `port ${m[2]} is out of range`);
  return `${m[1]}:${port}`;
}

/** Parses the master spec. Throws UsageError (exit 2) naming the bad part. */
export function parseMasterSpec(input: string): MasterSpec {
  const text = input.trim();
  if (!text) throw new UsageError('no Mesos master given', 'pass --mesos-master or set $MESOS_MASTER');

  if (/^zk:\/\//i.test(text)) {
    const rest = text.slice('zk://'.length);
    const slash = rest.indexOf('/');
    if (slash < 0) throw badSpec(text, 'a zk:// URL needs a path, e.g. zk://host:2181/mesos');
    let hosts = rest.slice(0, slash);
    const at = hosts.lastIndexOf('@');
    if (at >= 0) hosts = hosts.slice(at + 1); // zk digest credentials: not needed to read the leader
    const path = rest.slice(slash).replace(/\/+$/, '');
    if (!path || path === '/') throw badSpec(text, 'a zk:// URL needs a path, e.g. zk://host:2181/mesos');
    if (/[?#,]/.test(path) || path.includes('//')) throw badSpec(text, `"${path}" is not a ZooKeeper path`);
    const servers = hosts
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean)
      .map((h) => hostPort(text, h, DEFAULT_ZK_PORT));
    if (!servers.length) throw badSpec(text, 'no ZooKeeper host before the path');
    return { kind: 'zk', servers, path, url: `zk://${servers.join(',')}${path}` };
  }

  const urls: string[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    if (/^zk:\/\//i.test(entry)) throw badSpec(text, 'zk:// must be the whole value, not part of a list');
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(entry);
    if (scheme) {
      const s = scheme[1]!.toLowerCase();
      if (s !== 'http' && s !== 'https') throw badSpec(text, `scheme "${s}" is not supported (http, https, zk)`);
      let u: URL;
      try {
        u = new URL(entry);
      } catch {
        throw badSpec(text, `"${entry}" is not a URL`);
      }
      if (u.search || u.hash) throw badSpec(text, `"${entry}" must not have a query or fragment`);
      if (u.username || u.password) {
        throw badSpec(text, 'credentials in the URL are not accepted; use --mesos-principal and --mesos-secret-file');
      }
      urls.push(`${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`);
    } else {
      const slash = entry.indexOf('/');
      const hp = hostPort(text, slash < 0 ? entry : entry.slice(0, slash), DEFAULT_MASTER_PORT);
      const path = slash < 0 ? '' : entry.slice(slash).replace(/\/+$/, '');
      urls.push(`http://${hp}${path}`);
    }
  }
  if (!urls.length) throw badSpec(text, 'no master in the list');
  return { kind: 'urls', urls: [...new Set(urls)] };
}
