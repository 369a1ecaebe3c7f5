import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { inviteAndAccept, sessionCookie } from '../support/portal-sessions.js';
import { addOrganization, call, createToken, startServer, type TestServer } from '../support/server.js';

/**
 * Portal sessions of two organizations, A and B, on the API the Portal calls (the DevOps API and /auth,
 * with the session cookie and its CSRF token). A session of B, whether a user's or a token's, holds
 * Organization Administrator in B and still gets 404 for A's ids, sees only B in its lists, and changes
 * nothing in A. The same address may be a user of both organizations; removing it from one ends only
 * that organization's session.
 */

const RO_USER = '2cb32e78-4e8d-4f85-a152-4e4df2be1c28';
const SHARED_EMAIL = 'both@example.com';

interface Session {
  cookie: string;
  csrf: string;
}

describe('isolation of Portal sessions', () => {
  let server: TestServer;
  let a: { orgId: string; token: string };
  let b: { orgId: string; token: string };
  let roleA: string;
  let userA: { userId: string } & Session;
  let tokenA: string;
  let databaseA: string;
  let userOfB: { userId: string } & Session;
  let tokenSessionOfB: Session;

  /** A call as the Portal makes it: the cookie, and on writes the CSRF token. */
  const asSession = (session: Session, method: string, path: string, body?: unknown) =>
    call(server, method, path, {
      headers: { cookie: session.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrf }) },
      body,
    });

  beforeAll(async () => {
    server = await startServer();
    a = { orgId: server.orgId, token: server.adminToken };
    b = await addOrganization(server, 'B');
    const role = await call(server, 'POST', '/v2/organizations/roles', {
      token: a.token,
      body: {
        name: 'role of A',
        policy: { description: 'A', effect: 'allow', resources: ['drn:astra:org:__ORG_ID__'], actions: ['org-read'] },
      },
    });
    roleA = role.body.ID;
    userA = await inviteAndAccept(server, a.token, SHARED_EMAIL, [ORGANIZATION_ADMINISTRATOR_ID]);
    tokenA = (await createToken(server, [RO_USER], { description: 'token of A' })).clientId;
    const database = await call(server, 'POST', '/v2/databases', {
      token: a.token,
      body: { name: 'alpha', cloudProvider: 'AWS', region: 'us-east-1', keyspace: 'main' },
    });
    expect(database.status).toBe(201);
    databaseA = database.headers.get('location')!;

    userOfB = await inviteAndAccept(server, b.token, SHARED_EMAIL, [ORGANIZATION_ADMINISTRATOR_ID]);
    const signIn = await call(server, 'POST', '/auth/sign-in', { body: { token: b.token } });
    expect(signIn.status).toBe(200);
    tokenSessionOfB = { cookie: sessionCookie(signIn), csrf: signIn.body.csrfToken };
  });
  afterAll(() => server.close());

  it("answers 404 to a session of B for A's roles, users, tokens, databases and invitations, and changes nothing", async () => {
    const requests: [string, string, unknown?][] = [
      ['GET', `/v2/organizations/roles/${roleA}`],
      [
        'PUT',
        `/v2/organizations/roles/${roleA}`,
        {
          name: 'hijacked',
          policy: { description: '', effect: 'allow', resources: ['drn:astra:org:__ORG_ID__'], actions: ['org-write'] },
        },
      ],
      ['DELETE', `/v2/organizations/roles/${roleA}`],
      ['GET', `/v2/organizations/users/${userA.userId}`],
      ['PUT', `/v2/organizations/users/${userA.userId}/roles`, { roles: [RO_USER] }],
      ['DELETE', `/v2/organizations/users/${userA.userId}`],
      ['POST', '/auth/invitations', { userId: userA.userId }],
      ['DELETE', `/v2/tokens/${tokenA}`],
      ['GET', `/v2/databases/${databaseA}`],
      ['POST', `/v2/databases/${databaseA}/terminate`],
      ['POST', `/v2/databases/${databaseA}/keyspaces/stolen`],
      ['GET', `/v2/databases/${databaseA}/access-list`],
      ['POST', `/v2/databases/${databaseA}/access-list`, [{ address: '10.0.0.1', enabled: true }]],
      ['GET', `/v2/organizations/${a.orgId}/devops-acl`],
      ['PUT', `/v2/organizations/${a.orgId}/devops-acl`, [{ address: '10.0.0.1' }]],
    ];
    const wrong: string[] = [];
    for (const [name, session] of [
      ['user session', userOfB],
      ['token session', tokenSessionOfB],
    ] as const)
      for (const [method, path, body] of requests) {
        const response = await asSession(session, method, path, body);
        if (response.status !== 404) wrong.push(`${name}: ${method} ${path} -> ${response.status}`);
      }
    expect(wrong).toEqual([]);

    const asA = (path: string) => call(server, 'GET', path, { token: a.token });
    expect((await asA(`/v2/organizations/roles/${roleA}`)).body.Name).toBe('role of A');
    const user = (await asA(`/v2/organizations/users/${userA.userId}`)).body;
    expect(user.Roles.map((r: { ID: string }) => r.ID)).toEqual([ORGANIZATION_ADMINISTRATOR_ID]);
    expect((await asA('/v2/tokens')).text).toContain(tokenA);
    const database = (await asA(`/v2/databases/${databaseA}`)).body;
    expect(database.status).not.toBe('TERMINATING');
    expect(database.info.keyspaces ?? []).not.toContain('stolen');
    expect((await asA(`/v2/databases/${databaseA}/access-list`)).body.addresses ?? []).toEqual([]);
    expect((await asA(`/v2/organizations/${a.orgId}/devops-acl`)).body.enabled).toBe(false);
  });

  it("shows a session of B only B's organization, users, tokens, databases and audit entries", async () => {
    for (const session of [userOfB, tokenSessionOfB]) {
      expect((await asSession(session, 'GET', '/auth/session')).body.orgId).toBe(b.orgId);
      expect((await asSession(session, 'GET', '/v2/currentOrg')).body.id).toBe(b.orgId);
      const users = (await asSession(session, 'GET', '/v2/organizations/users')).body;
      expect(users.OrgID).toBe(b.orgId);
      expect(users.Users.map((u: { UserID: string }) => u.UserID)).toEqual([userOfB.userId]);
      const roles = (await asSession(session, 'GET', '/v2/organizations/roles')).body.map((r: { ID: string }) => r.ID);
      expect(roles).not.toContain(roleA);
      const clients = (await asSession(session, 'GET', '/v2/clientIdSecrets')).body.clients.map(
        (c: { clientId: string }) => c.clientId,
      );
      expect(clients).toEqual([b.token.split(':')[1]]);
      expect((await asSession(session, 'GET', '/v2/databases')).body).toEqual([]);
      const audit = await asSession(session, 'GET', '/v2/organizations/audit-events?limit=100');
      expect(audit.status).toBe(200);
      for (const mark of [roleA, userA.userId, tokenA, databaseA]) expect(audit.text).not.toContain(mark);
    }
  });

  it('ends the session of a user removed from B, and only that one: the same address stays signed in to A', async () => {
    expect((await asSession(userOfB, 'GET', '/v2/currentOrg')).status).toBe(200);
    expect((await call(server, 'DELETE', `/v2/organizations/users/${userOfB.userId}`, { token: b.token })).status).toBe(
      204,
    );
    expect((await asSession(userOfB, 'GET', '/v2/currentOrg')).status).toBe(401);
    expect((await asSession(userOfB, 'GET', '/auth/session')).status).toBe(401);
    expect((await asSession(userOfB, 'POST', '/v2/tokens', { roles: [RO_USER] })).status).toBe(401);

    expect((await asSession(userA, 'GET', '/v2/currentOrg')).body.id).toBe(a.orgId);
    expect((await asSession(userA, 'POST', '/v2/tokens', { roles: [RO_USER] })).status).toBe(200);
  });
});
