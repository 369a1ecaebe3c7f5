import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../src/iam/builtin-roles.js';
import { call, createToken, expectError, startServer, settle, type TestServer } from '../support/server.js';

const GO_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \+0000 UTC$/;

describe('database access lists', () => {
  let server: TestServer;
  let token: string;
  let id: string;
  const list = () => call(server, 'GET', `/v2/databases/${id}/access-list`, { token });

  beforeAll(async () => {
    server = await startServer();
    token = server.adminToken;
    id = (
      await call(server, 'POST', '/v2/databases', {
        token,
        body: { name: 'guarded', cloudProvider: 'GCP', region: 'us-east1' },
      })
    ).headers.get('location')!;
    await settle(server, token, id, 'ACTIVE');
  });
  afterAll(() => server.close());

  it('starts empty and disabled, and round-trips entries with validation', async () => {
    expect((await list()).body).toEqual({
      organizationId: server.orgId,
      databaseId: id,
      addresses: [],
      configurations: { accessListEnabled: false },
    });

    const added = await call(server, 'POST', `/v2/databases/${id}/access-list`, {
      token,
      body: [
        { address: '137.187.23.0/24', enabled: true, description: 'office' },
        { address: '2001:DB8::/32', enabled: false, description: 'v6 lab' },
        { address: '198.51.100.7', enabled: true, description: 'ci runner' },
      ],
    });
    expect(added.status).toBe(204);
    const after = (await list()).body;
    expect(after.configurations).toEqual({ accessListEnabled: true });
    expect(
      after.addresses.map((a: { address: string; enabled: boolean; description: string }) => [
        a.address,
        a.enabled,
        a.description,
      ]),
    ).toEqual([
      ['137.187.23.0/24', true, 'office'],
      ['198.51.100.7', true, 'ci runner'],
      ['2001:db8::/32', false, 'v6 lab'],
    ]);
    expect(after.addresses[0].lastUpdateDateTime).toMatch(GO_TIME);

    for (const address of ['300.1.1.1', '10.0.0.0/33', 'example.com', '10.0.0.1/8/1', '', '::g']) {
      expectError(
        await call(server, 'POST', `/v2/databases/${id}/access-list`, {
          token,
          body: [{ address, enabled: true, description: '' }],
        }),
        400,
      );
    }
    expect((await list()).body.addresses).toHaveLength(3);
  });

  it('patches only what is given, replaces with PUT and deletes some or all entries', async () => {
    const patch = await call(server, 'PATCH', `/v2/databases/${id}/access-list`, {
      token,
      body: {
        addresses: [{ address: '198.51.100.7', enabled: false, description: 'ci runner, paused' }],
        configurations: { accessListEnabled: false },
      },
    });
    expect(patch.status).toBe(204);
    let body = (await list()).body;
    expect(body.configurations.accessListEnabled).toBe(false);
    expect(body.addresses).toHaveLength(3);
    expect(body.addresses.find((a: { address: string }) => a.address === '198.51.100.7')).toMatchObject({
      enabled: false,
      description: 'ci runner, paused',
    });

    const put = await call(server, 'PUT', `/v2/databases/${id}/access-list`, {
      token,
      body: {
        addresses: [
          { address: '203.0.113.0/24', enabled: true, description: 'only this' },
          { address: '192.0.2.1', enabled: true, description: '' },
        ],
        configurations: { accessListEnabled: true },
      },
    });
    expect(put.status).toBe(204);
    body = (await list()).body;
    expect(body.addresses.map((a: { address: string }) => a.address)).toEqual(['192.0.2.1', '203.0.113.0/24']);
    expect(body.configurations.accessListEnabled).toBe(true);

    expect(
      (await call(server, 'DELETE', `/v2/databases/${id}/access-list?addresses=192.0.2.1`, { token })).status,
    ).toBe(204);
    expect((await list()).body.addresses.map((a: { address: string }) => a.address)).toEqual(['203.0.113.0/24']);

    const all = await call(server, 'GET', '/v2/access-lists', { token });
    expect(all.body.map((l: { databaseId: string }) => l.databaseId)).toEqual([id]);

    expect((await call(server, 'DELETE', `/v2/databases/${id}/access-list`, { token })).status).toBe(204);
    expect((await list()).body).toMatchObject({ addresses: [], configurations: { accessListEnabled: false } });
    expect((await call(server, 'GET', '/v2/access-lists', { token })).body).toEqual([]);

    const audit = await call(server, 'GET', '/v2/organizations/audit-events', { token });
    for (const action of [
      'ADD_ACCESS_LIST_ADDRESSES',
      'UPDATE_ACCESS_LIST',
      'REPLACE_ACCESS_LIST',
      'DELETE_ACCESS_LIST',
    ])
      expect(audit.text).toContain(action);
  });

  it('answers 404 for an unknown database and checks lists without saving them', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectError(await call(server, 'GET', `/v2/databases/${unknown}/access-list`, { token }), 404);
    expectError(
      await call(server, 'POST', `/v2/databases/${unknown}/access-list`, {
        token,
        body: [{ address: '10.0.0.1', enabled: true, description: '' }],
      }),
      404,
    );

    const checked = await call(server, 'POST', '/v2/access-list/validate', {
      token,
      body: { addresses: [{ address: '10.0.0.0/8' }, { address: 'nope' }] },
    });
    expect(checked.body).toEqual({ valid: false, validationFailures: [expect.stringContaining('nope')] });
    const template = await call(server, 'GET', '/v2/access-list/template', { token });
    expect(template.body.configurations.accessListEnabled).toBe(true);
    expect((await call(server, 'POST', '/v2/access-list/validate', { token, body: template.body })).body.valid).toBe(
      true,
    );
  });

  it('lets a read-only role read lists but not change them', async () => {
    const reader = await createToken(server, [BUILTIN_ROLES.find((r) => r.name === 'RO User')!.id]);
    expect((await call(server, 'GET', `/v2/databases/${id}/access-list`, { token: reader.token })).status).toBe(200);
    expectError(
      await call(server, 'POST', `/v2/databases/${id}/access-list`, {
        token: reader.token,
        body: [{ address: '10.0.0.1', enabled: true, description: '' }],
      }),
      403,
    );
  });
});
