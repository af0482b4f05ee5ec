import yaml from 'js-yaml';

// js-yaml 4 exports its type objects as `types`; @types/js-yaml 4.0.9 does not declare them.
const types = (yaml as unknown as { types: Record<'null' | 'float' | 'merge' | 'binary' | 'omap' | 'pairs' | 'set' | 'timestamp', yaml.Type> }).types;

/**
 * The words kubectl's YAML parser (go-yaml v2, YAML 1.1, through sigs.k8s.io/yaml) reads as booleans
 * when they are plain (unquoted): `yes`, `on`, `y`... as true and `no`, `off`, `n`... as false.
 */
const YAML11_BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w) => [w, false] as const),
]);

/** Whether a plain scalar may be a YAML 1.1 boolean by its first character (y, n, t, f, o in either case). */
function mayBeBoolean(c: number): boolean {
  const lower = c | 0x20;
  return lower === 0x79 || lower === 0x6e || lower === 0x74 || lower === 0x66 || lower === 0x6f;
}

// js-yaml tries every implicit type on every plain scalar, keys included: each resolver rejects
// most text by its first character before any lookup or regular expression.
const yaml11Bool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && data.length <= 5 && data.length > 0 && mayBeBoolean(data.charCodeAt(0)) && YAML11_BOOLEANS.has(data),
  construct: (data: string) => YAML11_BOOLEANS.get(data)!,
  predicate: (v: unknown) => typeof v === 'boolean',
});

/**
 * Integers as go-yaml v2 reads a plain scalar that starts with a digit or sign: underscores dropped,
 * then Go's `strconv.ParseInt(s, 0, 64)`: `0x1F`, `0o17`, `0b101`, and a leading 0 for octal
 * (`0755` is 493, as in YAML 1.1 and for kubectl; js-yaml's YAML 1.2 reads it as 755).
 */
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;

function goIntText(data: string | null): string | undefined {
  if (data === null || data.length === 0) return undefined;
  const c = data.charCodeAt(0);
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d)) return undefined; // digit, + or -
  // The common case, plain decimal digits: no regular expression.
  let digits = true;
  for (let i = 0; i < data.length && digits; i++) {
    const d = data.charCodeAt(i);
    if (d < 0x30 || d > 0x39) digits = false;
  }
  if (digits) return c !== 0x30 || data.length === 1 || /^0[0-7]+$/.test(data) ? data : undefined;
  const plain = data.indexOf('_') === -1 ? data : data.replace(/_/g, '');
  return GO_INT.test(plain) ? plain : undefined;
}

function constructGoInt(data: string): number {
  const plain = goIntText(data)!;
  let i = 0;
  let sign = 1;
  if (plain[0] === '-' || plain[0] === '+') {
    if (plain[0] === '-') sign = -1;
    i = 1;
  }
  const body = plain.slice(i);
  if (body.length > 1 && body[0] === '0') {
    const p = body[1]!;
    if (p === 'x' || p === 'X') return sign * parseInt(body.slice(2), 16);
    if (p === 'o' || p === 'O') return sign * parseInt(body.slice(2), 8);
    if (p === 'b' || p === 'B') return sign * parseInt(body.slice(2), 2);
    return sign * parseInt(body.slice(1), 8);
  }
  return sign * parseInt(body, 10);
}

const goInt = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => goIntText(data) !== undefined,
  construct: constructGoInt,
  predicate: (v: unknown) => typeof v === 'number' && Number.isInteger(v),
});

const floatType = types.float as yaml.Type & { resolve: (data: string | null) => boolean; construct: (data: string) => unknown; represent?: unknown };

/** YAML floats (`1.5`, `1e3`, `.inf`, `.nan`), tried only on text that starts like a number. */
const float = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => {
    if (data === null || data.length === 0) return false;
    const c = data.charCodeAt(0);
    return ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) && floatType.resolve(data);
  },
  construct: (data: string): unknown => floatType.construct(data) as unknown,
  predicate: (v: unknown) => typeof v === 'number' && !Number.isInteger(v),
});

