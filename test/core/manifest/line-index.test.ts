/**
 * LineIndex finds line starts only as far as it is asked (without a `\r`): whatever the order of the
 * questions, its answers are those of counting every line break up front.
 */
import fc from 'fast-check';
import { LineIndex } from '../../../src/core/manifest/line-index.js';

/** Line and column by counting from the start: `\n`, `\r\n` and a lone `\r` end a line. */
function counted(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let p = 0; p < offset && p < text.length; p++) {
    const c = text[p];
    if (c === '\n' || (c === '\r' && text[p + 1] !== '\n')) {
      line++;
      start = p + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Where every line starts, counted up front. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let p = 0; p < text.length; p++) {
    const c = text[p];
    if (c === '\n' || (c === '\r' && text[p + 1] !== '\n')) starts.push(p + 1);
  }
  return starts;
}

describe('LineIndex', () => {
  test('offsets and lines in any order agree with counting from the start (property)', () => {
    const text = fc.stringMatching(/^[ab:\n\r-]{0,60}$/);
    const question = fc.oneof(
      fc.record({ at: fc.integer({ min: 0, max: 70 }) }),
      fc.record({ line: fc.integer({ min: 1, max: 40 }), column: fc.integer({ min: 1, max: 5 }) }),
    );
    fc.assert(
      fc.property(text, fc.array(question, { maxLength: 12 }), (t, questions) => {
        const index = new LineIndex(t);
        for (const q of questions) {
          if ('at' in q) {
            expect(index.at(q.at)).toEqual(counted(t, q.at));
          } else {
            // where that line starts (the last line past the end), plus the column
            const starts = lineStarts(t);
            expect(index.offsetOf(q.line, q.column)).toBe(starts[Math.min(q.line, starts.length) - 1]! + q.column - 1);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  test('a finding near the top of a long text, then one at the end', () => {
    const text = 'a: 1\n'.repeat(10000);
    const index = new LineIndex(text);
    expect(index.at(6)).toEqual({ line: 2, column: 2 });
    expect(index.at(text.length - 1)).toEqual({ line: 10000, column: 5 });
    expect(index.offsetOf(3, 1)).toBe(10);
  });
});
