import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_ROLES,
  ENTERPRISE_ADMINISTRATOR_ID,
  ENTERPRISE_ROLES,
  ORGANIZATION_ADMINISTRATOR_ID,
} from '../../src/iam/builtin-roles.js';
import { addOrganization, call, createToken, expectError, startServer, type TestServer } from '../support/server.js';

const RO_USER = BUILTIN_ROLES.find((r) => r.name === 'RO User')!.id;
const ENTERPRISE_READ_ONLY = ENTERPRISE_ROLES[1]!.id;

describe('enterprises', () => {
  let server: TestServer;
  let enterprise: { token: string; clientId: string };
  let member: { orgId: string; token: string };

  beforeAll(async () => {
    server = await startServer({ trustedProxies: ['127.0.0.1'] });
    enterprise = await createToken(server, [ENTERPRISE_ADMINISTRATOR_ID], { description: 'enterprise admin' });
    const admin = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'owner@example.com', roles: [ORGANIZATION_ADMINISTRATOR_ID] },
    });
    const created = await call(server, 'POST', '/v2/enterprises/organizations', {
      token: enterprise.token,
      body: { name: 'Member Org', email: 'billing@example.com', adminUserID: admin.body.UserID },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      OrganizationName: 'Member Org',
      OrganizationEmail: 'billing@example.com',
      OrgType: 'enterprise',
      MarketplaceData: null,
    });
    member = { orgId: created.body.OrganizationID, token: '' };
  });
  afterAll(() => server.close());

  it('lists enterprise roles to an enterprise token and organization roles to an organization token', async () => {
    const asEnterprise = await call(server, 'GET', '/v2/organizations/roles', { token: enterprise.token });
    expect(asEnterprise.body.map((r: { ID: string }) => r.ID).sort()).toEqual(ENTERPRISE_ROLES.map((r) => r.id).sort());
    const asOrg = await call(server, 'GET', '/v2/organizations/roles', { token: server.adminToken });
    expect(asOrg.body.some((r: { ID: string }) => r.ID === ENTERPRISE_ADMINISTRATOR_ID)).toBe(false);
  });

  it("creates a token in a member organization with only that organization's roles", async () => {
    const made = await call(server, 'POST', '/v2/tokens', {
      token: enterprise.token,
      body: { orgId: member.orgId, roles: [ORGANIZATION_ADMINISTRATOR_ID], description: 'member admin' },
    });
    expect(made.status).toBe(200);
    expect(made.body.orgId).toBe(member.orgId);
    expect((await call(server, 'GET', '/v2/currentOrg', { token: made.body.token })).body.id).toBe(member.orgId);
    expect((await call(server, 'GET', '/v2/organizations/users', { token: made.body.token })).body.Users).toEqual([
      expect.objectContaining({ Email: 'owner@example.com', Status: 'active' }),
    ]);

    expectError(
      await call(server, 'POST', '/v2/tokens', {
        token: enterprise.token,
        body: { orgId: member.orgId, roles: [ENTERPRISE_ADMINISTRATOR_ID] },
      }),
      400,
    );
    const outsider = await addOrganization(server, 'Not in the enterprise');
    expectError(
      await call(server, 'POST', '/v2/tokens', {
        token: enterprise.token,
        body: { orgId: outsider.orgId, roles: [RO_USER] },
      }),
      404,
    );
  });

  it('keeps enterprise tokens apart from organization tokens', async () => {
    const readOnly = await call(server, 'POST', '/v2/tokens', {
      token: enterprise.token,
      body: { roles: [ENTERPRISE_READ_ONLY] },
    });
    expect(readOnly.status).toBe(200);
    const enterpriseList = await call(server, 'GET', '/v2/tokens', { token: enterprise.token });
    const ids = enterpriseList.body.clients.map((c: { clientId: string }) => c.clientId);
    expect(ids).toEqual(expect.arrayContaining([enterprise.clientId, readOnly.body.clientId]));
    expect(ids).not.toContain(server.adminToken.split(':')[1]);

    const orgList = await call(server, 'GET', '/v2/clientIdSecrets', { token: server.adminToken });
    expect(orgList.text).not.toContain(enterprise.clientId);
    expect((await call(server, 'GET', '/v2/clientIdSecrets', { token: enterprise.token })).body.clients).toEqual([]);
    expectError(
      await call(server, 'DELETE', `/v2/clientIdSecrets/${readOnly.body.clientId}`, { token: server.adminToken }),
      404,
    );
    expectError(
      await call(server, 'DELETE', `/v2/clientIdSecrets/${readOnly.body.clientId}`, { token: enterprise.token }),
      404,
    );

    expectError(
      await call(server, 'POST', '/v2/tokens', { token: readOnly.body.token, body: { roles: [ENTERPRISE_READ_ONLY] } }),
      403,
    );
    expect(
      (await call(server, 'DELETE', `/v2/tokens/${readOnly.body.clientId}`, { token: enterprise.token })).status,
    ).toBe(200);
    expectError(await call(server, 'GET', '/v2/tokens', { token: readOnly.body.token }), 401);
  });

  it('gives an enterprise token no say over organization data', async () => {
    expectError(await call(server, 'GET', '/v2/organizations/users', { token: enterprise.token }), 403);
    expectError(
      await call(server, 'POST', '/v2/organizations/roles', {
        token: enterprise.token,
        body: {
          name: 'x',
          policy: { description: '', effect: 'allow', resources: ['drn:astra:org:__ORG_ID__'], actions: ['org-read'] },
        },
      }),
      403,
    );
  });

  it('lets only administrators of the primary organization make enterprise tokens', async () => {
    const dbAdmin = await createToken(server, [BUILTIN_ROLES.find((r) => r.name === 'Database Administrator')!.id]);
    expectError(
      await call(server, 'POST', '/v2/tokens', { token: dbAdmin.token, body: { roles: [ENTERPRISE_READ_ONLY] } }),
      403,
    );
    const outsider = await addOrganization(server, 'Standalone');
    expectError(
      await call(server, 'POST', '/v2/tokens', { token: outsider.token, body: { roles: [ENTERPRISE_READ_ONLY] } }),
      403,
    );
    expectError(
      await call(server, 'POST', '/v2/enterprises/organizations', {
        token: server.adminToken,
        body: { name: 'n', email: 'a@example.com', adminUserID: 'x' },
      }),
      403,
    );
  });

  it('mints enterprise roles only for callers holding their permissions', async () => {
    const orgWriter = await call(server, 'POST', '/v2/organizations/roles', {
      token: server.adminToken,
      body: {
        name: 'Org writer',
        policy: {
          description: '',
          effect: 'allow',
          resources: ['drn:astra:org:__ORG_ID__'],
          actions: ['org-write', 'org-token-write', 'org-token-read', 'org-role-read'],
        },
      },
    });
    const writer = await createToken(server, [orgWriter.body.ID]);
    expectError(
      await call(server, 'POST', '/v2/tokens', { token: writer.token, body: { roles: [ENTERPRISE_ADMINISTRATOR_ID] } }),
      403,
    );
    expectError(
      await call(server, 'POST', '/v2/tokens', { token: writer.token, body: { roles: [ENTERPRISE_READ_ONLY] } }),
      403,
    );
    expect(
      (await call(server, 'POST', '/v2/tokens', { token: server.adminToken, body: { roles: [ENTERPRISE_READ_ONLY] } }))
        .status,
    ).toBe(200);
  });

  it("applies a member organization's access list and audit log to the tokens an enterprise token mints into it", async () => {
    const memberAdmin = await call(server, 'POST', '/v2/tokens', {
      token: enterprise.token,
      body: { orgId: member.orgId, roles: [ORGANIZATION_ADMINISTRATOR_ID] },
    });
    const office = { 'x-forwarded-for': '10.1.2.3' };
    const elsewhere = { 'x-forwarded-for': '192.0.2.1' };
    const acl = `/v2/organizations/${member.orgId}/devops-acl`;
    expect(
      (
        await call(server, 'PUT', acl, {
          token: memberAdmin.body.token,
          headers: office,
          body: [{ address: '10.0.0.0/8' }],
        })
      ).status,
    ).toBe(200);
    try {
      expectError(
        await call(server, 'POST', '/v2/tokens', {
          token: enterprise.token,
          headers: elsewhere,
          body: { orgId: member.orgId, roles: [RO_USER] },
        }),
        403,
        2000009,
      );
      const minted = await call(server, 'POST', '/v2/tokens', {
        token: enterprise.token,
        headers: office,
        body: { orgId: member.orgId, roles: [RO_USER] },
      });
      expect(minted.status).toBe(200);
      expectError(
        await call(server, 'GET', '/v2/currentOrg', { token: minted.body.token, headers: elsewhere }),
        403,
        2000009,
      );

      const log = await call(server, 'GET', '/v2/organizations/audit-events?action=GENERATE_TOKEN', {
        token: memberAdmin.body.token,
        headers: office,
      });
      expect(log.body.events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actor: enterprise.clientId,
            resource: minted.body.clientId,
            address: '10.1.2.3',
            result: 'success',
          }),
        ]),
      );
    } finally {
      await call(server, 'PUT', acl, { token: memberAdmin.body.token, headers: office, body: [] });
    }
  });

  it("lets an organization's administrators list and revoke the enterprise tokens that can act on it", async () => {
    const extra = await call(server, 'POST', '/v2/tokens', {
      token: enterprise.token,
      body: { roles: [ENTERPRISE_READ_ONLY], description: 'to revoke' },
    });
    const memberAdmin = (
      await call(server, 'POST', '/v2/tokens', {
        token: enterprise.token,
        body: { orgId: member.orgId, roles: [ORGANIZATION_ADMINISTRATOR_ID] },
      })
    ).body;
    const memberDbAdmin = (
      await call(server, 'POST', '/v2/tokens', {
        token: enterprise.token,
        body: { orgId: member.orgId, roles: [BUILTIN_ROLES.find((r) => r.name === 'Database Administrator')!.id] },
      })
    ).body;

    for (const token of [memberAdmin.token, server.adminToken]) {
      const listed = await call(server, 'GET', '/v2/organizations/enterprise-tokens', { token });
      expect(listed.status).toBe(200);
      expect(listed.body.clients.map((c: { clientId: string }) => c.clientId)).toEqual(
        expect.arrayContaining([enterprise.clientId, extra.body.clientId]),
      );
    }
    expectError(
      await call(server, 'DELETE', `/v2/organizations/enterprise-tokens/${extra.body.clientId}`, {
        token: memberDbAdmin.token,
      }),
      403,
    );
    expect(
      (
        await call(server, 'DELETE', `/v2/organizations/enterprise-tokens/${extra.body.clientId}`, {
          token: memberAdmin.token,
        })
      ).status,
    ).toBe(200);
    expectError(await call(server, 'GET', '/v2/tokens', { token: extra.body.token }), 401);

    const outsider = await addOrganization(server, 'Outside any enterprise');
    expect(
      (await call(server, 'GET', '/v2/organizations/enterprise-tokens', { token: outsider.token })).body.clients,
    ).toEqual([]);
    expectError(
      await call(server, 'DELETE', `/v2/organizations/enterprise-tokens/${enterprise.clientId}`, {
        token: outsider.token,
      }),
      404,
    );
  });

  it('rejects a malformed organization request', async () => {
    expectError(
      await call(server, 'POST', '/v2/enterprises/organizations', {
        token: enterprise.token,
        body: { name: 'n', email: 'nope', adminUserID: 'x' },
      }),
      400,
    );
    expectError(
      await call(server, 'POST', '/v2/enterprises/organizations', {
        token: enterprise.token,
        body: { name: 'n', email: 'a@example.com', adminUserID: 'unknown' },
      }),
      400,
    );
    expectError(
      await call(server, 'POST', '/v2/enterprises/organizations', { token: enterprise.token, body: { name: 'n' } }),
      400,
    );
  });
});
