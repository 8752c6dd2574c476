import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BASE62_ALPHABET,
  KeyFormatError,
  checksumOf,
  crc32,
  displayPrefixOf,
  encodeBase62,
  explainCredentialProblem,
  explainKeyProblem,
  generateApiKey,
  generatePersonalAccessToken,
  isWellFormedKey,
  lastFourOf,
  looksLikeTesseraKey,
  parseApiKey,
  parsePersonalAccessToken,
  randomBase62,
  type KeyFormatProblem,
} from '../src/key-format.js';

// Fixed, independently computed (Python zlib + base62) fixtures: they pin the wire format, so a change to
// the alphabet order, padding or CRC variant fails here even if generation and checking still agree.
const FIXED_KEY_BODY = `sk_live_${'A'.repeat(30)}`;
const FIXED_KEY = `${FIXED_KEY_BODY}0pW674`;
const FIXED_PAT = `tpat_${'0123456789'.repeat(3)}268sUj`;

function problemOf(s: string, options?: { expectedPrefix?: string }): KeyFormatProblem {
  const problem = explainKeyProblem(s, options);
  expect(problem, `expected a problem for ${JSON.stringify(s)}`).not.toBeNull();
  return problem!;
}

describe('crc32', () => {
  it('matches the standard IEEE check value and other known vectors', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
    expect(crc32('héllo wörld ✓ 🔑')).toBe(0x08891f9c); // UTF-8 bytes, not UTF-16 code units
  });

  it('agrees with node:zlib crc32 on 500 random strings and byte arrays', () => {
    for (let i = 0; i < 500; i++) {
      const bytes = randomBytes(i % 97);
      expect(crc32(new Uint8Array(bytes))).toBe(zlib.crc32(bytes));
      const text = bytes.toString('base64') + String.fromCodePoint(0x80 + i * 37);
      expect(crc32(text)).toBe(zlib.crc32(Buffer.from(text, 'utf8')));
    }
  });

  it('returns an unsigned 32-bit integer even when the top bit is set', () => {
    // 0xCBF43926 has its top bit set: without the final `>>> 0` it would come out negative.
    expect(crc32('123456789')).toBeGreaterThan(2 ** 31);
  });
});

describe('encodeBase62 and checksumOf', () => {
  it('uses the digits-uppercase-lowercase alphabet, left-padded to the width', () => {
    expect(BASE62_ALPHABET).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    expect(encodeBase62(0, 6)).toBe('000000');
    expect(encodeBase62(61, 6)).toBe('00000z');
    expect(encodeBase62(62, 6)).toBe('000010');
    expect(encodeBase62(0xffffffff, 6)).toBe('4gfFC3');
  });

  it('rejects negative and non-integer values', () => {
    expect(() => encodeBase62(-1, 6)).toThrow(RangeError);
    expect(() => encodeBase62(1.5, 6)).toThrow(RangeError);
  });

  it('computes the checksum over the key body as fixed by the contract', () => {
    expect(checksumOf(FIXED_KEY_BODY)).toBe('0pW674');
    expect(checksumOf(`tpat_${'0123456789'.repeat(3)}`)).toBe('268sUj');
    expect(checksumOf(`acme_test_${'zZ'.repeat(15)}`)).toBe('1ux03F');
  });
});

describe('randomBase62', () => {
  it('rejects bytes 248..255 so that byte % 62 is unbiased', () => {
    const pattern = [255, 248, 0, 250, 61, 62, 249, 247, 123];
    const source = (bytes: Uint8Array) => {
      for (let i = 0; i < bytes.length; i++) bytes[i] = pattern[i % pattern.length]!;
      return bytes;
    };
    // Accepted bytes 0, 61, 62, 247, 123 map to '0', 'z', '0', 'z' (247 % 62 = 61), 'z' (123 % 62 = 61).
    expect(randomBase62(5, source)).toBe('0z0zz');
  });

  it('keeps drawing until it has enough characters even if most bytes are rejected', () => {
    let calls = 0;
    const mostlyRejected = (bytes: Uint8Array) => {
      calls++;
      bytes.fill(255);
      bytes[0] = 10; // one usable byte per call: 'A'
      return bytes;
    };
    expect(randomBase62(3, mostlyRejected)).toBe('AAA');
    expect(calls).toBe(3);
  });

  it('uses every alphabet character given enough output', () => {
    const seen = new Set(randomBase62(5000));
    expect(seen.size).toBe(62);
  });
});

