/**
 * How completed idempotency entries are written down: one JSON object per line, so that a file
 * is written and read a line at a time (never one string of tens of MB) and stays readable.
 *
 * ```
 * {"scope":"member:mem_1","key":"6f1c…","fingerprint":"9b2e…","expires_at":"2026-03-02T10:00:00.000Z","status":200,"headers":{"content-type":"application/json"},"body":"{…}"}
 * {"scope":"member:mem_1","key":"a3d0…","fingerprint":"41c7…","expires_at":"2026-03-02T10:00:01.000Z","status":201,"withheld":true}
 * ```
 *
 * A *withheld* record keeps everything but the response: the request is known to have completed
 * (with `status`), but what it answered must not be written (it revealed a secret). Records in
 * the log also carry `"seq"`, the order in which they were recorded (see idempotency-persistence.ts).
 */
import { isPlainObject } from '../storage/durable-file.js';
import { idempotencyKeyProblem, type CompletedIdempotencyEntry, type WithheldIdempotencyEntry } from './idempotency.js';

const SNAPSHOT_FORMAT = 'tessera-idempotency';
const SNAPSHOT_VERSION = 1;

/** The first line of a snapshot: what it is, the last `seq` it contains, how many records follow. */
export interface SnapshotHeader {
  readonly seq: number;
  readonly entries: number;
}

export function encodeSnapshotHeader(header: SnapshotHeader): string {
  return `${JSON.stringify({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, seq: header.seq, entries: header.entries })}\n`;
}

export function decodeSnapshotHeader(value: unknown): SnapshotHeader {
  if (!isPlainObject(value) || value.format !== SNAPSHOT_FORMAT) throw new Error(`it is not a ${SNAPSHOT_FORMAT} file`);
  if (value.version !== SNAPSHOT_VERSION) throw new Error(`its version ${JSON.stringify(value.version)} is not ${SNAPSHOT_VERSION}`);
  return { seq: count(value.seq, 'seq'), entries: count(value.entries, 'entries') };
}

/**
 * One record, with its newline. `withhold` drops the response (headers and body) whatever the
 * entry holds; `seq` is given for log records.
 *
 * Written out field by field rather than as one object to JSON.stringify: every response an SDK
 * call completes is encoded here (once in the log, again in each snapshot it survives into), and
 * building an object of spread fields per record took twice as long.
 */
export function encodeRecord(entry: CompletedIdempotencyEntry, withhold: boolean, seq?: number): string {
  const fields =
    `${seq === undefined ? '{' : `{"seq":${seq},`}"scope":${JSON.stringify(entry.scope)},"key":${JSON.stringify(entry.idempotencyKey)},` +
    `"fingerprint":${JSON.stringify(entry.fingerprint)},"expires_at":"${new Date(entry.expiresAtMs).toISOString()}"`;
  if (withhold || entry.state === 'withheld') {
    const status = entry.state === 'withheld' ? entry.status : entry.response.status;
    return `${fields},"status":${status},"withheld":true}\n`;
  }
  const { status, headers, body } = entry.response;
  return `${fields},"status":${status},"headers":${JSON.stringify(headers)},"body":${JSON.stringify(body)}}\n`;
}

/** The entry a record holds, and its `seq` if it has one; throws (saying why) when it is malformed. */
export function decodeRecord(value: unknown): { entry: CompletedIdempotencyEntry; seq: number | undefined } {
  if (!isPlainObject(value)) throw new Error('it is not an object');
  const seq = value.seq === undefined ? undefined : count(value.seq, 'seq');
  const { scope, key, fingerprint, expires_at: expiresAt, status } = value;
  if (typeof scope !== 'string' || scope === '') throw new Error('its "scope" is not a non-empty string');
  if (typeof key !== 'string' || idempotencyKeyProblem(key) !== undefined) throw new Error('its "key" is not a valid idempotency key');
  if (typeof fingerprint !== 'string' || fingerprint === '') throw new Error('its "fingerprint" is not a non-empty string');
  const expiresAtMs = typeof expiresAt === 'string' ? Date.parse(expiresAt) : Number.NaN;
  if (!Number.isSafeInteger(expiresAtMs)) throw new Error('its "expires_at" is not a date and time');
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) throw new Error('its "status" is not an HTTP status');
  const fields = { scope, idempotencyKey: key, fingerprint, expiresAtMs };
  if (value.withheld === true) {
    const entry: WithheldIdempotencyEntry = Object.freeze({ state: 'withheld', ...fields, status });
    return { entry, seq };
  }
  const { headers, body } = value;
  if (!isPlainObject(headers) || !Object.values(headers).every((header) => typeof header === 'string')) {
    throw new Error('its "headers" is not an object of strings');
  }
  if (typeof body !== 'string') throw new Error('its "body" is not a string');
  const response = Object.freeze({ status, headers: Object.freeze(headers as Record<string, string>), body });
  return { entry: Object.freeze({ state: 'completed', ...fields, response }), seq };
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`its "${field}" is not a non-negative integer`);
  return value;
}
