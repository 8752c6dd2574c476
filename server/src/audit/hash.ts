/**
 * The audit hash chain. Each event carries the hash of the event before it in its workspace's
 * chain (`prev_hash`; 64 zeros for the first event ever) and its own `hash`:
 *
 *     hash = SHA-256 hex of ( prev_hash + canonicalJson(event without `hash`) )
 *
 * Canonical JSON sorts object keys at every level and uses JSON.stringify for everything else,
 * so the hash does not depend on the key order a parser or serializer happens to use.
 */
import { hash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { AuditEvent } from './types.js';

export const ZERO_HASH = '0'.repeat(64);

/** One-shot SHA-256 hex: `crypto.hash` costs about half of a Hash object. */
function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
export const HASH_PATTERN = /^[0-9a-f]{64}$/;

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

type Fields = Record<keyof Unsealed, string>;

/** Each member of a recorder-built event as JSON, serialized once for both of its layouts. */
function eventFields(e: Unsealed): Fields {
  const details = e.details;
  return {
    id: JSON.stringify(e.id),
    workspace_id: JSON.stringify(e.workspace_id),
    type: JSON.stringify(e.type),
    occurred_at: JSON.stringify(e.occurred_at),
    actor: party(e.actor),
    target: party(e.target),
    ip: JSON.stringify(e.ip),
    user_agent: JSON.stringify(e.user_agent),
    method: JSON.stringify(e.method),
    path: JSON.stringify(e.path),
    status: JSON.stringify(e.status),
    request_id: JSON.stringify(e.request_id),
    correlation_id: JSON.stringify(e.correlation_id),
    details: details !== null && typeof details === 'object' && Object.keys(details).length === 0 ? '{}' : canonicalJson(details),
    prev_hash: JSON.stringify(e.prev_hash),
  };
}

/**
 * `canonicalJson(event)` for an event built by the recorder (exactly the AuditEvent fields but
 * `hash`, actor and target with exactly id/name/type), with the keys pre-sorted: ~3x faster on the
 * hot path. A property test checks the hash it gives equals the generic form's.
 */
function canonicalOf(f: Fields): string {
  return (
    `{"actor":${f.actor},"correlation_id":${f.correlation_id},"details":${f.details},"id":${f.id},"ip":${f.ip}` +
    `,"method":${f.method},"occurred_at":${f.occurred_at},"path":${f.path},"prev_hash":${f.prev_hash}` +
    `,"request_id":${f.request_id},"status":${f.status},"target":${f.target},"type":${f.type}` +
    `,"user_agent":${f.user_agent},"workspace_id":${f.workspace_id}}`
  );
}

/**
 * The hash of an event the recorder just built (fast path of {@link computeEventHash}), and the
 * event as stored: one line of JSON in the API's field order (`id` first: the log finds its lines
 * by that prefix), made of the same serialized members as the canonical form.
 */
export function sealEvent(event: Unsealed): { hash: string; line: string } {
  const f = eventFields(event);
  const eventHash = sha256Hex(event.prev_hash + canonicalOf(f));
  const line =
    `{"id":${f.id},"workspace_id":${f.workspace_id},"type":${f.type},"occurred_at":${f.occurred_at}` +
    `,"actor":${f.actor},"target":${f.target},"ip":${f.ip},"user_agent":${f.user_agent},"method":${f.method}` +
    `,"path":${f.path},"status":${f.status},"request_id":${f.request_id},"correlation_id":${f.correlation_id}` +
    `,"details":${f.details},"prev_hash":${f.prev_hash},"hash":"${eventHash}"}`;
  return { hash: eventHash, line };
}
