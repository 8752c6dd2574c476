/**
 * Tessera key format: generation, parsing and offline checking of API keys and personal access tokens.
 *
 * API key:               `{prefix}_{live|test}_{30 base62 random}{6 base62 checksum}`   e.g. `sk_live_…`
 * Personal access token: `tpat_{30 base62 random}{6 base62 checksum}`
 *
 * The checksum is the CRC-32 (IEEE, as zlib) of the UTF-8 bytes of everything before it, as an unsigned
 * 32-bit integer in base62, left-padded with `0` to 6 characters. It lets anyone reject a mistyped key
 * without a round trip.
 *
 * This module is imported by the server as well as the SDK, and must run unchanged in Node, browsers,
 * Deno and Bun: it uses only Web Crypto (`crypto.getRandomValues`) and `TextEncoder`, never `node:` modules,
 * and imports nothing else from the SDK so that its bundle stays tiny.
 */

/** Base62 alphabet: digits, then uppercase, then lowercase (the order matters for the checksum encoding). */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The key prefix of a workspace that did not choose one (`sk_live_…`). */
export const DEFAULT_KEY_PREFIX = 'sk';
/** What a workspace key prefix may be: 2–16 lowercase letters or digits, starting with a letter. */
export const KEY_PREFIX_PATTERN = /^[a-z][a-z0-9]{1,15}$/;
/** The start of every member personal access token. */
export const PERSONAL_ACCESS_TOKEN_PREFIX = 'tpat_';
/** The environments a key can belong to. */
export const KEY_ENVIRONMENTS = ['live', 'test'] as const;
/** `live` or `test`. */
export type KeyEnvironment = (typeof KEY_ENVIRONMENTS)[number];

/** Number of random base62 characters in a key. */
export const RANDOM_LENGTH = 30;
/** Number of base62 characters of the CRC-32 checksum at the end of a key. */
export const CHECKSUM_LENGTH = 6;
/** Length of the part after `{prefix}_{env}_` (or after `tpat_`). */
export const SECRET_LENGTH = RANDOM_LENGTH + CHECKSUM_LENGTH;
/** Number of leading characters shown in listings (`sk_live_abc1`). */
export const DISPLAY_PREFIX_LENGTH = 12;

// ---------------------------------------------------------------------------------------------------------
// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib/PNG/gzip). Table-driven; the table is built
// on first use so importing the module costs nothing.

let crcTable: Uint32Array | undefined;

function getCrcTable(): Uint32Array {
  if (crcTable) return crcTable;
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (crcTable = table);
}

const utf8 = new TextEncoder();

