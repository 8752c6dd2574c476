// Generated from spec/openapi.yaml by `npm run generate`. Do not edit.

import * as z from 'zod';

/**
 * A workspace id.
 */
export const zWorkspaceId = z.string().regex(/^ws_[0-9A-Za-z]{22}$/);

/**
 * A member id.
 */
export const zMemberId = z.string().regex(/^mem_[0-9A-Za-z]{22}$/);

/**
 * A role id; `admin` and `member` are built in.
 */
export const zRoleId = z.string().regex(/^(admin|member|role_[0-9A-Za-z]{22})$/);

/**
 * An API key's id (not the key itself).
 */
export const zKeyId = z.string().regex(/^key_[0-9A-Za-z]{22}$/);

/**
 * A catalog scope, `resource.action`, without wildcards.
 */
export const zScopeName = z.string().min(3).max(100).regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/);

/**
 * A scope to grant, `resource.action`, or a broad `resource.*` or `*`.
 */
export const zScopeString = z.string().min(1).max(100).regex(/^(\*|[a-z][a-z0-9_]*\.(\*|[a-z][a-z0-9_]*))$/);

export const zScopes = z.array(zScopeString).max(100);

/**
 * `live` for production, `test` for development; part of the key (`sk_live_…`, `sk_test_…`).
 */
export const zEnvironment = z.enum(['live', 'test']);

export const zApiKeyStatus = z.enum([
    'active',
    'disabled',
    'revoked',
    'expired'
]);

/**
 * A lifetime from now: days, `6m` (182 days), `1y` (365 days), or `never` where the workspace allows keys without expiry.
 */
export const zExpiryPreset = z.enum([
    '15d',
    '25d',
    '30d',
    '45d',
    '60d',
    '90d',
    '180d',
    '6m',
    '1y',
    'never'
]);

export const zTimestamp = z.iso.datetime({ offset: true });

/**
 * A date (`2026-03-19`) or an RFC 3339 date-time with seconds and an offset (`2026-03-19T14:00:00Z`), as every other date-time here.
 */
export const zDateOrDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))?$/);

/**
 * Your own labels, up to 50 entries (letters, digits, `_`, `.`, `-`; not `__proto__`); values are strings, numbers, booleans or null.
 */
export const zMetadata = z.record(z.string(), z.union([
    z.string().max(500),
    z.number(),
    z.boolean()
]).nullable());

/**
 * A key's allowance. An instant burst of `requests_per_minute + burst` passes; the allowance refills at `requests_per_minute` a minute.
 */
export const zRateLimit = z.strictObject({
    requests_per_minute: z.int().gte(1).lte(1000000),
    burst: z.int().gte(0).lte(1000000)
});

export const zPageInfo = z.object({
    has_more: z.boolean(),
    next_cursor: z.string().nullable()
});

export const zHealth = z.strictObject({
    status: z.enum(['ok']),
    version: z.string(),
    uptime_seconds: z.int().gte(0)
});

export const zWorkspaceSettings = z.strictObject({
    key_prefix: z.string().regex(/^[a-z][a-z0-9]{1,15}$/),
    default_rate_limit: zRateLimit,
    max_key_lifetime_days: z.int().gte(1).lte(3650),
    require_expiry: z.boolean(),
    api_keys_can_manage_keys: z.boolean(),
    audit_retention_days: z.int().gte(1).lte(3650)
});

export const zWorkspaceSettingsUpdate = z.strictObject({
    key_prefix: z.string().regex(/^[a-z][a-z0-9]{1,15}$/).optional(),
    default_rate_limit: zRateLimit.optional(),
    max_key_lifetime_days: z.int().gte(1).lte(3650).optional(),
    require_expiry: z.boolean().optional(),
    api_keys_can_manage_keys: z.boolean().optional(),
    audit_retention_days: z.int().gte(1).lte(3650).optional()
});

export const zWorkspace = z.strictObject({
    id: zWorkspaceId,
    name: z.string().min(3).max(50),
    settings: zWorkspaceSettings,
    created_at: zTimestamp,
    updated_at: zTimestamp
});

export const zWorkspaceList = zPageInfo.and(z.object({
    data: z.array(zWorkspace)
}));

export const zCreateWorkspaceRequest = z.strictObject({
    name: z.string().min(3).max(50),
    settings: zWorkspaceSettingsUpdate.optional()
});

export const zUpdateWorkspaceRequest = z.strictObject({
    name: z.string().min(3).max(50).optional(),
    settings: zWorkspaceSettingsUpdate.optional()
});

