/** Helpers for the audit, usage and alert tests (imported by *.test.ts and bench-support only). */
import type { AuditEvent, AuditEventInput, AuditEventType, AuditFilters, AuditLogApi } from './types.js';

export const WS = 'ws_7Hq2LmN4pR8sT1vX3zB5cD';
export const WS2 = 'ws_2Bb2Bb2Bb2Bb2Bb2Bb2Bb2';
export const KEY_A = 'key_4Rt7Yu1Io5Pa8Sd2Fg6Hj9';
export const KEY_B = 'key_6Yh5Tg4Rf3Ed2Ws1Qa0Zx9';
export const MEMBER = 'mem_2Kd9Fj3Lq8Wz1Xc4Vb7Nm0';

/** A raw-looking API key (never a real one). */
export const RAW_KEY = 'sk_live_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'; // 36 chars after the prefix
export const RAW_PAT = 'tpat_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
export const RAW_WHSEC = 'whsec_' + 'q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6';

/** Every event of `ws` matching `filters`, newest first, read page by page (`pageSize` events a page). */
export async function listAll(log: Pick<AuditLogApi, 'list'>, ws: string, filters: AuditFilters, pageSize: number): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 10_000; guard += 1) {
    const page = await log.list(ws, filters, { cursor, limit: pageSize });
    out.push(...page.data);
    if (!page.has_more) return out;
    cursor = page.next_cursor!;
  }
  throw new Error('too many pages');
}

let counter = 0;

export function sampleEvent(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  counter += 1;
  return {
    workspace_id: WS,
    type: 'api_key.used',
    occurred_at: '2026-03-19T14:32:15.000Z',
    actor: { type: 'api_key', id: KEY_A, name: 'CI/CD Pipeline' },
    target: { type: 'api_key', id: KEY_A, name: 'CI/CD Pipeline' },
    ip: '203.0.113.7',
    user_agent: 'curl/8.5.0',
    method: 'POST',
    path: '/v1/keys/verify',
    status: 200,
    request_id: `req_${String(counter).padStart(22, '0')}`,
    correlation_id: `cor_${String(counter).padStart(22, '0')}`,
    details: {},
    ...overrides,
  };
}

/** An event as the HTTP layer would build it for a member action on a target. */
export function memberAction(type: AuditEventType, target: AuditEventInput['target'], details: Record<string, unknown> = {}, occurredAt = '2026-03-19T14:00:00.000Z'): AuditEventInput {
  return sampleEvent({
    type,
    occurred_at: occurredAt,
    actor: { type: 'member', id: MEMBER, name: 'Ada Admin' },
    target,
    method: 'POST',
    path: `/v1/workspaces/${WS}/x`,
    status: 200,
    details,
  });
}

export async function readStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}
