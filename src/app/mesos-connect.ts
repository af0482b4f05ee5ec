import { UsageError } from '../lib/errors.js';
import { parseDurationMs } from '../lib/duration.js';
import type { MesosConnectOptions } from '../clients/mesos/options.js';
import type { MesosClient } from '../clients/mesos/mesos-client.js';

/** The Mesos connection flags as given (see src/lib/flags/mesos-flags.ts). */
export interface MesosFlagValues {
  master: string;
  principal?: string;
  secretFile?: string;
  caFile?: string;
  insecureSkipTlsVerify: boolean;
  requestTimeout: string;
}

export function mesosFlagValues(flags: {
  'mesos-master'?: string;
  'mesos-principal'?: string;
  'mesos-secret-file'?: string;
  'mesos-ca-file'?: string;
  'insecure-skip-tls-verify': boolean;
  'request-timeout': string;
}): MesosFlagValues {
  return {
    master: flags['mesos-master'] ?? '',
    ...(flags['mesos-principal'] ? { principal: flags['mesos-principal'] } : {}),
    ...(flags['mesos-secret-file'] ? { secretFile: flags['mesos-secret-file'] } : {}),
    ...(flags['mesos-ca-file'] ? { caFile: flags['mesos-ca-file'] } : {}),
    insecureSkipTlsVerify: flags['insecure-skip-tls-verify'],
    requestTimeout: flags['request-timeout'],
  };
}

/** The Mesos client's options from the flags (the secret file is read by the client, never printed). */
export function mesosConnectOptions(values: MesosFlagValues, debug?: (line: string) => void): MesosConnectOptions {
  if (!values.master.trim()) {
    throw new UsageError('no Mesos master given', 'pass --mesos-master URL|host:port|zk://host:port/path or set MESOS_MASTER');
  }
  let requestTimeoutMs: number;
  try {
    requestTimeoutMs = parseDurationMs(values.requestTimeout);
  } catch (err) {
    throw new UsageError(`--request-timeout: ${(err as Error).message}`);
  }
  if (requestTimeoutMs <= 0) throw new UsageError('--request-timeout must be greater than 0');
  return {
    master: values.master,
    ...(values.principal ? { principal: values.principal } : {}),
    ...(values.secretFile ? { secretFile: values.secretFile } : {}),
    ...(values.caFile ? { caFile: values.caFile } : {}),
    insecureSkipTlsVerify: values.insecureSkipTlsVerify,
    requestTimeoutMs,
    ...(debug ? { debug } : {}),
  };
}

/** Connects to the leading master (the client is loaded lazily: only cluster commands need it). */
export async function connectFromFlags(values: MesosFlagValues, debug?: (line: string) => void): Promise<MesosClient> {
  const { connectMesos } = await import('../clients/mesos/mesos-client.js');
  return connectMesos(mesosConnectOptions(values, debug));
}
