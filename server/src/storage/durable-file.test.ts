import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CorruptDataFileError,
  UnreadableDataFileError,
  parseJsonText,
  readJsonFile,
  removeLeftoverTempFiles,
  tempPathFor,
  writeAll,
  writeFileDurably,
} from './durable-file.js';
import { useTempDir } from './test-support.js';

// Record every file-system call made by durable-file.ts (and let a test make one fail), while
// still performing the real operation.
const fsSpy = vi.hoisted(() => ({
  calls: [] as string[],
  failRename: undefined as Error | undefined,
  failSync: undefined as Error | undefined,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (file, flags, mode) => {
    const handle = await actual.open(file, flags, mode);
    fsSpy.calls.push(`open ${String(file)} ${String(flags)}`);
    const realWriteFile = handle.writeFile.bind(handle);
    const realSync = handle.sync.bind(handle);
    const realClose = handle.close.bind(handle);
    handle.writeFile = async (...args: Parameters<typeof handle.writeFile>) => {
      fsSpy.calls.push(`write ${String(file)}`);
      return realWriteFile(...args);
    };
    handle.sync = async () => {
      fsSpy.calls.push(`sync ${String(file)}`);
      if (fsSpy.failSync && String(file).endsWith('.tmp')) throw fsSpy.failSync;
      return realSync();
    };
    handle.close = async () => {
      fsSpy.calls.push(`close ${String(file)}`);
      return realClose();
    };
    return handle;
  };
  const rename: typeof actual.rename = async (from, to) => {
    fsSpy.calls.push(`rename ${String(from)} -> ${String(to)}`);
    if (fsSpy.failRename) throw fsSpy.failRename;
    return actual.rename(from, to);
  };
  return { ...actual, default: { ...actual, open, rename }, open, rename };
});

const tempDir = useTempDir();

afterEach(() => {
  fsSpy.calls.length = 0;
  fsSpy.failRename = undefined;
  fsSpy.failSync = undefined;
});

describe('writeFileDurably', () => {
  it('writes the content and leaves no temp file behind', async () => {
    const target = path.join(tempDir(), 'data.json');
    await writeFileDurably(target, '{"a":1}');
    expect(await readFile(target, 'utf8')).toBe('{"a":1}');
    expect(await readdir(tempDir())).toEqual(['data.json']);
  });

  it('writes a temp file in the same folder, fsyncs it, renames it over the target, then fsyncs the folder', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'data.json');
    await writeFile(target, 'old');
    fsSpy.calls.length = 0;

    await writeFileDurably(target, 'new');

    const openTemp = fsSpy.calls[0] ?? '';
    const tempPath = /^open (\S+) wx$/.exec(openTemp)?.[1];
    expect(tempPath, `first call was: ${openTemp}`).toBeDefined();
    expect(path.dirname(tempPath!)).toBe(dir);
    expect(path.basename(tempPath!)).toMatch(new RegExp(`^\\.data\\.json\\.${process.pid}\\.[0-9a-f]+\\.tmp$`));
    expect(fsSpy.calls).toEqual([
      `open ${tempPath} wx`,
      `write ${tempPath}`,
      `sync ${tempPath}`,
      `close ${tempPath}`,
      `rename ${tempPath} -> ${target}`,
      `open ${dir} r`,
      `sync ${dir}`,
      `close ${dir}`,
    ]);
    // The target itself is never opened, so it can never be partially written.
    expect(fsSpy.calls.some((call) => call.startsWith(`open ${target}`))).toBe(false);
    expect(await readFile(target, 'utf8')).toBe('new');
  });

  it('leaves the target byte-for-byte unchanged and removes the temp file when the rename fails', async () => {
    const target = path.join(tempDir(), 'data.json');
    await writeFile(target, '{"version":1}');
    fsSpy.failRename = Object.assign(new Error('simulated EIO'), { code: 'EIO' });

    await expect(writeFileDurably(target, '{"version":2}')).rejects.toThrow('simulated EIO');

    expect(await readFile(target, 'utf8')).toBe('{"version":1}');
    expect(await readdir(tempDir())).toEqual(['data.json']);
  });

  it('leaves the target unchanged and removes the temp file when fsync of the temp file fails', async () => {
    const target = path.join(tempDir(), 'data.json');
    await writeFile(target, 'before');
    fsSpy.failSync = Object.assign(new Error('simulated ENOSPC'), { code: 'ENOSPC' });

    await expect(writeFileDurably(target, 'after')).rejects.toThrow('simulated ENOSPC');

    expect(await readFile(target, 'utf8')).toBe('before');
    expect(await readdir(tempDir())).toEqual(['data.json']);
    expect(fsSpy.calls.some((call) => call.startsWith('rename'))).toBe(false);
  });

  it('creates files readable by the owner only', async () => {
    const target = path.join(tempDir(), 'secret.json');
    await writeFileDurably(target, '{}');
    const { stat } = await import('node:fs/promises');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });
});