export const zMemberFields = z.object({
    id: zMemberId,
    workspace_id: zWorkspaceId,
    name: z.string().min(1).max(100),
    email: z.email().max(254),
    role: zRoleId,
    status: z.enum(['active', 'deactivated']),
    token_prefix: z.string(),
    created_at: zTimestamp,
    updated_at: zTimestamp,
    deactivated_at: z.iso.datetime({ offset: true }).nullable()
});

export const zMember = zMemberFields;

export const zMemberCreated = zMemberFields.and(z.object({
    token: z.string().min(32)
}));

export const zWorkspaceCreated = z.strictObject({
    workspace: zWorkspace,
    admin: zMemberCreated
});

export const zMemberList = zPageInfo.and(z.object({
    data: z.array(zMember)
}));

export const zCreateMemberRequest = z.strictObject({
    name: z.string().min(1).max(100),
    email: z.email().max(254),
    role: zRoleId.optional().default('member')
});

export const zUpdateMemberRequest = z.strictObject({
    name: z.string().min(1).max(100).optional(),
    role: zRoleId.optional()
});

export const zRole = z.strictObject({
    id: zRoleId,
    workspace_id: zWorkspaceId,
    name: z.string().min(3).max(50),
    description: z.string().max(500).nullable(),
    scopes: zScopes,
    builtin: z.boolean(),
    created_at: zTimestamp,
    updated_at: zTimestamp
});

export const zRoleList = zPageInfo.and(z.object({
    data: z.array(zRole)
}));

export const zCreateRoleRequest = z.strictObject({
    name: z.string().min(3).max(50),
    description: z.string().max(500).optional(),
    scopes: zScopes
});

export const zUpdateRoleRequest = z.strictObject({
    name: z.string().min(3).max(50).optional(),
    description: z.string().max(500).nullish(),
    scopes: zScopes.optional()
});

export const zScope = z.strictObject({
    name: zScopeName,
    description: z.string().max(500).nullable(),
    builtin: z.boolean(),
    created_at: zTimestamp,
    updated_at: zTimestamp
});

export const zScopeList = zPageInfo.and(z.object({
    data: z.array(zScope)
}));

export const zCreateScopeRequest = z.strictObject({
    name: zScopeName,
    description: z.string().max(500).optional()
});

export const zUpdateScopeRequest = z.strictObject({
    description: z.string().max(500).nullable()
});

export const zApiKeyFields = z.object({
    id: zKeyId,
    workspace_id: zWorkspaceId,
    name: z.string().min(3).max(50),
    description: z.string().max(500).nullable(),
    environment: zEnvironment,
    key_prefix: z.string().length(12),
    last_four: z.string().length(4),
    scopes: zScopes,
    roles: z.array(zRoleId).max(20),
    broad_scopes: z.array(zScopeString),
    status: zApiKeyStatus,
    expires_at: z.iso.datetime({ offset: true }).nullable(),
    rate_limit: zRateLimit.nullable(),
    metadata: zMetadata,
    created_by: zMemberId,
    created_by_key: zKeyId.nullable(),
    created_at: zTimestamp,
    updated_at: zTimestamp,
    last_used_at: z.iso.datetime({ offset: true }).nullable(),
    rotated_from: zKeyId.nullable(),
    rotated_to: zKeyId.nullable(),
    disabled_at: z.iso.datetime({ offset: true }).nullable(),
    revoked_at: z.iso.datetime({ offset: true }).nullable()
});

export const zApiKey = zApiKeyFields;

export const zApiKeyCreated = zApiKeyFields.and(z.object({
    key: z.string().regex(/^[a-z][a-z0-9]{1,15}_(live|test)_[0-9A-Za-z]{36}$/)
}));

export const zApiKeyRotated = zApiKeyFields.and(z.object({
    key: z.string().regex(/^[a-z][a-z0-9]{1,15}_(live|test)_[0-9A-Za-z]{36}$/),
    previous_key: zApiKey
}));

export const zApiKeyList = zPageInfo.and(z.object({
    data: z.array(zApiKey)
}));

export const zApiKeyDeleted = z.strictObject({
    id: zKeyId,
    status: z.enum(['revoked'])
});

export const zCreateApiKeyRequest = z.strictObject({
    name: z.string().min(3).max(50),
    description: z.string().max(500).optional(),
    environment: zEnvironment.optional().default('live'),
    scopes: zScopes.optional(),
    roles: z.array(zRoleId).max(20).optional(),
    expires_in: zExpiryPreset.optional(),
    expires_at: z.iso.datetime({ offset: true }).optional(),
    rate_limit: zRateLimit.optional(),
    metadata: zMetadata.optional()
});

export const zUpdateApiKeyRequest = z.strictObject({
    name: z.string().min(3).max(50).optional(),
    description: z.string().max(500).nullish(),
    scopes: zScopes.optional(),
    roles: z.array(zRoleId).max(20).optional(),
    expires_in: zExpiryPreset.optional(),
    expires_at: z.iso.datetime({ offset: true }).optional(),
    rate_limit: zRateLimit.nullish(),
    metadata: zMetadata.optional()
});

