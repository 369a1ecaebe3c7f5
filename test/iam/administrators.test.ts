import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_ROLES,
  ENTERPRISE_ADMINISTRATOR_ID,
  ORGANIZATION_ADMINISTRATOR_ID,
} from '../../src/iam/builtin-roles.js';
import { call, createToken, expectError, startServer, type TestServer } from '../support/server.js';
import { STORE } from '../support/stores.js';

const roleId = (name: string) => BUILTIN_ROLES.find((r) => r.name === name)!.id;

describe('nobody takes an organization away from its administrators', () => {
  let server: TestServer;
  const from = (address: string) => ({ 'x-forwarded-for': address });
  beforeAll(async () => {
    server = await startServer({ trustedProxies: ['127.0.0.1'] });
  });
  afterAll(() => server.close());

  it('lets a token revoke only tokens no stronger than itself', async () => {
    const dbAdmin = await createToken(server, [roleId('Database Administrator')]);
    const admin = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID]);
    const reader = await createToken(server, [roleId('RO User')]);
    expectError(await call(server, 'DELETE', `/v2/tokens/${admin.clientId}`, { token: dbAdmin.token }), 403);
    expectError(
      await call(server, 'DELETE', `/v2/clientIdSecrets/${server.adminToken.split(':')[1]}`, { token: dbAdmin.token }),
      403,
    );
    expect((await call(server, 'GET', '/v2/currentOrg', { token: admin.token })).status).toBe(200);
    expect((await call(server, 'DELETE', `/v2/tokens/${reader.clientId}`, { token: dbAdmin.token })).status).toBe(200);
    expect((await call(server, 'DELETE', `/v2/tokens/${admin.clientId}`, { token: server.adminToken })).status).toBe(
      200,
    );
  });

  it('keeps the last token holding Organization Administrator', async () => {
    const bootstrapId = server.adminToken.split(':')[1]!;
    expectError(await call(server, 'DELETE', `/v2/tokens/${bootstrapId}`, { token: server.adminToken }), 409);
    // An expired administrator token is no way in, so it does not count.
    const expiring = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID], {
      tokenExpiry: '2026-06-01T01:00:00Z',
    });
    server.clock.advance(2 * 3600_000);
    expectError(await call(server, 'DELETE', `/v2/tokens/${bootstrapId}`, { token: server.adminToken }), 409);
    expect((await call(server, 'DELETE', `/v2/tokens/${expiring.clientId}`, { token: server.adminToken })).status).toBe(
      200,
    );

    const second = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID]);
    expect((await call(server, 'DELETE', `/v2/tokens/${second.clientId}`, { token: second.token })).status).toBe(200);
    expect((await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken })).status).toBe(200);
  });

  it('keeps the last active user holding Organization Administrator, and lets no one change a stronger user', async () => {
    // A member organization of the enterprise starts with an active administrator user.
    const enterprise = await createToken(server, [ENTERPRISE_ADMINISTRATOR_ID]);
    const invited = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'owner@example.com', roles: [roleId('RO User')] },
    });
    const org = await call(server, 'POST', '/v2/enterprises/organizations', {
      token: enterprise.token,
      body: { name: 'Member', email: 'm@example.com', adminUserID: invited.body.UserID },
    });
    const orgId = org.body.OrganizationID as string;
    const mint = async (roles: string[]) =>
      (await call(server, 'POST', '/v2/tokens', { token: enterprise.token, body: { orgId, roles } })).body as {
        clientId: string;
        token: string;
      };
    const admin = await mint([ORGANIZATION_ADMINISTRATOR_ID]);
    const owner = (await call(server, 'GET', '/v2/organizations/users', { token: admin.token })).body.Users[0];
    expect(owner).toMatchObject({ Email: 'owner@example.com', Status: 'active' });

    // A custom role holding every permission of Organization Administrator, but not the role itself.
    const full = await call(server, 'POST', '/v2/organizations/roles', {
      token: admin.token,
      body: { name: 'Everything', policy: BUILTIN_ROLES.find((r) => r.id === ORGANIZATION_ADMINISTRATOR_ID)!.policy },
    });
    const strong = await createToken(server, [full.body.ID], {}, admin.token);
    const others = (await call(server, 'GET', '/v2/tokens', { token: admin.token })).body.clients.filter(
      (c: { clientId: string; roles: string[] }) => c.roles.includes(ORGANIZATION_ADMINISTRATOR_ID),
    );
    for (const token of others)
      expect((await call(server, 'DELETE', `/v2/tokens/${token.clientId}`, { token: strong.token })).status).toBe(200);
    expectError(await call(server, 'GET', '/v2/currentOrg', { token: admin.token }), 401);

    expectError(
      await call(server, 'PUT', `/v2/organizations/users/${owner.UserID}/roles`, {
        token: strong.token,
        body: { roles: [roleId('RO User')] },
      }),
      409,
    );
    expectError(await call(server, 'DELETE', `/v2/organizations/users/${owner.UserID}`, { token: strong.token }), 409);
    expect(
      (
        await call(server, 'PUT', `/v2/organizations/users/${owner.UserID}/roles`, {
          token: strong.token,
          body: { roles: [ORGANIZATION_ADMINISTRATOR_ID, roleId('RO User')] },
        })
      ).status,
    ).toBe(204);
  });

  it('lets an Admin User change or remove only users no stronger than itself', async () => {
    const adminUser = await createToken(server, [roleId('Admin User')]);
    const dba = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'dba@example.com', roles: [roleId('Database Administrator')] },
    });
    const billing = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'billing@example.com', roles: [roleId('Billing Admin')] },
    });
    expectError(
      await call(server, 'PUT', `/v2/organizations/users/${dba.body.UserID}/roles`, {
        token: adminUser.token,
        body: { roles: [roleId('RO User')] },
      }),
      403,
    );
    expectError(
      await call(server, 'DELETE', `/v2/organizations/users/${dba.body.UserID}`, { token: adminUser.token }),
      403,
    );
    expectError(
      await call(server, 'PUT', '/v2/organizations/users', {
        token: adminUser.token,
        body: { email: 'dba@example.com', roles: [roleId('RO User')] },
      }),
      403,
    );
    expect(
      (await call(server, 'GET', `/v2/organizations/users/${dba.body.UserID}`, { token: server.adminToken })).body
        .Roles[0].ID,
    ).toBe(roleId('Database Administrator'));
    expect(
      (
        await call(server, 'PUT', `/v2/organizations/users/${billing.body.UserID}/roles`, {
          token: adminUser.token,
          body: { roles: [roleId('Admin User')] },
        })
      ).status,
    ).toBe(204);
    expect(
      (await call(server, 'DELETE', `/v2/organizations/users/${billing.body.UserID}`, { token: adminUser.token }))
        .status,
    ).toBe(204);
  });

  it('takes an organization-level permission to change the DevOps API access list', async () => {
    const path = `/v2/organizations/${server.orgId}/devops-acl`;
    const dbAdmin = await createToken(server, [roleId('Database Administrator')]);
    expect((await call(server, 'GET', path, { token: dbAdmin.token })).status).toBe(200);
    expectError(await call(server, 'POST', path, { token: dbAdmin.token, body: [{ address: '127.0.0.1' }] }), 403);
    expectError(await call(server, 'PUT', path, { token: dbAdmin.token, body: [] }), 403);
  });

  it('refuses an access list that shuts out its own caller unless the request says so', async () => {
    const path = `/v2/organizations/${server.orgId}/devops-acl`;
    const office = from('10.1.2.3');
    expectError(
      await call(server, 'PUT', path, {
        token: server.adminToken,
        headers: office,
        body: [{ address: '192.0.2.0/24' }],
      }),
      409,
    );
    expectError(
      await call(server, 'POST', path, {
        token: server.adminToken,
        headers: office,
        body: [{ address: '192.0.2.0/24' }],
      }),
      409,
    );
    expect((await call(server, 'GET', path, { token: server.adminToken, headers: office })).body).toMatchObject({
      enabled: false,
      addresses: [],
    });

    const applied = await call(server, 'PUT', `${path}?allowSelfLockout=true`, {
      token: server.adminToken,
      headers: office,
      body: [{ address: '192.0.2.0/24' }],
    });
    expect(applied.status).toBe(200);
    expect(applied.body.enabled).toBe(true);
    expectError(
      await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken, headers: office }),
      403,
      2000009,
    );
    expect(
      (await call(server, 'PUT', path, { token: server.adminToken, headers: from('192.0.2.5'), body: [] })).body
        .enabled,
    ).toBe(false);
  });

  it('treats a list whose entries are all disabled as a disabled list', async () => {
    const path = `/v2/organizations/${server.orgId}/devops-acl`;
    const response = await call(server, 'PUT', path, {
      token: server.adminToken,
      headers: from('10.1.2.3'),
      body: [{ address: '127.0.0.1', enabled: false }],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ enabled: false, addresses: [{ address: '127.0.0.1', enabled: false }] });
    expect(
      (await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken, headers: from('203.0.113.9') })).status,
    ).toBe(200);
    expect(
      (
        await call(server, 'POST', path, {
          token: server.adminToken,
          headers: from('10.1.2.3'),
          body: [{ address: '10.0.0.0/8' }],
        })
      ).body.enabled,
    ).toBe(true);
    expect(
      (await call(server, 'PUT', path, { token: server.adminToken, headers: from('10.1.2.3'), body: [] })).body.enabled,
    ).toBe(false);
  });
});

