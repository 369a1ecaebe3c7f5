import { generateKeyPair, SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { call, createToken, expectError, startServer, type TestServer } from '../support/server.js';

describe('service accounts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  async function login(clientName: string, clientId: string, clientSecret: string) {
    return call(server, 'POST', '/v2/authenticateServiceAccount', {
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: { clientName, clientId, clientSecret },
    });
  }

  it('exchanges a credential for a JWT that manages the organization until the credential is revoked', async () => {
    const account = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID], {
      description: 'deploy-bot@example.com',
    });
    const response = await login('deploy-bot@example.com', account.clientId, account.secret);
    expect(response.status).toBe(200);
    const jwt = response.body.token as string;
    expect(decodeJwt(jwt)).toMatchObject({ sub: account.clientId, org: server.orgId, iss: 'orrery' });

    expect((await call(server, 'GET', '/v2/currentOrg', { token: jwt })).body.id).toBe(server.orgId);
    const role = await call(server, 'POST', '/v2/organizations/roles', {
      token: jwt,
      body: {
        name: 'made by a service account',
        policy: {
          description: 'x',
          effect: 'allow',
          resources: [`drn:astra:org:${server.orgId}`],
          actions: ['org-read'],
        },
      },
    });
    expect(role.status).toBe(201);

    await call(server, 'DELETE', `/v2/tokens/${account.clientId}`, { token: server.adminToken });
    expectError(await call(server, 'GET', '/v2/currentOrg', { token: jwt }), 401, 340018);
  });

  it('uses the client id as the name of a credential without a description', async () => {
    const account = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID]);
    expect((await login(account.clientId, account.clientId, account.secret)).status).toBe(200);
  });

  it.each([
    ['a wrong secret', (a: { clientId: string; secret: string }) => ['bot', a.clientId, a.secret + 'x']],
    ['a wrong client name', (a: { clientId: string; secret: string }) => ['someone-else', a.clientId, a.secret]],
    [
      'an unknown client id',
      (a: { clientId: string; secret: string }) => ['bot', 'ABCDEFGHIJKLMNOPQRSTUVWX', a.secret],
    ],
  ])('refuses %s with 401', async (_label, args) => {
    const account = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID], { description: 'bot' });
    const [name, id, secret] = args(account);
    expectError(await login(name!, id!, secret!), 401, 340018);
  });

  it('rejects a malformed login body with 400', async () => {
    expectError(await call(server, 'POST', '/v2/authenticateServiceAccount', { body: { clientName: 'x' } }), 400);
  });

  it('refuses tampered, unsigned, foreign-signed and expired JWTs', async () => {
    const account = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID], { description: 'jwt-checks' });
    const jwt = (await login('jwt-checks', account.clientId, account.secret)).body.token as string;
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const claims = decodeJwt(jwt);

    const escalated = Buffer.from(JSON.stringify({ ...claims, sub: server.adminToken.split(':')[1] })).toString(
      'base64url',
    );
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const { privateKey } = await generateKeyPair('ES256');
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid })
      .sign(new TextEncoder().encode('guess'));

    for (const bad of [
      `${header}.${escalated}.${signature}`,
      unsigned,
      foreign,
      hmac,
      `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
    ]) {
      expectError(await call(server, 'GET', '/v2/currentOrg', { token: bad }), 401, 340018);
    }
    expect((await call(server, 'GET', '/v2/currentOrg', { token: jwt })).status).toBe(200);
    server.clock.advance(3600 * 1000);
    expectError(await call(server, 'GET', '/v2/currentOrg', { token: jwt }), 401, 340018);
  });

  it('publishes its verification keys and keeps verifying across a rotation', async () => {
    const account = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID], { description: 'rotation' });
    const before = (await login('rotation', account.clientId, account.secret)).body.token as string;
    const jwks = await call(server, 'GET', '/.well-known/jwks.json');
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(jwks.body.keys[0].d).toBeUndefined();

    await server.app.services.signingKeys.rotate();
    const after = (await login('rotation', account.clientId, account.secret)).body.token as string;
    expect((await call(server, 'GET', '/.well-known/jwks.json')).body.keys).toHaveLength(jwks.body.keys.length + 1);
    expect((await call(server, 'GET', '/v2/currentOrg', { token: before })).status).toBe(200);
    expect((await call(server, 'GET', '/v2/currentOrg', { token: after })).status).toBe(200);
  });
});
