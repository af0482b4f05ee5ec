import { displayWidth, padEndWidth, padStartWidth, sanitize } from './text.js';

/**
 * kubectl-style plain tables: no borders, columns separated by three spaces, headers as given
 * (callers pass them UPPERCASE), no trailing spaces. Cells are measured by display width (wide CJK
 * characters, colour codes). One pass to measure, one to print: linear in the number of cells
 * (cli-table3, used before, checks every cell against the earlier ones for row spans, which took
 * 0.5 s for 1,000 rows and grows with the square of the rows).
 */

export type CellValue = string | number | boolean | null | undefined;
export type Align = 'left' | 'right';

/** What kubectl prints for an empty value. */
export const NONE = '<none>';

export interface TableOptions {
  /** Header cells; omitted (or empty) for `--no-headers`. */
  headers?: readonly string[];
  /** Per column; default left. */
  align?: readonly (Align | undefined)[];
  /** Prepended to every line (describe's nested tables). */
  indent?: string;
}

const COLUMN_GAP = '   ';

/**
 * One cell as printed: empty values as `<none>`, numbers and booleans as text, every control
 * character (newlines, terminal escape sequences) made visible so that one row stays one line.
 */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined || value === '') return NONE;
  return sanitize(String(value));
}

/** Lines of the table, each ending in `\n`; empty string when there is nothing to print. */
export function formatTable(rows: readonly (readonly CellValue[])[], opts: TableOptions = {}): string {
  const headers = opts.headers ?? [];
  if (rows.length === 0 && headers.length === 0) return '';
  const align = opts.align ?? [];
  const indent = opts.indent ?? '';
  const lines: string[][] = [];
  if (headers.length) lines.push(headers.map((h) => sanitize(h)));
  for (const row of rows) lines.push(row.map((v) => cellText(v)));
  const widths: number[] = [];
  for (const line of lines) {
    for (let i = 0; i < line.length; i++) widths[i] = Math.max(widths[i] ?? 0, displayWidth(line[i]!));
  }
  let out = '';
  for (const line of lines) {
    let text = '';
    for (let i = 0; i < line.length; i++) {
      const cell = line[i]!;
      text += (i ? COLUMN_GAP : '') + (align[i] === 'right' ? padStartWidth(cell, widths[i]!) : padEndWidth(cell, widths[i]!));
    }
    out += `${indent}${text.trimEnd()}\n`;
  }
  return out;
}