export const zRotateApiKeyRequest = z.strictObject({
    grace_period_seconds: z.int().gte(0).lte(2592000).optional().default(86400)
});

export const zVerifyApiKeyRequest = z.strictObject({
    key: z.string().min(1).max(256),
    required_scopes: z.array(zScopeName).max(50).optional()
});

export const zVerifiedKey = z.strictObject({
    id: zKeyId,
    workspace_id: zWorkspaceId,
    name: z.string(),
    environment: zEnvironment,
    key_prefix: z.string(),
    status: zApiKeyStatus,
    scopes: z.array(zScopeString),
    roles: z.array(zRoleId),
    expires_at: z.iso.datetime({ offset: true }).nullable(),
    metadata: zMetadata,
    created_by: zMemberId
});

export const zRateLimitState = z.strictObject({
    limit: z.int().gte(1),
    burst: z.int().gte(0),
    remaining: z.int().gte(0),
    reset: z.int().gte(0),
    retry_after: z.int().gte(1).optional()
});

export const zVerifyApiKeyResult = z.strictObject({
    valid: z.boolean(),
    code: z.enum([
        'valid',
        'not_found',
        'malformed',
        'expired',
        'revoked',
        'disabled',
        'insufficient_scope',
        'rate_limited'
    ]),
    key: zVerifiedKey.nullable(),
    missing_scopes: z.array(z.string()),
    rate_limit: zRateLimitState.nullable()
});

export const zMe = z.strictObject({
    credential: z.strictObject({
        type: z.enum(['member_token', 'api_key']),
        id: z.string(),
        display_prefix: z.string(),
        name: z.string().optional()
    }),
    member: z.strictObject({
        id: zMemberId,
        name: z.string(),
        email: z.string(),
        role: zRoleId
    }),
    workspace: z.strictObject({
        id: zWorkspaceId,
        name: z.string()
    }),
    scopes: z.array(zScopeString)
});

export const zAuditEventType = z.enum([
    'workspace.created',
    'workspace.updated',
    'member.created',
    'member.updated',
    'member.deactivated',
    'role.created',
    'role.updated',
    'role.deleted',
    'scope.created',
    'scope.updated',
    'scope.deleted',
    'api_key.created',
    'api_key.updated',
    'api_key.renewed',
    'api_key.rotated',
    'api_key.disabled',
    'api_key.enabled',
    'api_key.revoked',
    'api_key.used',
    'api_key.failed_auth',
    'api_key.rate_limited',
    'alert_subscription.created',
    'alert_subscription.updated',
    'alert_subscription.deleted',
    'audit_log.exported'
]);

export const zAuditActor = z.strictObject({
    type: z.enum([
        'member',
        'api_key',
        'anonymous',
        'system'
    ]),
    id: z.string().nullable(),
    name: z.string().nullable()
});

export const zAuditTarget = z.strictObject({
    type: z.enum([
        'workspace',
        'member',
        'role',
        'scope',
        'api_key',
        'alert_subscription',
        'audit_export'
    ]),
    id: z.string(),
    name: z.string().nullable()
});

export const zAuditEvent = z.strictObject({
    id: z.string().regex(/^evt_[0-9A-Za-z]{22}$/),
    workspace_id: zWorkspaceId,
    type: zAuditEventType,
    occurred_at: zTimestamp,
    actor: zAuditActor,
    target: zAuditTarget.nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    method: z.string().nullable(),
    path: z.string().nullable(),
    status: z.int().nullable(),
    request_id: z.string().nullable(),
    correlation_id: z.string(),
    details: z.record(z.string(), z.unknown()),
    prev_hash: z.string().regex(/^[0-9a-f]{64}$/),
    hash: z.string().regex(/^[0-9a-f]{64}$/)
});

export const zAuditEventList = zPageInfo.and(z.object({
    data: z.array(zAuditEvent)
}));

export const zAuditExportFormat = z.enum([
    'csv',
    'ndjson',
    'cef'
]);

export const zAuditFilters = z.strictObject({
    event_type: z.array(zAuditEventType).max(30).optional(),
    key_id: zKeyId.optional(),
    key_name: z.string().min(1).max(50).optional(),
    actor_id: z.string().min(1).max(64).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    range: z.enum([
        '24h',
        '7d',
        '30d'
    ]).optional()
});

