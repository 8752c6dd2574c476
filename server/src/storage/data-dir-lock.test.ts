import { spawn, type ChildProcess } from 'node:child_process';
import { access, readdir, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DATA_DIR_LOCK_NAME,
  DEFAULT_LOCK_STALE_MS,
  DataDirLockCompromisedError,
  DataDirLockedError,
  acquireDataDirLock,
  type ReleaseDataDirLock,
} from './data-dir-lock.js';
import { deferred, useTempDir } from './test-support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverRoot = path.resolve(here, '../..');
const childScript = path.join(here, 'test-fixtures', 'lock-child.ts');

interface ChildOutcome {
  ok: boolean;
  pid?: number;
  name?: string;
  code?: string;
  message?: string;
}

const children: ChildProcess[] = [];
const releases: ReleaseDataDirLock[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const release of releases.splice(0)) await release().catch(() => undefined);
});

/** Start the lock child (a real second process) and return its first output line. */
function startChild(mode: 'hold' | 'try', dir: string): { child: ChildProcess; outcome: Promise<ChildOutcome> } {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, mode, dir], {
    cwd: serverRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const outcome = new Promise<ChildOutcome>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as ChildOutcome));
    child.once('exit', (code, signal) => reject(new Error(`lock child exited (${code ?? signal}) before reporting: ${stderr}`)));
  });
  return { child, outcome };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function acquire(dir: string, options?: Parameters<typeof acquireDataDirLock>[1]): Promise<ReleaseDataDirLock> {
  const release = await acquireDataDirLock(dir, options);
  releases.push(release);
  return release;
}

const tempDir = useTempDir();

describe('acquireDataDirLock', () => {
  it('creates the lock inside the data folder and removes it on release', async () => {
    const dir = tempDir();
    const release = await acquire(dir);
    await access(path.join(dir, DATA_DIR_LOCK_NAME));
    await release();
    await release(); // idempotent
    expect(await readdir(dir)).toEqual([]);
  });

  it('can be taken again after release', async () => {
    const dir = tempDir();
    await (await acquire(dir))();
    const again = await acquire(dir);
    await again();
  });

  it('refuses a second acquisition in the same process', async () => {
    const dir = tempDir();
    await acquire(dir);
    await expect(acquireDataDirLock(dir)).rejects.toBeInstanceOf(DataDirLockedError);
  });

  it('makes a second process fail fast with a clear error naming folder, owner, lock and remedy', async () => {
    const dir = tempDir();
    await acquire(dir);

    const { child, outcome } = startChild('try', dir);
    const result = await outcome;
    await exited(child);

    expect(result.ok).toBe(false);
    expect(result.name).toBe('DataDirLockedError');
    expect(result.code).toBe('data_dir_locked');
    expect(result.message).toContain(dir);
    expect(result.message).toContain('another Tessera server process');
    expect(result.message).toContain(`pid ${process.pid}`);
    expect(result.message).toContain(path.join(dir, DATA_DIR_LOCK_NAME));
    expect(result.message).toMatch(/Stop that server/);
    expect(child.exitCode).toBe(1);
  });

  it('refuses this process while another process holds the folder', async () => {
    const dir = tempDir();
    const { outcome } = startChild('hold', dir);
    const holder = await outcome;
    expect(holder.ok).toBe(true);

    const error = await acquireDataDirLock(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as DataDirLockedError).owner?.pid).toBe(holder.pid);
  });

  it('recovers the lock of a SIGKILLed process once it is stale, and not before', async () => {
    const dir = tempDir();
    const { child, outcome } = startChild('hold', dir);
    expect((await outcome).ok).toBe(true);
    child.kill('SIGKILL');
    await exited(child);

    // A killed process cannot clean up: its lock is still there, and still fresh.
    const lockPath = path.join(dir, DATA_DIR_LOCK_NAME);
    expect((await stat(lockPath)).isDirectory()).toBe(true);
    await expect(acquireDataDirLock(dir)).rejects.toBeInstanceOf(DataDirLockedError);

    // Age it past the stale threshold instead of waiting (no refresh will ever come again).
    const past = new Date(Date.now() - DEFAULT_LOCK_STALE_MS - 5_000);
    await utimes(lockPath, past, past);
    const release = await acquire(dir);
    expect((await stat(lockPath)).mtime.getTime()).toBeGreaterThan(past.getTime());
    await release();
  });

  it('reports a lock lost while held through onCompromised', async () => {
    const dir = tempDir();
    const compromised = deferred<DataDirLockCompromisedError>();
    await acquire(dir, { staleMs: 2_000, updateMs: 1_000, onCompromised: compromised.resolve });
    await rm(path.join(dir, DATA_DIR_LOCK_NAME), { recursive: true });
    const error = await compromised.promise; // at the next refresh
    expect(error).toBeInstanceOf(DataDirLockCompromisedError);
    expect(error.message).toContain(dir);
  });

  it('explains a missing data folder', async () => {
    const missing = path.join(tempDir(), 'does-not-exist');
    await expect(acquireDataDirLock(missing)).rejects.toThrow(/Cannot use data folder .*does-not-exist/);
  });
});
