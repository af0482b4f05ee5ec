/**
 * The test stack's PKI, made with the openssl command line: a CA, the apiserver's serving cert, the
 * service-account key pair, a serving cert for the Mesos simulator's TLS tests and an admin client
 * cert (group system:masters) for client-certificate kubeconfigs. EC P-256 keys, one openssl call per
 * certificate (`req -x509 -CA`, OpenSSL 3): the whole PKI takes a few tens of milliseconds.
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
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`);
  }
}

function san(ips: string[], dns: string[]): string {
  return [...new Set(ips)]
    .map((ip) => `IP:${ip}`)
    .concat(dns.map((d) => `DNS:${d}`))
    .join(',');
}

function opensslConfig(mesosIps: string[]): string {
  const leaf = (usage: string, altNames?: string) => [
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage = ${usage}`,
    ...(altNames ? [`subjectAltName = ${altNames}`] : []),
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
  ];
  return [
    '[req]',
    'distinguished_name = dn',
    'prompt = no',
    '[dn]',
    'CN = k8smctl-test',
    '[ca_ext]',
    'basicConstraints = critical,CA:TRUE',
    'keyUsage = critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier = hash',
    '[apiserver_ext]',
    ...leaf('serverAuth', san(['127.0.0.1', '10.0.0.1'], ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'])),
    '[mesos_ext]',
    ...leaf('serverAuth', san(['127.0.0.1', ...mesosIps], ['localhost'])),
    '[client_ext]',
    ...leaf('clientAuth'),
    '',
  ].join('\n');
}

const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const DAYS = ['-days', '30', '-sha256'];

/**
 * Make the PKI in `dir`. `mesosIps` are the addresses the simulator's masters and agents may listen on
 * (127.0.0.1 is always included).
 */
export async function makePki(dir: string, mesosIps: string[]): Promise<PkiInfo> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'openssl.cnf'), opensslConfig(mesosIps));
  const req = (name: string, ext: string, subject: string, signed: boolean) =>
    openssl(
      [
        'req',
        '-x509',
        '-config',
        'openssl.cnf',
        '-extensions',
        ext,
        ...NEW_KEY,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
        ...DAYS,
        '-subj',
        subject,
        ...(signed ? ['-CA', 'ca.crt', '-CAkey', 'ca.key'] : []),
      ],
      dir,
    );
  await Promise.all([
    (async () => {
      await req('ca', 'ca_ext', '/CN=k8smctl-test-ca', false);
      await Promise.all([
        req('apiserver', 'apiserver_ext', '/CN=kube-apiserver', true),
        req('mesos', 'mesos_ext', '/CN=mesos-sim', true),
        req('client-admin', 'client_ext', '/O=system:masters/CN=cert-admin', true),
      ]);
    })(),
    (async () => {
      await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'sa.key'], dir);
      await openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
    })(),
  ]);
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    apiserverCert: join(dir, 'apiserver.crt'),
    apiserverKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
    mesosCert: join(dir, 'mesos.crt'),
    mesosKey: join(dir, 'mesos.key'),
    clientCert: join(dir, 'client-admin.crt'),
    clientKey: join(dir, 'client-admin.key'),
  };
}