export const zCreateAuditExportRequest = z.strictObject({
    format: zAuditExportFormat,
    destination_url: z.url().max(2048).regex(/^https?:\/\//),
    filters: zAuditFilters.optional()
});

export const zAuditExport = z.strictObject({
    id: z.string().regex(/^exp_[0-9A-Za-z]{22}$/),
    workspace_id: zWorkspaceId,
    format: zAuditExportFormat,
    destination_url: z.string(),
    filters: zAuditFilters,
    status: z.enum([
        'pending',
        'succeeded',
        'failed'
    ]),
    event_count: z.int().gte(0).nullable(),
    attempts: z.int().gte(0),
    error: z.string().nullable(),
    created_at: zTimestamp,
    completed_at: z.iso.datetime({ offset: true }).nullable()
});

export const zAuditIntegrity = z.strictObject({
    intact: z.boolean(),
    events_checked: z.int().gte(0),
    first_invalid_event_id: z.string().nullable(),
    checked_at: zTimestamp
});

export const zOutcomeCounts = z.object({
    used: z.int().gte(0),
    failed_auth: z.int().gte(0),
    rate_limited: z.int().gte(0),
    by_status: z.record(z.string(), z.int().gte(0))
});

export const zUsageMetrics = z.strictObject({
    workspace_id: zWorkspaceId,
    key_id: zKeyId.nullable(),
    start: zTimestamp,
    end: zTimestamp,
    granularity: z.enum(['hour', 'day']),
    series: z.array(zOutcomeCounts.and(z.object({
        start: zTimestamp
    }))),
    totals: zOutcomeCounts
});

/**
 * `api_key.created`: a key was created. `api_key.expiring`: a key expires within
 * `expiry_warning_days`. `auth.failed_burst`: `failed_auth_threshold.count` failed
 * authentications within its window. `api_key.usage_anomaly`: a key's request rate is
 * `anomaly_factor` times its recent baseline.
 *
 */
export const zAlertEvent = z.enum([
    'api_key.created',
    'api_key.expiring',
    'auth.failed_burst',
    'api_key.usage_anomaly'
]);

export const zFailedAuthThreshold = z.strictObject({
    count: z.int().gte(1).lte(100000),
    window_seconds: z.int().gte(10).lte(86400)
});

export const zAlertSubscriptionFields = z.object({
    id: z.string().regex(/^sub_[0-9A-Za-z]{22}$/),
    workspace_id: zWorkspaceId,
    url: z.url(),
    description: z.string().max(200).nullable(),
    events: z.array(zAlertEvent).min(1),
    enabled: z.boolean(),
    expiry_warning_days: z.int().gte(1).lte(90),
    failed_auth_threshold: zFailedAuthThreshold,
    anomaly_factor: z.number().gte(1.5).lte(1000),
    created_at: zTimestamp,
    updated_at: zTimestamp
});

export const zAlertSubscription = zAlertSubscriptionFields;

export const zAlertSubscriptionCreated = zAlertSubscriptionFields.and(z.object({
    secret: z.string().regex(/^whsec_[0-9A-Za-z]{32}$/)
}));

export const zAlertSubscriptionList = zPageInfo.and(z.object({
    data: z.array(zAlertSubscription)
}));

export const zCreateAlertSubscriptionRequest = z.strictObject({
    url: z.url().max(2048).regex(/^https?:\/\//),
    description: z.string().max(200).optional(),
    events: z.array(zAlertEvent).min(1),
    enabled: z.boolean().optional().default(true),
    expiry_warning_days: z.int().gte(1).lte(90).optional().default(7),
    failed_auth_threshold: zFailedAuthThreshold.optional(),
    anomaly_factor: z.number().gte(1.5).lte(1000).optional().default(5)
});

export const zUpdateAlertSubscriptionRequest = z.strictObject({
    url: z.url().max(2048).regex(/^https?:\/\//).optional(),
    description: z.string().max(200).nullish(),
    events: z.array(zAlertEvent).min(1).optional(),
    enabled: z.boolean().optional(),
    expiry_warning_days: z.int().gte(1).lte(90).optional(),
    failed_auth_threshold: zFailedAuthThreshold.optional(),
    anomaly_factor: z.number().gte(1.5).lte(1000).optional()
});

export const zAlertDelivery = z.strictObject({
    id: z.string().regex(/^dlv_[0-9A-Za-z]{22}$/),
    subscription_id: z.string().regex(/^sub_[0-9A-Za-z]{22}$/),
    event: z.enum([
        'api_key.created',
        'api_key.expiring',
        'auth.failed_burst',
        'api_key.usage_anomaly',
        'alert.test'
    ]),
    status: z.enum([
        'pending',
        'succeeded',
        'failed'
    ]),
    attempts: z.int().gte(0),
    last_status_code: z.int().nullable(),
    last_error: z.string().nullable(),
    created_at: zTimestamp,
    delivered_at: z.iso.datetime({ offset: true }).nullable(),
    next_attempt_at: z.iso.datetime({ offset: true }).nullable()
});

export const zAlertDeliveryList = zPageInfo.and(z.object({
    data: z.array(zAlertDelivery)
}));

export const zFieldError = z.strictObject({
    field: z.string(),
    code: z.string(),
    message: z.string()
});

/**
 * An RFC 9457 problem details object.
 */
export const zProblem = z.object({
    type: z.url(),
    title: z.string(),
    status: z.int().gte(400).lte(599),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string().regex(/^[a-z][a-z0-9_]*$/),
    request_id: z.string(),
    errors: z.array(zFieldError).optional(),
    required_scopes: z.array(z.string()).optional(),
    retry_after: z.int().gte(1).optional()
});

export const zBadRequestProblem = zProblem.and(z.object({
    status: z.literal(400).optional(),
    code: z.enum([
        'validation_failed',
        'invalid_json',
        'invalid_cursor',
        'invalid_idempotency_key'
    ]).optional()
}));

export const zUnauthorizedProblem = zProblem.and(z.object({
    status: z.literal(401).optional(),
    code: z.enum([
        'missing_credentials',
        'malformed_credentials',
        'invalid_credentials',
        'key_expired',
        'key_revoked',
        'key_disabled',
        'member_deactivated'
    ]).optional()
}));

export const zForbiddenProblem = zProblem.and(z.object({
    status: z.literal(403).optional(),
    code: z.enum([
        'insufficient_scope',
        'keys_cannot_manage_keys',
        'member_token_required',
        'scope_not_grantable'
    ]).optional()
}));

export const zNotFoundProblem = zProblem.and(z.object({
    status: z.literal(404).optional(),
    code: z.enum([
        'workspace_not_found',
        'member_not_found',
        'role_not_found',
        'scope_not_found',
        'api_key_not_found',
        'alert_subscription_not_found',
        'audit_export_not_found',
        'route_not_found'
    ]).optional()
}));

export const zConflictProblem = zProblem.and(z.object({
    status: z.literal(409).optional(),
    code: z.enum([
        'idempotency_request_in_flight',
        'idempotency_response_unavailable',
        'key_revoked',
        'already_rotated',
        'last_admin',
        'builtin_role',
        'builtin_scope',
        'role_in_use',
        'scope_in_use',
        'name_taken',
        'email_taken',
        'member_deactivated'
    ]).optional()
}));

export const zPayloadTooLargeProblem = zProblem.and(z.object({
    status: z.literal(413).optional(),
    code: z.enum(['payload_too_large']).optional()
}));

export const zUnsupportedMediaTypeProblem = zProblem.and(z.object({
    status: z.literal(415).optional(),
    code: z.enum(['unsupported_media_type']).optional()
}));

export const zUnprocessableEntityProblem = zProblem.and(z.object({
    status: z.literal(422).optional(),
    code: z.enum([
        'idempotency_key_reused',
        'expiry_required',
        'expiry_too_far',
        'expiry_in_past',
        'expiry_conflict',
        'unknown_scope',
        'unknown_role',
        'invalid_time_range',
        'time_range_too_large',
        'invalid_webhook_url'
    ]).optional()
}));

export const zTooManyRequestsProblem = zProblem.and(z.object({
    status: z.literal(429).optional(),
    code: z.enum(['rate_limited']).optional()
}));

export const zInternalErrorProblem = zProblem.and(z.object({
    status: z.literal(500).optional(),
    code: z.enum(['internal_error']).optional()
}));

/**
 * The workspace's id.
 */
export const zWorkspaceId2 = zWorkspaceId;

/**
 * The member's id.
 */
export const zMemberId2 = zMemberId;

/**
 * The role's id (`admin`, `member`, or `role_…`).
 */
export const zRoleId2 = zRoleId;

/**
 * The scope, e.g. `workflows.execute`.
 */
export const zScopeName2 = zScopeName;

/**
 * The API key's id (not the key itself).
 */
export const zKeyId2 = zKeyId;

/**
 * The alert subscription's id.
 */
export const zSubscriptionId = z.string().regex(/^sub_[0-9A-Za-z]{22}$/);

/**
 * The `next_cursor` of the previous page. Opaque; only valid for the same list (in the same workspace) and filters, though `limit` may change between pages. A cursor from another list or with other filters, or one that is not a cursor, is refused with 400 `invalid_cursor`.
 */
export const zCursor = z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/);

/**
 * How many items a page holds.
 */
export const zLimit = z.int().gte(1).lte(100).default(20);

/**
 * Makes the request safe to retry. A replay within 24 hours returns the stored response;
 * the same key with another body is a 422. Keys are scoped to the credential. A response
 * that showed a secret is not replayed after a server restart (409
 * `idempotency_response_unavailable`); the request is not run again.
 *
 */
export const zIdempotencyKey = z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/);

/**
 * Only these event types, comma-separated.
 */
export const zAuditEventTypes = z.array(zAuditEventType).max(30);

/**
 * Only events whose target or actor is this key.
 */
export const zAuditKeyId = zKeyId;

/**
 * Only events about keys with exactly this name.
 */
export const zAuditKeyName = z.string().min(1).max(50);

/**
 * Only events by this member or key.
 */
export const zAuditActorId = z.string().min(1).max(64).regex(/^[a-z]+_[0-9A-Za-z]+$/);

/**
 * Only events at or after this moment.
 */
export const zAuditFrom = z.iso.datetime({ offset: true });

/**
 * Only events before this moment.
 */
export const zAuditTo = z.iso.datetime({ offset: true });

/**
 * Shorthand for the last 24 hours, 7 days or 30 days; cannot be combined with `from`.
 */
export const zAuditRange = z.enum([
    '24h',
    '7d',
    '30d'
]);

/**
 * The server is healthy.
 */
export const zGetHealthResponse = zHealth;

/**
 * The OpenAPI document.
 */
export const zGetOpenApiDocumentResponse = z.object({
    openapi: z.string(),
    info: z.record(z.string(), z.unknown()),
    paths: z.record(z.string(), z.unknown())
});

/**
 * Metrics in the Prometheus text format.
 */
export const zGetPrometheusMetricsResponse = z.string();

/**
 * The caller.
 */
export const zGetMeResponse = zMe;

export const zListWorkspacesQuery = z.object({
    cursor: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/).optional(),
    limit: z.int().gte(1).lte(100).optional().default(20)
});

