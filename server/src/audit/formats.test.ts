import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../storage/test-support.js';
import { ManualClock } from '../traffic/clock.js';
import { AuditLog, MemoryAuditLog } from './audit-log.js';
import { cefExtensionEscape, cefHeaderEscape, cefLine, CSV_COLUMNS, csvField, parseCefLine, parseCsv } from './formats.js';
import { KEY_A, KEY_B, sampleEvent, WS } from './test-support.js';
import type { AuditEvent, AuditLogApi } from './types.js';

const tempDir = useTempDir('tessera-audit-formats-');
const logs: AuditLogApi[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
});
const START = Date.UTC(2026, 2, 19, 14, 32, 15);

const NASTY = ['Comma, Inc.', 'Say "hi"', 'line one\nline two', 'cr\r\nlf', 'a|b\\c=d', ' padded ', '=SUM(A1)', 'ünïcødé ✓'];

async function withEvents(kind: 'file' | 'memory'): Promise<AuditLogApi> {
  const clock = new ManualClock(START);
  const log = kind === 'file' ? await AuditLog.open(tempDir(), { clock, maintenanceIntervalMs: 0, pruneIntervalMs: 0 }) : new MemoryAuditLog({ clock });
  logs.push(log);
  NASTY.forEach((name, i) =>
    log.record(
      sampleEvent({
        occurred_at: new Date(START + i * 1000).toISOString(),
        actor: { type: 'api_key', id: i % 2 ? KEY_A : KEY_B, name },
        target: { type: 'api_key', id: i % 2 ? KEY_A : KEY_B, name },
        user_agent: `agent/${name}`,
        status: i % 2 ? 200 : 429,
        type: i % 2 ? 'api_key.used' : 'api_key.rate_limited',
      }),
    ),
  );
  log.record(sampleEvent({ occurred_at: new Date(START + 99_000).toISOString(), type: 'api_key.failed_auth', actor: { type: 'anonymous', id: null, name: null }, target: null, ip: null, user_agent: null, request_id: null, status: 401 }));
  return log;
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

async function oldestFirst(log: AuditLogApi, filters = {}): Promise<AuditEvent[]> {
  return (await log.list(WS, filters, { limit: 100 })).data.reverse();
}

describe('csv fields', () => {
  it('quotes only what RFC 4180 requires and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField(null)).toBe('');
    expect(csvField(200)).toBe('200');
  });
});

describe('cef escaping', () => {
  it('escapes pipes and backslashes in the header, and backslash, equals and newlines in extensions', () => {
    expect(cefHeaderEscape('a|b\\c')).toBe('a\\|b\\\\c');
    expect(cefHeaderEscape('x\ny')).toBe('x y');
    expect(cefExtensionEscape('a=b\\c\nd\re|f')).toBe('a\\=b\\\\c\\nd\\re|f');
  });

  it('writes the spec example line for the spec example event', () => {
    const event = {
      id: 'evt_3Lm8Nq2Rs7Tv1Wx5Yz9Ab4',
      workspace_id: WS,
      type: 'api_key.used',
      occurred_at: '2026-03-19T14:32:15Z',
      actor: { type: 'api_key', id: 'key_6Yh5Tg4Rf3Ed2Ws1Qa0Zx9', name: 'CI/CD Pipeline' },
      target: { type: 'api_key', id: 'key_6Yh5Tg4Rf3Ed2Ws1Qa0Zx9', name: 'CI/CD Pipeline' },
      ip: '203.0.113.7',
      user_agent: null,
      method: 'POST',
      path: '/v1/keys/verify',
      status: 200,
      request_id: null,
      correlation_id: 'cor_5Df8Gh1Jk4Lz7Xc0Vb3Nm6',
      details: {},
      prev_hash: '0'.repeat(64),
      hash: '0'.repeat(64),
    } satisfies AuditEvent;
    expect(cefLine(event)).toMatch(
      /^CEF:0\|Tessera\|Tessera\|0\.1\.0\|api_key\.used\|API key used\|3\|rt=1773930735000 src=203\.0\.113\.7 requestMethod=POST request=\/v1\/keys\/verify outcome=200 suser=key_6Yh5Tg4Rf3Ed2Ws1Qa0Zx9 cs1Label=keyName cs1=CI\/CD Pipeline externalId=evt_3Lm8Nq2Rs7Tv1Wx5Yz9Ab4 /,
    );
    expect(cefLine(event, '1.0|beta')).toContain('|1.0\\|beta|');
  });
});

