import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, inviteAndAccept, sessionCookie } from '../support/portal-sessions.js';
import { call, startServer, type TestServer } from '../support/server.js';

const ORG_ADMIN = 'ad0566b5-2a67-49de-89e8-92258c2f2c98';
const RO_USER = '2cb32e78-4e8d-4f85-a152-4e4df2be1c28';

describe('Portal sessions', () => {
  let server: TestServer;
  const admin = () => ({ token: server.adminToken });

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('refuses every API call and the session endpoint without a session or token', async () => {
    expect((await call(server, 'GET', '/auth/session')).status).toBe(401);
    expect((await call(server, 'GET', '/v2/databases')).status).toBe(401);
    expect(
      (await call(server, 'GET', '/v2/tokens', { headers: { cookie: 'orrery_session=not-a-session' } })).status,
    ).toBe(401);
  });

  it('signs in with a token into an HttpOnly, SameSite=Strict cookie that then acts with the token', async () => {
    const signIn = await call(server, 'POST', '/auth/sign-in', { body: { token: server.adminToken } });
    expect(signIn.status).toBe(200);
    const header = signIn.headers.getSetCookie().find((c) => c.startsWith('orrery_session='))!;
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Strict/);
    expect(header).toMatch(/; Path=\//);
    // Served over plain HTTP here, so the cookie is not marked Secure (it is under TLS).
    expect(header).not.toMatch(/; Secure/);
    const cookie = sessionCookie(signIn);
    const session = await call(server, 'GET', '/auth/session', { headers: { cookie } });
    expect(session.body).toMatchObject({ kind: 'token', orgId: server.orgId, csrfToken: signIn.body.csrfToken });
    expect((await call(server, 'GET', '/v2/currentOrg', { headers: { cookie } })).body.id).toBe(server.orgId);
  });

  it('refuses a cookie-authenticated write without the CSRF token, or from another site', async () => {
    const signIn = await call(server, 'POST', '/auth/sign-in', { body: { token: server.adminToken } });
    const cookie = sessionCookie(signIn);
    const body = { roles: [RO_USER] };
    // What a cross-site HTML form can send: the cookie (were the browser to attach it) and a form body, but no custom header.
    const form = await call(server, 'POST', '/v2/tokens', {
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'roles=x',
    });
    expect(form.status).toBe(403);
    expect((await call(server, 'POST', '/v2/tokens', { headers: { cookie }, body })).status).toBe(403);
    expect(
      (await call(server, 'POST', '/v2/tokens', { headers: { cookie, 'x-csrf-token': 'wrong' }, body })).status,
    ).toBe(403);
    expect(
      (
        await call(server, 'POST', '/v2/tokens', {
          headers: { cookie, 'x-csrf-token': signIn.body.csrfToken, origin: 'https://evil.example' },
          body,
        })
      ).status,
    ).toBe(403);
    const made = await call(server, 'POST', '/v2/tokens', {
      headers: { cookie, 'x-csrf-token': signIn.body.csrfToken },
      body,
    });
    expect(made.status).toBe(200);
    // A sign-in posted from another site is refused too.
    expect(
      (
        await call(server, 'POST', '/auth/sign-in', {
          headers: { origin: 'https://evil.example' },
          body: { token: server.adminToken },
        })
      ).status,
    ).toBe(403);
  });

  it('accepts an invitation once, then signs the user in with e-mail and password', async () => {
    const { userId, cookie, code } = await inviteAndAccept(server, server.adminToken, 'ada@example.com', [RO_USER]);
    const session = await call(server, 'GET', '/auth/session', { headers: { cookie } });
    expect(session.body).toMatchObject({ kind: 'user', id: userId, email: 'ada@example.com', roleIds: [RO_USER] });
    expect((await call(server, 'GET', `/v2/organizations/users/${userId}`, admin())).body.Status).toBe('active');
    expect(
      (await call(server, 'POST', `/auth/invitations/${code}/accept`, { body: { password: PASSWORD } })).status,
    ).toBe(404);
    expect(
      (await call(server, 'POST', '/auth/sign-in', { body: { email: 'ADA@example.com', password: PASSWORD } })).status,
    ).toBe(200);
    expect(
      (await call(server, 'POST', '/auth/sign-in', { body: { email: 'ada@example.com', password: 'wrong password!' } }))
        .status,
    ).toBe(401);
  });

  it('stores no password or session secret in clear', async () => {
    const rows = await server.app.store.db.selectFrom('user_passwords').select('password_hash').execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(row.password_hash).not.toContain(PASSWORD);
    }
  });

  it("applies a user's role change and removal to their open session on the next request", async () => {
    const { userId, cookie, csrf } = await inviteAndAccept(server, server.adminToken, 'grace@example.com', [RO_USER]);
    expect((await call(server, 'GET', '/v2/databases', { headers: { cookie } })).status).toBe(200);
    expect((await call(server, 'GET', '/v2/tokens', { headers: { cookie } })).status).toBe(403);
    expect(
      (
        await call(server, 'PUT', `/v2/organizations/users/${userId}/roles`, {
          ...admin(),
          body: { roles: [ORG_ADMIN] },
        })
      ).status,
    ).toBe(204);
    expect((await call(server, 'GET', '/v2/tokens', { headers: { cookie } })).status).toBe(200);
    expect((await call(server, 'DELETE', `/v2/organizations/users/${userId}`, admin())).status).toBe(204);
    expect((await call(server, 'GET', '/v2/databases', { headers: { cookie } })).status).toBe(401);
    expect(
      (
        await call(server, 'POST', '/v2/tokens', {
          headers: { cookie, 'x-csrf-token': csrf },
          body: { roles: [RO_USER] },
        })
      ).status,
    ).toBe(401);
  });

  it('ends a session on sign-out, after 30 idle minutes, and 12 hours after sign-in however busy', async () => {
    const signOut = await call(server, 'POST', '/auth/sign-in', { body: { token: server.adminToken } });
    const cookie = sessionCookie(signOut);
    expect((await call(server, 'POST', '/auth/sign-out', { headers: { cookie } })).status).toBe(204);
    expect((await call(server, 'GET', '/auth/session', { headers: { cookie } })).status).toBe(401);

    const idle = sessionCookie(await call(server, 'POST', '/auth/sign-in', { body: { token: server.adminToken } }));
    server.clock.advance(29 * 60_000);
    expect((await call(server, 'GET', '/auth/session', { headers: { cookie: idle } })).status).toBe(200);
    server.clock.advance(30 * 60_000);
    expect((await call(server, 'GET', '/auth/session', { headers: { cookie: idle } })).status).toBe(401);

    const busy = sessionCookie(await call(server, 'POST', '/auth/sign-in', { body: { token: server.adminToken } }));
    for (let hour = 0; hour < 12; hour++) {
      expect((await call(server, 'GET', '/auth/session', { headers: { cookie: busy } })).status).toBe(200);
      for (let quarter = 0; quarter < 4; quarter++) {
        server.clock.advance(15 * 60_000);
        if (hour < 11 || quarter < 3)
          expect((await call(server, 'GET', '/auth/session', { headers: { cookie: busy } })).status).toBe(200);
      }
    }
    expect((await call(server, 'GET', '/auth/session', { headers: { cookie: busy } })).status).toBe(401);
  });

  it('stops a token session when its token is revoked', async () => {
    const made = await call(server, 'POST', '/v2/tokens', { ...admin(), body: { roles: [RO_USER] } });
    const cookie = sessionCookie(await call(server, 'POST', '/auth/sign-in', { body: { token: made.body.token } }));
    expect((await call(server, 'GET', '/v2/databases', { headers: { cookie } })).status).toBe(200);
    expect((await call(server, 'DELETE', `/v2/tokens/${made.body.clientId}`, admin())).status).toBe(200);
    expect((await call(server, 'GET', '/v2/databases', { headers: { cookie } })).status).toBe(401);
  });

  it('rate-limits failed sign-ins from an address like failed tokens', async () => {
    let last = 0;
    for (let i = 0; i < 31; i++)
      last = (await call(server, 'POST', '/auth/sign-in', { body: { token: 'AstraCS:nope' } })).status;
    expect(last).toBe(429);
    // A right token still signs in: it cannot be guessed, so others' failures never refuse it.
    expect((await call(server, 'POST', '/auth/sign-in', { body: { token: server.adminToken } })).status).toBe(200);
    // A password can be guessed: from a limited address none is checked, not even a right one.
    const password = { email: 'nobody@example.com', password: 'not checked while limited' };
    expect((await call(server, 'POST', '/auth/sign-in', { body: password })).status).toBe(429);
    server.clock.advance(61_000);
    expect((await call(server, 'POST', '/auth/sign-in', { body: password })).status).toBe(401);
  });

  it('keeps invitations and traffic to their own organization', async () => {
    const { addOrganization } = await import('../support/server.js');
    const other = await addOrganization(server, 'Other');
    const user = await call(server, 'PUT', '/v2/organizations/users', {
      ...admin(),
      body: { email: 'only-a@example.com', roles: [RO_USER] },
    });
    expect(
      (await call(server, 'POST', '/auth/invitations', { token: other.token, body: { userId: user.body.UserID } }))
        .status,
    ).toBe(404);
    const created = await call(server, 'POST', '/v2/databases', {
      ...admin(),
      body: { name: 'mine', cloudProvider: 'AWS', region: 'us-east-2' },
    });
    const id = created.headers.get('location')!;
    expect((await call(server, 'GET', `/v2/databases/${id}/traffic`, admin())).body).toEqual({
      minutes: 60,
      points: [],
    });
    expect((await call(server, 'GET', `/v2/databases/${id}/traffic`, { token: other.token })).status).toBe(404);
  });
});
