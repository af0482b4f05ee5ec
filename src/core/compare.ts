/**
 * String order for everything k8smctl sorts: by UTF-16 code units, the same on every machine and in
 * every locale (and it never starts ICU's collator, which costs ~8 ms on the first call).
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
