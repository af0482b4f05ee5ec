import { randomBytes } from 'node:crypto';

/**
 * Time-based (version 1) UUIDs, as k8sm's task ids are (`pod.` + pborman/uuid.NewUUID, §1.1): the
 * 100 ns ticks since 1582-10-15, a random clock sequence and a random node id (multicast bit set, as
 * RFC 4122 asks when no MAC address is used), with a counter so ids made in one tick differ.
 */
const GREGORIAN_OFFSET_MS = 12_219_292_800_000;

export function uuidV1Factory(now: () => number = Date.now): () => string {
  const node = randomBytes(6);
  node[0] = node[0]! | 0x01;
  const seq = randomBytes(2).readUInt16BE(0) & 0x3fff;
  let lastMs = -1;
  let extra = 0;
  return () => {
    const ms = now();
    if (ms === lastMs) extra++;
    else {
      lastMs = ms;
      extra = 0;
    }
    const ticks = (BigInt(ms) + BigInt(GREGORIAN_OFFSET_MS)) * 10_000n + BigInt(extra % 10_000);
    const low = Number(ticks & 0xffffffffn);
    const mid = Number((ticks >> 32n) & 0xffffn);
    const high = Number((ticks >> 48n) & 0x0fffn) | 0x1000;
    const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
    return `${hex(low, 8)}-${hex(mid, 4)}-${hex(high, 4)}-${hex(0x8000 | seq, 4)}-${node.toString('hex')}`;
  };
}
