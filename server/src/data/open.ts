/** Opening the embedded store: on a data folder (durable, locked) or in memory (tests, mocks). */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Checkpoint, RecordStore, acquireDataDirLock, mapCodec, type RecordStoreOptions } from '../storage/index.js';
import type { TesseraData } from '../domain/model.js';
import { RecordTesseraStore, TESSERA_COLLECTIONS } from './record-adapter.js';
import type { LastUsedTracker, TesseraStore } from './store.js';

export const DATA_FILE_NAME = 'tessera.json';
export const LAST_USED_FILE_NAME = 'last-used.json';

/**
 * Refuses a file whose top-level fields show it is not a Tessera data file, so it is never
 * overwritten. (The record store checks that every collection is there, as an object.)
 */
export function validateMeta(meta: Record<string, unknown>): void {
  if (meta.schema_version !== 1) throw new Error('it is not a Tessera data file (schema_version 1 expected)');
}

const recordOptions: Pick<RecordStoreOptions, 'collections' | 'initialMeta' | 'validateMeta'> = {
  collections: TESSERA_COLLECTIONS,
  initialMeta: { schema_version: 1 },
  validateMeta,
};

export class MemoryLastUsed implements LastUsedTracker {
  readonly times = new Map<string, string>();
  get(keyId: string) { return this.times.get(keyId) ?? null; }
  touch(keyId: string, at: Date) { this.times.set(keyId, at.toISOString()); }
}

export interface FileStoreOptions {
  /** How often last-used times are checkpointed (ms). */
  checkpointIntervalMs?: number;
  onFailure?: (error: Error) => void;
  onCheckpointError?: (error: unknown) => void;
}

/**
 * Opens (or creates) the store in `dataDir`. Takes the folder's lock first, so a second server
 * on the same folder fails with a clear error; a corrupt data file fails the start and is left
 * untouched.
 */
export async function openFileStore(dataDir: string, options: FileStoreOptions = {}): Promise<TesseraStore> {
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await acquireDataDirLock(dataDir);
  let records: RecordStore | undefined;
  try {
    records = await RecordStore.open(join(dataDir, DATA_FILE_NAME), {
      ...recordOptions,
      ...(options.onFailure ? { onFailure: options.onFailure } : {}),
      ...(options.onCheckpointError ? { onCheckpointError: options.onCheckpointError } : {}),
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
    return new RecordTesseraStore(records, lastUsed, releaseLock);
  } catch (error) {
    // A checkpoint the record store started in the background must end before the lock goes.
    await records?.close();
    await releaseLock();
    throw error;
  }
}

export function openMemoryStore(): TesseraStore {
  return new RecordTesseraStore(RecordStore.inMemory(recordOptions), new MemoryLastUsed());
}

/**
 * Write `data` as the data file of a new folder, in the layout the server opens fastest (for
 * seeding benchmarks and fixtures; the folder must not be in use).
 */
export async function writeDataFile(dataDir: string, data: TesseraData): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const writes = TESSERA_COLLECTIONS.flatMap(({ name }) =>
    Object.entries(data[name as Exclude<keyof TesseraData, 'schema_version'>] as Record<string, object>).map(([id, record]) => ({
      collection: name,
      id,
      record: record as Record<string, unknown>,
    })),
  );
  await RecordStore.writeSnapshot(join(dataDir, DATA_FILE_NAME), recordOptions, writes);
}
