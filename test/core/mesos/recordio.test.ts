import fc from 'fast-check';
import { RecordIODecoder, RecordIOError, encodeRecord, recordText } from '../../../src/core/mesos/recordio.js';

const enc = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Cuts `bytes` at the given offsets (any order, duplicates allowed: empty chunks too). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [0, ...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length];
  const out: Uint8Array[] = [];
  for (let i = 1; i < at.length; i++) out.push(bytes.subarray(at[i - 1], at[i]));
  return out;
}

function decodeAll(chunks: Uint8Array[]): string[] {
  const d = new RecordIODecoder();
  const out: string[] = [];
  for (const c of chunks) for (const r of d.push(c)) out.push(recordText(r));
  d.end();
  return out;
}

// Records as Mesos sends them: JSON text, non-empty, with multi-byte UTF-8 (2, 3 and 4 bytes).
const recordArb = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('a', 'é', '€', '𝄞', '\n', '7', '{'), minLength: 1, maxLength: 60 }),
  fc.json().map((j) => JSON.stringify({ type: 'UPDATE', update: { status: { message: j } } })),
);

describe('RecordIO decoder', () => {
  it('returns every record, in order, whatever the chunking (property)', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 0, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (records, cuts) => {
        const stream = concat(records.map((r) => encodeRecord(r)));
        expect(decodeAll(chunk(stream, cuts))).toEqual(records);
      }),
      { numRuns: 500 },
    );
  });

  it('reads records byte by byte, across a split length prefix and a split 4-byte character', () => {
    const records = ['{"type":"HEARTBEAT"}', '𝄞 é €', 'x'.repeat(1234)];
    const stream = concat(records.map((r) => encodeRecord(r)));
    expect(decodeAll([...stream].map((b) => Uint8Array.of(b)))).toEqual(records);
  });

  it('reads several records from one chunk and counts bytes, not characters', () => {
    const stream = enc.encode('4\n€a2\né3\n{}\n');
    expect(decodeAll([stream])).toEqual(['€a', 'é', '{}\n']);
  });

  it('rejects a bad length prefix with a typed error, and keeps failing', () => {
    const d = new RecordIODecoder();
    expect(() => d.push(enc.encode('12x\n'))).toThrow(expect.objectContaining({ name: 'RecordIOError', reason: 'bad-length' }));
    expect(() => d.push(enc.encode('2\nok'))).toThrow(RecordIOError);
    expect(() => new RecordIODecoder().push(enc.encode('\nabc'))).toThrow(expect.objectContaining({ reason: 'bad-length' }));
    expect(() => new RecordIODecoder().push(enc.encode('0\n'))).toThrow(expect.objectContaining({ reason: 'zero-length' }));
    expect(() => new RecordIODecoder().push(enc.encode('1'.repeat(21)))).toThrow(expect.objectContaining({ reason: 'bad-length' }));
    expect(() => new RecordIODecoder({ maxRecordBytes: 10 }).push(enc.encode('11\n'))).toThrow(expect.objectContaining({ reason: 'too-large' }));
  });

  it('returns the records before a bad prefix in the same chunk, then fails', () => {
    const d = new RecordIODecoder();
    expect(d.push(enc.encode('2\nok1x')).map(recordText)).toEqual(['ok']);
    expect(d.error).toMatchObject({ reason: 'bad-length' });
    expect(() => d.push(enc.encode('1\na'))).toThrow(RecordIOError);
    expect(() => d.end()).toThrow(RecordIOError);
  });

  it('says when the stream ends inside a record or a prefix', () => {
    const d = new RecordIODecoder();
    expect(d.push(enc.encode('5\nab'))).toEqual([]);
    expect(d.pending).toBe(2);
    expect(() => d.end()).toThrow(expect.objectContaining({ reason: 'truncated', message: expect.stringContaining('2 of 5 bytes') }));
    const e = new RecordIODecoder();
    e.push(enc.encode('1'));
    expect(() => e.end()).toThrow(expect.objectContaining({ reason: 'truncated' }));
  });

  it('rejects invalid UTF-8 in a record', () => {
    const [r] = new RecordIODecoder().push(Uint8Array.of(0x32, 0x0a, 0xc3, 0x28));
    expect(() => recordText(r!)).toThrow(/not valid/);
  });
});
