import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { openMemoryStore } from './data/open.js';
import { listen } from './server.js';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('closing the server', () => {
  it('lets a request in flight finish before it resolves', async () => {
    let release!: () => void;
    const started = new Promise<void>((resolve) => (release = resolve));
    const server = await listen({
      store: openMemoryStore(),
      configureApp: (app) =>
        app.get('/slow', async (c) => {
          release();
          await new Promise((resolve) => setTimeout(resolve, 150));
          return c.text('done');
        }),
    });
    const answer = get(`${server.url}/slow`);
    await started;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    expect(await answer).toEqual({ status: 200, body: 'done' });
    await closing;
    expect(closed).toBe(true);
  });

});
