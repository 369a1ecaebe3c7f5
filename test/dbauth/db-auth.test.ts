import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, DATA_GATEWAY_ID } from '../../src/iam/builtin-roles.js';
import { call, createToken, randomToken, startServer, settle, type TestServer } from '../support/server.js';

const run = promisify(execFile);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MINUTE = 60_000;
const roleId = (name: string) => BUILTIN_ROLES.find((r) => r.name === name)!.id;

/** curl, with the documented https host sent to Orrery over plain HTTP on 127.0.0.1 (the Host header is kept). */
async function curl(server: TestServer, args: string[]): Promise<{ status: number; body: any; headers: string }> {
  const port = new URL(server.url).port;
  const rewritten = args.map((a) => a.replace(/^https:\/\/([^/]+)/, (_m, host: string) => `http://${host}`));
  const url = rewritten.find((a) => a.startsWith('http://'))!;
  const host = new URL(url).hostname;
  const { stdout } = await run('curl', [
    '-sS',
    '-D',
    '-',
    '--connect-to',
    `${host}:80:127.0.0.1:${port}`,
    ...rewritten,
    '-w',
    '\n%{http_code}',
  ]);
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  const blank = lines.findIndex((l) => l.trim() === '');
  return {
    status,
    headers: lines.slice(0, blank).join('\n'),
    body: JSON.parse(lines.slice(blank + 1).join('\n') || 'null'),
  };
}

