import { JsonNode } from './json-node.js';

/**
 * How Mesos masters register in ZooKeeper: each contender creates an ephemeral sequential node
 * under the configured path. Since Mesos 0.24 the node is `json.info_<10-digit sequence>` holding
 * the MasterInfo as JSON; older masters wrote `info_<seq>` holding binary protobuf (not read here).
 * The contender with the lowest sequence number is the leader.
 */
export const ZK_JSON_INFO_PREFIX = 'json.info_';
export const ZK_LEGACY_INFO_PREFIX = 'info_';

export interface ZkLeaderChoice {
  /** Child node name of the leader, when there is a JSON one. */
  leader?: string;
  /** Some `info_*` (protobuf, Mesos < 0.24) nodes exist but no JSON one. */
  legacyOnly: boolean;
}

function sequenceOf(name: string, prefix: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const seq = name.slice(prefix.length);
  return /^\d+$/.test(seq) ? Number(seq) : undefined;
}

export function pickZkLeader(children: ReadonlyArray<string>): ZkLeaderChoice {
  let best: { name: string; seq: number } | undefined;
  let legacy = false;
  for (const name of children) {
    const seq = sequenceOf(name, ZK_JSON_INFO_PREFIX);
    if (seq !== undefined) {
      if (!best || seq < best.seq) best = { name, seq };
    } else if (sequenceOf(name, ZK_LEGACY_INFO_PREFIX) !== undefined) {
      legacy = true;
    }
  }
  return best ? { leader: best.name, legacyOnly: false } : { legacyOnly: legacy };
}

/**
 * MasterInfo.ip is a uint32 holding the address in network byte order as it sits in memory
 * (`in_addr.s_addr` copied straight in; MESOS-1201). Read on the little-endian hosts Mesos runs on,
 * the first octet is the lowest byte: 127.0.0.1 is stored as 16777343 (0x0100007F).
 */
export function decodeMesosIp(ip: number): string {
  const n = ip >>> 0;
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

export interface ZkMasterInfo {
  /** Host to connect to (hostname as Mesos redirects use it, else the IP). */
  host: string;
  port: number;
  id?: string;
  version?: string;
  pid?: string;
}

/**
 * The MasterInfo JSON → where to reach the leader. Like the master's own redirects, prefer the
 * hostname (`address.hostname`, then the deprecated top-level `hostname`), then `address.ip`, then
 * the deprecated uint32 `ip`, then the host in `pid` (`master@ip:port`).
 */
export function parseZkMasterInfo(json: unknown, source: string): ZkMasterInfo {
  const root = JsonNode.root(json, source);
  const address = root.optObj('address');
  const pid = root.optStr('pid');
  const pidMatch = pid ? /@([^:]+):(\d+)$/.exec(pid) : null;
  const ip = root.optNum('ip');
  const host =
    address?.optStr('hostname') || root.optStr('hostname') || address?.optStr('ip') || (ip !== undefined ? decodeMesosIp(ip) : undefined) || pidMatch?.[1];
  const port = address?.optNum('port') ?? root.optNum('port') ?? (pidMatch ? Number(pidMatch[2]) : undefined);
  if (!host) return root.fail('has no address.hostname, hostname, address.ip, ip or pid: cannot tell where the leader is');
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    return root.fail('has no valid address.port or port: cannot tell where the leader is');
  }
  const id = root.optStr('id');
  const version = root.optStr('version');
  return {
    host,
    port,
    ...(id ? { id } : {}),
    ...(version ? { version } : {}),
    ...(pid ? { pid } : {}),
  };
}

/** `http://host:port` (IPv6 hosts bracketed). */
export function masterInfoUrl(info: Pick<ZkMasterInfo, 'host' | 'port'>, scheme: 'http' | 'https'): string {
  const host = info.host.includes(':') && !info.host.startsWith('[') ? `[${info.host}]` : info.host;
  return `${scheme}://${host}:${info.port}`;
}
