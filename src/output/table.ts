import Table from 'cli-table3';
import { sanitize } from './text.js';

/**
 * kubectl-style plain tables: no borders, columns separated by three spaces, headers as given
 * (callers pass them UPPERCASE), no trailing spaces. Built on cli-table3 with every border character
 * emptied: it measures cells by display width (wide CJK characters, colour codes), which a
 * hand-written `padEnd` would not.
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

export const COLUMN_GAP = '   ';

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: COLUMN_GAP,
};

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
  const cell = (text: string, i: number) => (align[i] === 'right' ? { content: text, hAlign: 'right' as const } : text);
  const table = new Table({
    head: headers.map((h, i) => cell(sanitize(h), i)) as string[],
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  for (const row of rows) table.push(row.map((v, i) => cell(cellText(v), i)));
  const indent = opts.indent ?? '';
  return (
    table
      .toString()
      .split('\n')
      .map((line) => indent + line.trimEnd())
      .join('\n') + '\n'
  );
}
