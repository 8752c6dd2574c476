import { beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeEach(async () => (s = await startTestServer()));

describe('date-time parameters', () => {
  // Date.parse reads hour 24 as the next day's midnight; RFC 3339 has no hour 24.
  const hour24 = '2026-01-01T24:00:00Z';

  it('are refused alike by metrics, audit filters and key expiry', async () => {
    const ws = `/v1/workspaces/${s.ws}`;
    const refusal = async (path: string, init: { body?: unknown } = {}) => {
      const res = await s.call(init.body === undefined ? 'GET' : 'POST', path, { token: s.admin, ...init });
      return [res.status, res.body.code, res.body.errors?.map((e: { field: string }) => e.field)];
    };
    expect(await refusal(`${ws}/audit-logs?from=${hour24}`)).toEqual([400, 'validation_failed', ['from']]);
    expect(await refusal(`${ws}/api-keys`, { body: { name: 'Expiring', expires_at: hour24 } })).toEqual([400, 'validation_failed', ['expires_at']]);
    expect(await refusal(`${ws}/metrics?start=${hour24}&end=2026-01-03`)).toEqual([400, 'validation_failed', ['start']]);
    expect(await refusal(`${ws}/metrics?start=2025-12-30&end=${hour24}`)).toEqual([400, 'validation_failed', ['end']]);
    // RFC 3339 date-times have seconds; the spec's DateOrDateTime pattern says so too.
    expect(await refusal(`${ws}/metrics?start=2026-01-01T14:00Z&end=2026-01-03`)).toEqual([400, 'validation_failed', ['start']]);
    const fine = await s.call('GET', `${ws}/metrics?start=2026-01-01T23:00:00Z&end=2026-01-03`, { token: s.admin });
    expect([fine.status, fine.body.start]).toEqual([200, '2026-01-01T00:00:00Z']);
  });
});
