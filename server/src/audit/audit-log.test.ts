import { open as openFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppendLog } from '../storage/append-log.js';
import { useTempDir } from '../storage/test-support.js';
import { ManualClock } from '../traffic/clock.js';
import { AuditLog, MemoryAuditLog } from './audit-log.js';
import { checkAuditChain } from './chain.js';
import { InvalidCursorError, InvalidTimeRangeError } from './errors.js';
import { computeEventHash, ZERO_HASH } from './hash.js';
import { KEY_A, KEY_B, MEMBER, RAW_KEY, RAW_PAT, RAW_WHSEC, listAll, sampleEvent, WS, WS2 } from './test-support.js';
import { AUDIT_EVENT_TYPES, type AuditEvent, type AuditEventInput, type AuditFilters, type AuditLogApi } from './types.js';

const tempDir = useTempDir('tessera-audit-');
const open: AuditLogApi[] = [];
afterEach(async () => {
  for (const log of open.splice(0)) await log.close().catch(() => undefined);
});

const START = Date.UTC(2026, 2, 19, 12);

async function fileLog(clock = new ManualClock(START), extra: Parameters<typeof AuditLog.open>[1] = {}): Promise<AuditLog> {
  const log = await AuditLog.open(tempDir(), { clock, maintenanceIntervalMs: 0, pruneIntervalMs: 0, fsyncIntervalMs: 0, ...extra });
  open.push(log);
  return log;
}

function memoryLog(clock = new ManualClock(START)): MemoryAuditLog {
  const log = new MemoryAuditLog({ clock });
  open.push(log);
  return log;
}

async function all(log: AuditLogApi, ws = WS, filters: AuditFilters = {}): Promise<AuditEvent[]> {
  return listAll(log, ws, filters, 100);
}

async function segmentFiles(ws = WS): Promise<string[]> {
  const dir = path.join(tempDir(), 'audit', ws);
  return (await readdir(dir)).filter((name) => name.endsWith('.ndjson')).sort().map((name) => path.join(dir, name));
}

function inputFor(type: (typeof AUDIT_EVENT_TYPES)[number], i: number): AuditEventInput {
  const at = new Date(START + i * 1000).toISOString();
  if (type === 'api_key.failed_auth') {
    return sampleEvent({ type, occurred_at: at, actor: { type: 'anonymous', id: null, name: null }, target: null, status: 401, details: { code: 'invalid_api_key' } });
  }
  if (type === 'api_key.used' || type === 'api_key.rate_limited') {
    return sampleEvent({ type, occurred_at: at, status: type === 'api_key.used' ? 200 : 429 });
  }
  const targetType = type.startsWith('api_key') ? 'api_key' : type.startsWith('audit_log') ? 'audit_export' : (type.split('.')[0] as 'workspace');
  return sampleEvent({
    type,
    occurred_at: at,
    actor: { type: 'member', id: MEMBER, name: 'Ada Admin' },
    target: { type: targetType, id: `${targetType}_${i}`, name: `name ${i}` },
    method: 'POST',
    path: `/v1/workspaces/${WS}/things`,
    status: 201,
    details: { n: i, nested: { list: [1, 'two', null] } },
  });
}

