import { readFile, stat } from 'node:fs/promises';
import { readNamedPipe } from './manifest-files.js';
import { ClientError } from './errors.js';

/**
 * Small local files the commands read whole: a secret, a CA bundle, a saved snapshot. Failures
 * are ClientErrors of kind `config` with the path and the problem (`details.problem`); the command
 * layer says which flag named the file. (Manifests have their own reader: manifest-files.ts.)
 */

function unreadable(path: string, e: unknown): ClientError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? (e as Error).message);
  return new ClientError({ kind: 'config', reason: 'file-unreadable', message: `cannot read ${path}: ${why}`, target: path, details: { path, problem: why } });
}

/** A secret: the file's text without its trailing newline. Never part of any message. */
export async function readSecretFile(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch (e) {
    throw unreadable(path, e);
  }
}

/** A PEM bundle with at least one certificate. */
export async function readPemFile(path: string): Promise<Buffer> {
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (e) {
    throw unreadable(path, e);
  }
  if (!pem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    throw new ClientError({ kind: 'config', reason: 'not-pem', message: `${path} holds no PEM certificate`, target: path, details: { path } });
  }
  return pem;
}

/**
 * A text file of at most `maxBytes` (reason `too-large` beyond). A pipe (`--cluster-snapshot
 * <(...)`) is read as `-f` reads one: never waited on when no program writes to it; a device or
 * socket is refused (reason `not-regular`) rather than read without end.
 */
export async function readTextFile(path: string, maxBytes: number): Promise<string> {
  const tooLarge = (): ClientError =>
    new ClientError({ kind: 'config', reason: 'too-large', message: `${path} is larger than ${maxBytes} bytes`, target: path, details: { path } });
  let buf: Buffer;
  try {
    const st = await stat(path);
    if (st.isFIFO()) {
      const got = await readNamedPipe(path, maxBytes);
      if (got.size > maxBytes) throw tooLarge();
      buf = got.data;
    } else if (st.isFile() || st.isDirectory()) {
      if (st.isFile() && st.size > maxBytes) throw tooLarge();
      buf = await readFile(path); // a directory: EISDIR, worded by `unreadable`
    } else {
      const what = st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : 'a socket';
      throw new ClientError({
        kind: 'config',
        reason: 'not-regular',
        message: `${path} is ${what}, not a file`,
        target: path,
        details: { path, problem: `is ${what}, not a file` },
      });
    }
  } catch (e) {
    if (e instanceof ClientError) throw e;
    throw unreadable(path, e);
  }
  if (buf.length > maxBytes) throw tooLarge(); // grew while read
  return buf.toString('utf8');
}
