/**
 * A strict JSON shape checker: every required field present with its type, optional fields typed
 * when present, and no field that the shape does not name (so "field for field" holds both ways).
 * `check(value, shape)` returns a list of problems, empty when the value fits.
 */

export type Spec =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'any'
  | { kind: 'shape'; required: Record<string, Spec>; optional: Record<string, Spec>; open?: boolean }
  | { kind: 'array'; of: Spec }
  | { kind: 'map'; of: Spec }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'match'; re: RegExp; what: string }
  | { kind: 'oneOf'; of: Spec[] }
  | { kind: 'custom'; what: string; test: (v: unknown) => string | undefined };

export const shape = (required: Record<string, Spec>, optional: Record<string, Spec> = {}): Spec => ({ kind: 'shape', required, optional });
/** A shape that also allows fields it does not name (for objects whose content is free, e.g. flags). */
export const openShape = (required: Record<string, Spec>, optional: Record<string, Spec> = {}): Spec => ({ kind: 'shape', required, optional, open: true });
export const arrayOf = (of: Spec): Spec => ({ kind: 'array', of });
export const mapOf = (of: Spec): Spec => ({ kind: 'map', of });
export const oneOf = (...values: string[]): Spec => ({ kind: 'enum', values });
export const matching = (re: RegExp, what: string): Spec => ({ kind: 'match', re, what });
export const either = (...of: Spec[]): Spec => ({ kind: 'oneOf', of });
export const custom = (what: string, test: (v: unknown) => string | undefined): Spec => ({ kind: 'custom', what, test });

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function check(value: unknown, spec: Spec, path = '$'): string[] {
  if (typeof spec === 'string') {
    switch (spec) {
      case 'any':
        return [];
      case 'integer':
        return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${JSON.stringify(value)}`];
      default:
        return typeof value === spec ? [] : [`${path}: expected ${spec}, got ${typeName(value)}`];
    }
  }
  switch (spec.kind) {
    case 'shape': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object, got ${typeName(value)}`];
      const obj = value as Record<string, unknown>;
      const out: string[] = [];
      for (const [k, s] of Object.entries(spec.required)) {
        if (!(k in obj)) out.push(`${path}.${k}: missing`);
        else out.push(...check(obj[k], s, `${path}.${k}`));
      }
      for (const [k, v] of Object.entries(obj)) {
        if (k in spec.required) continue;
        const s = spec.optional[k];
        if (s === undefined) {
          if (!spec.open) out.push(`${path}.${k}: not a documented field`);
        } else out.push(...check(v, s, `${path}.${k}`));
      }
      return out;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected an array, got ${typeName(value)}`];
      return value.flatMap((v, i) => check(v, spec.of, `${path}[${i}]`));
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object, got ${typeName(value)}`];
      return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => check(v, spec.of, `${path}.${k}`));
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? []
        : [`${path}: expected one of ${spec.values.join('|')}, got ${JSON.stringify(value)}`];
    case 'match':
      return typeof value === 'string' && spec.re.test(value) ? [] : [`${path}: expected ${spec.what}, got ${JSON.stringify(value)}`];
    case 'oneOf': {
      const results = spec.of.map((s) => check(value, s, path));
      return results.some((r) => r.length === 0) ? [] : [`${path}: fits none of the alternatives (${results.map((r) => r[0]).join(' / ')})`];
    }
    case 'custom': {
      const err = spec.test(value);
      return err ? [`${path}: ${spec.what}: ${err}`] : [];
    }
  }
}
