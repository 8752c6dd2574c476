import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson(JSON.parse('{ "b": [ {"d": 1, "c": 2} ], "a": "x" }'))).toBe('{"a":"x","b":[{"c":2,"d":1}]}');
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('keeps scalars as JSON', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson('é"')).toBe('"é\\""');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(JSON.parse('1.0'))).toBe(canonicalJson(JSON.parse('1e0')));
  });

  it('skips undefined members, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });
});
