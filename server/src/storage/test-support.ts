/** Helpers shared by the storage tests (imported by *.test.ts only). */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A fresh temp folder per test, removed afterwards. Call at describe/file level. */
export function useTempDir(prefix = 'tessera-storage-'): () => string {
  let dir: string | undefined;
  beforeEach(async () => {
    // realpath: on macOS the temp folder is behind a symlink, and errors name the resolved path.
    dir = await realpath(await mkdtemp(path.join(os.tmpdir(), prefix)));
  });
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (!dir) throw new Error('useTempDir: no temp folder outside a test');
    return dir;
  };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
