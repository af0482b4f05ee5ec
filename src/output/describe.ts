import type { IOStreams } from '../lib/io.js';
import { cellText, formatTable, NONE, type Align, type CellValue } from './table.js';
import { displayWidth, maxOf, padEndWidth, sanitize } from './text.js';

/**
 * `k8smctl describe ...` output, shaped like `kubectl describe`:
 *
 *     Name:        a1.example.com
 *     Active:      true
 *     Attributes:
 *       rack:      r1
 *     Ports:
 *       RANGE         STATE
 *       31000-31004   used
 *     Executors:   <none>
 *
 * A document is a list of entries: fields (`Key:  value`), sections (`Key:` then its entries two
 * spaces further in) and tables (`Key:` then a kubectl-style table two spaces further in). The
 * values of the fields of one section start in one column; a key longer than 40 columns does not
 * push that column out (its value follows two spaces after it). A multi-line value continues in the
 * value column. Empty values, sections and tables print `<none>`. Every string is sanitized.
 */

export type DescribeValue = CellValue | readonly string[];

export interface DescribeTable {
  headers: readonly string[];
  rows: readonly (readonly CellValue[])[];
  align?: readonly (Align | undefined)[];
}

export type DescribeEntry = { key: string; value: DescribeValue } | { key: string; entries: readonly DescribeEntry[] } | { key: string; table: DescribeTable };

export function field(key: string, value: DescribeValue): DescribeEntry {
  return { key, value };
}

export function section(key: string, entries: readonly DescribeEntry[]): DescribeEntry {
  return { key, entries };
}

export function table(key: string, headers: readonly string[], rows: readonly (readonly CellValue[])[], align?: readonly (Align | undefined)[]): DescribeEntry {
  return { key, table: align ? { headers, rows, align } : { headers, rows } };
}

const STEP = '  ';
const GAP = 2;
/** Keys wider than this do not widen their section's key column. */
const MAX_KEY_WIDTH = 40;

function valueLines(value: DescribeValue): string[] {
  if (Array.isArray(value)) return value.length ? value.map((v) => cellText(v as string)) : [NONE];
  if (typeof value === 'string' && /[\r\n]/.test(value)) {
    const lines = value.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
    return lines.map((l) => sanitize(l));
  }
  return [cellText(value as CellValue)];
}

/** An entry printed on its own line as `Key:  value` (fields, and empty sections or tables). */
function inlineLines(e: DescribeEntry): string[] | undefined {
  if ('value' in e) return valueLines(e.value);
  if ('entries' in e) return e.entries.length ? undefined : [NONE];
  return e.table.rows.length ? undefined : [NONE];
}

function render(entries: readonly DescribeEntry[], indent: string, out: string[]): void {
  const keyWidths = entries
    .filter((e) => inlineLines(e) !== undefined)
    .map((e) => displayWidth(sanitize(e.key)) + 1)
    .filter((w) => w <= MAX_KEY_WIDTH + 1);
  const valueColumn = maxOf(keyWidths) + GAP;
  for (const e of entries) {
    const key = `${sanitize(e.key)}:`;
    const inline = inlineLines(e);
    if (inline) {
      const head = displayWidth(key) + GAP > valueColumn ? key + ' '.repeat(GAP) : padEndWidth(key, valueColumn);
      out.push(indent + head + inline[0]);
      for (const line of inline.slice(1)) out.push(indent + ' '.repeat(valueColumn) + line);
    } else if ('entries' in e) {
      out.push(indent + key);
      render(e.entries, indent + STEP, out);
    } else if ('table' in e) {
      out.push(indent + key);
      const t = e.table;
      const text = formatTable(t.rows, { headers: t.headers, indent: indent + STEP, ...(t.align ? { align: t.align } : {}) });
      out.push(...text.replace(/\n$/, '').split('\n'));
    }
  }
}

/** One object's description, each line ending in `\n`. */
export function formatDescribe(entries: readonly DescribeEntry[]): string {
  const out: string[] = [];
  render(entries, '', out);
  return out.map((l) => l.trimEnd() + '\n').join('');
}

/** Prints one or more objects' descriptions to `io.out`, a blank line between two (as kubectl does). */
export function printDescribe(objects: readonly (readonly DescribeEntry[])[], io: IOStreams): void {
  io.out.write(objects.map(formatDescribe).join('\n'));
}
