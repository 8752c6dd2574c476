import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanLines } from './line-scanner.js';
import { useTempDir } from './test-support.js';

const dir = useTempDir('tessera-lines-');

async function collect(content: string | Buffer, options: { chunkBytes?: number } = {}) {
  const file = path.join(dir(), 'lines.txt');
  await writeFile(file, content);
  const lines: Array<{ text: string; number: number; offset: number }> = [];
  const result = await scanLines(file, {
    ...options,
    onLine: (bytes, start, end, number, offset) => lines.push({ text: bytes.toString('utf8', start, end), number, offset }),
  });
  return { lines, result, file };
}

describe('scanLines', () => {
  it('delivers every complete line with its number and file offset, across chunk boundaries', async () => {
    const text = ['alpha', '', 'a line longer than one chunk of eight bytes', 'é😀 multibyte', 'end'].join('\n') + '\n';
    for (const chunkBytes of [1, 3, 8, 1024]) {
      const { lines, result } = await collect(text, { chunkBytes });
      expect(lines.map((l) => l.text)).toEqual(['alpha', '', 'a line longer than one chunk of eight bytes', 'é😀 multibyte', 'end']);
      expect(lines.map((l) => l.number)).toEqual([1, 2, 3, 4, 5]);
      const bytes = Buffer.from(text);
      for (const line of lines) expect(bytes.toString('utf8', line.offset, line.offset + Buffer.byteLength(line.text))).toBe(line.text);
      expect(result).toEqual({ lines: 5, tailBytes: 0, bytes: bytes.length });
    }
  });

  it('reports an unterminated last line as tail bytes instead of delivering it', async () => {
    const { lines, result } = await collect('one\ntwo\nthree-torn', { chunkBytes: 4 });
    expect(lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect(result.tailBytes).toBe('three-torn'.length);
  });

  it('stops with the error a callback throws, after letting the read in flight finish', async () => {
    const file = path.join(dir(), 'big.txt');
    await writeFile(file, 'x\n'.repeat(10_000));
    await expect(
      scanLines(file, {
        chunkBytes: 64,
        onLine: (_bytes, _start, _end, number) => {
          if (number === 3) throw new Error('stop here');
        },
      }),
    ).rejects.toThrow('stop here');
  });

  it('handles an empty file', async () => {
    const { lines, result } = await collect('');
    expect(lines).toEqual([]);
    expect(result).toEqual({ lines: 0, tailBytes: 0, bytes: 0 });
  });
});
