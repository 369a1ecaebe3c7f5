import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startServer, type TestServer } from '../support/server.js';

describe('serving the Portal', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("answers the Portal's pages with its index, and leaves API paths alone", async () => {
    for (const path of [
      '/',
      '/databases',
      '/databases/0b1e9a51-5c53-4c2f-9f2f-2d3c1a1d3e11/connect',
      '/settings/tokens',
      '/invitations/abcdefghijklmnopqrstuv',
    ]) {
      const page = await call(server, 'GET', path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(page.text, path).toContain('<div id="root"></div>');
    }
    const unknown = await call(server, 'GET', '/v2/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ errors: [{ ID: 2000005, message: 'No route GET /v2/no-such-route.' }] });
    expect((await call(server, 'GET', '/v2/databases')).status).toBe(401);
    expect((await call(server, 'GET', '/assets/..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await call(server, 'GET', '/package.json')).status).toBe(404);
  });

  it('serves the hashed files for good and the index fresh', async () => {
    const index = await call(server, 'GET', '/');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)![1]!;
    const file = await call(server, 'GET', script);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/javascript/);
    expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
