/**
 * Durable, atomic file primitives.
 *
 * A data file is only ever replaced whole: the new content goes to a unique temporary file in the
 * same folder, is fsynced, renamed over the target (atomic on POSIX within one file system), and
 * the folder itself is fsynced so that the rename survives a power loss. A reader therefore sees
 * either the complete old content or the complete new content, never a mix.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../error-message.js';

/** The file exists but its content cannot be used. It is never overwritten by Tessera. */
export class CorruptDataFileError extends Error {
  readonly code = 'corrupt_data_file';
  readonly path: string;
  readonly reason: string;

  constructor(filePath: string, reason: string, options?: { cause?: unknown }) {
    super(
      `Data file ${filePath} is unusable: ${reason}. Tessera left it untouched and will not overwrite it. ` +
        `To recover, restore the file from a backup, or move it aside (for example ` +
        `mv "${filePath}" "${filePath}.corrupt") to start again with empty data, then start the server again.`,
      options,
    );
    this.name = 'CorruptDataFileError';
    this.path = filePath;
    this.reason = reason;
  }
}

/** The file could not be read at all (permissions, it is a folder, I/O error). */
export class UnreadableDataFileError extends Error {
  readonly code = 'unreadable_data_file';
  readonly path: string;

  constructor(filePath: string, cause: unknown) {
    const detail = messageOf(cause);
    super(
      `Cannot read data file ${filePath} (${detail}). Check that it is a regular file and that the user ` +
        `running Tessera may read and write it and its folder.`,
      { cause },
    );
    this.name = 'UnreadableDataFileError';
    this.path = filePath;
  }
}

export interface WriteFileDurablyOptions {
  /** Permission bits of the written file. Default 0o600: data files hold secrets' digests. */
  mode?: number;
}

/** The signature of {@link writeFileDurably}; injectable so tests can count or fail writes. */
export type DurableFileWriter = (filePath: string, data: string | Uint8Array) => Promise<void>;

const TEMP_SUFFIX = '.tmp';

function tempPrefixFor(filePath: string): string {
  return `.${path.basename(filePath)}.`;
}

/** `.name.<pid>.<random>.tmp` in the target's folder (same file system, so rename is atomic). */
export function tempPathFor(filePath: string): string {
  const random = randomBytes(6).toString('hex');
  return path.join(path.dirname(filePath), `${tempPrefixFor(filePath)}${process.pid}.${random}${TEMP_SUFFIX}`);
}

function isTempFileOf(filePath: string, candidate: string): boolean {
  const prefix = tempPrefixFor(filePath);
  if (!candidate.startsWith(prefix) || !candidate.endsWith(TEMP_SUFFIX)) return false;
  const middle = candidate.slice(prefix.length, candidate.length - TEMP_SUFFIX.length);
  return /^\d+\.[0-9a-f]+$/.test(middle);
}

/** The `code` of a Node system error (`ENOENT`, `EPERM`…), if it has one. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * Write all of `bytes`: one write may take only part of them. At `position`, or without one at the
 * file's current position (its end, for a file opened to append).
 */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, position?: number): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const at = position === undefined ? null : position + offset;
    offset += (await handle.write(bytes, offset, bytes.length - offset, at)).bytesWritten;
  }
}

/** The names in `dir`; none when the folder does not exist (yet). */
export async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
}

/**
 * fsync a folder so that a rename, creation or deletion inside it is durable. Some file systems
 * (and Windows) cannot fsync a folder; there is nothing better to do there, so those specific
 * refusals are ignored while real I/O errors still propagate.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    if (process.platform === 'win32' && (errnoCode(error) === 'EPERM' || errnoCode(error) === 'EISDIR')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && !(process.platform === 'win32' && code === 'EPERM')) throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Replace `filePath` with `data` atomically and durably: temp file, fsync, rename, fsync folder.
 * If anything fails before the rename, the target is untouched and the temp file is removed.
 */
export async function writeFileDurably(
  filePath: string,
  data: string | Uint8Array,
  options: WriteFileDurablyOptions = {},
): Promise<void> {
  await writeFileDurablyWith(filePath, (handle) => handle.writeFile(data), options);
}

/**
 * {@link writeFileDurably} for content produced piece by piece: `write` fills the temp file
 * through its handle (several writes, even positioned ones), and only then is it fsynced and
 * renamed into place. Lets a large file be written without building it as one string first.
 */
export async function writeFileDurablyWith(
  filePath: string,
  write: (handle: FileHandle) => Promise<void>,
  options: WriteFileDurablyOptions = {},
): Promise<void> {
  const tempPath = tempPathFor(filePath);
  // 'wx': never follow or reuse an existing file at the temp path.
  const handle = await open(tempPath, 'wx', options.mode ?? 0o600);
  try {
    try {
      await write(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, filePath);
  } catch (error) {
    await rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(path.dirname(filePath));
}

/**
 * Remove temp files left by a crash during {@link writeFileDurably} for this target. Safe because
 * a temp file is only ever renamed into place complete: a leftover one was never acknowledged.
 * Call it when opening the file, before any writer for the same target exists in this process
 * (the data-folder lock guarantees no other process writes it). Returns the removed names.
 */
export async function removeLeftoverTempFiles(filePath: string): Promise<string[]> {
  const dir = path.dirname(filePath);
  const leftovers = (await namesIn(dir)).filter((name) => isTempFileOf(filePath, name));
  for (const name of leftovers) await rm(path.join(dir, name), { force: true });
  return leftovers;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A data file's bytes; `undefined` when it does not exist; {@link UnreadableDataFileError} when it cannot be read. */
export async function readDataFile(filePath: string): Promise<Buffer | undefined> {
  try {
    return await readFile(filePath);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new UnreadableDataFileError(filePath, error);
  }
}

/**
 * Read and parse a JSON file. `undefined` when it does not exist; {@link CorruptDataFileError}
 * when it is empty, truncated, not UTF-8 or not JSON; {@link UnreadableDataFileError} when it
 * cannot be read. Never modifies the file.
 */
export async function readJsonFile(filePath: string): Promise<unknown> {
  const bytes = await readDataFile(filePath);
  return bytes === undefined ? undefined : parseJsonBytes(filePath, bytes);
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The JSON value of `bytes` (a line of a log, say); throws an Error saying why they are not one:
 * "it is not valid UTF-8 text" or "it is not valid JSON (…)", for the caller to put in context.
 */
export function parseJsonText(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new Error('it is not valid UTF-8 text');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`it is not valid JSON (${messageOf(error)})`);
  }
}

/**
 * Parse the bytes of a JSON file read by the caller: {@link CorruptDataFileError} (naming
 * `filePath`) when they are empty, truncated, not UTF-8 or not JSON.
 */
export function parseJsonBytes(filePath: string, bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw new CorruptDataFileError(filePath, 'it is not valid UTF-8 text', { cause: error });
  }
  if (text.trim() === '') {
    throw new CorruptDataFileError(filePath, `it is empty (${bytes.byteLength} bytes)`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = messageOf(error);
    const truncated = /end of (JSON )?input|Unterminated/i.test(message);
    const reason = truncated
      ? `it looks truncated and is not valid JSON (${message})`
      : `it is not valid JSON (${message})`;
    throw new CorruptDataFileError(filePath, reason, { cause: error });
  }
}
