/**
 * The server under test, in its own process so the load generator does not share its event loop.
 * The same stack as `npm start` plus the bench routes and a stats route; prints one JSON line when
 * ready. The bench routes:
 * - the baselines: a bare GET, and a bare POST that reads its body as verify does;
 * - the floors of verify and of a key-authenticated GET: only the work neither can skip (see `floorRoutes`).
 */
import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'hono';
import { MAX_BODY_BYTES } from '../src/app.js';
import { digestOf } from '../src/domain/credentials.js';
import type { ApiKeyRecord as Key } from '../src/domain/model.js';
import { requestBody } from '../src/http/request-body.js';
import type { Services } from '../src/routes/services.js';
import { startTessera } from '../src/runtime.js';
import { rateLimitHeaders } from '../src/traffic/index.js';

const dataDir = process.argv[2]!;
const started = performance.now();
let peakRss = process.memoryUsage().rss;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50).unref();

/**
 * Routes doing the least a verify and a key-authenticated GET must do, on the same stack: digest
 * and look up the presented keys in the store, append one line per use to a file (batched, as the
 * audit log does), and answer with the same headers and body shape. They skip everything else
 * Tessera does (validation against the spec, permissions, the rate limiter, idempotency, the hash
 * chain, metrics, alerts), so their throughput bounds what the real routes can reach here.
 */
async function floorRoutes(services: Services) {
  const file = await open(join(dataDir, 'bench-floor.ndjson'), 'a');
  let lines: string[] = [];
  let writing = Promise.resolve();
  setInterval(() => {
    if (lines.length === 0) return;
    const text = lines.join('');
    lines = [];
    writing = writing.then(() => file.write(text)).then(() => undefined);
  }, 10).unref();
  const party = (key: Key) => ({ id: key.id, name: key.name, type: 'api_key' });
  const use = (c: Context, actor: Key, target: Key) =>
    lines.push(
      `${JSON.stringify({
        id: `evt_${randomUUID()}`,
        workspace_id: target.workspace_id,
        type: 'api_key.used',
        occurred_at: new Date().toISOString(),
        actor: party(actor),
        target: party(target),
        ip: '127.0.0.1',
        user_agent: c.req.header('user-agent') ?? null,
        method: c.req.method,
        path: c.req.path,
        status: 200,
        request_id: c.get('requestId'),
      })}\n`,
    );
  const caller = (c: Context) => services.store.apiKeyByDigest(digestOf(c.req.header('authorization')!.slice('Bearer '.length)));
  /** The rate-limit headers, and the state verify reports, of a key that has used nothing yet. */
  const rateLimited = (c: Context, key: Key) => {
    const limit = key.rate_limit?.requests_per_minute ?? 1000;
    const burst = key.rate_limit?.burst ?? 100;
    const decision = { allowed: true, limit, burst, remaining: limit, resetAtSeconds: Math.ceil(Date.now() / 1000) + 60, resetAfterSeconds: 60 } as const;
    for (const [name, value] of Object.entries(rateLimitHeaders(decision))) c.header(name, value);
    return { limit, burst, remaining: limit, reset: decision.resetAtSeconds };
  };
  const shown = ({ id, workspace_id, name, environment, key_prefix, status, scopes, roles, expires_at, metadata, created_by }: Key) => ({ id, workspace_id, name, environment, key_prefix, status, scopes, roles, expires_at, metadata, created_by });
  return {
    async verify(c: Context) {
      const actor = await caller(c);
      const key = await services.store.apiKeyByDigest(digestOf(((await c.req.json()) as { key: string }).key));
      if (!actor || !key) return c.json({ valid: false, code: 'not_found' });
      use(c, actor, key);
      use(c, actor, actor);
      const rate_limit = rateLimited(c, actor);
      return c.json({ valid: true, code: 'valid', key: shown(key), missing_scopes: [], rate_limit });
    },
    async get(c: Context) {
      const actor = await caller(c);
      const key = await services.store.apiKey(c.req.param('id')!);
      if (!actor || !key) return c.json({ code: 'not_found' }, 404);
      use(c, actor, actor);
      rateLimited(c, actor);
      return c.json(shown(key));
    },
  };
}

const running = await startTessera({ dataDir, port: 0, host: '127.0.0.1', adminToken: undefined }, undefined, (app, services) => {
  app.get('/__bench/bare', (c) => c.text('ok'));
  app.post('/__bench/bare', requestBody(MAX_BODY_BYTES), async (c) => c.json({ received: (await c.req.text()).length }));
  const floor = floorRoutes(services);
  app.post('/__bench/floor/verify', requestBody(MAX_BODY_BYTES), async (c) => (await floor).verify(c));
  app.get('/__bench/floor/keys/:id', async (c) => (await floor).get(c));
  app.get('/__bench/stats', (c) => c.json({ peak_rss_bytes: Math.max(peakRss, process.memoryUsage().rss) }));
});
console.log(JSON.stringify({ ready: true, url: running.url, open_ms: Math.round(performance.now() - started) }));
const stop = async () => {
  await running.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
