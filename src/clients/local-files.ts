import { readFile } from 'node:fs/promises';
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

/** A text file of at most `maxBytes` (reason `too-large` beyond). */
export async function readTextFile(path: string, maxBytes: number): Promise<string> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw unreadable(path, e);
  }
  if (buf.length > maxBytes) {
    throw new ClientError({ kind: 'config', reason: 'too-large', message: `${path} is larger than ${maxBytes} bytes`, target: path, details: { path } });
  }
  return buf.toString('utf8');
}
