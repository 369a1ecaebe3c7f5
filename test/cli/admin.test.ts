import { describe, expect, it, vi } from 'vitest';
import { orrery } from '../support/cli.js';
import { TEST_SECRET_KEY, call, startServer } from '../support/server.js';

// Spawned commands are slow on a busy machine; the work itself is bounded.
vi.setConfig({ testTimeout: 240_000 });

describe('orrery admin, on a store the API shuts out', () => {
  it('reopens a DevOps access list, mints an admin token and rotates the signing key, each audited', async () => {
    const first = await startServer();
    const { store, orgId, adminToken } = first;
    const aclPath = `/v2/organizations/${orgId}/devops-acl`;
    // Shutting out the caller's own address takes saying so.
    const locked = await call(first, 'POST', `${aclPath}?allowSelfLockout=true`, {
      token: adminToken,
      body: [{ address: '192.0.2.1', description: 'elsewhere', enabled: true }],
    });
    expect(locked.status).toBe(200);
    expect((await call(first, 'GET', '/v2/currentOrg', { token: adminToken })).status).toBe(403);
    const kidBefore = (await call(first, 'GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
    await first.close();

    const storeFlags = [
      '--data-dir',
      store.dataDir,
      ...(store.databaseUrl ? ['--database-url', store.databaseUrl] : []),
      '--secret-key',
      TEST_SECRET_KEY.toString('hex'),
      '-o',
      'json',
    ];
    const reset = await orrery(['admin', 'reset-access-list', ...storeFlags]);
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.stdout)).toEqual({ orgId, reset: true });
    const minted = await orrery(['admin', 'token', ...storeFlags]);
    expect(minted.code).toBe(0);
    const { token } = JSON.parse(minted.stdout);
    const rotated = await orrery(['admin', 'rotate-keys', ...storeFlags]);
    expect(rotated.code).toBe(0);
    const { kid } = JSON.parse(rotated.stdout);
    expect(kidBefore).not.toContain(kid);
    expect(
      (await orrery(['admin', 'token', ...storeFlags, '--org', '00000000-0000-4000-8000-000000000000'])).code,
    ).toBe(5);

    const second = await startServer({ store, bootstrapToken: adminToken });
    try {
      expect((await call(second, 'GET', '/v2/currentOrg', { token: adminToken })).status).toBe(200);
      const tokens = await call(second, 'GET', '/v2/tokens', { token });
      expect(tokens.status).toBe(200);
      expect(
        (await call(second, 'GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid),
      ).toContain(kid);
      const events = (await call(second, 'GET', '/v2/organizations/audit-events?actor=operator', { token })).body
        .events;
      expect(events.map((e: { action: string }) => e.action).sort()).toEqual([
        'GENERATE_TOKEN',
        'REPLACE_DEVOPS_ACCESS_LIST',
        'ROTATE_SIGNING_KEYS',
      ]);
    } finally {
      await second.close();
    }
  });
});