describe('generateApiKey', () => {
  it('makes {prefix}_{env}_{30 random}{6 checksum} keys that check out', () => {
    const key = generateApiKey({ environment: 'live' });
    expect(key).toMatch(/^sk_live_[0-9A-Za-z]{36}$/);
    expect(key.slice(-6)).toBe(checksumOf(key.slice(0, -6)));
    expect(explainKeyProblem(key)).toBeNull();
  });

  it('honours a custom prefix and the test environment', () => {
    const key = generateApiKey({ prefix: 'acme2', environment: 'test' });
    expect(key).toMatch(/^acme2_test_[0-9A-Za-z]{36}$/);
    expect(parseApiKey(key)).toMatchObject({ prefix: 'acme2', environment: 'test' });
  });

  it('refuses an invalid prefix or environment', () => {
    expect(() => generateApiKey({ prefix: 'Sk', environment: 'live' })).toThrow(/Invalid key prefix "Sk"/);
    expect(() => generateApiKey({ prefix: 's', environment: 'live' })).toThrow(RangeError);
    expect(() => generateApiKey({ prefix: 'a'.repeat(17), environment: 'live' })).toThrow(RangeError);
    expect(() => generateApiKey({ environment: 'prod' as 'live' })).toThrow(/expected "live" or "test"/);
  });

  it('does not repeat itself', () => {
    const keys = new Set(Array.from({ length: 2000 }, () => generateApiKey({ environment: 'test' })));
    expect(keys.size).toBe(2000);
  });

  it('is deterministic given the random source, so the server can test its own key handling', () => {
    const zeros = (bytes: Uint8Array) => bytes.fill(10);
    expect(generateApiKey({ environment: 'live', randomBytes: zeros })).toBe(FIXED_KEY);
  });
});

describe('generatePersonalAccessToken', () => {
  it('makes tpat_{30 random}{6 checksum} tokens that check out', () => {
    const token = generatePersonalAccessToken();
    expect(token).toMatch(/^tpat_[0-9A-Za-z]{36}$/);
    expect(isWellFormedKey(token)).toBe(true);
    expect(parsePersonalAccessToken(token).checksum).toBe(checksumOf(token.slice(0, -6)));
  });
});

