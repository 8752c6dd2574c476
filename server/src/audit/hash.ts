/**
 * The audit hash chain. Each event carries the hash of the event before it in its workspace's
 * chain (`prev_hash`; 64 zeros for the first event ever) and its own `hash`:
 *
 *     hash = SHA-256 hex of ( prev_hash + canonicalJson(event without `hash`) )
 *
 * Canonical JSON sorts object keys at every level and uses JSON.stringify for everything else,
 * so the hash does not depend on the key order a parser or serializer happens to use.
 */
import * as crypto from 'node:crypto';
import type { AuditEvent } from './types.js';

export const ZERO_HASH = '0'.repeat(64);

/** One-shot SHA-256 hex (`crypto.hash` where available: cheaper than createHash for one string). */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash(algorithm: string, data: string, encoding: 'hex'): string }).hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
export const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** Deterministic JSON: object keys sorted (code-unit order), no whitespace, `undefined` members skipped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) as string | undefined;
    return text ?? 'null';
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

/** The hash an event must carry, given its content (its own `hash` field is ignored). */
export function computeEventHash(event: Omit<AuditEvent, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = event;
  void _ignored;
  return sha256Hex(event.prev_hash + canonicalJson(rest));
}

/** True when the event's `hash` matches its content. */
export function hasValidHash(event: AuditEvent): boolean {
  return typeof event.hash === 'string' && typeof event.prev_hash === 'string' && computeEventHash(event) === event.hash;
}

type Unsealed = Omit<AuditEvent, 'hash'>;

function party(value: { type: string; id: string | null; name: string | null } | null): string {
  if (value === null) return 'null';
  return `{"id":${JSON.stringify(value.id)},"name":${JSON.stringify(value.name)},"type":${JSON.stringify(value.type)}}`;
}

/** The canonical JSON of a recorder-built event, split around its `id` member. */
function canonicalEventParts(e: Unsealed): { head: string; id: string; tail: string } {
  const details = e.details;
  const detailsJson = details !== null && typeof details === 'object' && Object.keys(details).length === 0 ? '{}' : canonicalJson(details);
  return {
    head: `{"actor":${party(e.actor)},"correlation_id":${JSON.stringify(e.correlation_id)},"details":${detailsJson}`,
    id: JSON.stringify(e.id),
    tail:
      `,"ip":${JSON.stringify(e.ip)}` +
      `,"method":${JSON.stringify(e.method)}` +
      `,"occurred_at":${JSON.stringify(e.occurred_at)}` +
      `,"path":${JSON.stringify(e.path)}` +
      `,"prev_hash":${JSON.stringify(e.prev_hash)}` +
      `,"request_id":${JSON.stringify(e.request_id)}` +
      `,"status":${JSON.stringify(e.status)}` +
      `,"target":${party(e.target)}` +
      `,"type":${JSON.stringify(e.type)}` +
      `,"user_agent":${JSON.stringify(e.user_agent)}` +
      `,"workspace_id":${JSON.stringify(e.workspace_id)}}`,
  };
}

/**
 * `canonicalJson(event)` for an event built by the recorder (exactly the AuditEvent fields but
 * `hash`, actor and target with exactly id/name/type), written out with the keys pre-sorted:
 * ~3x faster on the hot path. A property test checks it equals the generic form.
 */
export function canonicalEventJson(e: Unsealed): string {
  const { head, id, tail } = canonicalEventParts(e);
  return `${head},"id":${id}${tail}`;
}

/**
 * The hash of an event the recorder just built (fast path of {@link computeEventHash}), and the
 * event as stored: one line of JSON with `id` first (the log finds its lines by that prefix),
 * `hash` last, built from the same pieces as the canonical form so the event is serialized once.
 */
export function sealEvent(event: Unsealed): { hash: string; line: string } {
  const { head, id, tail } = canonicalEventParts(event);
  const hash = sha256Hex(`${event.prev_hash}${head},"id":${id}${tail}`);
  return { hash, line: `{"id":${id},${head.slice(1)}${tail.slice(0, -1)},"hash":"${hash}"}` };
}
