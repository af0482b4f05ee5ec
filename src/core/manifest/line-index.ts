/**
 * Offsets to 1-based line/column, counting line breaks the way YAML does: `\n`, `\r\n` and a lone
 * `\r` each end a line. Columns count UTF-16 code units (SARIF's default `columnKind`).
 *
 * Without a `\r` in the text, lines are found only as far as an offset asked for: a finding near
 * the top of a large file (an install bundle of thousands of lines) needs only the lines above it.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** Where to look for the next `\n` (line starts before it are in `starts`); -1 when all are. */
  private next: number;

  constructor(private readonly text: string) {
    const starts = this.starts;
    if (text.indexOf('\r') === -1) {
      this.next = 0;
      return;
    }
    for (let p = 0; p < text.length; p++) {
      const c = text.charCodeAt(p);
      if (c === 0x0a) starts.push(p + 1);
      else if (c === 0x0d && text.charCodeAt(p + 1) !== 0x0a) starts.push(p + 1);
    }
    this.next = -1;
  }

  /** Finds the line starts up to the line break at or after `offset`, or the first `lines` of them. */
  private scan(offset: number, lines: number): void {
    if (this.next < 0) return;
    const starts = this.starts;
    let i = this.text.indexOf('\n', this.next);
    while (i !== -1 && i < offset && starts.length < lines) {
      starts.push(i + 1);
      i = this.text.indexOf('\n', i + 1);
    }
    this.next = i;
  }

  /** 0-based offset of a 1-based line and column (clamped to the text's lines). */
  offsetOf(line: number, column: number): number {
    this.scan(Infinity, line);
    const starts = this.starts;
    const start = starts[Math.min(Math.max(line, 1), starts.length) - 1]!;
    return start + column - 1;
  }

  /** 1-based line and column of a 0-based offset. */
  at(offset: number): { line: number; column: number } {
    this.scan(offset, Infinity);
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}
