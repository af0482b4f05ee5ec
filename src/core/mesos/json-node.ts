import { UserError } from '../../lib/errors.js';

/**
 * A Mesos answer whose JSON has the wrong shape (a field of the wrong type, a required field
 * missing). The message names the response (`source`, e.g. `/state of master http://h:5050`)
 * and the field path. Its outcome is `unreadable`: the cluster could not be read.
 */
export class MesosFormatError extends UserError {
  readonly source: string;
  readonly field: string;
  constructor(source: string, field: string, problem: string) {
    super(`unexpected JSON in ${source}: ${field ? `${field} ` : ''}${problem}`, { outcome: 'unreadable' });
    this.name = 'MesosFormatError';
    this.source = source;
    this.field = field;
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  return t === 'object' ? 'an object' : t === 'number' ? 'a number' : t === 'string' ? 'a string' : `a ${t}`;
}

/**
 * A read-only cursor into parsed JSON that remembers where it is, so a wrong type becomes a
 * one-line error naming the response and the field. Unknown fields are never looked at; missing
 * optional fields (absent or null) read as undefined.
 */
export class JsonNode {
  /** Where the node sits, computed only when an error needs it (parsing allocates no paths). */
  private readonly parent: JsonNode | undefined;
  private readonly key: string | number | undefined;

  constructor(
    readonly value: unknown,
    parent: JsonNode | undefined,
    key: string | number | undefined,
    readonly source: string,
  ) {
    this.parent = parent;
    this.key = key;
  }

  get path(): string {
    if (!this.parent || this.key === undefined) return '';
    return this.parent.childPath(this.key);
  }

  static root(value: unknown, source: string): JsonNode {
    const n = new JsonNode(value, undefined, undefined, source);
    if (!n.isObject()) throw new MesosFormatError(source, '', `top level is ${typeName(value)}, expected an object`);
    return n;
  }

  childPath(key: string | number): string {
    if (typeof key === 'number') return `${this.path}[${key}]`;
    const k = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
    return this.path ? `${this.path}.${k}` : k;
  }

  fail(problem: string, key?: string | number): never {
    throw new MesosFormatError(this.source, key === undefined ? this.path : this.childPath(key), problem);
  }

  isObject(): boolean {
    return typeof this.value === 'object' && this.value !== null && !Array.isArray(this.value);
  }

  private raw(key: string): unknown {
    if (!this.isObject()) this.fail(`is ${typeName(this.value)}, expected an object`);
    const v = (this.value as Record<string, unknown>)[key];
    return v === null ? undefined : v;
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  /** A child node; undefined when absent. */
  opt(key: string): JsonNode | undefined {
    const v = this.raw(key);
    return v === undefined ? undefined : new JsonNode(v, this, key, this.source);
  }

  /** A child object; error when absent or not an object. */
  obj(key: string): JsonNode {
    const n = this.optObj(key);
    if (!n) this.fail('is missing', key);
    return n;
  }

  optObj(key: string): JsonNode | undefined {
    const n = this.opt(key);
    if (n && !n.isObject()) this.fail(`is ${typeName(n.value)}, expected an object`, key);
    return n;
  }

  /** Array elements as nodes; an absent array reads as empty. */
  arr(key: string): JsonNode[] {
    const v = this.raw(key);
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(`is ${typeName(v)}, expected an array`, key);
    const list = new JsonNode(v, this, key, this.source);
    return v.map((e, i) => new JsonNode(e === null ? undefined : e, list, i, this.source));
  }

  str(key: string): string {
    const v = this.optStr(key);
    if (v === undefined) this.fail('is missing', key);
    return v;
  }

  optStr(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(`is ${typeName(v)}, expected a string`, key);
    return v;
  }

  num(key: string): number {
    const v = this.optNum(key);
    if (v === undefined) this.fail('is missing', key);
    return v;
  }

  optNum(key: string): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(`is ${typeName(v)}, expected a number`, key);
    return v;
  }

  optBool(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(`is ${typeName(v)}, expected a boolean`, key);
    return v;
  }

  /** Protobuf-JSON IDs are `{"value": "..."}`; the model JSON uses plain strings. Accepts both. */
  optId(key: string): string | undefined {
    const n = this.opt(key);
    if (!n) return undefined;
    if (typeof n.value === 'string') return n.value;
    if (n.isObject()) return n.str('value');
    return this.fail(`is ${typeName(n.value)}, expected a string or {"value": ...}`, key);
  }

  id(key: string): string {
    const v = this.optId(key);
    if (v === undefined) this.fail('is missing', key);
    return v;
  }

  /** Seconds: a number (model JSON, TaskStatus.timestamp) or TimeInfo `{nanoseconds}` (v1). */
  optSeconds(key: string): number | undefined {
    const n = this.opt(key);
    if (!n) return undefined;
    if (typeof n.value === 'number') return n.value;
    if (n.isObject()) {
      const ns = n.opt('nanoseconds');
      if (!ns) return undefined;
      // int64 may be printed as a string by protobuf-JSON.
      const v = typeof ns.value === 'string' && /^-?\d+$/.test(ns.value) ? Number(ns.value) : ns.value;
      if (typeof v !== 'number' || !Number.isFinite(v)) return n.fail(`is ${typeName(ns.value)}, expected a number`, 'nanoseconds');
      return v / 1e9;
    }
    return this.fail(`is ${typeName(n.value)}, expected seconds or {"nanoseconds": ...}`, key);
  }

  /** Object of string values (flags): non-string scalars are turned into strings. */
  optStringMap(key: string): Record<string, string> | undefined {
    const n = this.optObj(key);
    if (!n) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(n.value as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      if (typeof v === 'string') out[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else n.fail(`is ${typeName(v)}, expected a string`, k);
    }
    return out;
  }

  entries(): Array<[string, JsonNode]> {
    if (!this.isObject()) this.fail(`is ${typeName(this.value)}, expected an object`);
    return Object.entries(this.value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, new JsonNode(v, this, k, this.source)]);
  }
}
