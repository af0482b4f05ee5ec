/**
 * Kubernetes resource quantities (`500m`, `0.5`, `2`, `64Mi`, `1Gi`, `128M`, `1e9`, `129e6`, or a
 * YAML number), converted the way k8sm converts them (reference §1.6): CPU to cores via milli-cores
 * (rounded up, as `Quantity.MilliValue()` does), memory to MB = bytes (rounded up, as
 * `Quantity.Value()`) / 1024 / 1024.
 */

export class QuantityError extends Error {
  constructor(
    readonly value: unknown,
    readonly resource: 'cpu' | 'memory',
    readonly problem: string,
  ) {
    super(`${resource} quantity ${typeof value === 'string' ? JSON.stringify(value) : String(value)} ${problem}`);
    this.name = 'QuantityError';
  }
}

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

// <sign?><digits[.digits]|.digits> then a binary/decimal SI suffix or an e/E exponent.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

const HINT = 'is not a Kubernetes quantity: use e.g. 500m, 0.5 or 2 for cpu and 64Mi, 1Gi, 128M or 129e6 for memory';

/** The plain value (cores or bytes), or NaN when it is not a valid non-negative quantity. Never throws. */
function plainValue(value: unknown): number {
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    const m = QUANTITY.exec(value);
    if (m === null) return Number.NaN;
    n = Number(m[1]);
    if (m[3] !== undefined) n *= 10 ** Number(m[3]);
    else n *= SUFFIX[m[2] ?? '']!;
  } else {
    return Number.NaN;
  }
  return Number.isFinite(n) && n >= 0 ? n : Number.NaN;
}

/** What is wrong with a value that is not a valid quantity (undefined when it is one). */
export function quantityError(value: unknown, resource: 'cpu' | 'memory'): QuantityError | undefined {
  if (!Number.isNaN(plainValue(value))) return undefined;
  if (typeof value === 'number' && value < 0) return new QuantityError(value, resource, 'is negative: resources cannot be negative');
  if (typeof value === 'number') return new QuantityError(value, resource, 'is not a finite number');
  if (typeof value === 'string' && QUANTITY.test(value)) {
    return new QuantityError(value, resource, value.startsWith('-') ? 'is negative: resources cannot be negative' : 'is too large');
  }
  return new QuantityError(value, resource, HINT);
}

/** Rounds up like Kubernetes does, ignoring floating-point noise (0.1 * 1000 = 100.00000000000001). */
function ceilQuiet(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-9 * Math.max(1, Math.abs(x)) ? r : Math.ceil(x);
}

// Manifests repeat a handful of quantities ("500m", "512Mi") thousands of times: remember them.
const CPU_CACHE = new Map<string, number>();
const MEM_CACHE = new Map<string, number>();
const CACHE_LIMIT = 4096;

function cached(cache: Map<string, number>, value: unknown, convert: (plain: number) => number): number {
  if (typeof value !== 'string') return convert(plainValue(value));
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const n = convert(plainValue(value));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(value, n);
  return n;
}

const toCores = (plain: number): number => ceilQuiet(plain * 1000) / 1000;
const toMegabytes = (plain: number): number => ceilQuiet(plain) / (1024 * 1024);

/** CPU quantity in cores (`500m` → 0.5), rounded up to whole milli-cores; NaN when invalid (`quantityError` says why). */
export function cpuCoresOrNaN(value: unknown): number {
  return cached(CPU_CACHE, value, toCores);
}

/** Memory quantity in MB as Mesos counts it: bytes (rounded up) / 1024 / 1024 (`64Mi` → 64, `128M` → 122.07...); NaN when invalid. */
export function memMegabytesOrNaN(value: unknown): number {
  return cached(MEM_CACHE, value, toMegabytes);
}

/**
 * The figures messages were last given, by value: a manifest's few figures (0.25 CPU, 64 MB) come
 * back in every pod's messages, and V8 makes a new string of a fraction each time it is printed.
 */
const CPU_TEXT = new Map<number, string>();
const MEM_TEXT = new Map<number, string>();

function formatted(cache: Map<number, string>, x: number, scale: number): string {
  let s = cache.get(x);
  if (s === undefined) {
    s = String(Math.round(x * scale) / scale);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(x, s);
  }
  return s;
}

/** `0.25`, `1.5`: CPU cores for messages, up to three decimals. */
export function formatCpu(cores: number): string {
  return formatted(CPU_TEXT, cores, 1000);
}

/** `64`, `122.07`: megabytes for messages, up to two decimals. */
export function formatMem(mb: number): string {
  return formatted(MEM_TEXT, mb, 100);
}
