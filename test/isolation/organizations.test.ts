import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_ROLES,
  ENTERPRISE_ADMINISTRATOR_ID,
  ORGANIZATION_ADMINISTRATOR_ID,
} from '../../src/iam/builtin-roles.js';
import { addOrganization, call, createToken, expectError, startServer, type TestServer } from '../support/server.js';

/**
 * Organization-wide resources seen from two organizations, A and B, and from an enterprise whose primary
 * organization is A and which has one member organization. Ids of the other side answer 404; lists hold
 * only the caller's own entries; settings written by one side are not read or changed by the other.
 */

const RO_USER = BUILTIN_ROLES.find((r) => r.name === 'RO User')!.id;
const KEY_A = 'arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-12ab-34cd-56ef-1234567890ab';
const KEY_B = 'arn:aws:kms:us-east-1:210987654321:key/bbbbbbbb-12ab-34cd-56ef-1234567890ab';

describe('isolation of organization resources', () => {
  let server: TestServer;
  let a: { orgId: string; token: string };
  let b: { orgId: string; token: string };
  let roleA: string;
  let userA: string;
  let tokenA: { clientId: string };
  let roleB: string;
  const as = (token: string) => ({ token });

  beforeAll(async () => {
    server = await startServer();
    a = { orgId: server.orgId, token: server.adminToken };
    b = await addOrganization(server, 'B');
    const role = (token: string, name: string) =>
      call(server, 'POST', '/v2/organizations/roles', {
        token,
        body: {
          name,
          policy: {
            description: name,
            effect: 'allow',
            resources: ['drn:astra:org:__ORG_ID__'],
            actions: ['org-read'],
          },
        },
      });
    roleA = (await role(a.token, 'role of A')).body.ID;
    roleB = (await role(b.token, 'role of B')).body.ID;
    userA = (
      await call(server, 'PUT', '/v2/organizations/users', {
        token: a.token,
        body: { email: 'only-a@example.com', roles: [RO_USER] },
      })
    ).body.UserID;
    tokenA = await createToken(server, [RO_USER], { description: 'token of A' });
    for (const [token, domain, key, orgId] of [
      [a.token, 'a.example.com', KEY_A, a.orgId],
      [b.token, 'b.example.com', KEY_B, b.orgId],
    ]) {
      expect((await call(server, 'POST', '/v2/organizations/customDomains', { token, body: [domain] })).status).toBe(
        200,
      );
      expect(
        (await call(server, 'POST', '/v2/kms', { token, body: { orgId, aws: { keyID: key, region: 'us-east-1' } } }))
          .status,
      ).toBe(200);
    }
  });
  afterAll(() => server.close());

  it('keeps custom domains per organization', async () => {
    expect((await call(server, 'GET', '/v2/organizations/customDomains', as(a.token))).body).toEqual(['a.example.com']);
    expect((await call(server, 'GET', '/v2/organizations/customDomains', as(b.token))).body).toEqual(['b.example.com']);
  });

  it('keeps customer keys per organization, and refuses to register one for another organization', async () => {
    expect((await call(server, 'GET', '/v2/kms', as(b.token))).body).toEqual([
      { OrganizationID: b.orgId, CloudProvider: 'aws', KeyID: KEY_B, Region: 'us-east-1' },
    ]);
    expect((await call(server, 'GET', '/v2/kms/provider/aws/region/us-east-1', as(b.token))).body).toEqual({
      orgId: b.orgId,
      aws: { keyID: KEY_B, region: 'us-east-1' },
    });
    expect((await call(server, 'GET', '/v2/kms/provider/aws/region/us-east-1/accounts', as(b.token))).body).toEqual([
      { organization_id: b.orgId, provider_id: expect.stringMatching(/^\d{12}$/), provider: 'aws' },
    ]);
    expectError(
      await call(server, 'POST', '/v2/kms', {
        token: b.token,
        body: { orgId: a.orgId, aws: { keyID: KEY_B, region: 'us-east-1' } },
      }),
      400,
    );
    expect((await call(server, 'GET', '/v2/kms', as(a.token))).body).toEqual([
      { OrganizationID: a.orgId, CloudProvider: 'aws', KeyID: KEY_A, Region: 'us-east-1' },
    ]);
  });

  it("answers 404 for the other organization's roles, users and tokens, and changes nothing", async () => {
    const notFound: [string, string, unknown?][] = [
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
      ['GET', `/v2/organizations/users/${userA}`],
      ['PUT', `/v2/organizations/users/${userA}/roles`, { roles: [roleB] }],
      ['DELETE', `/v2/organizations/users/${userA}`],
      ['DELETE', `/v2/tokens/${tokenA.clientId}`],
      ['DELETE', `/v2/clientIdSecrets/${tokenA.clientId}`],
      ['DELETE', `/v2/clientIdSecret/${tokenA.clientId}`],
      ['GET', `/v2/organizations/${a.orgId}/devops-acl`],
      ['POST', `/v2/organizations/${a.orgId}/devops-acl`, [{ address: '10.0.0.1' }]],
      ['PUT', `/v2/organizations/${a.orgId}/devops-acl`, [{ address: '10.0.0.1' }]],
    ];
    const wrong: string[] = [];
    for (const [method, path, body] of notFound) {
      const response = await call(server, method, path, { token: b.token, body });
      if (response.status !== 404) wrong.push(`${method} ${path} -> ${response.status}`);
    }
    expect(wrong).toEqual([]);
    expect((await call(server, 'GET', `/v2/organizations/roles/${roleA}`, as(a.token))).body.Name).toBe('role of A');
    expect(
      (await call(server, 'GET', `/v2/organizations/users/${userA}`, as(a.token))).body.Roles.map(
        (r: { ID: string }) => r.ID,
      ),
    ).toEqual([RO_USER]);
    expect((await call(server, 'GET', '/v2/tokens', as(a.token))).text).toContain(tokenA.clientId);
    expect((await call(server, 'GET', `/v2/organizations/${a.orgId}/devops-acl`, as(a.token))).body.enabled).toBe(
      false,
    );
  });

  it('refuses roles of another organization where a role is named', async () => {
    expectError(await call(server, 'POST', '/v2/tokens', { token: b.token, body: { roles: [roleA] } }), 400);
    expectError(
      await call(server, 'PUT', '/v2/organizations/users', {
        token: b.token,
        body: { email: 'x@example.com', roles: [roleA] },
      }),
      400,
    );
  });

  it("lists only the caller's own roles, users, tokens and audit entries", async () => {
    const roles = (await call(server, 'GET', '/v2/organizations/roles', as(b.token))).body.map(
      (r: { ID: string }) => r.ID,
    );
    expect(roles).toContain(roleB);
    expect(roles).not.toContain(roleA);
    expect((await call(server, 'GET', '/v2/organizations/users', as(b.token))).body.Users).toEqual([]);
    const clients = (await call(server, 'GET', '/v2/clientIdSecrets', as(b.token))).body.clients.map(
      (c: { clientId: string }) => c.clientId,
    );
    expect(clients).toEqual([b.token.split(':')[1]]);
    const audit = await call(server, 'GET', '/v2/organizations/audit-events?limit=100', as(b.token));
    expect(audit.status).toBe(200);
    for (const mark of [roleA, userA, tokenA.clientId, 'a.example.com', KEY_A]) expect(audit.text).not.toContain(mark);
    expect(audit.text).toContain(roleB);
  });

  describe('with an enterprise', () => {
    let enterprise: string;
    let member: string;
    let memberAdmin: string;

    beforeAll(async () => {
      enterprise = (await createToken(server, [ENTERPRISE_ADMINISTRATOR_ID], { description: 'enterprise' })).token;
      const owner = await call(server, 'PUT', '/v2/organizations/users', {
        token: a.token,
        body: { email: 'owner@example.com', roles: [ORGANIZATION_ADMINISTRATOR_ID] },
      });
      const created = await call(server, 'POST', '/v2/enterprises/organizations', {
        token: enterprise,
        body: { name: 'Member', email: 'member@example.com', adminUserID: owner.body.UserID },
      });
      expect(created.status).toBe(201);
      member = created.body.OrganizationID;
      memberAdmin = (
        await call(server, 'POST', '/v2/tokens', {
          token: enterprise,
          body: { orgId: member, roles: [ORGANIZATION_ADMINISTRATOR_ID] },
        })
      ).body.token;
    });

    it('makes tokens in member organizations only', async () => {
      expectError(
        await call(server, 'POST', '/v2/tokens', { token: enterprise, body: { orgId: b.orgId, roles: [RO_USER] } }),
        404,
      );
      expect((await call(server, 'GET', '/v2/clientIdSecrets', as(b.token))).body.clients).toHaveLength(1);
    });

    it('keeps a member organization apart from the primary one and from B', async () => {
      expect((await call(server, 'GET', '/v2/currentOrg', as(memberAdmin))).body.id).toBe(member);
      expectError(await call(server, 'GET', `/v2/organizations/roles/${roleA}`, as(memberAdmin)), 404);
      expectError(await call(server, 'GET', `/v2/organizations/users/${userA}`, as(memberAdmin)), 404);
      expectError(await call(server, 'DELETE', `/v2/tokens/${tokenA.clientId}`, as(memberAdmin)), 404);
      expect((await call(server, 'GET', '/v2/organizations/customDomains', as(memberAdmin))).body).toEqual([]);
      expect((await call(server, 'GET', '/v2/kms', as(memberAdmin))).body).toEqual([]);
      expect((await call(server, 'GET', '/v2/organizations/roles', as(memberAdmin))).text).not.toContain(roleA);
      const audit = await call(server, 'GET', '/v2/organizations/audit-events?limit=100', as(memberAdmin));
      for (const mark of [roleA, userA, tokenA.clientId, roleB]) expect(audit.text).not.toContain(mark);
      // And the primary organization's administrator does not see into the member.
      const memberClients = (await call(server, 'GET', '/v2/clientIdSecrets', as(memberAdmin))).body.clients.map(
        (c: { clientId: string }) => c.clientId,
      );
      expect((await call(server, 'GET', '/v2/clientIdSecrets', as(a.token))).text).not.toContain(memberClients[0]);
      expectError(await call(server, 'DELETE', `/v2/tokens/${memberClients[0]}`, as(b.token)), 404);
    });
  });
});