describe.each(['file', 'memory'] as const)('%s exports', (kind) => {
  it('CSV parses back, with quotes, commas and newlines in names, oldest first', async () => {
    const log = await withEvents(kind);
    const body = await text(log.exportStream(WS, {}, 'csv'));
    expect(body.startsWith('id,occurred_at,type,actor_type,actor_id,actor_name,target_id,target_name,ip,user_agent,method,path,status,request_id,correlation_id\r\n')).toBe(true);
    const rows = parseCsv(body);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const events = await oldestFirst(log);
    expect(rows.length - 1).toBe(events.length);
    events.forEach((event, i) => {
      const row = Object.fromEntries(CSV_COLUMNS.map((column, c) => [column, rows[i + 1]![c]]));
      expect(row).toEqual({
        id: event.id,
        occurred_at: event.occurred_at,
        type: event.type,
        actor_type: event.actor.type,
        actor_id: event.actor.id ?? '',
        actor_name: event.actor.name ?? '',
        target_id: event.target?.id ?? '',
        target_name: event.target?.name ?? '',
        ip: event.ip ?? '',
        user_agent: event.user_agent ?? '',
        method: event.method ?? '',
        path: event.path ?? '',
        status: event.status === null ? '' : String(event.status),
        request_id: event.request_id ?? '',
        correlation_id: event.correlation_id,
      });
    });
    expect(rows.slice(1, NASTY.length + 1).map((row) => row[5])).toEqual(NASTY);
  });

  it('NDJSON lines are the events, oldest first, and filters apply', async () => {
    const log = await withEvents(kind);
    const body = await text(log.exportStream(WS, {}, 'ndjson'));
    expect(body.endsWith('\n')).toBe(true);
    const parsed = body.trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEvent);
    expect(parsed).toEqual(await oldestFirst(log));
    const filters = { event_type: ['api_key.used' as const], key_id: KEY_A };
    let completed = -1;
    const filtered = await text(log.exportStream(WS, filters, 'ndjson', { onComplete: (n) => (completed = n) }));
    const filteredEvents = filtered.trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEvent);
    expect(filteredEvents).toEqual(await oldestFirst(log, filters));
    expect(completed).toBe(filteredEvents.length);
    expect(await text(log.exportStream(WS, { key_id: 'key_nobodynobodynobody12' }, 'ndjson'))).toBe('');
  });

  it('CEF lines round-trip their escaped values', async () => {
    const log = await withEvents(kind);
    const body = await text(log.exportStream(WS, {}, 'cef'));
    const lines = body.split('\n').filter(Boolean);
    const events = await oldestFirst(log);
    expect(lines).toHaveLength(events.length); // a newline in a name never splits a record
    lines.forEach((line, i) => {
      const event = events[i]!;
      const { header, extension } = parseCefLine(line);
      expect(header).toEqual(['CEF:0', 'Tessera', 'Tessera', '0.1.0', event.type, expect.any(String), expect.stringMatching(/^\d+$/)]);
      expect(extension.externalId).toBe(event.id);
      expect(extension.rt).toBe(String(Date.parse(event.occurred_at)));
      if (event.target?.type === 'api_key') expect(extension.cs1).toBe(event.target.name);
      if (event.user_agent !== null) expect(extension.requestClientApplication).toBe(event.user_agent);
      expect(extension.src).toBe(event.ip ?? undefined);
    });
  });

  it('an export does not include events recorded after it started', async () => {
    const log = await withEvents(kind);
    const count = log.count(WS);
    const stream = log.exportStream(WS, {}, 'ndjson');
    const reader = stream.getReader();
    const first = await reader.read();
    log.record(sampleEvent({ occurred_at: new Date(START + 200_000).toISOString() }));
    let body = new TextDecoder().decode(first.value);
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      body += new TextDecoder().decode(next.value);
    }
    expect(body.trimEnd().split('\n')).toHaveLength(count);
  });
});
