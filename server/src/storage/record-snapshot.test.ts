import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptDataFileError } from './durable-file.js';
import { RecordSnapshotAdapter, readSnapshotFile, writeSnapshotFile, type RecordSnapshot, type SnapshotFormat } from './record-snapshot.js';
import { RowTable, type BaseFile } from './row-table.js';
import { useTempDir } from './test-support.js';

const dir = useTempDir('tessera-snapshot-');
const opened: Array<BaseFile | undefined> = [];
afterEach(() => {
  for (const base of opened.splice(0)) base?.close();
});

const format: SnapshotFormat = {
  collections: ['people', 'things'],
  encode: (_collection, record) => JSON.stringify(record),
  validateMeta: (meta) => {
    if (meta.version !== 1) throw new Error('it is not a test file (version 1 expected)');
  },
};

type Plain = Record<string, Record<string, unknown>>;

function snapshotOf(collections: Plain, seq = 0): RecordSnapshot {
  const tables = new Map<string, RowTable>();
  for (const name of format.collections) {
    const table = new RowTable();
    for (const [id, record] of Object.entries(collections[name] ?? {})) table.set(id, JSON.stringify(record));
    tables.set(name, table);
  }
  return { meta: { version: 1 }, seq, tables };
}

function plain(snapshot: RecordSnapshot): Plain {
  const out: Plain = {};
  for (const [name, table] of snapshot.tables) {
    out[name] = {};
    table.forEachText((text, id) => (out[name]![id] = JSON.parse(text)));
  }
  return out;
}

async function read(file: string) {
  const result = await readSnapshotFile(file, format);
  opened.push(result?.snapshot.base);
  return result;
}

/** Ids and values that JSON must escape or that are easy to get wrong. */
const hostile: Plain = {
  people: {
    'p 1': { name: 'Zoë "Z" Ünal', note: 'line\nbreak\ttab \u2028 \u2029 \\ back', emoji: '😀', empty: '' },
    'quote"id\\slash': { name: 'escaped id' },
    'ünïcödé-id-😀': { name: 'unicode id' },
    '__proto__': { name: 'proto id' },
    nested: { a: { b: [1, { c: null }], '__proto__': { polluted: true } }, n: -1.5e-7 },
  },
  things: {},
};

