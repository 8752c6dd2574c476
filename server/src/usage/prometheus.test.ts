import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sampleEvent, WS } from '../audit/test-support.js';
import { createMetricsRegistry, httpMetrics, metricsContentType, metricsText, PrometheusEventSink } from './prometheus.js';

/** One line of the text exposition format: a comment, or `name{labels} value`. */
const EXPOSITION_LINE = /^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?([0-9.e+-]+|NaN|\+Inf|-Inf))$/;

function sampleValue(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('prometheus metrics', () => {
  it('count requests by route and status, time them, and parse as exposition text', async () => {
    let keyCalls = 0;
    const metrics = createMetricsRegistry({
      keyCountsByStatus: () => {
        keyCalls += 1;
        return { active: 3, revoked: 1 };
      },
    });
    let clock = 0;
    const app = new Hono();
    app.onError((_error, c) => c.text('internal error', 500));
    app.use('*', httpMetrics(metrics, undefined, { now: () => clock }));
    app.get('/v1/workspaces/:workspace_id/api-keys', (c) => {
      clock += 0.02;
      return c.json({ data: [] });
    });
    app.post('/v1/keys/verify', (c) => c.json({ valid: false }, 200));
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.get('/limited', (c) => c.json({}, 429));
    await app.request(`/v1/workspaces/${WS}/api-keys`);
    await app.request('/v1/workspaces/ws_other/api-keys');
    await app.request('/v1/keys/verify', { method: 'POST' });
    await app.request('/boom');
    await app.request('/limited');
    await app.request('/nowhere');
    const sink = new PrometheusEventSink(metrics);
    sink.record(sampleEvent({ type: 'api_key.rate_limited', status: 429 }));
    sink.record(sampleEvent({ type: 'api_key.rate_limited', status: 200, details: { verify_code: 'rate_limited' } }));
    sink.record(sampleEvent({ type: 'api_key.used' }));

    const text = await metricsText(metrics);
    expect(metricsContentType(metrics)).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const line of text.split('\n').filter(Boolean)) expect(line).toMatch(EXPOSITION_LINE);
    expect(sampleValue(text, 'tessera_http_requests_total{method="GET",route="/v1/workspaces/:workspace_id/api-keys",status="200"}')).toBe(2);
    expect(sampleValue(text, 'tessera_http_requests_total{method="POST",route="/v1/keys/verify",status="200"}')).toBe(1);
    expect(sampleValue(text, 'tessera_http_requests_total{method="GET",route="/boom",status="500"}')).toBe(1);
    expect(sampleValue(text, 'tessera_http_requests_total{method="GET",route="/limited",status="429"}')).toBe(1);
    expect(sampleValue(text, 'tessera_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(text).not.toContain(WS); // ids never become label values
    expect(sampleValue(text, 'tessera_http_request_duration_seconds_count{method="GET",route="/v1/workspaces/:workspace_id/api-keys"}')).toBe(2);
    expect(sampleValue(text, 'tessera_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/v1/workspaces/:workspace_id/api-keys"}')).toBe(2);
    expect(sampleValue(text, 'tessera_http_request_duration_seconds_bucket{le="0.01",method="GET",route="/v1/workspaces/:workspace_id/api-keys"}')).toBe(0);
    expect(sampleValue(text, 'tessera_api_keys{status="active"}')).toBe(3);
    expect(sampleValue(text, 'tessera_api_keys{status="expired"}')).toBe(0);
    expect(sampleValue(text, 'tessera_rate_limited_total{source="request"}')).toBe(1);
    expect(sampleValue(text, 'tessera_rate_limited_total{source="verify"}')).toBe(1);
    expect(text).toContain('# TYPE tessera_http_request_duration_seconds histogram');
    expect(keyCalls).toBe(1);
  });

  it('keeps registries apart', async () => {
    const a = createMetricsRegistry();
    const b = createMetricsRegistry();
    a.httpRequests.inc({ method: 'GET', route: '/x', status: '200' });
    expect(await metricsText(b)).not.toContain('route="/x"');
  });
});
