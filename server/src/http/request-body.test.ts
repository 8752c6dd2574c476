import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestBody } from './request-body.js';

const LIMIT = 1024;

function echoApp() {
  const app = new Hono();
  app.onError((error, c) => c.json({ error: error instanceof HTTPException ? error.status : 500 }, error instanceof HTTPException ? error.status : 500));
  app.use('*', requestBody(LIMIT));
  app.all('/echo', async (c) => {
    const text = await c.req.text();
    let parsed: unknown = null;
    try {
      parsed = await c.req.json();
    } catch {
      parsed = 'not json';
    }
    return c.json({ text, parsed });
  });
  return app;
}

/** Sends `chunks` one write at a time (chunked encoding when `length` is not given, except for DELETE, which Node's client never chunks). */
function send(port: number, chunks: Buffer[], options: { method?: string; length?: number; contentType?: string } = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': options.contentType ?? 'application/json' };
    if (options.length !== undefined) headers['content-length'] = options.length;
    const req = httpRequest({ host: '127.0.0.1', port, path: '/echo', method: options.method ?? 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8')) });
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('reading the body behind Node’s HTTP server', () => {
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    server = serve({ fetch: echoApp().fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('hands the handler the body as text and as JSON', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'Production' }));
    expect(await send(port, [body], { length: body.length })).toEqual({ status: 200, body: { text: '{"name":"Production"}', parsed: { name: 'Production' } } });
  });

  it('joins a body sent in several chunks, even with a character split between them', async () => {
    const bytes = Buffer.from('{"name":"Zürich 😀"}');
    const split = bytes.indexOf(Buffer.from('😀')) + 2;
    const res = await send(port, [bytes.subarray(0, 5), bytes.subarray(5, split), bytes.subarray(split)]);
    expect(res).toEqual({ status: 200, body: { text: '{"name":"Zürich 😀"}', parsed: { name: 'Zürich 😀' } } });
  });

  it('drops a byte-order mark, and refuses a JSON body that is not UTF-8 instead of replacing its bytes', async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
    expect(await send(port, [withBom])).toEqual({ status: 200, body: { text: '{"a":1}', parsed: { a: 1 } } });
    const latin1 = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xe9]), Buffer.from(' key"}')]);
    expect(await send(port, [latin1])).toEqual({ status: 400, body: { error: 400 } });
    expect(await send(port, [latin1], { contentType: 'application/merge-patch+json' })).toEqual({ status: 400, body: { error: 400 } });
    // Split between chunks: still one decode of the whole body.
    expect(await send(port, [latin1.subarray(0, 12), latin1.subarray(12)])).toEqual({ status: 400, body: { error: 400 } });
    // Not JSON: read as Request.text() would (the route refuses the media type with 415).
    const invalid = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    expect(await send(port, [invalid], { contentType: 'text/plain' })).toEqual({ status: 200, body: { text: '{"a":"\uFFFD"}', parsed: { a: '\uFFFD' } } });
  });

  it('refuses a JSON body declared in a charset other than UTF-8 (415)', async () => {
    const body = Buffer.from('{"name":"key"}');
    for (const contentType of ['application/json; charset=latin1', 'application/json;charset="ISO-8859-1"', 'application/json; charset=utf-16']) {
      expect(await send(port, [body], { contentType })).toEqual({ status: 415, body: { error: 415 } });
    }
    for (const contentType of ['application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json;charset=utf8', 'text/plain; charset=latin1']) {
      expect((await send(port, [body], { contentType })).status).toBe(200);
    }
    // No body, nothing to decode: the header alone is not refused.
    expect((await send(port, [], { contentType: 'application/json; charset=latin1' })).status).toBe(200);
  });

  it('accepts a body of exactly the limit and refuses one byte more, announced or streamed', async () => {
    const exact = Buffer.from(`"${'a'.repeat(LIMIT - 2)}"`);
    expect((await send(port, [exact], { length: exact.length })).status).toBe(200);
    expect((await send(port, [exact])).status).toBe(200);
    const over = Buffer.from(`"${'a'.repeat(LIMIT - 1)}"`);
    expect(await send(port, [over], { length: over.length })).toEqual({ status: 413, body: { error: 413 } });
    expect(await send(port, [over.subarray(0, 600), over.subarray(600)])).toEqual({ status: 413, body: { error: 413 } });
  });

  it('keeps serving after refusing a large streamed body', async () => {
    const big = Array.from({ length: 64 }, () => Buffer.alloc(4096, 0x61));
    expect((await send(port, big)).status).toBe(413);
    expect((await send(port, [Buffer.from('{}')])).status).toBe(200);
  });

  it('survives a client that hangs up halfway through its body', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/echo', method: 'POST', headers: { 'content-length': 500 } });
      req.on('error', () => resolve());
      req.write('{"name":"half');
      setTimeout(() => req.destroy(), 20);
    });
    expect((await send(port, [Buffer.from('{}')])).status).toBe(200);
  });

  it('answers, rather than hangs, when the client hung up before the body was read', async () => {
    const settled: string[] = [];
    const app = new Hono();
    app.onError((error, c) => {
      settled.push(error instanceof HTTPException ? `error ${error.status}` : 'error');
      return c.text('', 400);
    });
    // Whatever runs before the body is read (authentication, rate limiting) can outlast the client.
    app.use('*', async (_c, next) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await next();
    });
    app.use('*', requestBody(LIMIT));
    app.post('/echo', (c) => {
      settled.push('handled');
      return c.text('ok');
    });
    const slow = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => slow.once('listening', () => resolve()));
    try {
      const slowPort = (slow.address() as AddressInfo).port;
      await new Promise<void>((resolve) => {
        const req = httpRequest({ host: '127.0.0.1', port: slowPort, path: '/echo', method: 'POST', headers: { 'content-length': 100 } });
        req.on('error', () => resolve());
        req.write('{"name":"half');
        setTimeout(() => req.destroy(), 20);
      });
      await expect.poll(() => settled, { timeout: 5_000 }).toEqual(['error 400']);
    } finally {
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('reads a DELETE body too, and an empty body as empty text', async () => {
    expect(await send(port, [Buffer.from('{"reason":"x"}')], { method: 'DELETE', length: 14 })).toEqual({ status: 200, body: { text: '{"reason":"x"}', parsed: { reason: 'x' } } });
    expect(await send(port, [], { length: 0 })).toEqual({ status: 200, body: { text: '', parsed: 'not json' } });
  });
});

describe('reading the body from a Web Request (tests, MSW, other runtimes)', () => {
  const app = echoApp();

  it('hands the handler the body', async () => {
    const res = await app.request('/echo', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(await res.json()).toEqual({ text: '{"a":1}', parsed: { a: 1 } });
  });

  it('refuses a streamed body over the limit without a length', async () => {
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new Uint8Array(600));
        controller.close();
      },
    });
    const res = await app.request('/echo', { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });
});
