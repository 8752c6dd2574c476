/**
 * Canonical JSON: the same text for the same value, whatever key order a parser or serializer
 * used. The audit chain hashes events in this form; idempotency compares request bodies in it.
 */

/**
 * Object keys sorted (by UTF-16 code units) at every level, no whitespace, `undefined` members
 * skipped; scalars as JSON.stringify writes them, so `1.0`, `1` and `1e0` parsed are all `1`.
 */
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
