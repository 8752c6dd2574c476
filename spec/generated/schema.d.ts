// Generated from spec/openapi.yaml by `npm run generate`. Do not edit.
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Check the server's health
         * @description Answers 200 while the server is up and its store is writable. Needs no credential.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get this OpenAPI document
         * @description The document the server implements, as JSON. Needs no credential.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Scrape Prometheus metrics
         * @description Request counts by route and status, latency histograms, keys by status and rate-limiter
         *     rejections, in the Prometheus text exposition format. Needs no credential; expose it only
         *     to your scraper.
         */
        get: operations["getPrometheusMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Describe the calling credential
         * @description Returns the credential that authenticated the request (a member token or an API key),
         *     its workspace, and its effective scopes right now. Any valid credential may call it.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List my workspaces
         * @description The workspaces in which the caller (by email, for member tokens) is an active member.
         */
        get: operations["listWorkspaces"];
        put?: never;
        /**
         * Create a workspace
         * @description Creates a workspace and makes a new admin member in it for the caller (same name and
         *     email). The new admin's token is returned once. Only member tokens may create
         *     workspaces; API keys get 403 `member_token_required`.
         */
        post: operations["createWorkspace"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        /**
         * Get a workspace
         * @description A workspace and its settings. Any workspace but the caller's own answers 404.
         */
        get: operations["getWorkspace"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update a workspace's name or settings
         * @description Changes the name and any of the settings; settings not given keep their value. A new
         *     `key_prefix` applies to keys created afterwards; existing keys keep working. Only a member
         *     can change `settings.api_keys_can_manage_keys` (what keys may do),
         *     `settings.default_rate_limit` (the limit of every key without its own) or
         *     `settings.audit_retention_days` (how long their trail is kept): an API key that tries gets
         *     403 `member_token_required` naming the field, whatever its scopes. Restating the current
         *     value is not a change.
         */
        patch: operations["updateWorkspace"];
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        /**
         * List members
         * @description Every member of the workspace, active and deactivated, oldest first.
         */
        get: operations["listMembers"];
        put?: never;
        /**
         * Invite a member
         * @description Creates a member with a role and returns their personal access token, once. A token is a
         *     credential, so API keys may invite members only where the workspace's
         *     `api_keys_can_manage_keys` is on (403 `keys_cannot_manage_keys` otherwise).
         */
        post: operations["createMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/members/{member_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The member's id. */
                member_id: components["parameters"]["MemberId"];
            };
            cookie?: never;
        };
        /**
         * Get a member
         * @description One member of the workspace.
         */
        get: operations["getMember"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a member's name or role
         * @description A new role takes effect at once, for the member and for every key they created: a key
         *     never does more than its creator may do now. The last active admin cannot be demoted
         *     (409 `last_admin`).
         */
        patch: operations["updateMember"];
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/members/{member_id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The member's id. */
                member_id: components["parameters"]["MemberId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deactivate a member
         * @description The member's token stops working at once (401 `member_deactivated`) and every key they
         *     created loses all its rights (403) until another admin rotates it. The last active admin
         *     cannot be deactivated (409 `last_admin`).
         */
        post: operations["deactivateMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        /**
         * List roles
         * @description The built-in `admin` and `member` roles, then the workspace's own roles.
         */
        get: operations["listRoles"];
        put?: never;
        /**
         * Create a role
         * @description A named bundle of scopes from the workspace's catalog, e.g. "Read-Only Access" or "Metrics Writer".
         */
        post: operations["createRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/roles/{role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The role's id (`admin`, `member`, or `role_…`). */
                role_id: components["parameters"]["RoleId"];
            };
            cookie?: never;
        };
        /**
         * Get a role
         * @description One role and its scopes.
         */
        get: operations["getRole"];
        put?: never;
        post?: never;
        /**
         * Delete a role
         * @description Deletes a custom role that no member and no unrevoked key holds (409 `role_in_use` otherwise).
         */
        delete: operations["deleteRole"];
        options?: never;
        head?: never;
        /**
         * Update a role
         * @description Renames a role or changes its scopes; members and keys holding it are affected at once. Built-in roles cannot be changed (409 `builtin_role`).
         */
        patch: operations["updateRole"];
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/scopes": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        /**
         * List the scope catalog
         * @description Tessera's own scopes (`builtin: true`), then the scopes your workspace added for its product.
         */
        get: operations["listScopes"];
        put?: never;
        /**
         * Add a scope to the catalog
         * @description Adds one of your product's permissions (`resource.action`) so that keys and roles can be granted it.
         */
        post: operations["createScope"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/scopes/{scope_name}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The scope, e.g. `workflows.execute`. */
                scope_name: components["parameters"]["ScopeName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a scope from the catalog
         * @description Removes a scope that no role and no unrevoked key holds (409 `scope_in_use` otherwise). Built-in scopes stay (409 `builtin_scope`).
         */
        delete: operations["deleteScope"];
        options?: never;
        head?: never;
        /**
         * Update a scope's description
         * @description Built-in scopes cannot be changed (409 `builtin_scope`).
         */
        patch: operations["updateScope"];
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        /**
         * List API keys
         * @description Every key of the workspace, newest first, including revoked and expired ones. The raw key
         *     is never returned here; `key_prefix` and `last_four` identify it.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description Creates a key and returns it in `key`, **exactly once**: store it in a secret manager now;
         *     Tessera keeps only its SHA-256 digest. Expiry is a preset (`expires_in`), a date
         *     (`expires_at`), or `never` where the workspace allows it; it may not exceed the
         *     workspace's maximum key lifetime. The caller can grant only scopes and roles it holds
         *     itself. API keys may create keys only where the workspace's
         *     `api_keys_can_manage_keys` is on ("you can't mint a key with a key").
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        /**
         * Get an API key
         * @description One key's settings and state. Never the raw key.
         */
        get: operations["getApiKey"];
        put?: never;
        post?: never;
        /**
         * Revoke an API key (DELETE)
         * @description Same as `POST …/revoke`. The key stops working at once and stays listed as revoked.
         */
        delete: operations["deleteApiKey"];
        options?: never;
        head?: never;
        /**
         * Update an API key
         * @description Changes the name, description, scopes, roles, rate limit or metadata, or renews the
         *     expiry (`expires_in` or `expires_at`, counted from now). Renewing an expired key makes it
         *     active again. A revoked key cannot be changed (409 `key_revoked`).
         */
        patch: operations["updateApiKey"];
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/api-keys/{key_id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate an API key
         * @description Creates a new key with the same settings (name, scopes, roles, rate limit, metadata, and
         *     the same lifetime) and returns it once. The old key keeps working for
         *     `grace_period_seconds` (default 86400), then expires; `0` revokes it at once. Deploy the
         *     new key, check it works, and let the old one lapse: zero downtime.
         */
        post: operations["rotateApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/api-keys/{key_id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable an API key
         * @description The key stops working (401 `key_disabled`) until it is enabled again. Disabling a disabled key changes nothing.
         */
        post: operations["disableApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/api-keys/{key_id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a disabled API key
         * @description A disabled key works again. A revoked key can never be enabled (409 `key_revoked`).
         */
        post: operations["enableApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/api-keys/{key_id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke an API key
         * @description The key stops working at once and forever (401 `key_revoked`); it stays listed, and in the audit log. Revoking a revoked key changes nothing.
         */
        post: operations["revokeApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify an API key
         * @description For your own backend: checks a key your API received against the scopes the request
         *     needs. Always answers 200 with `valid` and a reason `code`; a key of another workspace
         *     is `not_found`. A verification counts as a use of the key: it updates `last_used_at`,
         *     spends one request of the key's rate limit, and is audited.
         */
        post: operations["verifyApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/audit-logs": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        /**
         * List audit events
         * @description Events newest first, filtered by type, key, actor and time. `range` is a shorthand for the last 24 hours, 7 days or 30 days.
         */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/audit-logs/export": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        /**
         * Export audit events as a download
         * @description Streams every matching event, oldest first, as CSV (RFC 4180), NDJSON or CEF (ArcSight
         *     Common Event Format) for a SIEM. Takes the same filters as the list.
         */
        get: operations["exportAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/audit-logs/exports": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deliver an audit export to a webhook
         * @description Sends the matching events, in the chosen format, to `destination_url` as one signed
         *     `POST` (see Alerts for the signature), retrying with backoff. Answers 202 at once; poll
         *     the export for its outcome.
         */
        post: operations["createAuditExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/audit-logs/exports/{export_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The export's id. */
                export_id: string;
            };
            cookie?: never;
        };
        /**
         * Get an audit export's delivery state
         * @description Whether the export was delivered, how many events it held, and the last error.
         */
        get: operations["getAuditExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/audit-logs/integrity": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        /**
         * Check the audit log's hash chain
         * @description Every event carries the hash of the one before it; this walks the chain and reports whether any event was changed, removed or inserted.
         */
        get: operations["checkAuditIntegrity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        /**
         * Get request metrics
         * @description Requests by outcome (used, failed authentication, rate limited) and by status, per hour or per day, for the workspace or one key.
         */
        get: operations["getUsageMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/alert-subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        /**
         * List alert subscriptions
         * @description The workspace's webhook subscriptions.
         */
        get: operations["listAlertSubscriptions"];
        put?: never;
        /**
         * Subscribe a webhook to alerts
         * @description Deliveries are JSON `POST`s signed with HMAC-SHA256: the `Tessera-Signature` header is
         *     `t=<unix seconds>,v1=<hex HMAC of "<t>.<body>" with the secret>`. Reject deliveries whose
         *     `t` is older than five minutes. The signing `secret` is returned only here.
         */
        post: operations["createAlertSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/alert-subscriptions/{subscription_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The alert subscription's id. */
                subscription_id: components["parameters"]["SubscriptionId"];
            };
            cookie?: never;
        };
        /**
         * Get an alert subscription
         * @description One subscription. Its secret is never shown again.
         */
        get: operations["getAlertSubscription"];
        put?: never;
        post?: never;
        /**
         * Delete an alert subscription
         * @description No further deliveries are made to it.
         */
        delete: operations["deleteAlertSubscription"];
        options?: never;
        head?: never;
        /**
         * Update an alert subscription
         * @description Changes the URL, events, thresholds, or pauses deliveries with `enabled: false`.
         */
        patch: operations["updateAlertSubscription"];
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/alert-subscriptions/{subscription_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The alert subscription's id. */
                subscription_id: components["parameters"]["SubscriptionId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test delivery
         * @description Sends an `alert.test` event to the subscription now, signed like any other, and returns the delivery record.
         */
        post: operations["testAlertSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/alert-subscriptions/{subscription_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The alert subscription's id. */
                subscription_id: components["parameters"]["SubscriptionId"];
            };
            cookie?: never;
        };
        /**
         * List a subscription's deliveries
         * @description Each delivery with its attempts and outcome, newest first.
         */
        get: operations["listAlertDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description A workspace id.
         * @example ws_7Hq2LmN4pR8sT1vX3zB5cD
         */
        WorkspaceId: string;
        /**
         * @description A member id.
         * @example mem_2Kd9Fj3Lq8Wz1Xc4Vb7Nm0
         */
        MemberId: string;
        /**
         * @description A role id; `admin` and `member` are built in.
         * @example admin
         * @example role_3Fg6Hj9Kl2Zx5Cv8Bn1Mq4
         */
        RoleId: string;
        /**
         * @description An API key's id (not the key itself).
         * @example key_4Rt7Yu1Io5Pa8Sd2Fg6Hj9
         */
        KeyId: string;
        /**
         * @description A catalog scope, `resource.action`, without wildcards.
         * @example workflows.execute
         */
        ScopeName: string;
        /**
         * @description A scope to grant, `resource.action`, or a broad `resource.*` or `*`.
         * @example metrics.read
         * @example workflows.*
         */
        ScopeString: string;
        Scopes: components["schemas"]["ScopeString"][];
        /**
         * @description `live` for production, `test` for development; part of the key (`sk_live_…`, `sk_test_…`).
         * @enum {string}
         */
        Environment: "live" | "test";
        /** @enum {string} */
        ApiKeyStatus: "active" | "disabled" | "revoked" | "expired";
        /**
         * @description A lifetime from now: days, `6m` (182 days), `1y` (365 days), or `never` where the workspace allows keys without expiry.
         * @enum {string}
         */
        ExpiryPreset: "15d" | "25d" | "30d" | "45d" | "60d" | "90d" | "180d" | "6m" | "1y" | "never";
        /**
         * Format: date-time
         * @example 2026-03-19T14:32:15Z
         */
        Timestamp: string;
        /**
         * @description A date (`2026-03-19`) or an RFC 3339 date-time with seconds and an offset (`2026-03-19T14:00:00Z`), as every other date-time here.
         * @example 2026-03-19
         * @example 2026-03-19T14:00:00Z
         */
        DateOrDateTime: string;
        /**
         * @description Your own labels, up to 50 entries (letters, digits, `_`, `.`, `-`; not `__proto__`); values are strings, numbers, booleans or null.
         * @example {
         *       "team": "platform"
         *     }
         */
        Metadata: {
            [key: string]: string | number | boolean | null;
        };
        /** @description A key's allowance. An instant burst of `requests_per_minute + burst` passes; the allowance refills at `requests_per_minute` a minute. */
        RateLimit: {
            requests_per_minute: number;
            burst: number;
        };
        PageInfo: {
            /** @description Whether another page follows. */
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        Health: {
            /** @enum {string} */
            status: "ok";
            version: string;
            uptime_seconds: number;
        };
        WorkspaceSettings: {
            /** @description The first part of every new key, e.g. `sk` gives `sk_live_…`. */
            key_prefix: string;
            default_rate_limit: components["schemas"]["RateLimit"];
            /** @description No key may be created or renewed to expire later than this. */
            max_key_lifetime_days: number;
            /** @description When true, every key must expire (`never` is refused). */
            require_expiry: boolean;
            /** @description When false (the default), only members can create, rotate, disable, enable or revoke keys. */
            api_keys_can_manage_keys: boolean;
            /** @description Audit events older than this are deleted, a whole segment of the log at a time: an event may outlive it by up to a day. */
            audit_retention_days: number;
        };
        WorkspaceSettingsUpdate: {
            key_prefix?: string;
            default_rate_limit?: components["schemas"]["RateLimit"];
            max_key_lifetime_days?: number;
            require_expiry?: boolean;
            api_keys_can_manage_keys?: boolean;
            audit_retention_days?: number;
        };
        Workspace: {
            id: components["schemas"]["WorkspaceId"];
            name: string;
            settings: components["schemas"]["WorkspaceSettings"];
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        WorkspaceList: components["schemas"]["PageInfo"] & {
            data: components["schemas"]["Workspace"][];
        };
        CreateWorkspaceRequest: {
            name: string;
            settings?: components["schemas"]["WorkspaceSettingsUpdate"];
        };
        UpdateWorkspaceRequest: {
            name?: string;
            settings?: components["schemas"]["WorkspaceSettingsUpdate"];
        };
        WorkspaceCreated: {
            workspace: components["schemas"]["Workspace"];
            admin: components["schemas"]["MemberCreated"];
        };
        MemberFields: {
            id: components["schemas"]["MemberId"];
            workspace_id: components["schemas"]["WorkspaceId"];
            name: string;
            /** Format: email */
            email: string;
            role: components["schemas"]["RoleId"];
            /** @enum {string} */
            status: "active" | "deactivated";
            /** @description The first 11 characters of the member's token, to recognise it. */
            token_prefix: string;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
            /** Format: date-time */
            deactivated_at: string | null;
        };
        Member: components["schemas"]["MemberFields"];
        MemberCreated: components["schemas"]["MemberFields"] & {
            /** @description The member's personal access token. Shown only once. */
            token: string;
        };
        MemberList: components["schemas"]["PageInfo"] & {
            data: components["schemas"]["Member"][];
        };
        CreateMemberRequest: {
            name: string;
            /** Format: email */
            email: string;
            /** @default member */
            role?: components["schemas"]["RoleId"];
        };
        UpdateMemberRequest: {
            name?: string;
            role?: components["schemas"]["RoleId"];
        };
        Role: {
            id: components["schemas"]["RoleId"];
            workspace_id: components["schemas"]["WorkspaceId"];
            name: string;
            description: string | null;
            scopes: components["schemas"]["Scopes"];
            /** @description `admin` and `member` are built in and cannot be changed. */
            builtin: boolean;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        RoleList: components["schemas"]["PageInfo"] & {
            data: components["schemas"]["Role"][];
        };
        CreateRoleRequest: {
            name: string;
            description?: string;
            scopes: components["schemas"]["Scopes"];
        };
        UpdateRoleRequest: {
            name?: string;
            description?: string | null;
            scopes?: components["schemas"]["Scopes"];
        };
        Scope: {
            name: components["schemas"]["ScopeName"];
            description: string | null;
            /** @description Tessera's own scopes are built in. */
            builtin: boolean;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        ScopeList: components["schemas"]["PageInfo"] & {
            data: components["schemas"]["Scope"][];
        };
        CreateScopeRequest: {
            name: components["schemas"]["ScopeName"];
            description?: string;
        };
        UpdateScopeRequest: {
            description: string | null;
        };
        ApiKeyFields: {
            id: components["schemas"]["KeyId"];
            workspace_id: components["schemas"]["WorkspaceId"];
            name: string;
            description: string | null;
            environment: components["schemas"]["Environment"];
            /** @description The first 12 characters of the key, e.g. `sk_live_abc1`. */
            key_prefix: string;
            /** @description The last 4 characters of the key. */
            last_four: string;
            scopes: components["schemas"]["Scopes"];
            roles: components["schemas"]["RoleId"][];
            /** @description The scopes (own or from roles) that are wildcards (`resource.*`, `*`); review these. */
            broad_scopes: components["schemas"]["ScopeString"][];
            status: components["schemas"]["ApiKeyStatus"];
            /**
             * Format: date-time
             * @description When the key stops working; null means never.
             */
            expires_at: string | null;
            /** @description The key's own limit; null means the workspace default. */
            rate_limit: components["schemas"]["RateLimit"] | null;
            metadata: components["schemas"]["Metadata"];
            created_by: components["schemas"]["MemberId"];
            /** @description The API key that created this key, when a key did. */
            created_by_key: components["schemas"]["KeyId"] | null;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
            /**
             * Format: date-time
             * @description The last authenticated request or verification; accurate to a few seconds.
             */
            last_used_at: string | null;
            /** @description The key this one replaced. */
            rotated_from: components["schemas"]["KeyId"] | null;
            /** @description The key that replaced this one. */
            rotated_to: components["schemas"]["KeyId"] | null;
            /** Format: date-time */
            disabled_at: string | null;
            /** Format: date-time */
            revoked_at: string | null;
        };
        ApiKey: components["schemas"]["ApiKeyFields"];
        ApiKeyCreated: components["schemas"]["ApiKeyFields"] & {
            /** @description The full API key. Shown only once; store it now. */
            key: string;
        };
        ApiKeyRotated: components["schemas"]["ApiKeyFields"] & {
            /** @description The new key. Shown only once; store it now. */
            key: string;
            previous_key: components["schemas"]["ApiKey"];
        };
        ApiKeyList: components["schemas"]["PageInfo"] & {
            data: components["schemas"]["ApiKey"][];
        };
        ApiKeyDeleted: {
            id: components["schemas"]["KeyId"];
            /** @enum {string} */
            status: "revoked";
        };
        CreateApiKeyRequest: {
            /** @description What the key is for, e.g. "CI/CD Pipeline". */
            name: string;
            description?: string;
            /** @default live */
            environment?: components["schemas"]["Environment"];
            scopes?: components["schemas"]["Scopes"];
            roles?: components["schemas"]["RoleId"][];
            expires_in?: components["schemas"]["ExpiryPreset"];
            /**
             * Format: date-time
             * @description An exact expiry; give this or `expires_in`, not both. Without either, the key never expires where the workspace allows it.
             */
            expires_at?: string;
            rate_limit?: components["schemas"]["RateLimit"];
            metadata?: components["schemas"]["Metadata"];
        };
        UpdateApiKeyRequest: {
            name?: string;
            description?: string | null;
            scopes?: components["schemas"]["Scopes"];
            roles?: components["schemas"]["RoleId"][];
            expires_in?: components["schemas"]["ExpiryPreset"];
            /** Format: date-time */
            expires_at?: string;
            /** @description The key's own limit; null returns it to the workspace default. */
            rate_limit?: components["schemas"]["RateLimit"] | null;
            metadata?: components["schemas"]["Metadata"];
        };
        RotateApiKeyRequest: {
            /**
             * @description How long the old key keeps working, at most 30 days; 0 revokes it at once.
             * @default 86400
             */
            grace_period_seconds?: number;
        };
        VerifyApiKeyRequest: {
            /** @description The key your API received. */
            key: string;
            /** @description The scopes the request needs; all must be granted. */
            required_scopes?: components["schemas"]["ScopeName"][];
        };
        VerifyApiKeyResult: {
            valid: boolean;
            /**
             * @description Why the key is or is not valid.
             * @enum {string}
             */
            code: "valid" | "not_found" | "malformed" | "expired" | "revoked" | "disabled" | "insufficient_scope" | "rate_limited";
            /** @description The key's identity; null when the key was not found or malformed. */
            key: components["schemas"]["VerifiedKey"] | null;
            missing_scopes: string[];
            /** @description The key's rate-limit state after this verification; null when the key was not found. */
            rate_limit: components["schemas"]["RateLimitState"] | null;
        };
        VerifiedKey: {
            id: components["schemas"]["KeyId"];
            workspace_id: components["schemas"]["WorkspaceId"];
            name: string;
            environment: components["schemas"]["Environment"];
            key_prefix: string;
            status: components["schemas"]["ApiKeyStatus"];
            /** @description The key's effective scopes now. */
            scopes: components["schemas"]["ScopeString"][];
            roles: components["schemas"]["RoleId"][];
            /** Format: date-time */
            expires_at: string | null;
            metadata: components["schemas"]["Metadata"];
            created_by: components["schemas"]["MemberId"];
        };
        RateLimitState: {
            /** @description Requests per minute. */
            limit: number;
            burst: number;
            remaining: number;
            /** @description Unix seconds when the allowance is full again. */
            reset: number;
            /** @description Seconds until a request passes; only when rate limited. */
            retry_after?: number;
        };
        Me: {
            credential: {
                /** @enum {string} */
                type: "member_token" | "api_key";
                /** @description The member id for a token, the key id for a key. */
                id: string;
                display_prefix: string;
                /** @description The key's name (API keys only). */
                name?: string;
            };
            /** @description The member (for a token) or the key's creator (for an API key). */
            member: {
                id: components["schemas"]["MemberId"];
                name: string;
                email: string;
                role: components["schemas"]["RoleId"];
            };
            workspace: {
                id: components["schemas"]["WorkspaceId"];
                name: string;
            };
            /** @description The effective scopes of the credential right now. */
            scopes: components["schemas"]["ScopeString"][];
        };
        /** @enum {string} */
        AuditEventType: "workspace.created" | "workspace.updated" | "member.created" | "member.updated" | "member.deactivated" | "role.created" | "role.updated" | "role.deleted" | "scope.created" | "scope.updated" | "scope.deleted" | "api_key.created" | "api_key.updated" | "api_key.renewed" | "api_key.rotated" | "api_key.disabled" | "api_key.enabled" | "api_key.revoked" | "api_key.used" | "api_key.failed_auth" | "api_key.rate_limited" | "alert_subscription.created" | "alert_subscription.updated" | "alert_subscription.deleted" | "audit_log.exported";
        AuditActor: {
            /** @enum {string} */
            type: "member" | "api_key" | "anonymous" | "system";
            id: string | null;
            name: string | null;
        };
        AuditTarget: {
            /** @enum {string} */
            type: "workspace" | "member" | "role" | "scope" | "api_key" | "alert_subscription" | "audit_export";
            id: string;
            name: string | null;
        };
        AuditEvent: {
            id: string;
            workspace_id: components["schemas"]["WorkspaceId"];
            type: components["schemas"]["AuditEventType"];
            occurred_at: components["schemas"]["Timestamp"];
            actor: components["schemas"]["AuditActor"];
            target: components["schemas"]["AuditTarget"] | null;
            ip: string | null;
            user_agent: string | null;
            method: string | null;
            path: string | null;
            status: number | null;
            request_id: string | null;
            /** @description Shared by all events of one action. */
            correlation_id: string;
            /** @description What changed, e.g. the scopes granted or the old and new key ids of a rotation. Never a raw key. */
            details: Record<string, never>;
            prev_hash: string;
            /** @description SHA-256 over the previous hash and this event. */
            hash: string;
        };
        AuditEventList: components["schemas"]["PageInfo"] & {
            data: components["schemas"]["AuditEvent"][];
        };
        /** @enum {string} */
        AuditExportFormat: "csv" | "ndjson" | "cef";
        AuditFilters: {
            event_type?: components["schemas"]["AuditEventType"][];
            key_id?: components["schemas"]["KeyId"];
            key_name?: string;
            actor_id?: string;
            /** Format: date-time */
            from?: string;
            /** Format: date-time */
            to?: string;
            /** @enum {string} */
            range?: "24h" | "7d" | "30d";
        };
        CreateAuditExportRequest: {
            format: components["schemas"]["AuditExportFormat"];
            /** Format: uri */
            destination_url: string;
            filters?: components["schemas"]["AuditFilters"];
        };
        AuditExport: {
            id: string;
            workspace_id: components["schemas"]["WorkspaceId"];
            format: components["schemas"]["AuditExportFormat"];
            destination_url: string;
            filters: components["schemas"]["AuditFilters"];
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
            event_count: number | null;
            attempts: number;
            error: string | null;
            created_at: components["schemas"]["Timestamp"];
            /** Format: date-time */
            completed_at: string | null;
        };
        AuditIntegrity: {
            intact: boolean;
            events_checked: number;
            first_invalid_event_id: string | null;
            checked_at: components["schemas"]["Timestamp"];
        };
        OutcomeCounts: {
            /** @description Requests authenticated by a key, and verifications of a valid key. */
            used: number;
            failed_auth: number;
            rate_limited: number;
            /** @description Request counts by HTTP status. */
            by_status: {
                [key: string]: number;
            };
        };
        UsageMetrics: {
            workspace_id: components["schemas"]["WorkspaceId"];
            key_id: components["schemas"]["KeyId"] | null;
            start: components["schemas"]["Timestamp"];
            end: components["schemas"]["Timestamp"];
            /** @enum {string} */
            granularity: "hour" | "day";
            series: (components["schemas"]["OutcomeCounts"] & {
                start: components["schemas"]["Timestamp"];
            })[];
            totals: components["schemas"]["OutcomeCounts"];
        };
        /**
         * @description `api_key.created`: a key was created. `api_key.expiring`: a key expires within
         *     `expiry_warning_days`. `auth.failed_burst`: `failed_auth_threshold.count` failed
         *     authentications within its window. `api_key.usage_anomaly`: a key's request rate is
         *     `anomaly_factor` times its recent baseline.
         * @enum {string}
         */
        AlertEvent: "api_key.created" | "api_key.expiring" | "auth.failed_burst" | "api_key.usage_anomaly";
        FailedAuthThreshold: {
            count: number;
            window_seconds: number;
        };
        AlertSubscriptionFields: {
            id: string;
            workspace_id: components["schemas"]["WorkspaceId"];
            /** Format: uri */
            url: string;
            description: string | null;
            events: components["schemas"]["AlertEvent"][];
            enabled: boolean;
            expiry_warning_days: number;
            failed_auth_threshold: components["schemas"]["FailedAuthThreshold"];
            anomaly_factor: number;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        AlertSubscription: components["schemas"]["AlertSubscriptionFields"];
        AlertSubscriptionCreated: components["schemas"]["AlertSubscriptionFields"] & {
            /** @description The signing secret. Shown only once. */
            secret: string;
        };
        AlertSubscriptionList: components["schemas"]["PageInfo"] & {
            data: components["schemas"]["AlertSubscription"][];
        };
        CreateAlertSubscriptionRequest: {
            /**
             * Format: uri
             * @description Where to deliver.
             */
            url: string;
            description?: string;
            events: components["schemas"]["AlertEvent"][];
            /** @default true */
            enabled?: boolean;
            /** @default 7 */
            expiry_warning_days?: number;
            failed_auth_threshold?: components["schemas"]["FailedAuthThreshold"];
            /** @default 5 */
            anomaly_factor?: number;
        };
        UpdateAlertSubscriptionRequest: {
            /** Format: uri */
            url?: string;
            description?: string | null;
            events?: components["schemas"]["AlertEvent"][];
            enabled?: boolean;
            expiry_warning_days?: number;
            failed_auth_threshold?: components["schemas"]["FailedAuthThreshold"];
            anomaly_factor?: number;
        };
        AlertDelivery: {
            id: string;
            subscription_id: string;
            /** @enum {string} */
            event: "api_key.created" | "api_key.expiring" | "auth.failed_burst" | "api_key.usage_anomaly" | "alert.test";
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
            attempts: number;
            last_status_code: number | null;
            last_error: string | null;
            created_at: components["schemas"]["Timestamp"];
            /** Format: date-time */
            delivered_at: string | null;
            /** Format: date-time */
            next_attempt_at: string | null;
        };
        AlertDeliveryList: components["schemas"]["PageInfo"] & {
            data: components["schemas"]["AlertDelivery"][];
        };
        FieldError: {
            /** @description The field at fault, as a dotted path (`rate_limit.burst`), `body` for the whole body, or a header or query parameter name. */
            field: string;
            /** @description What is wrong: `required`, `too_small`, `too_big`, `invalid_type`, `invalid_format`, `invalid_value`, `unknown_field`, … */
            code: string;
            message: string;
        };
        /** @description An RFC 9457 problem details object. */
        Problem: {
            /**
             * Format: uri
             * @description Identifies the problem; `https://tessera.dev/problems/{code}`.
             */
            type: string;
            title: string;
            status: number;
            detail: string;
            /** @description The request path. */
            instance?: string;
            /** @description A stable machine-readable code. */
            code: string;
            request_id: string;
            errors?: components["schemas"]["FieldError"][];
            required_scopes?: string[];
            retry_after?: number;
        };
        BadRequestProblem: components["schemas"]["Problem"] & {
            /** @constant */
            status?: 400;
            /** @enum {string} */
            code?: "validation_failed" | "invalid_json" | "invalid_cursor" | "invalid_idempotency_key";
        };
        UnauthorizedProblem: components["schemas"]["Problem"] & {
            /** @constant */
            status?: 401;
            /** @enum {string} */
            code?: "missing_credentials" | "malformed_credentials" | "invalid_credentials" | "key_expired" | "key_revoked" | "key_disabled" | "member_deactivated";
        };
        ForbiddenProblem: components["schemas"]["Problem"] & {
            /** @constant */
            status?: 403;
            /** @enum {string} */
            code?: "insufficient_scope" | "keys_cannot_manage_keys" | "member_token_required" | "scope_not_grantable";
        };
        NotFoundProblem: components["schemas"]["Problem"] & {
            /** @constant */
            status?: 404;
            /** @enum {string} */
            code?: "workspace_not_found" | "member_not_found" | "role_not_found" | "scope_not_found" | "api_key_not_found" | "alert_subscription_not_found" | "audit_export_not_found" | "route_not_found";
        };
        ConflictProblem: components["schemas"]["Problem"] & {
            /** @constant */
            status?: 409;
            /** @enum {string} */
            code?: "idempotency_request_in_flight" | "idempotency_response_unavailable" | "key_revoked" | "already_rotated" | "last_admin" | "builtin_role" | "builtin_scope" | "role_in_use" | "scope_in_use" | "name_taken" | "email_taken" | "member_deactivated";
        };
        PayloadTooLargeProblem: components["schemas"]["Problem"] & {
            /** @constant */
            status?: 413;
            /** @enum {string} */
            code?: "payload_too_large";
        };
        UnsupportedMediaTypeProblem: components["schemas"]["Problem"] & {
            /** @constant */
            status?: 415;
            /** @enum {string} */
            code?: "unsupported_media_type";
        };
        UnprocessableEntityProblem: components["schemas"]["Problem"] & {
            /** @constant */
            status?: 422;
            /** @enum {string} */
            code?: "idempotency_key_reused" | "expiry_required" | "expiry_too_far" | "expiry_in_past" | "expiry_conflict" | "unknown_scope" | "unknown_role" | "invalid_time_range" | "time_range_too_large" | "invalid_webhook_url";
        };
        TooManyRequestsProblem: components["schemas"]["Problem"] & {
            /** @constant */
            status?: 429;
            /** @enum {string} */
            code?: "rate_limited";
        };
        InternalErrorProblem: components["schemas"]["Problem"] & {
            /** @constant */
            status?: 500;
            /** @enum {string} */
            code?: "internal_error";
        };
    };
    responses: {
        /** @description The request is malformed; `errors` lists each field at fault. */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["BadRequestProblem"];
            };
        };
        /** @description The credential is missing, malformed, unknown, expired, revoked or disabled; `code` says which. */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                /** @description `Bearer` with the error, per RFC 6750. */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["UnauthorizedProblem"];
            };
        };
        /** @description The credential is valid but may not do this. */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ForbiddenProblem"];
            };
        };
        /** @description Nothing with this id exists in the caller's workspace. */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["NotFoundProblem"];
            };
        };
        /** @description The request conflicts with the current state, or the same `Idempotency-Key` is still being processed, or its response cannot be shown again. */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ConflictProblem"];
            };
        };
        /** @description The body is larger than 64 KiB. */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["PayloadTooLargeProblem"];
            };
        };
        /** @description The body is not `application/json`. */
        UnsupportedMediaType: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["UnsupportedMediaTypeProblem"];
            };
        };
        /** @description The request is well-formed but cannot be carried out (a rule of the workspace, or an `Idempotency-Key` reused with another body). */
        UnprocessableEntity: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["UnprocessableEntityProblem"];
            };
        };
        /** @description The key's rate limit is spent; retry after `Retry-After` seconds. */
        TooManyRequests: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["TooManyRequestsProblem"];
            };
        };
        /** @description Something failed on the server; nothing was changed. Quote the request id. */
        InternalError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["InternalErrorProblem"];
            };
        };
    };
    parameters: {
        /** @description The workspace's id. */
        WorkspaceId: components["schemas"]["WorkspaceId"];
        /** @description The member's id. */
        MemberId: components["schemas"]["MemberId"];
        /** @description The role's id (`admin`, `member`, or `role_…`). */
        RoleId: components["schemas"]["RoleId"];
        /** @description The scope, e.g. `workflows.execute`. */
        ScopeName: components["schemas"]["ScopeName"];
        /** @description The API key's id (not the key itself). */
        KeyId: components["schemas"]["KeyId"];
        /** @description The alert subscription's id. */
        SubscriptionId: string;
        /** @description The `next_cursor` of the previous page. Opaque; only valid for the same list (in the same workspace) and filters, though `limit` may change between pages. A cursor from another list or with other filters, or one that is not a cursor, is refused with 400 `invalid_cursor`. */
        Cursor: string;
        /** @description How many items a page holds. */
        Limit: number;
        /**
         * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
         *     the same key with another body is a 422. Keys are scoped to the credential. A response
         *     that showed a secret is not replayed after a server restart (409
         *     `idempotency_response_unavailable`); the request is not run again.
         * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
         */
        IdempotencyKey: string;
        /** @description Only these event types, comma-separated. */
        AuditEventTypes: components["schemas"]["AuditEventType"][];
        /** @description Only events whose target or actor is this key. */
        AuditKeyId: components["schemas"]["KeyId"];
        /** @description Only events about keys with exactly this name. */
        AuditKeyName: string;
        /** @description Only events by this member or key. */
        AuditActorId: string;
        /** @description Only events at or after this moment. */
        AuditFrom: string;
        /** @description Only events before this moment. */
        AuditTo: string;
        /** @description Shorthand for the last 24 hours, 7 days or 30 days; cannot be combined with `from`. */
        AuditRange: "24h" | "7d" | "30d";
    };
    requestBodies: never;
    headers: {
        /**
         * @description The id of this request; quote it when asking for help. Every response has one.
         * @example req_5Df8Gh1Jk4Lz7Xc0Vb3Nm6
         */
        "X-Request-Id": string;
        /**
         * @description Requests per minute the key may make (present when an API key authenticated the request).
         * @example 1000
         */
        "X-RateLimit-Limit": number;
        /**
         * @description Requests the key may still make right now.
         * @example 1087
         */
        "X-RateLimit-Remaining": number;
        /**
         * @description Unix time, in seconds, at which the key's allowance is full again.
         * @example 1773931935
         */
        "X-RateLimit-Reset": number;
        /**
         * @description The IETF draft policy field, e.g. `"default";q=1100;w=60`.
         * @example "default";q=1100;w=60
         */
        "RateLimit-Policy": string;
        /**
         * @description The IETF draft state field, e.g. `"default";r=1087;t=1`.
         * @example "default";r=1087;t=1
         */
        RateLimit: string;
        /**
         * @description Seconds to wait before the next request can pass.
         * @example 3
         */
        "Retry-After": number;
        /** @description `true` when this is the stored response of an earlier request with the same `Idempotency-Key`. */
        "Idempotent-Replayed": "true";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The server is healthy. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                        info: Record<string, never>;
                        paths: Record<string, never>;
                    };
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    getPrometheusMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics in the Prometheus text format. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listWorkspaces: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Opaque; only valid for the same list (in the same workspace) and filters, though `limit` may change between pages. A cursor from another list or with other filters, or one that is not a cursor, is refused with 400 `invalid_cursor`. */
                cursor?: components["parameters"]["Cursor"];
                /** @description How many items a page holds. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of workspaces. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkspaceList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createWorkspace: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWorkspaceRequest"];
            };
        };
        responses: {
            /** @description The workspace, and its first admin with a token shown only this once. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkspaceCreated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getWorkspace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workspace. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workspace"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateWorkspace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWorkspaceRequest"];
            };
        };
        responses: {
            /** @description The updated workspace. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workspace"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listMembers: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Opaque; only valid for the same list (in the same workspace) and filters, though `limit` may change between pages. A cursor from another list or with other filters, or one that is not a cursor, is refused with 400 `invalid_cursor`. */
                cursor?: components["parameters"]["Cursor"];
                /** @description How many items a page holds. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of members. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateMemberRequest"];
            };
        };
        responses: {
            /** @description The member, with a token shown only this once. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberCreated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The member's id. */
                member_id: components["parameters"]["MemberId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The member. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The member's id. */
                member_id: components["parameters"]["MemberId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMemberRequest"];
            };
        };
        responses: {
            /** @description The updated member. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deactivateMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The member's id. */
                member_id: components["parameters"]["MemberId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deactivated member. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listRoles: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Opaque; only valid for the same list (in the same workspace) and filters, though `limit` may change between pages. A cursor from another list or with other filters, or one that is not a cursor, is refused with 400 `invalid_cursor`. */
                cursor?: components["parameters"]["Cursor"];
                /** @description How many items a page holds. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of roles. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createRole: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRoleRequest"];
            };
        };
        responses: {
            /** @description The role. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The role's id (`admin`, `member`, or `role_…`). */
                role_id: components["parameters"]["RoleId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The role's id (`admin`, `member`, or `role_…`). */
                role_id: components["parameters"]["RoleId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The role's id (`admin`, `member`, or `role_…`). */
                role_id: components["parameters"]["RoleId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRoleRequest"];
            };
        };
        responses: {
            /** @description The updated role. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listScopes: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Opaque; only valid for the same list (in the same workspace) and filters, though `limit` may change between pages. A cursor from another list or with other filters, or one that is not a cursor, is refused with 400 `invalid_cursor`. */
                cursor?: components["parameters"]["Cursor"];
                /** @description How many items a page holds. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of scopes. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScopeList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createScope: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateScopeRequest"];
            };
        };
        responses: {
            /** @description The scope. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Scope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteScope: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The scope, e.g. `workflows.execute`. */
                scope_name: components["parameters"]["ScopeName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateScope: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The scope, e.g. `workflows.execute`. */
                scope_name: components["parameters"]["ScopeName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateScopeRequest"];
            };
        };
        responses: {
            /** @description The updated scope. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Scope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                /** @description Only keys with this status. */
                status?: components["schemas"]["ApiKeyStatus"];
                /** @description Only `live` or only `test` keys. */
                environment?: components["schemas"]["Environment"];
                /** @description Only keys whose name contains this text (case-insensitive). */
                search?: string;
                /** @description Only keys granted this scope directly. */
                scope?: components["schemas"]["ScopeString"];
                /** @description Only keys created by this member. */
                created_by?: components["schemas"]["MemberId"];
                /** @description The `next_cursor` of the previous page. Opaque; only valid for the same list (in the same workspace) and filters, though `limit` may change between pages. A cursor from another list or with other filters, or one that is not a cursor, is refused with 400 `invalid_cursor`. */
                cursor?: components["parameters"]["Cursor"];
                /** @description How many items a page holds. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of API keys. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyRequest"];
            };
        };
        responses: {
            /** @description The key, with its full value in `key`, shown only this once. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyDeleted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateApiKeyRequest"];
            };
        };
        responses: {
            /** @description The updated key. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    rotateApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RotateApiKeyRequest"];
            };
        };
        responses: {
            /** @description The new key, with its full value in `key` shown only this once, and the old key's new state. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyRotated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    disableApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The disabled key. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    enableApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The enabled key. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The API key's id (not the key itself). */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    verifyApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyApiKeyRequest"];
            };
        };
        responses: {
            /** @description The verdict. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyApiKeyResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                /** @description Only these event types, comma-separated. */
                event_type?: components["parameters"]["AuditEventTypes"];
                /** @description Only events whose target or actor is this key. */
                key_id?: components["parameters"]["AuditKeyId"];
                /** @description Only events about keys with exactly this name. */
                key_name?: components["parameters"]["AuditKeyName"];
                /** @description Only events by this member or key. */
                actor_id?: components["parameters"]["AuditActorId"];
                /** @description Only events at or after this moment. */
                from?: components["parameters"]["AuditFrom"];
                /** @description Only events before this moment. */
                to?: components["parameters"]["AuditTo"];
                /** @description Shorthand for the last 24 hours, 7 days or 30 days; cannot be combined with `from`. */
                range?: components["parameters"]["AuditRange"];
                /** @description The `next_cursor` of the previous page. Opaque; only valid for the same list (in the same workspace) and filters, though `limit` may change between pages. A cursor from another list or with other filters, or one that is not a cursor, is refused with 400 `invalid_cursor`. */
                cursor?: components["parameters"]["Cursor"];
                /** @description How many items a page holds. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    exportAuditEvents: {
        parameters: {
            query: {
                /** @description The file format. */
                format: components["schemas"]["AuditExportFormat"];
                /** @description Only these event types, comma-separated. */
                event_type?: components["parameters"]["AuditEventTypes"];
                /** @description Only events whose target or actor is this key. */
                key_id?: components["parameters"]["AuditKeyId"];
                /** @description Only events about keys with exactly this name. */
                key_name?: components["parameters"]["AuditKeyName"];
                /** @description Only events by this member or key. */
                actor_id?: components["parameters"]["AuditActorId"];
                /** @description Only events at or after this moment. */
                from?: components["parameters"]["AuditFrom"];
                /** @description Only events before this moment. */
                to?: components["parameters"]["AuditTo"];
                /** @description Shorthand for the last 24 hours, 7 days or 30 days; cannot be combined with `from`. */
                range?: components["parameters"]["AuditRange"];
            };
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The events, streamed. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    /** @description Suggests a file name, e.g. `attachment; filename="tessera-audit-2026-03-19.csv"`. */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                    "application/x-ndjson": string;
                    "text/plain": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createAuditExport: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAuditExportRequest"];
            };
        };
        responses: {
            /** @description The export was accepted and will be delivered. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditExport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getAuditExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The export's id. */
                export_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditExport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    checkAuditIntegrity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The result of the check. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditIntegrity"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getUsageMetrics: {
        parameters: {
            query: {
                /** @description Start of the range, a date (`2026-03-01`) or a date-time, inclusive. */
                start: components["schemas"]["DateOrDateTime"];
                /** @description End of the range, a date or a date-time, exclusive. A date means the end of that day. */
                end: components["schemas"]["DateOrDateTime"];
                /** @description The size of each bucket. */
                granularity?: "hour" | "day";
                /** @description Only this key's requests. */
                key_id?: components["schemas"]["KeyId"];
            };
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The series. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageMetrics"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listAlertSubscriptions: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Opaque; only valid for the same list (in the same workspace) and filters, though `limit` may change between pages. A cursor from another list or with other filters, or one that is not a cursor, is refused with 400 `invalid_cursor`. */
                cursor?: components["parameters"]["Cursor"];
                /** @description How many items a page holds. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of subscriptions. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertSubscriptionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createAlertSubscription: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAlertSubscriptionRequest"];
            };
        };
        responses: {
            /** @description The subscription, with its signing secret shown only this once. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertSubscriptionCreated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getAlertSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The alert subscription's id. */
                subscription_id: components["parameters"]["SubscriptionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscription. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertSubscription"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteAlertSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The alert subscription's id. */
                subscription_id: components["parameters"]["SubscriptionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateAlertSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The alert subscription's id. */
                subscription_id: components["parameters"]["SubscriptionId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAlertSubscriptionRequest"];
            };
        };
        responses: {
            /** @description The updated subscription. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertSubscription"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    testAlertSubscription: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry. A replay within 24 hours returns the stored response;
                 *     the same key with another body is a 422. Keys are scoped to the credential. A response
                 *     that showed a secret is not replayed after a server restart (409
                 *     `idempotency_response_unavailable`); the request is not run again.
                 * @example 6f1c7a52-2bd1-4b0e-9a55-0c3f8f3c6b21
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The alert subscription's id. */
                subscription_id: components["parameters"]["SubscriptionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery was queued. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertDelivery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listAlertDeliveries: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Opaque; only valid for the same list (in the same workspace) and filters, though `limit` may change between pages. A cursor from another list or with other filters, or one that is not a cursor, is refused with 400 `invalid_cursor`. */
                cursor?: components["parameters"]["Cursor"];
                /** @description How many items a page holds. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /** @description The workspace's id. */
                workspace_id: components["parameters"]["WorkspaceId"];
                /** @description The alert subscription's id. */
                subscription_id: components["parameters"]["SubscriptionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertDeliveryList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
}
