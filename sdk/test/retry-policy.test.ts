import { describe, expect, it } from 'vitest';
import { parseRateLimit, parseRetryAfter, readResponseMeta } from '../src/core/headers.js';
import { backoffDelay, decideRetry, isRetryableStatus, serverRequestedDelay } from '../src/core/retry.js';

const NOW = Date.parse('2025-10-21T07:28:00Z');

describe('isRetryableStatus', () => {
  it('retries 408, 409, 429 and every 5xx, nothing else', () => {
    const retryable = [408, 409, 429, 500, 501, 502, 503, 504, 599];
    const final = [200, 201, 204, 301, 400, 401, 403, 404, 405, 410, 412, 413, 422, 428];
    for (const status of retryable) expect(isRetryableStatus(status), String(status)).toBe(true);
    for (const status of final) expect(isRetryableStatus(status), String(status)).toBe(false);
  });
});

describe('decideRetry and 409', () => {
  const base = { retryIndex: 0, maxRetries: 2, maxRetryDelay: 60_000, now: NOW, random: () => 0.5 };
  it('retries a 409 only when the problem code is idempotency_request_in_flight', () => {
    expect(decideRetry({ ...base, status: 409, code: 'idempotency_request_in_flight' })).toMatchObject({ retry: true, source: 'backoff' });
    for (const code of ['key_revoked', 'last_admin', 'already_rotated', undefined]) {
      expect(decideRetry({ ...base, status: 409, code }), String(code)).toEqual({ retry: false, reason: 'not-retryable' });
    }
  });

  it('ignores the code for other statuses', () => {
    expect(decideRetry({ ...base, status: 503, code: 'key_revoked' })).toMatchObject({ retry: true });
    expect(decideRetry({ ...base, status: 400, code: 'idempotency_request_in_flight' })).toMatchObject({ retry: false });
  });
});

describe('backoffDelay', () => {
  it('doubles from 0.5 s and stops growing at 8 s', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 9].map((i) => backoffDelay(i, () => 1));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('uses equal jitter: between half the ceiling and the ceiling', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(4, () => 0)).toBe(4000);
    expect(backoffDelay(2, () => 0.5)).toBe(1500);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
  });

  it('reads an HTTP-date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Tue, 21 Oct 2025 07:28:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Tue, 21 Oct 2025 07:27:00 GMT', NOW)).toBe(0);
  });

  it('returns null for missing or unparseable values', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('-5', NOW)).toBeNull();
  });
});

describe('serverRequestedDelay', () => {
  it('prefers Retry-After over the rate-limit reset', () => {
    const headers = new Headers({ 'Retry-After': '2', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 50) });
    expect(serverRequestedDelay(429, headers, NOW)).toEqual({ ms: 2000, source: 'retry-after' });
  });

  it('uses the reset only when nothing remains', () => {
    const reset = String(NOW / 1000 + 50);
    expect(serverRequestedDelay(429, new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset }), NOW)).toEqual({ ms: 50_000, source: 'rate-limit-reset' });
    expect(serverRequestedDelay(429, new Headers({ 'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset': reset }), NOW)).toBeNull();
    expect(serverRequestedDelay(429, new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 - 5) }), NOW)).toEqual({ ms: 0, source: 'rate-limit-reset' });
  });

  it('uses the reset on a 429 only, Retry-After on any status', () => {
    const spent = { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 50) };
    expect(serverRequestedDelay(503, new Headers(spent), NOW)).toBeNull();
    expect(serverRequestedDelay(503, new Headers({ ...spent, 'Retry-After': '3' }), NOW)).toEqual({ ms: 3000, source: 'retry-after' });
  });
});

describe('decideRetry', () => {
  const base = { retryIndex: 0, maxRetries: 2, maxRetryDelay: 60_000, now: NOW, random: () => 0 };

  it('gives up on a final status, after the last retry, and beyond the cap', () => {
    expect(decideRetry({ ...base, status: 404 })).toEqual({ retry: false, reason: 'not-retryable' });
    expect(decideRetry({ ...base, status: 503, retryIndex: 2 })).toEqual({ retry: false, reason: 'retries-exhausted' });
    expect(decideRetry({ ...base, status: 429, headers: new Headers({ 'Retry-After': '61' }) })).toEqual({
      retry: false,
      reason: 'delay-exceeds-cap',
      requestedDelayMs: 61_000,
    });
  });

  it('honours a delay exactly at the cap', () => {
    expect(decideRetry({ ...base, status: 429, headers: new Headers({ 'Retry-After': '60' }) })).toEqual({ retry: true, delayMs: 60_000, source: 'retry-after' });
  });

  it('waits for the rate-limit reset on a 429 only: on a 5xx or an in-flight 409 the headers describe the key', () => {
    const spent = new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 70) });
    expect(decideRetry({ ...base, status: 429, headers: spent })).toEqual({ retry: false, reason: 'delay-exceeds-cap', requestedDelayMs: 70_000 });
    expect(decideRetry({ ...base, status: 503, headers: spent })).toEqual({ retry: true, delayMs: 250, source: 'backoff' });
    expect(decideRetry({ ...base, status: 409, code: 'idempotency_request_in_flight', headers: spent })).toEqual({ retry: true, delayMs: 250, source: 'backoff' });
    const soon = new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 30) });
    expect(decideRetry({ ...base, status: 429, headers: soon })).toEqual({ retry: true, delayMs: 30_000, source: 'rate-limit-reset' });
    expect(decideRetry({ ...base, status: 500, headers: soon })).toEqual({ retry: true, delayMs: 250, source: 'backoff' });
    // A Retry-After is the server's word whatever the status.
    expect(decideRetry({ ...base, status: 503, headers: new Headers({ 'Retry-After': '3' }) })).toEqual({ retry: true, delayMs: 3000, source: 'retry-after' });
  });

  it('retries a connection error (no status) with backoff', () => {
    expect(decideRetry({ ...base })).toEqual({ retry: true, delayMs: 250, source: 'backoff' });
  });

  it('caps the backoff at maxRetryDelay too', () => {
    expect(decideRetry({ ...base, status: 500, retryIndex: 5, maxRetries: 10, maxRetryDelay: 1000 })).toEqual({ retry: true, delayMs: 1000, source: 'backoff' });
  });
});

describe('parseRateLimit / readResponseMeta', () => {
  it('parses every rate-limit header', () => {
    const headers = new Headers({
      'X-RateLimit-Limit': '1100',
      'X-RateLimit-Remaining': '7',
      'X-RateLimit-Reset': '1761031740',
      'RateLimit-Policy': '1000;w=60;burst=100',
      RateLimit: 'limit=1100, remaining=7, reset=60',
    });
    expect(parseRateLimit(headers)).toEqual({
      limit: 1100,
      remaining: 7,
      reset: 1761031740,
      policy: '1000;w=60;burst=100',
      rateLimit: 'limit=1100, remaining=7, reset=60',
    });
  });

  it('returns null when there are no rate-limit headers, and null fields for garbage', () => {
    expect(parseRateLimit(new Headers())).toBeNull();
    expect(parseRateLimit(new Headers({ 'X-RateLimit-Limit': 'lots' }))).toBeNull();
  });

  it('reads the request id and the idempotent replay flag', () => {
    const response = new Response('{}', { headers: { 'X-Request-Id': 'req_abc', 'Idempotent-Replayed': 'true' } });
    expect(readResponseMeta(response)).toEqual({ requestId: 'req_abc', rateLimit: null, idempotentReplayed: true });
    expect(readResponseMeta(new Response('{}')).idempotentReplayed).toBe(false);
  });
});
