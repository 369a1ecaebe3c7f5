import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ErrorIds } from '../../src/kernel/errors.js';
import { call, expectError, randomToken, startServer, type TestServer } from '../support/server.js';

describe('HTTP foundation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('answers GET /v2/currentOrg for the bootstrap token', async () => {
    const response = await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual({ id: server.orgId, name: expect.any(String) });
  });

  it.each([
    ['no Authorization header', undefined],
    ['a malformed token', 'AstraCS:short:abc'],
    ['a well-formed unknown token', randomToken()],
    ['a known client id with the wrong secret', () => server.adminToken.slice(0, -4) + '0000'],
  ])('refuses %s with 401 and error 340018', async (_label, token) => {
    const value = typeof token === 'function' ? token() : token;
    const response = await call(server, 'GET', '/v2/currentOrg', { token: value });
    expectError(response, 401, ErrorIds.unauthenticated);
  });

  it('refuses a non-Bearer scheme', async () => {
    const response = await call(server, 'GET', '/v2/currentOrg', {
      headers: { authorization: `Basic ${server.adminToken}` },
    });
    expectError(response, 401, 340018);
  });

  it('gives a JSON 404 for an unknown route', async () => {
    const response = await call(server, 'GET', '/v2/nothing-here', { token: server.adminToken });
    expectError(response, 404, ErrorIds.routeNotFound);
  });

  it('gives a JSON 400 for malformed JSON', async () => {
    const response = await call(server, 'POST', '/v2/tokens', { token: server.adminToken, rawBody: '{"roles": [' });
    expectError(response, 400, ErrorIds.malformedJson);
  });

  it('gives a JSON 413 for an oversized body', async () => {
    const big = JSON.stringify({ description: 'x'.repeat(2 * 1024 * 1024) });
    const response = await call(server, 'POST', '/v2/tokens', { token: server.adminToken, rawBody: big });
    expectError(response, 413, ErrorIds.payloadTooLarge);
  });

  it('gives a JSON 415 for a body that is not JSON', async () => {
    const response = await call(server, 'POST', '/v2/tokens', {
      token: server.adminToken,
      rawBody: 'roles=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectError(response, 415, ErrorIds.unsupportedMediaType);
  });

  it('echoes a plain request id and makes one otherwise', async () => {
    const given = await call(server, 'GET', '/health', { headers: { 'x-request-id': 'ci-run-42' } });
    expect(given.headers.get('x-request-id')).toBe('ci-run-42');
    const forged = await call(server, 'GET', '/health', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports health and readiness', async () => {
    expect((await call(server, 'GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await call(server, 'GET', '/ready')).body).toEqual({ status: 'ready' });
  });

  it('serves a valid OpenAPI 3.1 document and a docs page', async () => {
    const doc = await call(server, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.body.paths['/v2/currentOrg'].get['x-orrery-permission']).toBe('authenticated');

    const page = await fetch(`${server.url}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
  });

  it('writes a request id on every request log line and never a token', async () => {
    await call(server, 'GET', '/v2/currentOrg', {
      token: server.adminToken,
      headers: { 'x-request-id': 'log-check-1' },
    });
    await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken.replace(/.$/, '0') });
    const lines = server.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = lines.filter((l) => l.req || l.res);
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) expect(line.reqId).toEqual(expect.any(String));
    expect(lines.some((l) => l.reqId === 'log-check-1')).toBe(true);
    const secretPart = server.adminToken.split(':')[2]!;
    for (const line of server.logs) expect(line).not.toContain(secretPart);
  });
});

describe('unexpected faults', () => {
  it('answer a JSON 500 without the stack, and log the stack', async () => {
    const server = await startServer();
    await server.app.store.db.destroy();
    const response = await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken });
    expectError(response, 500, ErrorIds.internal);
    expect(response.text).not.toMatch(/at .*\.ts:\d+/);
    expect(server.logs.some((line) => line.includes('"stack"'))).toBe(true);
    await server.app.server.close();
  });
});

describe('route permissions', () => {
  it('refuses to start a server with a route that declares no permission', async () => {
    const { createHttpServer } = await import('../../src/http/server.js');
    const { registerAuth } = await import('../../src/http/auth.js');
    const app = await createHttpServer({ logLevel: 'silent', trustedProxies: [] });
    registerAuth(app, {
      authenticate: async () => undefined,
      admit: async () => {},
      isAllowed: () => true,
      holdsAnywhere: () => true,
      denied: async () => {},
    });
    app.get('/v2/forgotten', async () => ({}));
    await expect(app.ready()).rejects.toThrow(/routes without a declared permission: GET \/v2\/forgotten/);
  });
});
