/**
 * Offsets to 1-based line/column, counting line breaks the way YAML does: `\n`, `\r\n` and a lone
 * `\r` each end a line. Columns count UTF-16 code units (SARIF's default `columnKind`).
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    const starts = this.starts;
    let i = text.indexOf('\n');
    const hasCr = text.indexOf('\r') !== -1;
    if (!hasCr) {
      while (i !== -1) {
        starts.push(i + 1);
        i = text.indexOf('\n', i + 1);
      }
      return;
    }
    for (let p = 0; p < text.length; p++) {
      const c = text.charCodeAt(p);
      if (c === 0x0a) starts.push(p + 1);
      else if (c === 0x0d && text.charCodeAt(p + 1) !== 0x0a) starts.push(p + 1);
    }
  }

  /** 0-based offset of a 1-based line and column (clamped to the text's lines). */
  offsetOf(line: number, column: number): number {
    const starts = this.starts;
    const start = starts[Math.min(Math.max(line, 1), starts.length) - 1]!;
    return start + column - 1;
  }

  /** 1-based line and column of a 0-based offset. */
  at(offset: number): { line: number; column: number } {
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
