import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { DIRECT_WRITE_MIN_CHARS, directWriter } from '../../src/lib/io.js';
import { fakeOut } from '../support/fake-stdout.js';

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
