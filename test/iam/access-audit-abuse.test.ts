import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_FAILURES_PER_MINUTE } from '../../src/app.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { call, createToken, expectError, randomToken, startServer, type TestServer } from '../support/server.js';

describe('DevOps API access list', () => {
  let server: TestServer;
  // The test client is 127.0.0.1; trusting it as a proxy lets each request claim an address.
  const from = (address: string) => ({ 'x-forwarded-for': address });
  beforeAll(async () => {
    server = await startServer({ trustedProxies: ['127.0.0.1'] });
  });
  afterAll(() => server.close());

  it('refuses, whatever the token, requests from outside an enabled list', async () => {
    const path = `/v2/organizations/${server.orgId}/devops-acl`;
    const empty = await call(server, 'GET', path, { token: server.adminToken });
    expect(empty.body).toEqual({ organizationId: server.orgId, enabled: false, addresses: [] });

    const added = await call(server, 'POST', path, {
      token: server.adminToken,
      headers: from('10.1.2.3'),
      body: [
        { address: '10.0.0.0/8', description: 'office', enabled: true },
        { address: '2001:db8::/32', description: 'v6', enabled: true },
        { address: '192.0.2.7', description: 'off', enabled: false },
      ],
    });
    expect(added.status).toBe(200);
    expect(added.body.enabled).toBe(true);
    expect(added.body.addresses.map((a: { address: string }) => a.address)).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      '2001:db8::/32',
    ]);

    expect(
      (await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken, headers: from('10.200.0.1') })).status,
    ).toBe(200);
    expect(
      (await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken, headers: from('2001:db8::5') })).status,
    ).toBe(200);
    expectError(
      await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken, headers: from('203.0.113.9') }),
      403,
      2000009,
    );
    expectError(
      await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken, headers: from('192.0.2.7') }),
      403,
      2000009,
    );

    const replaced = await call(server, 'PUT', path, { token: server.adminToken, headers: from('10.1.2.3'), body: [] });
    expect(replaced.body.enabled).toBe(false);
    expect(
      (await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken, headers: from('203.0.113.9') })).status,
    ).toBe(200);
  });

  it.each(['10.0.0.0/33', '300.1.1.1', 'example.com', '10.0.0.1/8/1', '::1/129', ''])(
    'rejects the address %j with 400',
    async (address) => {
      const response = await call(server, 'POST', `/v2/organizations/${server.orgId}/devops-acl`, {
        token: server.adminToken,
        body: [{ address, description: '', enabled: true }],
      });
      expectError(response, 400);
    },
  );

  it("treats another organization's list as absent", async () => {
    expectError(
      await call(server, 'GET', '/v2/organizations/5f0c9a44-0000-4000-8000-000000000000/devops-acl', {
        token: server.adminToken,
      }),
      404,
    );
  });
});

