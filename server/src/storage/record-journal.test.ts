import { appendFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptDataFileError, UnreadableDataFileError } from './durable-file.js';
import { JournalWriter, deleteJournalsBefore, journalFileName, listJournalFiles, replayJournal, type JournalEntry } from './record-journal.js';
import { useTempDir } from './test-support.js';

const dir = useTempDir('tessera-journal-');
const line = (seq: number, id = `r${seq}`) => `${JSON.stringify({ seq, writes: [['things', id, { seq }]] })}\n`;

async function journal(generation: number, content: string) {
  await writeFile(path.join(dir(), journalFileName('data', generation)), content);
}

async function replay(afterSeq = 0) {
  const entries: JournalEntry[] = [];
  const report = await replayJournal(await listJournalFiles(dir(), 'data'), afterSeq, (entry) => entries.push(entry));
  return { seqs: entries.map((e) => e.seq), report };
}

describe('the journal', () => {
  it('lists generations in numeric order and ignores other files', async () => {
    await journal(1000000, '');
    await journal(2, '');
    await journal(10, '');
    await writeFile(path.join(dir(), 'data-journal-x.ndjson'), '');
    await writeFile(path.join(dir(), 'other-journal-000001.ndjson'), '');
    expect((await listJournalFiles(dir(), 'data')).map((f) => f.generation)).toEqual([2, 10, 1000000]);
    expect(await listJournalFiles(path.join(dir(), 'missing'), 'data')).toEqual([]);
  });

  it('replays entries after the snapshot, across files, in order', async () => {
    await journal(1, line(1) + line(2) + line(3));
    await journal(2, line(4) + line(5));
    const { seqs, report } = await replay(2);
    expect(seqs).toEqual([3, 4, 5]);
    expect(report).toMatchObject({ lastSeq: 5, applied: 3, tornTails: [] });
    expect(report.bytes).toBe((line(1) + line(2) + line(3) + line(4) + line(5)).length);
  });

  it('drops a line torn by a crash at the end of a file, and carries on with the next file', async () => {
    await journal(1, line(1) + line(2) + line(3).slice(0, 20));
    // The next process started a new generation; its first transaction reused number 3.
    await journal(2, line(3, 'again') + line(4));
    const { seqs, report } = await replay();
    expect(seqs).toEqual([1, 2, 3, 4]);
    expect(report.tornTails).toEqual([{ file: path.join(dir(), journalFileName('data', 1)), bytes: 20 }]);
  });

  it('refuses a damaged line before the end, naming the file and the line, and changes nothing', async () => {
    const content = line(1) + '{"seq":2,"writes":[["things","r2",{"broken\n' + line(3);
    await journal(1, content);
    const error = await replay().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptDataFileError);
    expect((error as Error).message).toMatch(/data-journal-000001\.ndjson is unusable: line 2 is damaged/);
    expect(await readFile(path.join(dir(), journalFileName('data', 1)), 'utf8')).toBe(content);
  });

  it('refuses lines that parse but are not entries', async () => {
    const bad = [
      '[1,2]',
      '{"seq":0,"writes":[]}',
      '{"seq":1.5,"writes":[]}',
      '{"seq":1,"writes":{}}',
      '{"seq":1,"writes":[["things","r1"]]}',
      '{"seq":1,"writes":[["things",5,{}]]}',
      '{"seq":1,"writes":[["things","r1",[1]]]}',
    ];
    for (const text of bad) {
      await journal(1, `${text}\n`);
      await expect(replay(), text).rejects.toThrow(/line 1 is damaged/);
    }
  });

  it('refuses a gap: transactions neither in the snapshot nor in the journal', async () => {
    await journal(1, line(1) + line(2));
    await journal(3, line(5));
    await expect(replay()).rejects.toThrow(/holds transaction 5, but transactions 3 to 4 are neither in the snapshot nor in the journal/);
    await journal(3, line(3));
    expect((await replay()).seqs).toEqual([1, 2, 3]);
    // A journal that starts after the snapshot's end is missing its beginning.
    const third = (await listJournalFiles(dir(), 'data')).filter((f) => f.generation === 3);
    await expect(replayJournal(third, 1, () => undefined)).rejects.toThrow(/holds transaction 3, but transaction 2 is neither/);
  });

  it('refuses a listed journal file that is gone by the time it is read', async () => {
    await journal(1, line(1));
    const files = await listJournalFiles(dir(), 'data');
    await rm(files[0]!.path);
    await expect(replayJournal(files, 0, () => undefined)).rejects.toBeInstanceOf(UnreadableDataFileError);
  });

  it('accepts a gap among entries the snapshot already holds', async () => {
    // A checkpoint took in transaction 2, whose append then failed; the next process went on at 3.
    await journal(1, line(1));
    await journal(2, line(3));
    expect((await replay(2)).seqs).toEqual([3]);
  });

  it('appends and fsyncs to a file created on the first append, then moves on to a new generation', async () => {
    const writer = new JournalWriter(dir(), 'data', 7);
    expect(await listJournalFiles(dir(), 'data')).toEqual([]);
    await writer.append(Buffer.from(line(1)));
    await writer.append(Buffer.from(line(2)));
    expect(writer.bytes).toBe(line(1).length + line(2).length);
    const { previous, closed } = writer.nextGeneration();
    await closed;
    expect(previous).toBe(7);
    expect(writer.generation).toBe(8);
    expect(writer.bytes).toBe(0);
    await writer.append(Buffer.from(line(3)));
    await writer.close();
    expect(await readFile(path.join(dir(), journalFileName('data', 7)), 'utf8')).toBe(line(1) + line(2));
    expect((await replay()).seqs).toEqual([1, 2, 3]);
    expect(await deleteJournalsBefore(dir(), 'data', 8)).toEqual([journalFileName('data', 7)]);
    expect(await readdir(dir())).toEqual([journalFileName('data', 8)]);
  });

  it('never reuses an existing file for a generation', async () => {
    await mkdir(dir(), { recursive: true });
    await journal(1, line(1));
    const writer = new JournalWriter(dir(), 'data', 1);
    await expect(writer.append(Buffer.from(line(2)))).rejects.toThrow(/EEXIST/);
    await appendFile(path.join(dir(), journalFileName('data', 1)), '');
    expect((await replay()).seqs).toEqual([1]);
  });
});
