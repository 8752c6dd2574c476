/** Opening the embedded store: on a data folder (durable, locked) or in memory (tests, mocks). */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Checkpoint, JsonDocumentStore, MemoryDocumentStore, acquireDataDirLock, mapCodec } from '../storage/index.js';
import { emptyData, type TesseraData } from '../domain/model.js';
import { DocumentTesseraStore } from './document-adapter.js';
import type { LastUsedTracker, TesseraStore } from './store.js';

export const DATA_FILE_NAME = 'tessera.json';
export const LAST_USED_FILE_NAME = 'last-used.json';
const collections = ['workspaces', 'members', 'roles', 'scopes', 'api_keys'] as const;

/** Refuses a file that parses as JSON but is not a Tessera data file, so it is never overwritten. */
export function validateData(value: unknown): TesseraData {
  const data = value as Partial<TesseraData> | null;
  if (typeof data !== 'object' || data === null || data.schema_version !== 1) {
    throw new Error('it is not a Tessera data file (schema_version 1 expected)');
  }
  for (const name of collections) {
    if (typeof data[name] !== 'object' || data[name] === null || Array.isArray(data[name])) {
      throw new Error(`its "${name}" section is missing or not an object`);
    }
  }
  return data as TesseraData;
}

export class MemoryLastUsed implements LastUsedTracker {
  readonly times = new Map<string, string>();
  get(keyId: string) { return this.times.get(keyId) ?? null; }
  touch(keyId: string, at: Date) { this.times.set(keyId, at.toISOString()); }
}

export interface FileStoreOptions {
  /** How often last-used times are checkpointed (ms). */
  checkpointIntervalMs?: number;
  onFailure?: (error: Error) => void;
}

/**
 * Opens (or creates) the store in `dataDir`. Takes the folder's lock first, so a second server
 * on the same folder fails with a clear error; a corrupt data file fails the start and is left
 * untouched.
 */
export async function openFileStore(dataDir: string, options: FileStoreOptions = {}): Promise<TesseraStore> {
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await acquireDataDirLock(dataDir);
  try {
    const document = await JsonDocumentStore.open<TesseraData>(join(dataDir, DATA_FILE_NAME), {
      defaultData: emptyData(),
      validate: validateData,
      onFailure: options.onFailure,
    });
    const checkpoint = await Checkpoint.open(join(dataDir, LAST_USED_FILE_NAME), {
      ...mapCodec<string, string>((v): v is string => typeof v === 'string'),
      initial: () => new Map<string, string>(),
      intervalMs: options.checkpointIntervalMs ?? 5_000,
    });
    const lastUsed = {
      get: (keyId: string) => checkpoint.state.get(keyId) ?? null,
      touch: (keyId: string, at: Date) => void checkpoint.update((times) => times.set(keyId, at.toISOString())),
      flush: () => checkpoint.flush(),
      close: () => checkpoint.close(),
    };
    return new DocumentTesseraStore(document, lastUsed, releaseLock);
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

export function openMemoryStore(): TesseraStore {
  return new DocumentTesseraStore(new MemoryDocumentStore<TesseraData>(emptyData()), new MemoryLastUsed());
}
