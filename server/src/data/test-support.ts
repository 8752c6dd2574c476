import type { ApiKeyRecord } from '../domain/model.js';
import type { StoreReader } from './store.js';

/** Every key of a workspace, for assertions (the store only visits them, one at a time). */
export async function keysOf(reader: StoreReader, workspaceId: string): Promise<ApiKeyRecord[]> {
  const keys: ApiKeyRecord[] = [];
  await reader.forEachApiKey(workspaceId, (key) => keys.push(key));
  return keys;
}