/**
 * A page of workspaces.
 */
export const zListWorkspacesResponse = zWorkspaceList;

export const zCreateWorkspaceBody = zCreateWorkspaceRequest;

export const zCreateWorkspaceHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

/**
 * The workspace, and its first admin with a token shown only this once.
 */
export const zCreateWorkspaceResponse = zWorkspaceCreated;

export const zGetWorkspacePath = z.object({
    workspace_id: zWorkspaceId
});

/**
 * The workspace.
 */
export const zGetWorkspaceResponse = zWorkspace;

export const zUpdateWorkspaceBody = zUpdateWorkspaceRequest;

export const zUpdateWorkspacePath = z.object({
    workspace_id: zWorkspaceId
});

/**
 * The updated workspace.
 */
export const zUpdateWorkspaceResponse = zWorkspace;

export const zListMembersPath = z.object({
    workspace_id: zWorkspaceId
});

export const zListMembersQuery = z.object({
    cursor: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/).optional(),
    limit: z.int().gte(1).lte(100).optional().default(20)
});

/**
 * A page of members.
 */
export const zListMembersResponse = zMemberList;

export const zCreateMemberBody = zCreateMemberRequest;

export const zCreateMemberHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zCreateMemberPath = z.object({
    workspace_id: zWorkspaceId
});

