/**
 * Reads a simulator config file for main.ts: a SimConfig as JSON, where `tls` may name files
 * (`{certFile, keyFile}`), `auth` may take its secret from a file (`{principal, secretFile}`) and
 * `kube` its token and CA from files (`{server, tokenFile, caFile}`).
 */
import { readFileSync } from 'node:fs';
import type { SimConfig } from './types.js';

export interface FileConfig extends Omit<SimConfig, 'tls' | 'auth' | 'kube'> {
  tls?: { cert?: string; key?: string; certFile?: string; keyFile?: string };
  auth?: { principal: string; secret?: string; secretFile?: string };
  kube?: { server: string; token?: string; tokenFile?: string; caPem?: string; caFile?: string; maxSockets?: number };
}

export function loadConfigFile(file: string): SimConfig {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as FileConfig;
  const { tls, auth, kube, ...rest } = raw;
  const cfg: SimConfig = { ...rest, agents: rest.agents ?? [] };
  if (tls) {
    const cert = tls.cert ?? (tls.certFile ? readFileSync(tls.certFile, 'utf8') : undefined);
    const key = tls.key ?? (tls.keyFile ? readFileSync(tls.keyFile, 'utf8') : undefined);
    if (!cert || !key) throw new Error('tls needs cert and key (PEM text, or certFile and keyFile)');
    cfg.tls = { cert, key };
  }
  if (auth) {
    const secret = auth.secret ?? (auth.secretFile ? readFileSync(auth.secretFile, 'utf8').trim() : undefined);
    if (secret === undefined) throw new Error('auth needs secret or secretFile');
    cfg.auth = { principal: auth.principal, secret };
  }
  if (kube) {
    const token = kube.token ?? (kube.tokenFile ? readFileSync(kube.tokenFile, 'utf8').trim() : undefined);
    if (token === undefined) throw new Error('kube needs token or tokenFile');
    const caPem = kube.caPem ?? (kube.caFile ? readFileSync(kube.caFile, 'utf8') : undefined);
    cfg.kube = {
      server: kube.server,
      token,
      ...(caPem !== undefined ? { caPem } : {}),
      ...(kube.maxSockets !== undefined ? { maxSockets: kube.maxSockets } : {}),
    };
  }
  return cfg;
}
