import { describe, expect, it } from 'vitest';
import type { ReplayableIdempotencyEntry } from './idempotency.js';
import { parseJsonText } from '../storage/durable-file.js';
import { decodeRecord, decodeSnapshotHeader, encodeRecord, encodeSnapshotHeader } from './idempotency-records.js';

const entry: ReplayableIdempotencyEntry = {
  state: 'completed',
  scope: 'member:mem_1',
  idempotencyKey: 'idem-1',
  fingerprint: 'f'.repeat(64),
  expiresAtMs: Date.UTC(2026, 2, 2, 10),
  response: { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"key_1","note":"line\\nbreak"}' },
};

const lineValue = (line: string): unknown => parseJsonText(Buffer.from(line.replace(/\n$/, '')));

describe('idempotency records', () => {
  it('are one line each and read back as written, with or without seq', () => {
    const line = encodeRecord(entry, false, 7);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(decodeRecord(lineValue(line))).toEqual({ entry, seq: 7 });
    expect(decodeRecord(lineValue(encodeRecord(entry, false)))).toEqual({ entry, seq: undefined });
  });

  it('are the JSON of their fields, whatever characters the response holds', () => {
    const tricky: ReplayableIdempotencyEntry = {
      ...entry,
      scope: 'key:key_"1"',
      response: { status: 200, headers: { location: '/v1/"x"\\y' }, body: '{"q":"\\"\\\\","s":"\u2028\u0000 \ud83d\ude00 \ud800"}' },
    };
    const { scope, idempotencyKey: key, fingerprint, response } = tricky;
    const expected = { seq: 3, scope, key, fingerprint, expires_at: '2026-03-02T10:00:00.000Z', status: 200, headers: response.headers, body: response.body };
    expect(encodeRecord(tricky, false, 3)).toBe(`${JSON.stringify(expected)}\n`);
    expect(decodeRecord(lineValue(encodeRecord(tricky, false, 3)))).toEqual({ entry: tricky, seq: 3 });
  });

  it('withheld, keep everything but the response', () => {
    const line = encodeRecord(entry, true);
    expect(line).not.toContain('key_1');
    expect(line).not.toContain('content-type');
    const { response: _response, ...fields } = entry;
    expect(decodeRecord(lineValue(line)).entry).toEqual({ ...fields, state: 'withheld', status: 201 });
  });

  it.each([
    ['not an object', '[]', /not an object/],
    ['an invalid idempotency key', JSON.stringify({ ...JSON.parse(encodeRecord(entry, false)), key: 'has space' }), /"key"/],
    ['an unreadable expiry', JSON.stringify({ ...JSON.parse(encodeRecord(entry, false)), expires_at: 'tomorrow' }), /"expires_at"/],
    ['no status', JSON.stringify({ ...JSON.parse(encodeRecord(entry, false)), status: undefined }), /"status"/],
    ['a header that is not a string', JSON.stringify({ ...JSON.parse(encodeRecord(entry, false)), headers: { location: 1 } }), /"headers"/],
    ['no body', JSON.stringify({ ...JSON.parse(encodeRecord(entry, false)), body: undefined }), /"body"/],
    ['a negative seq', encodeRecord(entry, false, -1), /"seq"/],
  ])('refuse a record with %s', (_what, line, reason) => {
    expect(() => decodeRecord(lineValue(line))).toThrow(reason);
  });

  it('snapshot headers say what the file is, and are checked', () => {
    expect(decodeSnapshotHeader(lineValue(encodeSnapshotHeader({ seq: 12, entries: 3 })))).toEqual({ seq: 12, entries: 3 });
    expect(() => decodeSnapshotHeader({ format: 'something-else', version: 1, seq: 0, entries: 0 })).toThrow(/not a tessera-idempotency file/);
    expect(() => decodeSnapshotHeader({ format: 'tessera-idempotency', version: 2, seq: 0, entries: 0 })).toThrow(/version 2/);
    expect(() => decodeSnapshotHeader({ format: 'tessera-idempotency', version: 1, seq: 0 })).toThrow(/"entries"/);
  });
});