describe.each([
  ['file', () => fileLog()],
  ['memory', async () => memoryLog()],
] as const)('%s audit log', (_kind, make) => {
  it('records every event type with its fields, ids and a hash chain', async () => {
    const log = await make();
    const inputs = AUDIT_EVENT_TYPES.map((type, i) => inputFor(type, i));
    for (const input of inputs) log.record(input);
    const page = await log.list(WS, {}, { limit: 100 });
    expect(page.has_more).toBe(false);
    const events = page.data.slice().reverse(); // oldest first
    expect(events.map((e) => e.type)).toEqual([...AUDIT_EVENT_TYPES]);
    let prev = ZERO_HASH;
    events.forEach((event, i) => {
      const input = inputs[i]!;
      expect(event.id).toMatch(/^evt_[0-9A-Za-z]{22}$/);
      expect(Object.keys(event)).toEqual([
        'id', 'workspace_id', 'type', 'occurred_at', 'actor', 'target', 'ip', 'user_agent', 'method', 'path', 'status', 'request_id', 'correlation_id', 'details', 'prev_hash', 'hash',
      ]);
      const { id: _id, prev_hash: _p, hash: _h, ...content } = event;
      expect(content).toEqual(input);
      expect(event.prev_hash).toBe(prev);
      expect(event.hash).toBe(computeEventHash(event));
      prev = event.hash;
    });
    const integrity = await log.verifyIntegrity(WS);
    expect(integrity).toMatchObject({ intact: true, events_checked: AUDIT_EVENT_TYPES.length, first_invalid_event_id: null });
    expect(log.count(WS)).toBe(AUDIT_EVENT_TYPES.length);
  });

  it('keeps one chain per workspace', async () => {
    const log = await make();
    log.record(sampleEvent());
    log.record(sampleEvent({ workspace_id: WS2 }));
    log.record(sampleEvent());
    const [other] = (await log.list(WS2)).data;
    expect(other!.prev_hash).toBe(ZERO_HASH);
    const mine = (await log.list(WS)).data;
    expect(mine[0]!.prev_hash).toBe(mine[1]!.hash);
    expect((await log.verifyIntegrity(WS2)).intact).toBe(true);
    expect(await log.list('ws_unknownunknownunknown1')).toEqual({ data: [], has_more: false, next_cursor: null });
  });

  it('filters by type, key id or name (target or actor), actor, time and range', async () => {
    const clock = new ManualClock(START);
    const log = _kind === 'file' ? await fileLog(clock) : memoryLog(clock);
    const at = (minutes: number) => new Date(START - minutes * 60_000).toISOString();
    log.record(sampleEvent({ occurred_at: at(60 * 24 * 10), type: 'api_key.used' })); // 10 days ago, key A acts on itself
    log.record(sampleEvent({ occurred_at: at(60 * 24 * 3), type: 'api_key.created', actor: { type: 'member', id: MEMBER, name: 'Ada' }, target: { type: 'api_key', id: KEY_B, name: 'Monitoring' } }));
    log.record(sampleEvent({ occurred_at: at(60 * 5), type: 'api_key.revoked', actor: { type: 'api_key', id: KEY_A, name: 'CI/CD Pipeline' }, target: { type: 'api_key', id: KEY_B, name: 'Monitoring' } }));
    log.record(sampleEvent({ occurred_at: at(30), type: 'api_key.failed_auth', actor: { type: 'anonymous', id: null, name: null }, target: null, status: 401 }));
    log.record(sampleEvent({ occurred_at: at(1), type: 'member.updated', actor: { type: 'member', id: MEMBER, name: 'Ada' }, target: { type: 'member', id: 'mem_x', name: 'Monitoring' } }));

    const types = async (filters: object) => (await all(log, WS, filters)).map((e) => e.type);
    expect(await types({})).toEqual(['member.updated', 'api_key.failed_auth', 'api_key.revoked', 'api_key.created', 'api_key.used']);
    expect(await types({ event_type: ['api_key.created', 'api_key.revoked'] })).toEqual(['api_key.revoked', 'api_key.created']);
    expect(await types({ key_id: KEY_B })).toEqual(['api_key.revoked', 'api_key.created']);
    expect(await types({ key_id: KEY_A })).toEqual(['api_key.revoked', 'api_key.used']); // as actor, and as both
    expect(await types({ key_name: 'Monitoring' })).toEqual(['api_key.revoked', 'api_key.created']); // a member named Monitoring is not a key
    expect(await types({ actor_id: MEMBER })).toEqual(['member.updated', 'api_key.created']);
    expect(await types({ range: '24h' })).toEqual(['member.updated', 'api_key.failed_auth', 'api_key.revoked']);
    expect(await types({ range: '7d' })).toHaveLength(4);
    expect(await types({ range: '30d' })).toHaveLength(5);
    expect(await types({ from: at(60), to: at(2) })).toEqual(['api_key.failed_auth']);
    expect(await types({ to: at(30) })).toEqual(['api_key.revoked', 'api_key.created', 'api_key.used']); // `to` is exclusive
    expect(await types({ key_id: 'key_nobodynobodynobody12' })).toEqual([]);
    expect(await types({ range: '24h', to: at(10) })).toEqual(['api_key.failed_auth', 'api_key.revoked']);

    await expect(log.list(WS, { range: '24h', from: at(10) })).rejects.toBeInstanceOf(InvalidTimeRangeError);
    await expect(log.list(WS, { range: '24h', from: at(10) })).rejects.toMatchObject({ kind: 'unprocessable', code: 'invalid_time_range' });
    await expect(log.list(WS, { from: at(1), to: at(2) })).rejects.toMatchObject({ code: 'invalid_time_range' });
    expect(() => log.exportStream(WS, { range: '7d', from: at(1) }, 'csv')).toThrow(InvalidTimeRangeError);
  });

  it('pages newest first with cursors, never repeating or skipping', async () => {
    const log = await make();
    for (let i = 0; i < 57; i += 1) log.record(sampleEvent({ occurred_at: new Date(START + i).toISOString(), details: { i }, type: i % 3 === 0 ? 'api_key.failed_auth' : 'api_key.used' }));
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (; pages < 20; pages += 1) {
      const page = await log.list(WS, {}, { cursor, limit: 10 });
      seen.push(...page.data.map((e) => e.details.i as number));
      if (!page.has_more) {
        expect(page.next_cursor).toBeNull();
        break;
      }
      expect(page.next_cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      cursor = page.next_cursor!;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(Array.from({ length: 57 }, (_, i) => 56 - i));
    // Filtered pages.
    const failed = await all(log, WS, { event_type: ['api_key.failed_auth'] });
    expect(failed.map((e) => e.details.i)).toEqual(Array.from({ length: 19 }, (_, i) => 54 - 3 * i));
    // A cursor is only valid for its own filters, and garbage is refused.
    const first = await log.list(WS, {}, { limit: 5 });
    await expect(log.list(WS, { event_type: ['api_key.used'] }, { cursor: first.next_cursor! })).rejects.toBeInstanceOf(InvalidCursorError);
    // Nor for another workspace's log, which says so rather than blaming pruning.
    log.record(sampleEvent({ workspace_id: WS2 }));
    await expect(log.list(WS2, {}, { cursor: first.next_cursor! })).rejects.toThrow(/another list/);
    await expect(log.list(WS, {}, { cursor: 'not-a-cursor' })).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_cursor' });
    await expect(log.list(WS, {}, { cursor: Buffer.from('{"o":1}').toString('base64url') })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(log.list(WS, {}, { limit: 0 })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(log.list(WS, {}, { limit: 101 })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('redacts anything that looks like a raw key, token or webhook secret', async () => {
    const log = await make();
    log.record(
      sampleEvent({
        user_agent: `agent ${RAW_KEY}`,
        path: `/v1/things?key=${RAW_KEY}`,
        actor: { type: 'api_key', id: KEY_A, name: RAW_PAT },
        target: { type: 'api_key', id: KEY_A, name: `x${RAW_WHSEC}y` },
        details: { nested: { deeper: [RAW_KEY, { secret: RAW_WHSEC }] }, [RAW_KEY]: 'as a key', fine: 'sk_live_short', test: 'mykey_test_' + 'a'.repeat(36) },
      }),
    );
    const [event] = (await log.list(WS)).data;
    const text = JSON.stringify(event);
    expect(text).not.toContain(RAW_KEY);
    expect(text).not.toContain(RAW_PAT);
    expect(text).not.toContain(RAW_WHSEC);
    expect(text).not.toMatch(/_(live|test)_[0-9A-Za-z]{36}/);
    expect(event!.user_agent).toBe('agent [redacted]');
    expect(event!.path).toBe('/v1/things?key=[redacted]');
    expect(event!.actor.name).toBe('[redacted]');
    expect(event!.target!.name).toBe('x[redacted]y');
    expect(event!.details).toEqual({ nested: { deeper: ['[redacted]', { secret: '[redacted]' }] }, '[redacted]': 'as a key', fine: 'sk_live_short', test: '[redacted]' });
    expect(event!.hash).toBe(computeEventHash(event!));
    for (const format of ['csv', 'ndjson', 'cef'] as const) {
      const body = await new Response(log.exportStream(WS, {}, format)).text();
      expect(body).not.toContain(RAW_KEY);
      expect(body).not.toContain(RAW_WHSEC);
      expect(body).not.toContain(RAW_PAT);
    }
    if (_kind === 'file') {
      await log.flush();
      for (const file of await segmentFiles()) {
        const raw = await readFile(file, 'utf8');
        expect(raw).not.toContain(RAW_KEY);
        expect(raw).not.toContain(RAW_PAT);
        expect(raw).not.toContain(RAW_WHSEC);
      }
    }
  });

  it('refuses malformed inputs the HTTP layer should never send', async () => {
    const log = await make();
    expect(() => log.record(sampleEvent({ workspace_id: '../etc' }))).toThrow(TypeError);
    expect(() => log.record(sampleEvent({ type: 'nope' as never }))).toThrow(TypeError);
    expect(() => log.record(sampleEvent({ occurred_at: 'yesterday' }))).toThrow(TypeError);
    expect(log.count(WS)).toBe(0);
  });
});

describe('file audit log on disk', () => {
  it('survives a restart: events, chain, cursors and new events continue the chain', async () => {
    const clock = new ManualClock(START);
    const first = await fileLog(clock);
    for (let i = 0; i < 30; i += 1) first.record(sampleEvent({ details: { i } }));
    const page1 = await first.list(WS, {}, { limit: 10 });
    await first.close();
    const second = await fileLog(clock);
    expect(second.count(WS)).toBe(30);
    const page2 = await second.list(WS, {}, { cursor: page1.next_cursor!, limit: 10 });
    expect(page2.data.map((e) => e.details.i)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);
    second.record(sampleEvent({ details: { i: 30 } }));
    const [newest, previous] = (await second.list(WS, {}, { limit: 2 })).data;
    expect(newest!.prev_hash).toBe(previous!.hash);
    expect(await second.verifyIntegrity(WS)).toMatchObject({ intact: true, events_checked: 31 });
    // Every process start writes to a new segment.
    expect((await segmentFiles()).length).toBe(2);
  });

  it('serves events from disk once they are located, and from memory before', async () => {
    const log = await fileLog();
    for (let i = 0; i < 5; i += 1) log.record(sampleEvent({ details: { i } }));
    expect(log.stats().unlocated).toBe(5);
    const before = await log.list(WS);
    await log.flush();
    expect(log.stats().unlocated).toBe(0);
    const after = await log.list(WS);
    expect(after).toEqual(before);
  });

  it('lets events leave memory as soon as they are written, with no flush and no maintenance', async () => {
    const log = await fileLog();
    for (let i = 0; i < 50; i += 1) log.record(sampleEvent({ details: { i } }));
    expect(log.stats().unlocated).toBe(50);
    await vi.waitFor(() => expect(log.stats().unlocated).toBe(0));
    const page = await log.list(WS, {}, { limit: 50 });
    expect(page.data.map((event) => event.details)).toEqual(Array.from({ length: 50 }, (_, i) => ({ i: 49 - i })));
  });

  it('after the retired log fails a write, keeps what it had not written in memory and writes nothing after it', async () => {
    const clock = new ManualClock(START);
    const errors: unknown[] = [];
    const log = await fileLog(clock, { segmentMaxAgeMs: 1000, onError: (error) => errors.push(error) });
    log.record(sampleEvent({ details: { n: 0 } }));
    await log.flush();

    // A disk that fails the next write (of the log being retired), once armed.
    const probe = await openFile(path.join(tempDir(), 'probe'), 'w');
    const handleProto = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    const real = { write: handleProto.write, flush: AppendLog.prototype.flush, close: AppendLog.prototype.close };
    let failNextWrite = false;
    handleProto.write = function (this: unknown, ...args: unknown[]) {
      if (!failNextWrite) return real.write.apply(this, args);
      failNextWrite = false;
      // Late, as a real disk is: the next log would have time to open and write meanwhile.
      return new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error('ENOSPC (injected)'), { code: 'ENOSPC' })), 20));
    };
    // Maintenance flushes (anchoring heads), then retires the day-old log: two events arrive in
    // between and meet the failing disk; a third arrives while the log closes, for the next log.
    let flushes = 0;
    AppendLog.prototype.flush = async function (this: AppendLog) {
      await real.flush.call(this);
      if (flushes++ > 0) return;
      log.record(sampleEvent({ details: { n: 1 } }));
      log.record(sampleEvent({ details: { n: 2 } }));
      failNextWrite = true;
    };
    let closes = 0;
    AppendLog.prototype.close = function (this: AppendLog) {
      const closing = real.close.call(this);
      if (closes++ === 0) queueMicrotask(() => log.record(sampleEvent({ details: { n: 3 } })));
      return closing;
    };
    try {
      clock.advance(2000);
      await log.maintain().catch(() => undefined);
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
      await new Promise((resolve) => setTimeout(resolve, 100)); // what a next log would write, it has written by now
    } finally {
      Object.assign(handleProto, { write: real.write });
      Object.assign(AppendLog.prototype, { flush: real.flush, close: real.close });
    }
    const listed = (await log.list(WS, {}, { limit: 10 })).data;
    expect(listed.map((event) => event.details)).toEqual([{ n: 3 }, { n: 2 }, { n: 1 }, { n: 0 }]);
    expect(new Set(listed.map((event) => event.id)).size).toBe(4);
    expect(log.stats().unlocated).toBe(3);
  });

  async function tampered(edit: (lines: string[]) => string[]): Promise<{ result: Awaited<ReturnType<AuditLog['verifyIntegrity']>>; ids: string[] }> {
    const log = await fileLog();
    for (let i = 0; i < 6; i += 1) log.record(sampleEvent({ details: { i } }));
    await log.flush();
    const [file] = await segmentFiles();
    const lines = (await readFile(file!, 'utf8')).split('\n').filter(Boolean);
    const ids = lines.map((line) => (JSON.parse(line) as AuditEvent).id);
    await writeFile(file!, edit(lines).map((line) => `${line}\n`).join(''));
    return { result: await log.verifyIntegrity(WS), ids };
  }

  it('detects a modified event', async () => {
    const { result, ids } = await tampered((lines) => lines.map((line, i) => (i === 2 ? line.replace('"status":200', '"status":201') : line)));
    expect(result).toMatchObject({ intact: false, first_invalid_event_id: ids[2], events_checked: 3 });
  });

  it('detects a modified event whose hash was recomputed (the next link breaks)', async () => {
    const { result, ids } = await tampered((lines) =>
      lines.map((line, i) => {
        if (i !== 2) return line;
        const event = JSON.parse(line) as AuditEvent;
        event.ip = '198.51.100.1';
        event.hash = computeEventHash(event);
        return JSON.stringify(event);
      }),
    );
    expect(result).toMatchObject({ intact: false, first_invalid_event_id: ids[3] });
  });

  it('detects a removed event', async () => {
    const { result, ids } = await tampered((lines) => lines.filter((_, i) => i !== 3));
    expect(result).toMatchObject({ intact: false, first_invalid_event_id: ids[4] });
  });

  it('detects removal of the first event', async () => {
    const { result, ids } = await tampered((lines) => lines.slice(1));
    expect(result).toMatchObject({ intact: false, first_invalid_event_id: ids[1] });
  });

  it('detects removal of the newest events', async () => {
    const { result, ids } = await tampered((lines) => lines.slice(0, 4));
    expect(result).toMatchObject({ intact: false, first_invalid_event_id: ids[5] });
  });

  it('detects an inserted event', async () => {
    const { result } = await tampered((lines) => {
      const copy = JSON.parse(lines[1]!) as AuditEvent;
      copy.id = 'evt_INSERTEDINSERTEDINSERT';
      return [...lines.slice(0, 2), JSON.stringify(copy), ...lines.slice(2)];
    });
    expect(result).toMatchObject({ intact: false, first_invalid_event_id: 'evt_INSERTEDINSERTEDINSERT' });
  });

  it('detects an inserted event that links to its predecessor with a valid hash of its own', async () => {
    const { result, ids } = await tampered((lines) => {
      const copy = JSON.parse(lines[1]!) as AuditEvent;
      copy.id = 'evt_INSERTEDINSERTEDINSERT';
      copy.prev_hash = (JSON.parse(lines[1]!) as AuditEvent).hash;
      copy.hash = computeEventHash(copy);
      return [...lines.slice(0, 2), JSON.stringify(copy), ...lines.slice(2)];
    });
    expect(result).toMatchObject({ intact: false, first_invalid_event_id: ids[2] });
  });

  it('detects a garbage line', async () => {
    const { result } = await tampered((lines) => [...lines.slice(0, 2), 'not json', ...lines.slice(2)]);
    expect(result.intact).toBe(false);
  });

  it('detects removing the newest events across a restart (anchored head), and checkAuditChain agrees', async () => {
    const log = await fileLog();
    for (let i = 0; i < 4; i += 1) log.record(sampleEvent({ details: { i } }));
    await log.close();
    expect((await checkAuditChain(tempDir())).intact).toBe(true);
    const [file] = await segmentFiles();
    const lines = (await readFile(file!, 'utf8')).split('\n').filter(Boolean);
    await writeFile(file!, lines.slice(0, 3).map((l) => `${l}\n`).join(''));
    const report = await checkAuditChain(tempDir());
    expect(report.intact).toBe(false);
    expect(report.workspaces[0]).toMatchObject({ workspace_id: WS, intact: false, first_invalid_event_id: (JSON.parse(lines[3]!) as AuditEvent).id });
    const reopened = await fileLog();
    expect((await reopened.verifyIntegrity(WS)).intact).toBe(false);
  });

  it('tolerates a line torn by a crash', async () => {
    const log = await fileLog();
    for (let i = 0; i < 3; i += 1) log.record(sampleEvent({ details: { i } }));
    await log.flush();
    const [file] = await segmentFiles();
    await writeFile(file!, `${await readFile(file!, 'utf8')}{"id":"evt_torn`);
    // Simulate the crash: drop the log without closing it cleanly, then reopen.
    open.splice(open.indexOf(log), 1);
    const reopened = await fileLog();
    expect(reopened.loadReport.tornTails).toBe(1);
    expect(reopened.count(WS)).toBe(3);
    reopened.record(sampleEvent({ details: { i: 3 } }));
    expect(await reopened.verifyIntegrity(WS)).toMatchObject({ intact: true, events_checked: 4 });
    await log.close().catch(() => undefined);
  });
});

describe('retention', () => {
  const DAY = 86_400_000;

  it('prunes whole segments older than each workspace retention; the chain still verifies', async () => {
    const clock = new ManualClock(START);
    const retention: Record<string, number> = { [WS]: 30, [WS2]: 365 };
    const log = await fileLog(clock, { segmentMaxAgeMs: DAY, retentionDays: (ws) => retention[ws] });
    const recordDay = async (day: number, n: number) => {
      clock.set(START + day * DAY);
      await log.maintain(); // rotates the segment once it is a day old
      for (let i = 0; i < n; i += 1) {
        log.record(sampleEvent({ occurred_at: new Date(clock.now() + i).toISOString(), details: { day, i } }));
        log.record(sampleEvent({ workspace_id: WS2, occurred_at: new Date(clock.now() + i).toISOString(), details: { day, i } }));
      }
      await log.flush();
    };
    await recordDay(0, 3);
    await recordDay(10, 3);
    await recordDay(40, 3);
    await recordDay(45, 2);
    expect((await segmentFiles()).length).toBe(4);

    clock.set(START + 50 * DAY);
    const report = await log.prune();
    // Day 0 and day 10 are older than 30 days; day 40 is not. WS2 keeps a year.
    expect(report.workspaces).toHaveLength(1);
    expect(report.workspaces[0]).toMatchObject({ workspace_id: WS, retention_days: 30, removed_events: 6 });
    expect(report.workspaces[0]!.removed_segments).toHaveLength(2);
    expect((await segmentFiles()).length).toBe(2);
    expect((await segmentFiles(WS2)).length).toBe(4);
    expect(log.count(WS)).toBe(5);
    expect((await all(log)).map((e) => e.details.day)).toEqual([45, 45, 40, 40, 40]);
    expect(await log.verifyIntegrity(WS)).toMatchObject({ intact: true, events_checked: 5 });
    // New events still chain, across a restart too.
    log.record(sampleEvent({ occurred_at: new Date(clock.now()).toISOString() }));
    await log.close();
    const reopened = await fileLog(clock, { retentionDays: (ws) => retention[ws] });
    expect(reopened.count(WS)).toBe(6);
    expect(await reopened.verifyIntegrity(WS)).toMatchObject({ intact: true, events_checked: 6 });
    expect((await checkAuditChain(tempDir())).intact).toBe(true);
    // Removing the oldest remaining segment by hand is still detected: the start is anchored.
    const [oldest] = await segmentFiles();
    await writeFile(oldest!, '');
    expect((await reopened.verifyIntegrity(WS)).intact).toBe(false);
  });

  it('prunes whole segments only: a kept segment keeps its events older than the cutoff, and the chain verifies', async () => {
    const clock = new ManualClock(START);
    // Segments rotate by size here (about two events each), so one holds events on both sides of the cutoff.
    const options = { segmentMaxAgeMs: 1000 * DAY, segmentMaxBytes: 1500, retentionDays: () => 30 };
    const log = await fileLog(clock, options);
    for (const day of [0, 1, 5, 20, 21, 40]) {
      clock.set(START + day * DAY);
      log.record(sampleEvent({ occurred_at: new Date(clock.now()).toISOString(), details: { day } }));
      await log.flush();
    }
    const days = async (files: string[]) =>
      Promise.all(files.map(async (file) => (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((line) => (JSON.parse(line) as AuditEvent).details.day)));
    expect(await days(await segmentFiles())).toEqual([[0, 1], [5, 20], [21, 40]]);

    clock.set(START + 45 * DAY); // the cutoff is day 15, inside the second segment
    const report = await log.prune();
    expect(report.workspaces[0]).toMatchObject({ removed_events: 2, removed_segments: [expect.stringMatching(/^000001-/)] });
    expect((await all(log)).map((e) => e.details.day)).toEqual([40, 21, 20, 5]);
    expect(await log.verifyIntegrity(WS)).toMatchObject({ intact: true, events_checked: 4 });
    await log.close();
    const reopened = await fileLog(clock, options);
    expect((await all(reopened)).map((e) => e.details.day)).toEqual([40, 21, 20, 5]);
    expect(await reopened.verifyIntegrity(WS)).toMatchObject({ intact: true, events_checked: 4 });
  });

  it('runs one prune at a time: a call made while one runs waits for it, then prunes on its own', async () => {
    const clock = new ManualClock(START);
    const log = await fileLog(clock, { segmentMaxAgeMs: 1000 * DAY, segmentMaxBytes: 1500, retentionDays: () => 30 });
    for (const day of [0, 1, 5, 40]) {
      clock.set(START + day * DAY);
      log.record(sampleEvent({ occurred_at: new Date(clock.now()).toISOString(), details: { day } }));
      await log.flush();
    }
    clock.set(START + 45 * DAY);
    const [first, second] = await Promise.all([log.prune(), log.prune()]);
    expect(first.workspaces[0]).toMatchObject({ removed_events: 2 });
    expect(second.workspaces).toEqual([]); // it ran after the first, which had removed everything due
    expect(await log.verifyIntegrity(WS)).toMatchObject({ intact: true });
  });

  it('waits for a running prune when it closes, so no file changes after close', async () => {
    const clock = new ManualClock(START);
    let releaseRetention!: (days: number) => void;
    const retention = new Promise<number>((resolve) => (releaseRetention = resolve));
    const log = await fileLog(clock, { segmentMaxAgeMs: 1000 * DAY, segmentMaxBytes: 1500, retentionDays: () => retention });
    for (const day of [0, 1, 5, 40]) {
      clock.set(START + day * DAY);
      log.record(sampleEvent({ occurred_at: new Date(clock.now()).toISOString(), details: { day } }));
      await log.flush();
    }
    clock.set(START + 45 * DAY);
    let pruned = false;
    const pruning = log.prune().finally(() => (pruned = true));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the prune is waiting for the retention setting
    let closed = false;
    const closing = log.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    releaseRetention(30);
    await closing;
    expect(pruned).toBe(true);
    expect((await pruning).workspaces[0]).toMatchObject({ removed_events: 2 });
  });

  it('prunes everything of an idle workspace and continues the chain', async () => {
    const clock = new ManualClock(START);
    const log = await fileLog(clock, { retentionDays: () => 1 });
    for (let i = 0; i < 3; i += 1) log.record(sampleEvent({ occurred_at: new Date(START).toISOString() }));
    await log.flush();
    clock.set(START + 3 * DAY);
    const report = await log.prune();
    expect(report.workspaces[0]).toMatchObject({ removed_events: 3 });
    expect(log.count(WS)).toBe(0);
    expect(await segmentFiles()).toEqual([]);
    log.record(sampleEvent({ occurred_at: new Date(clock.now()).toISOString() }));
    await log.flush();
    expect(await log.verifyIntegrity(WS)).toMatchObject({ intact: true, events_checked: 1 });
    expect((await all(log)).length).toBe(1);
  });

  it('keeps recording while a prune runs', async () => {
    const clock = new ManualClock(START);
    const log = await fileLog(clock, { retentionDays: () => 1, segmentMaxAgeMs: DAY });
    for (let i = 0; i < 5; i += 1) log.record(sampleEvent({ occurred_at: new Date(START).toISOString() }));
    await log.flush();
    clock.set(START + 3 * DAY);
    await log.maintain(); // the old segment is a day old: the next event starts a new one
    const pruning = log.prune();
    for (let i = 0; i < 20; i += 1) {
      log.record(sampleEvent({ occurred_at: new Date(clock.now()).toISOString(), details: { i } }));
      await Promise.resolve();
    }
    const report = await pruning;
    expect(report.workspaces[0]).toMatchObject({ removed_events: 5 });
    for (let i = 20; i < 25; i += 1) log.record(sampleEvent({ occurred_at: new Date(clock.now()).toISOString(), details: { i } }));
    await log.flush();
    expect((await all(log)).map((e) => e.details.i)).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
    expect(await log.verifyIntegrity(WS)).toMatchObject({ intact: true, events_checked: 25 });
    await log.close();
    const reopened = await fileLog(clock);
    expect(reopened.count(WS)).toBe(25);
    expect((await reopened.verifyIntegrity(WS)).intact).toBe(true);
  });

  it('keeps the segment it shares with events still retained', async () => {
    const clock = new ManualClock(START);
    const log = await fileLog(clock, { retentionDays: () => 1 });
    log.record(sampleEvent({ occurred_at: new Date(START).toISOString() }));
    clock.set(START + 3 * DAY);
    log.record(sampleEvent({ occurred_at: new Date(clock.now()).toISOString() }));
    expect((await log.prune()).workspaces).toEqual([]);
    expect(log.count(WS)).toBe(2);
  });

  it('in memory, drops events older than the retention', async () => {
    const clock = new ManualClock(START);
    const log = new MemoryAuditLog({ clock, retentionDays: () => 7 });
    log.record(sampleEvent({ occurred_at: new Date(START - 10 * DAY).toISOString() }));
    log.record(sampleEvent({ occurred_at: new Date(START - 1 * DAY).toISOString() }));
    const report = await log.prune();
    expect(report.workspaces[0]).toMatchObject({ removed_events: 1 });
    expect(log.count(WS)).toBe(1);
    expect((await log.verifyIntegrity(WS)).intact).toBe(true);
    expect((await log.list(WS)).data).toHaveLength(1);
  });
});