describe.runIf(STORE === 'postgres')('the last administrator, on two servers sharing one PostgreSQL', () => {
  it('survives two administrators revoking each other at the same moment', async () => {
    const first = await startServer();
    const second = await startServer({ store: first.store, bootstrapToken: first.adminToken, clock: first.clock });
    try {
      for (let round = 0; round < 5; round++) {
        const a = await createToken(first, [ORGANIZATION_ADMINISTRATOR_ID], {}, first.adminToken);
        const b = await createToken(first, [ORGANIZATION_ADMINISTRATOR_ID], {}, first.adminToken);
        // Leave exactly two administrator tokens, then let each revoke the other through a different server.
        const others = (await call(first, 'GET', '/v2/tokens', { token: a.token })).body.clients.filter(
          (c: { clientId: string; roles: string[] }) =>
            c.roles.includes(ORGANIZATION_ADMINISTRATOR_ID) && ![a.clientId, b.clientId].includes(c.clientId),
        );
        for (const token of others)
          expect((await call(first, 'DELETE', `/v2/tokens/${token.clientId}`, { token: a.token })).status).toBe(200);
        await Promise.all([
          call(first, 'DELETE', `/v2/tokens/${b.clientId}`, { token: a.token }),
          call(second, 'DELETE', `/v2/tokens/${a.clientId}`, { token: b.token }),
        ]);
        const alive = [];
        for (const token of [a, b])
          if ((await call(first, 'GET', '/v2/currentOrg', { token: token.token })).status === 200) alive.push(token);
        expect(alive).toHaveLength(1);
        first.adminToken = alive[0]!.token;
      }
    } finally {
      await second.close();
      await first.close();
    }
  });
});
