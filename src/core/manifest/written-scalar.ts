import type { Finding } from '../finding.js';
import type { LineIndex } from './line-index.js';
import { yaml11Reading } from './yaml-load.js';

/**
 * The plain scalar written at `offset` (up to the end of the line, a comment, or in flow style a
 * `,`, `]` or `}`), or undefined when the value there is quoted, tagged, or not a one-line scalar.
 */
function plainScalarAt(text: string, offset: number): string | undefined {
  const c = text[offset];
  if (c === undefined || c === '"' || c === "'" || c === '!' || c === '&' || c === '*' || c === '|' || c === '>') return undefined;
  let end = offset;
  for (; end < text.length; end++) {
    const ch = text.charCodeAt(end);
    if (ch === 0x0a || ch === 0x0d || ch === 0x2c || ch === 0x5d || ch === 0x7d) break; // \n \r , ] }
    if (ch === 0x23 && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) break; // ' #'
  }
  const word = text.slice(offset, end).trim();
  return word === '' ? undefined : word;
}

/**
 * Rewords located schema findings about a boolean or number where a string is needed, when the
 * YAML text wrote a word that kubectl's YAML parser (YAML 1.1) reads as something else than the
 * text says: `value: off` is the boolean false, `value: 0755` the number 493. The apiserver rejects
 * the object; the fix is to quote the value.
 */
export function explainYaml11Scalars(text: string, lines: LineIndex, findings: Finding[]): void {
  for (const f of findings) {
    if (f.scalarField === undefined) continue;
    const field = f.scalarField;
    delete f.scalarField;
    if (f.line === undefined || f.column === undefined) continue;
    const written = plainScalarAt(text, lines.offsetOf(f.line, f.column));
    if (written === undefined) continue;
    const reading = yaml11Reading(written);
    if (reading === undefined) continue;
    const as =
      typeof reading.value === 'boolean'
        ? `the boolean ${reading.value}`
        : reading.octal
          ? `the number ${reading.value} (a leading 0 makes it octal)`
          : `the number ${reading.value}`;
    f.message = `${field} must be a string, but kubectl's YAML parser (YAML 1.1) reads the unquoted ${written} as ${as}, so the apiserver rejects the object: quote it ("${written}")`;
  }
}