/**
 * The member, with a token shown only this once.
 */
export const zCreateMemberResponse = zMemberCreated;

export const zGetMemberPath = z.object({
    workspace_id: zWorkspaceId,
    member_id: zMemberId
});

/**
 * The member.
 */
export const zGetMemberResponse = zMember;

export const zUpdateMemberBody = zUpdateMemberRequest;

export const zUpdateMemberPath = z.object({
    workspace_id: zWorkspaceId,
    member_id: zMemberId
});

/**
 * The updated member.
 */
export const zUpdateMemberResponse = zMember;

export const zDeactivateMemberHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zDeactivateMemberPath = z.object({
    workspace_id: zWorkspaceId,
    member_id: zMemberId
});

/**
 * The deactivated member.
 */
export const zDeactivateMemberResponse = zMember;

export const zListRolesPath = z.object({
    workspace_id: zWorkspaceId
});

export const zListRolesQuery = z.object({
    cursor: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/).optional(),
    limit: z.int().gte(1).lte(100).optional().default(20)
});

/**
 * A page of roles.
 */
export const zListRolesResponse = zRoleList;

export const zCreateRoleBody = zCreateRoleRequest;

export const zCreateRoleHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zCreateRolePath = z.object({
    workspace_id: zWorkspaceId
});

/**
 * The role.
 */
export const zCreateRoleResponse = zRole;

export const zDeleteRolePath = z.object({
    workspace_id: zWorkspaceId,
    role_id: zRoleId
});

/**
 * Deleted.
 */
export const zDeleteRoleResponse = z.void();

export const zGetRolePath = z.object({
    workspace_id: zWorkspaceId,
    role_id: zRoleId
});

/**
 * The role.
 */
export const zGetRoleResponse = zRole;

