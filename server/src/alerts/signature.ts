/**
 * Webhook signatures: `Tessera-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * The timestamp is signed with the body, so a receiver rejects replays by refusing old `t`s.
 * Several `v1=` entries may appear (e.g. while a secret is being rotated); one match suffices.
 */
import { createHmac, timingSafeEqual, type Hmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'Tessera-Signature';
export const EVENT_HEADER = 'Tessera-Event';
export const DELIVERY_HEADER = 'Tessera-Delivery';
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** An HMAC already fed `"<t>."`: update it with the body (in chunks if streamed), then `digest('hex')`. */
export function signatureHmac(secret: string, timestampSeconds: number): Hmac {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`);
}

export function computeSignature(secret: string, timestampSeconds: number, body: string | Uint8Array): string {
  return signatureHmac(secret, timestampSeconds).update(body).digest('hex');
}

export function formatSignatureHeader(timestampSeconds: number, signatureHex: string): string {
  return `t=${timestampSeconds},v1=${signatureHex}`;
}

/** The `Tessera-Signature` value for `body` sent at `timestampSeconds`. */
export function signWebhookPayload(secret: string, body: string | Uint8Array, timestampSeconds: number): string {
  return formatSignatureHeader(timestampSeconds, computeSignature(secret, timestampSeconds, body));
}

export interface VerifyWebhookSignatureOptions {
  /** Largest accepted distance between `t` and now, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Now, as a Date or ms since the epoch. Default: the system clock. */
  now?: number | Date;
}

export type WebhookSignatureFailure = 'missing_header' | 'malformed_header' | 'timestamp_outside_tolerance' | 'signature_mismatch';

export type WebhookSignatureResult = { valid: true; timestamp: number } | { valid: false; reason: WebhookSignatureFailure };

/**
 * Check a delivery's `Tessera-Signature` header against the raw body (exactly the bytes received,
 * before any JSON parsing). Constant-time comparison; refuses timestamps more than
 * `toleranceSeconds` away from now, in either direction.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Uint8Array,
  options: VerifyWebhookSignatureOptions = {},
): WebhookSignatureResult {
  if (header === null || header === undefined || header.trim() === '') return { valid: false, reason: 'missing_header' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) return { valid: false, reason: 'malformed_header' };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined) return { valid: false, reason: 'malformed_header' };
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return { valid: false, reason: 'malformed_header' };
      signatures.push(value);
    }
    // Other schemes (v0, future versions) are ignored.
  }
  if (timestamp === undefined || signatures.length === 0) return { valid: false, reason: 'malformed_header' };
  const nowMs = options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime();
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(nowMs / 1000 - timestamp) > tolerance) return { valid: false, reason: 'timestamp_outside_tolerance' };
  const expected = Buffer.from(computeSignature(secret, timestamp, body), 'hex');
  let match = false;
  for (const signature of signatures) {
    // Compare every candidate (no early exit) in constant time.
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) match = true;
  }
  return match ? { valid: true, timestamp } : { valid: false, reason: 'signature_mismatch' };
}