describe('parseApiKey / parsePersonalAccessToken', () => {
  it('splits a key into prefix, environment, random and checksum', () => {
    expect(parseApiKey(FIXED_KEY)).toEqual({ prefix: 'sk', environment: 'live', random: 'A'.repeat(30), checksum: '0pW674' });
  });

  it('throws KeyFormatError carrying the problem', () => {
    const broken = `${FIXED_KEY.slice(0, -1)}5`;
    const error = (() => {
      try {
        parseApiKey(broken);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(KeyFormatError);
    expect((error as KeyFormatError).problem.code).toBe('checksum_mismatch');
  });

  it('tells an API key and a personal access token apart', () => {
    expect(() => parseApiKey(FIXED_PAT)).toThrow(/personal access token/);
    expect(() => parsePersonalAccessToken(FIXED_KEY)).toThrow(/start with "tpat_"/);
    expect(parsePersonalAccessToken(FIXED_PAT)).toEqual({ random: '0123456789'.repeat(3), checksum: '268sUj' });
  });
});

describe('explainKeyProblem', () => {
  it('accepts well-formed keys and tokens', () => {
    expect(explainKeyProblem(FIXED_KEY)).toBeNull();
    expect(explainKeyProblem(FIXED_PAT)).toBeNull();
    expect(isWellFormedKey(FIXED_KEY)).toBe(true);
  });

  it('reports an empty key', () => {
    expect(problemOf('')).toMatchObject({ code: 'empty', message: 'The key is empty.' });
    expect(problemOf(' \n').code).toBe('empty');
  });

  it('reports "Bearer " included by mistake', () => {
    const problem = problemOf(`Bearer ${FIXED_KEY}`);
    expect(problem.code).toBe('bearer_included');
    expect(problem.message).toMatch(/pass only the key itself/);
    expect(problemOf(`bearer  ${FIXED_KEY}`).code).toBe('bearer_included');
  });

  it('reports leading whitespace', () => {
    const problem = problemOf(` ${FIXED_KEY}`);
    expect(problem).toMatchObject({ code: 'whitespace', where: ['leading'] });
    expect(problem.message).toMatch(/leading whitespace \(a space at the start\)/);
  });

  it('reports trailing whitespace, naming a newline', () => {
    const problem = problemOf(`${FIXED_KEY}\n`);
    expect(problem).toMatchObject({ code: 'whitespace', where: ['trailing'] });
    expect(problem.message).toMatch(/trailing whitespace \(a newline at the end\)/);
  });

  it('reports whitespace inside the key with its position', () => {
    const problem = problemOf(`${FIXED_KEY.slice(0, 20)}\t${FIXED_KEY.slice(20)}`);
    expect(problem).toMatchObject({ code: 'whitespace', where: ['inside'] });
    expect(problem.message).toMatch(/whitespace inside it \(a tab at position 20\)/);
  });

  it('reports every place whitespace was found', () => {
    const problem = problemOf(`\t${FIXED_KEY.slice(0, 10)} ${FIXED_KEY.slice(10)}\r\n`);
    expect(problem.where).toEqual(['leading', 'trailing', 'inside']);
    expect(problem.message).toMatch(/leading .* and trailing .* and whitespace inside it \(a space at position 11\)/);
  });

  it('reports a string that is not shaped like any Tessera key', () => {
    expect(problemOf('hello').code).toBe('unrecognized_format');
    expect(problemOf('sk_liveAAAA').code).toBe('unrecognized_format');
  });

  it('reports an invalid prefix', () => {
    const upper = problemOf(FIXED_KEY.replace('sk_', 'SK_'));
    expect(upper).toMatchObject({ code: 'invalid_prefix', got: 'SK' });
    expect(upper.message).toMatch(/prefix "SK" is invalid: a prefix is 2–16 lowercase letters or digits/);
    expect(problemOf(FIXED_KEY.replace('sk_', 's_')).code).toBe('invalid_prefix');
    expect(problemOf(FIXED_KEY.replace('sk_', '9k_')).code).toBe('invalid_prefix');
  });

  it('reports a prefix that is valid but not the expected one', () => {
    const problem = problemOf(FIXED_KEY, { expectedPrefix: 'acme' });
    expect(problem).toMatchObject({ code: 'wrong_prefix', expected: 'acme', got: 'sk' });
    expect(problem.message).toMatch(/not this workspace's prefix "acme"/);
    expect(explainKeyProblem(FIXED_KEY, { expectedPrefix: 'sk' })).toBeNull();
  });

  it('reports an unknown environment', () => {
    const problem = problemOf(FIXED_KEY.replace('_live_', '_prod_'));
    expect(problem).toMatchObject({ code: 'unknown_environment', got: 'prod' });
    expect(problem.message).toMatch(/environment "prod" is unknown: .* "live" or "test"/);
  });

  it('reports an invalid character with its position', () => {
    const key = `${FIXED_KEY.slice(0, 15)}-${FIXED_KEY.slice(16)}`;
    const problem = problemOf(key);
    expect(problem).toMatchObject({ code: 'invalid_characters', position: 15 });
    expect(problem.message).toMatch(/invalid character "-" \(U\+002D\) at position 15/);
  });

  it('reports a wrong length with expected and actual lengths', () => {
    const short = problemOf(FIXED_KEY.slice(0, -2));
    expect(short).toMatchObject({ code: 'wrong_length', expected: 44, got: 42 });
    expect(short.message).toMatch(/expected 44 characters \("sk_live_" \+ 36\), got 42; part of the key is missing/);
    expect(problemOf(`${FIXED_KEY}AB`)).toMatchObject({ code: 'wrong_length', expected: 44, got: 46 });
    expect(problemOf(FIXED_PAT.slice(0, -1))).toMatchObject({ code: 'wrong_length', expected: 41, got: 40 });
  });

  it('reports a checksum mismatch for a single mistyped or two swapped characters', () => {
    const typo = `${FIXED_KEY.slice(0, 20)}B${FIXED_KEY.slice(21)}`;
    expect(problemOf(typo).code).toBe('checksum_mismatch');
    expect(problemOf(typo).message).toMatch(/most likely contains a typo/);
    const swapped = FIXED_KEY.slice(0, 37) + FIXED_KEY[38] + FIXED_KEY[37] + FIXED_KEY.slice(39);
    expect(swapped).not.toBe(FIXED_KEY);
    expect(problemOf(swapped).code).toBe('checksum_mismatch');
    expect(problemOf(`${FIXED_PAT.slice(0, 10)}x${FIXED_PAT.slice(11)}`).code).toBe('checksum_mismatch');
  });

  it('never puts the secret part of the key into a message', () => {
    const secret = FIXED_KEY.slice(12);
    const variants = [
      ` ${FIXED_KEY}`,
      `${FIXED_KEY}\n`,
      `Bearer ${FIXED_KEY}`,
      `${FIXED_KEY.slice(0, 40)} ${FIXED_KEY.slice(40)}`,
      FIXED_KEY.replace('_live_', '_prod_'),
      FIXED_KEY.replace('sk_', 'SK_'),
      `${FIXED_KEY}X`,
      `${FIXED_KEY.slice(0, 20)}B${FIXED_KEY.slice(21)}`,
      `${FIXED_KEY}.`,
    ];
    for (const variant of variants) {
      const problem = problemOf(variant);
      expect(problem.message).not.toContain(secret.slice(0, 8));
      expect(problem.message).not.toContain(secret.slice(-8));
    }
  });
});

describe('explainCredentialProblem', () => {
  it('accepts an opaque operator token without whitespace', () => {
    expect(explainCredentialProblem('x'.repeat(40))).toBeNull();
    expect(looksLikeTesseraKey('x'.repeat(40))).toBe(false);
  });

  it('rejects an opaque token that is empty, has whitespace or includes Bearer', () => {
    expect(explainCredentialProblem('')?.code).toBe('empty');
    expect(explainCredentialProblem(`${'x'.repeat(40)}\n`)?.code).toBe('whitespace');
    expect(explainCredentialProblem(`Bearer ${'x'.repeat(40)}`)?.code).toBe('bearer_included');
  });

  it('fully checks anything that looks like an API key or a personal access token', () => {
    expect(looksLikeTesseraKey('anything_live_x')).toBe(true);
    expect(looksLikeTesseraKey('anything_test_x')).toBe(true);
    expect(looksLikeTesseraKey('tpat_x')).toBe(true);
    expect(explainCredentialProblem(FIXED_KEY.slice(0, -1))?.code).toBe('wrong_length');
    expect(explainCredentialProblem(`${FIXED_PAT.slice(0, -1)}0`)?.code).toBe('checksum_mismatch');
    expect(explainCredentialProblem(FIXED_KEY)).toBeNull();
  });
});

describe('displayPrefixOf / lastFourOf', () => {
  it('returns the first 12 and the last 4 characters', () => {
    expect(displayPrefixOf(FIXED_KEY)).toBe('sk_live_AAAA');
    expect(lastFourOf(FIXED_KEY)).toBe('W674');
  });
});

describe('portability', () => {
  it('imports nothing, so it runs in browsers, Deno and Bun and bundles alone', () => {
    const source = readFileSync(new URL('../src/key-format.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/\brequire\(|from\s+['"]node:|import\(/);
  });
});
