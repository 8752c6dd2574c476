import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { openMemoryStore } from './data/open.js';
import { listen } from './server.js';

function get(url: string, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
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
    const agent = new Agent({ keepAlive: true });
    const answer = get(`${server.url}/slow`, agent);
    await started;
    const begin = performance.now();
    const closing = server.close();
    expect(await answer).toEqual({ status: 200, body: 'done' });
    await closing;
    // Its keep-alive connection was closed once idle, not cut off by the 2 s fallback.
    expect(performance.now() - begin).toBeLessThan(1_500);
    agent.destroy();
  });

});
