/**
 * Identifiers as Mesos and k8sm make them: UUIDs (v4 for Mesos IDs and container IDs, time-based v1
 * for k8sm task IDs), agent/framework/offer IDs derived from the leading master's ID, the k8sm
 * executor ID hash (CRC-64 ECMA, as Go's hash/crc64 computes it), the MasterInfo.ip encoding and
 * the Adler-32 container hash of k8s 1.5 kubelet container names.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export function uuidV4(): string {
  return randomUUID();
}

// UUID v1 (RFC 4122): 60-bit timestamp of 100 ns intervals since 1582-10-15, a clock sequence and
// a node. pborman/uuid.NewUUID (what k8sm used) takes the node from a network interface; a random
// node with the multicast bit set is the RFC's choice when there is none to use.
const GREGORIAN_OFFSET_MS = 12219292800000n;
const v1Node = (() => {
  const b = randomBytes(6);
  b[0] = (b[0] ?? 0) | 0x01;
  return b;
})();
const v1ClockSeq = randomBytes(2).readUInt16BE(0) & 0x3fff;
let v1LastTicks = 0n;

export function uuidV1(nowMs: number = Date.now()): string {
  let ticks = (BigInt(Math.floor(nowMs)) + GREGORIAN_OFFSET_MS) * 10000n;
  if (ticks <= v1LastTicks) ticks = v1LastTicks + 1n; // several IDs in one millisecond
  v1LastTicks = ticks;
  const timeLow = ticks & 0xffffffffn;
  const timeMid = (ticks >> 32n) & 0xffffn;
  const timeHi = ((ticks >> 48n) & 0x0fffn) | 0x1000n;
  const clockSeq = v1ClockSeq | 0x8000;
  const hex = (v: bigint | number, len: number) => v.toString(16).padStart(len, '0');
  return `${hex(timeLow, 8)}-${hex(timeMid, 4)}-${hex(timeHi, 4)}-${hex(clockSeq, 4)}-${v1Node.toString('hex')}`;
}

/** Version nibble of a UUID string (1 for time-based, 4 for random). */
export function uuidVersion(uuid: string): number {
  return parseInt(uuid.charAt(14), 16);
}

// CRC-64 with the ECMA-182 polynomial in reflected form, initial value and final XOR all ones:
// exactly Go's crc64.Checksum(data, crc64.MakeTable(crc64.ECMA)) (a.k.a. CRC-64/XZ).
const ECMA_REFLECTED = 0xc96c5795d7870f42n;
const MASK64 = 0xffffffffffffffffn;
const crcTable: bigint[] = (() => {
  const t: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let j = 0; j < 8; j++) crc = crc & 1n ? (crc >> 1n) ^ ECMA_REFLECTED : crc >> 1n;
    t.push(crc);
  }
  return t;
})();

export function crc64Ecma(data: string | Uint8Array): bigint {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let crc = MASK64;
  for (const b of bytes) crc = (crcTable[Number((crc ^ BigInt(b)) & 0xffn)] as bigint) ^ (crc >> 8n);
  return crc ^ MASK64;
}

/**
 * A k8sm executor ID: `<crc64 in lower-case hex, not zero-padded>_k8sm-executor` (KMF
 * `pkg/scheduler/executorinfo/id.go`: fmt.Sprintf("%x_%s", hash, "k8sm-executor")).
 */
export function k8smExecutorId(executorConfig: string): string {
  return `${crc64Ecma(executorConfig).toString(16)}_k8sm-executor`;
}

/**
 * MasterInfo.ip: the IPv4 address's bytes in network order read as a little-endian uint32, which is
 * what `in_addr.s_addr` holds on the x86 hosts Mesos runs on (MESOS-1201). 127.0.0.1 → 16777343.
 */
export function mesosIpUint32(ip: string): number {
  const parts = ip.split('.').map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  const [a, b, c, d] = parts as [number, number, number, number];
  return (a | (b << 8) | (c << 16) | (d << 24)) >>> 0;
}

/** Adler-32 (Go hash/adler32), used by the k8s 1.5 kubelet for `io.kubernetes.container.hash`. */
export function adler32(data: string): number {
  const bytes = Buffer.from(data, 'utf8');
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** 8 random lower-case hex digits, as the kubelet's name suffix (`%08x` of a random uint32). */
export function randomHex8(): string {
  return randomBytes(4).toString('hex');
}

/**
 * A status update UUID as Mesos keeps it (a random, version 4 UUID's 16 bytes) in the base64 of
 * protobuf-JSON bytes. From randomUUID, which draws on a cached pool of entropy (randomBytes(16) per
 * update was a tenth of the simulator's CPU time in a 10,000-pod benchmark).
 */
export function statusUuidBase64(): string {
  return Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64');
}

/** Monotonic counters behind `<masterId>-S<n>`, `<masterId>-<nnnn>` and `<masterId>-O<n>`. */
export class IdSequence {
  private agents = 0;
  private frameworks = 0;
  private offers = 0;

  constructor(public prefix: string) {}

  agentId(): string {
    return `${this.prefix}-S${this.agents++}`;
  }

  frameworkId(): string {
    return `${this.prefix}-${String(this.frameworks++).padStart(4, '0')}`;
  }

  offerId(): string {
    return `${this.prefix}-O${this.offers++}`;
  }
}