/** CRC-32 (IEEE) of a string's UTF-8 bytes, or of raw bytes, as an unsigned 32-bit integer. */
export function crc32(input: string | Uint8Array): number {
  const bytes = typeof input === 'string' ? utf8.encode(input) : input;
  const table = getCrcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Writes a non-negative integer in base62, left-padded with `0` to `width` characters. */
export function encodeBase62(value: number, width: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`encodeBase62 expects a non-negative safe integer, got ${value}`);
  let out = '';
  let rest = value;
  do {
    out = BASE62_ALPHABET[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}

/** The 6-character checksum of a key body (`{prefix}_{env}_{random30}` or `tpat_{random30}`). */
export function checksumOf(body: string): string {
  return encodeBase62(crc32(body), CHECKSUM_LENGTH);
}

// ---------------------------------------------------------------------------------------------------------
// Random generation

/** A source of cryptographically secure random bytes, shaped like `crypto.getRandomValues`. */
export type RandomBytesSource = (bytes: Uint8Array) => Uint8Array;

function defaultRandomBytes(bytes: Uint8Array): Uint8Array {
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (!webCrypto?.getRandomValues) {
    throw new Error('Tessera key generation needs Web Crypto (globalThis.crypto.getRandomValues), which this runtime does not provide.');
  }
  return webCrypto.getRandomValues(bytes);
}

/**
 * `length` uniformly random base62 characters. Uses rejection sampling: bytes >= 248 (= 4 × 62) are
 * discarded so that `byte % 62` carries no modulo bias.
 */
export function randomBase62(length: number, randomBytes: RandomBytesSource = defaultRandomBytes): string {
  let out = '';
  while (out.length < length) {
    // ~3% of bytes are rejected; asking for a little more than needed usually finishes in one round.
    const bytes = randomBytes(new Uint8Array(Math.ceil((length - out.length) * 1.1) + 4));
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const byte = bytes[i]!;
      if (byte < 248) out += BASE62_ALPHABET[byte % 62];
    }
  }
  return out;
}

/** Options of {@link generateApiKey}. */
export interface GenerateApiKeyOptions {
  /** Workspace key prefix, `^[a-z][a-z0-9]{1,15}$`. Default `sk`. */
  prefix?: string;
  /** `live` or `test`. */
  environment: KeyEnvironment;
  /** Override the random source (tests). Defaults to `crypto.getRandomValues`. */
  randomBytes?: RandomBytesSource;
}

/** Generates a new API key `{prefix}_{environment}_{random30}{checksum6}`. */
export function generateApiKey(options: GenerateApiKeyOptions): string {
  const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
  if (!KEY_PREFIX_PATTERN.test(prefix)) {
    throw new RangeError(`Invalid key prefix ${JSON.stringify(prefix)}: it must match ${KEY_PREFIX_PATTERN} (2–16 lowercase letters or digits, starting with a letter).`);
  }
  if (!(KEY_ENVIRONMENTS as readonly string[]).includes(options.environment)) {
    throw new RangeError(`Invalid key environment ${JSON.stringify(options.environment)}: expected "live" or "test".`);
  }
  const body = `${prefix}_${options.environment}_${randomBase62(RANDOM_LENGTH, options.randomBytes)}`;
  return body + checksumOf(body);
}

/** Generates a new member personal access token `tpat_{random30}{checksum6}`. */
export function generatePersonalAccessToken(options: { randomBytes?: RandomBytesSource } = {}): string {
  const body = PERSONAL_ACCESS_TOKEN_PREFIX + randomBase62(RANDOM_LENGTH, options.randomBytes);
  return body + checksumOf(body);
}

// ---------------------------------------------------------------------------------------------------------
// Checking

/** What is wrong with a key, as a stable code. */
export type KeyFormatProblemCode =
  | 'empty'
  | 'whitespace'
  | 'bearer_included'
  | 'unrecognized_format'
  | 'invalid_prefix'
  | 'wrong_prefix'
  | 'unknown_environment'
  | 'invalid_characters'
  | 'wrong_length'
  | 'checksum_mismatch';

/** Where whitespace was found in a key. */
export type WhitespaceLocation = 'leading' | 'trailing' | 'inside';

/**
 * Why a string is not a well-formed Tessera key. Messages never contain the key's secret part: at most
 * the (non-secret) prefix and environment, and the single offending character.
 */
export interface KeyFormatProblem {
  /** What is wrong, as a stable code. */
  code: KeyFormatProblemCode;
  /** What is wrong, in a sentence; never contains the key's secret part. */
  message: string;
  /** For `whitespace`: where it was found, in order. */
  where?: WhitespaceLocation[];
  /** For `invalid_characters`: zero-based index of the first bad character. */
  position?: number;
  /** For `wrong_length`, `wrong_prefix`: what was expected and what was found. */
  expected?: number | string;
  /** For `wrong_length`, `wrong_prefix`: what was found. */
  got?: number | string;
}

/** Options of {@link explainKeyProblem} and {@link isWellFormedKey}. */
export interface ExplainKeyOptions {
  /** When set, a well-formed API key with a different prefix is reported as `wrong_prefix`. */
  expectedPrefix?: string;
}

/** Short, quoted rendering of a non-secret fragment; long garbage is cut so messages stay readable. */
function quote(fragment: string, max = 16): string {
  return JSON.stringify(fragment.length > max ? `${fragment.slice(0, max)}…` : fragment);
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  const names: Record<string, string> = { ' ': 'a space', '\t': 'a tab', '\n': 'a newline', '\r': 'a carriage return' };
  return names[ch] ?? `${JSON.stringify(ch)} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

const WHITESPACE = /\s/u;
const BASE62_CHAR = /^[0-9A-Za-z]$/;

function explainCommonProblems(s: string): KeyFormatProblem | null {
  if (s.length === 0) return { code: 'empty', message: 'The key is empty.' };
  if (/^\s*bearer\s/i.test(s)) {
    return {
      code: 'bearer_included',
      message: 'The key starts with "Bearer ": pass only the key itself; the "Bearer" scheme is added to the Authorization header for you.',
    };
  }
  if (s.trim().length === 0) return { code: 'empty', message: 'The key contains only whitespace.' };
  const where: WhitespaceLocation[] = [];
  const start = s.length - s.trimStart().length;
  const end = s.trimEnd().length;
  if (start > 0) where.push('leading');
  if (end < s.length) where.push('trailing');
  let insideAt = -1;
  for (let i = start; i < end && insideAt < 0; i++) if (WHITESPACE.test(s[i]!)) insideAt = i;
  if (insideAt >= 0) where.push('inside');
  if (where.length > 0) {
    const parts: string[] = [];
    if (start > 0) parts.push(`leading whitespace (${describeChar(s[0]!)} at the start)`);
    if (end < s.length) parts.push(`trailing whitespace (${describeChar(s[s.length - 1]!)} at the end)`);
    if (insideAt >= 0) parts.push(`whitespace inside it (${describeChar(s[insideAt]!)} at position ${insideAt})`);
    return {
      code: 'whitespace',
      where,
      message: `The key has ${parts.join(' and ')}; it was probably copied with extra characters. Remove them.`,
    };
  }
  return null;
}

/** Checks the 36-character secret part (`random30 + checksum6`) of a key whose non-secret head is `head`. */
function explainSecret(s: string, head: string, shape: string): KeyFormatProblem | null {
  const secret = s.slice(head.length);
  for (let i = 0; i < secret.length; i++) {
    const ch = secret[i]!;
    if (!BASE62_CHAR.test(ch)) {
      return {
        code: 'invalid_characters',
        position: head.length + i,
        message: `The key contains an invalid character ${describeChar(ch)} at position ${head.length + i}; after ${quote(head)} only letters and digits (base62) are allowed.`,
      };
    }
  }
  const expected = head.length + SECRET_LENGTH;
  if (s.length !== expected) {
    const hint = s.length < expected ? 'part of the key is missing (was it cut off when copying?)' : 'it has extra characters';
    return {
      code: 'wrong_length',
      expected,
      got: s.length,
      message: `The key has the wrong length: expected ${expected} characters (${shape}), got ${s.length}; ${hint}.`,
    };
  }
  const body = s.slice(0, s.length - CHECKSUM_LENGTH);
  if (checksumOf(body) !== s.slice(-CHECKSUM_LENGTH)) {
    return {
      code: 'checksum_mismatch',
      message: 'The key’s checksum does not match: it most likely contains a typo (a mistyped, swapped or altered character). Copy it again.',
    };
  }
  return null;
}

/**
 * Explains why `s` is not a well-formed Tessera API key or personal access token, or returns `null` when it is.
 * Checks, in order: empty, `Bearer ` included, whitespace, prefix, environment, characters, length, checksum.
 */
export function explainKeyProblem(s: string, options: ExplainKeyOptions = {}): KeyFormatProblem | null {
  if (typeof s !== 'string') return { code: 'empty', message: `The key must be a string, got ${s === null ? 'null' : typeof s}.` };
  const common = explainCommonProblems(s);
  if (common) return common;

  if (s.startsWith(PERSONAL_ACCESS_TOKEN_PREFIX)) {
    return explainSecret(s, PERSONAL_ACCESS_TOKEN_PREFIX, `"tpat_" + ${SECRET_LENGTH}`);
  }

  const firstUnderscore = s.indexOf('_');
  const secondUnderscore = firstUnderscore < 0 ? -1 : s.indexOf('_', firstUnderscore + 1);
  if (secondUnderscore < 0) {
    return {
      code: 'unrecognized_format',
      message: 'This does not look like a Tessera key: expected {prefix}_{live|test}_{36 letters and digits} (an API key) or tpat_{36 letters and digits} (a personal access token).',
    };
  }
  const prefix = s.slice(0, firstUnderscore);
  const environment = s.slice(firstUnderscore + 1, secondUnderscore);
  if (!KEY_PREFIX_PATTERN.test(prefix)) {
    return {
      code: 'invalid_prefix',
      got: prefix,
      message: `The key prefix ${quote(prefix, 12)} is invalid: a prefix is 2–16 lowercase letters or digits and starts with a letter (for example "sk").`,
    };
  }
  if (!(KEY_ENVIRONMENTS as readonly string[]).includes(environment)) {
    return {
      code: 'unknown_environment',
      got: environment,
      message: `The key environment ${quote(environment, 8)} is unknown: after the prefix a key says "live" or "test" (${prefix}_live_… or ${prefix}_test_…).`,
    };
  }
  if (options.expectedPrefix !== undefined && prefix !== options.expectedPrefix) {
    return {
      code: 'wrong_prefix',
      expected: options.expectedPrefix,
      got: prefix,
      message: `The key prefix ${quote(prefix)} is not this workspace's prefix ${quote(options.expectedPrefix)}: is it a key from another workspace?`,
    };
  }
  return explainSecret(s, `${prefix}_${environment}_`, `"${prefix}_${environment}_" + ${SECRET_LENGTH}`);
}

