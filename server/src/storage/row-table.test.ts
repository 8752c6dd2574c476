import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BaseFile, CapturedRowReader, RowTable, readLeadingStrings, type CapturedRows } from './row-table.js';
import { useTempDir } from './test-support.js';

const dir = useTempDir('tessera-rows-');
const opened: BaseFile[] = [];
afterEach(() => {
  for (const base of opened.splice(0)) base.close();
});

/** A base file holding `records` one per line; returns it and where each record is. */
async function baseWith(records: Record<string, string>, name = 'base.txt') {
  const file = path.join(dir(), name);
  let content = '';
  const at: Record<string, { offset: number; length: number }> = {};
  for (const [id, text] of Object.entries(records)) {
    const offset = Buffer.byteLength(content);
    at[id] = { offset, length: Buffer.byteLength(text) };
    content += `${text}\n`;
  }
  await writeFile(file, content);
  const base = new BaseFile(file, readFileSync(file));
  opened.push(base);
  return { base, at };
}

function texts(table: RowTable): Record<string, string> {
  const out: Record<string, string> = {};
  table.forEachText((text, id) => (out[id] = text));
  return out;
}

function capturedTexts(rows: CapturedRows): Record<string, string> {
  const reader = new CapturedRowReader(rows);
  const out: Record<string, string> = {};
  rows.ids.forEach((id, i) => {
    const { bytes, start } = reader.read(i);
    out[id] = bytes.toString('utf8', start, start + rows.length[i]!);
  });
  return out;
}

