import { randomFillSync } from 'node:crypto';
import { randomBase62 } from '@tessera/sdk/key-format';

export type IdPrefix = 'ws' | 'mem' | 'role' | 'key' | 'req' | 'evt' | 'cor' | 'sub' | 'dlv' | 'exp';

/**
 * Random bytes drawn from a pool refilled 8 KiB at a time: `crypto.getRandomValues` per id costs
 * several microseconds, and every request takes at least one id; a copy from the pool costs a
 * fraction of one.
 */
const POOL_BYTES = 8192;
let pool = new Uint8Array(0);
let poolOffset = 0;
function pooledRandomBytes<T extends Uint8Array>(target: T): T {
  if (poolOffset + target.length > pool.length) {
    pool = randomFillSync(new Uint8Array(Math.max(POOL_BYTES, target.length)));
    poolOffset = 0;
  }
  target.set(pool.subarray(poolOffset, poolOffset + target.length));
  // Never hand the same bytes out twice.
  pool.fill(0, poolOffset, poolOffset + target.length);
  poolOffset += target.length;
  return target;
}

/** `{prefix}_{22 base62}`: about 131 random bits, and the type is visible in logs. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(22, pooledRandomBytes)}`;
}
