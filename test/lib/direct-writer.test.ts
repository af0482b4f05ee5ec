import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { DIRECT_WRITE_MIN_CHARS, directWriter, type DirectTarget } from '../../src/lib/io.js';

/** A standard output double: what reached the descriptor and the stream, in order, as bytes. */
function fakeOut(opts: { pending?: number; created?: boolean; writes?: Array<number | string> } = {}) {
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

const long = (n = DIRECT_WRITE_MIN_CHARS * 3 + 17): string => 'x'.repeat(n - 1) + '\n';

describe('directWriter (a long report written straight to standard output)', () => {
  test('a short text goes through the stream', () => {
    const o = fakeOut();
    directWriter(o.target).write('No problems\n');
    expect(o.log).toEqual(['stream']);
    expect(o.bytes().toString()).toBe('No problems\n');
  });

  test('a long text goes to the descriptor in pieces, without creating the stream', () => {
    const o = fakeOut();
    const text = long();
    directWriter(o.target, DIRECT_WRITE_MIN_CHARS).write(text);
    expect(o.created()).toBe(false);
    expect(o.log).toEqual(['direct', 'direct', 'direct', 'direct']);
    expect(o.bytes().toString()).toBe(text);
  });

  test('text the stream still holds goes out first: then a long text follows it through the stream', () => {
    const o = fakeOut({ created: true, pending: 10 });
    directWriter(o.target).write(long());
    expect(o.log.every((w) => w === 'stream')).toBe(true);
  });

  test('a short write is completed from the bytes not yet written', () => {
    const o = fakeOut({ writes: [1000, 5] });
    const text = long();
    directWriter(o.target, DIRECT_WRITE_MIN_CHARS).write(text);
    expect(o.log.slice(0, 3)).toEqual(['direct', 'bytes', 'bytes']);
    expect(o.bytes().toString()).toBe(text);
  });

  test('a full non-blocking pipe (EAGAIN) after part of a piece: the rest goes through the stream, nothing twice', () => {
    const o = fakeOut({ writes: [undefined as unknown as number, 4096, 'EAGAIN'] });
    const text = long();
    directWriter(o.target, DIRECT_WRITE_MIN_CHARS).write(text);
    expect(o.bytes().length).toBe(Buffer.byteLength(text));
    expect(o.bytes().toString()).toBe(text);
    expect(o.log.slice(0, 3)).toEqual(['direct', 'direct', 'bytes']);
    expect(o.log.slice(3).every((w) => w === 'stream')).toBe(true);
  });

  test('a reader that closed the pipe (EPIPE): the output ends quietly, later texts are dropped', () => {
    const o = fakeOut({ writes: ['EPIPE'] });
    const w = directWriter(o.target);
    w.write(long());
    w.write('summary\n');
    expect(o.failures).toEqual([]);
    expect(o.bytes().length).toBe(0);
    expect(o.log).toEqual(['direct']);
  });

  test('any other error (a full disk) is handed over once', () => {
    const o = fakeOut({ writes: ['ENOSPC'] });
    const w = directWriter(o.target);
    w.write(long());
    w.write(long());
    expect(o.failures.map((e) => e.code)).toEqual(['ENOSPC']);
  });

  test('property: whatever the writes take and wherever a pipe fills, the bytes are the text, in order, once', () => {
    const step = fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constant('EAGAIN'));
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 0, maxLength: 400 }),
        fc.integer({ min: 1, max: 600 }),
        fc.array(step, { maxLength: 6 }),
        (chunk, times, writes) => {
          // a text past the direct threshold, with multi-byte characters and surrogate pairs in it
          const text = chunk.repeat(Math.ceil(DIRECT_WRITE_MIN_CHARS / Math.max(chunk.length, 1)) + times).slice(0, DIRECT_WRITE_MIN_CHARS + times * 37);
          // a zero-byte write would never end; a pipe takes at least one byte
          const o = fakeOut({ writes: writes.map((w) => (w === 0 ? 1 : w)) });
          directWriter(o.target, 1 << 14).write(text);
          return o.bytes().equals(Buffer.from(text));
        },
      ),
      { numRuns: 200 },
    );
  });
});