describe('RowTable', () => {
  it('keeps texts by id: set, replace, delete, in insertion order', () => {
    const table = new RowTable();
    table.set('a', '{"n":1}');
    table.set('b', '{"n":"é😀"}');
    table.set('a', '{"n":2}');
    expect(table.text('a')).toBe('{"n":2}');
    expect(table.text('b')).toBe('{"n":"é😀"}');
    expect(table.text('missing')).toBeUndefined();
    const ids = () => {
      const seen: string[] = [];
      table.forEachText((_text, id) => seen.push(id));
      return seen;
    };
    expect(ids()).toEqual(['a', 'b']);
    expect(table.delete('a')).toBe(true);
    expect(table.delete('a')).toBe(false);
    expect(table.has('a')).toBe(false);
    expect(ids()).toEqual(['b']);
  });

  it('keeps every text intact through slab growth, huge records and compaction', () => {
    const table = new RowTable();
    const expected: Record<string, string> = {};
    const big = `{"big":"${'x'.repeat(5 * 1024 * 1024)}"}`;
    table.set('big', big);
    expected.big = big;
    // Enough rewrites to leave far more dead space than live: compaction must run.
    for (let round = 0; round < 6; round += 1) {
      for (let i = 0; i < 2_000; i += 1) {
        const text = `{"id":${i},"round":${round},"pad":"${'p'.repeat(200)}"}`;
        table.set(`r${i}`, text);
        expected[`r${i}`] = text;
      }
    }
    for (let i = 0; i < 2_000; i += 2) {
      table.delete(`r${i}`);
      delete expected[`r${i}`];
    }
    expect(table.memoryBytes.dead).toBeLessThan(table.memoryBytes.live);
    expect(texts(table)).toEqual(expected);
  });

  it('capture stays valid while the table changes and compacts afterwards', () => {
    const table = new RowTable();
    for (let i = 0; i < 1_000; i += 1) table.set(`k${i}`, `{"v":${i},"pad":"${'q'.repeat(500)}"}`);
    const captured = table.capture();
    const before = texts(table);
    for (let round = 0; round < 5; round += 1) for (let i = 0; i < 1_000; i += 1) table.set(`k${i}`, `{"v":"changed ${round}","pad":"${'z'.repeat(500)}"}`);
    table.delete('k1');
    expect(capturedTexts(captured)).toEqual(before);
    expect(table.text('k2')).toContain('changed 4');
  });

  it('reads records that live in the base file, singly and in passes', async () => {
    const { base, at } = await baseWith({ a: '{"x":"first"}', b: '{"x":"ünïcode"}', c: '{"x":"third"}' });
    const table = new RowTable(base);
    for (const [id, { offset, length }] of Object.entries(at)) table.setInBase(id, offset, length);
    table.set('d', '{"x":"in memory"}');
    expect(table.text('b')).toBe('{"x":"ünïcode"}');
    expect(texts(table)).toEqual({ a: '{"x":"first"}', b: '{"x":"ünïcode"}', c: '{"x":"third"}', d: '{"x":"in memory"}' });
    expect(table.memoryBytes.live).toBe(Buffer.byteLength('{"x":"in memory"}'));
    expect(table.withHead('c', (bytes, start, end) => bytes.toString('utf8', start, end))).toBe('{"x":"third"}');
  });

  it('rebase moves records unchanged since the capture onto the new file and frees their memory', async () => {
    const table = new RowTable();
    table.set('same', '{"v":"same"}');
    table.set('changed', '{"v":"old"}');
    table.set('deleted', '{"v":"gone"}');
    const captured = table.capture();
    table.set('changed', '{"v":"new"}');
    table.delete('deleted');
    table.set('added', '{"v":"added"}');
    // What a checkpoint would have written for the capture.
    const written = capturedTexts(captured);
    const { base, at } = await baseWith(written, 'snapshot.txt');
    table.rebase(captured, base, Float64Array.from(captured.ids.map((id) => at[id]!.offset)));
    expect(texts(table)).toEqual({ same: '{"v":"same"}', changed: '{"v":"new"}', added: '{"v":"added"}' });
    // Only the records written after the capture are still in memory; the others are read from the new file.
    expect(table.memoryBytes.live).toBe(Buffer.byteLength('{"v":"new"}') + Buffer.byteLength('{"v":"added"}'));
    base.close();
    expect(() => table.text('same')).toThrow(/after it was released/);
    expect(table.text('added')).toBe('{"v":"added"}');
  });

  it('refuses a record placed past the end of the base', async () => {
    const { base } = await baseWith({ a: '{"x":1}' });
    const table = new RowTable(base);
    expect(() => table.setInBase('a', 0, 500)).toThrow(RangeError);
    expect(table.text('a')).toBeUndefined();
  });

  it('forEachCandidate visits matching records and those whose start says nothing', () => {
    const table = new RowTable();
    table.set('1', '{"g":"ws_1","n":1}');
    table.set('12', '{"g":"ws_12","n":2}');
    table.set('none', '{"n":3}');
    const seen: string[] = [];
    table.forEachCandidate(Buffer.from('{"g":"ws_1"'), Buffer.from('{"g":'), (_text, id) => seen.push(id));
    expect(seen).toEqual(['1', 'none']);
  });
});

describe('readLeadingStrings', () => {
  const prefixes = [Buffer.from('"g":"'), Buffer.from('"d":"')];
  const read = (text: string, skip = 0) => {
    const out: Array<string | undefined> = [];
    const bytes = Buffer.from(text);
    return readLeadingStrings(bytes, 0, bytes.length, prefixes, skip, out) ? out : false;
  };

  it('reads the leading string fields in order', () => {
    expect(read('{"g":"ws","d":"abc","x":1}')).toEqual(['ws', 'abc']);
    expect(read('{"g":"ws","d":"abc"}')).toEqual(['ws', 'abc']);
    expect(read('{"g":"ws","d":"é"}')).toEqual(['ws', 'é']);
    expect(read('{"g":"ws","d":"abc"}', 1)).toEqual([undefined, 'abc']);
  });

  it('gives up (so the caller parses) on anything else', () => {
    expect(read('{"d":"abc","g":"ws"}')).toBe(false);
    expect(read('{"g":"w\\"s","d":"abc"}')).toBe(false);
    expect(read('{"g":5,"d":"abc"}')).toBe(false);
    expect(read('{"g":"ws"}')).toBe(false);
    expect(read('{"g":"ws","d":"unterminated')).toBe(false);
    expect(read('{"g":"ws"}x"d":"abc"}')).toBe(false);
  });
});