describe('audit log', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('records each change with who, what, where and the result, and never a secret', async () => {
    const token = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID], { description: 'audited' });
    const role = await call(server, 'POST', '/v2/organizations/roles', {
      token: token.token,
      body: {
        name: 'Audited',
        policy: { description: '', effect: 'allow', resources: ['drn:astra:org:__ORG_ID__'], actions: ['org-read'] },
      },
    });
    const user = await call(server, 'PUT', '/v2/organizations/users', {
      token: server.adminToken,
      body: { email: 'audit@example.com', roles: [role.body.ID] },
    });
    await call(server, 'POST', `/v2/organizations/${server.orgId}/devops-acl`, {
      token: server.adminToken,
      body: [{ address: '127.0.0.1', description: 'me', enabled: true }],
    });
    const reader = await createToken(server, [role.body.ID]);
    await call(server, 'DELETE', `/v2/tokens/${token.clientId}`, { token: reader.token });
    await call(server, 'DELETE', `/v2/tokens/${reader.clientId}`, { token: server.adminToken });

    const log = await call(server, 'GET', '/v2/organizations/audit-events?limit=100', { token: server.adminToken });
    expect(log.status).toBe(200);
    const actions = log.body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'GENERATE_TOKEN',
        'CREATE_ROLE',
        'INVITE_USER',
        'ADD_DEVOPS_ACCESS_LIST_ENTRIES',
        'REVOKE_TOKEN',
        'org-token-write',
      ]),
    );
    const created = log.body.events.find((e: { action: string; resource: string }) => e.action === 'CREATE_ROLE');
    expect(created).toMatchObject({
      actor: token.clientId,
      resource: role.body.ID,
      address: '127.0.0.1',
      result: 'success',
      time: expect.any(String),
    });
    const denied = log.body.events.find((e: { result: string }) => e.result === 'denied');
    expect(denied).toMatchObject({ actor: reader.clientId, action: 'org-token-write' });
    expect(log.body.events.find((e: { action: string }) => e.action === 'INVITE_USER').resource).toBe(user.body.UserID);

    for (const secret of [token.secret, token.token, reader.secret, reader.token, server.adminToken]) {
      expect(log.text).not.toContain(secret);
      expect(server.logs.join('\n')).not.toContain(secret);
    }
  });

  it('filters and pages', async () => {
    const page1 = await call(server, 'GET', '/v2/organizations/audit-events?limit=2', { token: server.adminToken });
    expect(page1.body.events).toHaveLength(2);
    const page2 = await call(
      server,
      'GET',
      `/v2/organizations/audit-events?limit=2&before=${encodeURIComponent(page1.body.nextBefore)}`,
      { token: server.adminToken },
    );
    expect(page2.body.events[0].id < page1.body.events[1].id).toBe(true);
    const filtered = await call(server, 'GET', '/v2/organizations/audit-events?action=CREATE_ROLE', {
      token: server.adminToken,
    });
    expect(filtered.body.events.every((e: { action: string }) => e.action === 'CREATE_ROLE')).toBe(true);
    expect(filtered.body.events.length).toBeGreaterThan(0);
    expectError(await call(server, 'GET', '/v2/organizations/audit-events?limit=0', { token: server.adminToken }), 400);
    expectError(
      await call(server, 'GET', '/v2/organizations/audit-events?since=yesterday', { token: server.adminToken }),
      400,
    );
  });
});

describe('failed authentication', () => {
  it('is limited per source address with 429 and Retry-After, and never refuses a verified credential', async () => {
    const server = await startServer({ trustedProxies: ['127.0.0.1'] });
    const attacker = { 'x-forwarded-for': '198.51.100.1' };
    for (let i = 0; i < AUTH_FAILURES_PER_MINUTE; i++) {
      expectError(await call(server, 'GET', '/v2/currentOrg', { token: randomToken(), headers: attacker }), 401);
    }
    const limited = await call(server, 'GET', '/v2/currentOrg', { token: randomToken(), headers: attacker });
    expectError(limited, 429, 2000010);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expectError(
      await call(server, 'POST', '/v2/authenticateServiceAccount', {
        headers: attacker,
        body: { clientName: 'a', clientId: 'b', clientSecret: 'c' },
      }),
      429,
    );
    // A working client behind the same address is not refused for the guesses made beside it.
    expect((await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken, headers: attacker })).status).toBe(
      200,
    );
    expect(
      (
        await call(server, 'GET', '/v2/currentOrg', {
          token: randomToken(),
          headers: { 'x-forwarded-for': '198.51.100.2' },
        })
      ).status,
    ).toBe(401);

    server.clock.advance(60_000);
    expectError(await call(server, 'GET', '/v2/currentOrg', { token: randomToken(), headers: attacker }), 401);
    await server.close();
  });

  it('does not count requests without a credential, and counts IPv6 callers per /64', async () => {
    const server = await startServer({ trustedProxies: ['127.0.0.1'] });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    for (let i = 0; i <= AUTH_FAILURES_PER_MINUTE; i++)
      expectError(await call(server, 'GET', '/v2/currentOrg', { headers: from('198.51.100.9') }), 401);
    expectError(
      await call(server, 'GET', '/v2/currentOrg', { token: randomToken(), headers: from('198.51.100.9') }),
      401,
    );

    for (let i = 1; i <= AUTH_FAILURES_PER_MINUTE; i++) {
      expectError(
        await call(server, 'GET', '/v2/currentOrg', {
          token: randomToken(),
          headers: from(`2001:db8:5:6::${i.toString(16)}`),
        }),
        401,
      );
    }
    expectError(
      await call(server, 'GET', '/v2/currentOrg', { token: randomToken(), headers: from('2001:db8:5:6:ffff::1') }),
      429,
    );
    expectError(
      await call(server, 'GET', '/v2/currentOrg', { token: randomToken(), headers: from('2001:db8:5:7::1') }),
      401,
    );
    expect(
      (await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken, headers: from('2001:db8:5:6::1') }))
        .status,
    ).toBe(200);
    await server.close();
  });
});
