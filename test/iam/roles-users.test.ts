import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { call, createToken, expectError, startServer, type TestServer } from '../support/server.js';

const RO_USER = BUILTIN_ROLES.find((r) => r.name === 'RO User')!.id;

describe('roles', () => {
  let server: TestServer;
  let policy: (actions: string[], resources?: string[]) => object;
  beforeAll(async () => {
    server = await startServer();
    policy = (actions, resources = [`drn:astra:org:${server.orgId}`]) => ({
      description: 'test',
      effect: 'allow',
      resources,
      actions,
    });
  });
  afterAll(() => server.close());

  it("lists Astra's 16 built-in roles and Orrery's Data Gateway role with the casing real responses use", async () => {
    const response = await call(server, 'GET', '/v2/organizations/roles', { token: server.adminToken });
    expect(response.status).toBe(200);
    const builtIn = response.body.filter((r: { ID: string }) => BUILTIN_ROLES.some((b) => b.id === r.ID));
    expect(builtIn).toHaveLength(17);
    const admin = response.body.find((r: { ID: string }) => r.ID === ORGANIZATION_ADMINISTRATOR_ID);
    expect(admin.Name).toBe('Organization Administrator');
    expect(admin.Policy.resources).toContain('drn:astra:org:__ORG_ID__:db:*');
    expect(admin.Policy.actions).toEqual(expect.arrayContaining(['org-token-write', 'db-cql', 'accesslist-write']));
  });

  it('keeps built-in roles immutable', async () => {
    const body = { name: 'x', policy: policy(['org-read']) };
    expectError(
      await call(server, 'PUT', `/v2/organizations/roles/${ORGANIZATION_ADMINISTRATOR_ID}`, {
        token: server.adminToken,
        body,
      }),
      403,
    );
    expectError(
      await call(server, 'DELETE', `/v2/organizations/roles/${ORGANIZATION_ADMINISTRATOR_ID}`, {
        token: server.adminToken,
      }),
      403,
    );
  });

  it('creates, reads, changes and deletes a custom role; changes reach tokens on their next request', async () => {
    const created = await call(server, 'POST', '/v2/organizations/roles', {
      token: server.adminToken,
      body: { name: 'Readers', policy: policy(['org-read']) },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      Name: 'Readers',
      OrgID: server.orgId,
      Policy: { effect: 'allow', actions: ['org-read'] },
    });
    const id = created.body.ID as string;
    expect((await call(server, 'GET', `/v2/organizations/roles/${id}`, { token: server.adminToken })).body.Name).toBe(
      'Readers',
    );

    const holder = await createToken(server, [id]);
    expectError(await call(server, 'GET', '/v2/organizations/users', { token: holder.token }), 403);
    const changed = await call(server, 'PUT', `/v2/organizations/roles/${id}`, {
      token: server.adminToken,
      body: { Name: 'Readers', Policy: policy(['org-read', 'org-user-read']) },
    });
    expect(changed.status).toBe(200);
    expect((await call(server, 'GET', '/v2/organizations/users', { token: holder.token })).status).toBe(200);

    // Deleting a role someone still holds is refused; once the holder is gone it works.
    expectError(await call(server, 'DELETE', `/v2/organizations/roles/${id}`, { token: server.adminToken }), 409);
    await call(server, 'DELETE', `/v2/tokens/${holder.clientId}`, { token: server.adminToken });
    expect((await call(server, 'DELETE', `/v2/organizations/roles/${id}`, { token: server.adminToken })).status).toBe(
      204,
    );
    expectError(await call(server, 'GET', `/v2/organizations/roles/${id}`, { token: server.adminToken }), 404);
  });

  it('accepts real actions missing from the spec enum', async () => {
    const response = await call(server, 'POST', '/v2/organizations/roles', {
      token: server.adminToken,
      body: { name: 'Telemetry', policy: policy(['db-manage-telemetry', 'org-cmk-read']) },
    });
    expect(response.status).toBe(201);
  });

  it.each([
    [
      'a resource that is not a DRN',
      { name: 'a', policy: { description: '', effect: 'allow', resources: ['arn:aws:s3:::x'], actions: ['org-read'] } },
    ],
    [
      'a DRN of another organization',
      {
        name: 'b',
        policy: {
          description: '',
          effect: 'allow',
          resources: ['drn:astra:org:0bd4c0e0-0000-4000-8000-000000000000'],
          actions: ['org-read'],
        },
      },
    ],
    [
      'an effect other than allow',
      {
        name: 'c',
        policy: { description: '', effect: 'deny', resources: ['drn:astra:org:__ORG_ID__'], actions: ['org-read'] },
      },
    ],
    [
      'no actions',
      { name: 'd', policy: { description: '', effect: 'allow', resources: ['drn:astra:org:__ORG_ID__'], actions: [] } },
    ],
    [
      'no name',
      { policy: { description: '', effect: 'allow', resources: ['drn:astra:org:__ORG_ID__'], actions: ['org-read'] } },
    ],
    ['no body', undefined],
  ])('rejects %s with 400', async (_label, body) => {
    expectError(await call(server, 'POST', '/v2/organizations/roles', { token: server.adminToken, body }), 400);
  });

  it('refuses a duplicate role name with 409', async () => {
    const body = { name: 'Twice', policy: policy(['org-read']) };
    expect((await call(server, 'POST', '/v2/organizations/roles', { token: server.adminToken, body })).status).toBe(
      201,
    );
    expectError(await call(server, 'POST', '/v2/organizations/roles', { token: server.adminToken, body }), 409);
  });

  it('refuses to delete a role while a token or user holds exactly it, not a role whose id looks alike', async () => {
    // Role ids are chosen here so that each look-alike contains the target's id, extends it, differs only
    // where the target has a LIKE wildcard, or differs only in case.
    const target = 'look-alike_1';
    const lookAlikes = ['look-alike_1x', 'xlook-alike_1', 'look-alikeZ1', 'LOOK-ALIKE_1'];
    for (const id of [target, ...lookAlikes]) {
      const created = await call(server, 'POST', '/v2/organizations/roles', {
        token: server.adminToken,
        body: { name: `Look-alike ${id}`, policy: policy(['org-read']) },
      });
      await server.app.store.db.updateTable('roles').set({ id }).where('id', '=', created.body.ID).execute();
    }
    const deleteTarget = () =>
      call(server, 'DELETE', `/v2/organizations/roles/${target}`, { token: server.adminToken });

    await createToken(server, lookAlikes);
    const user = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'look-alike@example.com', roles: lookAlikes },
    });
    expect(user.status).toBe(200);
    const holder = await createToken(server, [target]);
    expectError(await deleteTarget(), 409);
    await call(server, 'DELETE', `/v2/tokens/${holder.clientId}`, { token: server.adminToken });
    await call(server, 'PUT', `/v2/organizations/users/${user.body.UserID}/roles`, {
      token: server.adminToken,
      body: { roles: [...lookAlikes, target] },
    });
    expectError(await deleteTarget(), 409);
    await call(server, 'PUT', `/v2/organizations/users/${user.body.UserID}/roles`, {
      token: server.adminToken,
      body: { roles: lookAlikes },
    });
    expect((await deleteTarget()).status).toBe(204);
    for (const id of lookAlikes)
      expect((await call(server, 'GET', `/v2/organizations/roles/${id}`, { token: server.adminToken })).status).toBe(
        200,
      );
  });
});