describe('the snapshot file', () => {
  it('round-trips records exactly, through the fast (sealed) path', async () => {
    const file = path.join(dir(), 'data.json');
    const result = await writeSnapshotFile(file, snapshotOf(hostile, 42), format);
    expect(result.bytes).toBe((await readFile(file)).length);
    const back = await read(file);
    expect(back?.sealed).toBe(true);
    expect(back?.snapshot.seq).toBe(42);
    expect(back?.snapshot.meta).toEqual({ version: 1 });
    expect(plain(back!.snapshot)).toEqual(JSON.parse(JSON.stringify(hostile)));
    // The proto-named field stayed a field, not a prototype.
    expect(Object.getPrototypeOf((plain(back!.snapshot).people!.nested as { a: object }).a)).toBe(Object.prototype);
  });

  it('is a plain JSON document: JSON.parse and lowdb read it as one', async () => {
    const file = path.join(dir(), 'data.json');
    await writeSnapshotFile(file, snapshotOf(hostile, 7), format);
    const parsed = JSON.parse(await readFile(file, 'utf8'));
    expect(parsed.people).toEqual(JSON.parse(JSON.stringify(hostile.people)));
    expect(parsed.journal_seq).toBe(7);
    const low = new Low(new JSONFile<Plain & { version: number }>(file), { version: 0 } as Plain & { version: number });
    await low.read();
    expect(low.data.version).toBe(1);
    expect(low.data.people!['ünïcödé-id-😀']).toEqual({ name: 'unicode id' });
  });

  it('tells where each written record is, so it can be read back from the new file', async () => {
    const file = path.join(dir(), 'data.json');
    const result = await writeSnapshotFile(file, snapshotOf(hostile), format);
    const bytes = await readFile(file);
    for (const section of result.sections) {
      section.rows.ids.forEach((id, i) => {
        const text = bytes.toString('utf8', section.offsets[i]!, section.offsets[i]! + section.rows.length[i]!);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(hostile[section.name]![id])));
      });
    }
  });

  it('writes records larger than its write chunk, and many records across chunks', async () => {
    const file = path.join(dir(), 'data.json');
    const things: Record<string, Record<string, unknown>> = { huge: { text: 'h'.repeat(3 * 1024 * 1024) } };
    for (let i = 0; i < 5_000; i += 1) things[`t${i}`] = { i, pad: 'x'.repeat(300) };
    const written = await writeSnapshotFile(file, snapshotOf({ people: {}, things }), format);
    expect(written.content.equals(await readFile(file))).toBe(true);
    const back = await read(file);
    expect(back?.sealed).toBe(true);
    expect(plain(back!.snapshot).things).toEqual(things);
  });

  it('refuses a file whose bytes no longer match its seal, and leaves it as it was', async () => {
    const file = path.join(dir(), 'data.json');
    await writeSnapshotFile(file, snapshotOf(hostile), format);
    const original = await readFile(file, 'utf8');
    // A one-character change inside a value: still valid JSON, still the same layout.
    const edited = original.replace('escaped id', 'escaped ID');
    await writeFile(file, edited);
    await expect(read(file)).rejects.toThrow(/does not match the "sha256" checksum/);
    await expect(read(file)).rejects.toBeInstanceOf(CorruptDataFileError);
    expect(await readFile(file, 'utf8')).toBe(edited);
  });

  it('covers its first line too: a changed journal_seq or top-level field is refused', async () => {
    const file = path.join(dir(), 'data.json');
    await writeSnapshotFile(file, snapshotOf(hostile, 42), format);
    const original = await readFile(file, 'utf8');
    for (const edited of [original.replace('"journal_seq":42', '"journal_seq":43'), original.replace('"version":1', '"version":1,"x":2')]) {
      await writeFile(file, edited);
      await expect(read(file)).rejects.toThrow(/does not match the "sha256" checksum/);
    }
  });

  it('refuses a seal that covers the body alone: the first line is covered too', async () => {
    const file = path.join(dir(), 'data.json');
    await writeSnapshotFile(file, snapshotOf(hostile, 5), format);
    const text = await readFile(file, 'utf8');
    const body = text.slice(text.indexOf('\n') + 1);
    await writeFile(file, text.replace(/^\{"sha256":"[0-9a-f]{64}"/, `{"sha256":"${createHash('sha256').update(body).digest('hex')}"`));
    await expect(read(file)).rejects.toBeInstanceOf(CorruptDataFileError);
  });

  it('refuses a truncated file', async () => {
    const file = path.join(dir(), 'data.json');
    await writeSnapshotFile(file, snapshotOf(hostile), format);
    const bytes = await readFile(file);
    for (const keep of [bytes.length - 1, bytes.length - 3, Math.floor(bytes.length / 2)]) {
      await writeFile(file, bytes.subarray(0, keep));
      await expect(read(file), `truncated to ${keep} bytes`).rejects.toBeInstanceOf(CorruptDataFileError);
    }
  });

  it('reads a file edited by hand once its seal is removed (the slow way)', async () => {
    const file = path.join(dir(), 'data.json');
    await writeSnapshotFile(file, snapshotOf(hostile, 3), format);
    const edited = (await readFile(file, 'utf8')).replace(/^\{"sha256":"[0-9a-f]{64}",/, '{').replace('escaped id', 'renamed');
    await writeFile(file, edited);
    const back = await read(file);
    expect(back?.sealed).toBe(false);
    expect(back?.snapshot.seq).toBe(3);
    expect(plain(back!.snapshot).people!['quote"id\\slash']).toEqual({ name: 'renamed' });
  });

  it('reads other layouts of the same document (one line, pretty-printed) the slow way', async () => {
    const file = path.join(dir(), 'data.json');
    const document = { version: 1, people: { a: { n: 1 } }, things: { b: { n: 2 } }, extra: 'kept' };
    for (const text of [JSON.stringify(document), JSON.stringify(document, null, 2)]) {
      await writeFile(file, text);
      const back = await read(file);
      expect(back?.sealed).toBe(false);
      expect(back?.snapshot.seq).toBe(0);
      expect(back?.snapshot.meta).toEqual({ version: 1, extra: 'kept' });
      expect(plain(back!.snapshot)).toEqual({ people: { a: { n: 1 } }, things: { b: { n: 2 } } });
    }
  });

  it('refuses a reformatted file that still carries a seal it no longer matches', async () => {
    const file = path.join(dir(), 'data.json');
    await writeSnapshotFile(file, snapshotOf(hostile), format);
    const pretty = JSON.stringify(JSON.parse(await readFile(file, 'utf8')), null, 2);
    await writeFile(file, pretty);
    await expect(read(file)).rejects.toThrow(/sha256/);
  });

  it('refuses files that are not ours or not whole, naming the file and the reason', async () => {
    const file = path.join(dir(), 'data.json');
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['{"version":1,"people":', /truncated/],
      ['{"version":1,"people":{', /not valid JSON/],
      ['[1,2]', /not an object/],
      ['{"version":2,"people":{},"things":{}}', /not a test file/],
      ['{"version":1,"people":{}}', /"things" section is missing/],
      ['{"version":1,"people":{"a":5},"things":{}}', /record "a" in "people" is not an object/],
      ['{"version":1,"journal_seq":-1,"people":{},"things":{}}', /journal_seq/],
      [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1'), /UTF-8|JSON/],
    ];
    for (const [content, reason] of cases) {
      await writeFile(file, content, content.includes('\u00ff') ? 'latin1' : 'utf8');
      const error = await read(file).catch((e: unknown) => e);
      expect(error, JSON.stringify(content)).toBeInstanceOf(CorruptDataFileError);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).toContain(file);
    }
  });

  it('is missing when the file does not exist', async () => {
    expect(await read(path.join(dir(), 'nothing.json'))).toBeUndefined();
  });

  it('as a lowdb adapter: writes, then opens the new file for reading records back', async () => {
    const file = path.join(dir(), 'data.json');
    const adapter = new RecordSnapshotAdapter(file, format);
    const low = new Low<RecordSnapshot>(adapter, snapshotOf(hostile, 9));
    await low.write();
    opened.push(adapter.lastWrite?.base);
    expect(adapter.lastWrite?.bytes).toBe((await readFile(file)).length);
    // The base is the bytes assembled for the write, not a read back: they must be the file's.
    expect(adapter.lastWrite?.base.bytes.equals(await readFile(file))).toBe(true);
    const again = new RecordSnapshotAdapter(file, format);
    const data = await again.read();
    opened.push(data?.base);
    expect(again.lastRead?.sealed).toBe(true);
    expect(plain(data!)).toEqual(JSON.parse(JSON.stringify(hostile)));
  });
});