/**
 * The YAML schema k8smctl reads manifests with: plain scalars resolve as kubectl's YAML parser
 * (go-yaml v2) resolves them, so that k8smctl sees the values the apiserver will get: YAML 1.1
 * booleans (`yes`, `off`, `y`...), octal `0755`, null (`~`, `null`, empty), floats, and merge keys
 * (`<<: *defaults`). Timestamps stay strings (go-yaml v2 keeps them as the text written).
 * Explicit tags kubectl's reader knows (`!!binary`, `!!set`, `!!omap`, `!!pairs`, `!!timestamp`) still load.
 */
export const MANIFEST_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [types.null, yaml11Bool, goInt, float, types.merge],
  explicit: [types.binary, types.omap, types.pairs, types.set, types.timestamp],
});

/** go-yaml v2's float syntax (after dropping underscores), e.g. `08`, `1.5`, `1e3`. */
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * How kubectl reads a plain (unquoted) YAML scalar where it differs from what the text says: the
 * boolean or number it becomes (`off` is false, `0755` is the octal 493, `08` is 8), or undefined
 * when it stays a string or reads as written (`true`, `8080`).
 */
export function yaml11Reading(written: string): { value: boolean | number; octal?: true } | undefined {
  const b = YAML11_BOOLEANS.get(written);
  if (b !== undefined) return String(b) === written ? undefined : { value: b };
  const int = goIntText(written);
  if (int !== undefined) {
    const n = constructGoInt(written);
    if (String(n) === written) return undefined;
    return /^[-+]?0[0-7]/.test(int) ? { value: n, octal: true } : { value: n };
  }
  const plain = written.replace(/_/g, '');
  if (/^[-+.0-9]/.test(written) && GO_FLOAT.test(plain)) {
    const n = Number(plain);
    return Number.isFinite(n) && String(n) !== written ? { value: n } : undefined;
  }
  return undefined;
}

const IMPLICIT = (MANIFEST_YAML_SCHEMA as unknown as { compiledImplicit: yaml.Type[] }).compiledImplicit;

/**
 * A plain (unquoted) mapping key as the loaded object spells it: js-yaml resolves the scalar like any
 * other (`80` a number, `yes` a boolean, `~` null) and then turns it into a string (`80`, `true`, `null`).
 */
export function plainKeyString(s: string): string {
  for (const t of IMPLICIT) {
    if (t.resolve(s)) return String(t.construct(s));
  }
  return s;
}

/** js-yaml's parser state as a listener sees it (only the fields k8smctl reads). */
export interface YamlListenerState {
  position: number;
  line: number;
  lineStart: number;
  documents: unknown[];
  result: unknown;
  kind: string | null;
  tag: string | null;
}

export type YamlListener = (event: 'open' | 'close', state: YamlListenerState) => void;

/** js-yaml's error, as thrown by `loadAll`. */
export interface YamlError extends Error {
  reason?: string;
  mark?: { line: number; column: number; position: number };
}

export function isYamlError(err: unknown): err is YamlError {
  return err instanceof yaml.YAMLException;
}

/**
 * Loads every document of `text` (documents that are empty, comment-only or just `---` come back
 * as `null`, so indexes agree with the document count a user sees). `json` keeps JSON.parse's
 * duplicate-key behaviour (last one wins).
 */
export function loadYamlDocuments(text: string, listener?: YamlListener, json = false): unknown[] {
  return yaml.loadAll(text, undefined, {
    schema: MANIFEST_YAML_SCHEMA,
    json,
    ...(listener ? { listener: listener as unknown as yaml.LoadOptions['listener'] } : {}),
  });
}

/** Removes a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Whether the content looks like JSON: its first character after whitespace opens an object or array. */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b /* { */ || c === 0x5b; /* [ */
  }
  return false;
}
