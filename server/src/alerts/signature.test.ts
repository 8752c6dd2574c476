import { describe, expect, it } from 'vitest';
import { computeSignature, signWebhookPayload, verifyWebhookSignature } from './signature.js';

const SECRET = 'whsec_q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6';
const BODY = '{"id":"dlv_x","event":"alert.test"}';
const T = 1_773_930_735;

describe('webhook signatures', () => {
  it('signs t.body with HMAC-SHA256 and verifies it', () => {
    const header = signWebhookPayload(SECRET, BODY, T);
    expect(header).toMatch(/^t=1773930735,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: T * 1000 })).toEqual({ valid: true, timestamp: T });
    expect(verifyWebhookSignature(SECRET, header, Buffer.from(BODY), { now: (T + 299) * 1000 }).valid).toBe(true);
  });

  it('rejects a changed body, another secret, replays and garbage', () => {
    const header = signWebhookPayload(SECRET, BODY, T);
    const now = T * 1000;
    expect(verifyWebhookSignature(SECRET, header, `${BODY} `, { now })).toEqual({ valid: false, reason: 'signature_mismatch' });
    expect(verifyWebhookSignature('whsec_other', header, BODY, { now })).toEqual({ valid: false, reason: 'signature_mismatch' });
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: (T + 301) * 1000 })).toEqual({ valid: false, reason: 'timestamp_outside_tolerance' });
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: (T - 301) * 1000 })).toEqual({ valid: false, reason: 'timestamp_outside_tolerance' });
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: new Date((T + 1000) * 1000), toleranceSeconds: 2000 }).valid).toBe(true);
    // A replayed signature with a fresh timestamp does not match: t is signed.
    const forged = header.replace(`t=${T}`, `t=${T + 600}`);
    expect(verifyWebhookSignature(SECRET, forged, BODY, { now: (T + 600) * 1000 })).toEqual({ valid: false, reason: 'signature_mismatch' });
    expect(verifyWebhookSignature(SECRET, undefined, BODY, { now })).toEqual({ valid: false, reason: 'missing_header' });
    expect(verifyWebhookSignature(SECRET, 'v1=abc', BODY, { now })).toEqual({ valid: false, reason: 'malformed_header' });
    expect(verifyWebhookSignature(SECRET, `t=${T}`, BODY, { now })).toEqual({ valid: false, reason: 'malformed_header' });
    expect(verifyWebhookSignature(SECRET, `t=soon,v1=${'0'.repeat(64)}`, BODY, { now })).toEqual({ valid: false, reason: 'malformed_header' });
  });

  it('accepts any one of several v1 signatures (secret rotation) and ignores other schemes', () => {
    const good = computeSignature(SECRET, T, BODY);
    const header = `t=${T},v0=legacy,v1=${'a'.repeat(64)},v1=${good}`;
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: T * 1000 }).valid).toBe(true);
  });
});
