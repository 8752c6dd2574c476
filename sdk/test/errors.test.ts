import { describe, expect, it, vi } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TesseraError,
  UnprocessableEntityError,
  redactSecrets,
} from '../src/core/errors.js';
import { generateApiKey, generatePersonalAccessToken } from '../src/key-format.js';
import { problemResponse } from './helpers.js';

async function errorFor(status: number, problem: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return APIError.fromResponse(problemResponse(status, { code: `code_${status}`, title: 'Title', detail: `Detail for ${status}`, ...problem }, headers));
}

describe('APIError.from picks the class by status', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, APIError],
  ])('%i -> %o, with status, code, request id and problem body', async (status, ErrorClass) => {
    const error = await errorFor(status, { request_id: `req_${status}_x` });
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(TesseraError);
    expect(error.constructor).toBe(ErrorClass);
    expect(error.name).toBe(ErrorClass.name);
    expect(error.status).toBe(status);
    expect(error.code).toBe(`code_${status}`);
    expect(error.requestId).toBe(`req_${status}_x`);
    expect(error.problem).toMatchObject({ title: 'Title', detail: `Detail for ${status}` });
    expect(error.headers.get('content-type')).toBe('application/problem+json');
    expect(error.message).toBe(`${status} code_${status}: Detail for ${status} (request id: req_${status}_x)`);
  });
});

describe('APIError details', () => {
  it('lists field errors of a validation problem in the message', async () => {
    const error = await errorFor(422, {
      code: 'validation_failed',
      detail: 'The request body is invalid.',
      errors: [
        { field: 'name', message: 'must be 3–50 characters', code: 'too_short' },
        { field: 'expires_in', message: 'unknown preset', code: 'invalid_enum' },
      ],
    });
    expect(error.fieldErrors).toHaveLength(2);
    expect(error.message).toContain('[name: must be 3–50 characters (too_short); expires_in: unknown preset (invalid_enum)]');
  });

  it('exposes the scopes a 403 needs', async () => {
    const error = (await errorFor(403, { code: 'insufficient_scope', required_scopes: ['api_keys.write'] })) as PermissionDeniedError;
    expect(error.requiredScopes).toEqual(['api_keys.write']);
    expect(error.message).toContain('[required scopes: api_keys.write]');
  });

  it('falls back to the title, then to the raw text, then says the body was empty', async () => {
    expect((await errorFor(400, { detail: undefined })).message).toBe('400 code_400: Title (request id: req_400)');
    const text = await APIError.fromResponse(new Response('upstream exploded', { status: 502, headers: { 'X-Request-Id': 'req_t' } }));
    expect(text).toBeInstanceOf(InternalServerError);
    expect(text.message).toBe('502: upstream exploded (request id: req_t)');
    const empty = APIError.from(new Response(null, { status: 404 }));
    expect(empty).toBeInstanceOf(NotFoundError);
    expect(empty.message).toBe('404: (no error details in the response body)');
    expect(empty.requestId).toBeUndefined();
  });

  it('takes the request id from the body when the header is missing', () => {
    const error = APIError.from(new Response(null, { status: 500 }), { code: 'internal', request_id: 'req_body' });
    expect(error.requestId).toBe('req_body');
  });

  it('never puts an API key or a token into the message, even when the server echoes one', async () => {
    const key = generateApiKey({ environment: 'live' });
    const pat = generatePersonalAccessToken();
    const error = await errorFor(401, { code: 'key_revoked', detail: `The key ${key} was revoked; token ${pat} too.` });
    expect(error.message).not.toContain(key.slice(12));
    expect(error.message).not.toContain(pat.slice(5));
    expect(error.message).toContain(`${key.slice(0, 12)}…`);
    expect(redactSecrets(`x ${key} y`)).toBe(`x ${key.slice(0, 12)}… y`);
  });
});

describe('RateLimitError', () => {
  it('carries Retry-After in seconds and the rate-limit state', async () => {
    const error = (await errorFor(429, { code: 'rate_limited' }, {
      'Retry-After': '17',
      'X-RateLimit-Limit': '1100',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '1761031700',
    })) as RateLimitError;
    expect(error.retryAfter).toBe(17);
    expect(error.rateLimit).toMatchObject({ limit: 1100, remaining: 0, reset: 1761031700 });
  });

  it('converts a Retry-After HTTP-date into seconds from now', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.parse('2025-10-21T07:28:00Z'));
      const error = APIError.from(new Response(null, { status: 429, headers: { 'Retry-After': 'Tue, 21 Oct 2025 07:28:45 GMT' } }));
      expect((error as RateLimitError).retryAfter).toBe(45);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says null when the server gave no hint', () => {
    const error = APIError.from(new Response(null, { status: 429 })) as RateLimitError;
    expect(error.retryAfter).toBeNull();
    expect(error.rateLimit).toBeNull();
  });
});

describe('errors without a response', () => {
  it('are TesseraErrors but not APIErrors, and keep their cause', () => {
    const cause = new TypeError('fetch failed');
    const connection = new APIConnectionError({ cause });
    const timeout = new APIConnectionTimeoutError();
    const abort = new APIUserAbortError();
    expect(connection).toBeInstanceOf(TesseraError);
    expect(connection).not.toBeInstanceOf(APIError);
    expect(connection.cause).toBe(cause);
    expect(timeout).toBeInstanceOf(APIConnectionError);
    expect(timeout.name).toBe('APIConnectionTimeoutError');
    expect(abort).toBeInstanceOf(TesseraError);
    expect(abort).not.toBeInstanceOf(APIConnectionError);
    expect(abort.message).toBe('Request was aborted.');
  });
});
