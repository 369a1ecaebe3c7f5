import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { call, createToken, expectError, startServer, type TestServer } from '../support/server.js';
import { eventually } from '../support/polling.js';
import { STORE } from '../support/stores.js';

const roleId = (name: string) => BUILTIN_ROLES.find((r) => r.name === name)!.id;

describe('application tokens', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('follows the lifecycle of the token guide: create, list without secrets, delete, refused', async () => {
    const expiry = '2027-01-01T21:29:00Z';
    const created = await call(server, 'POST', '/v2/tokens', {
      token: server.adminToken,
      body: {
        roles: [roleId('Database Administrator'), roleId('RO User')],
        tokenExpiry: expiry,
        description: 'CI pipeline',
      },
    });
    expect(created.status).toBe(200);
    const body = created.body;
    expect(body).toMatchObject({
      orgId: server.orgId,
      roles: [roleId('Database Administrator'), roleId('RO User')],
      description: 'CI pipeline',
      tokenExpiry: '2027-01-01T21:29:00.000Z',
    });
    expect(body.clientId).toMatch(/^[A-Za-z]{24}$/);
    expect(body.token).toBe(
      `AstraCS:${body.clientId}:${(await import('node:crypto')).createHash('sha256').update(body.secret).digest('hex')}`,
    );
    expect(body.generatedOn).toMatch(/^\d{4}-\d\d-\d\dT/);

    expect((await call(server, 'GET', '/v2/currentOrg', { token: body.token })).status).toBe(200);

    for (const path of ['/v2/tokens', '/v2/clientIdSecrets']) {
      const listed = await call(server, 'GET', path, { token: server.adminToken });
      expect(listed.status).toBe(200);
      const entry = listed.body.clients.find((c: { clientId: string }) => c.clientId === body.clientId);
      expect(entry).toEqual({
        clientId: body.clientId,
        roles: body.roles,
        generatedOn: body.generatedOn,
        description: 'CI pipeline',
        tokenExpiry: '2027-01-01T21:29:00.000Z',
      });
      expect(listed.text).not.toContain(body.secret);
      expect(listed.text).not.toContain(body.token.split(':')[2]);
    }

    const deleted = await call(server, 'DELETE', `/v2/tokens/${body.clientId}`, { token: server.adminToken });
    expect(deleted.status).toBe(200);
    expectError(await call(server, 'GET', '/v2/currentOrg', { token: body.token }), 401, 340018);
    expectError(await call(server, 'DELETE', `/v2/tokens/${body.clientId}`, { token: server.adminToken }), 404);
  });

  it('revokes through the clientIdSecrets forms too, singular and plural', async () => {
    for (const path of ['/v2/clientIdSecrets', '/v2/clientIdSecret']) {
      const created = await createToken(server, [roleId('RO User')]);
      expect((await call(server, 'DELETE', `${path}/${created.clientId}`, { token: server.adminToken })).status).toBe(
        200,
      );
      expect((await call(server, 'GET', '/v2/currentOrg', { token: created.token })).status).toBe(401);
    }
    const viaClientIdSecrets = await call(server, 'POST', '/v2/clientIdSecrets', {
      token: server.adminToken,
      body: { roles: [roleId('RO User')] },
    });
    expect(viaClientIdSecrets.status).toBe(200);
    expect(viaClientIdSecrets.body.tokenExpiry).toBeUndefined();
  });

  it.each([
    ['an empty roles list', { roles: [] }, /at least one role/],
    ['an unknown role', { roles: ['00000000-0000-0000-0000-000000000000'] }, /Unknown role/],
    [
      'an expiry in the past',
      { roles: [ORGANIZATION_ADMINISTRATOR_ID], tokenExpiry: '2020-01-01T00:00:00Z' },
      /in the future/,
    ],
    [
      'an expiry that is not a date',
      { roles: [ORGANIZATION_ADMINISTRATOR_ID], tokenExpiry: 'next tuesday' },
      /RFC 3339/,
    ],
    ['no roles at all', {}, /roles/],
    ['roles of the wrong type', { roles: 'admin' }, /role/],
  ])('rejects %s with a clear 400', async (_label, body, message) => {
    const response = await call(server, 'POST', '/v2/tokens', { token: server.adminToken, body });
    expectError(response, 400);
    expect(response.body.errors[0].message).toMatch(message);
  });

  it('refuses a token the moment it expires (injected clock)', async () => {
    const expiry = new Date(server.clock.now().getTime() + 60 * 60 * 1000).toISOString();
    const created = await createToken(server, [roleId('RO User')], { tokenExpiry: expiry });
    expect((await call(server, 'GET', '/v2/currentOrg', { token: created.token })).status).toBe(200);
    server.clock.advance(60 * 60 * 1000 - 1);
    expect((await call(server, 'GET', '/v2/currentOrg', { token: created.token })).status).toBe(200);
    server.clock.advance(1);
    expectError(await call(server, 'GET', '/v2/currentOrg', { token: created.token }), 401, 340018);
  });

  it('does not let a token with an expiry mint a token that outlives it', async () => {
    const now = server.clock.now().getTime();
    const creatorExpiry = new Date(now + 24 * 3600_000).toISOString();
    const creator = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID], { tokenExpiry: creatorExpiry });
    const later = await call(server, 'POST', '/v2/tokens', {
      token: creator.token,
      body: { roles: [roleId('RO User')], tokenExpiry: new Date(now + 30 * 24 * 3600_000).toISOString() },
    });
    expectError(later, 400);
    expect(later.body.errors[0].message).toMatch(/own expiry/);
    const sooner = await createToken(
      server,
      [roleId('RO User')],
      { tokenExpiry: new Date(now + 3600_000).toISOString() },
      creator.token,
    );
    expect(sooner.generatedOn).toBeDefined();
    // Without tokenExpiry, the new token expires with its creator.
    const inherited = await call(server, 'POST', '/v2/tokens', {
      token: creator.token,
      body: { roles: [roleId('RO User')] },
    });
    expect(inherited.body.tokenExpiry).toBe(creatorExpiry);
    server.clock.advance(24 * 3600_000);
    expectError(await call(server, 'GET', '/v2/currentOrg', { token: inherited.body.token }), 401, 340018);
  });

  it('does not let a token-writer mint a token stronger than itself', async () => {
    const dbAdmin = await createToken(server, [roleId('Database Administrator')]);
    const escalate = await call(server, 'POST', '/v2/tokens', {
      token: dbAdmin.token,
      body: { roles: [ORGANIZATION_ADMINISTRATOR_ID] },
    });
    expectError(escalate, 403);
    const sameOrLess = await call(server, 'POST', '/v2/tokens', {
      token: dbAdmin.token,
      body: { roles: [roleId('RO Svc Acct')] },
    });
    expect(sameOrLess.status).toBe(200);
  });

  it('refuses to create a token in another organization', async () => {
    const response = await call(server, 'POST', '/v2/tokens', {
      token: server.adminToken,
      body: { roles: [ORGANIZATION_ADMINISTRATOR_ID], orgId: '11111111-1111-1111-1111-111111111111' },
    });
    expectError(response, 403);
  });

  it('ignores fields it does not know', async () => {
    const response = await call(server, 'POST', '/v2/tokens', {
      token: server.adminToken,
      body: { roles: [roleId('RO User')], somethingNew: true },
    });
    expect(response.status).toBe(200);
  });
});

describe.runIf(STORE === 'postgres')('two server processes on one PostgreSQL', () => {
  it('refuses a token revoked through one server on the other within a second', async () => {
    const first = await startServer();
    const second = await startServer({ store: first.store, bootstrapToken: first.adminToken });
    const created = await createToken(first, [ORGANIZATION_ADMINISTRATOR_ID]);
    expect((await call(second, 'GET', '/v2/currentOrg', { token: created.token })).status).toBe(200);
    expect((await call(first, 'DELETE', `/v2/tokens/${created.clientId}`, { token: first.adminToken })).status).toBe(
      200,
    );
    // Each server caches credentials; the other learns of the revocation through PostgreSQL within a second.
    await eventually(
      async () => (await call(second, 'GET', '/v2/currentOrg', { token: created.token })).status === 401,
      'the revocation to reach the other server',
      { timeoutMs: 1_000 },
    );
    expectError(await call(second, 'GET', '/v2/currentOrg', { token: created.token }), 401, 340018);
    await second.close();
    await first.close();
  });
});
