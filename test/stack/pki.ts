/**
 * The test stack's PKI, made with the openssl command line: a CA, the apiserver's serving cert, the
 * service-account key pair, a serving cert for the Mesos simulator's TLS tests and an admin client
 * cert (group system:masters) for client-certificate kubeconfigs. EC P-256 keys: fast to make.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PkiInfo } from './types.js';

const run = promisify(execFile);

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd, timeout: 30_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`);
  }
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function signedCert(
  dir: string,
  name: string,
  subject: string,
  ext: string[],
): Promise<{ cert: string; key: string }> {
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, `${ext.join('\n')}\n`);
  await openssl(['req', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  await openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${randomSerial()}`,
      '-days', '30', '-sha256', '-out', `${name}.crt`, '-extfile', extFile],
    dir,
  );
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

function randomSerial(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += Math.floor(Math.random() * 16).toString(16);
  return `1${s}`;
}

function san(ips: string[], dns: string[]): string {
  return `subjectAltName=${[...new Set(ips)].map((ip) => `IP:${ip}`).concat(dns.map((d) => `DNS:${d}`)).join(',')}`;
}

const SERVER_EXT = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth'];

/**
 * Make the PKI in `dir`. `mesosIps` are the addresses the simulator's masters and agents may listen on
 * (127.0.0.1 is always included).
 */
export async function makePki(dir: string, mesosIps: string[]): Promise<PkiInfo> {
  mkdirSync(dir, { recursive: true });
  await openssl(
    ['req', '-x509', ...KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-sha256', '-subj', '/CN=k8smctl-test-ca',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  const [apiserver, mesos] = await Promise.all([
    signedCert(dir, 'apiserver', '/CN=kube-apiserver', [
      ...SERVER_EXT,
      san(['127.0.0.1', '10.0.0.1'], ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc']),
    ]),
    signedCert(dir, 'mesos', '/CN=mesos-sim', [...SERVER_EXT, san(['127.0.0.1', ...mesosIps], ['localhost'])]),
    signedCert(dir, 'client-admin', '/O=system:masters/CN=cert-admin', [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=clientAuth',
    ]),
    (async () => {
      await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'sa.key'], dir);
      await openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
    })(),
  ]);
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    apiserverCert: apiserver.cert,
    apiserverKey: apiserver.key,
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
    mesosCert: mesos.cert,
    mesosKey: mesos.key,
    clientCert: join(dir, 'client-admin.crt'),
    clientKey: join(dir, 'client-admin.key'),
  };
}
