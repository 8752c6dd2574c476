import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeEventHash, sealEvent } from './hash.js';
import { containsSecret, redactSecrets, redactString } from './redact.js';
import { RAW_KEY, RAW_PAT, RAW_WHSEC } from './test-support.js';
import { AUDIT_EVENT_TYPES, type AuditEvent } from './types.js';

const nullableString = fc.option(fc.string({ unit: 'binary' }), { nil: null });
const party = fc.record({ type: fc.constantFrom('member', 'api_key', 'anonymous', 'system'), id: nullableString, name: nullableString });
const eventArb = fc.record({
  id: fc.string(),
  workspace_id: fc.string(),
  type: fc.constantFrom(...AUDIT_EVENT_TYPES),
  occurred_at: fc.string(),
  actor: party,
  target: fc.option(fc.record({ type: fc.constantFrom('api_key', 'member'), id: fc.string(), name: nullableString }), { nil: null }),
  ip: nullableString,
  user_agent: nullableString,
  method: nullableString,
  path: nullableString,
  status: fc.option(fc.integer(), { nil: null }),
  request_id: nullableString,
  correlation_id: fc.string(),
  details: fc.dictionary(fc.string(), fc.jsonValue()),
  prev_hash: fc.string(),
}) as fc.Arbitrary<Omit<AuditEvent, 'hash'>>;

describe('canonical JSON and event hashes', () => {
  it('the recorder fast path equals the generic canonical form', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const clean = { ...event, details: redactSecrets(event.details) as Record<string, unknown> };
        expect(sealEvent(clean).hash).toBe(computeEventHash(clean));
      }),
      { numRuns: 300 },
    );
  });

  it('the stored line parses back to the event with its hash, which still verifies', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const clean = { ...event, details: redactSecrets(event.details) as Record<string, unknown> };
        const { hash, line } = sealEvent(clean);
        expect(line).not.toContain('\n');
        expect(line.startsWith(`{"id":${JSON.stringify(clean.id)},`)).toBe(true);
        const back = JSON.parse(line) as AuditEvent;
        expect(back).toEqual({ ...clean, hash });
        expect(computeEventHash(back)).toBe(hash);
      }),
      { numRuns: 300 },
    );
  });

  it('cleaning drops undefined, turns non-finite numbers into null and cuts cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redactSecrets({ u: undefined, n: Number.NaN, i: -Infinity, z: -0, d: new Date(0), arr: [undefined, () => 1], c: cyclic })).toEqual({
      n: null,
      i: null,
      z: 0,
      d: '1970-01-01T00:00:00.000Z',
      arr: [null, null],
      c: { a: 1, self: null },
    });
  });
});

describe('secret redaction', () => {
  it('matches the three secret shapes, anywhere in a string', () => {
    for (const secret of [RAW_KEY, RAW_PAT, RAW_WHSEC, `acme_test_${'x'.repeat(36)}`]) {
      expect(containsSecret(secret)).toBe(true);
      expect(redactString(`Bearer ${secret}.`)).toBe('Bearer [redacted].');
    }
    expect(redactString(`${RAW_KEY} and ${RAW_PAT}`)).toBe('[redacted] and [redacted]');
  });

  it('leaves ids, prefixes and short strings alone', () => {
    for (const text of ['key_4Rt7Yu1Io5Pa8Sd2Fg6Hj9', 'sk_live_EXAM', 'sk_live_short', 'tpat_EXAMPL', 'whsec_tooShort', 'evt_3Lm8Nq2Rs7Tv1Wx5Yz9Ab4', `SK_LIVE_${'a'.repeat(36)}`]) {
      expect(containsSecret(text)).toBe(false);
      expect(redactString(text)).toBe(text);
    }
  });

  it('no secret survives redaction (property)', () => {
    const base62 = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split(''));
    const key = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{1,15}$/), fc.constantFrom('live', 'test'), fc.array(base62, { minLength: 36, maxLength: 36 })).map(([p, e, r]) => `${p}_${e}_${r.join('')}`);
    fc.assert(
      fc.property(fc.string(), key, fc.string(), (before, secret, after) => {
        const out = redactString(before + secret + after);
        expect(out).not.toContain(secret);
        expect(containsSecret(out)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
