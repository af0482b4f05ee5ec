import type { IOStreams } from '../lib/io.js';
import type { Align, CellValue } from './table.js';
import { sanitize } from './text.js';

/**
 * `k8smctl get ...` output, with kubectl's habits: `-o table|wide|json|yaml|name` and `--no-headers`.
 *
 * - table: one row per object, UPPERCASE headers, columns separated by three spaces, no borders;
 *   wide adds the columns marked `wide`.
 * - name: `kind/name` per line (`agent/a1.example.com`), for `xargs` and scripts.
 * - json / yaml: `{"kind": "List", "items": [...]}` like kubectl, each item from `spec.toJSON`;
 *   with `single` (the user named one object) the object itself.
 * - Nothing found: `No resources found.` on stderr for table, wide and name (stdout stays empty);
 *   json and yaml print an empty List, so that a pipe into jq still gets a document.
 */

export type ObjectFormat = 'table' | 'wide' | 'json' | 'yaml' | 'name';

export interface Column<T> {
  /** Printed in UPPERCASE. */
  header: string;
  /** The cell; null, undefined and '' print as `<none>`. */
  value: (item: T) => CellValue;
  /** Shown only with `-o wide`. */
  wide?: boolean;
  /** Default left (kubectl aligns everything left). */
  align?: Align;
}

export interface TableSpec<T> {
  columns: readonly Column<T>[];
  /** `-o name`: `agent/a1.example.com`. */
  name: (item: T) => string;
  /** `-o json|yaml`: the object as documented for scripts. */
  toJSON: (item: T) => unknown;
}

export interface PrintOptions {
  /** `--no-headers`: table and wide print rows only. */
  noHeaders?: boolean;
  /** The user asked for one object by name: json/yaml print it bare, not inside a List. */
  single?: boolean;
  /** Replaces `No resources found.` (e.g. `No k8sm tasks found in namespace prod.`). */
  emptyMessage?: string;
}

export interface FormattedObjects {
  out: string;
  err: string;
}

const NO_RESOURCES = 'No resources found.';

export async function formatObjects<T>(items: readonly T[], spec: TableSpec<T>, format: ObjectFormat, opts: PrintOptions = {}): Promise<FormattedObjects> {
  const empty = (): FormattedObjects => ({ out: '', err: `${opts.emptyMessage ?? NO_RESOURCES}\n` });
  switch (format) {
    case 'table':
    case 'wide': {
      if (items.length === 0) return empty();
      const { formatTable } = await import('./table.js');
      const columns = spec.columns.filter((c) => format === 'wide' || !c.wide);
      const rows = items.map((item) => columns.map((c) => c.value(item)));
      const headers = opts.noHeaders ? [] : columns.map((c) => c.header.toUpperCase());
      return { out: formatTable(rows, { headers, align: columns.map((c) => c.align) }), err: '' };
    }
    case 'name': {
      if (items.length === 0) return empty();
      return { out: items.map((item) => `${sanitize(spec.name(item))}\n`).join(''), err: '' };
    }
    case 'json':
      return { out: JSON.stringify(document(items, spec, opts), null, 2) + '\n', err: '' };
    case 'yaml': {
      const { toYAML } = await import('./yaml.js');
      return { out: toYAML(document(items, spec, opts)), err: '' };
    }
    default: {
      const never: never = format;
      throw new Error(`unknown output format ${String(never)}`);
    }
  }
}

function document<T>(items: readonly T[], spec: TableSpec<T>, opts: PrintOptions): unknown {
  if (opts.single && items.length === 1) return spec.toJSON(items[0]!);
  return { kind: 'List', items: items.map((item) => spec.toJSON(item)) };
}

/** Prints `items` as `format` to `io.out` (and the nothing-found message to `io.err`). */
export async function printObjects<T>(items: readonly T[], spec: TableSpec<T>, format: ObjectFormat, io: IOStreams, opts: PrintOptions = {}): Promise<void> {
  const { out, err } = await formatObjects(items, spec, format, opts);
  if (out) io.out.write(out);
  if (err) io.err.write(err);
}