/** True when `s` is a well-formed API key or personal access token (format and checksum). */
export function isWellFormedKey(s: string, options: ExplainKeyOptions = {}): boolean {
  return explainKeyProblem(s, options) === null;
}

/**
 * True when `s` is meant to be a Tessera key rather than an opaque operator token: it contains `_live_` or
 * `_test_`, or starts with `tpat_`. Such strings get the full format and checksum check.
 */
export function looksLikeTesseraKey(s: string): boolean {
  return s.includes('_live_') || s.includes('_test_') || s.trimStart().startsWith(PERSONAL_ACCESS_TOKEN_PREFIX);
}

/**
 * Checks a credential as the SDK and server accept it: a Tessera API key or personal access token (full
 * format and checksum check), or an opaque operator token (any string without whitespace). Returns `null`
 * when acceptable.
 */
export function explainCredentialProblem(s: string): KeyFormatProblem | null {
  if (typeof s !== 'string') return explainKeyProblem(s);
  if (looksLikeTesseraKey(s)) return explainKeyProblem(s);
  return explainCommonProblems(s);
}

/** Thrown by the `parse…` functions; `problem` says what is wrong. */
export class KeyFormatError extends Error {
  /** `"KeyFormatError"`. */
  override readonly name = 'KeyFormatError';
  /** What is wrong with the key. */
  readonly problem: KeyFormatProblem;
  constructor(problem: KeyFormatProblem) {
    super(problem.message);
    this.problem = problem;
  }
}

