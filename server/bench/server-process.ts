/**
 * The server under test, in its own process so the load generator does not share its event loop.
 * The same stack as `npm start` plus the bare routes (the baselines: a GET, and a POST that reads
 * its body as verify does) and a stats route; prints one JSON line when ready.
 */
import { MAX_BODY_BYTES } from '../src/app.js';
import { requestBody } from '../src/http/request-body.js';
import { startTessera } from '../src/runtime.js';

const dataDir = process.argv[2]!;
const started = performance.now();
let peakRss = process.memoryUsage().rss;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50).unref();

const running = await startTessera(
  { dataDir, port: 0, host: '127.0.0.1', adminToken: undefined },
  undefined,
  (app) => {
    app.get('/__bench/bare', (c) => c.text('ok'));
    app.post('/__bench/bare', requestBody(MAX_BODY_BYTES), async (c) => c.json({ received: (await c.req.text()).length }));
    app.get('/__bench/stats', (c) => c.json({ peak_rss_bytes: Math.max(peakRss, process.memoryUsage().rss) }));
  },
);
console.log(JSON.stringify({ ready: true, url: running.url, open_ms: Math.round(performance.now() - started) }));
const stop = async () => {
  await running.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
