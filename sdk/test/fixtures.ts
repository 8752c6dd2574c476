/** Typed response fixtures for the resource tests, shaped exactly like the spec's schemas. */
import type {
  AlertDelivery,
  AlertSubscription,
  ApiKey,
  AuditEvent,
  AuditExport,
  Me,
  Member,
  Role,
  Scope,
  UsageMetrics,
  VerifiedKey,
  VerifyKeyResult,
  Workspace,
} from '../src/types.js';

export const WS = 'ws_7Hq2LmN4pR8sT1vX3zB5cD';
export const OTHER_WS = 'ws_9Zx8Cv7Bn6Mq5We4Rt3Yu2';
export const MEMBER_ID = 'mem_2Kd9Fj3Lq8Wz1Xc4Vb7Nm0';
const T = '2026-03-19T14:32:15Z';

export function apiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: 'key_4Rt7Yu1Io5Pa8Sd2Fg6Hj9',
    workspace_id: WS,
    name: 'Monitoring',
    description: null,
    environment: 'live',
    key_prefix: 'sk_live_EXAM',
    last_four: 'aE4M',
    scopes: ['metrics.read'],
    roles: [],
    broad_scopes: [],
    status: 'active',
    expires_at: null,
    rate_limit: null,
    metadata: {},
    created_by: MEMBER_ID,
    created_by_key: null,
    created_at: T,
    updated_at: T,
    last_used_at: null,
    rotated_from: null,
    rotated_to: null,
    disabled_at: null,
    revoked_at: null,
    ...overrides,
  };
}

export function workspace(overrides: Partial<Workspace> = {}): Workspace {
  return {
    id: WS,
    name: 'Acme Production',
    settings: {
      key_prefix: 'sk',
      default_rate_limit: { requests_per_minute: 1000, burst: 100 },
      max_key_lifetime_days: 365,
      require_expiry: false,
      api_keys_can_manage_keys: false,
      audit_retention_days: 90,
    },
    created_at: T,
    updated_at: T,
    ...overrides,
  };
}

export function member(overrides: Partial<Member> = {}): Member {
  return {
    id: MEMBER_ID,
    workspace_id: WS,
    name: 'Ada Admin',
    email: 'ada@example.com',
    role: 'admin',
    status: 'active',
    token_prefix: 'tpat_EXAMPL',
    created_at: T,
    updated_at: T,
    deactivated_at: null,
    ...overrides,
  };
}

export function role(overrides: Partial<Role> = {}): Role {
  return { id: 'role_3Fg6Hj9Kl2Zx5Cv8Bn1Mq4', workspace_id: WS, name: 'Read-Only Access', description: null, scopes: ['metrics.read'], builtin: false, created_at: T, updated_at: T, ...overrides };
}

export function scope(overrides: Partial<Scope> = {}): Scope {
  return { name: 'workflows.execute', description: 'Trigger workflow runs.', builtin: false, created_at: T, updated_at: T, ...overrides };
}

export function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: 'evt_3Lm8Nq2Rs7Tv1Wx5Yz9Ab4',
    workspace_id: WS,
    type: 'api_key.created',
    occurred_at: T,
    actor: { type: 'member', id: MEMBER_ID, name: 'Ada Admin' },
    target: { type: 'api_key', id: 'key_4Rt7Yu1Io5Pa8Sd2Fg6Hj9', name: 'Monitoring' },
    ip: '203.0.113.7',
    user_agent: 'test',
    method: 'POST',
    path: `/v1/workspaces/${WS}/api-keys`,
    status: 201,
    request_id: 'req_1',
    correlation_id: 'cor_1',
    details: {},
    prev_hash: '0'.repeat(64),
    hash: '1'.repeat(64),
    ...overrides,
  };
}

export function auditExport(overrides: Partial<AuditExport> = {}): AuditExport {
  return {
    id: 'exp_2Wq4Er6Ty8Ui0Op2As4Df6',
    workspace_id: WS,
    format: 'cef',
    destination_url: 'https://siem.example.com/ingest',
    filters: { range: '24h' },
    status: 'pending',
    event_count: null,
    attempts: 0,
    error: null,
    created_at: T,
    completed_at: null,
    ...overrides,
  };
}

export function alertSubscription(overrides: Partial<AlertSubscription> = {}): AlertSubscription {
  return {
    id: 'sub_2Wq4Er6Ty8Ui0Op2As4Df6',
    workspace_id: WS,
    url: 'https://hooks.example.com/tessera',
    description: null,
    events: ['api_key.created'],
    enabled: true,
    expiry_warning_days: 7,
    failed_auth_threshold: { count: 10, window_seconds: 300 },
    anomaly_factor: 5,
    created_at: T,
    updated_at: T,
    ...overrides,
  };
}

export function alertDelivery(overrides: Partial<AlertDelivery> = {}): AlertDelivery {
  return {
    id: 'dlv_1',
    subscription_id: 'sub_2Wq4Er6Ty8Ui0Op2As4Df6',
    event: 'alert.test',
    status: 'pending',
    attempts: 0,
    last_status_code: null,
    last_error: null,
    created_at: T,
    delivered_at: null,
    next_attempt_at: null,
    ...overrides,
  };
}

export function usageMetrics(overrides: Partial<UsageMetrics> = {}): UsageMetrics {
  const zero = { used: 0, failed_auth: 0, rate_limited: 0, by_status: {} };
  return { workspace_id: WS, key_id: null, start: T, end: T, granularity: 'day', series: [], totals: zero, ...overrides };
}

export function me(overrides: Partial<Me> = {}): Me {
  return {
    credential: { type: 'member_token', id: MEMBER_ID, display_prefix: 'tpat_EXAMPL' },
    member: { id: MEMBER_ID, name: 'Ada Admin', email: 'ada@example.com', role: 'admin' },
    workspace: { id: WS, name: 'Acme Production' },
    scopes: ['*'],
    ...overrides,
  };
}

export function verifiedKey(overrides: Partial<VerifiedKey> = {}): VerifiedKey {
  return {
    id: 'key_4Rt7Yu1Io5Pa8Sd2Fg6Hj9',
    workspace_id: WS,
    name: 'CI/CD Pipeline',
    environment: 'live',
    key_prefix: 'sk_live_EXAM',
    status: 'active',
    scopes: ['workflows.execute'],
    roles: [],
    expires_at: null,
    metadata: { team: 'platform' },
    created_by: MEMBER_ID,
    ...overrides,
  };
}

export const RESET = 1773931935;

export function verifyResult(code: VerifyKeyResult['code'], overrides: Partial<VerifyKeyResult> = {}): VerifyKeyResult {
  const found = code !== 'not_found' && code !== 'malformed';
  const hasState = code === 'valid' || code === 'insufficient_scope' || code === 'rate_limited';
  return {
    valid: code === 'valid',
    code,
    key: found ? verifiedKey(code === 'valid' || code === 'insufficient_scope' || code === 'rate_limited' ? {} : { status: code as VerifiedKey['status'] }) : null,
    missing_scopes: [],
    rate_limit: hasState ? { limit: 100, burst: 20, remaining: code === 'rate_limited' ? 0 : 119, reset: RESET, ...(code === 'rate_limited' ? { retry_after: 3 } : {}) } : null,
    ...overrides,
  };
}