describe('the per-database auth API', () => {
  let server: TestServer;
  let databaseId: string;
  let classicId: string;
  let gateway: string;
  const authPath = (id: string, region = 'us-east1') => `/data/${id}-${region}/api/rest/v1/auth`;
  const login = (body: unknown, headers: Record<string, string> = {}, id = databaseId) =>
    call(server, 'POST', authPath(id), { body, headers });
  const authorize = (body: Record<string, unknown>) =>
    call(server, 'POST', '/v2/data-gateway/authorize', {
      token: gateway,
      body: { address: '127.0.0.1', databaseId, action: 'db-cql', ...body },
    });

  beforeAll(async () => {
    server = await startServer({ trustedProxies: ['127.0.0.1'] });
    const create = async (body: Record<string, unknown>) => {
      const id = (
        await call(server, 'POST', '/v2/databases', {
          token: server.adminToken,
          body: { cloudProvider: 'GCP', region: 'us-east1', ...body },
        })
      ).headers.get('location')!;
      await settle(server, server.adminToken, id, 'ACTIVE');
      return id;
    };
    databaseId = await create({ name: 'app' });
    classicId = await create({ name: 'classic', tier: 'C10', user: 'cassandra_admin', password: 'first-pass' });
    gateway = (await createToken(server, [DATA_GATEWAY_ID], { description: 'gateway' })).token;
  });
  afterAll(() => server.close());

  it('runs the documented curl commands (seeds 003 and 004) and the token is allowed what its roles grant', async () => {
    const reader = await createToken(server, [roleId('RO User')]);
    const seed003 = await curl(server, [
      '-L',
      '-X',
      'POST',
      `https://${databaseId}-us-east1.apps.astra.datastax.com/api/rest/v1/auth`,
      '-H',
      'Content-Type: application/json',
      '--data-raw',
      JSON.stringify({ username: reader.clientId, password: reader.secret }),
    ]);
    expect(seed003.status).toBe(201);
    expect(seed003.body.authToken).toMatch(UUID);
    expect(seed003.headers.toLowerCase()).toContain('cache-control: no-transform, max-age=1790, s-maxage=1790');

    expect(
      (
        await authorize({
          credential: seed003.body.authToken,
          action: 'db-table-select',
          keyspace: 'app',
          table: 'users',
        })
      ).body,
    ).toMatchObject({
      allowed: true,
      principal: { kind: 'token', clientId: reader.clientId, orgId: server.orgId },
    });
    const denied = await authorize({
      credential: seed003.body.authToken,
      action: 'db-table-modify',
      keyspace: 'app',
      table: 'users',
    });
    expect(denied.body).toMatchObject({ allowed: false, principal: { clientId: reader.clientId } });
    expect(denied.body.reason).toContain('db-table-modify');

    // Seed 004: the database user and password, by path on Orrery's own address, with a request id.
    const seed004 = await run('curl', [
      '-sS',
      '--request',
      'POST',
      '--url',
      `${server.url}${authPath(classicId)}`,
      '--header',
      'Content-Type: application/json',
      '--header',
      'x-cassandra-request-id: 5ee52d4e-4bd2-4d64-9a43-0d2b5d5a3fb1',
      '--data',
      '{"username":"cassandra_admin", "password":"first-pass"}',
    ]);
    const classicToken = JSON.parse(seed004.stdout).authToken;
    expect(classicToken).toMatch(UUID);
    const asUser = await authorize({
      databaseId: classicId,
      credential: classicToken,
      action: 'db-table-modify',
      keyspace: 'ks',
      table: 't',
    });
    expect(asUser.body).toMatchObject({
      allowed: true,
      principal: { kind: 'database-user', clientId: 'cassandra_admin' },
    });
    // The database user reaches its own database only.
    expect((await authorize({ credential: classicToken, action: 'db-cql' })).body.allowed).toBe(false);
    // A password reset ends the tokens made with the old password.
    server.clock.advance(1000);
    expect(
      (
        await call(server, 'POST', `/v2/databases/${classicId}/resetPassword`, {
          token: server.adminToken,
          body: { username: 'cassandra_admin', password: 'second-pass' },
        })
      ).status,
    ).toBe(202);
    expect((await authorize({ databaseId: classicId, credential: classicToken, action: 'db-cql' })).body.allowed).toBe(
      false,
    );
    expect((await login({ username: 'cassandra_admin', password: 'first-pass' }, {}, classicId)).status).toBe(401);
    const fresh = (await login({ username: 'cassandra_admin', password: 'second-pass' }, {}, classicId)).body.authToken;
    expect((await authorize({ databaseId: classicId, credential: fresh, action: 'db-cql' })).body.allowed).toBe(true);

    const audit = await call(server, 'GET', '/v2/organizations/audit-events', { token: server.adminToken });
    expect(audit.text).toContain('DATA_ACCESS_DENIED');
    // Neither the credentials nor the auth tokens made from them reach the logs or the audit log.
    for (const secret of [reader.secret, seed003.body.authToken, classicToken, 'first-pass']) {
      expect(server.logs.join('')).not.toContain(secret);
      expect(audit.text).not.toContain(secret);
    }
  });

  it('accepts token + AstraCS, key/secret and service-account JWTs, and answers errors as Stargate does', async () => {
    const writer = await createToken(server, [roleId('R/W User')], { description: 'writer@example.com' });
    expect((await login({ username: 'token', password: writer.token })).status).toBe(201);
    const generated = await call(server, 'POST', `${authPath(databaseId)}/token/generate`, {
      body: { key: writer.clientId, secret: writer.secret },
    });
    expect(generated.status).toBe(201);
    expect(
      (await authorize({ credential: writer.token, action: 'db-table-modify', keyspace: 'k', table: 't' })).body
        .allowed,
    ).toBe(true);
    const jwt = await call(server, 'POST', '/v2/authenticateServiceAccount', {
      body: { clientName: 'writer@example.com', clientId: writer.clientId, clientSecret: writer.secret },
    });
    expect((await authorize({ credential: jwt.body.token, action: 'db-rest' })).body.allowed).toBe(true);

    const cases: [unknown, number, string][] = [
      [undefined, 400, 'Must provide a body to the request'],
      [{ password: 'x' }, 400, 'Must provide username in request'],
      [{ username: 'someone', password: '' }, 400, 'Must provide password in request'],
      [
        { username: writer.clientId, password: 'wrong' },
        401,
        `Failed to create token: Provided username ${writer.clientId} and/or password are incorrect`,
      ],
    ];
    for (const [body, status, description] of cases) {
      const response = await login(body);
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ description });
      expect(response.headers.get('cache-control')).toBe('no-store, no-transform, max-age=0, s-maxage=0');
    }
    expect((await call(server, 'POST', `${authPath(databaseId)}/token/generate`, { body: { key: 'k' } })).body).toEqual(
      { description: 'Must provide secret in request' },
    );
    // A credential that grants nothing in the database gets no token for it.
    const billing = await createToken(server, [roleId('Billing Admin')]);
    expect((await login({ username: billing.clientId, password: billing.secret })).status).toBe(401);
  });

  it('refuses unknown endpoints, databases that do not serve, and gateways without the role', async () => {
    const admin = await createToken(server, [roleId('Organization Administrator')]);
    const unknown = await call(server, 'POST', authPath('00000000-0000-4000-8000-000000000000'), {
      body: { username: admin.clientId, password: admin.secret },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.description).toContain('00000000-0000-4000-8000-000000000000');
    expect(
      (
        await call(server, 'POST', authPath(databaseId, 'europe-west1'), {
          body: { username: admin.clientId, password: admin.secret },
        })
      ).status,
    ).toBe(404);

    const parked = (
      await call(server, 'POST', '/v2/databases', {
        token: server.adminToken,
        body: { name: 'parked', cloudProvider: 'GCP', region: 'us-east1', tier: 'C10' },
      })
    ).headers.get('location')!;
    await settle(server, server.adminToken, parked, 'ACTIVE');
    await call(server, 'POST', `/v2/databases/${parked}/park`, { token: server.adminToken });
    await settle(server, server.adminToken, parked, 'PARKED');
    expect((await login({ username: admin.clientId, password: admin.secret }, {}, parked)).status).toBe(503);
    expect((await authorize({ databaseId: parked, credential: admin.token })).body).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('PARKED'),
    });

    expect(
      (
        await call(server, 'POST', '/v2/data-gateway/authorize', {
          token: admin.token,
          body: { credential: admin.token, address: '127.0.0.1', databaseId, action: 'db-cql' },
        })
      ).status,
    ).toBe(200);
    const notGateway = await createToken(server, [roleId('R/W User')]);
    expect(
      (
        await call(server, 'POST', '/v2/data-gateway/authorize', {
          token: notGateway.token,
          body: { credential: admin.token, address: '127.0.0.1', databaseId, action: 'db-cql' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(server, 'POST', '/v2/data-gateway/authorize', {
          body: { credential: admin.token, address: '127.0.0.1', databaseId, action: 'db-cql' },
        })
      ).status,
    ).toBe(401);
    expect((await authorize({ credential: 'not-a-token' })).body).toMatchObject({ allowed: false, principal: null });
    expect((await authorize({ credential: admin.token, action: 'org-db-create' })).status).toBe(400);
    expect((await authorize({ credential: admin.token, address: 'somewhere' })).status).toBe(400);
  });

  it('enforces an enabled database access list on both endpoints', async () => {
    const admin = await createToken(server, [roleId('Organization Administrator')]);
    const from = (address: string) => ({ 'x-forwarded-for': address });
    await call(server, 'POST', `/v2/databases/${databaseId}/access-list`, {
      token: server.adminToken,
      body: [{ address: '203.0.113.0/24', enabled: true, description: 'office' }],
    });
    try {
      const outside = await login({ username: admin.clientId, password: admin.secret }, from('198.51.100.20'));
      expect(outside.status).toBe(403);
      expect(outside.body.description).toContain('198.51.100.20');
      expect((await login({ username: admin.clientId, password: admin.secret }, from('203.0.113.9'))).status).toBe(201);
      expect((await authorize({ credential: admin.token, address: '198.51.100.20' })).body.allowed).toBe(false);
      expect((await authorize({ credential: admin.token, address: '203.0.113.9' })).body.allowed).toBe(true);

      await call(server, 'PATCH', `/v2/databases/${databaseId}/access-list`, {
        token: server.adminToken,
        body: { configurations: { accessListEnabled: false } },
      });
      expect((await login({ username: admin.clientId, password: admin.secret }, from('198.51.100.20'))).status).toBe(
        201,
      );
    } finally {
      await call(server, 'DELETE', `/v2/databases/${databaseId}/access-list`, { token: server.adminToken });
    }
  });

  it('limits failed logins per username and address, so that a guesser limits only itself', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const victim = await createToken(server, [roleId('R/W User')]);

    // Everyone logs in with the username `token`: ten bad tokens from one address limit that address alone.
    for (let i = 0; i < 10; i++)
      expect((await login({ username: 'token', password: randomToken() }, from('192.0.2.66'))).status).toBe(401);
    expect((await login({ username: 'token', password: randomToken() }, from('192.0.2.66'))).status).toBe(429);
    expect((await login({ username: 'token', password: victim.token }, from('192.0.2.1'))).status).toBe(201);

    // Guessing a known clientId from one address does not refuse its owner elsewhere.
    for (let i = 0; i < 10; i++)
      expect((await login({ username: victim.clientId, password: `guess-${i}` }, from('198.51.100.7'))).status).toBe(
        401,
      );
    const limited = await login({ username: victim.clientId, password: victim.secret }, from('198.51.100.7'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toEqual({ description: expect.any(String) });
    expect((await login({ username: victim.clientId, password: victim.secret }, from('198.51.100.8'))).status).toBe(
      201,
    );

    // An IPv6 caller is counted per /64: rotating addresses inside it does not reset the count.
    for (let i = 1; i <= 10; i++)
      expect((await login({ username: victim.clientId, password: 'guess' }, from(`2001:db8:1:2::${i}`))).status).toBe(
        401,
      );
    expect(
      (await login({ username: victim.clientId, password: victim.secret }, from('2001:db8:1:2:ffff::1'))).status,
    ).toBe(429);
    expect((await login({ username: victim.clientId, password: victim.secret }, from('2001:db8:1:3::1'))).status).toBe(
      201,
    );

    server.clock.advance(MINUTE);
    expect((await login({ username: victim.clientId, password: victim.secret }, from('198.51.100.7'))).status).toBe(
      201,
    );
  });

  it('slows guessing of one username from many addresses, without refusing its correct password', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const id = (
      await call(server, 'POST', '/v2/databases', {
        token: server.adminToken,
        body: {
          name: 'guessed',
          cloudProvider: 'GCP',
          region: 'us-east1',
          tier: 'C10',
          user: 'owner',
          password: 'the-password',
        },
      })
    ).headers.get('location')!;
    await settle(server, server.adminToken, id, 'ACTIVE');
    const guess = (address: string, password = 'wrong') => login({ username: 'owner', password }, from(address), id);

    // 100 failures from 25 addresses reach the ceiling for the username; each of them stayed under its own limit.
    for (let a = 1; a <= 25; a++) for (let i = 0; i < 4; i++) expect((await guess(`203.0.113.${a}`)).status).toBe(401);
    // Past the ceiling every address gets one failure per minute, not ten.
    expect((await guess('203.0.113.100')).status).toBe(401);
    expect((await guess('203.0.113.100')).status).toBe(429);
    expect((await guess('203.0.113.1', 'the-password')).status).toBe(429);
    // Whoever has not failed still gets in with the right password.
    expect((await guess('203.0.113.101', 'the-password')).status).toBe(201);

    // The shared username `token` never reaches a ceiling: 100 failures spread out leave others their ten.
    for (let a = 1; a <= 10; a++)
      for (let i = 0; i < 10; i++)
        expect(
          (await login({ username: 'token', password: randomToken() }, from(`192.0.2.${100 + a}`), id)).status,
        ).toBe(401);
    for (let i = 0; i < 3; i++)
      expect((await login({ username: 'token', password: randomToken() }, from('192.0.2.150'), id)).status).toBe(401);

    server.clock.advance(MINUTE);
    expect((await guess('203.0.113.1', 'the-password')).status).toBe(201);
  });
});

