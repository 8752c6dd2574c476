import { describe, expect, it } from 'vitest';
import { openapi, specValidator } from '@tessera/spec';
import { startTestServer } from './harness.js';

/** Routes that are pages for people, not API operations. */
const NOT_OPERATIONS = [/^\/docs(\/|$)/];

describe('the served routes and the spec', () => {
  it('serve exactly the operations of the spec, and /openapi.json is the spec itself', async () => {
    const s = await startTestServer();
    const served = s.app.routes
      .filter((r) => r.method !== 'ALL' && !NOT_OPERATIONS.some((p) => p.test(r.path)))
      .map((r) => `${r.method} ${r.path.replace(/:([a-z_]+)/g, '{$1}')}`);
    const uniqueServed = [...new Set(served)].sort();
    expect(uniqueServed).toEqual(specValidator().operationKeys());
    const document = await s.call('GET', '/openapi.json');
    expect(document.body).toEqual(openapi);
  });
});
