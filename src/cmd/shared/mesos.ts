/**
 * The Mesos part every cluster command shares: the connection flags turned into checked client
 * options (complete step), and reading one snapshot with progress and warnings (run step). Every
 * command reads the cluster through `readCluster`.
 */
import { ClientError } from '../../clients/errors.js';
import { readPemFile, readSecretFile } from '../../clients/local-files.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import type { SnapshotOptions } from '../../clients/mesos/mesos-client.js';
import { parseMasterSpec } from '../../core/mesos/master-spec.js';
import type { ClusterSnapshot } from '../../core/mesos/snapshot.js';
import { durationFlagMs } from './duration-flag.js';
import { essentialRead } from './unreadable.js';
import { UsageError } from '../../lib/errors.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';

/** The flags of src/lib/flags/mesos-flags.ts, as parsed. */
export interface MesosFlags {
  'mesos-master'?: string;
  'mesos-principal'?: string;
  'mesos-secret-file'?: string;
  'mesos-ca-file'?: string;
  'insecure-skip-tls-verify': boolean;
  'request-timeout': string;
}

/** `--request-timeout` in milliseconds (> 0). */
export function requestTimeoutMs(text: string): number {
  return durationFlagMs('request-timeout', text);
}

/** A credential file named by a flag: its content, or a usage error naming the flag. */
async function flagFile<T>(flag: string, path: string, read: (p: string) => Promise<T>): Promise<T> {
  try {
    return await read(path);
  } catch (e) {
    if (e instanceof ClientError && e.kind === 'config') {
      if (e.reason === 'not-pem') throw new UsageError(`${flag} ${path} holds no PEM certificate`);
      throw new UsageError(`cannot read ${flag} ${path}: ${String(e.details['problem'] ?? e.message)}`);
    }
    throw e;
  }
}

/**
 * The Mesos client's options from the flags and the environment: the master spec parsed, the
 * timeout checked, the secret (from --mesos-secret-file or $MESOS_SECRET) and the CA bundle read.
 * The secret is never printed.
 */
export async function mesosConnectOptions(
  flags: MesosFlags,
  env: Readonly<Record<string, string | undefined>>,
  debug?: (line: string) => void,
): Promise<MesosConnectOptions> {
  const master = flags['mesos-master'] ?? '';
  if (!master.trim()) throw new UsageError('no Mesos master given', 'pass --mesos-master URL|host:port|zk://host:port/path or set MESOS_MASTER');
  const spec = parseMasterSpec(master);
  const timeout = requestTimeoutMs(flags['request-timeout']);
  const principal = flags['mesos-principal'];
  let secret: string | undefined;
  if (flags['mesos-secret-file']) {
    if (!principal) throw new UsageError('--mesos-secret-file needs --mesos-principal', 'pass the principal the secret belongs to');
    secret = await flagFile('--mesos-secret-file', flags['mesos-secret-file'], readSecretFile);
  } else if (principal) {
    secret = env['MESOS_SECRET'];
  }
  if (principal && !secret) throw new UsageError(`--mesos-principal "${principal}" needs a secret`, 'pass --mesos-secret-file FILE or set $MESOS_SECRET');
  const caPem = flags['mesos-ca-file'] ? await flagFile('--mesos-ca-file', flags['mesos-ca-file'], readPemFile) : undefined;
  return {
    master: spec,
    ...(principal && secret ? { principal, secret } : {}),
    ...(caPem ? { caPem } : {}),
    insecureSkipTlsVerify: flags['insecure-skip-tls-verify'] === true,
    requestTimeoutMs: timeout,
    ...(debug ? { debug } : {}),
  };
}

/** `debug: ...` lines on stderr with --debug. */
export function debugWriter(io: IOStreams, on: boolean): ((line: string) => void) | undefined {
  return on ? (line: string) => io.err.write(`debug: ${line}\n`) : undefined;
}

/**
 * One snapshot from the leading master (and, when asked, the agents), with progress on stderr
 * when it is a terminal and every partial failure printed as a warning line.
 */
export async function readCluster(f: Factory, conn: MesosConnectOptions, io: IOStreams, opts: SnapshotOptions = {}): Promise<ClusterSnapshot> {
  const client = await f.mesos(conn);
  try {
    if (io.errIsTTY) io.err.write(`reading the cluster from ${typeof conn.master === 'string' ? conn.master : describeSpec(conn.master)}...\r`);
    const progress = io.errIsTTY
      ? (done: number, total: number) => io.err.write(`\rasking agents: ${done}/${total}${done === total ? '\x1b[2K\r' : ''}`)
      : undefined;
    // A master that refuses to be read (401, 403) is an unreadable master, as an unreachable one.
    const snap = await essentialRead(client.snapshot({ ...opts, ...(progress ? { onAgentProgress: progress } : {}) }));
    if (io.errIsTTY) io.err.write('\x1b[2K');
    for (const w of snap.warnings) io.err.write(`warning: ${w}\n`);
    return snap;
  } finally {
    client.close();
  }
}

function describeSpec(spec: Exclude<MesosConnectOptions['master'], string>): string {
  return spec.kind === 'zk' ? spec.url : spec.urls.join(',');
}
