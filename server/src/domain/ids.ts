import { randomBase62 } from '@tessera/sdk/key-format';

export type IdPrefix = 'ws' | 'mem' | 'role' | 'key' | 'req' | 'evt' | 'cor' | 'sub' | 'dlv' | 'exp';

/** `{prefix}_{22 base62}`: about 131 random bits, and the type is visible in logs. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(22)}`;
}
