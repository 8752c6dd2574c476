import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import {
  RATE_LIMIT_HEADER_NAMES,
  RATELIMIT_HEADER,
  RATELIMIT_POLICY_HEADER,
  rateLimitHeaders,
  RETRY_AFTER_HEADER,
  serializeStructuredFieldString,
  X_RATELIMIT_LIMIT_HEADER,
  X_RATELIMIT_REMAINING_HEADER,
  X_RATELIMIT_RESET_HEADER,
} from './rate-limit-headers.js';
import { InMemoryRateLimiter, type RateLimitDecision } from './rate-limiter.js';

/*
 * Structured Fields (RFC 9651) grammar for one List member that is a String item with Integer or
 * Token parameters: enough to check that what we emit is what a conforming parser accepts.
 */
const SF_STRING = String.raw`"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*"`;
const SF_KEY = String.raw`[a-z*][a-z0-9_\-.*]*`;
const SF_INTEGER = String.raw`-?[0-9]{1,15}`;
const SF_STRING_ITEM_WITH_INTEGER_PARAMS = new RegExp(`^${SF_STRING}(?:;${SF_KEY}=${SF_INTEGER})+$`);

const allowed: RateLimitDecision = {
  allowed: true,
  limit: 1000,
  burst: 100,
  remaining: 87,
  resetAtSeconds: 1_735_689_605,
  resetAfterSeconds: 5,
};

const refused: RateLimitDecision = {
  allowed: false,
  limit: 7,
  burst: 3,
  remaining: 0,
  resetAtSeconds: 1_735_689_686,
  resetAfterSeconds: 86,
  retryAfterSeconds: 9,
};

describe('rateLimitHeaders', () => {
  it('describes an allowed request with both vocabularies and no Retry-After', () => {
    expect(rateLimitHeaders(allowed)).toEqual({
      'X-RateLimit-Limit': '1000',
      'X-RateLimit-Remaining': '87',
      'X-RateLimit-Reset': '1735689605',
      'RateLimit-Policy': '"default";q=1000;w=60;tessera-burst=100',
      RateLimit: '"default";r=87;t=5',
    });
  });

  it('adds Retry-After in whole seconds to a refused request', () => {
    expect(rateLimitHeaders(refused)).toEqual({
      'X-RateLimit-Limit': '7',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '1735689686',
      'RateLimit-Policy': '"default";q=7;w=60;tessera-burst=3',
      RateLimit: '"default";r=0;t=86',
      'Retry-After': '9',
    });
  });

  it('emits IETF fields that parse as Structured Field Lists', () => {
    for (const decision of [allowed, refused]) {
      const headers = rateLimitHeaders(decision, { policyName: 'key "ci" \\ prod' });
      expect(headers[RATELIMIT_POLICY_HEADER]).toMatch(SF_STRING_ITEM_WITH_INTEGER_PARAMS);
      expect(headers[RATELIMIT_HEADER]).toMatch(SF_STRING_ITEM_WITH_INTEGER_PARAMS);
      expect(headers[RATELIMIT_HEADER]?.startsWith('"key \\"ci\\" \\\\ prod";')).toBe(true);
    }
  });

  it('emits numeric X-RateLimit-* values and a delay-seconds Retry-After', () => {
    const headers = rateLimitHeaders(refused);
    for (const name of [X_RATELIMIT_LIMIT_HEADER, X_RATELIMIT_REMAINING_HEADER, X_RATELIMIT_RESET_HEADER] as const) {
      expect(headers[name]).toMatch(/^[0-9]+$/);
    }
    expect(headers[RETRY_AFTER_HEADER]).toMatch(/^[1-9][0-9]*$/);
  });

  it('matches what the limiter decided', () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1, 0, 0, 0, 250));
    const limiter = new InMemoryRateLimiter({ clock });
    const policy = { requestsPerMinute: 7, burst: 3 };
    for (let i = 0; i < 10; i += 1) limiter.consume('key', policy);
    const headers = rateLimitHeaders(limiter.consume('key', policy));
    // 10 requests at 60000/7 ms each: full ceil(85714.29) = 85715 ms later, at 00:01:25.965 → :26.
    expect(headers['X-RateLimit-Reset']).toBe(String(Date.UTC(2025, 0, 1, 0, 1, 26) / 1000));
    expect(headers.RateLimit).toBe('"default";r=0;t=86');
    expect(headers['Retry-After']).toBe('9');
  });

  it('exports every header name it may set', () => {
    const names = new Set<string>(RATE_LIMIT_HEADER_NAMES);
    for (const name of Object.keys(rateLimitHeaders(refused))) expect(names.has(name)).toBe(true);
    expect(names.size).toBe(6);
  });
});

describe('serializeStructuredFieldString', () => {
  it('quotes and escapes', () => {
    expect(serializeStructuredFieldString('default')).toBe('"default"');
    expect(serializeStructuredFieldString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('refuses characters a Structured Field String cannot carry', () => {
    expect(() => serializeStructuredFieldString('é')).toThrow(TypeError);
    expect(() => serializeStructuredFieldString('a\nb')).toThrow(TypeError);
  });
});
