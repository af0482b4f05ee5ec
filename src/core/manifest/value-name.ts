/**
 * How a loaded YAML/JSON value is named in messages. js-yaml turns explicit tags into values a user
 * never wrote as such (`!!binary` into bytes, `!!timestamp` into a Date, `!!set` into a mapping),
 * so those are named after the tag.
 */

/** What kind of value it is: `a list`, `a string`, `a number`, `a boolean`, `null (empty)`, `a mapping`... */
export function valueKind(v: unknown): string {
  if (v === null || v === undefined) return 'null (empty)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  if (v instanceof Uint8Array) return 'binary data (!!binary)';
  if (v instanceof Date) return 'a timestamp (!!timestamp)';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/** The value itself where it is short (`"http"`, `80`, `true`, `null`), else what kind it is (`an empty list`, `a mapping`). */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  // 1e400 and the like load as Infinity; .nan as NaN: name what the user wrote, not JavaScript's word
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'not a number (.nan)' : 'a number too large to hold (read as infinity)';
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  if (v === undefined) return 'nothing';
  return valueKind(v);
}

/** `a Pod`, `an Ingress`: a kind with its article. */
export function withArticle(kind: string): string {
  return `${/^[AEIOU]/i.test(kind) ? 'an' : 'a'} ${kind}`;
}
