import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeEach(async () => (s = await startTestServer()));
afterEach(async () => s.checkInvariants());

/** Expects the 400 a cursor that is not this list's gets. */
function expectInvalidCursor(res: { status: number; body: any }) {
  expect([res.status, res.body.code, res.body.errors?.[0]?.field, res.body.errors?.[0]?.code]).toEqual([400, 'invalid_cursor', 'cursor', 'invalid_cursor']);
}

describe('cursors are valid for their own list and filters only', () => {
  it('walks every page of a list when the page size changes between pages', async () => {
    for (let i = 0; i < 9; i++) {
      s.clock.advance(1000);
      await s.createKey({ name: `Key ${i}`, environment: i % 3 ? 'live' : 'test' });
    }
    const seen: string[] = [];
    const limits = [2, 5, 1, 3];
    let cursor: string | null = null;
    for (let step = 0; step === 0 || cursor; step++) {
      const page: any = await s.call('GET', `${s.keysPath}?environment=live&limit=${limits[step % limits.length]}${cursor ? `&cursor=${cursor}` : ''}`, { token: s.admin });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.data.map((k: { name: string }) => k.name));
      cursor = page.body.next_cursor;
    }
    expect(seen).toEqual([8, 7, 5, 4, 2, 1].map((i) => `Key ${i}`));
  });

  it('refuses a cursor from another list, other filters, or made by hand', async () => {
    const keys = [];
    for (let i = 0; i < 4; i++) {
      s.clock.advance(1000);
      keys.push(await s.createKey({ name: `Key ${i}` }));
    }
    for (const key of keys.slice(0, 3)) expect((await s.call('DELETE', `${s.keysPath}/${key.id}`, { token: s.admin })).status).toBe(200);

    // Another list of the same workspace (roles: the built-ins make more than one page).
    const roles = await s.call('GET', `/v1/workspaces/${s.ws}/roles?limit=1`, { token: s.admin });
    expect(roles.body.next_cursor).toEqual(expect.any(String));
    expectInvalidCursor(await s.call('GET', `${s.keysPath}?cursor=${roles.body.next_cursor}`, { token: s.admin }));
    expectInvalidCursor(await s.call('GET', `/v1/workspaces/${s.ws}/members?cursor=${roles.body.next_cursor}`, { token: s.admin }));
    expectInvalidCursor(await s.call('GET', `/v1/workspaces/${s.ws}/scopes?cursor=${roles.body.next_cursor}`, { token: s.admin }));

    // The same list with other filters; the same filters still work, at another page size.
    const revoked = await s.call('GET', `${s.keysPath}?status=revoked&limit=1`, { token: s.admin });
    expect(revoked.body.next_cursor).toEqual(expect.any(String));
    expectInvalidCursor(await s.call('GET', `${s.keysPath}?status=active&cursor=${revoked.body.next_cursor}`, { token: s.admin }));
    expectInvalidCursor(await s.call('GET', `${s.keysPath}?cursor=${revoked.body.next_cursor}`, { token: s.admin }));
    expectInvalidCursor(await s.call('GET', `${s.keysPath}?status=revoked&environment=live&cursor=${revoked.body.next_cursor}`, { token: s.admin }));
    const rest = await s.call('GET', `${s.keysPath}?status=revoked&limit=5&cursor=${revoked.body.next_cursor}`, { token: s.admin });
    expect([rest.status, rest.body.data.length, rest.body.has_more]).toEqual([200, 2, false]);

    // Made by hand: a position and no digest, or a digest of nothing this server made.
    const handMade = (body: object) => Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
    expectInvalidCursor(await s.call('GET', `${s.keysPath}?cursor=eyJwIjoiMCJ9`, { token: s.admin }));
    expectInvalidCursor(await s.call('GET', `/v1/workspaces/${s.ws}/members?cursor=eyJwIjoiMCJ9`, { token: s.admin }));
    expectInvalidCursor(await s.call('GET', `${s.keysPath}?cursor=${handMade({ p: '0', l: 'AAAAAAAAAAAA' })}`, { token: s.admin }));
    expectInvalidCursor(await s.call('GET', `/v1/workspaces?cursor=eyJwIjoiMCJ9`, { token: s.admin }));
  });
});