describe('users', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('invites, lists, reads, re-roles and removes a user', async () => {
    const invited = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'Ada@Example.com', OrgID: server.orgId, roles: [RO_USER] },
    });
    expect(invited.status).toBe(200);
    expect(invited.body).toMatchObject({
      Email: 'ada@example.com',
      Status: 'invited',
      Roles: [{ ID: RO_USER, Name: 'RO User' }],
    });
    const userId = invited.body.UserID as string;

    const listed = await call(server, 'GET', '/v2/organizations/users', { token: server.adminToken });
    expect(listed.body).toMatchObject({
      OrgID: server.orgId,
      OrgName: expect.any(String),
      Users: [{ UserID: userId, Email: 'ada@example.com' }],
    });

    expect(
      (
        await call(server, 'PUT', `/v2/organizations/users/${userId}/roles`, {
          token: server.adminToken,
          body: { roles: [ORGANIZATION_ADMINISTRATOR_ID] },
        })
      ).status,
    ).toBe(204);
    expect(
      (await call(server, 'GET', `/v2/organizations/users/${userId}`, { token: server.adminToken })).body.Roles[0].ID,
    ).toBe(ORGANIZATION_ADMINISTRATOR_ID);

    const again = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'ada@example.com', orgID: server.orgId, roles: [RO_USER] },
    });
    expect(again.body.UserID).toBe(userId);

    expect(
      (await call(server, 'DELETE', `/v2/organizations/users/${userId}`, { token: server.adminToken })).status,
    ).toBe(204);
    expectError(await call(server, 'GET', `/v2/organizations/users/${userId}`, { token: server.adminToken }), 404);
  });

  it.each([
    ['a malformed e-mail', { email: 'not-an-address', orgID: 'x', roles: [RO_USER] }, 400],
    ['an unknown role', { email: 'b@example.com', roles: ['nope'] }, 400],
    ['no roles', { email: 'b@example.com', roles: [] }, 400],
    [
      'another organization',
      { email: 'b@example.com', orgID: '9b1c2d3e-0000-4000-8000-000000000000', roles: [RO_USER] },
      403,
    ],
  ])('rejects an invitation with %s', async (_label, body: Record<string, unknown>, status) => {
    const sent = body.orgID === 'x' ? { ...body, orgID: server.orgId } : body;
    expectError(await call(server, 'PUT', '/v2/organizations/users', { token: server.adminToken, body: sent }), status);
  });
});
