import { unprocessable } from './errors.js';
import type { WorkspaceSettings } from './model.js';

const DAY_MS = 86_400_000;
export const EXPIRY_PRESET_DAYS = {
  '15d': 15,
  '25d': 25,
  '30d': 30,
  '45d': 45,
  '60d': 60,
  '90d': 90,
  '180d': 180,
  '6m': 182,
  '1y': 365,
} as const;
export type ExpiryPreset = keyof typeof EXPIRY_PRESET_DAYS | 'never';

export interface ExpiryRequest {
  expires_in?: ExpiryPreset | undefined;
  expires_at?: string | undefined;
}

/**
 * Turns a preset or a date into the key's `expires_at`, enforcing the workspace's rules:
 * `never` only where expiry is not required, nothing in the past, nothing beyond the maximum
 * lifetime. `fallback` is used when the request names no expiry at all.
 */
export function resolveExpiry(
  request: ExpiryRequest,
  settings: WorkspaceSettings,
  now: number,
  fallback: () => string | null,
): string | null {
  if (request.expires_in !== undefined && request.expires_at !== undefined) {
    throw unprocessable('expiry_conflict', 'Two expiries were given', 'Give expires_in or expires_at, not both.', 'expires_at');
  }
  let expiresAt: number | null;
  if (request.expires_at !== undefined) {
    expiresAt = Date.parse(request.expires_at);
    if (expiresAt <= now) {
      throw unprocessable('expiry_in_past', 'The expiry is in the past', `expires_at ${request.expires_at} is not in the future.`, 'expires_at');
    }
  } else if (request.expires_in !== undefined) {
    expiresAt = request.expires_in === 'never' ? null : now + EXPIRY_PRESET_DAYS[request.expires_in] * DAY_MS;
  } else {
    const value = fallback();
    expiresAt = value === null ? null : Date.parse(value);
  }
  const field = request.expires_at !== undefined ? 'expires_at' : 'expires_in';
  if (expiresAt === null) {
    if (settings.require_expiry) {
      throw unprocessable('expiry_required', 'An expiry is required', 'This workspace requires every key to expire; give expires_in or expires_at.', field);
    }
    return null;
  }
  const max = now + settings.max_key_lifetime_days * DAY_MS;
  if (expiresAt > max) {
    throw unprocessable(
      'expiry_too_far',
      "The expiry is beyond the workspace's maximum",
      `Keys in this workspace may live at most ${settings.max_key_lifetime_days} days.`,
      field,
    );
  }
  return new Date(expiresAt).toISOString();
}