describe('readJsonFile', () => {
  it('returns undefined when the file does not exist', async () => {
    expect(await readJsonFile(path.join(tempDir(), 'missing.json'))).toBeUndefined();
  });

  it('parses a valid file', async () => {
    const file = path.join(tempDir(), 'ok.json');
    await writeFile(file, '{"keys":[1,2]}');
    expect(await readJsonFile(file)).toEqual({ keys: [1, 2] });
  });

  it('refuses a corrupt file with a clear error and leaves it byte-for-byte unchanged', async () => {
    const file = path.join(tempDir(), 'data.json');
    const bytes = Buffer.from('{"keys": [1, 2,, oops');
    await writeFile(file, bytes);

    const error = await readJsonFile(file).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CorruptDataFileError);
    const corrupt = error as CorruptDataFileError;
    expect(corrupt.code).toBe('corrupt_data_file');
    expect(corrupt.path).toBe(file);
    expect(corrupt.message).toContain(file);
    expect(corrupt.message).toMatch(/left it untouched/);
    expect(corrupt.message).toMatch(/backup/);
    expect(corrupt.message).toMatch(/move it aside/);
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0);
  });

  it('refuses an empty file', async () => {
    const file = path.join(tempDir(), 'data.json');
    await writeFile(file, '');
    await expect(readJsonFile(file)).rejects.toThrow(CorruptDataFileError);
    await expect(readJsonFile(file)).rejects.toThrow(/empty/);
    expect((await readFile(file)).length).toBe(0);
  });

  it('refuses a whitespace-only file', async () => {
    const file = path.join(tempDir(), 'data.json');
    await writeFile(file, ' \n\t\n');
    await expect(readJsonFile(file)).rejects.toThrow(/empty/);
  });

  it('says a truncated file looks truncated', async () => {
    const file = path.join(tempDir(), 'data.json');
    await writeFile(file, '{"keys":[{"id":"k1"},{"id":"k');
    await expect(readJsonFile(file)).rejects.toThrow(/truncated/);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const file = path.join(tempDir(), 'data.json');
    await writeFile(file, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    await expect(readJsonFile(file)).rejects.toThrow(CorruptDataFileError);
  });

  it('reports a path that cannot be read as unreadable, naming it', async () => {
    const dirAsFile = path.join(tempDir(), 'data.json');
    await mkdir(dirAsFile);
    const error = await readJsonFile(dirAsFile).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreadableDataFileError);
    expect((error as UnreadableDataFileError).code).toBe('unreadable_data_file');
    expect((error as Error).message).toContain(dirAsFile);
  });
});

describe('removeLeftoverTempFiles', () => {
  it('removes crash leftovers of the target only, never the target or other files', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'data.json');
    await writeFile(target, '{"real":true}');
    const leftoverA = path.basename(tempPathFor(target));
    const leftoverB = '.data.json.1.abc123.tmp';
    await writeFile(path.join(dir, leftoverA), '{"half');
    await writeFile(path.join(dir, leftoverB), '');
    const unrelated = ['.other.json.1.abc.tmp', '.data.json.notes.tmp', 'data.json.bak', 'notes.tmp'];
    for (const name of unrelated) await writeFile(path.join(dir, name), 'keep');

    const removed = await removeLeftoverTempFiles(target);

    expect(removed.sort()).toEqual([leftoverA, leftoverB].sort());
    expect((await readdir(dir)).sort()).toEqual(['data.json', ...unrelated].sort());
    expect(await readFile(target, 'utf8')).toBe('{"real":true}');
  });

  it('does nothing when the folder does not exist', async () => {
    expect(await removeLeftoverTempFiles(path.join(tempDir(), 'nope', 'data.json'))).toEqual([]);
  });
});

describe('writeAll', () => {
  it('writes again after a short write, at the positions that follow', async () => {
    const calls: Array<[number, number, number | null]> = [];
    const handle = {
      // Takes at most 3 bytes per call, as a write to a pipe or a full disk may.
      write: async (_bytes: Uint8Array, offset: number, length: number, position: number | null) => {
        calls.push([offset, length, position]);
        return { bytesWritten: Math.min(3, length), buffer: _bytes };
      },
    } as unknown as Parameters<typeof writeAll>[0];
    await writeAll(handle, Buffer.from('abcdefgh'), 10);
    expect(calls).toEqual([[0, 8, 10], [3, 5, 13], [6, 2, 16]]);
    calls.length = 0;
    await writeAll(handle, Buffer.from('abcd'));
    expect(calls).toEqual([[0, 4, null], [3, 1, null]]);
  });
});

describe('parseJsonText', () => {
  it('reads UTF-8 JSON, and says why bytes are not that', () => {
    expect(parseJsonText(Buffer.from('{"a":[1,"é"]}'))).toEqual({ a: [1, 'é'] });
    expect(() => parseJsonText(Buffer.from([0x7b, 0xff, 0x7d]))).toThrow('it is not valid UTF-8 text');
    expect(() => parseJsonText(Buffer.from('{"scope":'))).toThrow(/^it is not valid JSON \(/);
  });
});