/** The parts of an API key. */
export interface ParsedApiKey {
  /** The workspace's key prefix, e.g. `sk`. */
  prefix: string;
  /** `live` or `test`. */
  environment: KeyEnvironment;
  /** The 30 random characters. */
  random: string;
  /** The 6-character checksum. */
  checksum: string;
}

/** Splits a well-formed API key into its parts; throws `KeyFormatError` otherwise. */
export function parseApiKey(s: string, options: ExplainKeyOptions = {}): ParsedApiKey {
  const problem = explainKeyProblem(s, options);
  if (problem) throw new KeyFormatError(problem);
  if (s.startsWith(PERSONAL_ACCESS_TOKEN_PREFIX)) {
    throw new KeyFormatError({ code: 'unrecognized_format', message: 'This is a personal access token (tpat_…), not an API key.' });
  }
  const [prefix, environment, secret] = s.split('_') as [string, KeyEnvironment, string];
  return { prefix, environment, random: secret.slice(0, RANDOM_LENGTH), checksum: secret.slice(RANDOM_LENGTH) };
}

/** The parts of a personal access token. */
export interface ParsedPersonalAccessToken {
  /** The 30 random characters. */
  random: string;
  /** The 6-character checksum. */
  checksum: string;
}

/** Splits a well-formed personal access token into its parts; throws `KeyFormatError` otherwise. */
export function parsePersonalAccessToken(s: string): ParsedPersonalAccessToken {
  if (typeof s === 'string' && explainCommonProblems(s) === null && !s.startsWith(PERSONAL_ACCESS_TOKEN_PREFIX)) {
    throw new KeyFormatError({ code: 'unrecognized_format', message: 'This is not a personal access token: those start with "tpat_".' });
  }
  const problem = explainKeyProblem(s);
  if (problem) throw new KeyFormatError(problem);
  const secret = s.slice(PERSONAL_ACCESS_TOKEN_PREFIX.length);
  return { random: secret.slice(0, RANDOM_LENGTH), checksum: secret.slice(RANDOM_LENGTH) };
}

/** The first 12 characters, stored and shown in listings (`sk_live_abc1`). */
export function displayPrefixOf(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** The last 4 characters, stored and shown in listings. */
export function lastFourOf(key: string): string {
  return key.slice(-4);
}
