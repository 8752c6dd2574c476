import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLineBatches, type ReadLinesOptions } from './line-reader.js';
import { useTempDir } from './test-support.js';

const dir = useTempDir('tessera-lines-');

async function collect(content: string | Buffer, options: ReadLinesOptions = {}) {
  const file = path.join(dir(), 'lines.txt');
  await writeFile(file, content);
  const lines: Array<{ text: string; offset: number }> = [];
  const reader = readLineBatches(file, options);
  let read = await reader.next();
  for (; !read.done; read = await reader.next()) for (const line of read.value) lines.push({ text: line.bytes.toString('utf8'), offset: line.offset });
  return { lines, result: read.value, file };
}

describe('readLineBatches', () => {
  it('delivers every complete line with its file offset, across chunk boundaries', async () => {
    const text = ['alpha', '', 'a line longer than one chunk of eight bytes', 'é😀 multibyte', 'end'].join('\n') + '\n';
    for (const chunkBytes of [1, 3, 8, 1024]) {
      const { lines, result } = await collect(text, { chunkBytes });
      expect(lines.map((l) => l.text)).toEqual(['alpha', '', 'a line longer than one chunk of eight bytes', 'é😀 multibyte', 'end']);
      const bytes = Buffer.from(text);
      for (const line of lines) expect(bytes.toString('utf8', line.offset, line.offset + Buffer.byteLength(line.text))).toBe(line.text);
      expect(result).toEqual({ trailingBytes: 0, bytes: bytes.length });
    }
  });

  it('reports an unterminated last line as trailing bytes instead of delivering it', async () => {
    const { lines, result } = await collect('one\ntwo\nthree-torn', { chunkBytes: 4 });
    expect(lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect(result.trailingBytes).toBe('three-torn'.length);
  });

  it('stops before `end`', async () => {
    const { lines, result } = await collect('one\ntwo\nthree\n', { end: 6 });
    expect(lines.map((l) => l.text)).toEqual(['one']);
    expect(result).toEqual({ trailingBytes: 2, bytes: 6 });
  });

  it('stops with the error its reader throws', async () => {
    const file = path.join(dir(), 'big.txt');
    await writeFile(file, 'x\n'.repeat(10_000));
    const read = async () => {
      for await (const batch of readLineBatches(file, { chunkBytes: 64 })) if (batch.length > 0) throw new Error('stop here');
    };
    await expect(read()).rejects.toThrow('stop here');
  });

  it('yields nothing for a file that does not exist, unless it must exist', async () => {
    const missing = path.join(dir(), 'gone.txt');
    const reader = readLineBatches(missing);
    expect(await reader.next()).toEqual({ done: true, value: { trailingBytes: 0, bytes: 0 } });
    await expect(readLineBatches(missing, { mustExist: true }).next()).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('handles an empty file', async () => {
    const { lines, result } = await collect('');
    expect(lines).toEqual([]);
    expect(result).toEqual({ trailingBytes: 0, bytes: 0 });
  });
});