export const zUpdateRoleBody = zUpdateRoleRequest;

export const zUpdateRolePath = z.object({
    workspace_id: zWorkspaceId,
    role_id: zRoleId
});

/**
 * The updated role.
 */
export const zUpdateRoleResponse = zRole;

export const zListScopesPath = z.object({
    workspace_id: zWorkspaceId
});

export const zListScopesQuery = z.object({
    cursor: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/).optional(),
    limit: z.int().gte(1).lte(100).optional().default(20)
});

/**
 * A page of scopes.
 */
export const zListScopesResponse = zScopeList;

export const zCreateScopeBody = zCreateScopeRequest;

export const zCreateScopeHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zCreateScopePath = z.object({
    workspace_id: zWorkspaceId
});

/**
 * The scope.
 */
export const zCreateScopeResponse = zScope;

export const zDeleteScopePath = z.object({
    workspace_id: zWorkspaceId,
    scope_name: zScopeName
});

/**
 * Deleted.
 */
export const zDeleteScopeResponse = z.void();

export const zUpdateScopeBody = zUpdateScopeRequest;

export const zUpdateScopePath = z.object({
    workspace_id: zWorkspaceId,
    scope_name: zScopeName
});

/**
 * The updated scope.
 */
export const zUpdateScopeResponse = zScope;

export const zListApiKeysPath = z.object({
    workspace_id: zWorkspaceId
});

export const zListApiKeysQuery = z.object({
    status: zApiKeyStatus.optional(),
    environment: zEnvironment.optional(),
    search: z.string().min(1).max(50).optional(),
    scope: zScopeString.optional(),
    created_by: zMemberId.optional(),
    cursor: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/).optional(),
    limit: z.int().gte(1).lte(100).optional().default(20)
});

/**
 * A page of API keys.
 */
export const zListApiKeysResponse = zApiKeyList;

export const zCreateApiKeyBody = zCreateApiKeyRequest;

export const zCreateApiKeyHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zCreateApiKeyPath = z.object({
    workspace_id: zWorkspaceId
});

/**
 * The key, with its full value in `key`, shown only this once.
 */
export const zCreateApiKeyResponse = zApiKeyCreated;

export const zDeleteApiKeyPath = z.object({
    workspace_id: zWorkspaceId,
    key_id: zKeyId
});

/**
 * Revoked.
 */
export const zDeleteApiKeyResponse = zApiKeyDeleted;

export const zGetApiKeyPath = z.object({
    workspace_id: zWorkspaceId,
    key_id: zKeyId
});

/**
 * The key.
 */
export const zGetApiKeyResponse = zApiKey;

export const zUpdateApiKeyBody = zUpdateApiKeyRequest;

export const zUpdateApiKeyPath = z.object({
    workspace_id: zWorkspaceId,
    key_id: zKeyId
});

/**
 * The updated key.
 */
export const zUpdateApiKeyResponse = zApiKey;

export const zRotateApiKeyBody = zRotateApiKeyRequest;

export const zRotateApiKeyHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zRotateApiKeyPath = z.object({
    workspace_id: zWorkspaceId,
    key_id: zKeyId
});

/**
 * The new key, with its full value in `key` shown only this once, and the old key's new state.
 */
export const zRotateApiKeyResponse = zApiKeyRotated;

export const zDisableApiKeyHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zDisableApiKeyPath = z.object({
    workspace_id: zWorkspaceId,
    key_id: zKeyId
});

/**
 * The disabled key.
 */
export const zDisableApiKeyResponse = zApiKey;

export const zEnableApiKeyHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zEnableApiKeyPath = z.object({
    workspace_id: zWorkspaceId,
    key_id: zKeyId
});

/**
 * The enabled key.
 */
export const zEnableApiKeyResponse = zApiKey;

export const zRevokeApiKeyHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zRevokeApiKeyPath = z.object({
    workspace_id: zWorkspaceId,
    key_id: zKeyId
});

/**
 * The revoked key.
 */
export const zRevokeApiKeyResponse = zApiKey;

export const zVerifyApiKeyBody = zVerifyApiKeyRequest;

export const zVerifyApiKeyHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

/**
 * The verdict.
 */
export const zVerifyApiKeyResponse = zVerifyApiKeyResult;

export const zListAuditEventsPath = z.object({
    workspace_id: zWorkspaceId
});

export const zListAuditEventsQuery = z.object({
    event_type: z.array(zAuditEventType).max(30).optional(),
    key_id: zKeyId.optional(),
    key_name: z.string().min(1).max(50).optional(),
    actor_id: z.string().min(1).max(64).regex(/^[a-z]+_[0-9A-Za-z]+$/).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    range: z.enum([
        '24h',
        '7d',
        '30d'
    ]).optional(),
    cursor: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/).optional(),
    limit: z.int().gte(1).lte(100).optional().default(20)
});

