import type { DirectTarget } from '../../src/lib/io.js';

/** A standard output double: what reached the descriptor and the stream, in order, as bytes. */
export function fakeOut(opts: { pending?: number; created?: boolean; writes?: Array<number | string> } = {}) {
  const out: Buffer[] = [];
  const log: string[] = [];
  let created = opts.created ?? false;
  const failures: NodeJS.ErrnoException[] = [];
  // Each direct write takes what the script says: a byte count (a short write), an errno code (thrown), or all of it.
  const script = [...(opts.writes ?? [])];
  const take = (bytes: Buffer): number => {
    const next = script.shift();
    if (typeof next === 'string') throw Object.assign(new Error(`${next}: write`), { code: next });
    const n = next === undefined ? bytes.length : Math.min(next, bytes.length);
    out.push(bytes.subarray(0, n));
    return n;
  };
  const stream = {
    writableLength: opts.pending ?? 0,
    write(s: string | Uint8Array) {
      log.push('stream');
      out.push(Buffer.from(s));
      return true;
    },
  };
  const target: DirectTarget = {
    stream: () => {
      created = true;
      return stream;
    },
    streamCreated: () => created,
    fd: 1,
    writeSync: (_fd, text) => {
      log.push('direct');
      return take(Buffer.from(text));
    },
    writeBytes: (_fd, bytes, offset, length) => {
      log.push('bytes');
      return take(Buffer.from(bytes.subarray(offset, offset + length)));
    },
    failed: (err) => failures.push(err),
  };
  return { target, bytes: () => Buffer.concat(out), log, failures, created: () => created };
}
