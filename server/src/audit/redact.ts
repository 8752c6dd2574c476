/**
 * Defense in depth: raw secrets must never be stored in an event, an export or a webhook
 * delivery. The HTTP layer never puts one there, but anything that looks like a Tessera secret
 * (an API key, a personal access token, a webhook signing secret) is replaced with `[redacted]`
 * before an event is hashed and written.
 */

/** API keys `{prefix}_{live|test}_{36}`, personal access tokens `tpat_{36}`, webhook secrets `whsec_{32}`. */
export const SECRET_PATTERNS: readonly RegExp[] = [
  /[a-z][a-z0-9]{1,15}_(live|test)_[0-9A-Za-z]{36}/,
  /tpat_[0-9A-Za-z]{36}/,
  /whsec_[0-9A-Za-z]{32}/,
];

const ANY_SECRET = /[a-z][a-z0-9]{1,15}_(?:live|test)_[0-9A-Za-z]{36}|tpat_[0-9A-Za-z]{36}|whsec_[0-9A-Za-z]{32}/g;

/** The shortest string any pattern can match (`whsec_` + 32): shorter strings are skipped fast. */
const MIN_SECRET_LENGTH = 38;

export const REDACTED = '[redacted]';

export function containsSecret(text: string): boolean {
  if (text.length < MIN_SECRET_LENGTH) return false;
  ANY_SECRET.lastIndex = 0;
  return ANY_SECRET.test(text);
}

/** `text` with every secret-looking part replaced by `[redacted]`. */
export function redactString(text: string): string {
  if (text.length < MIN_SECRET_LENGTH) return text;
  ANY_SECRET.lastIndex = 0;
  if (!ANY_SECRET.test(text)) return text;
  ANY_SECRET.lastIndex = 0;
  return text.replace(ANY_SECRET, REDACTED);
}

export interface RedactionCounter {
  /** Strings changed so far. */
  count: number;
}

/**
 * A JSON-clean deep copy of `value` with secrets redacted, in keys and values alike. It also
 * makes the value hash-stable: `undefined`, functions and symbols are dropped (in arrays they
 * become `null`, as `JSON.stringify` does), non-finite numbers become `null`, objects with
 * `toJSON` (Dates) are converted, and cycles are cut with `null`. What comes out survives a
 * `JSON.stringify` / `JSON.parse` round trip unchanged, so a stored event re-hashes identically.
 */
export function redactSecrets(value: unknown, counter?: RedactionCounter): unknown {
  return clean(value, counter, new Set<object>(), false);
}

function clean(value: unknown, counter: RedactionCounter | undefined, seen: Set<object>, inArray: boolean): unknown {
  switch (typeof value) {
    case 'string': {
      const redacted = redactString(value);
      if (redacted !== value && counter) counter.count += 1;
      return redacted;
    }
    case 'number':
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
    case 'boolean':
      return value;
    case 'bigint':
      return redactString(value.toString());
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? null : undefined;
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return clean((object as { toJSON: () => unknown }).toJSON(), counter, seen, inArray);
  }
  if (seen.has(object)) return null;
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item) => clean(item, counter, seen, true));
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      const cleaned = clean(item, counter, seen, false);
      if (cleaned === undefined) continue;
      const safeKey = redactString(key);
      if (safeKey !== key && counter) counter.count += 1;
      out[safeKey] = cleaned;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}