/**
 * A page of events.
 */
export const zListAuditEventsResponse = zAuditEventList;

export const zExportAuditEventsPath = z.object({
    workspace_id: zWorkspaceId
});

export const zExportAuditEventsQuery = z.object({
    format: zAuditExportFormat,
    event_type: z.array(zAuditEventType).max(30).optional(),
    key_id: zKeyId.optional(),
    key_name: z.string().min(1).max(50).optional(),
    actor_id: z.string().min(1).max(64).regex(/^[a-z]+_[0-9A-Za-z]+$/).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    range: z.enum([
        '24h',
        '7d',
        '30d'
    ]).optional()
});

/**
 * The events, streamed.
 */
export const zExportAuditEventsResponse = z.string();

export const zCreateAuditExportBody = zCreateAuditExportRequest;

export const zCreateAuditExportHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zCreateAuditExportPath = z.object({
    workspace_id: zWorkspaceId
});

/**
 * The export was accepted and will be delivered.
 */
export const zCreateAuditExportResponse = zAuditExport;

export const zGetAuditExportPath = z.object({
    workspace_id: zWorkspaceId,
    export_id: z.string().regex(/^exp_[0-9A-Za-z]{22}$/)
});

/**
 * The export.
 */
export const zGetAuditExportResponse = zAuditExport;

export const zCheckAuditIntegrityPath = z.object({
    workspace_id: zWorkspaceId
});

/**
 * The result of the check.
 */
export const zCheckAuditIntegrityResponse = zAuditIntegrity;

export const zGetUsageMetricsPath = z.object({
    workspace_id: zWorkspaceId
});

export const zGetUsageMetricsQuery = z.object({
    start: zDateOrDateTime,
    end: zDateOrDateTime,
    granularity: z.enum(['hour', 'day']).optional(),
    key_id: zKeyId.optional()
});

/**
 * The series.
 */
export const zGetUsageMetricsResponse = zUsageMetrics;

export const zListAlertSubscriptionsPath = z.object({
    workspace_id: zWorkspaceId
});

export const zListAlertSubscriptionsQuery = z.object({
    cursor: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/).optional(),
    limit: z.int().gte(1).lte(100).optional().default(20)
});

/**
 * A page of subscriptions.
 */
export const zListAlertSubscriptionsResponse = zAlertSubscriptionList;

export const zCreateAlertSubscriptionBody = zCreateAlertSubscriptionRequest;

export const zCreateAlertSubscriptionHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zCreateAlertSubscriptionPath = z.object({
    workspace_id: zWorkspaceId
});

/**
 * The subscription, with its signing secret shown only this once.
 */
export const zCreateAlertSubscriptionResponse = zAlertSubscriptionCreated;

export const zDeleteAlertSubscriptionPath = z.object({
    workspace_id: zWorkspaceId,
    subscription_id: z.string().regex(/^sub_[0-9A-Za-z]{22}$/)
});

/**
 * Deleted.
 */
export const zDeleteAlertSubscriptionResponse = z.void();

export const zGetAlertSubscriptionPath = z.object({
    workspace_id: zWorkspaceId,
    subscription_id: z.string().regex(/^sub_[0-9A-Za-z]{22}$/)
});

/**
 * The subscription.
 */
export const zGetAlertSubscriptionResponse = zAlertSubscription;

export const zUpdateAlertSubscriptionBody = zUpdateAlertSubscriptionRequest;

export const zUpdateAlertSubscriptionPath = z.object({
    workspace_id: zWorkspaceId,
    subscription_id: z.string().regex(/^sub_[0-9A-Za-z]{22}$/)
});

/**
 * The updated subscription.
 */
export const zUpdateAlertSubscriptionResponse = zAlertSubscription;

export const zTestAlertSubscriptionHeaders = z.object({
    'Idempotency-Key': z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/).optional()
});

export const zTestAlertSubscriptionPath = z.object({
    workspace_id: zWorkspaceId,
    subscription_id: z.string().regex(/^sub_[0-9A-Za-z]{22}$/)
});

/**
 * The delivery was queued.
 */
export const zTestAlertSubscriptionResponse = zAlertDelivery;

export const zListAlertDeliveriesPath = z.object({
    workspace_id: zWorkspaceId,
    subscription_id: z.string().regex(/^sub_[0-9A-Za-z]{22}$/)
});

export const zListAlertDeliveriesQuery = z.object({
    cursor: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/).optional(),
    limit: z.int().gte(1).lte(100).optional().default(20)
});

/**
 * A page of deliveries.
 */
export const zListAlertDeliveriesResponse = zAlertDeliveryList;
