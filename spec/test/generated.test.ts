import { describe, expect, it } from 'vitest';
import { staleGeneratedFiles } from '../scripts/generate.js';

describe('generated files', () => {
  it('match a fresh generation from openapi.yaml (run `npm run generate` after editing the spec)', async () => {
    expect(await staleGeneratedFiles()).toEqual([]);
  }, 60_000);
});
