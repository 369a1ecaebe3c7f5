import { describe, expect, it } from 'vitest';
import { AUTH_FAILURES_PER_MINUTE, DB_LOGIN_FAILURES_PER_MINUTE } from '../../src/app.js';
import { BUILTIN_ROLES } from '../../src/iam/builtin-roles.js';
import { call, createToken, expectError, randomToken, startServer, settle } from '../support/server.js';
import { STORE } from '../support/stores.js';

const RW_USER = BUILTIN_ROLES.find((r) => r.name === 'R/W User')!.id;

describe.runIf(STORE === 'postgres')('failure limits on two servers sharing one PostgreSQL', () => {
  it('count failures from both servers together, for the DevOps API and the per-database auth API', async () => {
    const first = await startServer({ trustedProxies: ['127.0.0.1'] });
    const second = await startServer({
      store: first.store,
      bootstrapToken: first.adminToken,
      trustedProxies: ['127.0.0.1'],
      clock: first.clock,
    });
    try {
      const attacker = { 'x-forwarded-for': '198.51.100.40' };
      const half = AUTH_FAILURES_PER_MINUTE / 2;
      for (const server of [first, second]) {
        for (let i = 0; i < half; i++)
          expectError(await call(server, 'GET', '/v2/currentOrg', { token: randomToken(), headers: attacker }), 401);
      }
      for (const server of [first, second]) {
        expectError(await call(server, 'GET', '/v2/currentOrg', { token: randomToken(), headers: attacker }), 429);
        expect(
          (await call(server, 'GET', '/v2/currentOrg', { token: first.adminToken, headers: attacker })).status,
        ).toBe(200);
      }

      const id = (
        await call(first, 'POST', '/v2/databases', {
          token: first.adminToken,
          body: { name: 'shared', cloudProvider: 'GCP', region: 'us-east1' },
        })
      ).headers.get('location')!;
      await settle(first, first.adminToken, id, 'ACTIVE');
      const user = await createToken(first, [RW_USER]);
      const login = (server: typeof first, password: string) =>
        call(server, 'POST', `/data/${id}-us-east1/api/rest/v1/auth`, {
          body: { username: user.clientId, password },
          headers: attacker,
        });
      for (let i = 0; i < DB_LOGIN_FAILURES_PER_MINUTE; i++)
        expect((await login(i % 2 ? first : second, 'guess')).status).toBe(401);
      expect((await login(first, user.secret)).status).toBe(429);
      expect((await login(second, user.secret)).status).toBe(429);

      first.clock.advance(60_000);
      expect((await login(second, user.secret)).status).toBe(201);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
