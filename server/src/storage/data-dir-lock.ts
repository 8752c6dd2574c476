/**
 * One process owns a data folder. The lock is a folder `tessera.lock` inside the data folder,
 * created atomically by proper-lockfile (mkdir), whose mtime the owner refreshes periodically.
 *
 * Stale timing: the owner refreshes the lock every {@link DEFAULT_LOCK_UPDATE_MS} (2 s); a lock not
 * refreshed for {@link DEFAULT_LOCK_STALE_MS} (10 s) is considered abandoned and is taken over.
 *  - A SIGKILLed (or crashed, or powered-off) server cannot remove its lock; a restart therefore
 *    succeeds at most 10 s after the last refresh. Until then it fails fast with a message saying
 *    so, and an orchestrator's restart loop gets through shortly after.
 *  - A live server keeps its lock through event-loop stalls of up to about 8 s (10 s - 2 s). Going
 *    lower would let a GC pause or a slow disk hand the folder to a second process; going higher
 *    only delays recovery after a kill.
 *  - If the lock is taken over anyway, proper-lockfile notices at the next refresh (the mtime is no
 *    longer ours) and calls `onCompromised`. The default throws {@link DataDirLockCompromisedError}
 *    from a timer, crashing the process: two writers on one data file is the one thing worse than
 *    stopping. Servers may pass their own handler to shut down gracefully instead.
 */
import { readFile, rm, stat, writeFile, realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { messageOf } from '../error-message.js';

export const DATA_DIR_LOCK_NAME = 'tessera.lock';
const OWNER_FILE_NAME = 'tessera.lock.owner.json';
export const DEFAULT_LOCK_STALE_MS = 10_000;
export const DEFAULT_LOCK_UPDATE_MS = 2_000;

export interface DataDirLockOwner {
  pid: number;
  hostname: string;
  acquiredAt: string;
}

export class DataDirLockedError extends Error {
  readonly code = 'data_dir_locked';
  readonly dir: string;
  readonly lockPath: string;
  readonly owner: DataDirLockOwner | undefined;

  constructor(dir: string, lockPath: string, staleMs: number, owner: DataDirLockOwner | undefined, cause: unknown) {
    const holder = owner ? ` (pid ${owner.pid} on ${owner.hostname}, since ${owner.acquiredAt})` : '';
    super(
      `The data folder ${dir} is in use by another Tessera server process${holder}; its lock is ${lockPath}. ` +
        `Stop that server, or start this one with a different data folder. If no server is running (for ` +
        `example the previous one was killed), the lock becomes stale ${Math.ceil(staleMs / 1000)} s after ` +
        `its last refresh and is then taken over automatically: wait and start again. Do not delete the ` +
        `lock while a server may still be running.`,
      { cause },
    );
    this.name = 'DataDirLockedError';
    this.dir = dir;
    this.lockPath = lockPath;
    this.owner = owner;
  }
}

export class DataDirLockCompromisedError extends Error {
  readonly code = 'data_dir_lock_compromised';

  constructor(dir: string, lockPath: string, cause: unknown) {
    super(
      `The lock ${lockPath} on data folder ${dir} was lost (another process took it over or it was ` +
        `removed). This process must stop writing to the folder now to avoid corrupting it.`,
      { cause },
    );
    this.name = 'DataDirLockCompromisedError';
  }
}

export interface DataDirLockOptions {
  /** A lock not refreshed for this long is considered abandoned. Minimum 2000 (proper-lockfile). */
  staleMs?: number;
  /** How often the owner refreshes the lock; at most staleMs / 2. */
  updateMs?: number;
  /** Called when the lock is lost while held. Default: throw (crash the process). */
  onCompromised?: (error: DataDirLockCompromisedError) => void;
}

/** Releases the lock; idempotent. */
export type ReleaseDataDirLock = () => Promise<void>;

async function readOwner(ownerPath: string): Promise<DataDirLockOwner | undefined> {
  try {
    const value = JSON.parse(await readFile(ownerPath, 'utf8')) as Partial<DataDirLockOwner>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.acquiredAt === 'string') {
      return { pid: value.pid, hostname: value.hostname, acquiredAt: value.acquiredAt };
    }
  } catch {
    // Best effort: the owner file only improves the error message.
  }
  return undefined;
}

/**
 * Take exclusive ownership of `dir` (which must exist). Fails fast with {@link DataDirLockedError}
 * when another process (or this one) holds it.
 */
export async function acquireDataDirLock(dir: string, options: DataDirLockOptions = {}): Promise<ReleaseDataDirLock> {
  let resolvedDir: string;
  try {
    resolvedDir = await realpath(dir);
    if (!(await stat(resolvedDir)).isDirectory()) throw new Error('it is not a folder');
  } catch (error) {
    const detail = messageOf(error);
    throw new Error(`Cannot use data folder ${dir}: ${detail}. Create it first or fix the path.`, { cause: error });
  }
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const updateMs = options.updateMs ?? Math.min(DEFAULT_LOCK_UPDATE_MS, staleMs / 2);
  // Inside the data folder (proper-lockfile's default would put it next to it) so that the lock
  // travels with the folder and needs no extra permissions.
  const lockPath = path.join(resolvedDir, DATA_DIR_LOCK_NAME);
  // Next to the lock, not inside it: writing inside would change the lock folder's mtime, which
  // proper-lockfile uses to detect that someone else took the lock over.
  const ownerPath = path.join(resolvedDir, OWNER_FILE_NAME);
  const onCompromised =
    options.onCompromised ??
    ((error: DataDirLockCompromisedError) => {
      throw error;
    });

  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(resolvedDir, {
      lockfilePath: lockPath,
      realpath: false,
      retries: 0,
      stale: staleMs,
      update: updateMs,
      onCompromised: (cause) => onCompromised(new DataDirLockCompromisedError(resolvedDir, lockPath, cause)),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ELOCKED') {
      throw new DataDirLockedError(resolvedDir, lockPath, staleMs, await readOwner(ownerPath), error);
    }
    throw error;
  }

  const owner: DataDirLockOwner = { pid: process.pid, hostname: os.hostname(), acquiredAt: new Date().toISOString() };
  await writeFile(ownerPath, `${JSON.stringify(owner)}\n`).catch(() => undefined);

  let released: Promise<void> | undefined;
  return () => {
    released ??= (async () => {
      // Only our own owner file: after a takeover it describes the new owner.
      const current = await readOwner(ownerPath);
      if (current?.pid === owner.pid && current.acquiredAt === owner.acquiredAt) {
        await rm(ownerPath, { force: true }).catch(() => undefined);
      }
      try {
        await release();
      } catch (error) {
        // A compromised lock was already given up (and reported through onCompromised).
        if ((error as { code?: unknown }).code !== 'ERELEASED') throw error;
      }
    })();
    return released;
  };
}
