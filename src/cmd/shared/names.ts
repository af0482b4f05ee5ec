import { UsageError } from '../../lib/errors.js';

/** Names given as arguments: an empty one (`''`, or only blanks) is a usage error. */
export function checkNames(names: ReadonlyArray<string>, what: string): void {
  if (names.some((n) => !n.trim())) throw new UsageError(`an empty ${what} name was given`, `pass ${what} hostnames or ids as arguments`);
}