describe('data endpoint URLs', () => {
  it('name the host form by default and the path form when configured, and both reach the auth API', async () => {
    for (const dataEndpoints of ['host', 'path'] as const) {
      const server = await startServer({ dataEndpoints });
      try {
        const id = (
          await call(server, 'POST', '/v2/databases', {
            token: server.adminToken,
            body: { name: 'db', cloudProvider: 'GCP', region: 'us-east1' },
          })
        ).headers.get('location')!;
        const database = await settle(server, server.adminToken, id, 'ACTIVE');
        const app = await createToken(server, [roleId('R/W User')]);
        const expected =
          dataEndpoints === 'host'
            ? `https://${id}-us-east1.apps.astra.datastax.com`
            : `${server.url}/data/${id}-us-east1`;
        expect(database.dataEndpointUrl).toBe(`${expected}/api/rest`);
        expect(database.info.datacenters[0].cqlshUrl).toBe(`${expected}/cqlsh`);
        if (dataEndpoints === 'path') {
          const login = await fetch(`${database.dataEndpointUrl}/v1/auth`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: app.clientId, password: app.secret }),
          });
          expect(login.status).toBe(201);
        } else {
          // fetch will not send another Host header, so this one goes through node:http.
          const status = await new Promise<number>((resolve, reject) => {
            const request = http.request(
              `${server.url}/api/rest/v1/auth`,
              {
                method: 'POST',
                headers: { host: `${id}-us-east1.apps.astra.datastax.com`, 'content-type': 'application/json' },
              },
              (response) => {
                response.resume();
                resolve(response.statusCode!);
              },
            );
            request.on('error', reject);
            request.end(JSON.stringify({ username: app.clientId, password: app.secret }));
          });
          expect(status).toBe(201);
        }
      } finally {
        await server.close();
      }
    }
  });

  it('use ORRERY_PUBLIC_URL for links when it is set', async () => {
    const server = await startServer({ dataEndpoints: 'path', publicUrl: 'https://orrery.example.com' });
    try {
      const id = (
        await call(server, 'POST', '/v2/databases', {
          token: server.adminToken,
          body: { name: 'db', cloudProvider: 'GCP', region: 'us-east1' },
        })
      ).headers.get('location')!;
      expect((await settle(server, server.adminToken, id, 'ACTIVE')).dataEndpointUrl).toBe(
        `https://orrery.example.com/data/${id}-us-east1/api/rest`,
      );
      const bundle = await call(server, 'POST', `/v2/databases/${id}/secureBundleURL`, { token: server.adminToken });
      expect(bundle.body.downloadURL.startsWith(`https://orrery.example.com/bundles/${id}-1/`)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('auth token lifetime', () => {
  it('slides a 30-minute window, survives restarts, ends with its application token, and is purged', async () => {
    const first = await startServer();
    const id = (
      await call(first, 'POST', '/v2/databases', {
        token: first.adminToken,
        body: { name: 'db', cloudProvider: 'GCP', region: 'us-east1' },
      })
    ).headers.get('location')!;
    await settle(first, first.adminToken, id, 'ACTIVE');
    const gateway = (await createToken(first, [DATA_GATEWAY_ID])).token;
    const app = await createToken(first, [roleId('R/W User')]);
    const issue = async (server: TestServer) =>
      (
        await call(server, 'POST', `/data/${id}-us-east1/api/rest/v1/auth`, {
          body: { username: app.clientId, password: app.secret },
        })
      ).body.authToken as string;
    const valid = async (server: TestServer, credential: string) =>
      (
        await call(server, 'POST', '/v2/data-gateway/authorize', {
          token: gateway,
          body: { credential, address: '127.0.0.1', databaseId: id, action: 'db-rest' },
        })
      ).body.allowed as boolean;

    const busy = await issue(first);
    const idle = await issue(first);
    for (let minutes = 0; minutes < 5 * 60; minutes += 29) {
      first.clock.advance(29 * MINUTE);
      expect(await valid(first, busy), `busy token after ${minutes + 29} minutes`).toBe(true);
    }
    expect(await valid(first, idle)).toBe(false);

    const idleSoon = await issue(first);
    first.clock.advance(30 * MINUTE + 1000);
    expect(await valid(first, idleSoon)).toBe(false);

    const survivor = await issue(first);
    await first.close();
    const second = await startServer({ store: first.store, bootstrapToken: first.adminToken, clock: first.clock });
    try {
      expect(await valid(second, survivor)).toBe(true);

      expect((await call(second, 'DELETE', `/v2/tokens/${app.clientId}`, { token: second.adminToken })).status).toBe(
        200,
      );
      expect(await valid(second, survivor)).toBe(false);

      const rows = () => second.app.store.db.selectFrom('data_auth_tokens').select('token_hash').execute();
      const before = (await rows()).length;
      expect(before).toBeGreaterThanOrEqual(4);
      expect(JSON.stringify(await rows())).not.toContain(survivor);
      second.clock.advance(31 * MINUTE);
      expect(await second.app.services.dbAuth.purgeExpired()).toBe(before);
      expect(await rows()).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
