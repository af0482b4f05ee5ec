import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { writeInPieces } from '../../src/lib/io.js';

function collect(text: string, piece?: number): string[] {
  const pieces: string[] = [];
  writeInPieces({ write: (s: string) => pieces.push(s) }, text, piece);
  return pieces;
}

const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

describe('writeInPieces (a long report written to stdout)', () => {
  test('a text up to one piece is written as it is, in one write', () => {
    expect(collect('{"findings": []}\n')).toEqual(['{"findings": []}\n']);
    expect(collect('abcd', 4)).toEqual(['abcd']);
  });

  test('a longer text goes out in order, in pieces of the given size', () => {
    expect(collect('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  test('a surrogate pair (an emoji in a message) is never cut in two', () => {
    // 'ab' + U+1F600 (two code units) + 'c': a cut after 3 code units would split the pair
    const text = 'ab\u{1F600}c';
    const pieces = collect(text, 3);
    expect(pieces.join('')).toBe(text);
    expect(pieces).toEqual(['ab', '\u{1F600}c']);
    expect(Buffer.concat(pieces.map((p) => Buffer.from(p))).equals(Buffer.from(text))).toBe(true);
  });

  test('property: any text and piece size give the same bytes, no piece ending or starting inside a pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (text, piece) => {
        const pieces = collect(text, piece);
        expect(pieces.join('')).toBe(text);
        // one write for an empty text; otherwise no empty piece
        if (text.length === 0) return pieces.length === 1;
        if (pieces.some((p) => p.length === 0)) return false;
        // a pair cut in two would leave a high surrogate at a piece's end and a low one at the next start
        for (let i = 1; i < pieces.length; i++) {
          const prev = pieces[i - 1]!;
          const next = pieces[i]!;
          if (isHigh(prev.charCodeAt(prev.length - 1)) && isLow(next.charCodeAt(0))) return false;
        }
        return Buffer.concat(pieces.map((p) => Buffer.from(p))).equals(Buffer.from(text));
      }),
      { numRuns: 500 },
    );
  });
});
